"""Fingerprints: k-word shingle hashes and winnowed passage fingerprints.

Winnowing (Schleimer, Wilkerson & Aiken, SIGMOD 2003): in every window of ``window``
consecutive shingle hashes keep the minimum.  Two texts that share a run of at least
``window + k - 1`` words share the window's minimum, so they share a fingerprint — whatever
the lengths of the two documents.  That is the guarantee MinHash over whole documents lacks.

Shingles touching boilerplate are dropped *after* selection: windows inside real text select
the same fingerprints in both documents, so the guarantee holds for every passage outside
boilerplate, and boilerplate never produces candidates.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .config import FingerprintConfig

_MUL = np.uint64(0x9E3779B97F4A7C15)


def _finalize(x: np.ndarray) -> np.ndarray:
    """Vectorized splitmix64 finalizer (uint64 arithmetic wraps, as intended)."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def shingles(token_hashes: np.ndarray, k: int) -> np.ndarray:
    """Hash of every run of ``k`` consecutive token hashes (``len - k + 1`` values)."""
    n = len(token_hashes) - k + 1
    if n <= 0:
        return np.zeros(0, np.uint64)
    acc = np.zeros(n, np.uint64)
    with np.errstate(over="ignore"):
        for t in range(k):
            acc = acc * _MUL + token_hashes[t:t + n]
    return _finalize(acc)


def shingles_reference(token_hashes: list[int], k: int) -> list[int]:
    """Pure-Python :func:`shingles` (the specification)."""
    mask = (1 << 64) - 1
    out = []
    for i in range(len(token_hashes) - k + 1):
        acc = 0
        for t in range(k):
            acc = (acc * 0x9E3779B97F4A7C15 + int(token_hashes[i + t])) & mask
        out.append(int(_finalize(np.array([acc], np.uint64))[0]))
    return out


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Positions selected by winnowing (leftmost minimum of each window), ascending, unique.
    A sequence shorter than one window selects its minimum."""
    n = len(hashes)
    if n == 0:
        return np.zeros(0, np.int64)
    if n <= window:
        return np.array([int(np.argmin(hashes))], np.int64)
    view = np.lib.stride_tricks.sliding_window_view(hashes, window)
    pos = np.argmin(view, axis=1) + np.arange(n - window + 1)
    return np.unique(pos)


def winnow_reference(hashes: list[int], window: int) -> list[int]:
    """Pure-Python :func:`winnow`."""
    if not hashes:
        return []
    if len(hashes) <= window:
        return [min(range(len(hashes)), key=lambda i: (hashes[i], i))]
    sel = set()
    for s in range(len(hashes) - window + 1):
        w = hashes[s:s + window]
        m = min(w)
        sel.add(s + w.index(m))
    return sorted(sel)


def valid_shingles(boiler: np.ndarray, k: int) -> np.ndarray:
    """True for shingles whose ``k`` tokens are all outside boilerplate."""
    n = len(boiler) - k + 1
    if n <= 0:
        return np.zeros(0, np.bool_)
    c = np.concatenate(([0], np.cumsum(boiler, dtype=np.int64)))
    return (c[k:k + n] - c[:n]) == 0


def selected_numpy(token_hashes: np.ndarray, config: FingerprintConfig | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Winnowed (positions, hashes) of one document, boilerplate not yet removed (numpy)."""
    cfg = config or FingerprintConfig()
    sh = shingles(token_hashes, cfg.k)
    pos = winnow(sh, cfg.window)
    return pos, sh[pos]


@nb.njit(cache=True, nogil=True, inline="always")
def shingle_at(th, i, k):  # pragma: no cover - jit
    """The hash of the ``k`` token hashes at ``i`` — :func:`shingles` for one position."""
    acc = np.uint64(0)
    for t in range(k):
        acc = acc * np.uint64(0x9E3779B97F4A7C15) + th[i + t]
    x = acc ^ (acc >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


#: the shingle multiplier to the powers 0..16 (mod 2**64), for rolling shingle hashes
_POWERS = np.array([pow(0x9E3779B97F4A7C15, e, 1 << 64) for e in range(17)], np.uint64)


@nb.njit(cache=True, nogil=True)
def winnow_into(th, a, n, k, window, powers, sh, out):  # pragma: no cover - jit
    """Winnow the ``n`` k-shingles of ``th[a:a + n + k - 1]``: their hashes go to ``sh[:n]``,
    the selected positions (relative to ``a``, ascending, unique) to ``out``; returns how
    many.  Shingle hashes are rolled (the same values as :func:`shingle_at`) and the window
    minimum is only searched again when it leaves the window.  Indexes are cast to unsigned
    in the loops: numba then emits no negative-index wraparound code."""
    if n <= 0:
        return 0
    u = np.uint64
    top = powers[k - 1]
    acc = u(0)
    for t in range(k):
        acc = acc * powers[1] + th[u(a + t)]
    for i in range(n):
        if i > 0:
            acc = (acc - th[u(a + i - 1)] * top) * powers[1] + th[u(a + i + k - 1)]
        x = acc ^ (acc >> u(30))
        x = x * u(0xBF58476D1CE4E5B9)
        x = x ^ (x >> u(27))
        x = x * u(0x94D049BB133111EB)
        sh[u(i)] = x ^ (x >> u(31))
    if n <= window:
        best = 0
        for i in range(1, n):
            if sh[u(i)] < sh[u(best)]:
                best = i
        out[0] = best
        return 1
    m = 0
    best = -1
    for s in range(n - window + 1):
        if best < s:  # the minimum left the window: search it again (leftmost)
            best = s
            for i in range(s + 1, s + window):
                if sh[u(i)] < sh[u(best)]:
                    best = i
        elif sh[u(s + window - 1)] < sh[u(best)]:
            best = s + window - 1
        if m == 0 or out[u(m - 1)] != best:
            out[u(m)] = best
            m += 1
    return m


@nb.njit(cache=True, nogil=True)
def _select_kernel(th, k, window, powers):  # pragma: no cover - jit
    n = len(th) - k + 1
    if n <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    sh = np.empty(n, np.uint64)
    pos = np.empty(n, np.int64)
    m = winnow_into(th, 0, n, k, window, powers, sh, pos)
    out_pos = pos[:m].copy()
    return out_pos, sh[out_pos]


def selected(token_hashes: np.ndarray, config: FingerprintConfig | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """Winnowed (positions, hashes) of one document, boilerplate not yet removed (numba;
    identical to :func:`selected_numpy`)."""
    cfg = config or FingerprintConfig()
    return _select_kernel(np.ascontiguousarray(token_hashes, dtype=np.uint64), cfg.k, cfg.window, _POWERS)


def outside_boilerplate(pos: np.ndarray, hashes: np.ndarray, boiler: np.ndarray, k: int
                        ) -> tuple[np.ndarray, np.ndarray]:
    """The distinct fingerprints among ``selected`` ones whose shingle avoids boilerplate
    (sorted), each with the token position of its first occurrence."""
    if not len(pos):
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    ok = valid_shingles(boiler, k)[pos]
    uniq, first = np.unique(hashes[ok], return_index=True)
    return uniq, pos[ok][first]


def fingerprints(token_hashes: np.ndarray, boiler: np.ndarray,
                 config: FingerprintConfig | None = None) -> np.ndarray:
    """The distinct winnowed fingerprints of one document, outside boilerplate (sorted)."""
    cfg = config or FingerprintConfig()
    pos, hashes = selected(token_hashes, cfg)
    return outside_boilerplate(pos, hashes, boiler, cfg.k)[0]
