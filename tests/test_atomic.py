"""atomic: results appear whole or not at all, and replace an earlier set as a whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from copydesk.atomic import (
    check_report_dir,
    check_results_dir,
    check_writable_dir,
    staged_dir,
    staged_files,
)
from copydesk.errors import ConfigError


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_new_folder_appears_only_when_complete(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "results"
    with staged_dir(out) as stage:
        assert stage.parent == out.parent and stage.is_dir()
        (stage / "pairs.jsonl").write_text("x\n")
        assert not out.exists()  # nothing under the final name while writing
    assert (out / "pairs.jsonl").read_text() == "x\n"
    assert _leftovers(out.parent) == []
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~mask  # not mkdtemp's private 0700


def test_rerun_replaces_the_whole_set(tmp_path: Path) -> None:
    out = tmp_path / "results"
    with staged_dir(out) as stage:
        (stage / "pairs.jsonl").write_text("old\n")
        (stage / "pairs.parquet").write_text("old parquet\n")
    with staged_dir(out) as stage:
        (stage / "pairs.jsonl").write_text("new\n")
    assert sorted(p.name for p in out.iterdir()) == ["pairs.jsonl"]  # no stale parquet
    assert (out / "pairs.jsonl").read_text() == "new\n"
    assert _leftovers(tmp_path) == []


def test_failure_leaves_the_earlier_results_and_no_stage(tmp_path: Path) -> None:
    out = tmp_path / "results"
    with staged_dir(out) as stage:
        (stage / "run.json").write_text("{}\n")
    with pytest.raises(OSError), staged_dir(out) as stage:
        (stage / "pairs.jsonl").write_text("half")
        raise OSError(28, "No space left on device")
    assert sorted(p.name for p in out.iterdir()) == ["run.json"]
    assert _leftovers(tmp_path) == []
    with pytest.raises(KeyboardInterrupt), staged_dir(tmp_path / "fresh"):
        raise KeyboardInterrupt
    assert not (tmp_path / "fresh").exists() and _leftovers(tmp_path) == []


def test_results_dir_rules(tmp_path: Path) -> None:
    check_results_dir(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    check_results_dir(tmp_path / "empty")
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "run.json").write_text("{}")
    (earlier / "pairs.jsonl").write_text("")
    check_results_dir(earlier)
    (earlier / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="notes.txt"):
        check_results_dir(earlier)  # the user's own files are never swept away
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="is a file"):
        check_results_dir(tmp_path / "file")


def test_report_folder_in_results_is_checked_too(tmp_path: Path) -> None:
    earlier = tmp_path / "earlier"
    (earlier / "report" / "pairs").mkdir(parents=True)
    (earlier / "report" / "families").mkdir()
    (earlier / "run.json").write_text("{}")
    (earlier / "report" / "index.html").write_text("")
    (earlier / "report" / "pairs" / "a--b-0123.html").write_text("")
    check_results_dir(earlier)
    check_report_dir(earlier / "report")
    (earlier / "report" / "pairs" / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="report/pairs/notes.txt"):
        check_results_dir(earlier)
    with pytest.raises(ConfigError, match="pairs/notes.txt"):
        check_report_dir(earlier / "report")
    with pytest.raises(ConfigError, match="a report did not write"):
        check_report_dir(earlier)  # a results folder is no report folder


def test_unwritable_places_fail_before_any_work(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="cannot"), staged_dir(blocker / "out"):
        pytest.fail("the body must not run")
    with pytest.raises(ConfigError, match="not a folder"):
        check_writable_dir(blocker, "temporary folder (--tmp)")
    check_writable_dir(tmp_path, "temporary folder (--tmp)")
    assert _leftovers(tmp_path) == []


def test_staged_files_replace_or_vanish(tmp_path: Path) -> None:
    a, b = tmp_path / "x.jsonl", tmp_path / "x.jsonl.map.jsonl"
    a.write_text("old\n")
    with staged_files([b, a]) as (tb, ta):
        assert tb.exists() and ta.exists()  # created up front: writability proven
        ta.write_text("new\n")
        tb.write_text("map\n")
    assert a.read_text() == "new\n" and b.read_text() == "map\n"
    with pytest.raises(RuntimeError), staged_files([a]) as (ta,):
        ta.write_text("half")
        raise RuntimeError
    assert a.read_text() == "new\n"
    assert _leftovers(tmp_path) == []
