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
def winnow_into(th, a, n, k, window, powers, sh, out, pos, val):  # pragma: no cover - jit
    """Winnow the ``n`` k-shingles of ``th[a:a + n + k - 1]``: their hashes go to ``sh[:n]``,
    the selected positions (relative to ``a``, ascending, unique) to ``out``; returns how
    many.  Shingle hashes are rolled (the same values as :func:`shingle_at`), in two lanes.  The leftmost
    minimum of every window comes from minima within blocks of ``window`` shingles (van
    Herk / Gil-Werman): for each i, the leftmost minimum from its block's start to i
    (position ``pos[0, i]``, value ``val[0, i]``) and from i to its block's end
    (``pos[1, i]``, ``val[1, i]``); a window is the tail of one block and the head of the
    next.  No branch depends on the hashes, so none is mispredicted.  ``sh``, ``pos``
    (2 x n int64) and ``val`` (2 x n uint64) are scratch of at least ``n`` columns.
    Indexes are cast to unsigned: numba then emits no negative-index wraparound code."""
    if n <= 0:
        return 0
    u = np.uint64
    top = powers[k - 1]
    acc = u(0)
    for t in range(k):
        acc = acc * powers[1] + th[u(a + t)]
    # rolled in two lanes side by side, the first and the second half of the shingles: each
    # step of a lane depends on its last (a multiplication), so the processor overlaps them
    half = n // 2
    accb = u(0)
    for t in range(k):
        accb = accb * powers[1] + th[u(a + half + t)]
    sh[0] = acc
    sh[u(half)] = accb
    for i in range(1, half):
        acc = (acc - th[u(a + i - 1)] * top) * powers[1] + th[u(a + i + k - 1)]
        j = half + i
        accb = (accb - th[u(a + j - 1)] * top) * powers[1] + th[u(a + j + k - 1)]
        sh[u(i)] = acc
        sh[u(j)] = accb
    for j in range(max(2 * half, 1), n):  # lane b's last shingle when n is odd
        accb = (accb - th[u(a + j - 1)] * top) * powers[1] + th[u(a + j + k - 1)]
        sh[u(j)] = accb
    for i in range(n):
        x = sh[u(i)]
        x = x ^ (x >> u(30))
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
    pre, suf = pos[0], pos[1]
    pre_v, suf_v = val[0], val[1]
    for b in range(0, n, window):
        e = min(b + window, n)
        v = sh[u(b)]
        p = b
        pre[u(b)] = p
        pre_v[u(b)] = v
        for i in range(b + 1, e):
            x = sh[u(i)]
            p = i if x < v else p
            v = min(x, v)
            pre[u(i)] = p
            pre_v[u(i)] = v
        v = sh[u(e - 1)]
        p = e - 1
        suf[u(p)] = p
        suf_v[u(p)] = v
        for i in range(e - 2, b - 1, -1):
            x = sh[u(i)]
            p = i if x <= v else p  # ties: the left one
            v = min(x, v)
            suf[u(i)] = p
            suf_v[u(i)] = v
    m = 0
    last = -1
    for s in range(n - window + 1):
        r = s + window - 1
        best = suf[u(s)] if suf_v[u(s)] <= pre_v[u(r)] else pre[u(r)]
        out[u(m)] = best
        m += best != last
        last = best
    return m


@nb.njit(cache=True, nogil=True)
def _select_kernel(th, k, window, powers):  # pragma: no cover - jit
    n = len(th) - k + 1
    if n <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    sh = np.empty(n, np.uint64)
    pos = np.empty(n, np.int64)
    m = winnow_into(th, 0, n, k, window, powers, sh, pos, np.empty((2, n), np.int64), np.empty((2, n), np.uint64))
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
