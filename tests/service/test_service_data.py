"""The store seam: ResultsStore over a results folder, and open_store's choices."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from copydesk.errors import InputError
from copydesk.records import RELATIONS, Article, Family
from copydesk.service import READ_ONLY, ResultsStore, ReuseStore, open_store


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_is_a_reuse_store(demo_store: ResultsStore) -> None:
    assert isinstance(demo_store, ReuseStore)


def test_reads_match_the_results_folder(demo_store: ResultsStore, demo_folder: Path) -> None:
    pairs = _rows(demo_folder / "pairs.jsonl")
    fams = _rows(demo_folder / "families.jsonl")
    p = pairs[0]
    assert demo_store.pair(p["a"], p["b"]) == demo_store.pair(p["b"], p["a"])
    got = demo_store.pair(p["b"], p["a"])
    assert got is not None and (got.a, got.b, got.relation) == (p["a"], p["b"], p["relation"])
    assert [q.kind for q in got.passages] == [q["kind"] for q in p["passages"]]
    assert demo_store.pair(p["a"], "no such id") is None
    mine = {(q.a, q.b) for q in demo_store.pairs_of(p["a"])}
    assert mine == {(q["a"], q["b"]) for q in pairs if p["a"] in (q["a"], q["b"])}
    f = fams[0]
    fam = demo_store.family(f["family"])
    assert fam is not None and list(fam.members) == f["members"]
    assert demo_store.family_of(f["members"][-1]) == fam
    assert demo_store.family("nope") is None and demo_store.article("nope") is None
    art = demo_store.article(p["a"])
    assert art is not None and art.text
    stats = demo_store.stats()
    assert stats["pairs"] == len(pairs) and stats["families"] == len(fams)
    assert stats["read_only"] is True and sum(stats["pairs_by_relation"].values()) == len(pairs)


def test_families_pages_filters_and_order(demo_store: ResultsStore) -> None:
    everything, total = demo_store.families(limit=1000)
    assert total == len(everything) == demo_store.stats()["families"]
    keys = [(-len(f.members), f.family) for f in everything]
    assert keys == sorted(keys)
    page, total2 = demo_store.families(offset=1, limit=2)
    assert total2 == total and page == everything[1:3]
    big, n = demo_store.families(min_size=4)
    assert n == len(big) and all(len(f.members) >= 4 for f in big)
    outlet = demo_store.outlets()[0]
    by_outlet, _ = demo_store.families(outlet=outlet, limit=1000)
    assert by_outlet and all(any(demo_store.article(m).source == outlet for m in f.members)
                             for f in by_outlet)
    for rel in RELATIONS:
        got, _ = demo_store.families(relation=rel, limit=1000)
        for f in got:
            assert any(p.relation == rel for m in f.members for p in demo_store.pairs_of(m))
    assert demo_store.families(date_from="2999-01-01") == ([], 0)
    dated, n = demo_store.families(date_from="2000-01-01", date_to="2999-12-31", limit=1000)
    assert n == len(dated) > 0
    with pytest.raises(ValueError):
        demo_store.families(date_from="not a date")


def test_query_finds_the_stored_copy_without_changing_the_store(demo_store: ResultsStore,
                                                               demo_folder: Path) -> None:
    p = _rows(demo_folder / "pairs.jsonl")[0]
    stored = demo_store.article(p["a"])
    before = demo_store.stats()
    # a stored id is renamed: the pasted text is never mistaken for the stored article
    hits = demo_store.query(Article(p["a"], stored.text, "a pasted copy"), top=3)
    assert hits and len(hits) <= 3
    pasted = f"{p['a']} (2)"
    assert all(pasted in (h.a, h.b) for h in hits)
    best = hits[0]
    assert stored.id in (best.a, best.b) and best.relation == "duplicate"
    assert demo_store.stats() == before and demo_store.article(pasted) is None
    assert demo_store.query(Article("q", "nothing like any stored story at all"), top=5) == []


def test_add_is_refused(demo_store: ResultsStore) -> None:
    with pytest.raises(PermissionError, match="serve an index to add"):
        demo_store.add([Article("x", "y")])
    assert "index" in READ_ONLY


def test_open_store_chooses_by_kind(demo_folder: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(open_store(demo_folder), ResultsStore)
    with pytest.raises(InputError, match="not found"):
        open_store(tmp_path / "missing")
    with pytest.raises(InputError, match="not a copydesk results folder"):
        open_store(tmp_path)
    index = tmp_path / "reuse.sqlite"
    index.write_bytes(b"")
    monkeypatch.setitem(sys.modules, "copydesk.store", None)  # not written yet
    with pytest.raises(InputError, match="no persistent index"):
        open_store(index)
    opened: list[Path] = []

    class Index:
        def __init__(self, path: Path) -> None:
            opened.append(Path(path))

    monkeypatch.setitem(sys.modules, "copydesk.store", types.SimpleNamespace(Index=Index))
    assert isinstance(open_store(index), Index) and opened == [index]


def test_results_folder_with_other_articles_is_refused(demo_folder: Path) -> None:
    with pytest.raises(InputError, match="not in the articles given"):
        ResultsStore(demo_folder, [Article("other", "text")])


def test_family_records_are_the_records(demo_store: ResultsStore) -> None:
    fams, _ = demo_store.families(limit=1)
    assert isinstance(fams[0], Family)
