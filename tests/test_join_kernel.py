"""join_kernel: the compiled candidate join against the numpy reference in candidates.py."""

from __future__ import annotations

import numpy as np
import pytest

from copydesk.candidates import bucket_codes, pair_evidence
from copydesk.join_kernel import bucket_pairs, evidence
from copydesk.plan import common_sentences, common_sentences_reference
from copydesk.spill import group_order


def _slot_order(h: np.ndarray, sub: np.ndarray) -> np.ndarray:
    """The order of the join's one-level grouping (``_slot_sorted``'s first column)."""
    from copydesk.join_kernel import _slot_sorted

    return _slot_sorted(h, sub)[0]


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
    from copydesk.join_kernel import _grouped_order

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


@pytest.mark.parametrize("top", [1, 60, 1 << 12, 1 << 20, 1 << 32])
@pytest.mark.parametrize("m", [0, 1, 33, 500, 5000])
def test_sort_by_high_halves_is_a_sort(m: int, top: int) -> None:
    """The radix sort of (sub, place) values is numpy's sort, whichever bytes of the subs
    vary (a sentence row's bit 31 among them)."""
    from copydesk.join_kernel import _sort_by_high_halves

    rng = np.random.default_rng(m + top)
    sub = rng.integers(0, top, m, dtype=np.uint64)
    sub[rng.random(m) < 0.3] |= np.uint64(1 << 31)
    packed = sub << np.uint64(32) | np.arange(m, dtype=np.uint64)
    got = packed.copy()
    _sort_by_high_halves(got)
    assert np.array_equal(got, np.sort(packed))


@pytest.mark.parametrize("n", [0, 1, 2, 7, 3000, 70_000])
def test_slot_sorted_gives_the_columns_in_its_order(n: int) -> None:
    """_slot_sorted's columns are h and sub in its order, which is _slot_order's, whether
    slots hold one row (swapped with none) or many."""
    from copydesk.join_kernel import _slot_sorted

    rng = np.random.default_rng(n)
    h = rng.integers(0, max(2, n // 2), n).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    sub = rng.integers(0, 50, n).astype(np.uint32)
    order, hs, ss = _slot_sorted(h, sub)
    assert np.array_equal(hs, h[order]) and np.array_equal(ss, sub[order])
    assert np.array_equal(order, _slot_order(h, sub))
    ref = np.lexsort((np.arange(n), sub, h))  # each key's rows: a stable sort by sub
    for key in np.unique(h):
        assert np.array_equal(order[hs == key], ref[h[ref] == key])


@pytest.mark.parametrize("n", [3000, 70_000])
@pytest.mark.parametrize("ordered", [True, False])
def test_grouping_orders_sort_big_slots_out_of_article_order(n: int, ordered: bool) -> None:
    """A key carried by thousands of rows, its rows in article order (a scan) or not (an
    index renumbers its articles): every order is the lexicographic one."""
    from copydesk.join_kernel import _grouped_order

    rng = np.random.default_rng(n)
    h = rng.integers(0, n // 4, n).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    h[: n // 3] = np.uint64(42)  # one big bucket
    sub = rng.permutation(n).astype(np.uint32)
    if ordered:
        sub = np.sort(sub)
    for order in (_slot_order(h, sub), _grouped_order(h, sub)):
        hs, ss = h[order], sub[order]
        starts = np.flatnonzero(np.concatenate(([True], hs[1:] != hs[:-1])))
        assert len(starts) == len(np.unique(h))
        for a, b in zip(starts.tolist(), [*starts[1:].tolist(), n], strict=True):
            assert np.array_equal(ss[a:b], np.sort(sub[h == hs[a]]))


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


@pytest.mark.parametrize("n", [0, 1, 2, 63, 64, 1000, 50_000])
def test_maybe_repeated_bits_are_the_byte_table(n: int) -> None:
    from copydesk.join_kernel import _maybe_repeated, _maybe_repeated_reference

    rng = np.random.default_rng(n)
    h = rng.integers(0, max(2, n // 2), n).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    got = _maybe_repeated(h)
    assert np.array_equal(got, _maybe_repeated_reference(h))
    _, inv, cnt = np.unique(h, return_inverse=True, return_counts=True)
    assert set(np.flatnonzero(cnt[inv] > 1).tolist()) <= set(got.tolist())  # a superset of the repeated


def _pair_rows(seed: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pair code, left, right) rows, some of them sentence rows (the sentence bit set in
    both positions); left positions distinct within a pair and kind."""
    from copydesk.join_kernel import SENTENCE_BIT

    rng = np.random.default_rng(seed)
    left = rng.integers(0, 8, n)
    codes = left << 32 | (left + 1 + rng.integers(0, 5, n))
    sentence = rng.random(n) < 0.3
    pl = np.zeros(n, np.int64)
    for c in np.unique(codes):
        for kind in (False, True):
            at = np.flatnonzero((codes == c) & (sentence == kind))
            pl[at] = rng.permutation(3 * len(at) + 30)[:len(at)] // (3 if kind else 1)
    pr = np.clip(pl + rng.integers(-12, 12, n), 0, None)
    pr[sentence] = rng.integers(0, 4, int(sentence.sum()))  # sentences: few, repeated
    pl, pr = pl.astype(np.uint32), pr.astype(np.uint32)
    pl[sentence] |= SENTENCE_BIT
    pr[sentence] |= SENTENCE_BIT
    return codes, pl, pr


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("min_shared,short_min_shared,sentences", [(3, 2, 2), (1, 1, 1), (4, 3, 3)])
def test_pair_evidence_in_one_pass_is_the_reference(seed: int, min_shared: int, short_min_shared: int,
                                                   sentences: int) -> None:
    from dataclasses import replace

    from copydesk.config import ScanConfig
    from copydesk.join_kernel import SENTENCE_BIT
    from copydesk.plan import SENTENCE_ROW, pair_evidence_reference
    from copydesk.plan import pair_evidence as plan_evidence

    assert SENTENCE_BIT == SENTENCE_ROW
    cfg = ScanConfig()
    cfg = replace(cfg, candidates=replace(cfg.candidates, min_shared=min_shared, short_min_shared=short_min_shared,
                                          strong_shared=max(min_shared, 4), min_shared_sentences=sentences,
                                          colocated_within=10, colocated_drift=3))
    codes, pl, pr = _pair_rows(seed, 30 + 60 * seed)
    shuffle = np.random.default_rng(seed).permutation(len(codes))
    got = plan_evidence(codes[shuffle], pl[shuffle], pr[shuffle], cfg)
    ref = pair_evidence_reference(codes, pl, pr, cfg)
    order = np.argsort(ref[0])
    assert np.all(np.diff(got[0]) > 0)  # sorted by code
    for g, r in zip(got, ref, strict=True):
        assert g.tolist() == r[order].tolist()


def test_pair_evidence_in_one_pass_on_the_rows_of_a_corpus() -> None:
    """The pair rows of a real join (fingerprints and sentence signatures of articles
    sharing text, reworded or not)."""
    import random

    from copydesk.config import ScanConfig
    from copydesk.furniture import CodeSet
    from copydesk.plan import fingerprint_rows, join_rows, pair_evidence_reference
    from copydesk.plan import pair_evidence as plan_evidence
    from copydesk.records import Article
    from textgen import paragraph

    rng = random.Random(5)
    stories = [[paragraph(rng, 40) for _ in range(8)] for _ in range(12)]
    arts = []
    for n in range(120):
        story = stories[n % 12]
        keep = [p if rng.random() < 0.7 else paragraph(rng, 40) for p in story if rng.random() < 0.8]
        if n % 5 == 0:  # reworded: words of each sentence shuffled a little
            keep = [" ".join(sorted(p.split(), key=lambda w: rng.random() < 0.1)) for p in keep]
        arts.append(Article(id=f"a{n:03d}", text="\n\n".join(keep)))
    cfg = ScanConfig()
    rows = fingerprint_rows(arts, cfg)
    rank = np.random.default_rng(1).permutation(len(arts)).astype(np.int64)
    codes, pl, pr, _, _ = join_rows(rows.h, rows.doc.astype(np.int64), rows.pos, rows.line_key, rank,
                                    CodeSet(np.zeros(0, np.uint64)), np.zeros(len(arts) + 1, np.bool_), cfg)
    assert (pl >= np.uint32(1 << 31)).any() and len(codes) > 1000
    got = plan_evidence(codes, pl, pr, cfg)
    ref = pair_evidence_reference(codes, pl, pr, cfg)
    order = np.argsort(ref[0])
    assert len(got[0]) > 50
    for g, r in zip(got, ref, strict=True):
        assert g.tolist() == r[order].tolist()


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("cap", [2, 3, 8])
def test_join_rows_in_one_pass_is_the_reference(seed: int, cap: int) -> None:
    """Rows of dropped articles, on furniture lines (of articles with furniture) and sentence
    rows of common signatures, dropped in one compiled pass as in numpy steps."""
    from dataclasses import replace

    from copydesk.config import ScanConfig
    from copydesk.furniture import CodeSet, CodeUnion, pair_codes
    from copydesk.join_kernel import SENTENCE_BIT
    from copydesk.plan import join_rows, join_rows_reference

    rng = np.random.default_rng(seed)
    h, d, p = _rows(seed, ndocs=50, nfps=30, vocab=80 + 30 * seed)
    doc = d.astype(np.int64)
    doc[rng.random(len(doc)) < 0.05] = -1
    sentence = rng.random(len(h)) < 0.3
    p[sentence] |= SENTENCE_BIT
    key = rng.integers(0, 12, len(h)).astype(np.uint32)
    has = np.zeros(51, np.bool_)
    has[rng.integers(0, 50, 20)] = True
    fd = rng.integers(0, 50, 40)
    furniture = CodeSet(pair_codes(fd, rng.integers(0, 12, 40).astype(np.uint64)))
    rank = rng.permutation(50)
    base = ScanConfig()
    cfg = replace(base, candidates=replace(base.candidates, bucket_cap=cap))
    for f in (furniture, CodeSet(np.zeros(0, np.uint64)), CodeUnion(furniture)):
        got = join_rows(h, doc, p, key, rank, f, has, cfg)
        ref = join_rows_reference(h, doc, p, key, rank, f, has, cfg)
        assert got[4] == ref[4]
        assert _as_rows(*got[:3]) == _as_rows(*ref[:3])
        assert sorted((r, m.tolist()) for r, m in got[3]) == sorted((r, m.tolist()) for r, m in ref[3])


@pytest.mark.parametrize("dtype", [np.uint32, np.int64])
@pytest.mark.parametrize("nkeys", [1, 3, 400])
def test_grouping_orders_are_stable_sorts_of_big_slots_with_ties(dtype: type, nkeys: int) -> None:
    """Slots of more rows than an insertion sort takes, out of order, with subs repeated
    (a pair's rows at one left position): each key's rows in a stable order by sub, whether
    the slot's rows are packed and sorted at once (one key, 32-bit subs) or merge-sorted
    (negative subs, or keys sharing a slot)."""
    from copydesk.join_kernel import _grouped_order

    rng = np.random.default_rng(nkeys)
    n = 5000
    h = rng.integers(0, nkeys, n).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    sub = rng.integers(0, 60, n).astype(dtype)
    if dtype is np.int64:
        sub -= 30
    ref = np.lexsort((np.arange(n), sub, h))  # by (key, sub, row): a stable sort by sub in each key
    for order in (_slot_order(h, sub), _grouped_order(h, sub)):
        for key in np.unique(h):
            got = order[h[order] == key]
            assert np.array_equal(got, ref[h[ref] == key])
