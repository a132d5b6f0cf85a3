"""cli: the ``copydesk`` command through ``copydesk.cli.main`` (and one real subprocess)."""

from __future__ import annotations

import errno
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import copydesk
import copydesk.write
from copydesk.cli import main
from copydesk.config import FingerprintConfig
from copydesk.records import RELATIONS

_SYL = ["ba", "ker", "lo", "mi", "tan", "sor", "vel", "du", "rin", "pa", "gos", "the", "na",
        "wil", "fer", "cu", "den", "jo", "mar", "sti", "pe", "quo", "zan", "hal"]


def _paragraph(rng: random.Random, n: int = 35) -> str:
    w = ["".join(rng.choice(_SYL) for _ in range(rng.randint(1, 3))) for _ in range(n)]
    return " ".join(w).capitalize() + "."


def _records(seed: int = 3) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    s1 = [_paragraph(rng) for _ in range(5)]
    s2 = [_paragraph(rng) for _ in range(4)]
    j = "\n\n".join
    return [
        {"id": "web", "text": "Published: 2021-03-01 09:00\nComments\n\n" + j(s1),
         "title": "A story", "date": "2021-03-01", "source": "Wire", "url": "http://x/1"},
        {"id": "print", "text": j(s1[:2] + s1[3:4]), "date": "2021-03-02"},
        {"id": "copy", "text": j(s2) + "\n\nShare this article"},
        {"id": "another", "text": j(s2).upper()},
        {"id": "lonely", "text": j(_paragraph(rng) for _ in range(3))},
    ]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _one_line_error(err: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "error" in lines[0]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return _write_jsonl(tmp_path / "corpus.jsonl", _records())


def _scan(corpus: Path, out: Path, *extra: str) -> int:
    return main(["scan", str(corpus), "--out", str(out), "--workers", "1", "--quiet", *extra])


def test_scan_writes_results_in_the_documented_formats(corpus: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert _scan(corpus, out) == 0
    stdout = capsys.readouterr().out
    assert "5 articles" in stdout and "rejected inputs" in stdout
    assert {p.name for p in out.iterdir()} >= {"pairs.jsonl", "families.jsonl", "rejects.jsonl",
                                               "run.json"}
    texts = {r["id"]: r["text"] for r in _records()}
    pairs = _read_jsonl(out / "pairs.jsonl")
    assert {(p["a"], p["b"]) for p in pairs} == {("print", "web"), ("another", "copy")}
    for p in pairs:
        assert {"a", "b", "relation", "origin", "coverage_a", "coverage_b", "passages"} <= set(p)
        assert p["a"] < p["b"]
        assert p["relation"] in RELATIONS
        assert p["origin"] is None or p["origin"] in (p["a"], p["b"])
        assert isinstance(p["coverage_a"], float) and isinstance(p["coverage_b"], float)
        assert 0 <= p["coverage_a"] <= 1 and 0 <= p["coverage_b"] <= 1
        assert p["passages"]
        for q in p["passages"]:
            assert set(q) == {"a_start", "a_end", "b_start", "b_end", "kind"}
            assert q["kind"] in ("verbatim", "edited", "paraphrase")
            assert all(isinstance(q[k], int) for k in ("a_start", "a_end", "b_start", "b_end"))
            assert 0 <= q["a_start"] < q["a_end"] <= len(texts[p["a"]])
            assert 0 <= q["b_start"] < q["b_end"] <= len(texts[p["b"]])
    by_key = {(p["a"], p["b"]): p for p in pairs}
    assert by_key[("print", "web")]["relation"] == "contained"
    assert by_key[("print", "web")]["origin"] == "web"
    assert by_key[("another", "copy")]["relation"] == "duplicate"

    fams = _read_jsonl(out / "families.jsonl")
    assert sorted(tuple(f["members"]) for f in fams) == [("another", "copy"), ("print", "web")]
    for f in fams:
        assert set(f) >= {"family", "members", "origin"}
        assert isinstance(f["family"], str)
        assert f["origin"] is None or f["origin"] in f["members"]
    assert _read_jsonl(out / "rejects.jsonl") == []

    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["version"] == copydesk.__version__
    assert run["config"]["fingerprint"]["k"] == FingerprintConfig().k
    assert run["config"]["workers"] == 1
    assert run["counts"]["articles"] == 5 and run["counts"]["pairs"] == 2
    assert run["counts"]["rejected"] == 0
    assert "total" in run["timings_s"]


def test_tuning_options_are_recorded(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _scan(corpus, out, "--k", "5", "--window", "4", "--min-reuse", "100") == 0
    cfg = json.loads((out / "run.json").read_text())["config"]
    assert cfg["fingerprint"] == {"k": 5, "window": 4, "sentence_bands": 2, "sentence_min_words": 6}
    assert cfg["relate"]["min_reuse_chars"] == 100


def test_bad_records_are_rejected_not_fatal(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    good = [json.dumps(r).encode() for r in _records()]
    bad = [
        b'{"id": "broken", "text": "no closing brace"',
        json.dumps({"id": "notext", "title": "x"}).encode(),
        json.dumps({"id": "empty", "text": "   \n "}).encode(),
        json.dumps({"id": "web", "text": "a second article with the id web"}).encode(),
        b'{"id": "latin1", "text": "caf\xe9 au lait"}',
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join([good[0], bad[0], good[1], bad[1], bad[2], good[2], bad[3],
                                 good[3], bad[4], good[4]]) + b"\n")
    out = tmp_path / "out"
    assert _scan(path, out) == 0
    stdout = capsys.readouterr().out
    assert re.search(r"^\s*rejected inputs\s+5\b.*rejects\.jsonl", stdout, re.MULTILINE)
    rejects = _read_jsonl(out / "rejects.jsonl")
    assert len(rejects) == 5
    reasons = [r["reason"] for r in rejects]
    assert reasons[0].startswith("malformed JSON")
    assert reasons[1] == "missing text" and rejects[1]["id"] == "notext"
    assert reasons[2] == "empty text" and rejects[2]["id"] == "empty"
    assert reasons[3] == f"duplicate id: first seen at {path}:1" and rejects[3]["id"] == "web"
    assert reasons[4].startswith("not valid UTF-8")
    for r in rejects:
        assert r["where"].startswith(str(path))
    run = json.loads((out / "run.json").read_text())
    assert run["counts"]["rejected"] == 5
    assert run["counts"]["articles"] == 5
    assert sum(run["counts"]["rejected_by_reason"].values()) == 5
    assert len(_read_jsonl(out / "pairs.jsonl")) == 2


@pytest.mark.parametrize("option", [
    ["--k", "0"], ["--workers", "0"], ["--window", "100"], ["--min-shared", "0"],
    ["--bucket-cap", "1"], ["--min-passage", "0"], ["--boiler-min-docs", "1"],
])
def test_invalid_option_is_one_line_exit_2(option: list[str], corpus: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(corpus), "--out", str(tmp_path / "o"), "--quiet", *option]) == 2
    _one_line_error(capsys.readouterr().err)
    assert not (tmp_path / "o").exists()


def test_missing_input_is_one_line_exit_2(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.jsonl"
    assert main(["scan", str(missing), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "nope.jsonl" in err


def test_out_is_a_file(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    assert _scan(corpus, f) == 2
    _one_line_error(capsys.readouterr().err)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["scan", "x.jsonl"])  # --out missing
    assert e.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.fixture
def two_txt(tmp_path: Path) -> tuple[Path, Path]:
    rng = random.Random(8)
    paras = [_paragraph(rng) for _ in range(3)]
    a = tmp_path / "wire.txt"
    b = tmp_path / "paper.txt"
    a.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    w = paras[1].split(" ")
    w[10] = "respelledword"
    b.write_text("\n\n".join([paras[0], " ".join(w)]) + "\n", encoding="utf-8")
    return a, b


def test_compare_plain(two_txt: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two_txt
    assert main(["compare", str(a), str(b), "--color", "never", "--width", "100"]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    assert "contained" in out and "paper" in out and "wire" in out
    assert "[~" in out and "~]" in out and "respelledword" in out


def test_compare_color(two_txt: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two_txt
    assert main(["compare", str(a), str(b), "--color", "always", "--width", "100"]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" in out and "[~" not in out


def test_compare_json(two_txt: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two_txt
    assert main(["compare", str(a), str(b), "--json"]) == 0
    pair = json.loads(capsys.readouterr().out)
    assert (pair["a"], pair["b"]) == ("paper", "wire")
    assert pair["relation"] == "contained" and pair["origin"] == "wire"
    assert pair["coverage_a"] == 1.0
    ta, tb = b.read_text(), a.read_text()
    for q in pair["passages"]:
        assert 0 <= q["a_start"] < q["a_end"] <= len(ta)
        assert 0 <= q["b_start"] < q["b_end"] <= len(tb)


def test_compare_errors(two_txt: tuple[Path, Path], tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    a, _ = two_txt
    assert main(["compare", str(a), str(tmp_path / "missing.txt")]) == 2
    _one_line_error(capsys.readouterr().err)
    assert main(["compare", str(a), str(a), "--width", "10", "--color", "never"]) == 2
    _one_line_error(capsys.readouterr().err)


def test_eval_against_gold_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    _write_jsonl(gold / "corpus.jsonl", _records())
    _write_jsonl(gold / "gold_pairs.jsonl", [
        {"a": "print", "b": "web", "relation": "contained", "origin": "web"},
        {"a": "another", "b": "copy", "relation": "duplicate", "origin": None},
    ])
    _write_jsonl(gold / "gold_families.jsonl", [
        {"family": "f1", "members": ["print", "web"], "origin": "web"},
        {"family": "f2", "members": ["another", "copy"], "origin": None},
    ])
    out = tmp_path / "out"
    assert _scan(gold / "corpus.jsonl", out) == 0
    capsys.readouterr()
    assert main(["eval", "--gold", str(gold), str(out), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["pair_f1"] == 1.0
    assert res["relation_acc"] == 1.0
    assert res["family_ari"] == 1.0
    assert main(["eval", "--gold", str(gold), str(out)]) == 0
    report = capsys.readouterr().out
    assert "pair_f1=1.0000" in report.strip().splitlines()[-1]
    # a results folder without pairs.jsonl: one clear line, exit 2
    assert main(["eval", "--gold", str(gold), str(tmp_path)]) == 2
    _one_line_error(capsys.readouterr().err)


def test_version_via_python_m() -> None:
    proc = subprocess.run([sys.executable, "-m", "copydesk", "--version"], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"copydesk {copydesk.__version__}"


def test_a_run_that_reads_no_article_says_so_and_fails(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    (folder / "empty.jsonl").write_bytes(b"")
    out = tmp_path / "out"
    assert _scan(folder, out) == 2
    err = capsys.readouterr().err
    assert "no article could be read (2 rejected" in err and err.count("\n") == 1
    rejects = _read_jsonl(out / "rejects.jsonl")
    assert [(Path(r["where"]).name, r["reason"].partition(" (")[0]) for r in rejects] == [
        ("empty.jsonl", "empty file"), ("photo.jpg", "skipped: unknown file type")]


def test_format_and_field_options(tmp_path: Path) -> None:
    path = tmp_path / "export.data"
    rename = {"id": "doc_id", "text": "body", "date": "published"}
    path.write_text("".join(json.dumps({rename.get(k, k): v for k, v in r.items()}) + "\n"
                            for r in _records()), encoding="utf-8")
    out = tmp_path / "out"
    assert _scan(path, out) == 2  # the name says nothing: --format is needed
    assert _scan(path, out, "--format", "jsonl", "--id-field", "doc_id", "--text-field", "body",
                 "--date-field", "published") == 0
    want = tmp_path / "want"
    assert _scan(_write_jsonl(tmp_path / "c.jsonl", _records()), want) == 0
    assert (out / "pairs.jsonl").read_text() == (want / "pairs.jsonl").read_text() != ""
    assert _scan(path, out, "--format", "jsonl", "--id-field", "body", "--text-field", "body") == 2


# -- output handling: checked before the scan, written whole, cleaned up on failure ----------
def _no_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any scan fail loudly: the checks under test must come before it."""
    def scanned(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the scan started")

    monkeypatch.setattr("copydesk.api.scan_batches", scanned)


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_rerun_replaces_the_whole_results_set(corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    out = tmp_path / "out"
    assert _scan(corpus, out, "--parquet") == 0
    assert (out / "pairs.parquet").exists()
    assert _scan(corpus, out) == 0
    assert sorted(p.name for p in out.iterdir()) == ["boilerplate.jsonl", "families.jsonl", "pairs.jsonl",
                                                    "rejects.jsonl", "run.json"]
    assert _hidden(tmp_path) == []


def test_parquet_without_pyarrow_fails_before_scanning(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    _no_scan(monkeypatch)
    assert _scan(corpus, tmp_path / "out", "--parquet") == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "pip install 'copydesk[parquet]'" in err
    assert not (tmp_path / "out").exists()


def test_unwritable_out_or_tmp_fails_before_scanning(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _no_scan(monkeypatch)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert _scan(corpus, blocker / "out") == 2  # a folder cannot be made inside a file
    _one_line_error(capsys.readouterr().err)
    for tmp in (blocker, tmp_path / "missing"):
        assert _scan(corpus, tmp_path / "out", "--tmp", str(tmp)) == 2
        err = capsys.readouterr().err
        _one_line_error(err)
        assert "--tmp" in err
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("not results")
    assert _scan(corpus, mine) == 2  # never replace a folder a scan did not write
    _one_line_error(capsys.readouterr().err)
    assert (mine / "thesis.docx").exists()
    assert not (tmp_path / "out").exists() and _hidden(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_read_only_out_parent(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    _no_scan(monkeypatch)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert _scan(corpus, ro / "out") == 2
        assert _scan(corpus, tmp_path / "out", "--tmp", str(ro)) == 2
    finally:
        ro.chmod(0o755)
    _one_line_error(capsys.readouterr().err.splitlines()[0])


def test_full_disk_while_writing_results(corpus: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert _scan(corpus, out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    real = copydesk.write.write_jsonl
    calls = []

    def full_disk(path: Path, rows: Any) -> int:
        calls.append(path)
        if len(calls) == 2:  # the first file is written, the second fails part way
            path.write_bytes(b'{"a": "half')
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, rows)

    monkeypatch.setattr("copydesk.write.write_jsonl", full_disk)
    assert _scan(corpus, out, "--k", "4") == 1
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "no space left on device" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the earlier run, intact
    assert _hidden(tmp_path) == []
    fresh = tmp_path / "fresh"
    calls.clear()
    assert _scan(corpus, fresh) == 1
    assert not fresh.exists() and _hidden(tmp_path) == []  # nothing that looks like results


def test_full_disk_while_spilling(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    spill = tmp_path / "spill"
    spill.mkdir()

    def full_disk(job: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(spill / "x"))

    monkeypatch.setattr("copydesk.engines.local._prepare_job", full_disk)
    assert _scan(corpus, tmp_path / "out", "--tmp", str(spill)) == 1
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "no space left on device" in err and "--tmp" in err
    assert list(spill.iterdir()) == []  # spills removed
    assert not (tmp_path / "out").exists() and _hidden(tmp_path) == []


def test_sigterm_cleans_up_like_ctrl_c(tmp_path: Path) -> None:
    """SIGTERM (timeout, schedulers, containers) mid-scan: exit 143, one line, spills and
    the half-made results folder removed."""
    spill, parent = tmp_path / "spill", tmp_path / "results"
    spill.mkdir()
    out = parent / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "copydesk", "scan", "-", "--out", str(out), "--tmp", str(spill),
         "--workers", "2", "--quiet"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        # a few articles, stdin left open: the scan waits for more, its spill folder made
        proc.stdin.write("".join(json.dumps(r) + "\n" for r in _records()).encode())
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        while not any(p.name.startswith("copydesk-") for p in spill.iterdir()):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the scan never started"
            time.sleep(0.05)
        assert any(parent.iterdir())  # the staging folder exists meanwhile
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert code == 143, err
    assert "Traceback" not in err
    assert err.strip().splitlines() == ["copydesk scan: terminated (SIGTERM)"]
    assert list(spill.iterdir()) == []
    assert list(parent.iterdir()) == []


def test_scan_help_shows_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["scan", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"words per fingerprint shingle (default: {FingerprintConfig().k})" in text
    assert "default: %" not in text
    assert "or folders of them (read recursively)" in text


def test_summary_rate_leaves_out_the_kernel_compile() -> None:
    from copydesk.cli import _summary

    result = copydesk.ScanResult([], [], stats={"articles": 1000},
                                 timings={"warm_up": 30.0, "total": 32.0})
    text = _summary(result, Path("out"))
    first = text.splitlines()[0]
    assert "in 2.0 s (500 articles/s)" in first
    assert "30 s compiling" in text and "first run only" in text
    quick = copydesk.ScanResult([], [], stats={"articles": 1000},
                                timings={"warm_up": 0.3, "total": 2.3})
    assert "compiling" not in _summary(quick, Path("out"))


# -- dedup ----------------------------------------------------------------------------------
def test_dedup_command(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "d" / "deduped.jsonl"
    assert main(["dedup", str(corpus), "--out", str(out), "--workers", "1", "-q"]) == 0
    stdout = capsys.readouterr().out
    assert "kept 3, dropped 2" in stdout
    mapping = {r["id"]: r for r in _read_jsonl(Path(str(out) + ".map.jsonl"))}
    assert set(mapping) == {r["id"] for r in _records()}
    assert mapping["print"]["kept"] == "web" and mapping["print"]["relation"] == "contained"
    assert {r["id"] for r in _read_jsonl(out)} == {"web", mapping["copy"]["kept"], "lonely"}
    assert main(["dedup", str(corpus), "--out", str(out), "--keep", "longest", "--workers", "1",
                 "--drop", "duplicate", "-q"]) == 0
    assert "kept 4, dropped 1 (--keep longest)" in capsys.readouterr().out
    assert _hidden(out.parent) == []


@pytest.mark.parametrize("extra", [["--out", "x.csv"], ["--out", "x.jsonl", "--drop", "same"],
                                   ["--out", "x.jsonl", "--keep", "newest"]])
def test_dedup_usage_errors(extra: list[str], corpus: Path, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _no_scan(monkeypatch)
    try:
        code = main(["dedup", str(corpus), "-q", *extra])
    except SystemExit as e:  # argparse's own usage error (--keep choices)
        code = e.code  # type: ignore[assignment]
    assert code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.jsonl"]


# -- the demo, as its README says -----------------------------------------------------------
def test_eval_of_the_demo_needs_no_corpus_option(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    demo = Path(copydesk.__file__).parent / "demo"
    out = tmp_path / "demo"
    assert _scan(demo / "demo.jsonl", out) == 0
    capsys.readouterr()
    assert main(["eval", "--gold", str(demo), str(out)]) == 0
    assert "pair_f1=" in capsys.readouterr().out
    (out / "run.json").unlink()
    assert main(["eval", "--gold", str(demo), str(out)]) == 2
    err = capsys.readouterr().err
    _one_line_error(err)
    assert "--corpus" in err


def test_compare_in_a_corpus_gives_the_scan_verdict(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """``compare --corpus`` applies the corpus rules: a pair the scan reports comes out as
    the scan's record, and one it leaves out says why."""
    corpus = _write_jsonl(tmp_path / "c.jsonl", _records())
    out = tmp_path / "out"
    assert _scan(corpus, out) == 0
    scanned = {(p["a"], p["b"]): p for p in _read_jsonl(out / "pairs.jsonl")}
    capsys.readouterr()
    (a, b), want = next(iter(scanned.items()))
    assert main(["compare", "--corpus", str(corpus), a, b, "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["relation"], got["origin"], got["passages"]) == (want["relation"], want["origin"], want["passages"])
    assert "scan" in got["note"]
    ids = [r["id"] for r in _records()]
    other = next((x, y) for x in ids for y in ids if x < y and (x, y) not in scanned)
    assert main(["compare", "--corpus", str(corpus), *other, "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["relation"] == "unrelated" and got["note"].startswith(("not reuse", "not found"))


def test_a_50_mb_article(tmp_path: Path) -> None:
    """Bad-input list of the issue: a 50 MB article is read whole (no reject, no traceback)
    and an excerpt of it in another article is found with exact offsets."""
    import numpy as np

    rng = np.random.default_rng(7)
    syl = np.array(["ba", "ker", "lo", "mi", "tan", "sor", "vel", "du", "rin", "pa", "gos", "wil"])
    vocab = np.array(["".join(rng.choice(syl, n)) for n in rng.integers(2, 5, 20_000)])
    words = vocab[rng.integers(0, len(vocab), 6_500_000)]
    paras = [" ".join(words[i:i + 60]) + "." for i in range(0, len(words), 60)]
    text = "\n\n".join(paras)
    assert len(text) > 50_000_000
    excerpt = paras[900] + "\n\n" + paras[901]
    path = _write_jsonl(tmp_path / "big.jsonl", [
        {"id": "huge", "text": text},
        {"id": "small", "text": "An unrelated opening line about the weather.\n\n" + excerpt}])
    out = tmp_path / "out"
    assert _scan(path, out) == 0
    (pair,) = _read_jsonl(out / "pairs.jsonl")
    assert pair["relation"] == "contained" and _read_jsonl(out / "rejects.jsonl") == []
    (p,) = pair["passages"]
    assert text[p["a_start"]:p["a_end"]] == excerpt
