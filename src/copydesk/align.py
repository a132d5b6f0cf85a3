"""Align: from matching anchors to shared passages and coverage.

For one candidate pair (the scheme of passim's and BLAST-like local aligners, simplified):

1. *anchors* — every ``anchor_k``-word shingle outside boilerplate that occurs in both texts
   (shingles repeated more than ``max_anchor_repeat`` times in either text are ignored);
2. *runs* — consecutive anchors on one diagonal (``i - j`` constant) form exact runs;
3. *chains* — runs are chained in order when they move forward on both sides and the gap
   between them is at most ``max_gap_chars`` characters on each side with no boilerplate in
   it, so a respelled name, "on Tuesday" → "yesterday" or an OCR slip stays inside one
   passage while a dropped paragraph splits it;
4. chains are extended word by word while the texts agree, chains shorter than
   ``min_passage_chars`` are dropped, and overlapping chains keep the longest.

Passages are reported in characters of the original texts; coverage counts the non-space
characters of each side's non-boilerplate tokens inside passages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from .align_kernel import align_many, align_spans, anchor_index_docs, covered, same_words
from .config import AlignConfig
from .fingerprint import shingles, valid_shingles
from .prepare import Prepared
from .prepare_batch import Batch
from .records import Passage


@dataclass(frozen=True, slots=True, eq=False)
class Alignment:
    """Passages as token ranges ``[as, ae, bs, be)`` (int array, n x 4) and in characters."""

    spans: np.ndarray
    passages: tuple[Passage, ...]
    coverage_a: float
    coverage_b: float

    @property
    def longest_chars(self) -> int:
        return max((min(p.a_end - p.a_start, p.b_end - p.b_start) for p in self.passages), default=0)

    @property
    def total_chars(self) -> int:
        return sum(min(p.a_end - p.a_start, p.b_end - p.b_start) for p in self.passages)


def anchor_matches(a: Prepared, b: Prepared, k: int, max_repeat: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle positions (i in a, j in b) with equal hashes, both outside boilerplate."""
    sa = shingles(a.tokens.hash, k)
    sb = shingles(b.tokens.hash, k)
    ia = np.flatnonzero(valid_shingles(a.boiler, k))
    ib = np.flatnonzero(valid_shingles(b.boiler, k))
    ha, hb = sa[ia], sb[ib]
    if not len(ha) or not len(hb):
        e = np.zeros(0, np.int64)
        return e, e
    ob = np.argsort(hb, kind="stable")
    hbs = hb[ob]
    lo = np.searchsorted(hbs, ha, "left")
    hi = np.searchsorted(hbs, ha, "right")
    cnt = hi - lo
    _, inv, acnt = np.unique(ha, return_inverse=True, return_counts=True)
    keep = (cnt > 0) & (cnt <= max_repeat) & (acnt[inv] <= max_repeat)
    cnt_k, lo_k = cnt[keep], lo[keep]
    total = int(cnt_k.sum())
    ai = np.repeat(ia[keep], cnt_k)
    offs = np.repeat(lo_k - (np.cumsum(cnt_k) - cnt_k), cnt_k) + np.arange(total)
    bj = ib[ob[offs]]
    return ai.astype(np.int64), bj.astype(np.int64)


def diagonal_runs(ai: np.ndarray, bj: np.ndarray, k: int) -> np.ndarray:
    """Exact runs as token spans ``[as, ae, bs, be)`` sorted by ``as`` then ``bs``."""
    if not len(ai):
        return np.zeros((0, 4), np.int64)
    d = ai - bj
    order = np.lexsort((ai, d))
    ai, d = ai[order], d[order]
    brk = np.flatnonzero((np.diff(d) != 0) | (np.diff(ai) != 1)) + 1
    st = np.concatenate(([0], brk))
    en = np.concatenate((brk, [len(ai)])) - 1
    a_s, a_e = ai[st], ai[en] + k
    runs = np.stack([a_s, a_e, a_s - d[st], a_e - d[st]], axis=1)
    return runs[np.lexsort((runs[:, 2], runs[:, 0]))]


def _gap_ok(p: Prepared, end_tok: int, start_tok: int, max_gap: int) -> bool:
    """Can a passage ending at token ``end_tok`` (exclusive) continue at ``start_tok``?"""
    if start_tok <= end_tok:
        return True
    t = p.tokens
    if int(t.start[start_tok]) - int(t.end[end_tok - 1]) > max_gap + 1:
        return False
    return not p.boiler[end_tok:start_tok].any()


def chain_runs(runs: np.ndarray, a: Prepared, b: Prepared, cfg: AlignConfig, k: int) -> list[list[int]]:
    """Greedy co-linear chaining of runs into passages (token spans)."""
    chains: list[list[int]] = []
    for a_s, a_e, b_s, b_e in runs.tolist():
        best, best_gap = -1, None
        for ci in range(len(chains) - 1, -1, -1):
            c = chains[ci]
            if c[1] < a_s - 64:  # far behind on side a; chains are ordered by start
                continue
            if a_s < c[0] or b_s < c[2] or a_s < c[1] - k or b_s < c[3] - k:
                continue
            if a_e <= c[1] and b_e <= c[3]:
                best, best_gap = ci, -1  # already inside this chain
                break
            if not (_gap_ok(a, c[1], a_s, cfg.max_gap_chars) and _gap_ok(b, c[3], b_s, cfg.max_gap_chars)):
                continue
            gap = max(a_s - c[1], b_s - c[3])
            if best_gap is None or gap < best_gap:
                best, best_gap = ci, gap
        if best < 0:
            chains.append([a_s, a_e, b_s, b_e])
        else:
            c = chains[best]
            c[1], c[3] = max(c[1], a_e), max(c[3], b_e)
    return chains


def _extend(span: list[int], a: Prepared, b: Prepared) -> None:
    """Grow a span word by word while both texts agree outside boilerplate."""
    ha, hb = a.tokens.hash, b.tokens.hash
    xa, xb = a.boiler, b.boiler
    while (span[1] < len(ha) and span[3] < len(hb) and ha[span[1]] == hb[span[3]]
           and not xa[span[1]] and not xb[span[3]]):
        span[1] += 1
        span[3] += 1
    while (span[0] > 0 and span[2] > 0 and ha[span[0] - 1] == hb[span[2] - 1]
           and not xa[span[0] - 1] and not xb[span[2] - 1]):
        span[0] -= 1
        span[2] -= 1


def _chars(p: Prepared, s: int, e: int) -> tuple[int, int]:
    return int(p.tokens.start[s]), int(p.tokens.end[e - 1])


def _coverage(p: Prepared, spans: np.ndarray, lo: int) -> float:
    total = p.content_weight
    if not total or not len(spans):
        return 0.0
    inside = np.zeros(len(p.boiler) + 1, np.int64)
    np.add.at(inside, spans[:, lo], 1)
    np.add.at(inside, spans[:, lo + 1], -1)
    mask = (np.cumsum(inside[:-1]) > 0) & ~p.boiler
    return float(p.tokens.weight[mask].sum()) / total


def _result(a: Prepared, b: Prepared, spans: np.ndarray) -> Alignment:
    sa, ea, sb, eb = a.tokens.start, a.tokens.end, b.tokens.start, b.tokens.end
    chars = zip(sa[spans[:, 0]].tolist(), ea[spans[:, 1] - 1].tolist(), sb[spans[:, 2]].tolist(),
                eb[spans[:, 3] - 1].tolist(), strict=True)
    passages = tuple(Passage(*c) for c in chars)
    ia, ta = covered(spans, 0, a.tokens.weight, a.boiler)
    ib, tb = covered(spans, 2, b.tokens.weight, b.boiler)
    return Alignment(spans, passages, ia / ta if ta else 0.0, ib / tb if tb else 0.0)


def align(a: Prepared, b: Prepared, config: AlignConfig | None = None) -> Alignment:
    """Shared passages of two prepared articles (compiled kernel; same result as
    :func:`align_reference`)."""
    cfg = config or AlignConfig()
    ta, tb = a.tokens, b.tokens
    spans = align_spans(ta.hash, a.boiler, ta.start, ta.end, tb.hash, b.boiler, tb.start, tb.end,
                        cfg.anchor_k, cfg.max_anchor_repeat, cfg.max_gap_chars, cfg.min_passage_chars)
    return _result(a, b, spans)


def align_batch(batch: Batch, left: np.ndarray, right: np.ndarray,
                config: AlignConfig | None = None, *, kinds: bool = False) -> list[Alignment]:
    """:func:`align` of articles ``left[p]`` and ``right[p]`` of a prepared batch, for every
    p, in one kernel call (each article's anchors computed once).  ``kinds``: each passage
    marked ``verbatim`` or ``edited`` as :func:`copydesk.paraphrase.mark_kinds` marks it,
    for all pairs in one call (else every passage is ``verbatim``)."""
    cfg = config or AlignConfig()
    left = np.asarray(left, np.int64)
    right = np.asarray(right, np.int64)
    pos, hashes, runs, afirst = anchor_index_docs(batch.hash, batch.boiler, batch.tok_first, cfg.anchor_k)
    spans, first, cover = align_many(left, right, batch.hash, batch.boiler, batch.start, batch.end,
                                     batch.weight, batch.tok_first, pos, hashes, runs, afirst,
                                     cfg.anchor_k, cfg.max_anchor_repeat, cfg.max_gap_chars,
                                     cfg.min_passage_chars)
    per_pair = np.diff(first)
    ta = batch.tok_first[np.repeat(left, per_pair)]
    tb = batch.tok_first[np.repeat(right, per_pair)]
    # Passage(a_start, a_end, b_start, b_end) of every span, made without a Python call each
    kind: Iterable[str] = repeat("verbatim")
    if kinds and len(spans):
        same = same_words(batch.hash, batch.hash, np.stack((ta + spans[:, 0], ta + spans[:, 1], tb + spans[:, 2],
                                                            tb + spans[:, 3]), axis=1))
        kind = np.where(same, "verbatim", "edited").tolist()
    passages = list(map(tuple.__new__, repeat(Passage),
                        zip(batch.start[ta + spans[:, 0]].tolist(), batch.end[ta + spans[:, 1] - 1].tolist(),
                            batch.start[tb + spans[:, 2]].tolist(), batch.end[tb + spans[:, 3] - 1].tolist(),
                            kind, strict=False)))
    out = []
    for f0, f1, (ia, na, ib, nb) in zip(first[:-1].tolist(), first[1:].tolist(), cover.tolist(), strict=True):
        out.append(Alignment(spans[f0:f1], tuple(passages[f0:f1]), ia / na if na else 0.0, ib / nb if nb else 0.0))
    return out


def align_reference(a: Prepared, b: Prepared, config: AlignConfig | None = None) -> Alignment:
    """Shared passages of two prepared articles (plain numpy and Python)."""
    cfg = config or AlignConfig()
    k = cfg.anchor_k
    ai, bj = anchor_matches(a, b, k, cfg.max_anchor_repeat)
    chains = chain_runs(diagonal_runs(ai, bj, k), a, b, cfg, k)
    for c in chains:
        _extend(c, a, b)
    kept: list[list[int]] = []
    for c in sorted(chains, key=lambda c: (-(c[1] - c[0] + c[3] - c[2]), c[0], c[2])):
        a0, a1 = _chars(a, c[0], c[1])
        b0, b1 = _chars(b, c[2], c[3])
        if min(a1 - a0, b1 - b0) < cfg.min_passage_chars:
            continue
        if any(c[0] < o[1] and o[0] < c[1] or c[2] < o[3] and o[2] < c[3] for o in kept):
            continue
        kept.append(c)
    kept.sort()
    spans = np.asarray(kept, np.int64).reshape(-1, 4)
    passages = tuple(Passage(*_chars(a, s[0], s[1]), *_chars(b, s[2], s[3])) for s in kept)
    return Alignment(spans, passages, _coverage(a, spans, 0), _coverage(b, spans, 2))
