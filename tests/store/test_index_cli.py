"""store: the ``copydesk index add|export|stats`` and ``copydesk query`` commands."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from index_corpus import index_corpus

from copydesk.cli import main
from copydesk.store import FORMAT_VERSION


def _jsonl(path: Path, arts: list) -> Path:
    path.write_text("".join(json.dumps({"id": a.id, "text": a.text, "title": a.title, "date": a.date,
                                        "source": a.source}) + "\n" for a in arts))
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cli")
    arts = index_corpus()
    index = d / "news.db"
    one, two = _jsonl(d / "one.jsonl", arts[::2]), _jsonl(d / "two.jsonl", arts[1::2])
    assert main(["index", "add", str(index), str(one), "--workers", "1", "-q"]) == 0
    assert main(["index", "add", str(index), str(two), "--workers", "1", "-q"]) == 0
    story = next(a for a in arts if a.id == "s04")
    (d / "story.txt").write_text("A new first line.\n\n" + story.text.split("\n\n", 1)[1])
    return {"dir": d, "index": index, "one": one, "story": d / "story.txt"}


def test_add_reports_counts(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", "add", str(files["index"]), str(files["one"]), "--workers", "1", "-q"]) == 0
    out = capsys.readouterr().out
    assert "0 added" in out and "already indexed" in out and "46 articles" in out


def test_stats(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", "stats", str(files["index"]), "--json"]) == 0
    st = json.loads(capsys.readouterr().out)
    assert st["articles"] == 46 and st["families"] == 12 and st["adds"] == 2
    assert main(["index", "stats", str(files["index"])]) == 0
    out = capsys.readouterr().out
    assert f"format version {FORMAT_VERSION}" in out and "families" in out and "bytes per article" in out


def test_query_text_and_json(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(files["index"]), str(files["story"])]) == 0
    out = capsys.readouterr().out
    assert "s04" in out and "s04-copy" in out and "share text with story" in out
    assert main(["query", str(files["index"]), str(files["story"]), "--json", "--top", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert row["query"] == "story" and row["match"] in ("s04", "s04-copy") and row["family"] == "s04"
    assert row["relation"] in ("contained", "near_duplicate") and row["passages"]


def test_query_from_stdin(files: dict[str, Path], capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(files["story"].read_text()))
    assert main(["query", str(files["index"]), "-", "--json"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {r["match"] for r in rows} >= {"s04", "s04-copy"} and rows[0]["query"] == "<stdin>"


def test_query_add_then_export(files: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    index = tmp_path / "copy.db"
    import sqlite3

    a, b = sqlite3.connect(files["index"]), sqlite3.connect(index)
    a.backup(b)
    a.close()
    b.close()
    assert main(["query", str(index), str(files["story"]), "--add"]) == 0
    assert "added story" in capsys.readouterr().err
    assert main(["index", "export", str(index), "--out", str(tmp_path / "out")]) == 0
    pairs = [json.loads(x) for x in (tmp_path / "out" / "pairs.jsonl").read_text().splitlines()]
    assert any("story" in (p["a"], p["b"]) for p in pairs)
    assert json.loads((tmp_path / "out" / "run.json").read_text())["counts"]["articles"] == 47


@pytest.mark.parametrize("argv", [["query", "{dir}/one.jsonl", "{dir}/story.txt"],
                                  ["index", "stats", "{dir}/missing.db"],
                                  ["index", "export", "{dir}/one.jsonl", "--out", "{dir}/x"],
                                  ["index", "add", "{dir}/one.jsonl", "{dir}/story.txt"],
                                  ["query", "{index}", "{dir}/nothing-here.txt"]])
def test_bad_usage_is_one_line_and_exit_2(files: dict[str, Path], argv: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    args = [a.format(dir=files["dir"], index=files["index"]) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"copydesk {args[0]}: error: ") and err.count("\n") == 1
    assert not (files["dir"] / "missing.db").exists()


def test_an_add_whose_every_record_is_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Binary junk and a Latin-1 file: recorded rejects and a one-line summary, no traceback,
    into a new index and into one that holds articles."""
    junk = tmp_path / "junk.jsonl"
    junk.write_bytes(bytes(range(256)) * 12)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"id": "l", "text": "caf\xe9 au lait"}\n')
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "g", "text": "an ordinary article of a few words"}\n')
    for index, first in ((tmp_path / "new.db", None), (tmp_path / "old.db", good)):
        if first is not None:
            assert main(["index", "add", str(index), str(first), "--quiet"]) == 0
        assert main(["index", "add", str(index), str(junk), str(latin), "--quiet"]) == 0
        assert "Traceback" not in capsys.readouterr().err
        out = tmp_path / f"export-{index.stem}"
        assert main(["index", "export", str(index), "--out", str(out)]) == 0
        wheres = [json.loads(x)["where"] for x in (out / "rejects.jsonl").read_text().splitlines()]
        assert any(w.startswith(str(junk)) for w in wheres) and any(w.startswith(str(latin)) for w in wheres)
