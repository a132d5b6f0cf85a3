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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .config import CandidateConfig


@dataclass(frozen=True, slots=True, eq=False)
class Candidates:
    """Candidate pairs as index arrays (``left < right``) and their shared-fingerprint counts,
    plus, for each big bucket, its representative and members (for the second round)."""

    left: np.ndarray
    right: np.ndarray
    shared: np.ndarray
    big_buckets: tuple[tuple[int, np.ndarray], ...]

    def __len__(self) -> int:
        return len(self.left)


def _pairs_of_runs(docs: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """All pairs inside each run, encoded as ``left * 2**32 + right`` with left < right."""
    out = []
    for s in np.unique(sizes).tolist():
        st = starts[sizes == s]
        block = docs[st[:, None] + np.arange(s)]          # runs x s, each row sorted
        i, j = np.triu_indices(s, 1)
        out.append((block[:, i].astype(np.int64) << 32 | block[:, j]).ravel())
    return np.concatenate(out) if out else np.zeros(0, np.int64)


def bucket_codes(fps: np.ndarray, docs: np.ndarray, rank: np.ndarray, bucket_cap: int
                 ) -> tuple[np.ndarray, list[tuple[int, np.ndarray]]]:
    """Pair codes (``left << 32 | right``, one per shared fingerprint) from (fingerprint,
    document) rows, and the big buckets as (representative, members)."""
    docs = docs.astype(np.int64, copy=False)
    order = np.lexsort((docs, fps))
    fps, docs = fps[order], docs[order]
    if not len(fps):
        return np.zeros(0, np.int64), []
    brk = np.flatnonzero(np.diff(fps)) + 1
    starts = np.concatenate(([0], brk))
    sizes = np.diff(np.concatenate((starts, [len(fps)])))
    small = (sizes >= 2) & (sizes <= bucket_cap)
    codes = [_pairs_of_runs(docs, starts[small], sizes[small])]
    big = []
    for st, sz in zip(starts[sizes > bucket_cap].tolist(), sizes[sizes > bucket_cap].tolist(), strict=True):
        members = docs[st:st + sz]
        rep = int(members[np.argmin(rank[members])])
        others = members[members != rep]
        lo, hi = np.minimum(others, rep), np.maximum(others, rep)
        codes.append(lo << 32 | hi)
        big.append((rep, members))
    return np.concatenate(codes), big


def count_codes(parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Merge per-partition (unique codes, counts) into one (codes, summed counts)."""
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    codes = np.concatenate([c for c, _ in parts])
    counts = np.concatenate([n for _, n in parts])
    order = np.argsort(codes, kind="stable")
    codes, counts = codes[order], counts[order]
    if not len(codes):
        return codes, counts
    first = np.concatenate(([True], codes[1:] != codes[:-1]))
    return codes[first], np.add.reduceat(counts, np.flatnonzero(first))


def make_candidates(codes: np.ndarray, counts: np.ndarray, big: list[tuple[int, np.ndarray]],
                    min_shared: int) -> Candidates:
    keep = counts >= min_shared
    codes, counts = codes[keep], counts[keep]
    return Candidates(codes >> 32, codes & 0xFFFFFFFF, counts, _merge_buckets(big))


def find_candidates(doc_fps: Sequence[np.ndarray], rank: np.ndarray,
                    config: CandidateConfig | None = None) -> Candidates:
    """Candidate pairs among documents ``0..len(doc_fps)-1`` (in memory).

    ``doc_fps[i]`` holds document i's distinct fingerprints; ``rank[i]`` an order-independent
    rank of the document (e.g. from its id) used to pick representatives."""
    cfg = config or CandidateConfig()
    if len(doc_fps) < 2:
        e = np.zeros(0, np.int64)
        return Candidates(e, e, e, ())
    lens = np.fromiter((len(f) for f in doc_fps), np.int64, len(doc_fps))
    fps = np.concatenate(doc_fps) if lens.sum() else np.zeros(0, np.uint64)
    docs = np.repeat(np.arange(len(doc_fps), dtype=np.int64), lens)
    codes, big = bucket_codes(fps, docs, rank, cfg.bucket_cap)
    uniq, cnt = np.unique(codes, return_counts=True)
    return make_candidates(uniq, cnt, big, cfg.min_shared)


def _merge_buckets(big: list[tuple[int, np.ndarray]]) -> tuple[tuple[int, np.ndarray], ...]:
    """One entry per representative with the union of its buckets' members."""
    by_rep: dict[int, list[np.ndarray]] = {}
    for rep, members in big:
        by_rep.setdefault(rep, []).append(members)
    return tuple((rep, np.unique(np.concatenate(ms))) for rep, ms in sorted(by_rep.items()))


def expand_through_representatives(cands: Candidates, related: set[tuple[int, int]]) -> np.ndarray:
    """Second round: for each big bucket, all pairs among the members confirmed related to
    its representative (encoded ``left * 2**32 + right``), minus pairs already related."""
    out = []
    for rep, members in cands.big_buckets:
        conf = [int(m) for m in members.tolist()
                if m != rep and (min(m, rep), max(m, rep)) in related]
        conf.sort()
        for x in range(len(conf)):
            for y in range(x + 1, len(conf)):
                if (conf[x], conf[y]) not in related:
                    out.append(conf[x] << 32 | conf[y])
    return np.unique(np.asarray(out, np.int64))
