"""relate_kernel: the lines an alignment leaves over, compiled against its reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.prepare import prepare
from copydesk.records import Article
from copydesk.relate import _only_furniture_lines_left, _only_furniture_lines_left_reference
from copydesk.relate_kernel import leftover_lines, leftover_lines_reference

_tokens = st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(1, 30)), max_size=40)
_spans = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=4)


def _non_overlapping(raw: list[tuple[int, int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    starts, ends, at = [], [], 0
    for gap, size in raw:
        s = min(at + gap, n)
        e = min(s + size, n)
        if e > s:
            starts.append(s)
            ends.append(e)
        at = e
    return np.array(starts, np.int64), np.array(ends, np.int64)


@settings(max_examples=400, deadline=None)
@given(_tokens, _spans, st.integers(10, 60))
def test_leftover_lines_fast_equals_reference(tokens: list[tuple[bool, bool, int]], raw: list[tuple[int, int]],
                                              max_chars: int) -> None:
    boiler = np.array([b for b, _, _ in tokens], np.bool_)
    line = np.cumsum([nl for _, nl, _ in tokens]).astype(np.int32)  # never decreasing
    weight = np.array([w for _, _, w in tokens], np.int32)
    end = np.cumsum(weight + 1).astype(np.int64)
    starts, ends = _non_overlapping(raw, len(tokens))
    v, got = leftover_lines(boiler, line, weight, end, starts, ends, max_chars)
    w, want = leftover_lines_reference(boiler, line, weight, end, starts, ends, max_chars)
    assert v == w and got.tolist() == want.tolist()


_LINES = ["Photo: Jane Smith/Reuters", "The council approved the plan on Tuesday after a long debate.",
          "By Tom Jones", "Read more", "Water prices rose by 7 per cent, the report said",
          "Share this article", "Ministers said the scheme would cost 1,400 jobs."]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_LINES), min_size=1, max_size=8), _spans)
def test_only_furniture_lines_left_fast_equals_reference(lines: list[str], raw: list[tuple[int, int]]) -> None:
    text = "\n".join(lines)
    p = prepare(Article("a", text))
    starts, ends = _non_overlapping(raw, len(p.boiler))
    assert _only_furniture_lines_left(p, starts, ends, text) == \
        _only_furniture_lines_left_reference(p, starts, ends, text)
