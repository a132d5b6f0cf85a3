"""pipeline: copydesk.scan end to end on small synthetic corpora and the seeds pair."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import copydesk
from copydesk import Article, ScanConfig
from copydesk.pipeline import ScanResult
from textgen import paragraph, words


def _words(rng: random.Random, n: int) -> list[str]:
    return words(rng, n)


def _paragraph(rng: random.Random, n: int = 35) -> str:
    return paragraph(rng, n, comma_every=8)


def _story(rng: random.Random, n: int) -> list[str]:
    return [_paragraph(rng) for _ in range(n)]


def _edit(rng: random.Random, paras: list[str], n_edits: int) -> list[str]:
    """Respell ``n_edits`` words, far apart, in the first paragraphs."""
    out = paras[:]
    for i in range(n_edits):
        w = out[i % len(out)].split(" ")
        w[5 + 10 * (i // len(out))] = _words(rng, 1)[0] + "x"
        out[i % len(out)] = " ".join(w)
    return out


def synthetic_corpus(seed: int = 11) -> list[Article]:
    rng = random.Random(seed)
    o1, o2, o3, o5 = _story(rng, 5), _story(rng, 6), _story(rng, 5), _story(rng, 5)
    j = "\n\n".join
    return [
        Article("o1", j(o1), title="First story", date="2020-01-01"),
        Article("o1-reprint", "Published: 2020-01-02 10:00\nComments\n\n" + j(o1)
                + "\n\nShare this article\nCopyright 2020 Daily Planet. All rights reserved.",
                date="2020-01-02", source="Planet"),
        Article("o1-copy", j(o1)),
        Article("o2", j(o2), date="2020-02-01"),
        Article("o2-trim", j(o2[:3]), date="2020-02-02"),
        Article("o3", j(o3), date="2020-03-01"),
        Article("o3-edit", j(_edit(rng, o3, 5)), date="2020-03-01T18:00"),
        Article("o5", j(o5), date="2020-05-01"),
        Article("o5-update", j(_story(rng, 3) + o5[1:3]), date="2020-05-03"),
        Article("u1", j(_story(rng, 4))),
        Article("u2", j(_story(rng, 2))),
        Article("u3", _paragraph(rng, 12)),
    ]


EXPECTED = {
    ("o1", "o1-copy"): ("duplicate", None),
    ("o1", "o1-reprint"): ("duplicate", "o1"),
    ("o1-copy", "o1-reprint"): ("duplicate", None),
    ("o2", "o2-trim"): ("contained", "o2"),
    ("o3", "o3-edit"): ("near_duplicate", None),  # bare date vs datetime on one day
    ("o5", "o5-update"): ("partial", "o5"),
}


def _dump(r: ScanResult) -> tuple[list[dict], list[dict]]:
    return [p.to_dict() for p in r.pairs], [f.to_dict() for f in r.families]


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    return synthetic_corpus()


@pytest.fixture(scope="module")
def result(corpus: list[Article]) -> ScanResult:
    return copydesk.scan(corpus, config=ScanConfig(workers=1))


def test_finds_expected_pairs(result: ScanResult) -> None:
    got = {(p.a, p.b): (p.relation, p.origin) for p in result.pairs}
    assert got == EXPECTED
    for p in result.pairs:
        assert p.a < p.b
        assert p.passages


def test_exact_copy_is_a_full_duplicate(result: ScanResult, corpus: list[Article]) -> None:
    (p,) = [p for p in result.pairs if (p.a, p.b) == ("o1", "o1-copy")]
    assert p.coverage_a == p.coverage_b == 1.0
    text = next(a.text for a in corpus if a.id == "o1")
    assert [(x.a_start, x.a_end, x.b_start, x.b_end) for x in p.passages] == [
        (0, len(text), 0, len(text))]


def test_families(result: ScanResult) -> None:
    fams = {f.family: (f.members, f.origin) for f in result.families}
    assert fams == {
        "o1": (("o1", "o1-copy", "o1-reprint"), "o1"),
        "o2": (("o2", "o2-trim"), "o2"),
        "o3": (("o3", "o3-edit"), None),
        "o5": (("o5", "o5-update"), "o5"),
    }


def test_summary_and_stats(result: ScanResult) -> None:
    s = result.summary()
    assert s["articles"] == 12 and s["pairs"] == 6 and s["families"] == 4
    assert s["pairs_by_relation"] == {"duplicate": 3, "contained": 1, "near_duplicate": 1,
                                      "partial": 1}
    assert s["rejected"] == 0
    assert result.stats["candidates"] >= 6
    assert set(result.timings) >= {"prepare", "candidates", "align",
                                   "families", "total"}


def test_result_does_not_depend_on_input_order(corpus: list[Article], result: ScanResult) -> None:
    rng = random.Random(2)
    for _ in range(3):
        shuffled = corpus[:]
        rng.shuffle(shuffled)
        assert _dump(copydesk.scan(shuffled, config=ScanConfig(workers=1))) == _dump(result)


def test_duplicate_id_is_rejected_not_fatal(corpus: list[Article]) -> None:
    r = copydesk.scan([*corpus, Article("o2", "something else entirely, and long enough")],
                      config=ScanConfig(workers=1))
    assert [(x.id, x.reason) for x in r.rejects] == [("o2", "duplicate id")]
    assert {(p.a, p.b) for p in r.pairs} == set(EXPECTED)


def test_workers_give_identical_results() -> None:
    """30 light variants of one story: 435 pairs to align (through a representative, as the
    story's fingerprints are shared by more than ``bucket_cap`` articles), enough for the
    worker pool."""
    rng = random.Random(5)
    base = _story(rng, 3)
    arts = [Article(f"v{i:02d}", "\n\n".join(_edit(rng, base, 1 + i % 3))) for i in range(30)]
    arts += synthetic_corpus(13)
    one = copydesk.scan(arts, config=ScanConfig(workers=1))
    two = copydesk.scan(arts, config=ScanConfig(workers=2))
    assert one.stats["candidates"] + one.stats["candidates_second_round"] > 400
    assert _dump(one) == _dump(two)
    assert len([p for p in one.pairs if p.a.startswith("v")]) == 30 * 29 // 2
    assert any(f.members == tuple(a.id for a in arts[:30]) for f in one.families)


def test_empty_and_single_article_corpus() -> None:
    assert _dump(copydesk.scan([], config=ScanConfig(workers=1))) == ([], [])
    r = copydesk.scan([Article("a", "just one article here")], config=ScanConfig(workers=1))
    assert _dump(r) == ([], [])


def _overlap(s1: int, e1: int, s2: int, e2: int) -> int:
    return max(0, min(e1, e2) - max(s1, s2))


def test_seeds_pair(shared_dir: Path) -> None:
    seeds = shared_dir / "data" / "seeds"
    r = copydesk.scan([seeds / "corpus.jsonl"], config=ScanConfig(workers=1))
    gold = [json.loads(x) for x in (seeds / "gold_pairs.jsonl").read_text().splitlines() if x]
    assert len(r.pairs) == 1 and len(gold) == 1
    (p,), (g,) = r.pairs, gold
    assert (p.a, p.b) == (g["a"], g["b"])
    assert p.relation == "contained" == g["relation"]
    assert p.origin == "afp-web" == g["origin"]
    assert len(p.passages) == 4 == len(g["passages"])
    for mine, theirs in zip(p.passages, g["passages"], strict=True):
        assert _overlap(mine.a_start, mine.a_end, theirs["a_start"], theirs["a_end"]) > 0
        assert _overlap(mine.b_start, mine.b_end, theirs["b_start"], theirs["b_end"]) > 0
    assert [f.to_dict() for f in r.families] == [
        {"family": "afp-web", "members": ["afp-web", "print"], "origin": "afp-web"}]


def test_web_results_do_not_depend_on_input_order(shared_dir: Path) -> None:
    """On dev-web (furniture sampled among many carriers, repeated headlines of linked
    stories, audit examples) a shuffled corpus gives the same pairs, families and
    boilerplate records: every choice among articles goes by a rank made from the ids."""
    rows = [json.loads(x) for x in (shared_dir / "data" / "dev-web" / "corpus.jsonl").read_text().splitlines()]
    arts = [Article(r["id"], r["text"], r.get("title"), r.get("date"), r.get("source"), r.get("url")) for r in rows]

    def dump(r: ScanResult) -> tuple[list[str], list[str], list[str]]:
        return ([json.dumps(p.to_dict(), sort_keys=True) for p in r.pairs],
                sorted(json.dumps(f.to_dict()) for f in r.families),
                sorted(json.dumps(b, sort_keys=True) for b in r.boilerplate))

    first = dump(copydesk.scan(arts))
    random.Random(3).shuffle(arts)
    assert dump(copydesk.scan(arts)) == first
