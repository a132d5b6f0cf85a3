"""store: an index built from ../shared/data/dev and dev-web in five shuffled batches
exports exactly what ``copydesk scan`` of the whole corpus writes (pairs, families,
boilerplate: byte-identical lines, sorted), and the same counts in run.json (templates set
aside, candidates, big buckets, fingerprint and pair rows, furniture lines) — with every add
after the first revising the last candidate join (:mod:`copydesk.store.delta`), and with the
index choosing between revising and joining in full.

Both corpora are stored in id order, and the index numbers its articles in id order
whatever the order they came in; a scan is compared on the file as it is.  (A scan of the
same articles in another order can differ on dev-web: the furniture rule's link lines take
"the first article" of a repeated headline by input position.)
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

import copydesk
from copydesk import Index, ScanConfig
from copydesk.read import RejectLog, read_corpus
from copydesk.store import delta

FILES = ("pairs.jsonl", "families.jsonl", "boilerplate.jsonl")


def _meta(index: Path, key: str) -> str:
    db = sqlite3.connect(index)
    try:
        return db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]
    finally:
        db.close()


def _lines(out: Path) -> dict[str, list[bytes]]:
    return {f: sorted((out / f).read_bytes().splitlines()) for f in FILES}


@pytest.mark.parametrize("join", ["revised", "default"])
@pytest.mark.parametrize("name", ["dev", "dev-web"])
def test_five_shuffled_batches_export_what_scan_writes(shared_dir: Path, name: str, join: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """``revised``: every add after the first revises the last candidates (however many
    pairs that touches); ``default``: the full join when too many are touched."""
    if join == "revised":
        monkeypatch.setattr(delta, "MAX_REVISED_SHARE", 2.0)
    corpus = shared_dir / "data" / name / "corpus.jsonl"
    arts = list(read_corpus([corpus], rejects=RejectLog()))
    copydesk.scan([corpus], out=tmp_path / "scan", config=ScanConfig(workers=2))
    random.Random(len(arts)).shuffle(arts)
    ix = Index(tmp_path / "index.db", workers=2)
    cut = [len(arts) * k // 5 for k in range(6)]
    for k in range(5):
        c = ix.add(arts[cut[k]:cut[k + 1]])
        assert c["added"] == cut[k + 1] - cut[k] and c["rejected"] == 0
        if join == "revised" and k:
            assert ix.stats()["adds"] == k + 1
            assert json.loads(_meta(tmp_path / "index.db", "stats"))["join"] == "revised"
    ix.export(tmp_path / "index")
    want, got = _lines(tmp_path / "scan"), _lines(tmp_path / "index")
    for f in FILES:
        assert want[f], f"{f} of the scan is empty: nothing compared"
        assert got[f] == want[f], f"{f}: {len(set(want[f]) ^ set(got[f]))} lines differ"
        # and in the scan's order (pairs by ids, families by id, furniture as recorded)
        assert (tmp_path / "index" / f).read_bytes() == (tmp_path / "scan" / f).read_bytes(), f
    st = ix.stats()
    assert st["articles"] == len(arts) and st["pairs"] == len(want["pairs.jsonl"])
    # the books of the run too: templates set aside are counted as the scan counts them,
    # verdicts served from the alignment cache included
    run = {k: json.loads((tmp_path / k / "run.json").read_text())["stats"] for k in ("scan", "index")}
    for key in ("template_pairs_set_aside", "candidates", "big_buckets", "fingerprints", "shared_fingerprint_pairs",
                "furniture_lines", "pairs", "families"):
        assert run["index"][key] == run["scan"][key], key
