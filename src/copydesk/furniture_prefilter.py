"""Which short lines could be page furniture: an exact pre-filter for
:func:`copydesk.prepare._is_furniture`, so the batch path slices out and matches only those.

Every rule of ``_is_furniture`` is anchored at the line's start or needs something rare:

- ``_FURNITURE`` is ``^\\W*`` then a keyword ("published", "comments", "photo", ...) or
  ``©`` or ``-+\\s*\\w+\\s*$``: in an ASCII line, the keyword starts at the first word
  character (``\\W*`` can only stop earlier before a non-word character: ``(`` of
  "(photo", ``©`` or ``-``), the dash run lies before it;
- ``_DATE_LINE`` needs a digit;
- ``_has_rights`` needs "all rights reserved" or "(c)" (any case);
- ``_BYLINE`` is ``^\\s*(?:by|from)\\s+\\S``: "by" or "from" at the first word character.

So an ASCII line without a digit, without those two phrases, without ``-`` before its first
word character and whose first word does not open with one of :data:`PREFIXES` is not
furniture; any other line (and every line with a character beyond ASCII: case folding and
Unicode digits are the regular expressions' business) may be, and is matched.
:func:`may_be_furniture_reference` is the plain-Python specification; tests check that every
line ``_is_furniture`` takes passes it.
"""

from __future__ import annotations

import numba as nb
import numpy as np

#: the first three letters (two for "by") of every keyword ``_FURNITURE`` and ``_BYLINE``
#: can open with
PREFIXES = ("fir", "pub", "pos", "las", "upd", "mod", "com", "adv", "sto", "rea", "rel", "sha", "rep", "fol",
            "cli", "sub", "sig", "tag", "fil", "arc", "pho", "pic", "ima", "cop", "all", "by", "fro")
#: phrases ``_has_rights`` looks for anywhere in the line (any case)
PHRASES = ("(c)", "all rights reserved")

_WORD = np.array([chr(c).isalnum() or chr(c) == "_" for c in range(128)], np.bool_)  # ASCII \w


def _table(words: tuple[str, ...]) -> np.ndarray:
    """``words`` as rows of code points, 0-padded (0 matches nothing in a line)."""
    out = np.zeros((len(words), max(map(len, words))), np.uint32)
    for n, w in enumerate(words):
        out[n, :len(w)] = [ord(c) for c in w]
    return out


_PREFIXES = _table(PREFIXES)
_PHRASES = _table(PHRASES)
#: the first two letters of the prefixes (lower case): most lines are ruled out by one load
_FIRST2 = np.zeros((128, 128), np.bool_)
_FIRST2[_PREFIXES[:, 0], _PREFIXES[:, 1]] = True


@nb.njit(cache=True, nogil=True, inline="always")
def _lower(c):  # pragma: no cover - jit
    return c + 32 if 65 <= c <= 90 else c


@nb.njit(cache=True, nogil=True, inline="always")
def _opens_with(cps, i, b, table, r):  # pragma: no cover - jit
    """Does ``cps[i:b]`` open with the word ``table[r]`` (0-padded), in any ASCII case?"""
    for j in range(table.shape[1]):
        w = table[r, j]
        if w == 0:
            return True
        if i + j >= b or _lower(cps[i + j]) != w:
            return False
    return True


@nb.njit(cache=True, nogil=True, inline="always")
def _any_opens_at(cps, i, b, table):  # pragma: no cover - jit
    for r in range(table.shape[0]):  # noqa: SIM110 - numba
        if _opens_with(cps, i, b, table, r):
            return True
    return False


@nb.njit(cache=True, nogil=True)
def _may_be_furniture(cps, at, end, is_word, first2, prefixes, phrases):  # pragma: no cover - jit
    """:func:`may_be_furniture_reference` of every line, in one pass over its characters
    (a phrase is looked for only where a character opens one: "(" or "a")."""
    n = len(at)
    out = np.ones(n, np.bool_)
    for k in range(n):
        a, b = at[k], end[k]
        plain = True  # ASCII without a digit
        p = b  # the first word character
        dash = False  # a "-" before it
        phrase = False
        for i in range(a, b):
            c = cps[i]
            if c >= 128 or 48 <= c <= 57:
                plain = False
                break
            if p == b:
                if is_word[c]:
                    p = i
                else:
                    dash |= c == 45
            if (c == 40 or c | 32 == 97) and not phrase:
                phrase = _any_opens_at(cps, i, b, phrases)
        if not plain or dash or phrase:
            continue
        if p < b:
            c1 = _lower(cps[p + 1]) if p + 1 < b else 0
            out[k] = first2[_lower(cps[p]), c1] and _any_opens_at(cps, p, b, prefixes)
        else:
            out[k] = False
    return out


def may_be_furniture(cps: np.ndarray, at: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per line ``cps[at[k]:end[k]]`` (code points): False when it cannot be furniture
    (``_is_furniture`` is then False), True when it may be (see the module docstring)."""
    return _may_be_furniture(cps, np.asarray(at, np.int64), np.asarray(end, np.int64), _WORD, _FIRST2, _PREFIXES,
                             _PHRASES)


def may_be_furniture_reference(line: str) -> bool:
    """:func:`may_be_furniture` of one line, in plain Python."""
    if not line.isascii() or any(c.isdigit() for c in line):
        return True
    low = line.lower()
    p = 0
    while p < len(line) and not _WORD[ord(line[p])]:
        p += 1
    return ("-" in line[:p] or low[p:].startswith(PREFIXES) or any(x in low for x in PHRASES))
