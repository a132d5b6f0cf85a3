"""join_kernel: the compiled candidate join against the numpy reference in candidates.py."""

from __future__ import annotations

import numpy as np
import pytest

from copydesk.candidates import bucket_codes, pair_evidence
from copydesk.join_kernel import bucket_pairs, evidence
from copydesk.plan import common_sentences, common_sentences_reference
from copydesk.spill import group_order


def _rows(seed: int, ndocs: int, nfps: int, vocab: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fingerprint, doc, position) rows; each document holds a fingerprint at most once."""
    rng = np.random.default_rng(seed)
    h, d, p = [], [], []
    for doc in range(ndocs):
        fps = np.unique(rng.integers(0, vocab, rng.integers(0, nfps + 1)).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
        h.append(fps)
        d.append(np.full(len(fps), doc, np.uint32))
        p.append(rng.permutation(4 * nfps + 8)[:len(fps)].astype(np.uint32))
    return np.concatenate(h), np.concatenate(d), np.concatenate(p)


def _as_rows(codes: np.ndarray, pl: np.ndarray, pr: np.ndarray) -> list[tuple[int, int, int]]:
    return sorted(zip(codes.tolist(), np.asarray(pl).tolist(), np.asarray(pr).tolist(), strict=True))


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("cap", [2, 3, 8])
def test_bucket_pairs_matches_reference(seed: int, cap: int) -> None:
    h, d, p = _rows(seed, ndocs=40, nfps=30, vocab=60 + 40 * seed)
    shuffle = np.random.default_rng(seed + 100).permutation(len(h))
    h, d, p = h[shuffle], d[shuffle], p[shuffle]  # the kernel takes rows in any order
    rank = np.random.default_rng(seed).permutation(40)
    codes, pl, pr, big = bucket_codes(h, d.astype(np.int64), p.astype(np.int64), rank, cap)
    fcodes, fpl, fpr, fbig = bucket_pairs(h, d, p, rank, cap)
    assert _as_rows(fcodes, fpl, fpr) == _as_rows(codes, pl, pr)
    assert sorted((r, sorted(m.tolist())) for r, m in fbig) == sorted((r, sorted(m.tolist())) for r, m in big)


def test_bucket_pairs_empty_and_singletons() -> None:
    e64, e32 = np.zeros(0, np.uint64), np.zeros(0, np.uint32)
    codes, pl, pr, big = bucket_pairs(e64, e32, e32, np.zeros(0, np.int64), 8)
    assert len(codes) == len(pl) == len(pr) == 0 and len(big) == 0
    codes, _, _, big = bucket_pairs(np.array([1, 2, 3], np.uint64), np.array([0, 1, 2], np.uint32),
                                    np.zeros(3, np.uint32), np.arange(3), 8)
    assert len(codes) == 0 and len(big) == 0


@pytest.mark.parametrize("seed", range(15))
@pytest.mark.parametrize("min_count", [1, 2, 3])
def test_evidence_matches_reference(seed: int, min_count: int) -> None:
    rng = np.random.default_rng(seed)
    n = 400
    left = rng.integers(0, 6, n)
    right = left + 1 + rng.integers(0, 4, n)
    codes = left << 32 | right
    pl = np.zeros(n, np.int64)
    for c in np.unique(codes):  # positions are distinct within a pair on the left side
        at = np.flatnonzero(codes == c)
        pl[at] = rng.permutation(3 * len(at) + 30)[:len(at)]
    pr = np.clip(pl + rng.integers(-12, 12, n), 0, None)
    ref_c, ref_n, ref_ok = pair_evidence(codes, pl, pr, within=10, drift=3)
    keep = ref_n >= min_count
    got_c, got_n, got_ok = evidence(codes, pl.astype(np.uint32), pr.astype(np.uint32), within=10, drift=3,
                                    min_count=min_count)
    order = np.argsort(got_c)
    assert np.array_equal(got_c[order], ref_c[keep])
    assert np.array_equal(got_n[order], ref_n[keep])
    assert np.array_equal(got_ok[order], ref_ok[keep])


@pytest.mark.parametrize("ngroups", [1, 3, 16])
def test_group_order_is_a_stable_counting_sort(ngroups: int) -> None:
    g = np.random.default_rng(ngroups).integers(0, ngroups, 1000)
    order, bounds = group_order(g, ngroups)
    assert np.array_equal(order, np.argsort(g, kind="stable"))
    assert np.array_equal(bounds, np.searchsorted(np.sort(g), np.arange(ngroups + 1)))


@pytest.mark.parametrize("n", [0, 1, 5, 3000, 70_000])
def test_both_grouping_orders_group_equal_keys_sorted_by_sub(n: int) -> None:
    from copydesk.join_kernel import _grouped_order, _slot_order

    rng = np.random.default_rng(n)
    h = rng.integers(0, max(2, n // 3), n).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    sub = rng.permutation(n).astype(np.uint32)
    for order in (_slot_order(h, sub), _grouped_order(h, sub)):
        assert sorted(order.tolist()) == list(range(n))
        hs, ss = h[order], sub[order]
        starts = np.flatnonzero(np.concatenate(([True], hs[1:] != hs[:-1]))) if n else np.zeros(0, np.int64)
        assert len(starts) == len(np.unique(h))  # each key in one run
        for a, b in zip(starts.tolist(), [*starts[1:].tolist(), n][:len(starts)], strict=True):
            assert np.all(np.diff(ss[a:b].astype(np.int64)) > 0)


def test_bucket_pairs_matches_reference_above_the_two_level_threshold() -> None:
    from copydesk.join_kernel import _BIG_INPUT

    rng = np.random.default_rng(7)
    n = _BIG_INPUT + 5000
    d = rng.integers(0, 200_000, n).astype(np.uint32)
    h = rng.integers(0, n, n).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    h[:300] = np.uint64(12345)  # one big bucket
    key = h.astype(np.uint64) ^ (d.astype(np.uint64) << np.uint64(40))
    _, first = np.unique(key, return_index=True)  # a document holds a fingerprint once
    h, d = h[first], d[first]
    p = rng.integers(0, 5000, len(h)).astype(np.uint32)
    rank = rng.permutation(200_000)
    codes, pl, pr, big = bucket_codes(h, d.astype(np.int64), p.astype(np.int64), rank, 8)
    fcodes, fpl, fpr, fbig = bucket_pairs(h, d, p, rank, 8)
    assert len(h) >= _BIG_INPUT
    assert _as_rows(fcodes, fpl, fpr) == _as_rows(codes, pl, pr)
    assert sorted((r, sorted(m.tolist())) for r, m in fbig) == sorted((r, sorted(m.tolist())) for r, m in big)


@pytest.mark.parametrize("seed", range(6))
def test_component_order_groups_each_component(seed: int) -> None:
    from copydesk.join_kernel import component_order

    rng = np.random.default_rng(seed)
    left = rng.integers(0, 60, 80)
    right = left + 1 + rng.integers(0, 30, 80)
    codes = np.unique(left << 32 | right)
    got = component_order(codes[rng.permutation(len(codes))])
    assert sorted(got.tolist()) == codes.tolist()
    # reference components by repeated relabelling
    label = {int(d): int(d) for d in np.concatenate((codes >> 32, codes & 0xFFFFFFFF))}
    changed = True
    while changed:
        changed = False
        for c in codes.tolist():
            a, b = c >> 32, c & 0xFFFFFFFF
            low = min(label[a], label[b])
            if label[a] != low or label[b] != low:
                label[a] = label[b] = low
                changed = True
    comp = [label[c >> 32] for c in got.tolist()]
    assert comp == sorted(comp)  # each component's pairs together, by smallest document
    for k in set(comp):
        mine = [c for c, x in zip(got.tolist(), comp, strict=True) if x == k]
        assert mine == sorted(mine)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("cap", [0, 1, 3])
def test_common_sentences_is_the_reference(seed: int, cap: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 400))
    h = rng.integers(0, 30, n).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    sentence = rng.random(n) < 0.6
    fast = common_sentences(h, sentence, cap)
    assert fast.tolist() == common_sentences_reference(h, sentence, cap).tolist()
