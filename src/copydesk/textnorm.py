"""Character folding and word tokens with offsets into the original text.

A *chunk* is a maximal run of non-whitespace characters.  Its *key* is the chunk folded
character by character: NFKD decomposition, case folding, and only letters and digits kept
(so accents, soft hyphens, zero-width spaces, curly quotes, dashes and ligatures all fold
away: "Gronkjær’s" and "gronkjaer's" differ only in "æ"), then a few spelling variants that
NFKD leaves apart are merged (:data:`SCRIPT_FOLD`: Arabic alef variants, alef maqsura, teh
marbuta and tatweel, Persian yeh and keheh, Turkish dotless i; decimal digits of every
script become ASCII digits).  Keys are then reduced to an
*OCR skeleton*: letters that scanners confuse fall into one class (l/1/i/I, o/0, e/c, s/5,
b/8/h, n/u/r, and the two-glyph confusions rn→m, cl→d, vv→w, li→h become equal because
m→"nn", d→"el", w→"yy", h→"ll").  Matching on skeletons keeps printed and scanned copies of a
story comparable; five-word runs of skeletons remain as rare as five-word runs of words.

Chinese, Japanese, Thai, Lao, Khmer and Myanmar are written without spaces between words,
so a chunk holding a letter of those *dense* scripts (:func:`is_dense`) is cut further into
*segments*: every dense letter starts a segment of its own, together with the combining
marks after it (Thai vowel and tone marks, kana voicing marks); so does the first
other character after a dense one, and the first letter or digit after punctuation that
follows a dense letter (in "北京」GDP": 北 | 京 | 」 | GDP).  Runs of other characters inside
such a chunk ("GDP", "5.5%" and "2017" in "2017年") stay whole.  One dense character thus carries about what one word carries
elsewhere, and a shingle of k tokens is a character k-gram.  A chunk without dense letters
is one segment, as before, and costs nothing more: the kernel learns that a chunk has dense
letters from the flags it or-s together anyway.

A segment with a non-empty key is a *token*; a punctuation-only segment adds its length to
the previous token's *weight*, so the weights of a document's tokens add up to its
non-space characters (what coverage counts).

Two implementations share one folding table: :func:`tokenize_reference` (plain Python, the
specification) and :func:`tokenize` (numba over code-point arrays, the hot path).  Tests
check they agree on random text.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import tempfile
import types
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numba as nb
import numpy as np

_TABLE_SIZE = 0x10000  # characters beyond the BMP (emoji, rare CJK) fold to nothing
_MASK64 = (1 << 64) - 1

#: the tokenizer's name and version, recorded in ``run.json``; bump the version whenever
#: tokens or keys change (fingerprints of one version do not match another's)
TOKENIZER_NAME = "copydesk-words+dense-chars"
#: the name with dense text cut into words by ICU (``PrepareConfig(segmenter="icu")``)
TOKENIZER_NAME_ICU = "copydesk-words+dense-icu-words"
TOKENIZER_VERSION = "2"


#: classic OCR glyph confusions, applied after case folding (see the module docstring)
OCR_SKELETON = {"1": "l", "i": "l", "0": "o", "c": "e", "5": "s", "8": "ll", "u": "n", "r": "n",
                "m": "nn", "d": "el", "v": "y", "w": "yy", "h": "ll", "b": "ll", "q": "g", "f": "t"}


#: spelling variants merged in keys after NFKD and case folding (the text itself is never
#: changed).  Arabic: hamza forms of alef already lose their hamza in NFKD (أ إ آ → ا), alef
#: wasla and wavy-hamza alefs do not; alef maqsura and Persian yeh → yeh, teh marbuta → heh,
#: keheh → kaf (writers and keyboards use them interchangeably); tatweel (kashida, a
#: letter-stretching mark that NFKD keeps as a letter) is dropped.  Turkish: dotless ı → i,
#: as "I" (its capital) and "İ" (the capital of i) both fold to i.  Harakat, Hebrew points and
#: other combining marks need no entry: they are not letters, so keys drop them.
SCRIPT_FOLD = {"\u0671": "\u0627", "\u0672": "\u0627", "\u0673": "\u0627", "\u0649": "\u064a",
               "\u06cc": "\u064a", "\u0629": "\u0647", "\u06a9": "\u0643", "\u0640": "",
               "\u0131": "i"}

#: code point ranges of the letters of scripts written without spaces between words (the
#: first folded character of a dense character lies in one): Thai, Lao, Myanmar, Khmer, CJK
#: radicals, ideographic marks (々 〆 〇), kana, bopomofo, ideographs, Yi
DENSE_RANGES = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x2E80, 0x2FDF),
                (0x3005, 0x3007), (0x3021, 0x3029), (0x3031, 0x3035), (0x303B, 0x303C),
                (0x3040, 0x30FF), (0x3100, 0x312F), (0x31A0, 0x31BF), (0x31F0, 0x31FF),
                (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF), (0xF900, 0xFAFF))


def _fold_script(x: str) -> str:
    if x.isdecimal() and not x.isascii():
        return str(unicodedata.decimal(x))
    return SCRIPT_FOLD.get(x, x)


def tokenizer_info(segmenter: str = "chars") -> dict[str, str | int]:
    """The tokenizer's name, version and parameters, as ``run.json`` records them; with
    ``segmenter="icu"``, also the versions of ICU and PyICU that cut dense text into words
    (and the name says so: its keys differ from those of ``"chars"``)."""
    if segmenter == "icu":
        from .segment import icu_info

        return {"name": TOKENIZER_NAME_ICU, "version": TOKENIZER_VERSION, "segmenter": segmenter,
                "unicode": unicodedata.unidata_version, **icu_info()}
    return {"name": TOKENIZER_NAME, "version": TOKENIZER_VERSION, "segmenter": segmenter,
            "unicode": unicodedata.unidata_version, "ideograph_context": IDEOGRAPH_CONTEXT,
            "alphabet_context": ALPHABET_CONTEXT}


def fold_char(c: str) -> str:
    """The folded key characters of one character (the specification)."""
    if ord(c) >= _TABLE_SIZE:
        return ""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", c).casefold())
    s = "".join(map(_fold_script, s))
    return "".join(OCR_SKELETON.get(x, x) for x in s if x.isalnum() and ord(x) < _TABLE_SIZE)


#: letters of an alphabet among the dense scripts (Thai, Lao, Myanmar, Khmer); the others
#: (ideographs, kana, bopomofo, Yi) stand for a syllable or a morpheme each
ALPHABET_RANGES = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF))
#: how many dense letters the key of a dense token spans: its own and the next ones of the
#: same run.  An ideograph or a kana carries about half a word, so keys are character
#: bigrams; a Thai word has three or four letters, so Thai keys are 4-grams.  A shingle of k
#: tokens is then a (k + n - 1)-gram, an alignment anchor of 3 tokens an (n + 2)-gram
IDEOGRAPH_CONTEXT = 2
ALPHABET_CONTEXT = 4
_CONTEXT_SHIFT = 5  # the context length is kept in the top bits of the kernel's flags
#: every dense letter lies in [_DENSE_LOW, _DENSE_LOW + _DENSE_LOW_SPAN) (Thai to Khmer) or
#: at _DENSE_HIGH or above (CJK and after); the gap between holds the punctuation, currency
#: signs, symbols and dashes of English text, so a document with a curly quote or an em dash
#: is known to have no dense letter without looking at its chunks (a test checks the bounds)
_DENSE_LOW = 0x0E00
_DENSE_LOW_SPAN = 0x1800 - 0x0E00
_DENSE_HIGH = 0x2E80


def _in_ranges(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def is_dense(c: str) -> bool:
    """Is the character a letter of a script written without spaces (its key starts in
    :data:`DENSE_RANGES`)?  Such a letter is a token of its own (see the module docstring)."""
    key = fold_char(c)
    return bool(key) and _in_ranges(ord(key[0]), DENSE_RANGES)


def context_len(c: str) -> int:
    """How many dense letters the key of the token that ``c`` starts spans (0: not dense)."""
    if not is_dense(c):
        return 0
    return ALPHABET_CONTEXT if _in_ranges(ord(fold_char(c)[0]), ALPHABET_RANGES) else IDEOGRAPH_CONTEXT


def is_mark(c: str) -> bool:
    """Is the character a combining mark (it stays in the segment of the letter before it)?"""
    return ord(c) < _TABLE_SIZE and unicodedata.category(c).startswith("M")


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
    spec = "".join(inspect.getsource(f) for f in (fold_char, _fold_script, has_digit, is_dense,
                                                  context_len, is_mark, _build_fold_tables))
    key = hashlib.blake2b(f"{spec}{OCR_SKELETON}{SCRIPT_FOLD}{DENSE_RANGES}{ALPHABET_RANGES}"
                          f"{IDEOGRAPH_CONTEXT}{ALPHABET_CONTEXT}{_TABLE_SIZE}"
                          f"{unicodedata.unidata_version}".encode(), digest_size=8).hexdigest()
    return Path(__file__).parent / "__pycache__" / f"fold-tables-{key}.npz"


_Tables = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@lru_cache(maxsize=1)
def fold_tables() -> _Tables:
    """(is_space, fold_start, fold_len, fold_chars, is_digit, context, is_mark) lookup
    tables for the BMP (``context``: :func:`context_len`, 0 for characters that are not
    dense).  Computing them takes a second, so they are cached on disk when
    possible."""
    names = ("is_space", "start", "length", "chars", "is_digit", "context", "is_mark")
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


def _build_fold_tables() -> _Tables:
    is_space = np.zeros(_TABLE_SIZE, dtype=np.bool_)
    is_digit = np.zeros(_TABLE_SIZE, dtype=np.bool_)
    context = np.zeros(_TABLE_SIZE, dtype=np.uint8)
    mark = np.zeros(_TABLE_SIZE, dtype=np.bool_)
    start = np.zeros(_TABLE_SIZE, dtype=np.int32)
    length = np.zeros(_TABLE_SIZE, dtype=np.int8)
    chars: list[int] = []
    for cp in range(_TABLE_SIZE):
        c = chr(cp)
        is_space[cp] = c.isspace()
        if 0xD800 <= cp <= 0xDFFF:
            continue
        is_digit[cp] = has_digit(c)
        context[cp] = context_len(c)
        mark[cp] = is_mark(c)
        f = fold_char(c)
        start[cp] = len(chars)
        length[cp] = len(f)
        chars.extend(ord(x) for x in f)
    return is_space, start, length, np.asarray(chars, dtype=np.uint32), is_digit, context, mark


#: flag bits of :func:`hash_tables`
_SPACE = 1
_DIGIT = 2
_KEY = 4
_DENSE = 8
_MARK = 16
#: the base of the polynomial key hash (odd, so multiplying by it loses nothing)
HASH_BASE = 0x9E3779B97F4A7C15


@lru_cache(maxsize=1)
def hash_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(flags, value, multiplier) per BMP character, for the kernel.  ``flags``: space,
    digit, "folds to something", dense-script letter and combining-mark bits, and the
    context length of a dense letter in the top three bits.  A character's folded characters ``f`` enter the
    key hash as ``h = h * multiplier + value`` with ``multiplier = B**len(f)`` and ``value``
    their own polynomial hash (see :func:`key_hash`), so folding one character into several
    costs no branch."""
    is_space, start, length, chars, is_digit, context, mark = fold_tables()
    assert context.max() < 1 << (8 - _CONTEXT_SHIFT)
    flags = (is_space * _SPACE | is_digit * _DIGIT | (length > 0) * _KEY | (context > 0) * _DENSE
             | mark * _MARK | context.astype(np.int64) << _CONTEXT_SHIFT).astype(np.uint8)
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


def segments(text: str, i: int, j: int) -> list[tuple[int, int]]:
    """The segments of the chunk ``text[i:j]`` (see the module docstring)."""
    out = []
    s = i
    after_dense = False  # the last character that is not a combining mark was dense
    tail = False         # the segment started right after a dense letter and has no key yet
    for x in range(i, j):
        c = text[x]
        dense, mark, key = is_dense(c), is_mark(c), bool(fold_char(c))
        cut = x > i and (dense or (after_dense and not mark) or (tail and key))
        if cut:
            out.append((s, x))
            s = x
            tail = after_dense and not key
        else:
            tail = tail and not key
        after_dense = dense or (after_dense and mark)
    out.append((s, j))
    return out


def word_segments(text: str, i: int, j: int, breaks: Collection[int]) -> list[tuple[int, int]]:
    """The segments of the chunk ``text[i:j]`` when dense text is cut into words: the
    :func:`segments`, with each run of dense segments joined into words at the offsets in
    ``breaks`` (word boundaries, e.g. ICU's: see :mod:`copydesk.segment`).  Segments of other
    characters stay as they are."""
    out: list[tuple[int, int]] = []
    joinable = False  # the last segment in ``out`` starts with a dense letter
    for a, b in segments(text, i, j):
        dense = is_dense(text[a])
        if dense and joinable and a not in breaks:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
        joinable = dense
    return out


def tokenize_reference(text: str, breaks: Collection[int] | None = None) -> Tokens:
    """Pure-Python tokenizer: the specification :func:`tokenize` must match.  With
    ``breaks`` (word boundaries, as offsets into ``text``), dense text is cut into words
    (:func:`word_segments`) and a word's key is its own folded characters: segmenter
    ``"icu"``, which :func:`tokenize` with ``segmenter="icu"`` must match."""
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
        segs = segments(text, i, j) if breaks is None else word_segments(text, i, j, breaks)
        for q, (a, b) in enumerate(segs):
            key = "".join(fold_char(x) for x in text[a:b])
            context = context_len(text[a]) if breaks is None else 0
            for r in range(q + 1, q + context):  # a dense segment's context
                if r == len(segs) or not is_dense(text[segs[r][0]]):
                    break
                key += "".join(fold_char(x) for x in text[segs[r][0]:segs[r][1]])
            if key:
                starts.append(a)
                ends.append(b)
                hashes.append(key_hash(key))
                weights.append(b - a + pending)
                lines.append(line)
                digits.append(any(has_digit(x) for x in text[a:b]))
                pending = 0
            elif weights:
                weights[-1] += b - a
            else:
                pending += b - a
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


@nb.njit(cache=True, nogil=True, inline="always")
def _emit(i, j, lo, h, f, line, first, nt, pending, starts, ends, hashes, weights, lines,
          digits):  # pragma: no cover - jit
    """Segment ``[i, j)`` (key hash state ``h``, or-ed flags ``f``) becomes token ``nt``, or
    adds its length to the previous token's weight (or to ``pending`` before the first).
    Returns the new (nt, pending)."""
    u = np.uint64
    if f & u(_KEY):
        starts[u(nt)] = i - lo
        ends[u(nt)] = j - lo
        hashes[u(nt)] = _mix(h)
        weights[u(nt)] = j - i + pending
        lines[u(nt)] = line
        digits[u(nt)] = (f & u(_DIGIT)) != 0
        return nt + 1, 0
    if nt > first:
        weights[u(nt - 1)] += j - i
        return nt, pending
    return nt, pending + j - i


@nb.njit(cache=True, nogil=True)
def _dense_chunk(cps, i, j, lo, flags, value, mult, line, first, nt, pending, starts, ends,
                 hashes, weights, lines, digits, seg_s, seg_e, seg_h, seg_m,
                 seg_f):  # pragma: no cover - jit
    """Tokens of the chunk ``cps[i:j]`` that holds a dense letter (:func:`segments`; kept
    out of :func:`_tokenize_docs`, whose loop over ordinary chunks stays as small as it
    was).  ``seg_*``: scratch of at least ``j - i + 1``.  Returns the new (nt, pending)."""
    u = np.uint64
    # cut the chunk into segments (scratch arrays), then emit them: a dense
    # segment's hash goes on over the dense segments after it (its context)
    ns = 0
    s = i
    h = u(0)
    m = u(1)
    acc = u(0)
    after_dense = False
    tail = False
    for x in range(i, j + 1):
        fx = 0
        k = 0
        if x < j:
            c = cps[u(x)]
            k = c if c < 0x10000 else 0
            fx = flags[k]
        dense = (fx & _DENSE) != 0
        mark = (fx & _MARK) != 0
        key = (fx & _KEY) != 0
        if x == j or (x > s and (dense or (after_dense and not mark) or (tail and key))):
            seg_s[u(ns)] = s
            seg_e[u(ns)] = x
            seg_h[u(ns)] = h
            seg_m[u(ns)] = m
            seg_f[u(ns)] = acc
            ns += 1
            s = x
            h = u(0)
            m = u(1)
            acc = u(0)
            tail = after_dense and not key
        else:
            tail = tail and not key
        h = h * mult[k] + value[k]
        m = m * mult[k]
        acc |= u(fx)
        after_dense = dense or (after_dense and mark)
    for q in range(ns):
        f = seg_f[u(q)]
        h = seg_h[u(q)]
        if f & u(_DENSE):
            ctx = flags[cps[u(seg_s[u(q)])]] >> _CONTEXT_SHIFT
            for r in range(q + 1, min(q + ctx, ns)):
                if (seg_f[u(r)] & u(_DENSE)) == 0:
                    break
                h = h * seg_m[u(r)] + seg_h[u(r)]
        nt, pending = _emit(seg_s[u(q)], seg_e[u(q)], lo, h, f, line, first, nt,
                            pending, starts, ends, hashes, weights, lines, digits)
    return nt, pending


@nb.njit(cache=True, nogil=True)
def _dense_doc(cps, lo, hi, lb, nch, bnd, state, seen, flags, value, mult, nt, starts, ends,
               hashes, weights, lines, digits, line_start, line_c0, line_c1, line_last,
               line_ntok):  # pragma: no cover - jit
    """The loop of :func:`_tokenize_docs` over the chunks of one document, for a document
    with a dense letter: chunks that hold one are cut by :func:`_dense_chunk`.  (A copy of
    that loop rather than a branch inside it: see :func:`_make_tokenize_docs`.)  Its scratch
    for :func:`_dense_chunk` is allocated here, so that the main loop holds no array of the
    dense path.  Returns the new token count."""
    u = np.uint64
    room = hi - lo + 1
    seg_s = np.empty(room, np.int64)
    seg_e = np.empty(room, np.int64)
    seg_h = np.empty(room, np.uint64)
    seg_m = np.empty(room, np.uint64)
    seg_f = np.empty(room, np.uint64)
    first = nt
    pending = 0
    line = 0
    at = lo  # characters before this have been looked at
    for t in range(nch):
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
        if (f & u(_DENSE | _KEY)) == u(_KEY):
            starts[u(nt)] = i - lo
            ends[u(nt)] = j - lo
            hashes[u(nt)] = _mix(state[u(2 * t + 1)])
            weights[u(nt)] = j - i + pending
            lines[u(nt)] = line
            digits[u(nt)] = (f & u(_DIGIT)) != 0
            line_ntok[ln] += 1
            pending = 0
            nt += 1
        elif (f & u(_DENSE)) == 0:
            if nt > first:
                weights[u(nt - 1)] += j - i
            else:
                pending += j - i
        else:
            before = nt
            nt, pending = _dense_chunk(cps, i, j, lo, flags, value, mult, line, first, nt,
                                       pending, starts, ends, hashes, weights, lines, digits,
                                       seg_s, seg_e, seg_h, seg_m, seg_f)
            line_ntok[ln] += nt - before
    for x in range(at, hi):  # trailing spaces
        if cps[u(x)] == 10:
            line += 1
            line_start[u(lb + line)] = x + 1 - lo
    return nt


@nb.njit(cache=True, nogil=True)
def _no_dense_doc(cps, lo, hi, lb, nch, bnd, state, seen, flags, value, mult, nt, starts, ends,
                  hashes, weights, lines, digits, line_start, line_c0, line_c1, line_last,
                  line_ntok):  # pragma: no cover - jit
    """Stands in for :func:`_dense_doc` in the kernel without the dense path: gives up."""
    return -1


def _make_tokenize_docs(dense: Callable[..., int], name: str) -> Callable[..., tuple]:
    """:func:`_tokenize_docs_source` compiled with ``dense`` as its ``dense_doc`` for
    documents with a dense letter.  It is compiled twice: with :func:`_dense_doc`, and with
    :func:`_no_dense_doc` (then it returns a token count of -1 at the first such document,
    and is run first).  Any call to the dense path in the kernel, even one never taken, made
    tokenizing other text 12 % slower: LLVM inlines it, and compiles the loop over ordinary
    chunks worse.  Each variant is a module-level function of its own name (numba names its
    on-disk cache after the function and cannot cache a closure over another kernel: as a
    closure, both variants were compiled again in every process, four seconds a scan)."""
    src = _tokenize_docs_source
    fn = types.FunctionType(src.__code__, {**globals(), "dense_doc": dense}, name, src.__defaults__)
    fn.__qualname__ = name
    fn.__doc__ = src.__doc__
    return nb.njit(cache=True, nogil=True)(fn)


def _tokenize_docs_source(cps, doc_cp, flags, value, mult, starts, ends, hashes, weights, lines,
                   digits):  # pragma: no cover - jit
    """Tokenize documents ``cps[doc_cp[d]:doc_cp[d + 1]]`` into the given arrays (room for
    ``token_capacity(cps, ndocs, dense)`` tokens, ``dense`` true for the variant with the
    dense path; allocated by the caller, as numpy's large allocations get huge pages).  Per token: start, end (local to its document), hash, weight, line, digit;
    returns the token count, ``tok_first`` (ndocs + 1) token offsets, and per line
    ("\\n"-separated, all documents in turn): its local start offset, its first two and its
    last non-space code points (0 if none), its token count; ``line_base`` (ndocs + 1) line
    offsets.  Each document goes through :func:`_chunks` (into scratch arrays that stay in
    cache), then its chunks (a few per word, not per character) become tokens here; the
    rare chunk with a dense-script letter is cut into segments character by character
    (:func:`segments`)."""
    u = np.uint64
    ndocs = len(doc_cp) - 1
    line_base = np.zeros(ndocs + 1, np.int64)
    longest = 0
    maybe = np.zeros(ndocs, np.bool_)  # the document has a code point where dense letters are
    for d in range(ndocs):
        nl = 1
        hit = False
        for i in range(doc_cp[d], doc_cp[d + 1]):
            c = cps[u(i)]
            nl += c == 10
            hit |= (u(c) - u(_DENSE_LOW) < u(_DENSE_LOW_SPAN)) | (c >= _DENSE_HIGH)
        maybe[d] = hit
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
        nch = _chunks(cps, lo, hi, flags, value, mult, bnd, state, seen)
        any_dense = u(0)
        if maybe[d]:  # else no dense letter can be there
            for t in range(nch):
                any_dense |= seen[u(2 * t + 1)]
        if any_dense & u(_DENSE):
            nt = dense_doc(cps, lo, hi, lb, nch, bnd, state, seen, flags, value, mult, nt,  # noqa: F821 (bound per variant)
                           starts, ends, hashes, weights, lines, digits, line_start, line_c0,
                           line_c1, line_last, line_ntok)
            if nt < 0:
                return nt, tok_first, line_start, line_c0, line_c1, line_last, line_base, line_ntok
            tok_first[d + 1] = nt
            continue
        first = nt
        pending = 0
        line = 0
        at = lo  # characters before this have been looked at
        for t in range(nch):
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


_tokenize_docs = _make_tokenize_docs(_dense_doc, "_tokenize_docs_dense")
_tokenize_docs_plain = _make_tokenize_docs(_no_dense_doc, "_tokenize_docs_plain")


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


def token_capacity(cps: np.ndarray, ndocs: int, dense: bool) -> int:
    """An upper bound on the tokens of ``ndocs`` documents whose code points are ``cps``.
    Without dense letters (``dense=False``) a token is a chunk, a run of non-spaces
    followed by a space or the end of its document: a document of n characters has at most
    ``(n + 1) // 2`` of them, all of them together at most ``(len(cps) + ndocs) // 2``.
    With dense letters there may be a token per character.

    The bound matters for speed, not only for safety: the six output arrays are allocated
    anew for every batch, and glibc serves a request above its mmap threshold (at most
    32 MiB) with fresh pages from the kernel, each of which faults and is zeroed when the
    kernel first writes to it; below the threshold a freed block is reused warm.  The
    ``hash`` array of a batch of 2,000 news articles (4.3 million characters) takes 17 MiB
    at the tighter bound and 34 MiB at one token per character, which made English text with
    a curly apostrophe (uint16 code points) tokenize 1.3 to 1.4 times slower."""
    n = len(cps)
    return (n if dense else (n + ndocs) // 2) + 1


def _outputs(cap: int) -> tuple[np.ndarray, ...]:
    return (np.empty(cap, np.int32), np.empty(cap, np.int32), np.empty(cap, np.uint64),
            np.empty(cap, np.int32), np.empty(cap, np.int32), np.empty(cap, np.bool_))


def tokenize_docs(cps: np.ndarray, doc_cp: np.ndarray, segmenter: str = "chars",
                  joined: str | None = None) -> tuple[np.ndarray, ...]:
    """Tokenize many documents in one kernel call (see ``_tokenize_docs``): ``cps`` holds
    their code points end to end, ``doc_cp`` (ndocs + 1) where each starts.  The kernel
    without the dense path runs first, into arrays sized for text without dense letters
    (:func:`token_capacity`); it gives up at the first document with a dense letter, and
    then the kernel with the dense path runs, into arrays with room for a token per
    character.  Latin-1 text (uint8) has no dense letters.

    With ``segmenter="icu"`` (``joined``: the documents' text end to end, whose code points
    ``cps`` are), the dense letters of each word that ICU finds are then joined into one
    token (:func:`copydesk.segment.join_words`); text without dense letters is untouched."""
    if segmenter != "chars":
        from .segment import join_words

        assert joined is not None, "segmenter icu needs the text"
        return join_words(tokenize_docs(cps, doc_cp), cps, doc_cp, joined)
    doc_cp = np.asarray(doc_cp, np.int64)
    ndocs = len(doc_cp) - 1
    out = _outputs(token_capacity(cps, ndocs, dense=False))
    nt, *rest = _tokenize_docs_plain(cps, doc_cp, *hash_tables(), *out)
    if nt < 0:  # a document with a dense letter: again with the dense path
        del out, rest  # freed first, so that the larger arrays can take their place
        out = _outputs(token_capacity(cps, ndocs, dense=True))
        nt, *rest = _tokenize_docs(cps, doc_cp, *hash_tables(), *out)
    return (*(x[:nt] for x in out), *rest)


def tokenize(text: str, segmenter: str = "chars") -> Tokens:
    """Fast tokenizer (numba); identical output to :func:`tokenize_reference` (with ICU's
    word boundaries as ``breaks`` for ``segmenter="icu"``)."""
    cps = codepoints(text)
    return Tokens(*tokenize_docs(cps, np.array([0, len(cps)]), segmenter, text)[:6])
