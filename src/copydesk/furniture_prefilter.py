"""Which short lines could be page furniture, and which surely are: exact pre-filters for
:func:`copydesk.prepare._is_furniture`, so the batch path slices out and matches only the
lines they leave undecided (:func:`may_be_furniture`, :func:`surely_furniture`).

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
Unicode digits are the regular expressions' business) may be.  Conversely, an ASCII line
that opens (after non-word characters) with one of the plainer keywords of ``_FURNITURE``
and what it requires after it (:data:`SURE`: "Published 2004-08-19", "Comments", "File
picture") is furniture without a match.  The ``*_reference`` functions are the plain-Python
specifications; tests check that every line ``_is_furniture`` takes passes the first filter
and that every line the second one takes is taken by ``_is_furniture``.
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


#: lines ``_FURNITURE`` surely takes, in an ASCII line, at its first word character (lower
#: case; " " stands for ``\s+``, here only spaces and tabs), with what must follow: a word
#: boundary (``\b``), only non-word characters to the end of the line (``\W*$``) or anything
SURE = (("first published", r"\b"), ("published", r"\b"), ("posted", r"\b"), ("last updated", r"\b"),
        ("updated", r"\b"), ("modified", r"\b"), ("comment", "$"), ("comments", "$"), ("advertisement", "$"),
        ("story continues below", ""), ("read more", r"\b"), ("related stories", "$"),
        ("related articles", "$"), ("related links", "$"), ("related content", "$"), ("share this", r"\b"),
        ("share on", r"\b"), ("report an error", ""), ("follow us", r"\b"), ("click here", r"\b"),
        ("subscribe", r"\b"), ("sign up", r"\b"), ("file picture", "$"), ("file photo", "$"),
        ("file image", "$"), ("archive picture", "$"), ("archive photo", "$"), ("archive image", "$"),
        ("stock picture", "$"), ("stock photo", "$"), ("stock image", "$"), ("photo", r"\b"),
        ("copyright", r"\b"), ("all rights reserved", ""))
_SURE = _table(tuple(w for w, _ in SURE))
_SURE_END = np.array([{r"\b": 1, "$": 2, "": 3}[e] for _, e in SURE], np.int64)


@nb.njit(cache=True, nogil=True)
def _surely_furniture(cps, at, end, is_word, words, ends):  # pragma: no cover - jit
    n = len(at)
    out = np.zeros(n, np.bool_)
    for k in range(n):
        a, b = at[k], end[k]
        ascii_ = True
        for i in range(a, b):
            if cps[i] >= 128:
                ascii_ = False
                break
        if not ascii_:
            continue
        p = a
        while p < b and not is_word[cps[p]]:
            p += 1
        for r in range(words.shape[0]):
            i = p
            ok = True
            for j in range(words.shape[1]):
                w = words[r, j]
                if w == 0:
                    break
                if w == 32:  # \s+: one or more spaces or tabs
                    if i >= b or not (cps[i] == 32 or cps[i] == 9):
                        ok = False
                        break
                    while i < b and (cps[i] == 32 or cps[i] == 9):
                        i += 1
                elif i < b and _lower(cps[i]) == w:
                    i += 1
                else:
                    ok = False
                    break
            if ok and ends[r] == 1:
                ok = i >= b or not is_word[cps[i]]
            elif ok and ends[r] == 2:
                for x in range(i, b):
                    if is_word[cps[x]]:
                        ok = False
                        break
            if ok:
                out[k] = True
                break
    return out


def surely_furniture(cps: np.ndarray, at: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per line ``cps[at[k]:end[k]]``: True when ``_is_furniture`` surely takes it (an ASCII
    line that opens, after non-word characters, with one of :data:`SURE`), False when the
    regular expressions must decide."""
    return _surely_furniture(cps, np.asarray(at, np.int64), np.asarray(end, np.int64), _WORD, _SURE, _SURE_END)


def surely_furniture_reference(line: str) -> bool:
    """:func:`surely_furniture` of one line, in plain Python."""
    if not line.isascii():
        return False
    p = 0
    while p < len(line) and not _WORD[ord(line[p])]:
        p += 1
    for word, after in SURE:
        i = p
        ok = True
        for part in word.split(" "):
            if i > p:  # \s+ before every part but the first
                j = i
                while j < len(line) and line[j] in " \t":
                    j += 1
                if j == i:
                    ok = False
                    break
                i = j
            if line[i:i + len(part)].lower() != part:
                ok = False
                break
            i += len(part)
        if ok and (after == r"\b" and i < len(line) and _WORD[ord(line[i])]
                   or after == "$" and any(_WORD[ord(c)] for c in line[i:])):
            ok = False
        if ok:
            return True
    return False
