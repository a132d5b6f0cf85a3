"""Candidate pairs: documents that share enough winnowed fingerprints.

The join sorts (fingerprint, document) rows and walks the runs of equal fingerprints.  A run
of up to ``bucket_cap`` documents emits all its pairs.  A larger run — boilerplate, or a wire
story reprinted by hundreds of outlets — is never dropped (passim drops anything shared by
more than 100 documents, so a widely reprinted story vanishes); instead every member is
paired with the run's *representative* (the member with the smallest id hash, so the choice
does not depend on input order).  :func:`expand_through_representatives` later pairs up the
members that alignment confirmed as related to the representative, which recovers the whole
family without ever enumerating the N² pairs of a boilerplate bucket.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numba as nb
import numpy as np

from .config import CandidateConfig
from .furniture import CodeSet, rows_of
from .setops import unique


@dataclass(frozen=True, slots=True, eq=False)
class BigBuckets:
    """Big buckets as arrays: bucket i has representative ``reps[i]`` and members
    ``members[first[i]:first[i + 1]]`` (the representative among them)."""

    reps: np.ndarray
    first: np.ndarray
    members: np.ndarray
    #: after :meth:`merge`: for each member row, how many buckets gave it (the index keeps
    #: these to revise the merged buckets when some buckets change)
    mult: np.ndarray | None = None

    @staticmethod
    def of(buckets: Sequence[tuple[int, np.ndarray]]) -> BigBuckets:
        sizes = [len(m) for _, m in buckets]
        return BigBuckets(np.asarray([r for r, _ in buckets], np.int64),
                          np.concatenate(([0], np.cumsum(sizes, dtype=np.int64))),
                          np.concatenate([np.zeros(0, np.int64), *(np.asarray(m, np.int64) for _, m in buckets)]))

    def merged(self) -> BigBuckets:
        """One bucket per representative holding the union of its buckets' members
        (representatives and members sorted)."""
        return BigBuckets.merge([self])

    @staticmethod
    def merge(parts: list[BigBuckets]) -> BigBuckets:
        """:meth:`merged` of the buckets of all ``parts``; the list is emptied as it is read,
        so that its members and the merged rows are not all in memory at once."""
        rows = np.empty(sum(len(b.members) for b in parts), np.int64)
        at = 0
        while parts:
            b = parts.pop()
            n = len(b.members)
            rows[at:at + n] = np.repeat(b.reps, np.diff(b.first)) << 32
            rows[at:at + n] |= b.members
            at += n
            del b
        return BigBuckets.of_rows(sort_codes(rows))  # (a sort: faster than np.unique's hashing)

    @staticmethod
    def of_rows(rows: np.ndarray) -> BigBuckets:
        """The merged buckets of sorted ``rep << 32 | member`` rows (repeats counted)."""
        mult = np.zeros(0, np.int64)
        if len(rows):
            keep = np.empty(len(rows), np.bool_)
            keep[0] = True
            np.not_equal(rows[1:], rows[:-1], out=keep[1:])
            at = np.flatnonzero(keep)
            mult = np.diff(np.append(at, len(rows)))
            rows = rows[at]
            del keep
        starts = np.flatnonzero(np.diff(rows >> 32, prepend=-1))
        return BigBuckets((rows[starts] >> 32), np.append(starts, len(rows)).astype(np.int64), rows & 0xFFFFFFFF,
                          mult)

    def __len__(self) -> int:
        return len(self.reps)

    def __iter__(self) -> Iterator[tuple[int, np.ndarray]]:
        for n, r in enumerate(self.reps.tolist()):
            yield r, self.members[self.first[n]:self.first[n + 1]]

    def __getitem__(self, n: int) -> tuple[int, np.ndarray]:
        return int(self.reps[n]), self.members[self.first[n]:self.first[n + 1]]


def sort_codes(x: np.ndarray) -> np.ndarray:
    """``np.sort`` of non-negative int64 codes (``rep << 32 | member``: about 50 bits at
    100k articles), in place: a least-significant-digit radix sort of 16-bit digits, only as
    many digits as the largest code has (compiled; ``np.sort``'s comparison sort took four
    times as long on the merged big buckets' million rows)."""
    if len(x) < 1 << 12:
        x.sort()
        return x
    return _radix_sort(x)


@nb.njit(cache=True, nogil=True)
def _radix_sort(x):  # pragma: no cover - jit
    n = len(x)
    top = 0
    for i in range(n):
        top = max(top, x[i])
    other = np.empty(n, np.int64)
    counts = np.empty((1 << 16) + 1, np.int64)
    shift = 0
    passes = 0
    while passes == 0 or (shift < 64 and (top >> shift) > 0):
        src, dst = (x, other) if passes % 2 == 0 else (other, x)
        counts[:] = 0
        for i in range(n):
            counts[((src[i] >> shift) & 0xFFFF) + 1] += 1
        for d in range(1 << 16):
            counts[d + 1] += counts[d]
        for i in range(n):
            d = (src[i] >> shift) & 0xFFFF
            dst[counts[d]] = src[i]
            counts[d] += 1
        shift += 16
        passes += 1
    if passes % 2:
        x[:] = other
    return x


_NO_BUCKETS = BigBuckets(np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int64))


@dataclass(frozen=True, slots=True, eq=False)
class Candidates:
    """Candidate pairs as index arrays (``left < right``) and their shared-fingerprint counts,
    plus the big buckets, one per representative (for the second round)."""

    left: np.ndarray
    right: np.ndarray
    shared: np.ndarray
    big_buckets: BigBuckets = _NO_BUCKETS

    def __len__(self) -> int:
        return len(self.left)


def _pairs_of_runs(docs: np.ndarray, pos: np.ndarray, starts: np.ndarray, sizes: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs inside each run (rows sorted by document within a run), as codes
    ``left << 32 | right`` with left < right, and the fingerprint's position on each side."""
    codes, pl, pr = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for s in unique(sizes).tolist():
        idx = starts[sizes == s][:, None] + np.arange(s)       # runs x s
        block, pblock = docs[idx], pos[idx]
        i, j = np.triu_indices(s, 1)
        codes.append((block[:, i] << 32 | block[:, j]).ravel())
        pl.append(pblock[:, i].ravel())
        pr.append(pblock[:, j].ravel())
    return np.concatenate(codes), np.concatenate(pl), np.concatenate(pr)


def bucket_codes(fps: np.ndarray, docs: np.ndarray, pos: np.ndarray, rank: np.ndarray,
                 bucket_cap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, np.ndarray]]]:
    """One row per (pair, shared fingerprint) from (fingerprint, document, position) rows:
    pair codes ``left << 32 | right`` and the fingerprint's positions in left and right;
    plus the big buckets as (representative, members)."""
    docs = docs.astype(np.int64, copy=False)
    pos = pos.astype(np.int64, copy=False)
    order = np.lexsort((docs, fps))
    fps, docs, pos = fps[order], docs[order], pos[order]
    if not len(fps):
        e = np.zeros(0, np.int64)
        return e, e, e, []
    brk = np.flatnonzero(np.diff(fps)) + 1
    starts = np.concatenate(([0], brk))
    sizes = np.diff(np.concatenate((starts, [len(fps)])))
    small = (sizes >= 2) & (sizes <= bucket_cap)
    run_codes, run_pl, run_pr = _pairs_of_runs(docs, pos, starts[small], sizes[small])
    codes, pl, pr = [run_codes], [run_pl], [run_pr]
    big = []
    for st, sz in zip(starts[sizes > bucket_cap].tolist(), sizes[sizes > bucket_cap].tolist(), strict=True):
        members, mpos = docs[st:st + sz], pos[st:st + sz]
        at = int(np.argmin(rank[members]))
        rep, rpos = int(members[at]), int(mpos[at])
        keep = members != rep
        others, opos = members[keep], mpos[keep]
        first = others < rep
        codes.append(np.where(first, others, rep) << 32 | np.where(first, rep, others))
        pl.append(np.where(first, opos, rpos))
        pr.append(np.where(first, rpos, opos))
        big.append((rep, members))
    return np.concatenate(codes), np.concatenate(pl), np.concatenate(pr), big


def pair_evidence(codes: np.ndarray, pl: np.ndarray, pr: np.ndarray, *, within: int,
                  drift: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per distinct pair: (code, shared fingerprints, co-located?).  A pair is *co-located*
    when two of its shared fingerprints follow each other within ``within`` tokens on both
    sides, on nearly the same diagonal (``drift`` tokens): they lie in one shared passage.
    Chance matches of stock phrases scattered over two texts rarely are."""
    if not len(codes):
        e = np.zeros(0, np.int64)
        return e, e, np.zeros(0, np.bool_)
    order = np.lexsort((pl, codes))
    codes, pl, pr = codes[order], pl[order], pr[order]
    same = codes[1:] == codes[:-1]
    dl, dr = np.diff(pl), np.diff(pr)
    ok = np.zeros(len(codes), np.bool_)
    ok[:-1] = same & (dl > 0) & (dl <= within) & (np.abs(dr - dl) <= drift)
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    counts = np.diff(np.concatenate((starts, [len(codes)])))
    return codes[starts], counts, np.logical_or.reduceat(ok, starts)


def required_shared(codes: np.ndarray, doc_fps: np.ndarray | None, cfg: CandidateConfig) -> np.ndarray:
    """Shared fingerprints each pair needs: ``min_shared``, or ``short_min_shared`` when one
    side has fewer than ``short_doc_fps`` fingerprints (a short article can only share
    short passages)."""
    need = np.full(len(codes), cfg.min_shared, np.int64)
    if doc_fps is not None and len(codes):
        small = np.minimum(doc_fps[codes >> 32], doc_fps[codes & 0xFFFFFFFF]) < cfg.short_doc_fps
        need[small] = min(cfg.min_shared, cfg.short_min_shared)
    return need


def make_candidates(codes: np.ndarray, counts: np.ndarray, colocated: np.ndarray,
                    big: BigBuckets | Sequence[tuple[int, np.ndarray]], cfg: CandidateConfig,
                    doc_fps: np.ndarray | None = None) -> Candidates:
    """Keep the pairs with enough (and, unless very many, co-located) shared fingerprints.
    ``big``: the big buckets, as (representative, members) tuples or already merged
    (:meth:`BigBuckets.merge`).
    ``doc_fps[i]``: document i's fingerprint count (enables the short-article rule)."""
    keep = counts >= required_shared(codes, doc_fps, cfg)
    if cfg.colocated_within:
        keep &= colocated | (counts >= cfg.strong_shared)
    codes, counts = codes[keep], counts[keep]
    buckets = big if isinstance(big, BigBuckets) else BigBuckets.of(big).merged()
    return Candidates(codes >> 32, codes & 0xFFFFFFFF, counts, buckets)


def find_candidates(doc_fps: Sequence[np.ndarray], rank: np.ndarray,
                    config: CandidateConfig | None = None,
                    doc_pos: Sequence[np.ndarray] | None = None) -> Candidates:
    """Candidate pairs among documents ``0..len(doc_fps)-1`` (in memory).

    ``doc_fps[i]`` holds document i's distinct fingerprints and ``doc_pos[i]`` their token
    positions (without positions the co-location test is skipped); ``rank[i]`` is an
    order-independent rank of the document (e.g. from its id) used to pick representatives."""
    cfg = config or CandidateConfig()
    if len(doc_fps) < 2:
        e = np.zeros(0, np.int64)
        return Candidates(e, e, e)
    lens = np.fromiter((len(f) for f in doc_fps), np.int64, len(doc_fps))
    fps = np.concatenate(doc_fps) if lens.sum() else np.zeros(0, np.uint64)
    docs = np.repeat(np.arange(len(doc_fps), dtype=np.int64), lens)
    pos = np.concatenate(doc_pos) if doc_pos is not None and lens.sum() else np.zeros(len(fps), np.int64)
    codes, pl, pr, big = bucket_codes(fps, docs, pos, rank, cfg.bucket_cap)
    if doc_pos is None:
        cfg = replace(cfg, colocated_within=0)
    uniq, cnt, colo = pair_evidence(codes, pl, pr, within=cfg.colocated_within, drift=cfg.colocated_drift)
    return make_candidates(uniq, cnt, colo, big, cfg, lens)


def expand_through_representatives(cands: Candidates, related: np.ndarray | set[tuple[int, int]]) -> np.ndarray:
    """Second round: for each big bucket, all pairs among the members confirmed related to
    its representative (encoded ``left * 2**32 + right``), minus pairs already related.
    ``related``: codes of the related pairs (or a set of (left, right) tuples)."""
    if isinstance(related, set):
        related = np.asarray([a << 32 | b for a, b in related], np.int64)
    related = unique(np.asarray(related, np.int64))
    big = cands.big_buckets
    if not len(big) or not len(related):
        return np.zeros(0, np.int64)
    # only a bucket whose representative is in some related pair can confirm a member (at
    # 100k articles, one bucket in ten: a tenth of the million members coded and probed)
    sizes = np.diff(big.first)
    some = rows_of(big.reps, unique(np.concatenate((related >> 32, related & 0xFFFFFFFF))))
    rep = np.repeat(big.reps[some], sizes[some])
    m = big.members[np.repeat(some, sizes)]
    code = np.minimum(m, rep) << 32 | np.maximum(m, rep)
    # (a hash table of the related pairs: a million members probed, not binary-searched)
    ok = (m != rep) & CodeSet(_mixed(related)).contains(_mixed(code))
    rep, m = rep[ok], m[ok]  # confirmed members, grouped by representative, sorted
    starts = np.flatnonzero(np.concatenate(([True], rep[1:] != rep[:-1]))) if len(rep) else np.zeros(0, np.int64)
    sizes = np.diff(np.concatenate((starts, [len(rep)])))
    pairs = unique(pairs_within(m, starts[sizes >= 2], sizes[sizes >= 2]))
    return pairs[~in_sorted(pairs, related)]


def _mixed(codes: np.ndarray) -> np.ndarray:
    """A bijective mix of 64-bit codes (pair codes' low bits are document numbers: a hash
    table of them probed unmixed would fill in runs)."""
    x = np.asarray(codes).astype(np.uint64)
    x ^= x >> np.uint64(31)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(29)
    return x


@nb.njit(cache=True, nogil=True)
def pairs_within(m, starts, sizes):  # pragma: no cover - jit
    """Codes ``m[i] << 32 | m[j]`` of every pair i < j inside each group ``m[s:s + n]``
    (``starts``, ``sizes``), groups end to end: :func:`pairs_within_reference` compiled."""
    total = 0
    for g in range(len(sizes)):
        total += sizes[g] * (sizes[g] - 1) // 2
    out = np.empty(total, np.int64)
    k = 0
    for g in range(len(sizes)):
        s0, n = starts[g], sizes[g]
        for i in range(n):
            left = np.int64(m[s0 + i]) << 32
            for j in range(i + 1, n):
                out[k] = left | m[s0 + j]
                k += 1
    return out


def pairs_within_reference(m: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """:func:`pairs_within` with ``np.triu_indices``, a group at a time."""
    out = [np.zeros(0, np.int64)]
    for s0, n in zip(np.asarray(starts).tolist(), np.asarray(sizes).tolist(), strict=True):
        conf = m[s0:s0 + n]
        i, j = np.triu_indices(n, 1)
        out.append(conf[i] << 32 | conf[j])
    return np.concatenate(out)


def in_sorted(x: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.isin(x, values)`` for sorted ``values``: a binary search per element, without
    the sort of ``x`` that np.isin does (``x`` may be millions of big-bucket members)."""
    if not len(values):
        return np.zeros(len(x), np.bool_)
    at = np.minimum(np.searchsorted(values, x), len(values) - 1)
    return values[at] == x
