"""fingerprint: fast kernels against their references, and the winnowing guarantee."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.config import FingerprintConfig
from copydesk.fingerprint import (
    fingerprints,
    selected,
    selected_numpy,
    shingles,
    shingles_reference,
    valid_shingles,
    winnow,
    winnow_reference,
)

U64 = st.integers(0, 2**64 - 1)
#: a tiny alphabet forces ties inside windows
SMALL = st.integers(0, 3)


def _random_hashes(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(0, 2**64, size=n, dtype=np.uint64)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(U64, SMALL), max_size=40), st.integers(1, 8))
def test_shingles_match_reference(hashes: list[int], k: int) -> None:
    fast = shingles(np.asarray(hashes, dtype=np.uint64), k)
    assert fast.dtype == np.uint64
    assert fast.tolist() == shingles_reference(hashes, k)
    assert len(fast) == max(0, len(hashes) - k + 1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(U64, SMALL), max_size=50), st.integers(1, 10))
def test_winnow_matches_reference(hashes: list[int], window: int) -> None:
    fast = winnow(np.asarray(hashes, dtype=np.uint64), window)
    assert fast.tolist() == winnow_reference(hashes, window)


@settings(max_examples=100, deadline=None)
@given(st.lists(SMALL, min_size=1, max_size=50), st.integers(1, 10))
def test_winnow_ties_pick_leftmost_minimum(hashes: list[int], window: int) -> None:
    pos = winnow(np.asarray(hashes, dtype=np.uint64), window).tolist()
    assert pos == sorted(set(pos))
    for s in range(max(1, len(hashes) - window + 1)):
        w = hashes[s:s + window]
        assert s + w.index(min(w)) in pos


def test_winnow_short_and_empty() -> None:
    assert winnow(np.zeros(0, np.uint64), 4).tolist() == []
    assert winnow(np.array([5, 3, 3, 9], np.uint64), 4).tolist() == [1]
    assert winnow(np.array([7], np.uint64), 1).tolist() == [0]
    assert shingles(np.array([1, 2], np.uint64), 3).tolist() == []


def test_shingles_depend_on_order() -> None:
    a = shingles(np.array([1, 2, 3], np.uint64), 3)
    b = shingles(np.array([3, 2, 1], np.uint64), 3)
    assert a[0] != b[0]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), len_a=st.integers(0, 3000), len_b=st.integers(0, 60),
       extra=st.integers(0, 20), k=st.integers(1, 6), window=st.integers(1, 12),
       data=st.data())
def test_shared_run_always_shares_a_fingerprint(seed: int, len_a: int, len_b: int, extra: int,
                                                k: int, window: int, data: st.DataObject) -> None:
    """Schleimer et al.: a run of >= window + k - 1 shared tokens yields a shared fingerprint,
    however long or short the two documents are."""
    rng = np.random.default_rng(seed)
    cfg = FingerprintConfig(k=k, window=window)
    run = _random_hashes(rng, window + k - 1 + extra)
    a, b = _random_hashes(rng, len_a), _random_hashes(rng, len_b)
    ia = data.draw(st.integers(0, len_a), label="insert in a")
    ib = data.draw(st.integers(0, len_b), label="insert in b")
    a = np.concatenate((a[:ia], run, a[ia:]))
    b = np.concatenate((b[:ib], run, b[ib:]))
    if data.draw(st.booleans(), label="swap"):
        a, b = b, a
    fa = fingerprints(a, np.zeros(len(a), np.bool_), cfg)
    fb = fingerprints(b, np.zeros(len(b), np.bool_), cfg)
    # disjoint windows inside the run select distinct shingles: ScanConfig.guaranteed_tokens
    assert len(np.intersect1d(fa, fb)) >= max(1, (len(run) - k + 1) // window)


def test_guarantee_for_30_vs_3000_tokens() -> None:
    rng = np.random.default_rng(7)
    cfg = FingerprintConfig()
    run = _random_hashes(rng, cfg.window + cfg.k - 1)
    pad = 30 - len(run)
    short = np.concatenate((_random_hashes(rng, pad // 2), run, _random_hashes(rng, pad - pad // 2)))
    long = np.concatenate((_random_hashes(rng, 1700), run, _random_hashes(rng, 1300 - len(run))))
    fs = fingerprints(short, np.zeros(len(short), np.bool_), cfg)
    fl = fingerprints(long, np.zeros(len(long), np.bool_), cfg)
    assert len(short) == 30 and len(long) == 3000
    assert len(np.intersect1d(fs, fl)) >= 1


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 200), k=st.integers(1, 6),
       window=st.integers(1, 12), density=st.floats(0, 1))
def test_boilerplate_shingles_never_appear(seed: int, n: int, k: int, window: int,
                                           density: float) -> None:
    rng = np.random.default_rng(seed)
    cfg = FingerprintConfig(k=k, window=window)
    toks = _random_hashes(rng, n)
    boiler = rng.random(n) < density
    fps = fingerprints(toks, boiler, cfg)
    sh = shingles(toks, k)
    ok = valid_shingles(boiler, k)
    assert set(fps.tolist()) <= set(sh[ok].tolist())
    assert not set(fps.tolist()) & set(sh[~ok].tolist())
    assert fps.tolist() == sorted(set(fps.tolist()))


def test_all_boilerplate_gives_no_fingerprints() -> None:
    toks = np.arange(1, 50, dtype=np.uint64)
    assert len(fingerprints(toks, np.ones(len(toks), np.bool_))) == 0


def test_valid_shingles() -> None:
    boiler = np.array([0, 0, 1, 0, 0, 0], np.bool_)
    assert valid_shingles(boiler, 2).tolist() == [True, False, False, True, True]
    assert valid_shingles(boiler, 7).tolist() == []


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 120), k=st.integers(1, 6),
       window=st.integers(1, 12), ties=st.booleans())
def test_numba_selection_matches_numpy(seed: int, n: int, k: int, window: int, ties: bool) -> None:
    from copydesk.fingerprint import selected, selected_numpy

    rng = np.random.default_rng(seed)
    th = (rng.integers(0, 4, n) if ties else rng.integers(0, 2**63, n)).astype(np.uint64)
    cfg = FingerprintConfig(k=k, window=window)
    fast, ref = selected(th, cfg), selected_numpy(th, cfg)
    assert np.array_equal(fast[0], ref[0]) and np.array_equal(fast[1], ref[1])


@settings(max_examples=200, deadline=None)
@given(st.lists(U64, max_size=70), st.integers(1, 8), st.integers(1, 10))
def test_selected_kernel_is_the_numpy_form(hashes: list[int], k: int, window: int) -> None:
    """The kernel rolls its shingle hashes in two lanes (each half of the shingles): the same
    hashes and positions as numpy's, for odd and even counts and the shortest documents."""
    cfg = FingerprintConfig(k=k, window=window)
    th = np.asarray(hashes, dtype=np.uint64)
    (pos, h), (want_pos, want_h) = selected(th, cfg), selected_numpy(th, cfg)
    assert pos.tolist() == want_pos.tolist() and h.tolist() == want_h.tolist()
