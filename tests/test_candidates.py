"""candidates: the fingerprint join, big buckets through representatives, second round."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.candidates import (
    BigBuckets,
    Candidates,
    expand_through_representatives,
    find_candidates,
    pairs_within,
    pairs_within_reference,
)
from copydesk.config import CandidateConfig


def _fps(*sets: list[int]) -> list[np.ndarray]:
    return [np.unique(np.asarray(s, np.uint64)) for s in sets]


def _pairs(c: Candidates) -> dict[tuple[int, int], int]:
    return {(int(a), int(b)): int(n)
            for a, b, n in zip(c.left.tolist(), c.right.tolist(), c.shared.tolist(), strict=True)}


def _decode(codes: np.ndarray) -> set[tuple[int, int]]:
    return {(int(c) >> 32, int(c) & 0xFFFFFFFF) for c in codes.tolist()}


def _rank(n: int) -> np.ndarray:
    return np.arange(n)


def test_small_hand_case() -> None:
    fps = _fps([1, 2, 3, 10], [1, 2, 3, 11], [1, 12], [13, 14], [2, 3, 11])
    c = find_candidates(fps, _rank(5), CandidateConfig(min_shared=2))
    assert _pairs(c) == {(0, 1): 3, (0, 4): 2, (1, 4): 3}
    assert len(c.big_buckets) == 0
    assert np.all(c.left < c.right)


def test_min_shared_respected() -> None:
    fps = _fps([1, 2, 3], [1, 2, 9], [1, 8, 9])
    assert _pairs(find_candidates(fps, _rank(3), CandidateConfig(min_shared=1))) == {
        (0, 1): 2, (0, 2): 1, (1, 2): 2}
    assert _pairs(find_candidates(fps, _rank(3), CandidateConfig(min_shared=2))) == {
        (0, 1): 2, (1, 2): 2}
    assert _pairs(find_candidates(fps, _rank(3), CandidateConfig(min_shared=3, short_doc_fps=0))) == {}


def test_short_articles_need_fewer_shared_fingerprints() -> None:
    """Three-fingerprint articles can share at most a short passage: two shared suffice."""
    fps = _fps([1, 2, 3], [1, 2, 9], [1, 8, 9])
    cfg = CandidateConfig(min_shared=3, short_min_shared=2, short_doc_fps=4)
    assert _pairs(find_candidates(fps, _rank(3), cfg)) == {(0, 1): 2, (1, 2): 2}
    assert _pairs(find_candidates(fps, _rank(3), CandidateConfig(min_shared=3, short_doc_fps=3))) == {}


def test_degenerate_inputs() -> None:
    assert len(find_candidates([], _rank(0))) == 0
    assert len(find_candidates(_fps([1, 2]), _rank(1))) == 0
    assert len(find_candidates(_fps([], [], []), _rank(3))) == 0
    assert len(find_candidates(_fps([1], [2]), _rank(2), CandidateConfig(min_shared=1))) == 0


def test_big_bucket_links_through_representative() -> None:
    n = 40
    cfg = CandidateConfig(min_shared=1, bucket_cap=5)
    fps = _fps(*[[777, 1000 + i] for i in range(n)])  # all share 777, nothing else
    rank = np.roll(np.arange(n), 3)  # doc 3 has rank 0
    c = find_candidates(fps, rank, cfg)
    rep = int(np.argmin(rank))
    assert rep == 3
    pairs = _pairs(c)
    assert len(pairs) == n - 1  # a star, not n * (n - 1) / 2
    assert set(pairs) == {(min(i, rep), max(i, rep)) for i in range(n) if i != rep}
    assert len(c.big_buckets) == 1
    got_rep, members = c.big_buckets[0]
    assert got_rep == rep and members.tolist() == list(range(n))


def test_expand_through_representatives_recovers_confirmed_members() -> None:
    n = 12
    cfg = CandidateConfig(min_shared=1, bucket_cap=3)
    fps = _fps(*[[5, 100 + i] for i in range(n)])
    c = find_candidates(fps, _rank(n), cfg)
    rep = 0
    confirmed = [2, 3, 7, 11]
    related = {(rep, m) for m in confirmed} | {(3, 7)}  # (3, 7) already known
    extra = _decode(expand_through_representatives(c, related))
    want = {(x, y) for x in confirmed for y in confirmed if x < y} - {(3, 7)}
    assert extra == want
    # nothing confirmed: nothing to expand
    assert len(expand_through_representatives(c, set())) == 0


def test_bucket_at_cap_gives_all_pairs() -> None:
    cfg = CandidateConfig(min_shared=1, bucket_cap=4)
    c = find_candidates(_fps(*[[9]] * 4), _rank(4), cfg)
    assert len(_pairs(c)) == 6 and len(c.big_buckets) == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), max_size=6), min_size=2, max_size=14),
       st.randoms(use_true_random=False), st.integers(1, 3), st.integers(2, 5))
def test_independent_of_input_order(sets: list[list[int]], rnd: random.Random,
                                    min_shared: int, cap: int) -> None:
    """Permuting the documents (ranks travel with them) permutes the result and nothing else:
    same pairs, same counts, same representatives."""
    cfg = CandidateConfig(min_shared=min_shared, bucket_cap=cap)
    n = len(sets)
    rank = np.asarray(rnd.sample(range(1000), n))
    fps = _fps(*sets)
    perm = list(range(n))
    rnd.shuffle(perm)
    c1 = find_candidates(fps, rank, cfg)
    c2 = find_candidates([fps[p] for p in perm], rank[perm], cfg)

    def back(c: Candidates, mapping: list[int]) -> dict[tuple[int, int], int]:
        return {tuple(sorted((mapping[a], mapping[b]))): k for (a, b), k in _pairs(c).items()}

    assert back(c2, perm) == back(c1, list(range(n)))
    reps1 = {(r, tuple(m.tolist())) for r, m in c1.big_buckets}
    reps2 = {(perm[r], tuple(sorted(perm[x] for x in m.tolist()))) for r, m in c2.big_buckets}
    assert reps1 == reps2


def _expand_reference(buckets: list[tuple[int, list[int]]], related: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The second round spelled out: per representative (members merged over its buckets),
    all pairs of members confirmed related to it, minus pairs already related."""
    by_rep: dict[int, set[int]] = {}
    for rep, members in buckets:
        by_rep.setdefault(rep, set()).update(members)
    out = set()
    for rep, members in by_rep.items():
        conf = sorted(m for m in members if m != rep and (min(m, rep), max(m, rep)) in related)
        out |= {(x, y) for n, x in enumerate(conf) for y in conf[n + 1:]}
    return out - related


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.lists(st.integers(0, 15), min_size=1, max_size=8)), max_size=8),
       st.sets(st.tuples(st.integers(0, 15), st.integers(0, 15)).filter(lambda t: t[0] < t[1]), max_size=40))
def test_expand_matches_reference(raw: list[tuple[int, list[int]]], related: set[tuple[int, int]]) -> None:
    buckets = [(rep, sorted(set(members) | {rep})) for rep, members in raw]
    big = BigBuckets.of([(r, np.asarray(m)) for r, m in buckets]).merged()
    assert [(r, m.tolist()) for r, m in big] == sorted(
        (r, sorted(set().union(*(set(m) for rr, m in buckets if rr == r)))) for r in {r for r, _ in buckets})
    e = np.zeros(0, np.int64)
    cands = Candidates(e, e, e, big)
    got = _decode(expand_through_representatives(cands, related))
    assert got == _expand_reference(buckets, related)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-5, 40)), st.lists(st.integers(-5, 40)))
def test_in_sorted_is_isin(x: list[int], values: list[int]) -> None:
    from copydesk.candidates import in_sorted

    xs, vs = np.asarray(x, np.int64), np.unique(np.asarray(values, np.int64))
    assert in_sorted(xs, vs).tolist() == np.isin(xs, vs).tolist()


@pytest.mark.parametrize("seed", range(6))
def test_pairs_within_is_the_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(0, 7, int(rng.integers(0, 12)))
    m = np.sort(rng.choice(100_000, int(sizes.sum()), replace=False)).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64) if len(sizes) else np.zeros(0, np.int64)
    keep = sizes >= 2
    fast = pairs_within(m, starts[keep], sizes[keep].astype(np.int64))
    assert fast.tolist() == pairs_within_reference(m, starts[keep], sizes[keep]).tolist()


@pytest.mark.parametrize("n,top", [(0, 10), (5, 10), (5000, 1), (5000, 1 << 20), (70_000, 1 << 50), (9000, (1 << 62) + 5)])
def test_sort_codes_is_np_sort(n: int, top: int) -> None:
    from copydesk.candidates import sort_codes

    x = np.random.default_rng(n).integers(0, top, n).astype(np.int64)
    assert sort_codes(x.copy()).tolist() == np.sort(x).tolist()
