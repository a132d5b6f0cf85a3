"""copydesk.setops: the same arrays as numpy's own set routines."""

from __future__ import annotations

import numpy as np
import pytest

from copydesk.setops import union1d, unique


def _same(a: np.ndarray, b: np.ndarray) -> None:
    assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint32, np.uint64, np.int8, np.bool_])
@pytest.mark.parametrize("n", [0, 1, 2, 7, 1000, 50_000])
def test_unique_equals_numpy(dtype: type, n: int) -> None:
    rng = np.random.default_rng(n)
    for high in (3, n + 1, 1 << 62):
        x = rng.integers(0, high, n, dtype=np.uint64).astype(dtype)
        _same(unique(x), np.unique(x))
        y = rng.integers(0, high, n, dtype=np.uint64).astype(dtype)
        _same(union1d(x, y), np.union1d(x, y))


def test_unique_of_other_inputs() -> None:
    for x in ([], [3, 1, 3], np.array(5), np.array([[3, 2], [2, 1]], np.int32), np.array([2.5, np.nan, 2.5]),
              np.array(["b", "a", "b"])):
        _same(unique(x), np.unique(x))
    _same(union1d(np.array([1, 2], np.int64), np.array([2, 3], np.uint64)),
          np.union1d(np.array([1, 2], np.int64), np.array([2, 3], np.uint64)))
