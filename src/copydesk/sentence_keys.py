"""Sentence signatures: a second route to candidate pairs, for reworded reuse.

A light revision rewords most sentences, so its longest run of identical words is often
shorter than the winnowing guarantee (:attr:`copydesk.config.ScanConfig.guaranteed_tokens`)
and it shares too few fingerprints to be compared.  Its sentences still keep most content
words (stopwords left out).  Each sentence with at least ``min_words`` distinct content
words gets ``bands`` keys, each the pair of its two smallest content-word hashes under two
hash functions (a MinHash band of two rows, Broder 1997): two sentences with content-word
Jaccard similarity J share a band with probability about J².  The figures of the sentence
(its tokens with digits, as a set) are part of every key: instances of one template (a
market close, a results table) have the same sentences with other figures, a revision keeps
its source's figures.  The keys join the winnowed
fingerprints in the candidate join (same rows; 64-bit hashes of another family, so a chance
collision with a shingle is as unlikely as between two shingles), at
the token position of the sentence's first word, so a pair with several reworded sentences
in common becomes a candidate; the paraphrase stage (:mod:`copydesk.paraphrase`) decides.
"""

from __future__ import annotations

from functools import lru_cache

import numba as nb
import numpy as np

from .paraphrase import _TABLE_BITS, is_stop, stop_table
from .prefetch import prefetch_write
from .prepare_batch import Batch
from .textnorm import splitmix64

_MASK64 = (1 << 64) - 1

_SEEDS = np.array([0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0, 0x082EFA98EC4E6C89,
                   0x452821E638D01377, 0xBE5466CF34E90C6C, 0xC0AC29B7C97C50DD, 0x3F84D5B5B5470917],
                  np.uint64)


@nb.njit(cache=True, inline="always")
def _mix(x):  # pragma: no cover - jit
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@nb.njit(cache=True, nogil=True)
def _content_and_cuts_kernel(hashes, boiler, sent_end, line, line_first, stop, min_line_tokens):  # pragma: no cover - jit
    n = len(hashes)
    content = np.zeros(n, np.bool_)
    cut = np.zeros(n, np.bool_)
    for g in range(len(line_first) - 1):
        a, b = line_first[g], line_first[g + 1]
        if b - a < min_line_tokens:
            continue
        for t in range(a, b):
            content[t] = not boiler[t] and not is_stop(hashes[t], stop)
    for t in range(n):
        cut[t] = sent_end[t] or t == n - 1 or line[t + 1] != line[t] or boiler[t + 1] != boiler[t]
    return content, cut


def _content_and_cuts(batch: Batch, min_line_tokens: int) -> tuple[np.ndarray, np.ndarray]:
    """Per token: a content word of a body line (not boilerplate, not a stopword, on a line
    of at least ``min_line_tokens`` tokens: short lines — credit lines, captions, navigation
    — are furniture far more often than reworded story text); and whether a sentence ends
    after it (its chunk ends one, or the line or the boilerplate mask changes)."""
    return _content_and_cuts_kernel(batch.hash, batch.boiler, batch.sent_end, batch.line, batch.line_first,
                                    stop_table(), min_line_tokens)


#: past this many content words, a sentence's figures are found with a hash set of its words
#: (a run-on line of figures, a table flattened onto one line, would otherwise cost the square
#: of its length: a line of a million such words took a minute)
_LONG_SENTENCE = 256

#: a token's flags in :func:`_sentence_keys_by_line`: it has a digit; the sentence it is in
#: ends after it (when that sentence is outside boilerplate: its chunk ends one, the next
#: token is boilerplate, or the line ends)
_DIGIT, _END = np.uint8(1), np.uint8(2)

_FULL = np.uint64(0xFFFFFFFFFFFFFFFF)
_STOP_SHIFT = np.uint64(64 - _TABLE_BITS)


@lru_cache(maxsize=1)
def probe_table() -> np.ndarray:
    """:func:`copydesk.paraphrase.stop_table` with each empty slot holding a key that is sent
    to another slot, so a key is a stopword exactly when its slot holds it: one compare a
    token (:func:`copydesk.paraphrase.is_stop` also tests for the key 0 that marks an empty
    slot)."""
    table = stop_table().copy()
    slot = (np.arange(1, 3, dtype=np.uint64) * table[0]) >> _STOP_SHIFT  # of the keys 1 and 2
    if slot[0] == slot[1]:  # pragma: no cover - the multiplier is odd: 1 and 2 differ in slot
        raise RuntimeError("keys 1 and 2 share a slot")
    empty = np.flatnonzero(table[1:] == 0)
    table[1 + empty] = np.where(empty == slot[0], np.uint64(2), np.uint64(1))
    return table


@nb.njit(cache=True, inline="always")
def _is_content(h, mult, table):  # pragma: no cover - jit
    """Not a stopword (``table``: :func:`probe_table`, ``mult`` its multiplier)."""
    return table[np.int64((h * mult) >> _STOP_SHIFT) + 1] != h


@nb.njit(cache=True, nogil=True)
def _token_flags(sent_end, boiler, digit, line_first):  # pragma: no cover - jit
    """Per token, :data:`_DIGIT` and :data:`_END` (one byte read a token in the scan, and
    one test for a sentence's end instead of three)."""
    n = len(sent_end)
    flags = np.empty(n, np.uint8)
    for t in range(n - 1):
        flags[t] = digit[t] | ((sent_end[t] | boiler[t + 1]) << 1)
    if n:
        flags[n - 1] = digit[n - 1] | _END
    for g in range(1, len(line_first)):
        if line_first[g] > line_first[g - 1]:
            flags[line_first[g] - 1] |= _END
    return flags


@nb.njit(cache=True, inline="always")
def _gather(hashes, flags, table, mult, s, cand, figs):  # pragma: no cover - jit
    """The sentence starting at token ``s`` (outside boilerplate): its content words into
    ``cand`` and the places of its figures among them into ``figs``, without a branch but
    the one on its end; (its last token, content words, figures)."""
    u = np.uint64
    c = 0
    nf = 0
    e = s
    while True:
        h = hashes[u(e)]
        f = flags[u(e)]
        cand[u(c)] = h
        figs[u(nf)] = c
        content = np.int64(_is_content(h, mult, table))
        nf += content & np.int64(f)  # content is 0 or 1: its digit flag
        c += content
        if f & _END:
            return e, c, nf
        e += 1


@nb.njit(cache=True, inline="always")
def _min_hashes(cand, c, bands, seeds, mins):  # pragma: no cover - jit
    """``mins[r]``: the least ``_mix(w ^ seeds[r])`` over the words ``cand[:c]``, for the
    ``2 * bands`` rows (rounded up to four); the 64-bit filter of the words is returned.
    The words are padded with copies of the first to a multiple of eight (the same minima)
    and the four rows done in one loop, which LLVM vectorizes eight words a step with no
    scalar remainder: a sentence has fifteen content words on average."""
    u = np.uint64
    w0 = cand[0]
    for x in range(8):
        cand[u(c + x)] = w0
    padded = (c + 7) & ~7
    bits = u(0)
    for r0 in range(0, 2 * bands, 4):
        s0, s1, s2, s3 = seeds[u(r0)], seeds[u(r0 + 1)], seeds[u(r0 + 2)], seeds[u(r0 + 3)]
        l0 = l1 = l2 = l3 = _FULL
        for x in range(padded):
            h = cand[u(x)]
            bits |= u(1) << (h >> u(58))
            l0 = min(l0, _mix(h ^ s0))
            l1 = min(l1, _mix(h ^ s1))
            l2 = min(l2, _mix(h ^ s2))
            l3 = min(l3, _mix(h ^ s3))
        mins[u(r0)] = l0
        mins[u(r0 + 1)] = l1
        mins[u(r0 + 2)] = l2
        mins[u(r0 + 3)] = l3
    return bits


@nb.njit(cache=True, inline="always")
def _popcount(x):  # pragma: no cover - jit
    """The bits set in ``x`` (LLVM makes this one ``popcnt``)."""
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return np.int64((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@nb.njit(cache=True, nogil=True)
def _has_distinct(cand, c, min_words, words):  # pragma: no cover - jit
    """Are there ``min_words`` distinct words among ``cand[:c]``?  (Asked only when the
    64-bit filter of the words has fewer bits set: 2 % of the sentences long enough.)"""
    u = np.uint64
    w = 0
    for q in range(c):
        h = cand[u(q)]
        dup = False
        for x in range(w):
            if words[u(x)] == h:
                dup = True
                break
        if not dup:
            words[u(w)] = h
            w += 1
            if w >= min_words:
                return True
    return False


@nb.njit(cache=True, nogil=True)
def _figures_by_hashing(cand, figs, nf, c):  # pragma: no cover - jit
    """The figures of a long sentence (as :func:`_sentence_keys_by_line` finds those of a
    short one: the XOR of ``_mix`` of each distinct word of ``cand[:c]`` whose first place
    is one of the figures' places ``figs[:nf]``), in one pass with a hash set of the words
    seen (linear probing, at most half full): a run-on line of a million figures takes
    10 ms."""
    bits = 1
    while (1 << bits) < 2 * c:
        bits += 1
    mask = (1 << bits) - 1
    shift = np.uint64(64 - bits)
    seen = np.empty(mask + 1, np.uint64)
    used = np.zeros(mask + 1, np.bool_)
    figure = np.zeros(c, np.bool_)
    figure[figs[:nf]] = True
    out = np.uint64(0)
    for q in range(c):
        h = cand[q]
        i = np.int64((h * np.uint64(0x9E3779B97F4A7C15)) >> shift)
        while used[i] and seen[i] != h:
            i = (i + 1) & mask
        if not used[i]:
            used[i] = True
            seen[i] = h
            if figure[q]:
                out ^= _mix(h)
    return out


@nb.njit(cache=True, nogil=True)
def _sentence_keys_by_line(hashes, digit, boiler, sent_end, table, tok_first, line_base, line_first,
                           min_line_tokens, min_words, bands, seeds):  # pragma: no cover - jit
    """The sentence signatures of a batch in one pass, line by line (the content words and
    sentence cuts of :func:`_content_and_cuts` found on the way: a sentence never spans a
    line break, and a line shorter than ``min_line_tokens`` has no content word, so it is
    skipped whole).  ``table``: :func:`probe_table`; ``seeds``: at least ``2 * bands``
    rounded up to four.  A sentence's words are gathered by :func:`_gather`, signed by
    :func:`_min_hashes` (its distinct words counted by a 64-bit filter, exactly only when
    the filter has too few bits), its figures looked up only when it has some (written out
    here: in an inlined function, a few per cent slower)."""
    n = len(hashes)
    cap = (n // max(min_words, 1) + 1) * bands
    out_h = np.empty(cap, np.uint64)
    out_p = np.empty(cap, np.uint32)
    first = np.zeros(len(tok_first), np.int64)
    mins = np.empty(8, np.uint64)
    words = np.empty(max(min_words, 1), np.uint64)
    cand = np.empty(n + 8, np.uint64)
    figs = np.empty(n + 1, np.int64)
    flags = _token_flags(sent_end, boiler, digit, line_first)
    mult = table[0]
    m = 0
    u = np.uint64  # unsigned indexes: numba emits no negative-index wraparound code for them
    for d in range(len(tok_first) - 1):
        first[d] = m
        lo = tok_first[d]
        for g in range(line_base[d], line_base[d + 1]):
            a, b = line_first[u(g)], line_first[u(g + 1)]
            if b - a < min_line_tokens:
                continue
            s = a
            while s < b:
                if boiler[u(s)]:  # a sentence is all boilerplate or none of it: no words
                    e = s
                    while e < b - 1 and not (sent_end[u(e)] or not boiler[u(e + 1)]):
                        e += 1
                    s = e + 1
                    continue
                e, c, nf = _gather(hashes, flags, table, mult, s, cand, figs)
                if c >= min_words:
                    bits = _min_hashes(cand, c, bands, seeds, mins)
                    if _popcount(bits) >= min_words or _has_distinct(cand, c, min_words, words):
                        figures = u(0)  # XOR of _mix of each distinct word first seen as a figure
                        if nf and c > _LONG_SENTENCE:
                            figures = _figures_by_hashing(cand, figs, nf, c)
                        else:
                            for i in range(nf):
                                q = figs[u(i)]
                                h = cand[u(q)]
                                dup = False
                                for x in range(q):
                                    dup |= cand[u(x)] == h
                                if not dup:
                                    figures ^= _mix(h)
                        for b2 in range(bands):
                            key = _mix(mins[u(2 * b2)] ^ _mix(mins[u(2 * b2 + 1)] + u(b2)) ^ figures)
                            out_h[u(m)] = key
                            out_p[u(m)] = np.uint32(s - lo)
                            m += 1
                s = e + 1
    first[len(tok_first) - 1] = m
    return out_h[:m], out_p[:m], first


def sentence_keys(batch: Batch, *, bands: int, min_words: int, min_line_tokens: int = 12
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(keys, token positions, per-article offsets) of the sentence signatures of a batch,
    laid out like :func:`copydesk.prepare_batch.fingerprint_batch`'s fingerprints; only
    sentences of lines of at least ``min_line_tokens`` tokens are signed (one compiled pass;
    :func:`sentence_keys_reference` is the specification)."""
    if bands <= 0 or batch.sent_end is None or not len(batch.hash):
        return (np.zeros(0, np.uint64), np.zeros(0, np.uint32), np.zeros(len(batch.ids) + 1, np.int64))
    return _sentence_keys_by_line(batch.hash, batch.digit, batch.boiler, batch.sent_end, probe_table(),
                                  batch.tok_first, batch.line_base, batch.line_first, min_line_tokens,
                                  min_words, min(bands, len(_SEEDS) // 2), _SEEDS)


def sentence_keys_reference(batch: Batch, *, bands: int, min_words: int, min_line_tokens: int = 12
                            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`sentence_keys` in plain Python (the specification of the kernel)."""
    if bands <= 0 or batch.sent_end is None or not len(batch.hash):
        return (np.zeros(0, np.uint64), np.zeros(0, np.uint32), np.zeros(len(batch.ids) + 1, np.int64))
    content, cut = _content_and_cuts(batch, min_line_tokens)
    bands = min(bands, len(_SEEDS) // 2)
    seeds = [int(x) for x in _SEEDS]
    hashes = [int(x) for x in batch.hash]
    keys: list[int] = []
    pos: list[int] = []
    first = [0]
    for d in range(len(batch.ids)):
        lo, hi = int(batch.tok_first[d]), int(batch.tok_first[d + 1])
        s = lo
        while s < hi:
            e = s
            while e < hi - 1 and not cut[e]:
                e += 1
            e += 1
            words: list[int] = []
            figures = 0
            for t in range(s, e):
                if content[t] and hashes[t] not in words:
                    words.append(hashes[t])
                    if batch.digit[t]:
                        figures ^= splitmix64(hashes[t])
            if len(words) >= min_words:
                mins = [min(splitmix64(w ^ seeds[r]) for w in words) for r in range(2 * bands)]
                for b in range(bands):
                    inner = splitmix64((mins[2 * b + 1] + b) & _MASK64)
                    keys.append(splitmix64(mins[2 * b] ^ inner ^ figures))
                    pos.append(s - lo)
            s = e
        first.append(len(keys))
    return np.array(keys, np.uint64), np.array(pos, np.uint32), np.array(first, np.int64)


@nb.njit(cache=True, nogil=True)
def _merge_rows(fh, fp, first, sh, sp, sfirst):  # pragma: no cover - jit
    nd = len(first) - 1
    h = np.empty(len(fh) + len(sh), np.uint64)
    p = np.empty(len(fh) + len(sh), fp.dtype)
    flag = np.zeros(len(fh) + len(sh), np.bool_)
    out_first = np.zeros(nd + 1, np.int64)
    bits = np.zeros(16, np.uint64)  # a 1024-bit filter of the article's sentence keys so far
    m = 0
    for d in range(nd):
        out_first[d] = m
        for r in range(first[d], first[d + 1]):
            h[m] = fh[r]
            p[m] = fp[r]
            m += 1
        own = m
        for k in range(len(bits)):
            bits[k] = 0
        for r in range(sfirst[d], sfirst[d + 1]):
            slot = sh[r] >> np.uint64(54)
            word, bit = slot >> np.uint64(6), np.uint64(1) << (slot & np.uint64(63))
            seen = False
            if bits[word] & bit:  # maybe seen: look (most keys are new)
                for u in range(own, m):  # a key once per article (a repeated sentence)
                    if h[u] == sh[r]:
                        seen = True
                        break
            if not seen:
                bits[word] |= bit
                h[m] = sh[r]
                p[m] = sp[r]
                flag[m] = True
                m += 1
    out_first[nd] = m
    return h[:m], p[:m], out_first, flag[:m]


def with_sentence_keys(fh: np.ndarray, fp: np.ndarray, first: np.ndarray, sh: np.ndarray, sp: np.ndarray,
                       sfirst: np.ndarray, *, flag: bool = False) -> tuple[np.ndarray, ...]:
    """Fingerprint rows and sentence-key rows of a batch merged, article by article (a
    sentence key once per article); compiled :func:`with_sentence_keys_reference`.  With
    ``flag``, also whether each row is a sentence key."""
    if not len(sh):
        return (fh, fp, first, np.zeros(len(fh), np.bool_)) if flag else (fh, fp, first)
    h, p, f, is_sentence = _merge_rows(np.ascontiguousarray(fh, np.uint64), fp, np.asarray(first, np.int64), sh,
                                       sp.astype(fp.dtype), np.asarray(sfirst, np.int64))
    return (h, p, f, is_sentence) if flag else (h, p, f)


#: the token position of a sentence-signature row carries this bit (as copydesk.plan.SENTENCE_ROW)
SENTENCE_BIT = np.uint32(1 << 31)


#: rows ahead of a partition's write position whose cache lines :func:`_partitioned_rows`
#: prefetches (two lines of the hash column, one of each 32-bit column)
_AHEAD = 16


@nb.njit(cache=True, nogil=True)
def _partition_counts(fh, first, sh, sfirst, parts, shift):  # pragma: no cover - jit
    """(whether each sentence key is kept — once per article, as :func:`_merge_rows` keeps
    it —, each hash partition's row count at ``1 + partition``): the first pass of
    :func:`_partitioned_rows`.  The fingerprints are counted in one flat loop (every one is
    kept), the sentence keys article by article."""
    u = np.uint64
    golden = u(0x9E3779B97F4A7C15)
    sh_ = u(shift)
    keep = np.zeros(len(sh), np.bool_)
    counts = np.zeros(parts + 1, np.int64)
    if parts > 1:
        for r in range(len(fh)):
            counts[u(np.int64((fh[u(r)] * golden) >> sh_) + 1)] += 1
    else:
        counts[1] = len(fh)
    bits = np.zeros(16, np.uint64)  # a 1024-bit filter of the article's sentence keys so far
    kept = np.empty(max(len(sh), 1), np.uint64)  # the article's kept sentence keys
    for d in range(len(first) - 1):
        for k in range(len(bits)):
            bits[k] = 0
        nk = 0
        for r in range(sfirst[u(d)], sfirst[u(d + 1)]):
            x = sh[u(r)]
            slot = x >> u(54)
            word, bit = slot >> u(6), u(1) << (slot & u(63))
            seen = False
            if bits[word] & bit:  # maybe seen: look (most keys are new)
                for q in range(nk):
                    if kept[u(q)] == x:
                        seen = True
                        break
            if not seen:
                bits[word] |= bit
                kept[u(nk)] = x
                nk += 1
                keep[u(r)] = True
                g = np.int64((x * golden) >> sh_) if parts > 1 else 0
                counts[u(g + 1)] += 1
    return keep, counts


@nb.njit(cache=True, inline="always")
def _put(oh, od, op, ok, fill, g, x, slot, pos, key):  # pragma: no cover - jit
    """Write a row at partition ``g``'s next place, and prefetch the lines :data:`_AHEAD`
    rows on (a partition's places are written in order, so they will be written soon)."""
    u = np.uint64
    j = fill[u(g)]
    fill[u(g)] = j + 1
    prefetch_write(oh, j + _AHEAD)
    prefetch_write(od, j + _AHEAD)
    prefetch_write(op, j + _AHEAD)
    prefetch_write(ok, j + _AHEAD)
    oh[u(j)] = x
    od[u(j)] = slot
    op[u(j)] = pos
    ok[u(j)] = key


@nb.njit(cache=True, nogil=True)
def _partitioned_rows(fh, fp, first, sh, sp, sfirst, tok_first, line_base, line, keys, slot0, parts,
                      shift):  # pragma: no cover - jit
    """:func:`partitioned_rows_reference` in two passes over the rows: the first counts each
    hash partition's rows and marks the sentence keys kept (:func:`_partition_counts`), the
    second writes every row straight to its place (:func:`_put`: 256 write streams, each
    prefetched a little ahead)."""
    u = np.uint64
    nd = len(first) - 1
    golden = u(0x9E3779B97F4A7C15)
    sh_ = u(shift)
    keep, counts = _partition_counts(fh, first, sh, sfirst, parts, shift)
    bounds = np.cumsum(counts)
    n = bounds[parts]
    fill = bounds[:-1].copy()
    oh = np.empty(n, np.uint64)
    od = np.empty(n, np.uint32)
    op = np.empty(n, np.uint32)
    ok = np.empty(n, np.uint32)
    low = u(0xFFFFFFFF)
    for d in range(nd):
        t0 = tok_first[u(d)]
        l0 = line_base[u(d)]
        slot_d = np.uint32(slot0 + d)
        for r in range(first[u(d)], first[u(d + 1)]):
            x = fh[u(r)]
            g = np.int64((x * golden) >> sh_) if parts > 1 else 0
            p = fp[u(r)]
            _put(oh, od, op, ok, fill, g, x, slot_d, np.uint32(p), np.uint32(keys[u(l0 + line[u(t0 + p)])] & low))
        for r in range(sfirst[u(d)], sfirst[u(d + 1)]):
            if not keep[u(r)]:
                continue
            x = sh[u(r)]
            g = np.int64((x * golden) >> sh_) if parts > 1 else 0
            p = sp[u(r)]
            _put(oh, od, op, ok, fill, g, x, slot_d, np.uint32(p) | SENTENCE_BIT,
                 np.uint32(keys[u(l0 + line[u(t0 + p)])] & low))
    return oh, od, op, ok, bounds


def partitioned_rows(batch: Batch, fh: np.ndarray, fp: np.ndarray, first: np.ndarray, sh: np.ndarray,
                     sp: np.ndarray, sfirst: np.ndarray, keys: np.ndarray, *, slot0: int, parts: int
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The fingerprint rows of a batch ready to spill, in one compiled call: (hash, slot
    ``slot0 +`` article index, token position with :data:`SENTENCE_BIT` on sentence keys,
    low 32 bits of the line's key) grouped by hash partition (``parts``, a power of two),
    and each partition's bounds.  ``fh, fp, first``: the batch's fingerprints
    (:func:`copydesk.prepare_batch.fingerprint_batch`), ``sh, sp, sfirst`` its sentence keys
    (:func:`sentence_keys`), ``keys`` its line keys (:func:`copydesk.prepare_batch.line_keys`).
    The same rows as :func:`partitioned_rows_reference` (merge, line keys, partition), without
    the intermediate columns."""
    if parts & (parts - 1) or parts < 1:
        raise ValueError("parts must be a power of two")
    return _partitioned_rows(np.ascontiguousarray(fh, np.uint64), np.ascontiguousarray(fp, np.uint32),
                             np.asarray(first, np.int64), np.ascontiguousarray(sh, np.uint64),
                             np.ascontiguousarray(sp, np.uint32), np.asarray(sfirst, np.int64), batch.tok_first,
                             batch.line_base, batch.line, keys, slot0, parts, 64 - (parts.bit_length() - 1))


def partitioned_rows_reference(batch: Batch, fh: np.ndarray, fp: np.ndarray, first: np.ndarray, sh: np.ndarray,
                               sp: np.ndarray, sfirst: np.ndarray, keys: np.ndarray, *, slot0: int, parts: int
                               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`partitioned_rows` as the steps it fuses: :func:`with_sentence_keys`,
    :func:`copydesk.prepare_batch.row_line_keys` and :func:`copydesk.spill.partition_rows`."""
    from .prepare_batch import row_line_keys
    from .spill import partition_rows

    h, p, f, is_sentence = with_sentence_keys(fh, fp, first, sh, sp, sfirst, flag=True)
    doc = np.repeat(np.arange(len(f) - 1, dtype=np.uint32), np.diff(f))
    lk = row_line_keys(batch, f, p, keys)
    pos = p.astype(np.uint32)
    pos[is_sentence] |= SENTENCE_BIT
    return partition_rows(h, doc + np.uint32(slot0), pos, lk, parts)


def with_sentence_keys_reference(fh: np.ndarray, fp: np.ndarray, first: np.ndarray, sh: np.ndarray, sp: np.ndarray,
                                 sfirst: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fingerprint rows and sentence-key rows of a batch merged, article by article."""
    if not len(sh):
        return fh, fp, first
    nd = len(first) - 1
    sdoc = np.repeat(np.arange(nd), np.diff(sfirst))
    o = np.lexsort((sp, sh, sdoc))  # a key once per article (a repeated sentence, a band collision)
    once = np.ones(len(o), np.bool_)
    once[1:] = (sh[o][1:] != sh[o][:-1]) | (sdoc[o][1:] != sdoc[o][:-1])
    o = np.sort(o[once])
    sh, sp = sh[o], sp[o]
    sfirst = np.concatenate(([0], np.cumsum(np.bincount(sdoc[o], minlength=nd))))
    doc = np.concatenate((np.repeat(np.arange(nd), np.diff(first)), np.repeat(np.arange(nd), np.diff(sfirst))))
    order = np.argsort(doc, kind="stable")
    h = np.concatenate((fh.astype(np.uint64), sh))[order]
    p = np.concatenate((fp.astype(np.int64), sp.astype(np.int64)))[order].astype(fp.dtype)
    return h, p, first + sfirst


@nb.njit(cache=True, nogil=True)
def _distinct(x, a, b, scratch):  # pragma: no cover - jit
    """How many distinct values ``x[a:b]`` holds (sorted in ``scratch``)."""
    n = b - a
    for i in range(n):
        scratch[i] = x[a + i]
    part = np.sort(scratch[:n])
    count = 1
    for i in range(1, n):
        count += part[i] != part[i - 1]
    return count


@nb.njit(cache=True, nogil=True)
def _sentence_evidence(codes, left, right, order, min_sentences):  # pragma: no cover - jit
    """:func:`sentence_evidence_reference` over rows in ``order`` (grouped by code, codes
    ascending): per pair, its distinct left and right positions counted."""
    n = len(order)
    c = codes[order]
    x = left[order]
    y = right[order]
    out = np.empty(n, np.int64)
    scratch = np.empty(n, x.dtype)
    m = 0
    i = 0
    while i < n:
        j = i + 1
        while j < n and c[j] == c[i]:
            j += 1
        if j - i >= min_sentences and _distinct(x, i, j, scratch) >= min_sentences \
                and _distinct(y, i, j, scratch) >= min_sentences:
            out[m] = c[i]
            m += 1
        i = j
    return out[:m]


def sentence_evidence(codes: np.ndarray, left: np.ndarray, right: np.ndarray, *, min_sentences: int) -> np.ndarray:
    """Codes of the pairs whose shared sentence keys (rows of pair code, position in the
    left and in the right article) come from at least ``min_sentences`` distinct sentences on
    both sides: one shared sentence (a stock line, an author's bio the furniture rule missed)
    is not evidence of a reworded story; several are.  Sorted, as
    :func:`sentence_evidence_reference` (the specification) gives them; compiled."""
    if not len(codes):
        return np.zeros(0, np.int64)
    codes = np.ascontiguousarray(codes, np.int64)
    return _sentence_evidence(codes, np.ascontiguousarray(left), np.ascontiguousarray(right),
                              np.argsort(codes), min_sentences)


def sentence_evidence_reference(codes: np.ndarray, left: np.ndarray, right: np.ndarray, *,
                                min_sentences: int) -> np.ndarray:
    """:func:`sentence_evidence` with numpy sorts (the specification)."""
    if not len(codes):
        return np.zeros(0, np.int64)
    out = []
    codes = codes.astype(np.int64)
    for pos in (left, right):
        order = np.lexsort((pos, codes))
        c, x = codes[order], pos[order]
        new = np.ones(len(c), np.bool_)
        new[1:] = (c[1:] != c[:-1]) | (x[1:] != x[:-1])  # one row per (pair, sentence)
        c = c[new]
        starts = np.flatnonzero(np.concatenate(([True], c[1:] != c[:-1])))
        n = np.diff(np.concatenate((starts, [len(c)])))
        out.append(c[starts][n >= min_sentences])
    return np.intersect1d(out[0], out[1], assume_unique=True)
