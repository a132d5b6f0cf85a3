"""Nearest-neighbour candidate pairs: exact blocks, the approximate index, the reference."""

from __future__ import annotations

import numpy as np
import pytest

from copydesk.semantic.neighbours import (
    approximate_pairs,
    exact_pairs,
    neighbour_pairs,
    pairs_reference,
)


def _clustered(n: int, centres: int, noise: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.standard_normal((centres, 32)).astype(np.float32)
    v = base[rng.integers(0, centres, n)] + noise * rng.standard_normal((n, 32)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("seed", range(4))
def test_exact_pairs_equal_the_reference(seed: int) -> None:
    v = _clustered(300, 30, 0.6, seed)
    for k, threshold in ((1, 0.0), (5, 0.5), (12, 0.8)):
        assert exact_pairs(v, k, threshold).tolist() == pairs_reference(v, k, threshold).tolist()


def test_approximate_pairs_find_nearly_all_exact_ones() -> None:
    v = _clustered(3000, 200, 0.5, 7)
    want = exact_pairs(v, 5, 0.6)
    got = approximate_pairs(v, 5, 0.6, np.arange(len(v)))
    assert len(want) > 1000
    assert np.isin(want, got).mean() >= 0.9
    assert np.isin(got, want).mean() >= 0.9  # the same threshold, quantized cosines


def test_no_pairs_below_the_threshold_and_none_from_one_article() -> None:
    v = np.random.default_rng(1).standard_normal((50, 32)).astype(np.float32)  # far apart
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    assert not len(neighbour_pairs(v, 3, 0.99))
    assert not len(neighbour_pairs(v[:1], 3, 0.0))
    same = np.repeat(v[:1], 2, axis=0)
    assert neighbour_pairs(same, 3, 0.99).tolist() == [1]  # (0 << 32) | 1
