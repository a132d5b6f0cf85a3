"""Character folding and word tokens with offsets into the original text.

A *chunk* is a maximal run of non-whitespace characters.  Its *key* is the chunk folded
character by character: NFKD decomposition, case folding, and only letters and digits kept
(so accents, soft hyphens, zero-width spaces, curly quotes, dashes and ligatures all fold
away: "Gronkjær’s" and "gronkjaer's" differ only in "æ").  Keys are then reduced to an
*OCR skeleton*: letters that scanners confuse fall into one class (l/1/i/I, o/0, e/c, s/5,
b/8/h, n/u/r, and the two-glyph confusions rn→m, cl→d, vv→w, li→h become equal because
m→"nn", d→"el", w→"yy", h→"ll").  Matching on skeletons keeps printed and scanned copies of a
story comparable; five-word runs of skeletons remain as rare as five-word runs of words.  A chunk with a non-empty key is a
*token*; a punctuation-only chunk adds its length to the previous token's *weight*, so the
weights of a document's tokens add up to its non-space characters (what coverage counts).

Two implementations share one folding table: :func:`tokenize_reference` (plain Python, the
specification) and :func:`tokenize` (numba over code-point arrays, the hot path).  Tests
check they agree on random text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numba as nb
import numpy as np

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
_TABLE_SIZE = 0x10000  # characters beyond the BMP (emoji, rare CJK) fold to nothing
_MASK64 = (1 << 64) - 1


#: classic OCR glyph confusions, applied after case folding (see the module docstring)
OCR_SKELETON = {"1": "l", "i": "l", "0": "o", "c": "e", "5": "s", "8": "ll", "u": "n", "r": "n",
                "m": "nn", "d": "el", "v": "y", "w": "yy", "h": "ll", "b": "ll", "q": "g", "f": "t"}


def fold_char(c: str) -> str:
    """The folded key characters of one character (the specification)."""
    if ord(c) >= _TABLE_SIZE:
        return ""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", c).casefold())
    return "".join(OCR_SKELETON.get(x, x) for x in s if x.isalnum() and ord(x) < _TABLE_SIZE)


def has_digit(c: str) -> bool:
    """Does the character fold to a digit?  Decided before the OCR skeleton, which turns
    0/1/5/8 into letters: "Copyright 2011" and "Copyright 2013" must both count as numbers."""
    if ord(c) >= _TABLE_SIZE:
        return False
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", c).casefold())
    return any(x.isdigit() and ord(x) < _TABLE_SIZE for x in s)


@lru_cache(maxsize=1)
def fold_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(is_space, fold_start, fold_len, fold_chars, is_digit) lookup tables for the BMP."""
    is_space = np.zeros(_TABLE_SIZE, dtype=np.bool_)
    is_digit = np.zeros(_TABLE_SIZE, dtype=np.bool_)
    start = np.zeros(_TABLE_SIZE, dtype=np.int32)
    length = np.zeros(_TABLE_SIZE, dtype=np.int8)
    chars: list[int] = []
    for cp in range(_TABLE_SIZE):
        c = chr(cp)
        is_space[cp] = c.isspace()
        if 0xD800 <= cp <= 0xDFFF:
            continue
        is_digit[cp] = has_digit(c)
        f = fold_char(c)
        start[cp] = len(chars)
        length[cp] = len(f)
        chars.extend(ord(x) for x in f)
    return is_space, start, length, np.asarray(chars, dtype=np.uint32), is_digit


def splitmix64(x: int) -> int:
    """splitmix64 finalizer (Steele et al. 2014) on Python ints: a well-mixed 64-bit hash."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


@dataclass(frozen=True, slots=True, eq=False)
class Tokens:
    """Word tokens of one text, as parallel arrays."""

    start: np.ndarray   # int32 character offset of the chunk start
    end: np.ndarray     # int32 character offset of the chunk end (exclusive)
    hash: np.ndarray    # uint64 hash of the folded key
    weight: np.ndarray  # int32 non-space characters this token accounts for
    line: np.ndarray    # int32 line number ("\n"-separated) of the token
    digit: np.ndarray   # bool: the chunk has a character folding to a digit (see has_digit)

    def __len__(self) -> int:
        return len(self.start)


def tokenize_reference(text: str) -> Tokens:
    """Pure-Python tokenizer: the specification :func:`tokenize` must match."""
    starts, ends, hashes, weights, lines, digits = [], [], [], [], [], []
    pending = 0
    line = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            line += c == "\n"
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        key = "".join(fold_char(x) for x in text[i:j])
        if key:
            h = 0xCBF29CE484222325
            for x in key:
                h = ((h ^ ord(x)) * 0x100000001B3) & _MASK64
            starts.append(i)
            ends.append(j)
            hashes.append(splitmix64(h))
            weights.append(j - i + pending)
            lines.append(line)
            digits.append(any(has_digit(x) for x in text[i:j]))
            pending = 0
        elif weights:
            weights[-1] += j - i
        else:
            pending += j - i
        i = j
    return Tokens(np.asarray(starts, np.int32), np.asarray(ends, np.int32),
                  np.asarray(hashes, np.uint64), np.asarray(weights, np.int32),
                  np.asarray(lines, np.int32), np.asarray(digits, np.bool_))


@nb.njit(cache=True, inline="always")
def _mix(x: np.uint64) -> np.uint64:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@nb.njit(cache=True, nogil=True)
def _tokenize_kernel(cps, is_space, fstart, flen, fchars, is_digit):  # pragma: no cover - jit
    n = len(cps)
    cap = n // 2 + 1
    starts = np.empty(cap, np.int32)
    ends = np.empty(cap, np.int32)
    hashes = np.empty(cap, np.uint64)
    weights = np.empty(cap, np.int32)
    lines = np.empty(cap, np.int32)
    digits = np.empty(cap, np.bool_)
    nt = 0
    pending = 0
    line = 0
    i = 0
    while i < n:
        c = cps[i]
        if c < 0x10000 and is_space[c]:
            if c == 10:
                line += 1
            i += 1
            continue
        j = i
        h = FNV_OFFSET
        klen = 0
        dig = False
        while j < n:
            c = cps[j]
            if c < 0x10000:
                if is_space[c]:
                    break
                if is_digit[c]:
                    dig = True
                s = fstart[c]
                for t in range(flen[c]):
                    x = fchars[s + t]
                    h = (h ^ np.uint64(x)) * FNV_PRIME
                    klen += 1
            j += 1
        if klen > 0:
            starts[nt] = i
            ends[nt] = j
            hashes[nt] = _mix(h)
            weights[nt] = j - i + pending
            lines[nt] = line
            digits[nt] = dig
            pending = 0
            nt += 1
        elif nt > 0:
            weights[nt - 1] += j - i
        else:
            pending += j - i
        i = j
    return starts[:nt], ends[:nt], hashes[:nt], weights[:nt], lines[:nt], digits[:nt]


def codepoints(text: str) -> np.ndarray:
    """The text as a uint32 array of code points (index = Python str offset)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def tokenize(text: str) -> Tokens:
    """Fast tokenizer (numba); identical output to :func:`tokenize_reference`."""
    return Tokens(*_tokenize_kernel(codepoints(text), *fold_tables()))
