"""The prefetch hint of the compiled kernels (copydesk.prefetch)."""

from __future__ import annotations

import numba as nb
import numpy as np

from copydesk.prefetch import prefetch_read, prefetch_write


@nb.njit
def _fill_with_prefetch(out: np.ndarray, ahead: int) -> None:
    for i in range(len(out)):
        prefetch_write(out, i + ahead)  # past the end near the end: a hint, never a fault
        out[i] = i * 3


def test_a_prefetch_changes_nothing() -> None:
    for dtype in (np.uint64, np.uint32, np.uint8):
        out = np.zeros(1000, dtype)
        _fill_with_prefetch(out, 1 << 20)
        assert out.tolist() == [(i * 3) % (1 << (8 * out.itemsize)) for i in range(1000)]
    _fill_with_prefetch(np.zeros(0, np.uint64), 16)


@nb.njit
def _sum_with_prefetch(a: np.ndarray, ahead: int) -> int:
    total = 0
    for i in range(len(a)):
        prefetch_read(a, i + ahead)  # past the end near the end: a hint, never a fault
        total += a[i]
    return total


def test_a_read_prefetch_changes_nothing() -> None:
    for dtype in (np.uint64, np.int32, np.bool_):
        a = (np.arange(1000) % 7).astype(dtype)
        assert _sum_with_prefetch(a, 16) == int(a.astype(np.int64).sum())
        assert _sum_with_prefetch(a, 1 << 20) == int(a.astype(np.int64).sum())
    assert _sum_with_prefetch(np.zeros(0, np.uint64), 16) == 0
