"""The greedy edit script bounds the word edit distance from above."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from copydesk.edit_bound import (
    LOOKAHEAD,
    common_affix,
    common_affix_reference,
    distance_bound,
    distance_totals,
    distance_totals_reference,
    edits_upper,
    edits_upper_reference,
    positional_edits,
    positional_edits_reference,
    same_content,
    same_content_reference,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=40), st.lists(st.integers(0, 5), max_size=40),
       st.integers(0, 3), st.integers(0, 3))
def test_bound_is_at_least_the_distance(a: list[int], b: list[int], cut_a: int, cut_b: int) -> None:
    ha, hb = np.array(a, np.uint64), np.array(b, np.uint64)
    s0, t0 = min(cut_a, len(a)), min(cut_b, len(b))
    spans = np.array([[s0, len(a), t0, len(b)], [0, s0, 0, t0]], np.int64)
    got = distance_bound(ha, hb, spans).tolist()
    assert got[0] >= Levenshtein.distance(a[s0:], b[t0:])
    assert got[1] >= Levenshtein.distance(a[:s0], b[:t0])


def test_same_words_cost_nothing_and_one_change_costs_one() -> None:
    a = np.arange(1, 30, dtype=np.uint64)
    b = a.copy()
    b[10] = 99
    spans = np.array([[0, 29, 0, 29]], np.int64)
    assert distance_bound(a, a, spans).tolist() == [0]
    assert distance_bound(a, b, spans).tolist() == [1]
    assert distance_bound(a, np.delete(a, 5), np.array([[0, 29, 0, 28]], np.int64)).tolist() == [1]


_spans_of = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8), st.integers(0, 30), st.integers(0, 8)),
                     max_size=5)


def _spans(raw: list[tuple[int, int, int, int]], na: int, nb: int) -> np.ndarray:
    rows = [[min(s, na), min(s + n, na), min(t, nb), min(t + m, nb)] for s, n, t, m in raw]
    return np.array(rows, np.int64).reshape(-1, 4)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 3), max_size=40), st.lists(st.integers(0, 3), max_size=40), _spans_of)
def test_positional_edits_fast_equals_reference(a: list[int], b: list[int], raw: list[tuple[int, int, int, int]]) -> None:
    ha, hb = np.array(a, np.uint64), np.array(b, np.uint64)
    spans = _spans(raw, len(a), len(b))
    assert positional_edits(ha, hb, spans, 1 << 30) == positional_edits_reference(ha, hb, spans, 1 << 30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 3), max_size=40), st.lists(st.integers(0, 3), max_size=40), _spans_of)
def test_edits_upper_fast_equals_reference(a: list[int], b: list[int], raw: list[tuple[int, int, int, int]]) -> None:
    ha, hb = np.array(a, np.uint64), np.array(b, np.uint64)
    spans = _spans(raw, len(a), len(b))
    assert edits_upper(ha, hb, spans, 1 << 30) == edits_upper_reference(ha, hb, spans, 1 << 30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=40),
       st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=40), _spans_of)
def test_same_content_fast_equals_reference(a: list[tuple[int, bool]], b: list[tuple[int, bool]],
                                            raw: list[tuple[int, int, int, int]]) -> None:
    ha, hb = np.array([h for h, _ in a], np.uint64), np.array([h for h, _ in b], np.uint64)
    ba, bb = np.array([x for _, x in a], np.bool_), np.array([x for _, x in b], np.bool_)
    spans = _spans(raw, len(a), len(b))
    assert same_content(ha, ba, hb, bb, spans).tolist() == same_content_reference(ha, ba, hb, bb, spans).tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 2), max_size=30), st.lists(st.integers(0, 2), max_size=30))
def test_common_affix_fast_equals_reference(a: list[int], b: list[int]) -> None:
    assert tuple(common_affix(np.array(a, np.uint64), np.array(b, np.uint64))) == common_affix_reference(a, b)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 3), max_size=40), st.lists(st.integers(0, 3), max_size=40), _spans_of)
def test_distance_totals_fast_equals_reference(a: list[int], b: list[int], raw: list[tuple[int, int, int, int]]) -> None:
    ha, hb = np.array(a, np.uint64), np.array(b, np.uint64)
    spans = _spans(raw, len(a), len(b))
    fast = distance_totals(ha, hb, spans, LOOKAHEAD)
    assert (int(fast[0]), int(fast[1])) == distance_totals_reference(ha, hb, spans, LOOKAHEAD)
