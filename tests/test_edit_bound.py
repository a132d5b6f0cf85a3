"""The greedy edit script bounds the word edit distance from above."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from copydesk.edit_bound import distance_bound


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
