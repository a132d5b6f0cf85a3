"""store: an index survives ``kill -9`` during ``index add`` (it opens cleanly, holds no
half-added article, and the same add run again completes it), and queries keep answering
while another process adds (WAL)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from index_corpus import copy_index, index_corpus

import copydesk
from copydesk import Article, Index, ScanConfig
from copydesk.store.spills import PREFIX, index_tag, sweep_stale

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def _write(arts: list[Article], path: Path) -> Path:
    path.write_text("".join(json.dumps({"id": a.id, "text": a.text, "title": a.title, "date": a.date,
                                        "source": a.source}) + "\n" for a in arts))
    return path


def _add_process(index: Path, batch: Path, tmp: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "copydesk", "index", "add", str(index), str(batch),
                             "-q", "--workers", "2", "--tmp", str(tmp)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV,
                            start_new_session=True)


def _lines(out: Path) -> dict[str, list[str]]:
    return {f: sorted((out / f).read_text().splitlines())
            for f in ("pairs.jsonl", "families.jsonl", "boilerplate.jsonl")}


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A seeded index (first half of a corpus), the second half as a file, and what a scan
    of the whole corpus writes."""
    work = tmp_path_factory.mktemp("kill")
    arts = index_corpus(seed=5, stories=30, singles=60)
    first, second = arts[::2], arts[1::2]
    seeded = work / "seeded.db"
    Index(seeded, workers=2).add(first)
    copydesk.scan(arts, out=work / "scan", config=ScanConfig(workers=2))
    batch = _write(second, work / "second.jsonl")
    # how long an add of the second half takes, uninterrupted
    probe = copy_index(seeded, work / "probe.db")
    t = time.perf_counter()
    proc = _add_process(probe, batch, work)
    assert proc.wait(120) == 0, proc.stderr.read().decode() if proc.stderr else ""
    return {"work": work, "seeded": seeded, "batch": batch, "n_first": len(first), "n_all": len(arts),
            "scan": _lines(work / "scan"), "duration": time.perf_counter() - t}


@pytest.mark.parametrize("moment", [0.05, 0.3, 0.55, 0.75, 0.9])
def test_kill_9_during_add_leaves_all_or_nothing(setup: dict, moment: float, tmp_path: Path) -> None:
    index = copy_index(setup["seeded"], tmp_path / "index.db")
    proc = _add_process(index, setup["batch"], tmp_path)
    time.sleep(moment * setup["duration"])
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(60)
    db = sqlite3.connect(index)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert n in (setup["n_first"], setup["n_all"])  # never a part of the batch
    # the books agree with the articles: every article's rows are there, no stray ones
    books = db.execute("SELECT COALESCE(SUM(count), 0) FROM batches").fetchone()[0]
    assert books == n
    members = db.execute("SELECT COUNT(*) FROM family_members m LEFT JOIN articles a ON a.id = m.id "
                         "WHERE a.id IS NULL").fetchone()[0]
    assert members == 0
    db.close()
    c = Index(index, workers=2).add([setup["batch"]], workdir=tmp_path)
    assert c["added"] + c["unchanged"] == setup["n_all"] - setup["n_first"]
    # the killed add's spill folder is gone with it: the next add swept it
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("copydesk-")]
    assert c["articles"] == setup["n_all"]
    Index(index).export(tmp_path / "out")
    assert _lines(tmp_path / "out") == setup["scan"]


def test_kill_9_during_the_first_add(setup: dict, tmp_path: Path) -> None:
    """Killed while creating the index: no file, or an index that opens and completes."""
    index = tmp_path / "new.db"
    proc = _add_process(index, setup["batch"], tmp_path)
    time.sleep(0.3 * setup["duration"])
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(60)
    if index.exists():
        assert Index(index).stats()["articles"] in (0, setup["n_all"] - setup["n_first"])
    c = Index(index, workers=2).add([setup["batch"]], workdir=tmp_path)
    assert c["articles"] == setup["n_all"] - setup["n_first"]


def test_queries_keep_answering_while_another_process_adds(setup: dict, tmp_path: Path) -> None:
    index = copy_index(setup["seeded"], tmp_path / "index.db")
    arts = index_corpus(seed=5, stories=30, singles=60)
    # indexed texts under new ids: each finds at least its indexed twin, before and after
    probes = [Article("probe-" + a.id, a.text, a.title, a.date, a.source) for a in arts[::2][:12:2]]
    errors: list[BaseException] = []
    answered = [0]
    sizes: set[int] = set()
    stop = threading.Event()

    def reader() -> None:
        ix = Index(index)
        try:
            while not stop.is_set():
                for a in probes:
                    assert ix.query(a, top=3)
                    page, total = ix.families(limit=5)
                    assert page and total >= len(page)
                    sizes.add(ix.stats()["articles"])
                    answered[0] += 1
        except BaseException as e:  # noqa: BLE001 - any failure counts
            errors.append(e)
        finally:
            ix.close()

    threads = [threading.Thread(target=reader) for _ in range(3)]
    proc = _add_process(index, setup["batch"], tmp_path)
    for t in threads:
        t.start()
    rc = proc.wait(180)
    time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join(60)
    assert rc == 0, proc.stderr.read().decode() if proc.stderr else ""
    assert not errors, repr(errors[0])
    assert answered[0] >= 6
    assert sizes <= {setup["n_first"], setup["n_all"]}  # each read saw a whole state
    assert Index(index).stats()["articles"] == setup["n_all"]


def test_sweep_takes_only_dead_adds_of_this_index(tmp_path: Path) -> None:
    """A spill folder goes when its add's process is gone, not while it lives, and never
    one of another index's adds."""
    index, other = tmp_path / "a.db", tmp_path / "b.db"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        names = {"dead": f"{PREFIX}{index_tag(index)}-{dead.pid}-x1",
                 "live": f"{PREFIX}{index_tag(index)}-{live.pid}-x2",
                 "mine": f"{PREFIX}{index_tag(index)}-{os.getpid()}-x3",
                 "other": f"{PREFIX}{index_tag(other)}-{dead.pid}-x4"}
        for n in names.values():
            (tmp_path / n).mkdir()
            (tmp_path / n / "rows.col").write_bytes(b"x")
        removed = sweep_stale(tmp_path, index)
        assert [p.name for p in removed] == [names["dead"]]
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(PREFIX)) == \
            sorted(names[k] for k in ("live", "mine", "other"))
    finally:
        live.kill()
        live.wait()
