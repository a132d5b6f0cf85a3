"""Paraphrase: reworded sentences of two articles paired in order.

A light revision keeps the structure of its source but rewords most sentences (synonyms,
word order, voice, numbers re-expressed), so exact anchors miss most of it.  Sentence by
sentence the *content words* (word keys of the tokenizer, stopwords left out) still mostly
agree.  This stage, after the exact alignment of :mod:`copydesk.align`:

1. splits each text into sentences (token ranges; a sentence ends at ``.``, ``!`` or ``?``
   after a word, or at a line break) outside boilerplate;
2. scores every sentence pair by the Dice coefficient of their content-word sets (a join on
   word keys, so the cost follows the shared words, not the product of the sentences);
3. pairs sentences monotonically — a longest-common-subsequence dynamic programme over the
   pairs scoring at least ``min_similarity``; a sentence between two paired neighbours on
   both sides is paired too at half that score (the idea of the sentence alignments of
   Gale & Church 1993 and of Clough & Stevenson's graded-rewrite analysis, lexical only);
4. keeps the pairing only when it is evidence of reuse, not of a shared subject: at least
   ``min_sentences`` pairs, a run of ``min_run`` pairs adjacent on both sides, and enough of
   the shorter text's sentences paired.  Two outlets' own reports of one event share names,
   figures and the topic, but not one sentence after another in the same order; instances
   of a template differ in their figures and names (pairings whose differing words are
   mostly such slots are set aside).

Paired sentences that do not overlap an exact passage become passages of kind
``paraphrase``; their offsets are the sentences' exact characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numba as nb
import numpy as np

from .align import Alignment
from .align_kernel import covered, same_words, sort_by_hash
from .config import ParaphraseConfig
from .prepare import Prepared
from .prepare_batch import _sentence_ends
from .records import Passage
from .setops import unique
from .textnorm import codepoints, splitmix64, tokenize

_STOPWORDS = """
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my no nor not now of off on once only or other our ours out over own same she should
so some such than that the their theirs them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your
said says say saying told tells added adding according mr mrs ms dr per cent percent
its it's he's she's they're there's that's who's what's don't doesn't didn't won't can't isn't
wasn't aren't weren't hasn't haven't hadn't wouldn't couldn't shouldn't s t
yesterday today monday tuesday wednesday thursday friday saturday sunday week year years
one
"""


@lru_cache(maxsize=1)
def stop_keys() -> np.ndarray:
    """Sorted word keys of the stopwords (keys as :func:`copydesk.textnorm.tokenize` gives)."""
    return unique(tokenize(_STOPWORDS).hash)


_TABLE_BITS = 12


@lru_cache(maxsize=1)
def stop_table() -> np.ndarray:
    """The stopword keys in a perfect-hash table for :func:`is_stop`: ``table[0]`` is a
    multiplier that sends every stopword key ``k`` to a slot of its own,
    ``1 + (k * table[0] >> (64 - _TABLE_BITS))`` (multiplicative hashing, Knuth 6.4; the
    first multiplier of a fixed sequence that has no collision), so a token takes one load
    and one compare, with no branch on a probe sequence; 0 marks an empty slot."""
    keys = stop_keys()
    shift = np.uint64(64 - _TABLE_BITS)
    for seed in range(1, 1 << 20):
        mult = np.uint64(splitmix64(seed) | 1)
        slot = (keys * mult) >> shift
        if len(unique(slot)) == len(keys):
            break
    else:  # pragma: no cover - a few thousand tries at most for a few hundred stopwords
        raise RuntimeError("no perfect hash for the stopwords: raise _TABLE_BITS")
    table = np.zeros(1 + (1 << _TABLE_BITS), np.uint64)
    table[0] = mult
    table[1 + slot.astype(np.int64)] = keys
    return table


@nb.njit(cache=True, inline="always")
def is_stop(h, table):  # pragma: no cover - jit
    i = np.int64((h * table[0]) >> np.uint64(64 - _TABLE_BITS)) + 1
    return (table[i] == h) & (h != np.uint64(0))


@nb.njit(cache=True, nogil=True)
def _stop_mask(hashes, table):  # pragma: no cover - jit
    out = np.empty(len(hashes), np.bool_)
    for t in range(len(hashes)):
        out[t] = is_stop(hashes[t], table)
    return out


def stop_mask(hashes: np.ndarray) -> np.ndarray:
    """Per key: a stopword?  (Same as ``np.isin(hashes, stop_keys())``.)"""
    return _stop_mask(np.ascontiguousarray(hashes, np.uint64), stop_table())


@dataclass(frozen=True, slots=True, eq=False)
class Sentences:
    """The sentences of one text: token ranges ``[first, last)`` and, per sentence, its
    distinct content-word keys (``keys`` sorted by sentence, then key; ``sent`` the
    sentence of each key)."""

    first: np.ndarray
    last: np.ndarray
    size: np.ndarray   # distinct content words per sentence
    keys: np.ndarray
    sent: np.ndarray
    digit: np.ndarray  # per key: a slot of a template (a number, or a capitalised word not first)
    by_key: np.ndarray  # the order of ``keys`` by key (stable)


def cached_sentences(p: Prepared, text: str, min_words: int) -> Sentences:
    """:func:`sentences`, remembered for the last few hundred articles of this process."""
    return _cached_sentences(p, text, min_words)


@lru_cache(maxsize=512)
def _cached_sentences(p: Prepared, text: str, min_words: int) -> Sentences:
    # Prepared compares by identity: an article aligned in many pairs of a chunk is split once
    return sentences(p, text, min_words)


@nb.njit(cache=True, nogil=True)
def _row_buffers(n):  # pragma: no cover - jit
    """The arrays :func:`_sentence_rows_into` writes, with room for a text (or batch) of
    ``n`` tokens: firsts, lasts, sizes and slot counts per sentence, keys, their sentence
    and slot flag, rows (``sentence << 1 | slot``) per key, and scratch."""
    return (np.empty(n + 1, np.int64), np.empty(n + 1, np.int64), np.empty(n + 1, np.int64),
            np.empty(n + 1, np.int64), np.empty(n + 1, np.uint64), np.empty(n + 1, np.int64),
            np.empty(n + 1, np.bool_), np.empty(n + 1, np.int64), np.empty(n + 1, np.int64))


@nb.njit(cache=True, nogil=True)
def _sentence_rows(hashes, boiler, line, digit, start, cps, stop_after, table, min_words):  # pragma: no cover - jit
    """The rows of :class:`Sentences` (but ``by_key``), and the slots of each sentence
    (:func:`_sentence_rows_into` of one text)."""
    n = len(hashes)
    firsts, lasts, sizes, slot_count, keys, sent, slots, rows, cand = _row_buffers(n)
    ns, m = _sentence_rows_into(hashes, boiler, line, digit, start, cps, stop_after, table, min_words, firsts, lasts,
                                sizes, keys, sent, slots, slot_count, rows, cand, 0, 0)
    return firsts[:ns], lasts[:ns], sizes[:ns], keys[:m], sent[:m], slots[:m], slot_count[:ns]


@nb.njit(cache=True, nogil=True)
def _sentence_rows_into(hashes, boiler, line, digit, start, cps, stop_after, table, min_words, firsts, lasts, sizes,
                        keys, sent, slots, slot_count, rows, cand, ns, m):  # pragma: no cover - jit
    """The rows of :class:`Sentences` of one text written into the arrays from sentence
    ``ns`` and key ``m`` on (room for one more row of each than the text has tokens; its
    sentences numbered from 0), and per key ``rows`` its ``sentence << 1 | slot``, per
    sentence ``slot_count`` its slots; ``cand``: scratch.  Returns the new ``ns``, ``m``.
    A token is a slot when it has a digit, or when it is capitalised (A-Z, À-Þ but ×) and
    not the first of its sentence.  Every row is written whether it is kept or not (a word
    seen before in its sentence, a sentence too short), and the count moves on only when it
    is: no branch on either."""
    n = len(hashes)
    ns0 = ns
    s = 0
    u = np.uint64  # unsigned indexes: numba emits no negative-index wraparound code for them
    while s < n:
        e = s
        while e < n - 1 and not (stop_after[u(e)] | (line[u(e + 1)] != line[u(e)])
                                 | (boiler[u(e + 1)] != boiler[u(e)])):
            e += 1
        e += 1  # tokens [s, e)
        m0 = m
        seen = np.uint64(0)  # a 64-bit filter of the sentence's words so far: most are new
        c = 0
        k_slots = 0
        for t in range(s, e):  # its content words, gathered without a branch
            cand[u(c)] = t
            c += np.int64(not boiler[u(t)]) & np.int64(not is_stop(hashes[u(t)], table))
        here = ns - ns0
        for q in range(c):
            t = cand[u(q)]
            h = hashes[u(t)]
            bit = np.uint64(1) << (h >> np.uint64(58))
            dup = False
            if seen & bit:
                for x in range(m0, m):
                    if keys[u(x)] == h:
                        dup = True
                        break
            seen |= bit
            c0 = np.int64(cps[u(start[u(t)])])
            caps = (u(c0 - 65) < u(26)) | ((u(c0 - 0xC0) < u(31)) & (c0 != 0xD7))
            slot = digit[u(t)] | (caps & (t != s))
            keys[u(m)] = h  # a word once per sentence, as its first occurrence
            sent[u(m)] = here
            slots[u(m)] = slot
            rows[u(m)] = here << 1 | np.int64(slot)
            k_slots += np.int64(slot) & np.int64(not dup)
            m += np.int64(not dup)
        keep = m - m0 >= min_words
        firsts[u(ns)] = s
        lasts[u(ns)] = e
        sizes[u(ns)] = m - m0
        slot_count[u(ns)] = k_slots
        ns += np.int64(keep)
        if not keep:
            m = m0
        s = e
    return ns, m


def sentences(p: Prepared, text: str, min_words: int = 4) -> Sentences:
    """Sentences of a prepared text outside boilerplate with at least ``min_words`` content
    words (compiled; :func:`sentences_reference` is the specification)."""
    t = p.tokens
    n = len(t.start)
    if n == 0:
        e = np.zeros(0, np.int64)
        return Sentences(e, e, e, e.astype(np.uint64), e, e.astype(np.bool_), e)
    first, last, size, keys, sent, slots, _ = _sentences_of(codepoints(text), t.start, t.end, t.hash, p.boiler, t.line,
                                                          t.digit, stop_table(), min_words)
    return Sentences(first, last, size, keys, sent, slots, np.argsort(keys, kind="stable"))


@nb.njit(cache=True, nogil=True)
def _sentences_of(cps, start, end, hashes, boiler, line, digit, table, min_words):  # pragma: no cover - jit
    """The rows of :class:`Sentences` of one text in one call: its tokens' sentence ends
    (:func:`copydesk.prepare_batch._sentence_ends`), then :func:`_sentence_rows`."""
    doc_cp = np.zeros(2, np.int64)
    doc_cp[1] = len(cps)
    tok_first = np.zeros(2, np.int64)
    tok_first[1] = len(start)
    stop_after = _sentence_ends(cps, doc_cp, tok_first, start, end)
    return _sentence_rows(hashes, boiler, line, digit, start, cps, stop_after, table, min_words)


@nb.njit(cache=True, nogil=True)
def _batch_sentence_rows(hashes, boiler, line, digit, start, cps, doc_cp, sent_end, tok_first, table,
                         min_words, want):  # pragma: no cover - jit
    """:func:`_sentence_rows` of every document ``d`` of a batch with ``want[d]`` (the others
    get none), laid end to end, and per document the offsets of its sentences and of its
    keys; and what the pairing reads (:func:`_paraphrase_many`): each document's keys in
    order of key (stable) with their rows ``sentence << 1 | slot``, and the slots of each
    sentence."""
    nd = len(tok_first) - 1
    n = len(hashes)
    firsts, lasts, sizes, slot_count, keys, sent, slots, rows, cand = _row_buffers(n)
    sorted_keys = np.empty(n, np.uint64)
    sorted_rows = np.empty(n, np.int64)
    sent_first = np.zeros(nd + 1, np.int64)
    key_first = np.zeros(nd + 1, np.int64)
    ns = m = 0
    for d in range(nd):
        a, b = tok_first[d], tok_first[d + 1]
        if b > a and want[d]:
            m0 = m
            ns, m = _sentence_rows_into(hashes[a:b], boiler[a:b], line[a:b], digit[a:b], start[a:b],
                                        cps[doc_cp[d]:doc_cp[d + 1]], sent_end[a:b], table, min_words, firsts, lasts,
                                        sizes, keys, sent, slots, slot_count, rows, cand, ns, m)
            # a counting sort on the keys' top bits, carrying their rows
            sort_by_hash(keys[m0:m], rows[m0:m], sorted_keys[m0:m], sorted_rows[m0:m])
        sent_first[d + 1] = ns
        key_first[d + 1] = m
    return (firsts[:ns], lasts[:ns], sizes[:ns], keys[:m], sent[:m], slots[:m], sent_first, key_first,
            sorted_keys[:m], sorted_rows[:m], slot_count[:ns])


class BatchSentences:
    """The :class:`Sentences` of every article of a prepared batch (``sentences(p, text,
    min_words)`` of each, as :meth:`of` gives them): one compiled pass over the batch, which
    knows its tokens' sentence ends already, in place of a call per article, each article's
    keys sorted there too with their sentences (a counting sort on their top bits: what
    :meth:`paraphrase_many` joins on; an article's ``by_key`` is made when :meth:`of` is
    asked for it).  ``want``: the articles to split in that pass (by default all); another
    one is split when it is asked for, on its own (a document's rows depend on its own
    tokens and text only)."""

    def __init__(self, batch: Any, min_words: int, want: np.ndarray | None = None) -> None:
        if batch.sent_end is None or batch.cps is None or batch.doc_cp is None:
            raise ValueError("BatchSentences needs a batch from prepare_batch (sent_end, cps, doc_cp)")
        ndocs = len(batch.tok_first) - 1
        self._want = np.ones(ndocs, np.bool_) if want is None else np.asarray(want, np.bool_)
        self._batch, self._min_words = batch, min_words
        (self._first, self._last, self._size, self._keys, self._sent, self._slots, self._sent_first, self._key_first,
         self._sorted_keys, self._sorted_rows, self._slot_count) = _batch_sentence_rows(
            batch.hash, batch.boiler, batch.line, batch.digit, batch.start, batch.cps, batch.doc_cp, batch.sent_end,
            batch.tok_first, stop_table(), min_words, self._want)
        self._done: dict[int, Sentences] = {}

    def of(self, d: int) -> Sentences:
        """The sentences of article ``d`` of the batch."""
        s = self._done.get(d)
        if s is None and not self._want[d]:
            s = self._done[d] = self._alone(d)
        if s is None:
            i, j = int(self._sent_first[d]), int(self._sent_first[d + 1])
            k, m = int(self._key_first[d]), int(self._key_first[d + 1])
            keys = self._keys[k:m]
            s = self._done[d] = Sentences(self._first[i:j], self._last[i:j], self._size[i:j], keys,
                                          self._sent[k:m], self._slots[k:m], np.argsort(keys, kind="stable"))
        return s

    def paraphrase_many(self, left: np.ndarray, right: np.ndarray, exact: Sequence[np.ndarray],
                        config: ParaphraseConfig | None = None) -> list[tuple[np.ndarray, int]]:
        """Per pair p of articles ``left[p]`` and ``right[p]`` with exact passages ``exact[p]``
        (token spans, n x 4): ``paraphrase_spans`` of its two articles (the sentence pairs that are
        evidence of reuse), and how many of them do not lie inside one exact passage on both
        sides (:func:`with_paraphrases` adds nothing when none does).  One compiled call for
        the pairs whose articles this batch's pass split (the per-call costs of
        :func:`paraphrase_spans`, a fifth of it, paid once); any other pair on its own."""
        cfg = config or ParaphraseConfig()
        left, right = np.asarray(left, np.int64), np.asarray(right, np.int64)
        together = self._want[left] & self._want[right]
        out: list[tuple[np.ndarray, int]] = [(_NO_SPANS, 0)] * len(left)
        idx = np.flatnonzero(together)
        if len(idx):
            part = exact if len(idx) == len(left) else [exact[p] for p in idx.tolist()]
            sizes = np.fromiter(map(len, part), np.int64, len(idx))
            ex = np.concatenate(part).astype(np.int64, copy=False).reshape(-1, 4) if sizes.any() else _NO_SPANS
            spans, first, outside = _paraphrase_many(
                self._first, self._last, self._size, self._sorted_keys, self._sorted_rows, self._slot_count,
                self._sent_first, self._key_first, left[idx], right[idx], ex,
                np.concatenate(([0], np.cumsum(sizes))),
                cfg.min_sentences, float(cfg.min_similarity), cfg.min_run, float(cfg.min_share),
                float(cfg.max_slot_edits), _MAX_SENTENCES_PER_WORD)
            found = np.flatnonzero(first[1:] > first[:-1])  # the pairs with spans
            for p, f0, f1, n in zip(idx[found].tolist(), first[found].tolist(), first[found + 1].tolist(),
                                    outside[found].tolist(), strict=True):
                out[p] = (spans[f0:f1], n)
        for p in np.flatnonzero(~together).tolist():
            sa, sb = self.of(int(left[p])), self.of(int(right[p]))
            rows = np.ascontiguousarray(exact[p], np.int64).reshape(-1, 4)
            spans = _spans_between(sa, sb, rows, cfg)
            out[p] = (spans, int((~_within_one(spans, rows)).sum()))
        return out

    def _alone(self, d: int) -> Sentences:
        """The sentences of article ``d``, not split in the batch's pass: the same kernel
        over its slices alone."""
        b = self._batch
        a, z = int(b.tok_first[d]), int(b.tok_first[d + 1])
        c0, c1 = int(b.doc_cp[d]), int(b.doc_cp[d + 1])
        rows = _batch_sentence_rows(b.hash[a:z], b.boiler[a:z], b.line[a:z], b.digit[a:z], b.start[a:z],
                                    b.cps[c0:c1], np.array([0, c1 - c0], np.int64), b.sent_end[a:z],
                                    np.array([0, z - a], np.int64), stop_table(), self._min_words,
                                    np.ones(1, np.bool_))
        return Sentences(*rows[:6], np.argsort(rows[3], kind="stable"))


def sentences_reference(p: Prepared, text: str, min_words: int = 4) -> Sentences:
    """:func:`sentences` with numpy set operations (the specification of the kernel; keys
    sorted by key within a sentence)."""
    t = p.tokens
    n = len(t.start)
    if n == 0:
        e = np.zeros(0, np.int64)
        return Sentences(e, e, e, e.astype(np.uint64), e, e.astype(np.bool_), e)
    cps = codepoints(text)
    stop_after = _sentence_ends(cps, np.array([0, len(cps)], np.int64), np.array([0, n], np.int64), t.start, t.end)
    brk = np.zeros(n, np.bool_)
    brk[:-1] = stop_after[:-1] | (t.line[1:] != t.line[:-1]) | (p.boiler[1:] != p.boiler[:-1])
    brk[-1] = True
    sid = np.concatenate(([0], np.cumsum(brk[:-1]))).astype(np.int64)
    content = ~p.boiler & ~stop_mask(t.hash)
    # slots: numbers, and capitalised words other than a sentence's first (names)
    initial = np.concatenate(([True], brk[:-1]))
    c0 = cps[t.start].astype(np.int64)
    caps = ((c0 >= 65) & (c0 <= 90)) | ((c0 >= 0xC0) & (c0 <= 0xDE) & (c0 != 0xD7))
    slot = t.digit | (caps & ~initial)
    # (sentence, key) once each
    s_c, k_c, d_c = sid[content], t.hash[content], slot[content]
    order = np.lexsort((k_c, s_c))
    s_c, k_c, d_c = s_c[order], k_c[order], d_c[order]
    if len(s_c):
        new = np.concatenate(([True], (s_c[1:] != s_c[:-1]) | (k_c[1:] != k_c[:-1])))
        s_c, k_c, d_c = s_c[new], k_c[new], d_c[new]
    nsent = int(sid[-1]) + 1
    size = np.bincount(s_c, minlength=nsent)
    keep = size >= min_words
    firsts = np.flatnonzero(np.concatenate(([True], brk[:-1])))
    lasts = np.flatnonzero(brk) + 1
    renum = np.cumsum(keep) - 1
    sel = keep[s_c]
    keys = k_c[sel]
    return Sentences(firsts[keep].astype(np.int64), lasts[keep].astype(np.int64), size[keep].astype(np.int64),
                     keys, renum[s_c[sel]].astype(np.int64), d_c[sel], np.argsort(keys, kind="stable"))


@nb.njit(cache=True, nogil=True)
def _similarity(kx, rx, ky, ry, size_x, size_y, cap):  # pragma: no cover - jit
    shared = _shared_words(kx, rx, ky, ry, len(size_x), len(size_y), cap)
    return _dice(shared, size_x, size_y, 1.0)[0], shared >> 32


@nb.njit(cache=True, nogil=True)
def _shared_words(kx, rx, ky, ry, nx, ny, cap):  # pragma: no cover - jit
    """Per sentence pair (``nx`` x ``ny``): the keys they share, plus the slots among them
    (of side x) times 2**32 (both counts in one word: one scatter a shared key), by a merge
    join of the keys in order of key (``rx``, ``ry``: their ``sentence << 1 | slot``); a key
    in more than ``cap`` sentences of a side is left out."""
    shared = np.zeros((nx, ny), np.int64)
    u = np.uint64  # unsigned indexes: numba emits no negative-index wraparound code for them
    nkx, nky = len(kx), len(ky)
    i = j = 0
    while i < nkx and j < nky:
        x, y = kx[u(i)], ky[u(j)]
        if x < y:
            i += 1
        elif y < x:
            j += 1
        else:
            i2 = i + 1
            while i2 < nkx and kx[u(i2)] == x:
                i2 += 1
            j2 = j + 1
            while j2 < nky and ky[u(j2)] == x:
                j2 += 1
            if i2 - i <= cap and j2 - j <= cap:
                for a in range(i, i2):
                    row = shared[u(rx[u(a)] >> 1)]
                    inc = 1 + ((rx[u(a)] & 1) << 32)
                    for b in range(j, j2):
                        row[u(ry[u(b)] >> 1)] += inc
            i, j = i2, j2
    return shared


@nb.njit(cache=True, nogil=True)
def _dice(shared, size_x, size_y, threshold):  # pragma: no cover - jit
    """(The Dice matrix of :func:`_shared_words`' counts, a bound on the sentence pairs a
    monotone pairing can take at ``threshold``: the fewer of the rows and of the columns
    that have a score that high.)  Every cell is divided (0 / n is 0.0, as a cell never
    set), without a branch."""
    nx, ny = shared.shape
    sim = np.empty((nx, ny), np.float64)
    col = np.zeros(ny, np.bool_)
    rows = 0
    for a in range(nx):
        hit = False
        for b in range(ny):
            v = 2.0 * (shared[a, b] & 0xFFFFFFFF) / (size_x[a] + size_y[b])
            sim[a, b] = v
            hit |= v >= threshold
            col[b] |= v >= threshold
        rows += hit
    return sim, min(rows, np.int64(col.sum()))


def similarity(x: Sentences, y: Sentences, max_sentences_per_word: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """:func:`similarity_reference`, compiled: a merge join of the two texts' keys."""
    ox, oy = x.by_key, y.by_key
    return _similarity(x.keys[ox], _rows(x.sent, x.digit)[ox], y.keys[oy], _rows(y.sent, y.digit)[oy], x.size,
                       y.size, max_sentences_per_word)


def similarity_reference(x: Sentences, y: Sentences, max_sentences_per_word: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """(Dice matrix, shared-slot count matrix) of every sentence pair of ``x`` and ``y``:
    a join on content-word keys (a word found in more than ``max_sentences_per_word``
    sentences of a side is left out of the join: the names a story repeats throughout)."""
    nx, ny = len(x.first), len(y.first)
    sim = np.zeros((nx, ny), np.float64)
    nums = np.zeros((nx, ny), np.int64)
    if not nx or not ny:
        return sim, nums
    ox = np.argsort(x.keys, kind="stable")
    oy = np.argsort(y.keys, kind="stable")
    kx, sx, dx = x.keys[ox], x.sent[ox], x.digit[ox]
    ky, sy = y.keys[oy], y.sent[oy]
    lo = np.searchsorted(ky, kx, "left")
    hi = np.searchsorted(ky, kx, "right")
    cnt = hi - lo
    ux, ix, cx = np.unique(kx, return_inverse=True, return_counts=True)
    keep = (cnt > 0) & (cnt <= max_sentences_per_word) & (cx[ix] <= max_sentences_per_word)
    cnt_k = cnt[keep]
    total = int(cnt_k.sum())
    if not total:
        return sim, nums
    rx = np.repeat(sx[keep], cnt_k)
    rd = np.repeat(dx[keep], cnt_k)
    offs = np.repeat(lo[keep] - (np.cumsum(cnt_k) - cnt_k), cnt_k) + np.arange(total)
    ry = sy[offs]
    inter = np.zeros(nx * ny, np.int64)
    np.add.at(inter, rx * ny + ry, 1)
    np.add.at(nums.reshape(-1), rx * ny + ry, rd.astype(np.int64))
    inter = inter.reshape(nx, ny)
    sim = 2.0 * inter / (x.size[:, None] + y.size[None, :])
    return sim, nums


def monotone_pairs_reference(sim: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """The in-order pairing of most total similarity over pairs scoring at least
    ``threshold`` (plain Python; the specification of :func:`monotone_pairs`)."""
    n, m = sim.shape
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = max(d[i - 1][j], d[i][j - 1])
            s = float(sim[i - 1, j - 1])
            if s >= threshold and d[i - 1][j - 1] + s > best:
                best = d[i - 1][j - 1] + s
            d[i][j] = best
    out = []
    i, j = n, m
    while i > 0 and j > 0:
        s = float(sim[i - 1, j - 1])
        if s >= threshold and d[i][j] == d[i - 1][j - 1] + s:
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif d[i][j] == d[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return out[::-1]


@nb.njit(cache=True, nogil=True)
def _monotone_pairs(sim, threshold):  # pragma: no cover - jit
    n, m = sim.shape
    d = np.zeros((n + 1, m + 1), np.float64)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = max(d[i - 1, j], d[i, j - 1])
            s = sim[i - 1, j - 1]
            if s >= threshold and d[i - 1, j - 1] + s > best:
                best = d[i - 1, j - 1] + s
            d[i, j] = best
    out = np.empty((min(n, m), 2), np.int64)
    k = 0
    i, j = n, m
    while i > 0 and j > 0:
        s = sim[i - 1, j - 1]
        if s >= threshold and d[i, j] == d[i - 1, j - 1] + s:
            out[k, 0] = i - 1
            out[k, 1] = j - 1
            k += 1
            i -= 1
            j -= 1
        elif d[i, j] == d[i - 1, j]:
            i -= 1
        else:
            j -= 1
    return out[:k][::-1].copy()


def monotone_pairs(sim: np.ndarray, threshold: float) -> np.ndarray:
    """:func:`monotone_pairs_reference` compiled: (k, 2) int array of sentence pairs."""
    if not sim.size:
        return np.zeros((0, 2), np.int64)
    return _monotone_pairs(np.ascontiguousarray(sim, np.float64), float(threshold))


def _longest_run(pairs: np.ndarray) -> int:
    """Most consecutive pairs adjacent on both sides."""
    return int(_longest_run_kernel(np.ascontiguousarray(pairs, np.int64).reshape(-1, 2)))


@nb.njit(cache=True, nogil=True)
def _longest_run_kernel(pairs):  # pragma: no cover - jit
    best = run = 1 if len(pairs) else 0
    for k in range(1, len(pairs)):
        if pairs[k, 0] - pairs[k - 1, 0] == 1 and pairs[k, 1] - pairs[k - 1, 1] == 1:
            run += 1
            best = max(best, run)
        else:
            run = 1
    return best


def _longest_run_reference(pairs: np.ndarray) -> int:
    """:func:`_longest_run` with numpy (the specification of the kernel)."""
    if not len(pairs):
        return 0
    step = (np.diff(pairs[:, 0]) == 1) & (np.diff(pairs[:, 1]) == 1)
    if not step.any():
        return 1
    edges = np.flatnonzero(np.diff(np.concatenate(([0], step.astype(np.int8), [0]))))
    return int((edges[1::2] - edges[::2]).max()) + 1


@nb.njit(cache=True, nogil=True)
def _inside_kernel(first, last, spans, lo, stop_at_outside):  # pragma: no cover - jit
    inside = np.zeros(len(first), np.bool_)
    for i in range(len(first)):
        for k in range(len(spans)):
            if spans[k, lo] <= first[i] and last[i] <= spans[k, lo + 1]:
                inside[i] = True
                break
        if stop_at_outside and not inside[i]:
            break
    return inside


def _inside(x: Sentences, spans: np.ndarray, lo: int) -> np.ndarray:
    """Per sentence of ``x``: wholly inside one of the token ``spans`` (side ``lo``)?"""
    return _inside_kernel(x.first, x.last, np.ascontiguousarray(spans, np.int64).reshape(-1, 4), lo, False)


def _all_inside(x: Sentences, spans: np.ndarray, lo: int) -> bool:
    """``_inside(x, spans, lo).all()``, stopping at the first sentence outside."""
    if not len(x.first):
        return True
    return bool(_inside_kernel(x.first, x.last, np.ascontiguousarray(spans, np.int64).reshape(-1, 4), lo,
                               True)[-1])


def _outside(x: Sentences, spans: np.ndarray, lo: int) -> Sentences:
    """``x`` without the sentences lying wholly inside one of the token ``spans`` (side
    ``lo``: 0 for a, 2 for b): text already aligned word for word needs no pairing."""
    if not len(spans) or not len(x.first):
        return x
    inside = _inside(x, spans, lo)
    if not inside.any():
        return x
    keep = ~inside
    renum = np.cumsum(keep) - 1
    rows = keep[x.sent]
    keys = x.keys[rows]
    return Sentences(x.first[keep], x.last[keep], x.size[keep], keys, renum[x.sent[rows]], x.digit[rows],
                     np.argsort(keys, kind="stable"))


def fill_gaps(pairs: np.ndarray, sim: np.ndarray, threshold: float) -> np.ndarray:
    """``pairs`` with the sentence pair between two paired neighbours added when one
    sentence lies between them on both sides and it scores at least ``threshold``: a
    sentence reworded more than the rest, in its place between two edited versions."""
    if len(pairs) < 2:
        return pairs
    d = np.diff(pairs, axis=0)
    gap = np.flatnonzero((d[:, 0] == 2) & (d[:, 1] == 2))
    if not len(gap):
        return pairs
    mid = pairs[gap] + 1
    mid = mid[sim[mid[:, 0], mid[:, 1]] >= threshold]
    if not len(mid):
        return pairs
    out = np.concatenate((pairs, mid))
    return out[np.argsort(out[:, 0], kind="stable")]


def paraphrase_spans(a: Prepared, b: Prepared, text_a: str, text_b: str, config: ParaphraseConfig | None = None,
                     sa: Sentences | None = None, sb: Sentences | None = None,
                     exact: np.ndarray | None = None) -> np.ndarray:
    """Token spans ``[as, ae, bs, be)`` (n x 4) of the sentences of ``a`` and ``b`` paired as
    edited versions of each other, or none when the pairing is not evidence of reuse.  When
    every sentence of one side lies inside the ``exact`` passages (token spans) there is
    nothing to add, and none is returned at once.  (One compiled call from the sentences
    on: :func:`paraphrase_spans_reference` is the specification.)"""
    cfg = config or ParaphraseConfig()
    sa = sa if sa is not None else _cached_sentences(a, text_a, cfg.min_words)
    sb = sb if sb is not None else _cached_sentences(b, text_b, cfg.min_words)
    return _spans_between(sa, sb, _NO_SPANS if exact is None else np.ascontiguousarray(exact, np.int64).reshape(-1, 4),
                          cfg)


def _spans_between(sa: Sentences, sb: Sentences, spans: np.ndarray, cfg: ParaphraseConfig) -> np.ndarray:
    """:func:`paraphrase_spans` of two sentence tables and exact passages (n x 4 int64)."""
    return _paraphrase_spans(sa.first, sa.last, sa.size, sa.keys, sa.sent, sa.digit, sa.by_key,
                             sb.first, sb.last, sb.size, sb.keys, sb.sent, sb.digit, sb.by_key, spans,
                             cfg.min_sentences, float(cfg.min_similarity), cfg.min_run, float(cfg.min_share),
                             float(cfg.max_slot_edits), _MAX_SENTENCES_PER_WORD)


_NO_SPANS = np.zeros((0, 4), np.int64)
_MAX_SENTENCES_PER_WORD = 6  # similarity()'s default


@nb.njit(cache=True, nogil=True)
def _all_inside_kernel(first, last, spans, lo):  # pragma: no cover - jit
    """:func:`_all_inside` of a sentence table's ``first`` and ``last``."""
    for i in range(len(first)):
        inside = False
        for k in range(len(spans)):
            if spans[k, lo] <= first[i] and last[i] <= spans[k, lo + 1]:
                inside = True
                break
        if not inside:
            return False
    return True


@nb.njit(cache=True, nogil=True)
def _fill_gaps(pairs, sim, threshold):  # pragma: no cover - jit
    """:func:`fill_gaps` of pairs increasing on both sides (as :func:`monotone_pairs` gives)."""
    if len(pairs) < 2:
        return pairs
    out = np.empty((2 * len(pairs) - 1, 2), np.int64)
    m = 0
    for k in range(len(pairs)):
        if k:
            i, j = pairs[k - 1, 0] + 1, pairs[k - 1, 1] + 1
            if pairs[k, 0] - pairs[k - 1, 0] == 2 and pairs[k, 1] - pairs[k - 1, 1] == 2 and sim[i, j] >= threshold:
                out[m, 0] = i
                out[m, 1] = j
                m += 1
        out[m, 0] = pairs[k, 0]
        out[m, 1] = pairs[k, 1]
        m += 1
    return out[:m]


@nb.njit(cache=True, nogil=True)
def _paraphrase_spans(first_a, last_a, size_a, keys_a, sent_a, digit_a, by_key_a,
                      first_b, last_b, size_b, keys_b, sent_b, digit_b, by_key_b, exact,
                      min_sentences, min_similarity, min_run, min_share, max_slot_edits,
                      cap):  # pragma: no cover - jit
    """:func:`paraphrase_spans` from the two :class:`Sentences` tables' arrays."""
    pairs = _sentence_pairs(first_a, last_a, size_a, keys_a[by_key_a], _rows(sent_a, digit_a)[by_key_a],
                            _slot_counts(len(size_a), sent_a, digit_a), first_b, last_b, size_b, keys_b[by_key_b],
                            _rows(sent_b, digit_b)[by_key_b], _slot_counts(len(size_b), sent_b, digit_b), exact,
                            min_sentences, min_similarity, min_run, min_share, max_slot_edits, cap)
    out = np.empty((len(pairs), 4), np.int64)
    _pair_rows(pairs, first_a, last_a, first_b, last_b, out, 0)
    return out


@nb.njit(cache=True, nogil=True)
def _pair_rows(pairs, first_a, last_a, first_b, last_b, out, at):  # pragma: no cover - jit
    """The token spans of sentence ``pairs`` into ``out`` from row ``at`` (:func:`pair_spans`)."""
    for k in range(len(pairs)):
        i, j = pairs[k, 0], pairs[k, 1]
        out[at + k, 0] = first_a[i]
        out[at + k, 1] = last_a[i]
        out[at + k, 2] = first_b[j]
        out[at + k, 3] = last_b[j]


@nb.njit(cache=True, nogil=True)
def _sentence_pairs(first_a, last_a, size_a, kx, rx, slot_a, first_b, last_b, size_b, ky, ry, slot_b, exact,
                    min_sentences, min_similarity, min_run, min_share, max_slot_edits,
                    cap):  # pragma: no cover - jit
    """The sentence pairs (k x 2) that :func:`paraphrase_spans` turns into spans, or none:
    ``kx``, ``rx`` (``ky``, ``ry``) are a side's keys in order of key (:attr:`Sentences.by_key`)
    and their ``sentence << 1 | slot``, ``slot_a`` (``slot_b``) its slots per sentence."""
    none = np.zeros((0, 2), np.int64)
    if len(exact) and (_all_inside_kernel(first_a, last_a, exact, 0) or _all_inside_kernel(first_b, last_b, exact, 2)):
        return none  # one side is all inside exact passages: no sentence left to pair
    shorter = min(len(first_a), len(first_b))
    if shorter < min_sentences:
        return none
    shared = _shared_words(kx, rx, ky, ry, len(size_a), len(size_b), cap)
    sim, most = _dice(shared, size_a, size_b, min_similarity)
    if most < min_sentences or most < min_share * shorter:
        return none  # too few sentences score enough for the pairing to pass (it takes at most ``most``)
    pairs = _monotone_pairs(sim, min_similarity)
    if len(pairs) < min_sentences or _longest_run_kernel(pairs) < min_run:
        return none
    if len(pairs) < min_share * shorter:
        return none
    pairs = _fill_gaps(pairs, sim, min_similarity / 2)
    if _slot_edits(size_a, slot_a, size_b, slot_b, pairs, sim, shared, 32, max_slot_edits):
        return none
    return pairs


@nb.njit(cache=True, nogil=True)
def _paraphrase_many(first, last, size, keys, rows, slot_count, sent_first, key_first, left, right, exact,
                     exact_first, min_sentences, min_similarity, min_run, min_share, max_slot_edits,
                     cap):  # pragma: no cover - jit
    """:func:`_paraphrase_spans` of documents ``left[p]`` and ``right[p]`` of a batch's
    sentence rows (:func:`_batch_sentence_rows`: ``keys`` and ``rows`` each document's keys in
    order of key and their ``sentence << 1 | slot``) for every p, their exact passages
    ``exact[exact_first[p]:exact_first[p + 1]]``, in one call: the spans laid end to end,
    per pair the offset of its spans, and per pair how many of them are not inside one exact
    passage on both sides (:func:`_within_one`)."""
    room = 0
    for p in range(len(left)):
        room += min(sent_first[left[p] + 1] - sent_first[left[p]], sent_first[right[p] + 1] - sent_first[right[p]])
    out = np.empty((room, 4), np.int64)
    out_first = np.zeros(len(left) + 1, np.int64)
    outside = np.zeros(len(left), np.int64)
    m = 0
    for p in range(len(left)):
        x, y = left[p], right[p]
        a0, a1, b0, b1 = sent_first[x], sent_first[x + 1], sent_first[y], sent_first[y + 1]
        ka0, ka1, kb0, kb1 = key_first[x], key_first[x + 1], key_first[y], key_first[y + 1]
        ex = exact[exact_first[p]:exact_first[p + 1]]
        pairs = _sentence_pairs(first[a0:a1], last[a0:a1], size[a0:a1], keys[ka0:ka1], rows[ka0:ka1],
                                slot_count[a0:a1], first[b0:b1], last[b0:b1], size[b0:b1], keys[kb0:kb1],
                                rows[kb0:kb1], slot_count[b0:b1], ex, min_sentences, min_similarity, min_run,
                                min_share, max_slot_edits, cap)
        _pair_rows(pairs, first[a0:a1], last[a0:a1], first[b0:b1], last[b0:b1], out, m)
        inside = _within_one(out[m:m + len(pairs)], ex)
        for r in range(len(pairs)):
            outside[p] += not inside[r]
        m += len(pairs)
        out_first[p + 1] = m
    return out[:m], out_first, outside


@nb.njit(cache=True, nogil=True)
def _rows(sent, digit):  # pragma: no cover - jit
    """Per key: ``sentence << 1 | slot``."""
    out = np.empty(len(sent), np.int64)
    for r in range(len(sent)):
        out[r] = sent[r] << 1 | np.int64(digit[r])
    return out


@nb.njit(cache=True, nogil=True)
def _slot_counts(n, sent, digit):  # pragma: no cover - jit
    """Per sentence (``n`` of them): how many of its keys are slots."""
    out = np.zeros(n, np.int64)
    for r in range(len(sent)):
        if digit[r]:
            out[sent[r]] += 1
    return out


def paraphrase_spans_reference(a: Prepared, b: Prepared, text_a: str, text_b: str,
                               config: ParaphraseConfig | None = None, sa: Sentences | None = None,
                               sb: Sentences | None = None, exact: np.ndarray | None = None) -> np.ndarray:
    """:func:`paraphrase_spans` a step at a time (the specification of the compiled call)."""
    cfg = config or ParaphraseConfig()
    sa = sa if sa is not None else _cached_sentences(a, text_a, cfg.min_words)
    sb = sb if sb is not None else _cached_sentences(b, text_b, cfg.min_words)
    none = np.zeros((0, 4), np.int64)
    if exact is not None and len(exact) and (_all_inside(sa, exact, 0) or _all_inside(sb, exact, 2)):
        return none  # one side is all inside exact passages: no sentence left to pair
    if min(len(sa.first), len(sb.first)) < cfg.min_sentences:
        return none
    sim, slots = similarity(sa, sb)
    pairs = monotone_pairs(sim, cfg.min_similarity)
    if len(pairs) < cfg.min_sentences or _longest_run(pairs) < cfg.min_run:
        return none
    if len(pairs) < cfg.min_share * min(len(sa.first), len(sb.first)):
        return none
    pairs = fill_gaps(pairs, sim, cfg.min_similarity / 2)
    if mostly_slots(sa, sb, pairs, sim, slots, cfg.max_slot_edits):
        return none
    return pair_spans(sa, sb, pairs)


def mostly_slots(sa: Sentences, sb: Sentences, pairs: np.ndarray, sim: np.ndarray, slots: np.ndarray,
                 max_slot_edits: float) -> bool:
    """Are the paired sentences instances of a template: what differs between them mostly
    slots (figures and names)?  A reworded sentence changes ordinary words.  (Compiled;
    :func:`mostly_slots_reference` is the specification.)"""
    pairs = np.ascontiguousarray(pairs, np.int64).reshape(-1, 2)
    return bool(_mostly_slots(sa.size, sa.sent, sa.digit, sb.size, sb.sent, sb.digit, pairs,
                              np.ascontiguousarray(sim, np.float64), np.ascontiguousarray(slots, np.int64),
                              float(max_slot_edits)))


@nb.njit(cache=True, nogil=True)
def _mostly_slots(size_x, sent_x, digit_x, size_y, sent_y, digit_y, pairs, sim, slots,
                  max_slot_edits):  # pragma: no cover - jit
    return _slot_edits(size_x, _slot_counts(len(size_x), sent_x, digit_x), size_y,
                       _slot_counts(len(size_y), sent_y, digit_y), pairs, sim, slots, 0, max_slot_edits)


@nb.njit(cache=True, nogil=True)
def _slot_edits(size_x, slot_x, size_y, slot_y, pairs, sim, slots, shift, max_slot_edits):  # pragma: no cover - jit
    """:func:`_mostly_slots` given the slots per sentence of each side (``slots >> shift``
    the shared slots of a sentence pair: :func:`_shared_words` gives them shifted)."""
    differ = 0
    slot_differ = 0
    for k in range(len(pairs)):
        i, j = pairs[k, 0], pairs[k, 1]
        inter = np.int64(np.rint(sim[i, j] * (size_x[i] + size_y[j]) / 2))  # np.round's rounding
        shared_slots = slots[i, j] >> shift
        differ += (size_x[i] - inter) + (size_y[j] - inter)
        slot_differ += (slot_x[i] - shared_slots) + (slot_y[j] - shared_slots)
    return differ != 0 and slot_differ >= max_slot_edits * differ


def mostly_slots_reference(sa: Sentences, sb: Sentences, pairs: np.ndarray, sim: np.ndarray, slots: np.ndarray,
                           max_slot_edits: float) -> bool:
    """:func:`mostly_slots` with numpy."""
    i, j = pairs[:, 0], pairs[:, 1]
    inter = np.round(sim[i, j] * (sa.size[i] + sb.size[j]) / 2).astype(np.int64)
    differ = (sa.size[i] - inter) + (sb.size[j] - inter)
    slot_x = np.bincount(sa.sent[sa.digit], minlength=len(sa.first))[i]
    slot_y = np.bincount(sb.sent[sb.digit], minlength=len(sb.first))[j]
    slot_differ = (slot_x - slots[i, j]) + (slot_y - slots[i, j])
    return bool(differ.sum()) and bool(slot_differ.sum() >= max_slot_edits * differ.sum())


def pair_spans(sa: Sentences, sb: Sentences, pairs: np.ndarray) -> np.ndarray:
    """Token spans ``[as, ae, bs, be)`` of sentence pairs (rows of sentence numbers)."""
    i, j = pairs[:, 0], pairs[:, 1]
    return np.stack([sa.first[i], sa.last[i], sb.first[j], sb.last[j]], axis=1).astype(np.int64)


def mark_kinds(a: Prepared, b: Prepared, al: Alignment) -> Alignment:
    """The alignment with each exact passage marked ``verbatim`` (the same word keys on
    both sides) or ``edited``."""
    same = same_words(a.tokens.hash, b.tokens.hash, np.asarray(al.spans, np.int64).reshape(-1, 4)).tolist()
    if all(same):
        return al
    kinds = ["verbatim" if v else "edited" for v in same]
    passages = tuple(p if p.kind == k else tuple.__new__(Passage, (p.a_start, p.a_end, p.b_start, p.b_end, k))
                     for p, k in zip(al.passages, kinds, strict=True))
    return Alignment(al.spans, passages, al.coverage_a, al.coverage_b)


@nb.njit(cache=True, nogil=True)
def _within_one(spans, exact):  # pragma: no cover - jit
    """Per row of ``spans`` ``[as, ae, bs, be)``: inside one row of ``exact`` on both sides
    (:func:`_within_one_reference` is the specification)."""
    out = np.zeros(len(spans), np.bool_)
    for r in range(len(spans)):
        for k in range(len(exact)):
            if (exact[k, 0] <= spans[r, 0] and spans[r, 1] <= exact[k, 1] and exact[k, 2] <= spans[r, 2]
                    and spans[r, 3] <= exact[k, 3]):
                out[r] = True
                break
    return out


def _within_one_reference(spans: np.ndarray, exact: np.ndarray) -> np.ndarray:
    """:func:`_within_one` with numpy, an exact passage at a time."""
    inside = np.zeros(len(spans), np.bool_)
    for s0, s1, t0, t1 in exact.tolist():
        inside |= (s0 <= spans[:, 0]) & (spans[:, 1] <= s1) & (t0 <= spans[:, 2]) & (spans[:, 3] <= t1)
    return inside


def with_paraphrases(a: Prepared, b: Prepared, al: Alignment, spans: np.ndarray) -> Alignment:
    """``al`` with the paired sentences ``spans`` added, and coverage recounted.  A paired
    sentence that overlaps exact passages (on either side) is merged with them into one
    passage covering both: ``edited`` when the exact passages hold most of it, else
    ``paraphrase``; a sentence pair overlapping nothing is a ``paraphrase`` passage.  (One
    compiled call, :func:`_with_paraphrases`; :func:`with_paraphrases_reference` is the
    specification.)"""
    ta, tb = a.tokens, b.tokens
    boxes, chars, code, cover = _with_paraphrases(np.ascontiguousarray(al.spans, np.int64).reshape(-1, 4),
                                                  np.ascontiguousarray(spans, np.int64).reshape(-1, 4), ta.weight,
                                                  ta.start, ta.end, a.boiler, tb.weight, tb.start, tb.end, b.boiler)
    if not len(boxes):
        return al  # every paired sentence lies inside an exact passage already
    kinds = [al.passages[c].kind if c >= 0 else ("edited" if c == _EDITED else "paraphrase") for c in code.tolist()]
    passages = tuple(tuple.__new__(Passage, (*r, k)) for r, k in zip(chars.tolist(), kinds, strict=True))
    ia, na, ib, nb = cover.tolist()
    return Alignment(boxes, passages, ia / na if na else 0.0, ib / nb if nb else 0.0)


@nb.njit(cache=True, nogil=True)
def _with_paraphrases(exact, spans, weight_a, start_a, end_a, boiler_a, weight_b, start_b, end_b,
                      boiler_b):  # pragma: no cover - jit
    """The passages of :func:`with_paraphrases`: the token spans of its boxes
    (:func:`_merge_boxes`; none when the exact passages stay as they are), their character
    offsets, their kinds, and the covered and total weight of each side."""
    none = np.zeros((0, 4), np.int64)
    cover = np.zeros(4, np.int64)
    # a sentence pair within one exact passage adds nothing
    within = _within_one(spans, exact)
    rows = np.empty((len(exact) + len(spans), 4), np.int64)
    rows[:len(exact)] = exact
    n = len(exact)
    for r in range(len(spans)):
        if not within[r]:
            rows[n] = spans[r]
            n += 1
    if n == len(exact):
        return none, none, np.zeros(0, np.int64), cover
    boxes, code = _merge_boxes(rows[:n], len(exact), weight_a)
    chars = np.empty((len(boxes), 4), np.int64)
    for r in range(len(boxes)):
        chars[r, 0] = start_a[boxes[r, 0]]
        chars[r, 1] = end_a[boxes[r, 1] - 1]
        chars[r, 2] = start_b[boxes[r, 2]]
        chars[r, 3] = end_b[boxes[r, 3] - 1]
    if len(boxes):
        cover[0], cover[1] = covered(boxes, 0, weight_a, boiler_a)
        cover[2], cover[3] = covered(boxes, 2, weight_b, boiler_b)
    return boxes, chars, code, cover


_EDITED, _PARAPHRASE = -1, -2


@nb.njit(cache=True, nogil=True)
def _merge_boxes(rows, n_exact, weight):  # pragma: no cover - jit
    """The passages of :func:`with_paraphrases` from ``rows`` (the exact passages, its first
    ``n_exact``, then the paired sentences): rounds in which the boxes, in order of
    ``(as, bs)`` (stable), each merge into the first box kept so far of this round that
    overlaps it on either side, until a round merges none; then the boxes in that order
    (none when they are the exact passages untouched), and per box its kind: the exact
    passage it is (its number), or ``_EDITED`` when exact passages hold at least half of its
    weight on side a, else ``_PARAPHRASE``."""
    k = len(rows)
    box = rows.copy()
    members = np.ones(k, np.int64)
    inside = np.zeros(k, np.int64)  # the weight of the exact passages merged into a box (side a)
    for i in range(n_exact):
        for t in range(rows[i, 0], rows[i, 1]):
            inside[i] += weight[t]
    order = np.arange(k)
    n = k
    merged = True
    while merged:
        merged = False
        order = _by_corner(box, order[:n])
        out = np.empty(len(order), np.int64)
        n = 0
        for x in order:
            hit = -1
            for q in range(n):
                o = out[q]
                if ((box[x, 0] < box[o, 1] and box[o, 0] < box[x, 1])
                        or (box[x, 2] < box[o, 3] and box[o, 2] < box[x, 3])):
                    hit = o
                    break
            if hit < 0:
                out[n] = x
                n += 1
                continue
            box[hit, 0] = min(box[hit, 0], box[x, 0])
            box[hit, 1] = max(box[hit, 1], box[x, 1])
            box[hit, 2] = min(box[hit, 2], box[x, 2])
            box[hit, 3] = max(box[hit, 3], box[x, 3])
            members[hit] += members[x]
            inside[hit] += inside[x]
            merged = True
        order = out
    order = _by_corner(box, order[:n])
    code = np.empty(n, np.int64)
    untouched = n == n_exact
    for r in range(n):
        x = order[r]
        if members[x] == 1 and x < n_exact:
            code[r] = x
        else:
            untouched = False
            total = 0
            for t in range(box[x, 0], box[x, 1]):
                total += weight[t]
            code[r] = _EDITED if 2 * inside[x] >= total else _PARAPHRASE
    if untouched:
        return np.zeros((0, 4), np.int64), code[:0]
    out_rows = np.empty((n, 4), np.int64)
    for r in range(n):
        out_rows[r] = box[order[r]]
    return out_rows, code


@nb.njit(cache=True, nogil=True)
def _by_corner(box, order):  # pragma: no cover - jit
    """``order`` (box numbers) sorted by the boxes' ``(as, bs)``, stably."""
    corner = np.empty(len(order), np.int64)
    for r in range(len(order)):
        corner[r] = box[order[r], 0] << 32 | box[order[r], 2]
    return order[np.argsort(corner, kind="mergesort")]


def with_paraphrases_reference(a: Prepared, b: Prepared, al: Alignment, spans: np.ndarray) -> Alignment:
    """:func:`with_paraphrases` in Python, box by box (the specification of its kernel)."""
    # a sentence pair within one exact passage adds nothing
    spans = spans[~_within_one(np.ascontiguousarray(spans, np.int64).reshape(-1, 4),
                               np.ascontiguousarray(al.spans, np.int64).reshape(-1, 4))]
    if not len(spans):
        return al
    items = [[*s, 1 if n < len(al.spans) else 0, k] for n, (s, k) in
             enumerate(zip(al.spans.tolist() + spans.tolist(), [p.kind for p in al.passages] + ["paraphrase"] * len(spans),
                           strict=True))]
    boxes = [[*it[:4], [it]] for it in items]
    merged = True
    while merged:
        merged = False
        boxes.sort(key=lambda x: (x[0], x[2]))
        out: list[list] = []
        for box in boxes:
            hit = next((o for o in out if (box[0] < o[1] and o[0] < box[1]) or (box[2] < o[3] and o[2] < box[3])), None)
            if hit is None:
                out.append(box)
                continue
            hit[0], hit[1] = min(hit[0], box[0]), max(hit[1], box[1])
            hit[2], hit[3] = min(hit[2], box[2]), max(hit[3], box[3])
            hit[4] += box[4]
            merged = True
        boxes = out
    if len(boxes) == len(al.spans) and all(len(x[4]) == 1 and x[4][0][4] for x in boxes):
        return al  # every paired sentence lies inside an exact passage already
    ta, tb = a.tokens, b.tokens
    boxes.sort(key=lambda x: (x[0], x[2]))
    spans_out = np.array([x[:4] for x in boxes], np.int64).reshape(-1, 4)
    passages = []
    for s0, s1, t0, t1, members in boxes:
        exact = [m for m in members if m[4]]
        if len(members) == 1 and exact:
            kind = exact[0][5]
        else:
            inside = sum(int(ta.weight[m[0]:m[1]].sum()) for m in exact)
            kind = "edited" if 2 * inside >= int(ta.weight[s0:s1].sum()) else "paraphrase"
        passages.append(Passage(int(ta.start[s0]), int(ta.end[s1 - 1]), int(tb.start[t0]), int(tb.end[t1 - 1]), kind))
    ia, na = covered(spans_out, 0, ta.weight, a.boiler)
    ib, nb = covered(spans_out, 2, tb.weight, b.boiler)
    return Alignment(spans_out, tuple(passages), ia / na if na else 0.0, ib / nb if nb else 0.0)
