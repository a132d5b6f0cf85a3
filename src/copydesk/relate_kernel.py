"""Compiled pieces of :mod:`copydesk.relate`, each beside its plain reference.

:func:`leftover_lines` reads what an alignment leaves outside its passages on one side of a
pair, line by line, for the test of :func:`copydesk.relate._same_but_short_lines`: are
the words left over whole short lines, each of them outside every passage?
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .setops import unique

#: :func:`leftover_lines` verdicts: a line partly in a passage or too long (no), nothing
#: left over (yes), or short whole lines whose ends the caller still reads
NO, YES, READ_ENDS = 0, 1, 2


@nb.njit(cache=True, nogil=True)
def leftover_lines(boiler, line, weight, end, starts, ends, max_chars):  # pragma: no cover - jit
    """(verdict, end offset of the last content token of each leftover line) for tokens
    whose line numbers ``line`` never decrease: the content (non-boilerplate) tokens outside
    the token spans ``[starts, ends)`` lie on lines that no span touches and whose content
    tokens weigh at most ``max_chars`` (``READ_ENDS``, the lines' ends given), or there are
    none (``YES``), or not (``NO``).  :func:`leftover_lines_reference` is the specification."""
    n = len(boiler)
    inside = np.zeros(n + 1, np.int64)
    for k in range(len(starts)):
        inside[starts[k]] += 1
        inside[ends[k]] -= 1
    covered = np.empty(n, np.bool_)
    depth = 0
    for t in range(n):
        depth += inside[t]
        covered[t] = depth > 0
    out = np.empty(n, np.int64)
    m = 0
    verdict = YES
    i = 0
    while i < n:
        j = i + 1
        while j < n and line[j] == line[i]:
            j += 1
        left = False
        for t in range(i, j):
            if not boiler[t] and not covered[t]:
                left = True
                break
        if left:
            verdict = READ_ENDS
            chars = 0
            last = -1
            for t in range(i, j):
                if boiler[t]:
                    continue
                if covered[t]:
                    return NO, out[:0]  # a line partly in a passage: an edit, not a leftover line
                chars += weight[t]
                last = t
            if chars > max_chars:
                return NO, out[:0]
            out[m] = end[last]
            m += 1
        i = j
    return verdict, out[:m]


def leftover_lines_reference(boiler: np.ndarray, line: np.ndarray, weight: np.ndarray, end: np.ndarray,
                             starts: np.ndarray, ends: np.ndarray, max_chars: int) -> tuple[int, np.ndarray]:
    """:func:`leftover_lines` with numpy set operations (any line numbers)."""
    n = len(boiler)
    inside = np.zeros(n + 1, np.int64)
    np.add.at(inside, starts, 1)
    np.add.at(inside, ends, -1)
    covered = np.cumsum(inside[:n]) > 0
    content = ~boiler
    left = content & ~covered
    none = np.zeros(0, np.int64)
    if not left.any():
        return YES, none
    lines = unique(line[left])
    on = np.isin(line, lines) & content
    if (on & covered).any():
        return NO, none
    chars = np.bincount(line[on], weights=weight[on])
    if chars[lines].max() > max_chars:
        return NO, none
    last = np.flatnonzero(on)
    ends_at = {int(ln): int(e) for ln, e in zip(line[last].tolist(), end[last].tolist(), strict=True)}
    return READ_ENDS, np.array([ends_at[int(ln)] for ln in lines], np.int64)
