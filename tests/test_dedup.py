"""dedup: which article a family keeps, the map from every article to it, and the files."""

from __future__ import annotations

import errno
import importlib
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

import copydesk
from copydesk.dedup import DedupMap, choose_kept, dedup, dedup_groups, map_entries, map_path
from copydesk.errors import ConfigError, MissingDependency, OutputError
from copydesk.read import RejectLog, read_corpus
from copydesk.records import Family, Pair, Passage

# the module (``copydesk.dedup`` the attribute is the function, exported by the package)
dedup_mod = importlib.import_module("copydesk.dedup")

_SYL = ["ba", "ker", "lo", "mi", "tan", "sor", "vel", "du", "rin", "pa", "gos", "the", "na",
        "wil", "fer", "cu", "den", "jo", "mar", "sti", "pe", "quo", "zan", "hal"]


def _para(rng: random.Random, n: int = 35) -> str:
    return " ".join("".join(rng.choice(_SYL) for _ in range(rng.randint(1, 3)))
                    for _ in range(n)).capitalize() + "."


def _records() -> list[dict[str, Any]]:
    rng = random.Random(11)
    s1 = [_para(rng) for _ in range(5)]
    s2 = [_para(rng) for _ in range(4)]
    j = "\n\n".join
    return [
        {"id": "web", "text": j(s1), "date": "2021-03-01", "desk": "world", "words": 170},
        {"id": "print", "text": j(s1[:2] + s1[3:4]), "date": "2021-03-02", "words": 100},
        {"id": "reprint", "text": j(s1), "date": "2021-03-03", "desk": 7},
        {"id": "copy", "text": j(s2) + "\n\nShare this article", "tags": ["a", "b"]},
        {"id": "another", "text": j(s2).upper()},
        {"id": "lonely", "text": j(_para(rng) for _ in range(3)), "title": "Alone"},
    ]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    return path


def _cfg() -> copydesk.ScanConfig:
    return copydesk.ScanConfig(workers=1)


def _pair(a: str, b: str, rel: str, ca: float, cb: float) -> Pair:
    return Pair(a, b, rel, None, ca, cb, (Passage(0, 1, 0, 1),))


# -- the rules ------------------------------------------------------------------------------
LENGTHS = {"a": 100, "b": 300, "c": 300, "d": 50}
DATES = {"a": "2024-01-02", "b": "2024-01-03", "c": None, "d": "2024-01-01T08:00:00"}


@pytest.mark.parametrize(("keep", "origin", "expected"), [
    ("origin", "a", "a"),
    ("origin", None, "b"),      # no origin: the longest (tie b/c: smallest id)
    ("longest", None, "b"),
    ("longest", "c", "c"),      # a tie goes to the origin when it is among the tied
    ("earliest", "a", "a"),     # c has no date: nobody is strictly first -> the origin
    ("earliest", None, "b"),    # ... and without an origin, the longest
])
def test_choose_kept(keep: str, origin: str | None, expected: str) -> None:
    fam = Family("f", ("a", "b", "c"), origin)
    kept = choose_kept([fam], LENGTHS, DATES, keep)
    assert {m: k.kept for m, k in kept.items()} == dict.fromkeys("abc", expected)
    assert all(k.family == "f" for k in kept.values())


def test_earliest_compares_dates_and_datetimes() -> None:
    fam = Family("f", ("a", "b", "d"), "a")
    assert choose_kept([fam], LENGTHS, DATES, "earliest")["a"].kept == "d"


def test_unknown_rule() -> None:
    with pytest.raises(ConfigError, match="keep"):
        choose_kept([], {}, {}, "shortest")


def test_groups_split_a_family_by_the_dropped_relations() -> None:
    fam = Family("f", ("a", "b", "c", "d"), "a")
    pairs = [_pair("a", "b", "duplicate", 1, 1), _pair("a", "c", "partial", 0.2, 0.1),
             _pair("c", "d", "contained", 0.3, 0.9), _pair("b", "x", "duplicate", 1, 1)]
    assert dedup_groups([fam], pairs) == [fam]
    groups = dedup_groups([fam], pairs, drop=["duplicate", "contained"])
    assert sorted(g.members for g in groups) == [("a", "b"), ("c", "d")]
    assert {g.members: g.origin for g in groups} == {("a", "b"): "a", ("c", "d"): None}
    assert {g.family for g in groups} == {"f"}


def test_map_says_why() -> None:
    fam = Family("f", ("a", "b", "c", "d"), "b")
    pairs = [_pair("a", "b", "contained", 0.9, 0.4),   # a inside the kept b
             _pair("b", "c", "contained", 0.95, 0.5),  # the kept b inside c
             _pair("b", "x", "duplicate", 1, 1)]       # x is in no family
    kept = choose_kept([fam], LENGTHS, DATES, "origin")
    rows = {e.id: e for e in map_entries(["a", "b", "c", "d", "x"], pairs, kept)}
    assert rows["b"].kept == "b" and rows["b"].relation is None and "origin" in rows["b"].why
    assert (rows["a"].kept, rows["a"].relation, rows["a"].coverage) == ("b", "contained", 0.9)
    assert rows["a"].why.startswith("contained in b (90 %")
    assert rows["c"].why.startswith("contains b (50 %")  # coverage is of the article itself
    assert rows["d"].kept == "b" and rows["d"].relation is None
    assert "through other members" in rows["d"].why
    assert rows["x"].kept == "x" and rows["x"].family is None
    assert set(rows["a"].to_dict()) == {"id", "kept", "family", "relation", "coverage", "why"}
    assert DedupMap(pairs, kept).entry("a") == rows["a"]


# -- the library function -------------------------------------------------------------------
def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_dedup_jsonl(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "deduped.jsonl"
    res = dedup([corpus], out=out, config=_cfg())
    rows = _read(out)
    mapping = _read(map_path(out))
    assert [m["id"] for m in mapping] == [r["id"] for r in _records()]  # every article, in order
    kept = {m["kept"] for m in mapping}
    assert [r["id"] for r in rows] == [r["id"] for r in _records() if r["id"] in kept]
    by_id = {m["id"]: m for m in mapping}
    assert by_id["web"]["kept"] == "web"           # the origin (earliest date)
    assert by_id["print"]["kept"] == "web" and by_id["print"]["relation"] == "contained"
    assert by_id["reprint"]["kept"] == "web" and by_id["reprint"]["relation"] == "duplicate"
    assert by_id["lonely"]["kept"] == "lonely" and by_id["lonely"]["family"] is None
    assert by_id["copy"]["family"] == by_id["another"]["family"] is not None
    assert len({by_id["copy"]["kept"], by_id["another"]["kept"]}) == 1
    assert res.kept == len(rows) == 3 and res.dropped == 3
    # what is written reads back as the same articles, metadata included
    originals = {r["id"]: r for r in _records()}
    for row in rows:
        assert row == originals[row["id"]]


def test_dedup_parquet_reads_back(corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    out = tmp_path / "deduped.parquet"
    dedup([corpus], out=out, keep="longest", config=_cfg())
    back = {a.id: a for a in read_corpus([out], rejects=RejectLog())}
    kept = {m["kept"] for m in _read(map_path(out))}
    assert set(back) == kept
    originals = {r["id"]: r for r in _records()}
    for art_id, art in back.items():
        assert art.text == originals[art_id]["text"]
    assert back["lonely"].title == "Alone"
    web = back.get("web") or back["reprint"]
    assert web.extra["words"] == 170 and isinstance(web.extra["words"], int)


def test_dedup_articles_and_drop(tmp_path: Path) -> None:
    arts = [copydesk.Article(r["id"], r["text"], date=r.get("date")) for r in _records()]
    out = tmp_path / "d.jsonl.gz"
    res = dedup(arts, out=out, config=_cfg(), drop=["duplicate"])
    by_id = {e.id: e for e in res.entries}
    assert by_id["print"].kept == "print"  # contained in web, but only duplicates are dropped
    assert by_id["reprint"].kept == "web"
    assert out.read_bytes()[:2] == b"\x1f\x8b"  # gzip


@pytest.mark.parametrize(("name", "kwargs", "match"), [
    ("out.txt", {}, "name it .jsonl"),
    ("out.jsonl", {"keep": "newest"}, "--keep"),
    ("out.jsonl", {"drop": ["similar"]}, "--drop"),
    ("corpus.jsonl", {}, "one of the inputs"),
])
def test_bad_requests_fail_before_the_scan(corpus: Path, name: str, kwargs: dict[str, Any],
                                           match: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_scan(*a: Any, **k: Any) -> None:
        raise AssertionError("scanned")

    monkeypatch.setattr(dedup_mod, "scan", no_scan)
    before = corpus.read_bytes()
    with pytest.raises(ConfigError, match=match):
        dedup([corpus], out=corpus.parent / name, **kwargs)
    with pytest.raises(ConfigError, match="standard input"):
        dedup(["-"], out=corpus.parent / "x.jsonl")
    assert corpus.read_bytes() == before
    assert sorted(p.name for p in corpus.parent.iterdir()) == ["corpus.jsonl"]


def test_parquet_output_without_pyarrow_fails_first(corpus: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    monkeypatch.setattr(dedup_mod, "scan", lambda *a, **k: pytest.fail("scanned"))
    with pytest.raises(MissingDependency, match=r"copydesk\[parquet\]"):
        dedup([corpus], out=tmp_path / "d.parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.jsonl"]


def test_full_disk_keeps_nothing(corpus: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "d.jsonl"
    out.write_text("an earlier, complete export\n")

    def full(self: Any, article: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(dedup_mod.ArticleWriter, "write", full)
    with pytest.raises(OutputError, match="no space left"):
        dedup([corpus], out=out, config=_cfg())
    assert out.read_text() == "an earlier, complete export\n"
    assert not map_path(out).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.jsonl", "d.jsonl"]
