"""The alignment of :mod:`copydesk.align` as one compiled kernel (numba).

It follows :func:`copydesk.align.align_reference` step for step — anchors, diagonal runs,
greedy co-linear chaining, word-by-word extension, selection of non-overlapping chains —
and must return exactly the same spans; ``tests/test_align.py`` checks that on real and
random text.  Arrays in, arrays out: no Python objects inside the hot loop.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .fingerprint import shingle_at


@nb.njit(cache=True, nogil=True)
def _valid_shingles_into(h, boiler, k, pos, sh):  # pragma: no cover - jit
    """Write (position, hash) of each shingle with no boilerplate token into ``pos`` and
    ``sh``; returns how many."""
    n = len(h) - k + 1
    m = 0
    bad = 0
    for t in range(min(k, len(h))):
        bad += boiler[t]
    for i in range(max(n, 0)):
        if i > 0:
            bad += boiler[i + k - 1] - boiler[i - 1]
        if bad == 0:
            pos[m] = i
            sh[m] = shingle_at(h, i, k)
            m += 1
    return m


@nb.njit(cache=True, nogil=True)
def sort_by_hash(sh, pos, out_sh, out_pos):  # pragma: no cover - jit
    """Stable sort of (``sh``, ``pos``) by hash into ``out_sh``, ``out_pos``: a counting sort
    on the top bits (about two slots per element; shingle hashes are well mixed), then an
    insertion sort within each slot, where hardly anything moves.  Same order as
    ``np.argsort(sh, kind="stable")``."""
    n = len(sh)
    if n == 0:
        return
    bits = 1
    while (1 << bits) < 2 * n and bits < 16:
        bits += 1
    shift = np.uint64(64 - bits)
    start = np.zeros((1 << bits) + 1, np.int64)
    for i in range(n):
        start[(sh[i] >> shift) + 1] += 1
    for b in range(1 << bits):
        start[b + 1] += start[b]
    for i in range(n):
        b = sh[i] >> shift
        out_sh[start[b]] = sh[i]
        out_pos[start[b]] = pos[i]
        start[b] += 1
    for i in range(1, n):
        v = out_sh[i]
        if out_sh[i - 1] <= v:
            continue
        p = out_pos[i]
        j = i
        while j > 0 and out_sh[j - 1] > v:
            out_sh[j] = out_sh[j - 1]
            out_pos[j] = out_pos[j - 1]
            j -= 1
        out_sh[j] = v
        out_pos[j] = p


@nb.njit(cache=True, nogil=True)
def _run_counts_into(sorted_vals, out):  # pragma: no cover - jit
    """For a sorted array: the size of the run each element belongs to, into ``out``."""
    n = len(sorted_vals)
    s = 0
    while s < n:
        e = s + 1
        while e < n and sorted_vals[e] == sorted_vals[s]:
            e += 1
        for t in range(s, e):
            out[t] = e - s
        s = e


@nb.njit(cache=True, nogil=True)
def anchor_index(h, boiler, k):  # pragma: no cover - jit
    """One text's anchors ready for matching: (positions, hashes, run sizes) of its
    boilerplate-free ``k``-shingles, sorted by hash (ties by position)."""
    pos, ss, cnt, first = anchor_index_docs(h, boiler, np.array([0, len(h)], np.int64), k)
    return pos, ss, cnt


@nb.njit(cache=True, nogil=True)
def anchor_index_docs(h, boiler, tok_first, k):  # pragma: no cover - jit
    """:func:`anchor_index` of every document of a batch (tokens ``tok_first[d]`` on), end
    to end; document d's anchors are ``[first[d]:first[d + 1]]``."""
    ndocs = len(tok_first) - 1
    longest = 0
    for d in range(ndocs):
        longest = max(longest, tok_first[d + 1] - tok_first[d])
    tpos = np.empty(longest, np.int64)
    tsh = np.empty(longest, np.uint64)
    pos = np.empty(len(h), np.int64)
    ss = np.empty(len(h), np.uint64)
    cnt = np.empty(len(h), np.int64)
    first = np.zeros(ndocs + 1, np.int64)
    m = 0
    for d in range(ndocs):
        a, b = tok_first[d], tok_first[d + 1]
        n = _valid_shingles_into(h[a:b], boiler[a:b], k, tpos, tsh)
        sort_by_hash(tsh[:n], tpos[:n], ss[m:m + n], pos[m:m + n])
        _run_counts_into(ss[m:m + n], cnt[m:m + n])
        m += n
        first[d + 1] = m
    return pos[:m], ss[:m], cnt[:m], first


@nb.njit(cache=True, nogil=True)
def _runs(pa, sa, ca, pb, sb, cb, max_repeat, k, na):  # pragma: no cover - jit
    """Exact diagonal runs of anchor matches, sorted by (a start, b start): rows [as, ae,
    bs, be].  Matches come from a merge join over the two sorted anchor indexes (hashes
    repeated more than ``max_repeat`` times on a side are skipped); each a position then
    has at most ``max_repeat`` b positions, kept in a small table, so runs are found by
    walking the diagonals from their first match, with no sort."""
    cnt = np.zeros(na + 1, np.int64)
    tab = np.empty((na + 1) * max_repeat, np.int64)
    nm = 0
    i = 0
    j = 0
    u = np.uint64
    na_, nb_ = len(sa), len(sb)
    while i < na_ and j < nb_:
        va, vb = sa[u(i)], sb[u(j)]
        if va != vb:  # step the smaller side, without a branch on which one it is
            lt = va < vb
            i += ca[u(i)] if lt else 0
            j += 0 if lt else cb[u(j)]
        else:
            ni, nj = ca[i], cb[j]
            if ni <= max_repeat and nj <= max_repeat:
                for x in range(i, i + ni):
                    at = pa[x]
                    for y in range(j, j + nj):  # ascending b positions
                        tab[at * max_repeat + cnt[at]] = pb[y]
                        cnt[at] += 1
                nm += ni * nj
            i += ni
            j += nj
    runs = np.empty((nm, 4), np.int64)
    r = 0
    for a0 in range(na):
        for q in range(cnt[a0]):
            b0 = tab[a0 * max_repeat + q]
            if a0 > 0 and _has(tab, cnt, a0 - 1, b0 - 1, max_repeat):
                continue  # inside a run that started earlier
            e = a0
            while e + 1 < na and _has(tab, cnt, e + 1, b0 + e + 1 - a0, max_repeat):
                e += 1
            runs[r, 0] = a0
            runs[r, 1] = e + k
            runs[r, 2] = b0
            runs[r, 3] = b0 + e - a0 + k
            r += 1
    return runs[:r]


@nb.njit(cache=True, nogil=True, inline="always")
def _has(tab, cnt, a, b, max_repeat):  # pragma: no cover - jit
    for u in range(cnt[a]):  # noqa: SIM110 - a plain loop compiles in numba
        if tab[a * max_repeat + u] == b:
            return True
    return False


@nb.njit(cache=True, nogil=True, inline="always")
def _gap_ok(starts, ends, boiler, end_tok, start_tok, max_gap):  # pragma: no cover - jit
    if start_tok <= end_tok:
        return True
    if starts[start_tok] - ends[end_tok - 1] > max_gap + 1:
        return False
    for t in range(end_tok, start_tok):  # noqa: SIM110 - a plain loop compiles in numba
        if boiler[t]:
            return False
    return True


@nb.njit(cache=True, nogil=True)
def align_spans(ha, ba, a_start, a_end, hb, bb, b_start, b_end,
                k, max_repeat, max_gap, min_chars):  # pragma: no cover - jit
    """Passages as token spans [as, ae, bs, be] (sorted), as :func:`align_reference`."""
    pa, sa, ca = anchor_index(ha, ba, k)
    pb, sb, cb = anchor_index(hb, bb, k)
    return align_indexed(pa, sa, ca, pb, sb, cb, ha, ba, a_start, a_end, hb, bb, b_start, b_end,
                         k, max_repeat, max_gap, min_chars)


@nb.njit(cache=True, nogil=True)
def align_indexed(pa, sa, ca, pb, sb, cb, ha, ba, a_start, a_end, hb, bb, b_start, b_end,
                  k, max_repeat, max_gap, min_chars):  # pragma: no cover - jit
    """:func:`align_spans` with both texts' :func:`anchor_index` already computed."""
    runs = _runs(pa, sa, ca, pb, sb, cb, max_repeat, k, len(ha))
    nr = len(runs)
    ch = np.empty((max(nr, 1), 4), np.int64)
    nc = 0
    for r in range(nr):
        a_s, a_e, b_s, b_e = runs[r, 0], runs[r, 1], runs[r, 2], runs[r, 3]
        best = -1
        best_gap = np.int64(0)
        have_gap = False
        for ci in range(nc - 1, -1, -1):
            if ch[ci, 1] < a_s - 64:
                continue
            if a_s < ch[ci, 0] or b_s < ch[ci, 2] or a_s < ch[ci, 1] - k or b_s < ch[ci, 3] - k:
                continue
            if a_e <= ch[ci, 1] and b_e <= ch[ci, 3]:
                best = ci
                break
            if not (_gap_ok(a_start, a_end, ba, ch[ci, 1], a_s, max_gap)
                    and _gap_ok(b_start, b_end, bb, ch[ci, 3], b_s, max_gap)):
                continue
            gap = max(a_s - ch[ci, 1], b_s - ch[ci, 3])
            if not have_gap or gap < best_gap:
                best = ci
                best_gap = gap
                have_gap = True
        if best < 0:
            ch[nc, 0] = a_s
            ch[nc, 1] = a_e
            ch[nc, 2] = b_s
            ch[nc, 3] = b_e
            nc += 1
        else:
            ch[best, 1] = max(ch[best, 1], a_e)
            ch[best, 3] = max(ch[best, 3], b_e)
    na, nbt = len(ha), len(hb)
    for c in range(nc):  # extend word by word while both texts agree
        while (ch[c, 1] < na and ch[c, 3] < nbt and ha[ch[c, 1]] == hb[ch[c, 3]]
               and not ba[ch[c, 1]] and not bb[ch[c, 3]]):
            ch[c, 1] += 1
            ch[c, 3] += 1
        while (ch[c, 0] > 0 and ch[c, 2] > 0 and ha[ch[c, 0] - 1] == hb[ch[c, 2] - 1]
               and not ba[ch[c, 0] - 1] and not bb[ch[c, 2] - 1]):
            ch[c, 0] -= 1
            ch[c, 2] -= 1
    # longest first (ties: a start, b start), then keep chains overlapping no kept one
    order = np.arange(nc)
    for x in range(1, nc):
        y = x
        while y > 0:
            p, q = order[y - 1], order[y]
            lp = ch[p, 1] - ch[p, 0] + ch[p, 3] - ch[p, 2]
            lq = ch[q, 1] - ch[q, 0] + ch[q, 3] - ch[q, 2]
            if lq > lp or (lq == lp and (ch[q, 0] < ch[p, 0] or (ch[q, 0] == ch[p, 0] and ch[q, 2] < ch[p, 2]))):
                order[y - 1], order[y] = q, p
                y -= 1
            else:
                break
    kept = np.empty((max(nc, 1), 4), np.int64)
    nk = 0
    for x in range(nc):
        c = order[x]
        a0, a1 = a_start[ch[c, 0]], a_end[ch[c, 1] - 1]
        b0, b1 = b_start[ch[c, 2]], b_end[ch[c, 3] - 1]
        if min(a1 - a0, b1 - b0) < min_chars:
            continue
        clash = False
        for o in range(nk):
            if ((ch[c, 0] < kept[o, 1] and kept[o, 0] < ch[c, 1])
                    or (ch[c, 2] < kept[o, 3] and kept[o, 2] < ch[c, 3])):
                clash = True
                break
        if not clash:
            kept[nk] = ch[c]
            nk += 1
    kept = kept[:nk]
    # lexicographic order of the rows
    for x in range(1, nk):
        y = x
        while y > 0:
            less = False
            for col in range(4):
                if kept[y, col] != kept[y - 1, col]:
                    less = kept[y, col] < kept[y - 1, col]
                    break
            if not less:
                break
            for col in range(4):
                kept[y, col], kept[y - 1, col] = kept[y - 1, col], kept[y, col]
            y -= 1
    return kept


@nb.njit(cache=True, nogil=True)
def align_many(left, right, hashes, boiler, starts, ends, weight, tok_first,
               apos, ahash, aruns, afirst, k, max_repeat, max_gap, min_chars):  # pragma: no cover - jit
    """:func:`align_indexed` for pairs (``left[p]``, ``right[p]``) of documents of one batch
    (tokens of document d from ``tok_first[d]``, anchors from ``afirst[d]``).  Returns the
    spans of all pairs end to end (pair p's are ``[first[p]:first[p + 1]]``) and per pair
    the :func:`covered` figures (inside a, total a, inside b, total b)."""
    n = len(left)
    cap = 4 * n + 16
    spans = np.empty((cap, 4), np.int64)
    first = np.zeros(n + 1, np.int64)
    cover = np.zeros((n, 4), np.int64)
    total = np.zeros(len(tok_first) - 1, np.int64)  # each document's, once (not per pair)
    for d in range(len(total)):
        for t in range(tok_first[d], tok_first[d + 1]):
            if not boiler[t]:
                total[d] += weight[t]
    m = 0
    for p in range(n):
        x, y = left[p], right[p]
        a0, a1, b0, b1 = tok_first[x], tok_first[x + 1], tok_first[y], tok_first[y + 1]
        i0, i1, j0, j1 = afirst[x], afirst[x + 1], afirst[y], afirst[y + 1]
        kept = align_indexed(apos[i0:i1], ahash[i0:i1], aruns[i0:i1], apos[j0:j1], ahash[j0:j1], aruns[j0:j1],
                             hashes[a0:a1], boiler[a0:a1], starts[a0:a1], ends[a0:a1],
                             hashes[b0:b1], boiler[b0:b1], starts[b0:b1], ends[b0:b1],
                             k, max_repeat, max_gap, min_chars)
        nk = len(kept)
        if m + nk > cap:
            cap = 2 * (m + nk)
            grown = np.empty((cap, 4), np.int64)
            grown[:m] = spans[:m]
            spans = grown
        spans[m:m + nk] = kept
        m += nk
        first[p + 1] = m
        cover[p, 0], cover[p, 1] = _inside(kept, 0, weight[a0:a1], boiler[a0:a1]), total[x]
        cover[p, 2], cover[p, 3] = _inside(kept, 2, weight[b0:b1], boiler[b0:b1]), total[y]
    return spans[:m], first, cover


@nb.njit(cache=True, nogil=True)
def _inside(spans, lo, weight, boiler):  # pragma: no cover - jit
    inside = 0
    for r in range(len(spans)):
        for t in range(spans[r, lo], spans[r, lo + 1]):
            if not boiler[t]:
                inside += weight[t]
    return inside


@nb.njit(cache=True, nogil=True)
def covered(spans, lo, weight, boiler):  # pragma: no cover - jit
    """(non-space characters of non-boilerplate tokens inside the spans' side ``lo`` (0 for
    a, 2 for b), the same over the whole text).  Spans do not overlap on either side."""
    inside = _inside(spans, lo, weight, boiler)
    total = 0
    for t in range(len(weight)):
        if not boiler[t]:
            total += weight[t]
    return inside, total


@nb.njit(cache=True, nogil=True)
def same_words(ha, hb, spans):  # pragma: no cover - jit
    """Per span ``[as, ae, bs, be)``: the same word keys on both sides (what
    ``np.array_equal(ha[as:ae], hb[bs:be])`` says, for all spans in one call)."""
    out = np.empty(len(spans), np.bool_)
    for k in range(len(spans)):
        s0, s1, t0, t1 = spans[k, 0], spans[k, 1], spans[k, 2], spans[k, 3]
        same = s1 - s0 == t1 - t0
        if same:
            for i in range(s1 - s0):
                if ha[s0 + i] != hb[t0 + i]:
                    same = False
                    break
        out[k] = same
    return out
