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


def distance_bound(ha: np.ndarray, hb: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """:func:`distance_bounds` of token-key arrays and token spans (n x 4)."""
    return distance_bounds(np.ascontiguousarray(ha, np.uint64), np.ascontiguousarray(hb, np.uint64),
                           np.ascontiguousarray(spans, np.int64).reshape(-1, 4), LOOKAHEAD)
