"""Word keys handed to rapidfuzz as the characters of a string (compiled).

rapidfuzz's Levenshtein compares the items of a list by their Python hash — for a token key
``k`` (an int in ``[0, 2**64)``) that is ``k % (2**61 - 1)`` — and converts a list item by
item, after :meth:`numpy.ndarray.tolist` has made a Python int of every key.  A string with
one character per word, equal characters exactly where those hashes are equal, gives the
same edit operations (they depend on which items are equal, nothing else) and converts in
one copy: :func:`word_strings`, about half the time of the lists on the passages of OCR-noisy
near-duplicates (:func:`copydesk.edits.only_slips`).
"""

from __future__ import annotations

import numba as nb
import numpy as np
from rapidfuzz.distance import Levenshtein

#: the modulus of CPython's hash of an int (``sys.hash_info.modulus``)
HASH_MODULUS = (1 << 61) - 1
#: the first surrogate code point: a string of more words than this is left as lists
_MAX_CODES = 0xD800 - 1


@nb.njit(cache=True, nogil=True)
def word_codes(x, y):  # pragma: no cover - jit
    """Per word of ``x``, then of ``y`` (uint64 keys): ``1 +`` the order of first appearance
    of its key's Python hash (``key % HASH_MODULUS``) among them, as uint32: one code per
    distinct hash (an open-addressing table; :func:`word_codes_reference` is the
    specification)."""
    n = len(x) + len(y)
    size = 16
    while size < 2 * n:
        size *= 2
    mask = np.uint64(size - 1)
    modulus = np.uint64(HASH_MODULUS)
    keys = np.empty(size, np.uint64)
    code = np.zeros(size, np.uint32)  # 0: an empty slot
    out = np.empty(n, np.uint32)
    m = 0
    for t in range(n):
        h = (x[t] if t < len(x) else y[t - len(x)]) % modulus
        s = ((h * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)) & mask
        while code[s] != 0 and keys[s] != h:
            s = (s + np.uint64(1)) & mask
        if code[s] == 0:
            m += 1
            keys[s] = h
            code[s] = m
        out[t] = code[s]
    return out


def word_codes_reference(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """:func:`word_codes` with a dict over Python's own hash of each key."""
    seen: dict[int, int] = {}
    return np.array([seen.setdefault(hash(k), len(seen) + 1) for k in [*x.tolist(), *y.tolist()]], np.uint32)


def word_strings(x: np.ndarray, y: np.ndarray) -> tuple[str, str] | tuple[list[int], list[int]]:
    """Two sequences rapidfuzz aligns as it aligns ``x.tolist()`` and ``y.tolist()`` (uint64
    word keys): strings of one character per word (:func:`word_codes`), or those lists
    when the words are too many for distinct characters below the surrogates."""
    x = np.ascontiguousarray(x, np.uint64)
    y = np.ascontiguousarray(y, np.uint64)
    if len(x) + len(y) > _MAX_CODES:
        return x.tolist(), y.tolist()
    text = word_codes(x, y).astype("<u4", copy=False).tobytes().decode("utf-32-le")
    return text[:len(x)], text[len(x):]


def word_opcodes(x: np.ndarray, y: np.ndarray) -> object:
    """``Levenshtein.opcodes(x.tolist(), y.tolist())`` of uint64 word keys, through
    :func:`word_strings`."""
    return Levenshtein.opcodes(*word_strings(x, y))
