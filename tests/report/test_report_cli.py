"""``copydesk report`` and ``copydesk scan --report`` through ``copydesk.cli.main``: exit
codes, one-line errors, the --max-pairs cap, reruns into the same folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import copydesk
from copydesk.cli import main
from copydesk.report.names import pair_file
from reportpages import parse, read_jsonl

DEMO = Path(copydesk.__file__).parent / "demo" / "demo.jsonl"


def _one_line_error(err: str, *words: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for w in words:
        assert w in lines[0], err


@pytest.fixture()
def results(demo_results: Path, tmp_path: Path) -> Path:
    """A copy of the demo results without its report."""
    out = tmp_path / "results"
    shutil.copytree(demo_results, out, ignore=shutil.ignore_patterns("report"))
    return out


def test_report_from_recorded_corpus(results: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(results)]) == 0
    out = capsys.readouterr().out
    assert "pair pages" in out and str(results / "report" / "index.html") in out
    pairs = read_jsonl(results / "pairs.jsonl")
    assert len(list((results / "report" / "pairs").iterdir())) == len(pairs)
    # a rerun replaces the report; the results folder stays a valid --out for scan
    assert main(["report", str(results), "--out", str(results / "report")]) == 0


def test_report_with_corpus_and_out(results: Path, tmp_path: Path) -> None:
    run = json.loads((results / "run.json").read_text(encoding="utf-8"))
    run["inputs"] = run["inputs_resolved"] = [str(tmp_path / "moved.jsonl")]
    (results / "run.json").write_text(json.dumps(run), encoding="utf-8")
    out = tmp_path / "html"
    assert main(["report", str(results), "--corpus", str(DEMO), "--out", str(out)]) == 0
    assert (out / "index.html").is_file()


def test_max_pairs_caps_pair_pages(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "html"
    assert main(["report", str(results), "--out", str(out), "--max-pairs", "3"]) == 0
    assert len(list((out / "pairs").iterdir())) == 3
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "--max-pairs" in index and "3 of the" in " ".join(index.split())
    summarized = [p for p in (out / "families").iterdir()
                  if "summarized only" in p.read_text(encoding="utf-8")]
    assert summarized
    # every pair linking a member to its family's origin got a page first
    families = read_jsonl(results / "families.jsonl")
    pairs = {(p["a"], p["b"]) for p in read_jsonl(results / "pairs.jsonl")}
    small = min(families, key=lambda f: len(f["members"]))
    if len(small["members"]) - 1 <= 3 and small["origin"]:
        for m in small["members"]:
            key = tuple(sorted((m, small["origin"])))
            if m != small["origin"] and key in pairs:
                assert (out / pair_file(*key)).is_file()


def test_errors_are_one_line_with_status_2(results: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "missing")]) == 2
    _one_line_error(capsys.readouterr().err, "not found")

    run = json.loads((results / "run.json").read_text(encoding="utf-8"))
    run["inputs"] = run["inputs_resolved"] = [str(tmp_path / "gone.jsonl")]
    (results / "run.json").write_text(json.dumps(run), encoding="utf-8")
    assert main(["report", str(results)]) == 2
    _one_line_error(capsys.readouterr().err, "gone.jsonl", "--corpus")

    assert main(["report", str(results), "--corpus", str(tmp_path / "nope.jsonl")]) == 2
    _one_line_error(capsys.readouterr().err, "nope.jsonl")

    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "x", "text": "nothing shared here"}) + "\n", encoding="utf-8")
    assert main(["report", str(results), "--corpus", str(other)]) == 2
    _one_line_error(capsys.readouterr().err, "--corpus")

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["report", str(results), "--corpus", str(DEMO), "--out", str(busy)]) == 2
    _one_line_error(capsys.readouterr().err, "notes.txt")
    assert (busy / "notes.txt").is_file()

    assert main(["report", str(results), "--corpus", str(DEMO), "--max-pairs", "-1"]) == 2
    _one_line_error(capsys.readouterr().err, "--max-pairs")

    assert main(["report", str(results / "pairs.jsonl")]) == 2
    _one_line_error(capsys.readouterr().err)


def test_scan_report_and_rerun(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results"
    args = ["scan", str(DEMO), "--out", str(out), "--workers", "1", "--quiet", "--report"]
    assert main(args) == 0
    assert "report in" in capsys.readouterr().out
    first = sorted(p.name for p in (out / "report" / "pairs").iterdir())
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["files"]["report"] == "report/index.html"
    assert first and (out / "report" / "index.html").is_file()
    assert main(args) == 0  # a rerun into the same folder replaces the whole set
    assert sorted(p.name for p in (out / "report" / "pairs").iterdir()) == first
    assert main(args[:-1]) == 0  # and one without --report leaves no report behind
    assert not (out / "report").exists()
    assert main(args) == 0
    page = parse(out / "report" / "index.html")
    assert any(t == "a" for t, _ in page.tags)


def test_scan_report_refuses_what_it_cannot_do(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results"
    assert main(["scan", "-", "--out", str(out), "--report", "--quiet"]) == 2
    _one_line_error(capsys.readouterr().err, "standard input")
    assert not out.exists()
    out.mkdir()
    (out / "report").mkdir()
    (out / "report" / "mine.txt").write_text("x", encoding="utf-8")
    assert main(["scan", str(DEMO), "--out", str(out), "--report", "--quiet",
                 "--workers", "1"]) == 2
    _one_line_error(capsys.readouterr().err, "report/mine.txt")
    assert (out / "report" / "mine.txt").is_file()
    assert main(["scan", str(DEMO), "--out", str(tmp_path / "new"), "--quiet", "--workers", "1",
                 "--report", "--max-pairs", "-2"]) == 2
    _one_line_error(capsys.readouterr().err, "--max-pairs")
