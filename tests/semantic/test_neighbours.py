"""Nearest-neighbour candidate pairs: exact blocks, the approximate index, the reference."""

from __future__ import annotations

import numpy as np
import pytest

from copydesk.semantic.neighbours import (
    approximate_pairs,
    article_dtype,
    close_pairs,
    exact_pairs,
    neighbour_pairs,
    pairs_reference,
    summary_shaped,
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
    # searched on more threads: the same graph read by independent queries, the same answer
    assert approximate_pairs(v, 5, 0.6, np.arange(len(v)), threads=2).tolist() == got.tolist()


def test_no_pairs_below_the_threshold_and_none_from_one_article() -> None:
    v = np.random.default_rng(1).standard_normal((50, 32)).astype(np.float32)  # far apart
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    assert not len(neighbour_pairs(v, 3, 0.99))
    assert not len(neighbour_pairs(v[:1], 3, 0.0))
    same = np.repeat(v[:1], 2, axis=0)
    assert neighbour_pairs(same, 3, 0.99).tolist() == [1]  # (0 << 32) | 1


def _rows(vectors: np.ndarray, tokens: list[int]) -> np.ndarray:
    rows = np.zeros(len(vectors), article_dtype(vectors.shape[1]))
    rows["vector"], rows["tokens"] = vectors, tokens
    return rows


def test_a_summary_shaped_pair_passes_at_the_lower_cosine() -> None:
    u = np.array([1.0, 0.0], np.float32)
    w = np.array([0.72, np.sqrt(1 - 0.72 ** 2)], np.float32)  # cosine 0.72 with u
    rows = _rows(np.stack([u, w, u, w]), [300, 120, 300, 280])
    codes = np.array([0 << 32 | 1, 2 << 32 | 3], np.int64)
    # 120 of 300 tokens: a summary's length; 280 of 300: a rewrite of the whole story
    assert close_pairs(codes, rows, 0.75, 0.7, 0.5).tolist() == [1]
    assert close_pairs(codes, rows, 0.7, 0.7, 0.5).tolist() == codes.tolist()
    assert not len(close_pairs(codes, rows, 0.75, 0.73, 0.5))
    assert summary_shaped(150, 300, 0.5) and not summary_shaped(151, 300, 0.5)
