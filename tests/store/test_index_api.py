"""store: copydesk.Index — adds (incremental, idempotent, --replace), export equal to a
scan, query, read methods, stats, and refusing files that are not indexes."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
from pathlib import Path

import pytest
from index_corpus import copy_index, index_corpus

import copydesk
from copydesk import Article, Index, ScanConfig
from copydesk.errors import NotAnIndex
from copydesk.store.schema import FORMAT_VERSION


def _scan_files(arts: list[Article], out: Path) -> dict[str, list[str]]:
    copydesk.scan(arts, out=out, config=ScanConfig(workers=1))
    return _files(out)


def _files(out: Path) -> dict[str, list[str]]:
    return {f: sorted((out / f).read_text().splitlines())
            for f in ("pairs.jsonl", "families.jsonl", "boilerplate.jsonl")}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    return index_corpus()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, corpus: list[Article]) -> Path:
    """The corpus added in three shuffled batches."""
    path = tmp_path_factory.mktemp("ix") / "index.db"
    arts = corpus[:]
    random.Random(7).shuffle(arts)
    ix = Index(path, workers=1)
    for k in range(3):
        ix.add(arts[k::3])
    ix.close()
    return path


def test_export_equals_scan_of_the_whole_corpus(built: Path, corpus: list[Article], tmp_path: Path) -> None:
    want = _scan_files(corpus, tmp_path / "scan")
    Index(built).export(tmp_path / "idx")
    got = _files(tmp_path / "idx")
    assert want["pairs.jsonl"] and want["families.jsonl"] and want["boilerplate.jsonl"]
    assert got == want
    run = json.loads((tmp_path / "idx" / "run.json").read_text())
    assert run["counts"]["articles"] == len(corpus) and run["index_format_version"] == FORMAT_VERSION


def test_adding_the_same_articles_again_changes_nothing(built: Path, corpus: list[Article],
                                                         tmp_path: Path) -> None:
    path = copy_index(built, tmp_path / "again.db")
    before = _digest(path)
    c = Index(path, workers=1).add(corpus[:20])
    assert (c["added"], c["unchanged"], c["replaced"], c["rejected"]) == (0, 20, 0, 0)
    assert _digest(path) == before


def test_changed_text_is_a_reject_unless_replace(built: Path, corpus: list[Article], tmp_path: Path) -> None:
    path = copy_index(built, tmp_path / "changed.db")
    ix = Index(path, workers=1)
    old = next(a for a in corpus if a.id == "s03")
    trimmed = Article(old.id, old.text.split("\n\n")[0] + "\n\nA new closing line of text.", old.title,
                      old.date, old.source)
    c = ix.add([trimmed])
    assert (c["added"], c["rejected"]) == (0, 1)
    assert "--replace" in c["rejects"][0]["reason"] and c["rejects"][0]["id"] == "s03"
    assert ix.article("s03") == old
    c = ix.add([trimmed], replace=True)
    assert (c["added"], c["replaced"], c["articles"]) == (0, 1, len(corpus))
    assert ix.article("s03") == trimmed
    # the index now answers as a scan of the corpus with the new version does
    ix.export(tmp_path / "idx")
    want = _scan_files([trimmed if a.id == "s03" else a for a in corpus], tmp_path / "scan")
    assert _files(tmp_path / "idx") == want
    assert ix.pair("s03", "s03-copy") != Index(built).pair("s03", "s03-copy")


def test_query_finds_relatives_and_leaves_the_index_unchanged(built: Path, corpus: list[Article],
                                                               tmp_path: Path) -> None:
    path = copy_index(built, tmp_path / "q.db")
    before = _digest(path)
    ix = Index(path)
    story = next(a for a in corpus if a.id == "s05")
    probe = Article("probe", "An opening line of our own.\n\n" + story.text.split("\n\n", 1)[1])
    pairs = ix.query(probe, top=5)
    found = {p.b if p.a == "probe" else p.a for p in pairs}
    assert {"s05", "s05-copy"} <= found
    assert all("probe" in (p.a, p.b) for p in pairs)
    assert len(ix.query(probe, top=1)) == 1
    unrelated = Article("lonely", " ".join(f"word{i} other{i * 7}" for i in range(200)))
    assert ix.query(unrelated) == []
    ix.close()
    assert _digest(path) == before


def test_read_methods(built: Path, corpus: list[Article]) -> None:
    ix = Index(built)
    assert ix.article("nope") is None and ix.article("s01") == next(a for a in corpus if a.id == "s01")
    p = ix.pair("s01-copy", "s01")
    assert p is not None and p == ix.pair("s01", "s01-copy") and p.relation == "duplicate"
    assert p in ix.pairs_of("s01") and p in ix.pairs_of("s01-copy")
    fam = ix.family_of("s01-trim")
    assert fam is not None and set(fam.members) == {"s01", "s01-copy", "s01-trim"}
    assert ix.family(fam.family) == fam and ix.family_of("u00") is None
    page, total = ix.families(limit=3)
    assert total == 12 and len(page) == 3 and len(page[0].members) == 3
    sizes = [len(f.members) for f in ix.families(limit=50)[0]]
    assert sizes == sorted(sizes, reverse=True)
    assert ix.families(min_size=3)[1] == 6
    assert ix.families(outlet="Wire")[1] == 6
    assert ix.families(relation="contained")[1] == 6
    assert ix.families(date_from="2021-01-10")[1] == 3  # first published: s09 Jan 10 .. s11
    assert ix.families(date_from="2021-01-10T12:00", date_to="2021-01-11")[1] == 2
    with pytest.raises(ValueError):
        ix.families(date_from="not a date")
    assert ix.families(date_to="2021-01-01")[1] == 1
    assert ix.families(offset=10, limit=5)[0] == ix.families(limit=50)[0][10:]
    assert ix.outlets() == ["Courier", "Gazette", "Herald", "Wire"]


def test_stats(built: Path, corpus: list[Article]) -> None:
    st = Index(built).stats()
    assert st["articles"] == len(corpus) and st["families"] == 12
    assert st["pairs"] == sum(st["pairs_by_relation"].values()) > 0
    assert st["sources"] == 4 and st["date_first"] == "2021-01-01" and st["date_last"] == "2021-02-16"
    assert st["adds"] == 3 and st["size_bytes"] > 0 and st["format_version"] == FORMAT_VERSION


def test_bad_input_gives_the_rejects_of_scan(tmp_path: Path, corpus: list[Article]) -> None:
    f = tmp_path / "in.jsonl"
    rows = [json.dumps({"id": a.id, "text": a.text}) for a in corpus[:6]]
    rows[2:2] = ['{"id": "x"}', "not json", json.dumps({"id": corpus[0].id, "text": "again"}), '{"text": "t"}']
    f.write_text("\n".join(rows) + "\n")
    scan = copydesk.scan([f], config=ScanConfig(workers=1))
    c = Index(tmp_path / "i.db", workers=1).add([f])
    assert len(scan.rejects) == 4
    assert c["rejects"] == [r.to_dict() for r in scan.rejects]
    Index(tmp_path / "i.db").export(tmp_path / "out")
    lines = (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()
    assert len(lines) == 4 and json.loads(lines[1])["reason"].startswith("malformed JSON")


@pytest.mark.parametrize("kind", ["text", "empty", "sqlite", "version", "folder", "missing"])
def test_refuses_what_is_not_an_index(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.db"
    if kind == "text":
        path.write_text("hello\n")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "sqlite":
        sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    elif kind == "version":
        Index(path, workers=1).add([Article("a", "one two three four five six seven")])
        db = sqlite3.connect(path)
        db.execute("UPDATE meta SET value = ? WHERE key = 'format_version'", (FORMAT_VERSION + 1,))
        db.commit()
        db.close()
    elif kind == "folder":
        path.mkdir()
    with pytest.raises(NotAnIndex) as err:
        Index(path).stats()
    msg = str(err.value)
    assert "\n" not in msg and str(path) in msg
    if kind == "version":
        assert f"format version {FORMAT_VERSION + 1}" in msg
    if kind in ("text", "sqlite", "empty"):
        assert "not a copydesk index" in msg


def test_a_second_writer_is_told_the_index_is_busy(built: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from copydesk.errors import IndexBusy
    from copydesk.store import schema

    path = copy_index(built, tmp_path / "busy.db")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another add, mid-way
    monkeypatch.setattr(schema, "BUSY_TIMEOUT", 0.2)
    ix = Index(path, workers=1)
    with pytest.raises(IndexBusy, match="busy"):
        ix.add([Article("late", "one two three four five six seven eight nine ten")])
    assert ix.article("late") is None and ix.stats()["articles"] > 0  # readers go on
    holder.execute("ROLLBACK")
    holder.close()
    assert ix.add([Article("late", "one two three four five six seven eight nine ten")])["added"] == 1


def test_an_index_of_format_version_1_is_read_but_not_added_to(built: Path, corpus: list[Article],
                                                               tmp_path: Path) -> None:
    """Version 1 kept the postings keyed by hash alone, and versions 1 and 2 line rows
    without the figures the furniture rule reads: such an index answers queries as it is,
    and an add, which would mix rows of both kinds, is refused in one line."""
    path = copy_index(built, tmp_path / "v1.db")
    probe = corpus[0]
    expected = [(p.a, p.b, p.relation) for p in Index(path, workers=1).query(probe)]
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE postings_v1 (h INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (h, n)) WITHOUT ROWID;
        INSERT INTO postings_v1 SELECT h, n FROM postings;
        DROP TABLE postings;
        ALTER TABLE postings_v1 RENAME TO postings;
        UPDATE meta SET value = 1 WHERE key = 'format_version';""")
    db.commit()
    db.close()
    ix = Index(path, workers=1)
    assert ix.stats()["format_version"] == 1
    assert [(p.a, p.b, p.relation) for p in ix.query(probe)] == expected
    ix.close()
    with pytest.raises(NotAnIndex) as err:
        ix.add([Article("late", probe.text, probe.title, "2030-01-01", "Late")])
    msg = str(err.value)
    assert "\n" not in msg and "format version 1" in msg and "rebuild" in msg
    assert ix.stats()["format_version"] == 1 and ix.article("late") is None


def test_the_furniture_a_query_uses_is_kept_until_another_connection_commits(built: Path, corpus: list[Article],
                                                                              tmp_path: Path) -> None:
    path = copy_index(built, tmp_path / "kept.db")
    ix = Index(path, workers=1)
    probe = corpus[0]
    first = ix.query(probe)
    kept = ix._local.furniture
    assert ix.query(probe) == first and ix._local.furniture is kept  # read once, not per query
    Index(path, workers=1).add([Article("late", probe.text, probe.title, "2030-01-01", "Late")])
    assert "late" in {x for p in ix.query(probe) for x in (p.a, p.b)}
    assert ix._local.furniture is not kept  # the add committed: read again
