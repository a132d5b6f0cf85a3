"""Dictionary word segmentation of dense scripts with ICU (``PrepareConfig(segmenter="icu")``).

By default (``segmenter="chars"``) a letter of a script written without spaces between words
(Chinese, Japanese, Thai, Lao, Khmer, Myanmar: *dense* scripts, see :mod:`copydesk.textnorm`)
is a token of its own, keyed by a character n-gram.  With ``segmenter="icu"`` the dense
letters of one word, as ICU's word break iterator finds it (dictionaries for Chinese and
Japanese, Thai, Lao, Khmer and Burmese; the root locale, as the dictionaries go by script,
not by locale), become one token, keyed by its own folded characters like a word of any other
script.  Everything else is tokenized exactly as with ``"chars"``.

ICU is the optional ``icu`` extra (``pip install 'copydesk[icu]'``: the pyicu-wheels package,
which bundles ICU); it is imported only when asked for, and its absence raises
:class:`~copydesk.errors.MissingDependency`.

How: the numba tokenizer runs as always (:func:`copydesk.textnorm.tokenize_docs`); then, in
the documents that have dense letters only, adjacent dense tokens of one chunk with no ICU
word boundary between them are joined (:func:`join_words`) and every dense token's key hash
is taken again over its own characters.  The specification is
:func:`copydesk.textnorm.tokenize_reference` with ICU's boundaries as ``breaks``.  ICU counts
in UTF-16 code units; :func:`word_breaks` turns its boundaries into Python string offsets
(code points), which differ after a character beyond the BMP (an emoji, a rare ideograph).
"""

from __future__ import annotations

import threading
from types import ModuleType
from typing import Any

import numba as nb
import numpy as np

from .errors import MissingDependency
from .textnorm import _DENSE, _TABLE_SIZE, _mix, codepoints, hash_tables

_local = threading.local()  # a break iterator per thread (ICU's are not thread-safe)


def require_icu() -> ModuleType:
    """The PyICU module (``icu``); :class:`MissingDependency` when the extra is missing."""
    try:
        import icu
    except ImportError:
        raise MissingDependency("PyICU", "icu") from None
    return icu


def icu_info() -> dict[str, str]:
    """The versions of ICU and PyICU, as ``run.json`` records them."""
    icu = require_icu()
    return {"icu_version": str(icu.ICU_VERSION), "pyicu_version": str(icu.VERSION),
            "icu_unicode": str(icu.UNICODE_VERSION), "icu_locale": "root"}


def _breaker() -> Any:
    bi = getattr(_local, "word", None)
    if bi is None:
        icu = require_icu()
        bi = _local.word = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    return bi


def word_breaks(text: str, cps: np.ndarray | None = None) -> np.ndarray:
    """ICU's word boundaries in ``text`` as sorted offsets into the Python string (code
    points; ``len(text)`` included, 0 not).  ``cps``: ``codepoints(text)``, if at hand."""
    if not text:
        return np.zeros(0, np.int64)
    cps = codepoints(text) if cps is None else cps
    if cps.dtype == np.uint16 and ((cps >= 0xD800) & (cps < 0xE000)).any():
        # a lone surrogate (text decoded with surrogateescape/surrogatepass) cannot go to
        # ICU; U+FFFD is one UTF-16 unit as well, so no offset moves
        text = "".join(c if not 0xD800 <= ord(c) < 0xE000 else "\ufffd" for c in text)
    bi = _breaker()
    bi.setText(text)
    u16 = np.fromiter(bi, np.int64)
    if cps.dtype != np.uint32:  # no character beyond the BMP: UTF-16 offsets are code points
        return u16
    # code point i starts at UTF-16 offset at16[i]; a character beyond the BMP takes two units
    at16 = np.zeros(len(cps) + 1, np.int64)
    np.cumsum(1 + (cps > 0xFFFF), out=at16[1:])
    pos = np.searchsorted(at16, u16)
    ok = (pos < len(at16)) & (at16[np.minimum(pos, len(at16) - 1)] == u16)
    return pos[ok]  # (ICU never breaks inside a surrogate pair; were it to, that is dropped)


@nb.njit(cache=True, nogil=True)
def _word_hashes(cps, starts, ends, value, mult):  # pragma: no cover - jit
    """The key hash of each word ``cps[starts[w]:ends[w]]`` (as the tokenizer's kernel
    hashes a chunk: see ``textnorm.hash_tables``)."""
    out = np.empty(len(starts), np.uint64)
    for w in range(len(starts)):
        h = np.uint64(0)
        for i in range(starts[w], ends[w]):
            c = cps[np.uint64(i)]
            k = c if c < 0x10000 else 0
            h = h * mult[k] + value[k]
        out[w] = _mix(h)
    return out


def join_words(out: tuple[np.ndarray, ...], cps: np.ndarray, doc_cp: np.ndarray,
               joined: str) -> tuple[np.ndarray, ...]:
    """The output of :func:`~copydesk.textnorm.tokenize_docs` (segmenter ``"chars"``) with
    dense text cut into ICU's words instead of characters: the tokens of a word joined (start
    of the first, end of the last, weights added, digits or-ed), its key hash that of its own
    characters (without the n-gram context of ``"chars"``), per-document token offsets and
    per-line token counts updated.  ``joined``: the text whose code points ``cps`` are.
    Documents without dense letters are left as they are, and a batch without any costs a
    look at its token starts (nothing at all for Latin-1 text)."""
    (start, end, hashes, weight, line, digit, tok_first, line_start, c0, c1, line_last,
     line_base, counts) = out
    require_icu()  # asked for, so needed, whatever the text
    ntok = len(start)
    if cps.dtype == np.uint8 or ntok == 0:  # Latin-1 text has no dense letter
        return out
    doc_cp = np.asarray(doc_cp, np.int64)
    flags, value, mult = hash_tables()
    doc = np.repeat(np.arange(len(tok_first) - 1, dtype=np.int64), np.diff(tok_first))
    at = doc_cp[:-1][doc] + start  # where each token starts in ``cps``
    first_cp = cps[at].astype(np.int64)
    first_cp[first_cp >= _TABLE_SIZE] = 0
    dense = (flags[first_cp] & _DENSE) != 0
    if not dense.any():
        return out
    # token t may join token t - 1: both dense, in one document, with nothing between them
    # (then they are in one chunk); it does when ICU sees no word boundary where t starts
    cand = np.zeros(ntok, np.bool_)
    cand[1:] = dense[1:] & dense[:-1] & (doc[1:] == doc[:-1]) & (end[:-1] == start[1:])
    join = np.zeros(ntok, np.bool_)
    idx = np.flatnonzero(cand)
    if len(idx):
        docs, first = np.unique(doc[idx], return_index=True)
        bounds = [*first.tolist(), len(idx)]
        for q, d in enumerate(docs.tolist()):
            lo, hi = int(doc_cp[d]), int(doc_cp[d + 1])
            sel = idx[bounds[q]:bounds[q + 1]]
            breaks = word_breaks(joined[lo:hi], cps[lo:hi])
            join[sel] = ~np.isin(start[sel], breaks)
    heads = np.flatnonzero(~join)
    last = np.empty(len(heads), np.int64)
    last[:-1] = heads[1:] - 1
    last[-1] = ntok - 1
    new_start = start[heads]
    new_end = end[last]
    new_hash = hashes[heads]  # a copy (fancy indexing)
    word = dense[heads]
    wdoc = doc[heads[word]]
    new_hash[word] = _word_hashes(cps, doc_cp[wdoc] + new_start[word], doc_cp[wdoc] + new_end[word],
                                  value, mult)
    new_weight = np.add.reduceat(weight, heads).astype(np.int32)
    new_digit = np.logical_or.reduceat(digit, heads)
    prefix = np.zeros(ntok + 1, np.int64)
    np.cumsum(~join, out=prefix[1:])
    new_tok_first = prefix[tok_first]
    gline = line_base[doc] + line  # tokens never join across lines (nor chunks)
    new_counts = counts - np.bincount(gline[join], minlength=len(counts)).astype(counts.dtype)
    return (new_start, new_end, new_hash, new_weight, line[heads], new_digit, new_tok_first,
            line_start, c0, c1, line_last, line_base, new_counts)
