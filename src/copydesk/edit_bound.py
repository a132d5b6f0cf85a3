"""A cheap upper bound on the word edit distance inside passages (compiled).

:func:`copydesk.edits.template_pair` needs the Levenshtein opcodes of a pair's passages only
when its exact pieces could be short: a pair whose passages keep long runs of the same words
is no template, and most pairs are such.  Any edit script bounds the distance from above, so
a greedy one, walked once through both sides, tells those pairs apart without the dynamic
programme: ``edits <= distance <= bound`` and ``matched >= length - bound``.
"""

from __future__ import annotations

import numba as nb
import numpy as np

#: how far ahead the greedy script looks for the words to meet again
LOOKAHEAD = 8


@nb.njit(cache=True, nogil=True)
def distance_bounds(ha, hb, spans, lookahead):  # pragma: no cover - jit
    """Per span ``[as, ae, bs, be)``: the cost of a greedy edit script turning ``ha[as:ae]``
    into ``hb[bs:be]`` (at least their Levenshtein distance).  Equal words are kept; at a
    difference, the first ``d`` (up to ``lookahead``) at which skipping ``d`` words of a, of
    b, or of both meets equal words again is taken (``d`` deletions, insertions or
    substitutions), else one word is substituted; what is left at the end is deleted or
    inserted."""
    out = np.zeros(len(spans), np.int64)
    for k in range(len(spans)):
        i, i1, j, j1 = spans[k, 0], spans[k, 1], spans[k, 2], spans[k, 3]
        cost = 0
        while i < i1 and j < j1:
            if ha[i] == hb[j]:
                i += 1
                j += 1
                continue
            step = 0
            d = 1
            while d <= lookahead:
                if i + d < i1 and ha[i + d] == hb[j]:
                    step = 1
                    break
                if j + d < j1 and ha[i] == hb[j + d]:
                    step = 2
                    break
                if i + d < i1 and j + d < j1 and ha[i + d] == hb[j + d]:
                    step = 3
                    break
                d += 1
            if step == 0:
                d = 1
                step = 3
            if step != 2:
                i += d
            if step != 1:
                j += d
            cost += d
        out[k] = cost + (i1 - i) + (j1 - j)
    return out


@nb.njit(cache=True, nogil=True)
def distance_totals(ha, hb, spans, lookahead):  # pragma: no cover - jit
    """(sum of :func:`distance_bounds`, sum of the spans' lengths on side a) in one call, what
    :func:`copydesk.edits.template_pair` tests first (``distance_totals_reference`` is the
    numpy specification)."""
    bounds = distance_bounds(ha, hb, spans, lookahead)
    total = 0
    length = 0
    for k in range(len(spans)):
        total += bounds[k]
        length += spans[k, 1] - spans[k, 0]
    return total, length


def distance_totals_reference(ha: np.ndarray, hb: np.ndarray, spans: np.ndarray, lookahead: int) -> tuple[int, int]:
    """:func:`distance_totals` with numpy."""
    return (int(distance_bounds(ha, hb, spans, lookahead).sum()), int((spans[:, 1] - spans[:, 0]).sum()))


def distance_bound(ha: np.ndarray, hb: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """:func:`distance_bounds` of token-key arrays and token spans (n x 4)."""
    return distance_bounds(np.ascontiguousarray(ha, np.uint64), np.ascontiguousarray(hb, np.uint64),
                           np.ascontiguousarray(spans, np.int64).reshape(-1, 4), LOOKAHEAD)


@nb.njit(cache=True, nogil=True)
def positional_edits(ha, hb, spans, unequal):  # pragma: no cover - jit
    """Word positions that differ between the two sides of the spans ``[as, ae, bs, be)``
    compared position by position, or ``unequal`` as soon as a span's sides differ in length
    (:func:`copydesk.edits.edits_at_most`, whose reference is the numpy loop in
    ``positional_edits_reference``)."""
    total = 0
    for k in range(len(spans)):
        s0, s1, t0 = spans[k, 0], spans[k, 1], spans[k, 2]
        if s1 - s0 != spans[k, 3] - t0:
            return unequal
        for i in range(s1 - s0):
            if ha[s0 + i] != hb[t0 + i]:
                total += 1
    return total


@nb.njit(cache=True, nogil=True)
def edits_upper(ha, hb, spans, unequal):  # pragma: no cover - jit
    """:func:`positional_edits` plus, per span, one where the words just past its end (or
    just before its start) differ on the two sides, both there: the whole of
    :func:`copydesk.edits.edits_at_most` in one call (``edits_upper_reference`` is its numpy
    specification)."""
    total = positional_edits(ha, hb, spans, unequal)
    if total >= unequal:
        return total
    na, nb_ = len(ha), len(hb)
    for k in range(len(spans)):
        a1, b1 = spans[k, 1], spans[k, 3]
        if a1 < na and b1 < nb_ and ha[a1] != hb[b1]:
            total += 1
    for k in range(len(spans)):
        a0, b0 = spans[k, 0] - 1, spans[k, 2] - 1
        if a0 >= 0 and b0 >= 0 and ha[a0] != hb[b0]:
            total += 1
    return total


def edits_upper_reference(ha: np.ndarray, hb: np.ndarray, spans: np.ndarray, unequal: int) -> int:
    """:func:`edits_upper` with numpy (what ``edits_at_most`` computed before)."""
    total = positional_edits_reference(ha, hb, spans, unequal)
    if total >= unequal or not len(spans):
        return total
    end_a, end_b = spans[:, 1], spans[:, 3]
    at = (end_a < len(ha)) & (end_b < len(hb))
    total += int(np.count_nonzero(ha[end_a[at]] != hb[end_b[at]]))
    before_a, before_b = spans[:, 0] - 1, spans[:, 2] - 1
    at = (before_a >= 0) & (before_b >= 0)
    return total + int(np.count_nonzero(ha[before_a[at]] != hb[before_b[at]]))


def positional_edits_reference(ha: np.ndarray, hb: np.ndarray, spans: np.ndarray, unequal: int) -> int:
    """:func:`positional_edits` with numpy, a passage at a time."""
    total = 0
    for a0, a1, b0, b1 in np.asarray(spans).tolist():
        if a1 - a0 != b1 - b0:
            return unequal
        total += int(np.count_nonzero(ha[a0:a1] != hb[b0:b1]))
    return total


@nb.njit(cache=True, nogil=True)
def same_content(ha, boiler_a, hb, boiler_b, spans):  # pragma: no cover - jit
    """Per span ``[as, ae, bs, be)``: the same word keys on both sides once boilerplate
    tokens are left out (``content_same_reference`` is the numpy specification)."""
    out = np.empty(len(spans), np.bool_)
    for k in range(len(spans)):
        i, i1, j, j1 = spans[k, 0], spans[k, 1], spans[k, 2], spans[k, 3]
        same = True
        while same:
            while i < i1 and boiler_a[i]:
                i += 1
            while j < j1 and boiler_b[j]:
                j += 1
            if i == i1 or j == j1:
                same = i == i1 and j == j1
                break
            if ha[i] != hb[j]:
                same = False
            i += 1
            j += 1
        out[k] = same
    return out


def same_content_reference(ha: np.ndarray, boiler_a: np.ndarray, hb: np.ndarray, boiler_b: np.ndarray,
                           spans: np.ndarray) -> np.ndarray:
    """:func:`same_content` with numpy, a span at a time."""
    out = []
    for a0, a1, b0, b1 in np.asarray(spans).tolist():
        xa = ha[a0:a1][~boiler_a[a0:a1]]
        xb = hb[b0:b1][~boiler_b[b0:b1]]
        out.append(len(xa) == len(xb) and np.array_equal(xa, xb))
    return np.array(out, np.bool_)


@nb.njit(cache=True, nogil=True)
def common_affix(x, y):  # pragma: no cover - jit
    """(length of the longest common prefix of ``x`` and ``y``, length of the longest common
    suffix of what follows it): the words rapidfuzz's Levenshtein strips before it computes
    the edits, so opcodes of the rest, shifted, are those of the whole."""
    n = min(len(x), len(y))
    pre = 0
    while pre < n and x[pre] == y[pre]:
        pre += 1
    suf = 0
    while suf < n - pre and x[len(x) - 1 - suf] == y[len(y) - 1 - suf]:
        suf += 1
    return pre, suf


def common_affix_reference(x: list[int], y: list[int]) -> tuple[int, int]:
    """:func:`common_affix` in plain Python."""
    pre = 0
    while pre < min(len(x), len(y)) and x[pre] == y[pre]:
        pre += 1
    suf = 0
    while suf < min(len(x), len(y)) - pre and x[-1 - suf] == y[-1 - suf]:
        suf += 1
    return pre, suf
