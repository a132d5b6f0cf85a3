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

import hashlib
import inspect
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numba as nb
import numpy as np

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


def _tables_cache() -> Path:
    """Where the folding tables are cached: beside numba's cache, keyed by everything they
    are computed from (the folding code, the OCR table, the Unicode version)."""
    spec = "".join(inspect.getsource(f) for f in (fold_char, has_digit, _build_fold_tables))
    key = hashlib.blake2b(f"{spec}{OCR_SKELETON}{_TABLE_SIZE}{unicodedata.unidata_version}".encode(),
                          digest_size=8).hexdigest()
    return Path(__file__).parent / "__pycache__" / f"fold-tables-{key}.npz"


@lru_cache(maxsize=1)
def fold_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(is_space, fold_start, fold_len, fold_chars, is_digit) lookup tables for the BMP.
    Computing them takes half a second, so they are cached on disk when possible."""
    names = ("is_space", "start", "length", "chars", "is_digit")
    try:
        path = _tables_cache()
        with np.load(path) as z:
            return tuple(z[n] for n in names)  # type: ignore[return-value]
    except (OSError, KeyError, ValueError):
        pass
    tables = _build_fold_tables()
    try:
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **dict(zip(names, tables, strict=True)))
        os.replace(tmp, path)
    except OSError:  # a read-only install: compute each time
        pass
    return tables


def _build_fold_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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


#: flag bits of :func:`hash_tables`
_SPACE = 1
_DIGIT = 2
_KEY = 4
#: the base of the polynomial key hash (odd, so multiplying by it loses nothing)
HASH_BASE = 0x9E3779B97F4A7C15


@lru_cache(maxsize=1)
def hash_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(flags, value, multiplier) per BMP character, for the kernel.  ``flags``: space,
    digit and "folds to something" bits.  A character's folded characters ``f`` enter the
    key hash as ``h = h * multiplier + value`` with ``multiplier = B**len(f)`` and ``value``
    their own polynomial hash (see :func:`key_hash`), so folding one character into several
    costs no branch."""
    is_space, start, length, chars, is_digit = fold_tables()
    flags = (is_space * _SPACE | is_digit * _DIGIT | (length > 0) * _KEY).astype(np.uint8)
    base = np.uint64(HASH_BASE)
    value = np.zeros(_TABLE_SIZE, np.uint64)
    powers = [np.uint64(1)]
    for t in range(int(length.max())):
        at = np.flatnonzero(length > t)  # the characters folding to more than t characters
        with np.errstate(over="ignore"):
            value[at] = value[at] * base + chars[start[at] + t]
            powers.append(powers[-1] * base)
    return flags, value, np.asarray(powers, np.uint64)[length]


def key_hash(key: str) -> int:
    """The hash of a folded key (the specification): the polynomial hash of its characters
    in base ``HASH_BASE`` modulo 2**64, then :func:`splitmix64`."""
    h = 0
    for x in key:
        h = (h * HASH_BASE + ord(x)) & _MASK64
    return splitmix64(h)


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
            starts.append(i)
            ends.append(j)
            hashes.append(key_hash(key))
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
def _chunks(cps, lo, hi, flags, value, mult, bnd, state, seen):  # pragma: no cover - jit
    """Stage 1, without a branch per character: the chunk boundaries of ``cps[lo:hi]``
    (``bnd[2t]``, ``bnd[2t + 1]``: start and end of chunk t), with the key hash state
    (``state[2t + 1]``) and the or-ed flags (``seen[2t + 1]``) of each chunk.  Every
    character stores its position, hash and flags at the current slot; the slot advances
    when space and non-space alternate, so a slot keeps what its last writer left.  Indexes
    are cast to unsigned: numba then emits no negative-index wraparound code."""
    u = np.uint64
    m = 0
    prev = u(1)
    h = u(0)
    acc = u(0)
    for i in range(lo, hi):
        c = cps[u(i)]
        k = c if c < 0x10000 else 0  # beyond the BMP: not a space, folds to nothing, like 0
        f = u(flags[k])
        sp = f & u(_SPACE)
        bnd[u(m)] = i
        state[u(m)] = h
        seen[u(m)] = acc
        m += np.int64(sp ^ prev)
        keep = sp - u(1)  # all ones inside a chunk, 0 on a space: resets h and acc
        h = (h & keep) * mult[k] + value[k]
        acc = (acc & keep) | f
        prev = sp
    if prev == 0:  # the text ends inside a chunk
        bnd[u(m)] = hi
        state[u(m)] = h
        seen[u(m)] = acc
        m += 1
    return m // 2


@nb.njit(cache=True, nogil=True)
def _tokenize_docs(cps, doc_cp, flags, value, mult, starts, ends, hashes, weights, lines,
                   digits):  # pragma: no cover - jit
    """Tokenize documents ``cps[doc_cp[d]:doc_cp[d + 1]]`` into the given arrays (room for
    ``len(cps) // 2 + 1`` tokens; allocated by the caller, as numpy's large allocations get
    huge pages).  Per token: start, end (local to its document), hash, weight, line, digit;
    returns the token count, ``tok_first`` (ndocs + 1) token offsets, and per line
    ("\\n"-separated, all documents in turn): its local start offset, its first two and its
    last non-space code points (0 if none), its token count; ``line_base`` (ndocs + 1) line
    offsets.  Each document goes through :func:`_chunks` (into scratch arrays that stay in
    cache), then its chunks (a few per word, not per character) become tokens here."""
    u = np.uint64
    ndocs = len(doc_cp) - 1
    line_base = np.zeros(ndocs + 1, np.int64)
    longest = 0
    for d in range(ndocs):
        nl = 1
        for i in range(doc_cp[d], doc_cp[d + 1]):
            nl += cps[u(i)] == 10
        line_base[d + 1] = line_base[d] + nl
        longest = max(longest, doc_cp[d + 1] - doc_cp[d])
    nlines = line_base[ndocs]
    line_start = np.zeros(nlines, np.int32)
    line_c0 = np.zeros(nlines, np.uint32)
    line_c1 = np.zeros(nlines, np.uint32)
    line_last = np.zeros(nlines, np.uint32)
    line_ntok = np.zeros(nlines, np.int64)
    tok_first = np.zeros(ndocs + 1, np.int64)
    bnd = np.empty(longest + 2, np.int64)
    state = np.empty(longest + 2, np.uint64)
    seen = np.empty(longest + 2, np.uint64)
    nt = 0
    for d in range(ndocs):
        lo = doc_cp[d]
        hi = doc_cp[d + 1]
        lb = line_base[d]
        first = nt
        pending = 0
        line = 0
        at = lo  # characters before this have been looked at
        for t in range(_chunks(cps, lo, hi, flags, value, mult, bnd, state, seen)):
            i = bnd[u(2 * t)]
            j = bnd[u(2 * t + 1)]
            for x in range(at, i):  # the spaces before the chunk: count the lines
                if cps[u(x)] == 10:
                    line += 1
                    line_start[u(lb + line)] = x + 1 - lo
            at = j
            ln = u(lb + line)
            if line_c0[ln] == 0:
                line_c0[ln] = cps[u(i)]
                line_c1[ln] = cps[u(i + 1)] if i + 1 < hi else 0
            line_last[ln] = cps[u(j - 1)]
            f = seen[u(2 * t + 1)]
            if f & u(_KEY):
                starts[u(nt)] = i - lo
                ends[u(nt)] = j - lo
                hashes[u(nt)] = _mix(state[u(2 * t + 1)])
                weights[u(nt)] = j - i + pending
                lines[u(nt)] = line
                digits[u(nt)] = (f & u(_DIGIT)) != 0
                line_ntok[ln] += 1
                pending = 0
                nt += 1
            elif nt > first:
                weights[u(nt - 1)] += j - i
            else:
                pending += j - i
        for x in range(at, hi):  # trailing spaces
            if cps[u(x)] == 10:
                line += 1
                line_start[u(lb + line)] = x + 1 - lo
        tok_first[d + 1] = nt
    return nt, tok_first, line_start, line_c0, line_c1, line_last, line_base, line_ntok


def codepoints(text: str) -> np.ndarray:
    """The text's code points as an array (index = Python str offset), in the narrowest
    unsigned type that holds them: uint8 for Latin-1 text (a plain copy of CPython's own
    one-byte storage), uint16 for the rest of the BMP, else uint32.  The kernels accept all
    three."""
    try:
        return np.frombuffer(text.encode("latin-1"), dtype=np.uint8)
    except UnicodeEncodeError:
        pass
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) == 2 * len(text):  # no character beyond the BMP
        return np.frombuffer(data, dtype=np.uint16)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def tokenize_docs(cps: np.ndarray, doc_cp: np.ndarray) -> tuple[np.ndarray, ...]:
    """Tokenize many documents in one kernel call (see ``_tokenize_docs``): ``cps`` holds
    their code points end to end, ``doc_cp`` (ndocs + 1) where each starts."""
    cap = len(cps) // 2 + 1
    out = (np.empty(cap, np.int32), np.empty(cap, np.int32), np.empty(cap, np.uint64),
           np.empty(cap, np.int32), np.empty(cap, np.int32), np.empty(cap, np.bool_))
    nt, *rest = _tokenize_docs(cps, np.asarray(doc_cp, np.int64), *hash_tables(), *out)
    return (*(x[:nt] for x in out), *rest)


def tokenize(text: str) -> Tokens:
    """Fast tokenizer (numba); identical output to :func:`tokenize_reference`."""
    cps = codepoints(text)
    return Tokens(*tokenize_docs(cps, np.array([0, len(cps)]))[:6])
