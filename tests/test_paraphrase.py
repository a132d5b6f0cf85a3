"""Paraphrase stage: reworded sentences paired in order (copydesk.paraphrase)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import copydesk
from copydesk.config import ParaphraseConfig, ScanConfig
from copydesk.paraphrase import (
    Sentences,
    _all_inside,
    _inside,
    _longest_run,
    _longest_run_reference,
    _outside,
    fill_gaps,
    monotone_pairs,
    monotone_pairs_reference,
    mostly_slots,
    mostly_slots_reference,
    paraphrase_spans,
    sentences,
    sentences_reference,
    similarity,
    similarity_reference,
    stop_keys,
    stop_mask,
)
from copydesk.pipeline import scan_articles
from copydesk.prepare import prepare
from copydesk.records import Article

SOURCE = """Harbour Rail has ordered forty new electric trains from a Swedish manufacturer in a deal worth 310 million euros.

The trains will replace the ageing diesel fleet on the coastal line between Marport and Eldham from the spring of 2027.

Chief executive Joanna Pell said passengers would enjoy quieter carriages, faster journeys and far more seats at peak times.

The order follows two winters of cancellations blamed on breakdowns of the old engines and a shortage of spare parts.

Unions welcomed the investment but warned that maintenance depots would need hundreds of trained engineers before the first delivery.

The regional transport authority will pay a third of the cost, with the rest borrowed against future ticket revenue.

Work on electrifying the remaining stretch of track near Eldham is expected to begin in the autumn.
"""

LIGHT = """A Swedish manufacturer has won a Harbour Rail order for forty electric trains, a deal valued at 310 million euros.

From spring 2027 these new trains are due to take over from ageing diesel units running the Marport to Eldham coastal line.

Passengers can expect quieter carriages, more seats during peak times and faster journeys, chief executive Joanna Pell promised.

Two winters of cancellations, which were blamed on old engines breaking down and spare parts running short, led to the order.

Unions praised this investment, though they warned depots must recruit hundreds of engineers trained in maintenance before any delivery.

A third of the cost is to come from the regional authority for transport, while ticket revenue in future years will secure borrowing for the rest.

Electrifying what remains of the track near Eldham should start this autumn.
"""

INDEPENDENT = """Commuters in Marport gave a cautious welcome on Monday to news that Harbour Rail will buy new electric trains.

At Marport station, several regular travellers said they would believe the promised improvements when they saw them.

One nurse who travels to Eldham every day said her train had been cancelled eleven times since January.

A spokesman for the passenger group Coastline Voice said the line had been neglected for decades and that 2027 was too far away.

Local councillors are pressing for a temporary bus service to cover the worst stretches of the coastal line until then.

Harbour Rail declined to say how many of the existing diesel units would be kept in reserve once the new fleet arrives.
"""


def _template(city: str, high: int, low: int, wind: str, rain: int, day: str) -> str:
    return (f"Forecast for {city} on {day}: a dry start with sunny spells, highs of {high}C and lows of {low}C.\n\n"
            f"Winds will be {wind} and moderate, gusting up to {high + 9} mph on exposed coasts in {city}.\n\n"
            f"There is a {rain}% chance of rain in the afternoon, clearing from the west by {low + 6}pm.\n\n"
            f"Pollen levels in {city} are expected to be high, and UV levels moderate around {high - 3} degrees.\n\n"
            f"Tomorrow looks much the same for {city}, with highs of {high + 1}C and a {rain + 10}% chance of showers.\n")


def _compare(a: str, b: str) -> copydesk.Pair:
    return copydesk.compare(Article("a", a, date="2025-03-01"), Article("b", b, date="2025-03-02"))


def test_reworded_pair_is_found_with_kind_paraphrase() -> None:
    pair = _compare(SOURCE, LIGHT)
    assert pair.relation == "near_duplicate"
    assert pair.origin == "a"
    kinds = [p.kind for p in pair.passages]
    assert kinds.count("paraphrase") >= 3
    for p in pair.passages:  # offsets are whole sentences of the original texts
        assert SOURCE[p.a_start:p.a_end].strip() == SOURCE[p.a_start:p.a_end]
        assert SOURCE[p.a_end - 1] in ".!?" and LIGHT[p.b_end - 1] in ".!?"


def test_without_the_stage_the_reworded_pair_is_not_reuse() -> None:
    cfg = ScanConfig(paraphrase=ParaphraseConfig(enabled=False))
    pair = copydesk.compare(Article("a", SOURCE), Article("b", LIGHT), cfg)
    assert pair.relation == "unrelated"


def test_independent_report_of_the_same_event_is_not_reuse() -> None:
    assert _compare(SOURCE, INDEPENDENT).relation == "unrelated"
    assert _compare(LIGHT, INDEPENDENT).relation == "unrelated"


def test_template_instances_are_not_paired() -> None:
    a = _template("Marport", 14, 6, "westerly", 30, "Tuesday")
    b = _template("Eldham", 17, 9, "easterly", 60, "Friday")
    assert _compare(a, b).relation == "unrelated"
    pa, pb = prepare(Article("a", a)), prepare(Article("b", b))
    assert not len(paraphrase_spans(pa, pb, a, b))


def test_identical_text_is_verbatim() -> None:
    pair = _compare(SOURCE, "Breaking news.\n\n" + SOURCE)
    assert pair.passages and {p.kind for p in pair.passages} == {"verbatim"}


def test_sentences_are_token_ranges_outside_boilerplate() -> None:
    p = prepare(Article("a", SOURCE))
    s = sentences(p, SOURCE)
    assert len(s.first) == 7
    starts = [SOURCE[int(p.tokens.start[f]):int(p.tokens.end[la - 1])] for f, la in zip(s.first, s.last, strict=True)]
    assert starts[0].startswith("Harbour Rail has ordered") and starts[0].endswith("euros.")
    assert np.all(np.diff(s.sent) >= 0)


def test_mr_does_not_end_a_sentence() -> None:
    text = "Mr. Smith of the U.S. Treasury visited the new factory in Leeds today. He praised the workers there warmly."
    p = prepare(Article("a", text))
    assert len(sentences(p, text, min_words=2).first) == 2


def test_similarity_is_dice_of_content_words() -> None:
    a = "Harbour Rail ordered electric trains from Sweden."
    b = "Electric trains from Sweden were ordered by Harbour Rail yesterday."
    pa, pb = prepare(Article("a", a)), prepare(Article("b", b))
    sim, _ = similarity(sentences(pa, a, 2), sentences(pb, b, 2))
    assert sim.shape == (1, 1) and sim[0, 0] == pytest.approx(1.0)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 9), st.integers(0, 9), st.integers(0, 2**32 - 1), st.sampled_from([0.3, 0.5, 0.7]))
def test_monotone_pairs_fast_equals_reference(n: int, m: int, seed: int, threshold: float) -> None:
    rng = np.random.default_rng(seed)
    sim = np.round(rng.random((n, m)), 1)
    fast = monotone_pairs(sim, threshold)
    assert [tuple(x) for x in fast.tolist()] == monotone_pairs_reference(sim, threshold)
    if len(fast):
        assert np.all(np.diff(fast, axis=0) > 0)  # strictly in order on both sides
        assert np.all(sim[fast[:, 0], fast[:, 1]] >= threshold)


def test_scan_finds_the_reworded_pair_and_not_the_independent_one() -> None:
    arts = [Article("src", SOURCE, date="2025-03-01"), Article("light", LIGHT, date="2025-03-02"),
            Article("indep", INDEPENDENT, date="2025-03-02"),
            Article("t1", _template("Marport", 14, 6, "westerly", 30, "Tuesday")),
            Article("t2", _template("Eldham", 17, 9, "easterly", 60, "Friday"))]
    result = scan_articles(arts, ScanConfig(workers=1))
    assert {(p.a, p.b) for p in result.pairs} == {("light", "src")}
    assert any(p.kind == "paraphrase" for p in result.pairs[0].passages)


def test_stop_mask_is_membership_of_the_stopwords() -> None:
    p = prepare(Article("a", SOURCE + INDEPENDENT))
    assert stop_mask(p.tokens.hash).tolist() == np.isin(p.tokens.hash, stop_keys()).tolist()


@pytest.mark.parametrize(("x", "y"), [(SOURCE, LIGHT), (SOURCE, INDEPENDENT), (LIGHT + SOURCE, SOURCE), ("", SOURCE)])
@pytest.mark.parametrize("cap", [1, 2, 6])
def test_similarity_fast_equals_reference(x: str, y: str, cap: int) -> None:
    sx = sentences(prepare(Article("a", x)), x, 2)
    sy = sentences(prepare(Article("b", y)), y, 2)
    fast, ref = similarity(sx, sy, cap), similarity_reference(sx, sy, cap)
    assert np.allclose(fast[0], ref[0]) and fast[1].tolist() == ref[1].tolist()


@pytest.mark.parametrize("text", [SOURCE, LIGHT, INDEPENDENT, "", "One. Two three!\n\nMr. Four five six seven."])
@pytest.mark.parametrize("min_words", [1, 4])
def test_sentences_fast_equals_reference(text: str, min_words: int) -> None:
    p = prepare(Article("a", text))
    fast, ref = sentences(p, text, min_words), sentences_reference(p, text, min_words)
    for name in ("first", "last", "size"):
        assert getattr(fast, name).tolist() == getattr(ref, name).tolist()
    def rows(s):  # type: ignore[no-untyped-def]
        return sorted(zip(s.sent.tolist(), s.keys.tolist(), s.digit.tolist(), strict=True))
    assert rows(fast) == rows(ref)


_WORDS = ["river", "River", "harbour", "the", "The", "said", "42", "3.5bn", "Àrles", "Þór", "×", "×ray", "ßtraße", "émile",
          "Émile", "Ørsted", "@home", "Mr.", "U.S.", "end.", "why?", "yes!", "\"Quote.\"", "one", "two", "river,",
          "\n", "\n\n", "-", "Zed", "zed", "AAA"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=80), st.integers(1, 4))
def test_sentences_fast_equals_reference_on_word_salad(words: list[str], min_words: int) -> None:
    """Repeated words, capitals in and out of the slot range (À-Þ but ×), figures, stopwords,
    sentence ends and line breaks, in any order; one article alone and within a batch."""
    from copydesk.paraphrase import BatchSentences
    from copydesk.prepare_batch import prepare_batch
    text = " ".join(words)
    p = prepare(Article("a", text))
    fast, ref = sentences(p, text, min_words), sentences_reference(p, text, min_words)
    for name in ("first", "last", "size"):
        assert getattr(fast, name).tolist() == getattr(ref, name).tolist()
    assert (sorted(zip(fast.sent.tolist(), fast.keys.tolist(), fast.digit.tolist(), strict=True))
            == sorted(zip(ref.sent.tolist(), ref.keys.tolist(), ref.digit.tolist(), strict=True)))
    table = BatchSentences(prepare_batch([Article("x", SOURCE), Article("a", text)]), min_words)
    got = table.of(1)
    for name in Sentences.__slots__:
        assert getattr(got, name).tolist() == getattr(fast, name).tolist(), name
    # what the pairing reads: the keys in order of key with their sentence << 1 | slot, slots per sentence
    k0, k1, s0, s1 = table._key_first[1], table._key_first[2], table._sent_first[1], table._sent_first[2]
    order = got.by_key
    assert table._sorted_keys[k0:k1].tolist() == got.keys[order].tolist()
    assert table._sorted_rows[k0:k1].tolist() == (got.sent << 1 | got.digit)[order].tolist()
    assert table._slot_count[s0:s1].tolist() == np.bincount(got.sent[got.digit], minlength=len(got.first)).tolist()


def test_a_gap_between_paired_neighbours_is_filled() -> None:
    sim = np.array([[0.9, 0, 0, 0], [0, 0.3, 0, 0], [0, 0, 0.8, 0], [0, 0, 0, 0.1]])
    pairs = monotone_pairs(sim, 0.5)
    assert pairs.tolist() == [[0, 0], [2, 2]]
    assert fill_gaps(pairs, sim, 0.25).tolist() == [[0, 0], [1, 1], [2, 2]]
    assert fill_gaps(pairs, sim, 0.35).tolist() == [[0, 0], [2, 2]]


def test_nothing_to_pair_when_one_side_is_all_exact() -> None:
    pa, pb = prepare(Article("a", SOURCE)), prepare(Article("b", LIGHT))
    full = paraphrase_spans(pa, pb, SOURCE, LIGHT)
    assert len(full) == 7
    exact = np.array([[0, len(pa.tokens.start), 0, len(pb.tokens.start)]])  # everything aligned already
    assert not len(paraphrase_spans(pa, pb, SOURCE, LIGHT, exact=exact))
    some = np.array([full[0]])
    assert paraphrase_spans(pa, pb, SOURCE, LIGHT, exact=some).tolist() == full.tolist()
    assert len(_outside(sentences(pa, SOURCE), some, 0).first) == 6


@pytest.mark.parametrize(("pairs", "run"), [([], 0), ([[0, 0]], 1), ([[0, 0], [2, 2]], 1),
                                            ([[0, 0], [1, 1], [3, 2], [4, 3], [5, 4]], 3)])
def test_longest_run(pairs: list[list[int]], run: int) -> None:
    assert _longest_run(np.array(pairs, np.int64).reshape(-1, 2)) == run


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=12))
def test_longest_run_fast_equals_reference(steps: list[tuple[int, int]]) -> None:
    pairs = np.cumsum(np.array(steps, np.int64).reshape(-1, 2), axis=0)
    assert _longest_run(pairs) == _longest_run_reference(pairs)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8)), max_size=8),
       st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12)), max_size=4), st.sampled_from([0, 2]))
def test_inside_is_within_one_span(sents: list[tuple[int, int]], spans: list[tuple[int, int]], lo: int) -> None:
    first = np.array([f for f, _ in sents], np.int64)
    last = first + np.array([n for _, n in sents], np.int64)
    e = np.zeros(len(sents), np.int64)
    x = Sentences(first, last, e, e.astype(np.uint64), e, e.astype(np.bool_), e)
    sp = np.zeros((len(spans), 4), np.int64)
    sp[:, lo] = [f for f, _ in spans]
    sp[:, lo + 1] = sp[:, lo] + np.array([n for _, n in spans], np.int64)
    want = np.zeros(len(sents), np.bool_)
    for s0, s1 in sp[:, lo:lo + 2].tolist():
        want |= (s0 <= first) & (last <= s1)
    assert _inside(x, sp, lo).tolist() == want.tolist()
    assert _all_inside(x, sp, lo) == bool(want.all())


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 1.0))
def test_mostly_slots_fast_equals_reference(seed: int, share: float) -> None:
    rng = np.random.default_rng(seed)
    x, y = (_template("Marport", 14, 6, "westerly", 30, "Tuesday"),
            _template("Eldham", 17, 9, "easterly", 60, "Friday")) if seed % 2 else (SOURCE, LIGHT)
    sa = sentences(prepare(Article("a", x)), x, 2)
    sb = sentences(prepare(Article("b", y)), y, 2)
    sim, slots = similarity(sa, sb)
    pairs = monotone_pairs(sim, 0.0)
    if rng.random() < 0.5:  # arbitrary pairs and scores too
        n = int(rng.integers(0, min(len(sa.first), len(sb.first)) + 1))
        pairs = np.stack([np.sort(rng.choice(len(sa.first), n, replace=False)),
                          np.sort(rng.choice(len(sb.first), n, replace=False))], axis=1).astype(np.int64)
        sim = np.round(rng.random(sim.shape) * 8) / 8
    assert mostly_slots(sa, sb, pairs, sim, slots, share) == mostly_slots_reference(sa, sb, pairs, sim, slots, share)


_TEXTS = [SOURCE, LIGHT, INDEPENDENT, "", "One. Two three!\n\nMr. Four five six seven.",
          "Caf\u00e9 owners said the 12 new rules \u2014 all of them \u2014 were unfair.\nLONDON (AP) - More.",
          "\U0001F600 Emoji line. Then a sentence with many content words in it.",
          _template("Marport", 14, 6, "westerly", 30, "Tuesday")]


@pytest.mark.parametrize("min_words", [1, 4])
def test_batch_sentences_are_each_articles_sentences(min_words: int) -> None:
    from copydesk.paraphrase import BatchSentences
    from copydesk.prepare_batch import prepare_batch
    for texts in (_TEXTS, _TEXTS[:3], _TEXTS[3:5], _TEXTS[5:]):  # 1-, 2- and 4-byte code points
        batch = prepare_batch([Article(f"a{n}", t) for n, t in enumerate(texts)])
        table = BatchSentences(batch, min_words)
        # split in the batch's pass every other article only: the rest on their own, alike
        some = BatchSentences(batch, min_words, np.arange(len(texts)) % 2 == 0)
        for d, text in enumerate(texts):
            got, want = table.of(d), sentences(batch.prepared(d), text, min_words)
            for name in Sentences.__slots__:
                assert getattr(got, name).tolist() == getattr(want, name).tolist(), name
                assert getattr(some.of(d), name).tolist() == getattr(want, name).tolist(), name
            assert table.of(d) is got


def _pairs_of(texts: list[str]) -> list[tuple[str, str]]:
    return [(x, y) for x in texts for y in texts]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_pairs_of([SOURCE, LIGHT, INDEPENDENT, LIGHT + SOURCE, SOURCE[: len(SOURCE) // 2],
                                  _template("Marport", 14, 6, "westerly", 30, "Tuesday"),
                                  _template("Eldham", 17, 9, "easterly", 60, "Friday"), ""])),
       st.lists(st.tuples(st.integers(0, 120), st.integers(0, 60), st.integers(0, 120), st.integers(0, 60)),
                max_size=3),
       st.booleans(), st.integers(1, 4), st.sampled_from([0.3, 0.5, 0.7]), st.integers(1, 3),
       st.sampled_from([0.0, 0.3, 0.6]), st.sampled_from([0.2, 0.5, 1.0]))
def test_paraphrase_spans_fast_equals_reference(texts: tuple[str, str], raw: list[tuple[int, int, int, int]],
                                                with_exact: bool, min_sentences: int, min_similarity: float,
                                                min_run: int, min_share: float, max_slot_edits: float) -> None:
    from copydesk.paraphrase import paraphrase_spans_reference
    x, y = texts
    pa, pb = prepare(Article("a", x)), prepare(Article("b", y))
    na, nb = len(pa.tokens.start), len(pb.tokens.start)
    exact = (np.array([[min(s, na), min(s + n, na), min(t, nb), min(t + m, nb)] for s, n, t, m in raw],
                      np.int64).reshape(-1, 4) if with_exact else None)
    cfg = ParaphraseConfig(min_words=2, min_sentences=min_sentences, min_similarity=min_similarity,
                           min_run=min_run, min_share=min_share, max_slot_edits=max_slot_edits)
    fast = paraphrase_spans(pa, pb, x, y, cfg, exact=exact)
    ref = paraphrase_spans_reference(pa, pb, x, y, cfg, exact=exact)
    assert fast.dtype == ref.dtype and fast.reshape(-1, 4).tolist() == ref.reshape(-1, 4).tolist()


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 8), st.integers(0, 8), st.integers(0, 2**32 - 1), st.sampled_from([0.25, 0.5, 0.75]))
def test_dice_bounds_the_pairing(nx: int, ny: int, seed: int, threshold: float) -> None:
    from copydesk.paraphrase import _dice
    rng = np.random.default_rng(seed)
    size_x, size_y = rng.integers(1, 9, nx), rng.integers(1, 9, ny)
    inter = rng.integers(0, 9, (nx, ny)) * (rng.random((nx, ny)) < 0.4)
    inter = np.minimum(inter, np.minimum.outer(size_x, size_y))
    slots = rng.integers(0, 3, (nx, ny)) * (inter > 0)
    sim, most = _dice(inter + (slots << 32), size_x, size_y, threshold)
    want = 2.0 * inter / (size_x[:, None] + size_y[None, :])
    assert sim.tobytes() == want.tobytes()  # bit for bit (no -0.0)
    hit = want >= threshold
    assert most == min(int(hit.any(axis=1).sum()), int(hit.any(axis=0).sum()))
    assert len(monotone_pairs(want, threshold)) <= most


_MANY = [SOURCE, LIGHT, INDEPENDENT, LIGHT + SOURCE, SOURCE[: len(SOURCE) // 2], "",
         _template("Marport", 14, 6, "westerly", 30, "Tuesday"),
         _template("Eldham", 17, 9, "easterly", 60, "Friday")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_MANY) - 1), st.integers(0, len(_MANY) - 1),
                          st.lists(st.tuples(st.integers(0, 120), st.integers(0, 60), st.integers(0, 120),
                                             st.integers(0, 60)), max_size=3)), max_size=12),
       st.lists(st.booleans(), min_size=len(_MANY), max_size=len(_MANY)), st.integers(1, 4),
       st.sampled_from([0.3, 0.5, 0.7]), st.integers(1, 3), st.sampled_from([0.0, 0.3, 0.6]),
       st.sampled_from([0.2, 0.5, 1.0]))
def test_paraphrase_many_is_paraphrase_spans_of_each_pair(
        pairs: list[tuple[int, int, list[tuple[int, int, int, int]]]], want: list[bool], min_sentences: int,
        min_similarity: float, min_run: int, min_share: float, max_slot_edits: float) -> None:
    from copydesk.paraphrase import BatchSentences, _within_one
    from copydesk.prepare_batch import prepare_batch
    batch = prepare_batch([Article(f"a{n}", t) for n, t in enumerate(_MANY)])
    ntok = np.diff(batch.tok_first)
    cfg = ParaphraseConfig(min_words=2, min_sentences=min_sentences, min_similarity=min_similarity,
                           min_run=min_run, min_share=min_share, max_slot_edits=max_slot_edits)
    left = np.array([x for x, _, _ in pairs], np.int64)
    right = np.array([y for _, y, _ in pairs], np.int64)
    exact = [np.array([[min(s, ntok[x]), min(s + n, ntok[x]), min(t, ntok[y]), min(t + m, ntok[y])]
                       for s, n, t, m in raw], np.int64).reshape(-1, 4) for x, y, raw in pairs]
    # articles not split in the batch's pass (want False) take the per-pair path
    table = BatchSentences(batch, 2, np.array(want))
    got = table.paraphrase_many(left, right, exact, cfg)
    assert len(got) == len(pairs)
    for (x, y, _), ex, (spans, outside) in zip(pairs, exact, got, strict=True):
        one = paraphrase_spans(batch.prepared(x), batch.prepared(y), _MANY[x], _MANY[y], cfg, exact=ex)
        assert spans.dtype == one.dtype and spans.reshape(-1, 4).tolist() == one.reshape(-1, 4).tolist()
        assert outside == int((~_within_one(one.reshape(-1, 4), ex)).sum())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 3)), max_size=10), st.integers(0, 2**32 - 1),
       st.sampled_from([0.1, 0.25, 0.5]))
def test_fill_gaps_fast_equals_reference(steps: list[tuple[int, int]], seed: int, threshold: float) -> None:
    from copydesk.paraphrase import _fill_gaps
    pairs = np.cumsum(np.array(steps, np.int64).reshape(-1, 2), axis=0)
    sim = np.random.default_rng(seed).random((int(pairs[:, 0].max(initial=0)) + 1, int(pairs[:, 1].max(initial=0)) + 1))
    assert _fill_gaps(pairs, sim, threshold).tolist() == fill_gaps(pairs, sim, threshold).tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 6), st.integers(0, 20), st.integers(0, 6)), max_size=8),
       st.lists(st.tuples(st.integers(0, 20), st.integers(0, 12), st.integers(0, 20), st.integers(0, 12)), max_size=5))
def test_within_one_fast_equals_reference(rows: list[tuple[int, int, int, int]],
                                          exact: list[tuple[int, int, int, int]]) -> None:
    from copydesk.paraphrase import _within_one, _within_one_reference

    def table(raw: list[tuple[int, int, int, int]]) -> np.ndarray:
        return np.array([[s, s + n, t, t + m] for s, n, t, m in raw], np.int64).reshape(-1, 4)
    spans, ex = table(rows), table(exact)
    assert _within_one(spans, ex).tolist() == _within_one_reference(spans, ex).tolist()


_SPAN = st.tuples(st.integers(0, 60), st.integers(1, 25), st.integers(0, 60), st.integers(1, 25))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_SPAN, st.sampled_from(["verbatim", "edited"])), max_size=6), st.lists(_SPAN, max_size=10),
       st.sampled_from([(SOURCE, LIGHT), (LIGHT, SOURCE + LIGHT), (INDEPENDENT, SOURCE)]))
def test_with_paraphrases_fast_equals_reference(exact: list[tuple[tuple[int, int, int, int], str]],
                                                 paired: list[tuple[int, int, int, int]],
                                                 texts: tuple[str, str]) -> None:
    """Exact passages overlapping or not, sentence pairs inside them, across them or apart:
    the same passages, kinds, spans and coverage as the reference, box by box."""
    from copydesk.align import Alignment
    from copydesk.paraphrase import with_paraphrases, with_paraphrases_reference
    from copydesk.records import Passage
    a, b = prepare(Article("a", texts[0])), prepare(Article("b", texts[1]))
    na, nb = len(a.tokens.start), len(b.tokens.start)

    def rows(raw: list[tuple[int, int, int, int]]) -> np.ndarray:
        return np.array([[min(s, na - 1), min(s + n, na), min(t, nb - 1), min(t + m, nb)] for s, n, t, m in raw],
                        np.int64).reshape(-1, 4)
    spans = rows([e for e, _ in exact])
    passages = tuple(Passage(int(a.tokens.start[s0]), int(a.tokens.end[s1 - 1]), int(b.tokens.start[t0]),
                             int(b.tokens.end[t1 - 1]), kind)
                     for (s0, s1, t0, t1), (_, kind) in zip(spans.tolist(), exact, strict=True))
    al = Alignment(spans, passages, 0.25, 0.5)
    sp = rows(paired)
    fast, ref = with_paraphrases(a, b, al, sp), with_paraphrases_reference(a, b, al, sp)
    assert (fast is al) == (ref is al)
    assert fast.spans.dtype == ref.spans.dtype and fast.spans.tolist() == ref.spans.tolist()
    assert fast.passages == ref.passages and [p.kind for p in fast.passages] == [p.kind for p in ref.passages]
    assert (fast.coverage_a, fast.coverage_b) == (ref.coverage_a, ref.coverage_b)


def test_align_pairs_splits_the_articles_the_paraphrase_stage_sees(monkeypatch: pytest.MonkeyPatch) -> None:
    from copydesk import plan
    from copydesk.furniture import CodeSet
    from copydesk.paraphrase import BatchSentences

    texts = [SOURCE, LIGHT, INDEPENDENT, SOURCE + "\nMore to follow.", LIGHT + SOURCE, SOURCE[: len(SOURCE) // 2],
             _template("Marport", 14, 6, "westerly", 30, "Tuesday"), _template("Eldham", 17, 9, "easterly", 60, "Friday")]
    arts = [Article(f"a{n}", t) for n, t in enumerate(texts)]
    docs = np.arange(len(arts), dtype=np.int64)
    codes = np.array([x << 32 | y for x in range(len(arts)) for y in range(x + 1, len(arts))], np.int64)
    cfg = ScanConfig()
    common = CodeSet(np.zeros(0, np.uint64))
    with monkeypatch.context() as m:  # every article split in the batch's pass
        m.setattr(plan, "unsettled_docs", lambda *a: np.ones(len(arts), np.bool_))
        want = plan.align_pairs(arts, docs, codes, common, cfg)

    def alone(self: object, d: int) -> None:
        raise AssertionError(f"article {d} was not split in the batch's pass")

    monkeypatch.setattr(BatchSentences, "_alone", alone)
    got = plan.align_pairs(arts, docs, codes, common, cfg)
    assert got[0] == want[0] and got[1].tolist() == want[1].tolist()
    assert any(p.passages and any(q.kind == "paraphrase" for q in p.passages) for p in got[0])
