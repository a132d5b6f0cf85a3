"""``scan --semantic`` from the command line, with and without the extra."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from semantic_texts import OTHER, REWRITE, SOURCE

from copydesk.cli import main


def _corpus(tmp_path: Path) -> Path:
    path = tmp_path / "c.jsonl"
    rows = [{"id": "src", "text": SOURCE, "source": "Daily A"}, {"id": "rew", "text": REWRITE, "source": "Daily B"},
            {"id": "oth", "text": OTHER, "source": "Daily C"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_scan_semantic_finds_the_rewrite(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["scan", str(_corpus(tmp_path)), "--out", str(out), "--quiet", "--semantic", "--workers", "1"]) == 0
    pairs = [json.loads(x) for x in (out / "pairs.jsonl").read_text().splitlines()]
    assert [(p["a"], p["b"]) for p in pairs] == [("rew", "src")]
    assert any(q["kind"] == "paraphrase" for q in pairs[0]["passages"])
    run = json.loads((out / "run.json").read_text())
    assert run["config"]["semantic"]["enabled"] is True and "semantic_candidates" in run["stats"]


@pytest.mark.usefixtures("_semantic_extra")
def test_without_the_extra_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "usearch", None)  # import usearch -> ImportError
    monkeypatch.setattr("copydesk.api.scan_batches", lambda *a, **k: pytest.fail("the scan started"))
    assert main(["scan", str(_corpus(tmp_path)), "--out", str(tmp_path / "out"), "--quiet", "--semantic"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'copydesk[semantic]'" in err[0], err
    assert not (tmp_path / "out").exists()
