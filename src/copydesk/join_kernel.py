"""Compiled kernels of the candidate join (numba).

:func:`bucket_pairs` is :func:`copydesk.candidates.bucket_codes` and :func:`evidence` is
:func:`copydesk.candidates.pair_evidence` (the numpy reference versions, which tests compare
them against), each as one pass over sorted rows instead of many array operations.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .candidates import BigBuckets
from .furniture import CodeSet, value_counts
from .prefetch import prefetch_read, prefetch_write

_U = np.uint64
_K32 = np.uint64(0xFFFFFFFF)

#: from this many rows on, group them in two levels (see _grouped_order)
_BIG_INPUT = 1 << 20


@nb.njit(cache=True, nogil=True)
def _mix(x):  # pragma: no cover - jit
    x = (x ^ (x >> np.uint64(31))) * np.uint64(0xBF58476D1CE4E5B9)
    return x ^ (x >> np.uint64(29))


@nb.njit(cache=True, nogil=True, inline="always")
def _insertion_sort(idx, lo, hi, key, sub):  # pragma: no cover - jit
    """Sort ``idx[lo:hi]`` in place by (key[i], sub[i]) — for the few rows of one slot.
    (Indexes are cast to unsigned in these kernels: numba then emits no negative-index
    wraparound code.)"""
    for x in range(lo + 1, hi):
        y = x
        while y > lo:
            a, b = idx[_U(y - 1)], idx[_U(y)]
            if key[_U(b)] < key[_U(a)] or (key[_U(b)] == key[_U(a)] and sub[_U(b)] < sub[_U(a)]):
                idx[_U(y - 1)], idx[_U(y)] = b, a
                y -= 1
            else:
                break


@nb.njit(cache=True, nogil=True)
def _sort_by_high_halves(packed):  # pragma: no cover - jit
    """Sort ``packed`` (values of 64 bits whose low halves are their places, increasing) in
    place: a stable radix sort by their high halves, a byte at a time (a byte the same in
    every value skipped), which gives :meth:`numpy.ndarray.sort`'s order without its
    mispredicted comparisons: the one-pair slots of a 100k-article scan's pair partition
    (250 slots of 140 rows on average, most of :func:`_evidence_rows`' time) sorted in 0.45
    of the time."""
    m = len(packed)
    if m < 2:
        return
    a = packed
    b = np.empty(m, np.uint64)
    count = np.empty(256, np.int64)
    swapped = False
    for shift in range(32, 64, 8):
        sh = np.uint64(shift)
        count[:] = 0
        for x in range(m):
            count[(a[x] >> sh) & np.uint64(255)] += 1
        if count[(a[0] >> sh) & np.uint64(255)] == m:
            continue
        t = 0
        for d in range(256):
            c = count[d]
            count[d] = t
            t += c
        for x in range(m):
            v = a[x]
            d = (v >> sh) & np.uint64(255)
            b[count[d]] = v
            count[d] += 1
        a, b = b, a
        swapped = not swapped
    if swapped:
        packed[:] = a


#: a slot of more rows than this is sorted by merge sort when its rows are out of order (an
#: insertion sort is quadratic there: a fingerprint carried by thousands of articles, whose
#: rows come in no article order when an index renumbers its articles)
_INSERTION_MAX = 32


@nb.njit(cache=True, nogil=True, inline="always")
def _sort_slot(idx, lo, hi, key, sub):  # pragma: no cover - jit
    """Sort ``idx[lo:hi]`` in place by (key[i], sub[i]), stably: by insertion when the slot
    is small or already in order (rows appended in article order), else by one sort of packed
    (sub, place) when the slot holds one key, else by two stable merge sorts."""
    if hi - lo <= _INSERTION_MAX:
        _insertion_sort(idx, lo, hi, key, sub)
        return
    for x in range(lo + 1, hi):
        a, b = idx[_U(x - 1)], idx[_U(x)]
        if key[_U(b)] < key[_U(a)] or (key[_U(b)] == key[_U(a)] and sub[_U(b)] < sub[_U(a)]):
            break
    else:
        return
    first = key[_U(idx[lo])]
    for x in range(lo, hi):
        v = sub[_U(idx[x])]
        if key[_U(idx[x])] != first or v < 0 or v > 0xFFFFFFFF:
            break
    else:
        # one key (the usual slot: one group, e.g. a pair's rows from many partitions) and
        # subs of 32 bits: one sort of (sub, place in the slot) packed in 64 bits gives the
        # order of a stable sort by sub, without numba's slow merge sorts
        packed = np.empty(hi - lo, np.uint64)
        for x in range(lo, hi):
            packed[x - lo] = np.uint64(sub[_U(idx[x])]) << np.uint64(32) | np.uint64(x - lo)
        _sort_by_high_halves(packed)
        rows = idx[lo:hi].copy()
        for x in range(hi - lo):
            idx[lo + x] = rows[packed[x] & _K32]
        return
    rows = idx[lo:hi].copy()
    by_sub = rows[np.argsort(sub[rows], kind="mergesort")]
    idx[lo:hi] = by_sub[np.argsort(key[by_sub], kind="mergesort")]


#: rows ahead that a scatter asks for its destinations' cache lines (copydesk.prefetch)
_AHEAD = 16


@nb.njit(cache=True, nogil=True)
def _sort_big_rows(order, hs, ss, lo, hi):  # pragma: no cover - jit
    """Sort rows ``lo:hi`` (more than :data:`_INSERTION_MAX`) of the slot-ordered columns
    of :func:`_slot_sorted` together by (hs, ss), stably, as :func:`_sort_slot` does, but
    reading the columns in place: nothing to do when they are in order; for one key and
    subs of 32 bits, (sub, place) packed and sorted (:func:`_sort_by_high_halves`), then
    ``order`` and ``ss`` permuted; else their places sorted by :func:`_sort_slot`, then the
    three columns permuted.  (A function apart from the loop over the slots, which then
    holds no array of its own.)"""
    for x in range(lo + 1, hi):
        if hs[x] < hs[x - 1] or (hs[x] == hs[x - 1] and ss[x] < ss[x - 1]):
            break
    else:
        return
    for x in range(lo, hi):
        v = ss[x]
        if hs[x] != hs[lo] or v < 0 or v > 0xFFFFFFFF:
            break
    else:
        packed = np.empty(hi - lo, np.uint64)
        for x in range(lo, hi):
            packed[x - lo] = np.uint64(ss[x]) << np.uint64(32) | np.uint64(x - lo)
        _sort_by_high_halves(packed)
        rows = order[lo:hi].copy()
        subs = ss[lo:hi].copy()
        for x in range(hi - lo):
            at = packed[x] & _K32
            order[lo + x] = rows[at]
            ss[lo + x] = subs[at]
        return
    at = np.arange(lo, hi)
    _sort_slot(at, 0, hi - lo, hs, ss)
    order[lo:hi] = order[at]
    hs[lo:hi] = hs[at]
    ss[lo:hi] = ss[at]


@nb.njit(cache=True, nogil=True)
def _slot_sorted(h, sub):  # pragma: no cover - jit
    """:func:`_grouped_order` in one level (faster while the slot counts fit in cache), with
    ``h`` and ``sub`` in that order: (order, h[order], sub[order]).

    The scatter writes each row's place and values side by side, asking for their cache
    lines :data:`_AHEAD` rows ahead (``prefetch_write``: where the row will go is usually
    known then), so the slots are sorted in memory read in sequence, not by random reads of
    ``h`` and ``sub``.  The slots are found from their rows, not by a test of each slot
    (most are empty), and sorted by insertion in two passes, since mispredicted branches
    are most of their cost: first the two first rows of every slot, swapped or not without
    a branch (after :func:`_maybe_repeated` every slot holds two rows or more, most of them
    two), then the slots of three rows or more.  The 120k rows of a 100k-article scan's
    partition are grouped, their columns gathered, in 0.63-0.66 of the time of an order
    sorted slot by slot (:func:`_bucket_pairs` in 0.82-0.84)."""
    n = len(h)
    bits = 1
    while (1 << bits) < n:
        bits += 1
    mask = np.uint64((1 << bits) - 1)
    slot = np.zeros(n + 2 * _AHEAD, np.uint32)  # (slot 0 past the end: for the prefetches)
    bounds = np.zeros((1 << bits) + 1, np.int32)  # 32 bits: half the cache lines (n < 2**20)
    for i in range(n):
        s = _mix(np.uint64(h[_U(i)])) & mask
        slot[_U(i)] = s
        bounds[s + _U(1)] += 1
    for g in range(1 << bits):
        bounds[g + 1] += bounds[g]
    fill = bounds[:-1].copy()
    order = np.empty(n, np.int64)
    hs = np.empty(n, h.dtype)
    ss = np.empty(n, sub.dtype)
    for i in range(n):
        prefetch_write(fill, slot[_U(i + 2 * _AHEAD)])
        f = fill[slot[_U(i + _AHEAD)]]
        prefetch_write(order, f)
        prefetch_write(hs, f)
        prefetch_write(ss, f)
        s = slot[_U(i)]
        f = fill[s]
        order[_U(f)] = i
        hs[_U(f)] = h[_U(i)]
        ss[_U(f)] = sub[_U(i)]
        fill[s] = f + 1
    more = np.empty(n // 3 + 1, np.int64)  # the slots of three rows or more
    nm = 0
    x = 0
    while x < n:
        b = np.int64(bounds[(_mix(np.uint64(hs[_U(x)])) & mask) + _U(1)])
        y = min(x + 1, n - 1)  # (a slot of one row: compared with itself or a row of the next, kept)
        k0, k1, v0, v1 = hs[_U(x)], hs[_U(y)], ss[_U(x)], ss[_U(y)]
        swap = (b - x >= 2) & ((k1 < k0) | ((k1 == k0) & (v1 < v0)))
        o0, o1 = order[_U(x)], order[_U(y)]
        hs[_U(x)], hs[_U(y)] = (k1, k0) if swap else (k0, k1)
        ss[_U(x)], ss[_U(y)] = (v1, v0) if swap else (v0, v1)
        order[_U(x)], order[_U(y)] = (o1, o0) if swap else (o0, o1)
        more[_U(nm)] = x
        nm += b - x > 2
        x = b
    for t in range(nm):
        lo = more[t]
        hi = np.int64(bounds[(_mix(np.uint64(hs[_U(lo)])) & mask) + _U(1)])
        if hi - lo > _INSERTION_MAX:
            _sort_big_rows(order, hs, ss, lo, hi)
            continue
        for x in range(lo + 2, hi):  # (the first two in order)
            o, k, v = order[x], hs[x], ss[x]
            y = x
            while y > lo and (k < hs[y - 1] or (k == hs[y - 1] and v < ss[y - 1])):
                order[y], hs[y], ss[y] = order[y - 1], hs[y - 1], ss[y - 1]
                y -= 1
            order[y], hs[y], ss[y] = o, k, v
    return order, hs, ss


@nb.njit(cache=True, nogil=True)
def _grouped_order(h, sub):  # pragma: no cover - jit
    """An order of the rows that puts equal ``h`` together, sorted by ``sub`` within each
    group: a two-level counting sort on a mix of ``h`` (256 coarse groups, then about one row
    per slot inside each, so the counts stay in cache), then an insertion sort of each slot
    by (h, sub).  Groups come in no particular order; linear time, unlike a full sort."""
    n = len(h)
    key = np.empty(n, np.uint64)
    counts = np.zeros(257, np.int64)
    for i in range(n):
        k = _mix(np.uint64(h[i]))
        key[i] = k
        counts[np.int64(k >> np.uint64(56)) + 1] += 1
    top = np.cumsum(counts)
    fill = top[:-1].copy()
    coarse = np.empty(n, np.int64)  # rows by coarse group, with their keys, h and sub beside them
    ck = np.empty(n, np.uint64)
    ch = np.empty(n, h.dtype)
    cs = np.empty(n, sub.dtype)
    for i in range(n):
        g = np.int64(key[i] >> np.uint64(56))
        f = fill[g]
        coarse[f] = i
        ck[f] = key[i]
        ch[f] = h[i]
        cs[f] = sub[i]
        fill[g] += 1
    order = np.empty(n, np.int64)
    at = np.empty(n, np.int64)  # position in the coarse arrays of order[...]
    for g in range(256):
        a, b = top[g], top[g + 1]
        m = b - a
        if m == 0:
            continue
        bits = 0
        while (1 << bits) < m:
            bits += 1
        mask = np.uint64((1 << bits) - 1)
        local = np.zeros((1 << bits) + 1, np.int64)
        for x in range(a, b):
            local[np.int64((ck[x] >> np.uint64(24)) & mask) + 1] += 1
        for t in range(1 << bits):
            local[t + 1] += local[t]
        starts = local[:-1].copy()
        for x in range(a, b):
            sl = np.int64((ck[x] >> np.uint64(24)) & mask)
            at[a + starts[sl]] = x
            starts[sl] += 1
        for sl in range(1 << bits):
            _sort_slot(at, a + local[sl], a + local[sl + 1], ch, cs)
        for x in range(a, b):
            order[x] = coarse[at[x]]
    return order


@nb.njit(cache=True, nogil=True)
def _maybe_repeated(h):  # pragma: no cover - jit
    """The rows whose value may occur more than once (a superset: a table of about eight
    slots per row, indexed by mixed bits, marks the slots seen once and those seen twice,
    so about one value in eight found once is kept by mistake).  Most fingerprints of a
    corpus are in one document only; dropping them first spares the grouping below most of
    its random memory accesses.  The two marks are bits (a row's slot kept beside it), so
    the table is an eighth of :func:`_maybe_repeated_reference`'s bytes and mostly stays in
    cache; the same rows.  Both marks of a slot share a word (one cache miss per row, not
    two), whose line is asked for :data:`_AHEAD` rows ahead (``prefetch_write`` to mark,
    ``prefetch_read`` to test): the 410k rows of a 100k-article scan's partition (a table
    of 1 MB) in 0.89-0.93 of the time."""
    n = len(h)
    bits = 4
    while (1 << bits) < 8 * n:
        bits += 1
    mask = np.uint64((1 << bits) - 1)
    words = max(1, (1 << bits) >> 5)
    marks = np.zeros(words, np.uint64)  # two bits per slot, side by side: seen once, twice
    slot = np.empty(n + _AHEAD, np.uint32)
    for i in range(n):
        slot[_U(i)] = _mix(np.uint64(h[_U(i)])) & mask
    slot[n:] = 0  # (for the prefetches)
    for i in range(n):
        prefetch_write(marks, slot[_U(i + _AHEAD)] >> _U(5))
        s = _U(slot[_U(i)])
        w = s >> _U(5)
        b = _U(1) << ((s & _U(31)) << _U(1))
        m = marks[w]
        marks[w] = m | b | ((m & b) << _U(1))
    keep = np.empty(n, np.int64)
    m = 0
    for i in range(n):  # branch-free: about a third of the rows are kept, in no pattern
        prefetch_read(marks, slot[_U(i + _AHEAD)] >> _U(5))
        s = _U(slot[_U(i)])
        keep[_U(m)] = i
        m += (marks[s >> _U(5)] >> (((s & _U(31)) << _U(1)) + _U(1))) & _U(1)
    return keep[:m]


def maybe_repeated(h: np.ndarray) -> np.ndarray:
    """The rows (indexes, ascending) whose value of ``h`` may occur more than once: every
    row whose value does, and about one in eight of the others (:func:`_maybe_repeated`)."""
    return _maybe_repeated(np.ascontiguousarray(h, np.uint64))


@nb.njit(cache=True, nogil=True)
def _maybe_repeated_reference(h):  # pragma: no cover - jit
    """:func:`_maybe_repeated` with a byte per slot (counts saturating at 2)."""
    n = len(h)
    bits = 4
    while (1 << bits) < 8 * n:
        bits += 1
    mask = np.uint64((1 << bits) - 1)
    seen = np.zeros(1 << bits, np.uint8)
    for i in range(n):
        s = _mix(np.uint64(h[_U(i)])) & mask
        if seen[s] < 2:
            seen[s] += 1
    keep = np.empty(n, np.int64)
    m = 0
    for i in range(n):
        if seen[_mix(np.uint64(h[_U(i)])) & mask] >= 2:
            keep[_U(m)] = i
            m += 1
    return keep[:m]


#: the bit a sentence signature's row carries in its positions (``plan.SENTENCE_ROW``)
SENTENCE_BIT = np.uint32(1 << 31)
_PHI = np.uint64(0x9E3779B97F4A7C15)


@nb.njit(cache=True, nogil=True)
def _kept_rows(h, doc, pos, key, has, table, used, probe, cap):  # pragma: no cover - jit
    """:func:`kept_rows` compiled: one pass marks the rows kept so far (and probes the
    furniture table, :class:`copydesk.furniture.CodeSet`'s, with each (article, line key)
    code of an article that has furniture: :func:`copydesk.furniture.pair_codes`) and lists
    the sentence rows kept (branch-free: they are a fifth of the rows, interleaved); their
    signatures are counted in a hash table, and the kept rows are copied out.  The counts are
    those of :func:`copydesk.furniture.value_counts` on the sentence rows' signatures, with
    neither its copy of them nor its separate flags and counts per row (half the table's
    bytes: its random accesses are most of this kernel's cost beyond the copy).  Each
    signature's first slot is known ahead, so the table's lines are asked for
    :data:`_AHEAD` rows ahead, to count and to read the counts (``prefetch_write``,
    ``prefetch_read``): the counting of a 100k-article scan's partition (80k sentence rows,
    a table of 3 MB) takes 0.8 of the time, the kernel 0.90-0.93.  (The furniture table,
    a few hundred kB, is probed as fast without.)"""
    n = len(h)
    ok = np.empty(n, np.bool_)
    mask = np.uint64(len(table) - 1)
    at = np.empty(n, np.int64)
    nsent = 0
    for i in range(n):
        d = doc[i]
        good = d >= 0
        if good and probe and has[d]:
            x = (np.uint64(d) + np.uint64(1)) * _PHI
            x ^= np.uint64(key[i]) & _K32
            x ^= x >> np.uint64(31)
            x *= np.uint64(0xBF58476D1CE4E5B9)
            x ^= x >> np.uint64(29)
            slot = x & mask
            while used[slot]:
                if table[slot] == x:
                    good = False
                    break
                slot = (slot + np.uint64(1)) & mask
        ok[i] = good
        at[nsent] = i
        nsent += good & (pos[i] >= SENTENCE_BIT)
    if nsent > cap:
        size = 16
        while size < 2 * nsent:
            size *= 2
        smask = np.uint64(size - 1)
        sig = np.zeros(size, np.uint64)
        count = np.zeros(size, np.uint32)  # 0: a free slot
        where = np.empty(nsent + _AHEAD, np.int64)  # each row's first slot, then its own
        where[nsent:] = 0  # (for the prefetches)
        for t in range(nsent):
            x = h[at[t]]
            where[t] = ((x ^ (x >> np.uint64(31))) * np.uint64(0xBF58476D1CE4E5B9)) & smask
        for t in range(nsent):
            ahead = where[t + _AHEAD]
            prefetch_write(count, ahead)
            prefetch_write(sig, ahead)
            x = h[at[t]]
            s = np.uint64(where[t])
            while count[s] and sig[s] != x:
                s = (s + np.uint64(1)) & smask
            sig[s] = x
            count[s] += 1
            where[t] = s
        for t in range(nsent):
            prefetch_read(count, where[t + _AHEAD])
            if count[where[t]] > cap:
                ok[at[t]] = False
    m = 0
    for i in range(n):
        m += ok[i]
    out_h = np.empty(m, np.uint64)
    out_d = np.empty(m, np.uint32)
    out_p = np.empty(m, np.uint32)
    t = 0
    for i in range(n):
        if ok[i]:
            out_h[t] = h[i]
            out_d[t] = doc[i]
            out_p[t] = pos[i]
            t += 1
    return out_h, out_d, out_p


def kept_rows(h: np.ndarray, doc: np.ndarray, pos: np.ndarray, key: np.ndarray, has: np.ndarray,
              furniture: CodeSet, cap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The fingerprint rows (hash, article, position; ``key``: low 32 bits of its line's
    key) that the candidate join pairs: not of a dropped article (-1), not on a furniture
    line (``furniture``: codes of (article, line key); ``has[d]``: article d has some),
    not a sentence row (:data:`SENTENCE_BIT` in its position) of a signature more than
    ``cap`` of those kept carry.  ``plan.join_rows_reference`` does it in numpy steps."""
    return _kept_rows(np.ascontiguousarray(h, np.uint64), np.ascontiguousarray(doc, np.int64),
                      np.ascontiguousarray(pos, np.uint32), np.ascontiguousarray(key, np.uint32),
                      np.ascontiguousarray(has, np.bool_), furniture.table, furniture.used, len(furniture) > 0, cap)


@nb.njit(cache=True, nogil=True)
def _bucket_pairs(h, d, p, rank, cap):  # pragma: no cover - jit
    keep = _maybe_repeated(h)  # a value found once makes no pair
    h, d, p = h[keep], d[keep], p[keep]
    n = len(h)
    # rows gathered in group order, so that the walk below reads memory in sequence (it reads
    # each row two or three times)
    if n < _BIG_INPUT:
        order, h, d = _slot_sorted(h, d)
        p = p[order]
    else:
        order = _grouped_order(h, d)
        h, d, p = h[order], d[order], p[order]
    # the runs of equal fingerprints and the runs of two rows or more are found without a
    # branch (their lengths come in no pattern: half the runs are of one row, a value kept
    # by _maybe_repeated by mistake), straight over the columns in order: the walk from
    # here in 0.85 of the time it took by tests and through an order
    runs = np.empty(n + 1, np.int64)  # where each run starts
    runs[0] = 0
    nr = min(n, 1)
    for i in range(1, n):
        runs[nr] = i
        nr += h[i] != h[i - 1]
    runs[nr] = n
    npairs = 0
    nbig = 0
    nmembers = 0
    multi = np.empty(nr + 1, np.int64)  # the runs of two rows or more (or big: cap 0)
    nm = 0
    for r in range(nr):
        s = runs[r + 1] - runs[r]
        big = s > cap
        npairs += s - 1 if big else s * (s - 1) // 2
        nbig += big
        nmembers += s if big else 0
        multi[nm] = r
        nm += (s >= 2) | big
    codes = np.empty(npairs, np.int64)
    pl = np.empty(npairs, np.uint32)
    pr = np.empty(npairs, np.uint32)
    reps = np.empty(nbig, np.int64)
    first = np.zeros(nbig + 1, np.int64)
    members = np.empty(nmembers, np.int64)
    m = 0
    b = 0
    for r in multi[:nm]:
        i, j = runs[r], runs[r + 1]
        s = j - i
        if 2 <= s <= cap:
            for x in range(i, j):
                dx = np.int64(d[x])
                for y in range(x + 1, j):
                    dy = np.int64(d[y])
                    if dx < dy:
                        codes[m] = dx << 32 | dy
                        pl[m] = p[x]
                        pr[m] = p[y]
                    else:
                        codes[m] = dy << 32 | dx
                        pl[m] = p[y]
                        pr[m] = p[x]
                    m += 1
        elif s > cap:
            at = i
            for x in range(i + 1, j):
                if rank[d[x]] < rank[d[at]]:
                    at = x
            rep = np.int64(d[at])
            rpos = p[at]
            reps[b] = rep
            for x in range(i, j):
                dx = np.int64(d[x])
                members[first[b] + x - i] = dx
                if x == at:
                    continue
                if dx < rep:
                    codes[m] = dx << 32 | rep
                    pl[m] = p[x]
                    pr[m] = rpos
                else:
                    codes[m] = rep << 32 | dx
                    pl[m] = rpos
                    pr[m] = p[x]
                m += 1
            first[b + 1] = first[b] + s
            b += 1
    return codes, pl, pr, reps, first, members


def bucket_pairs(h: np.ndarray, d: np.ndarray, p: np.ndarray, rank: np.ndarray, cap: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, BigBuckets]:
    """(pair codes, left positions, right positions, big buckets) from (fingerprint,
    document, position) rows; see :func:`copydesk.candidates.bucket_codes`.  Rows come in
    any order; a document holds each fingerprint once."""
    codes, pl, pr, reps, first, members = _bucket_pairs(
        np.ascontiguousarray(h, np.uint64), np.ascontiguousarray(d, np.uint32),
        np.ascontiguousarray(p, np.uint32), np.ascontiguousarray(rank, np.int64), cap)
    return codes, pl, pr, BigBuckets(reps, first, members)


@nb.njit(cache=True, nogil=True, inline="always")
def _colocated(lo, hi, pl, pr, within, drift):  # pragma: no cover - jit
    """Whether two consecutive rows ``lo:hi`` of one pair (sorted by left position) lie
    within ``within`` tokens on the left and the same distance, give or take ``drift``, on
    the right."""
    for x in range(lo, hi - 1):
        dl = np.int64(pl[x + 1]) - np.int64(pl[x])
        dr = np.int64(pr[x + 1]) - np.int64(pr[x])
        if 0 < dl <= within and abs(dr - dl) <= drift:
            return True
    return False


@nb.njit(cache=True, nogil=True, inline="always")
def _pair_rows(codes, pl, pr, drop_single):  # pragma: no cover - jit
    """The (pair, position) rows to judge — without the pairs of one row when
    ``drop_single`` (they are not kept) — in order by pair, then left position (as
    :func:`_bucket_pairs` orders its rows: :func:`_slot_sorted` gives two of the columns
    in order, so that the walks read memory in sequence, not at random through an
    order)."""
    if drop_single:
        keep = _maybe_repeated(codes)
        codes, pl, pr = codes[keep], pl[keep], pr[keep]
    if len(codes) < _BIG_INPUT:
        order, codes, pl = _slot_sorted(codes, pl)
        return codes, pl, pr[order]
    order = _grouped_order(codes, pl)
    return codes[order], pl[order], pr[order]


@nb.njit(cache=True, nogil=True)
def _evidence(codes, pl, pr, within, drift, min_count):  # pragma: no cover - jit
    codes, pl, pr = _pair_rows(codes, pl, pr, min_count >= 2)
    n = len(codes)
    out_c = np.empty(n, np.int64)
    out_n = np.empty(n, np.int64)
    out_ok = np.zeros(n, np.bool_)
    m = 0
    i = 0
    while i < n:
        c = codes[i]
        j = i + 1
        while j < n and codes[j] == c:
            j += 1
        s = j - i
        if s >= min_count:
            out_c[m] = c
            out_n[m] = s
            out_ok[m] = _colocated(i, j, pl, pr, within, drift)
            m += 1
        i = j
    return out_c[:m], out_n[:m], out_ok[:m]


def evidence(codes: np.ndarray, pl: np.ndarray, pr: np.ndarray, *, within: int, drift: int,
             min_count: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`copydesk.candidates.pair_evidence`, keeping only pairs with at least
    ``min_count`` rows."""
    return _evidence(np.ascontiguousarray(codes, np.int64), np.ascontiguousarray(pl, np.uint32),
                     np.ascontiguousarray(pr, np.uint32), within, drift, min_count)


@nb.njit(cache=True, nogil=True)
def _evidence_rows(codes, pl, pr, within, drift, min_count, min_sentences, strong):  # pragma: no cover - jit
    """:func:`evidence_rows` compiled: one grouping of all the rows by (code, left
    position); a pair's fingerprint rows come first (their positions lack the sentence bit),
    its sentence rows after them, each sorted by left position."""
    codes, pl, pr = _pair_rows(codes, pl, pr, min(min_count, min_sentences) >= 2)
    n = len(codes)
    out_c = np.empty(n, np.int64)
    out_n = np.empty(n, np.int64)
    out_ok = np.zeros(n, np.bool_)
    scratch = np.empty(n, np.uint32)
    bit = SENTENCE_BIT
    m = 0
    i = 0
    while i < n:
        c = codes[i]
        j = i + 1
        while j < n and codes[j] == c:
            j += 1
        k = i  # the first sentence row
        while k < j and pl[k] < bit:
            k += 1
        s = k - i
        fp_ok = s >= min_count
        colo = fp_ok and _colocated(i, k, pl, pr, within, drift)
        sent_ok = False
        if j - k >= min_sentences:
            left = 1  # distinct sentences on the left (the rows are sorted by them)
            for x in range(k + 1, j):
                left += pl[x] != pl[x - 1]
            if left >= min_sentences:
                t = j - k
                for x in range(t):
                    scratch[x] = pr[k + x]
                part = np.sort(scratch[:t])
                right = 1
                for x in range(1, t):
                    right += part[x] != part[x - 1]
                sent_ok = right >= min_sentences
        if sent_ok and not (fp_ok and s >= strong):
            out_c[m] = c
            out_n[m] = strong
            out_ok[m] = True
            m += 1
        elif fp_ok:
            out_c[m] = c
            out_n[m] = s
            out_ok[m] = colo
            m += 1
        i = j
    return out_c[:m], out_n[:m], out_ok[:m]


def evidence_rows(codes: np.ndarray, pl: np.ndarray, pr: np.ndarray, *, within: int, drift: int,
                  min_count: int, min_sentences: int, strong: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pair codes, shared fingerprints, co-located?) of the pairs among (pair, shared
    fingerprint or sentence signature) rows — :data:`SENTENCE_BIT` set in both positions of
    a sentence row — that share at least ``min_count`` fingerprints (:func:`evidence`), or
    sentence signatures from ``min_sentences`` distinct sentences on both sides
    (:func:`copydesk.sentence_keys.sentence_evidence`): such a pair counts ``strong``
    fingerprints, co-located, unless its fingerprints say more.  Sorted by code; one
    grouping of the rows instead of one per kind (``plan.pair_evidence_reference`` is the
    specification)."""
    c, n, ok = _evidence_rows(np.ascontiguousarray(codes, np.int64), np.ascontiguousarray(pl, np.uint32),
                              np.ascontiguousarray(pr, np.uint32), within, drift, min_count, min_sentences, strong)
    order = np.argsort(c)
    return c[order], n[order], ok[order]


@nb.njit(cache=True, nogil=True)
def _component_labels(left, right, n):  # pragma: no cover - jit
    """Union-find over documents 0..n-1 joined by the pairs: each document's root (the
    smallest document of its connected component)."""
    parent = np.arange(n)
    for p in range(len(left)):
        a, b = left[p], right[p]
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        if a != b:
            parent[max(a, b)] = min(a, b)
    for x in range(n):  # parents point downwards: one pass in order resolves every root
        parent[x] = parent[parent[x]]
    return parent


def component_order(codes: np.ndarray) -> np.ndarray:
    """The pair codes (``left << 32 | right``) regrouped so that the pairs of each connected
    component come together (components by their smallest document, pairs sorted within):
    chunks of this order share their documents, so fewer articles are prepared twice."""
    if not len(codes):
        return codes
    left, right = codes >> 32, codes & 0xFFFFFFFF
    docs, inv = np.unique(np.concatenate((left, right)), return_inverse=True)
    labels = _component_labels(inv[:len(codes)], inv[len(codes):], len(docs))
    return codes[np.lexsort((codes, labels[inv[:len(codes)]]))]


@nb.njit(cache=True, nogil=True)
def common_rows(h, at, cap):  # pragma: no cover - jit
    """Rows ``at`` of ``h`` whose value occurs more than ``cap`` times among them (a bool per
    row of ``h``): :func:`copydesk.plan.common_sentences` counted in a hash table
    (:func:`copydesk.furniture.value_counts`) instead of by sorting
    (``plan.common_sentences_reference``)."""
    counts = value_counts(h[at])
    out = np.zeros(len(h), np.bool_)
    for i in range(len(at)):
        if counts[i] > cap:
            out[at[i]] = True
    return out
