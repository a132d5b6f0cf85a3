"""Compose the stages: prepare → fingerprint → candidates → align → relate → families.

Stages are the plain functions of their modules; this module only wires them, keeps the
books (counts and timings for ``run.json``) and spreads alignment over worker processes.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .align import align
from .candidates import expand_through_representatives, find_candidates
from .config import ScanConfig
from .families import families as make_families
from .fingerprint import outside_boilerplate, selected
from .prepare import Prepared, common_lines, mask_common_lines, prepare
from .records import Article, Family, Pair, Reject
from .relate import relate
from .textnorm import splitmix64

#: progress(stage, done, total) — called as work advances; total may be None
Progress = Callable[[str, int, int | None], None]


@dataclass(slots=True)
class ScanResult:
    """Everything a scan found, plus the books of the run."""

    pairs: list[Pair]
    families: list[Family]
    rejects: list[Reject] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    config: ScanConfig = field(default_factory=ScanConfig)

    def summary(self) -> dict[str, Any]:
        by_rel: dict[str, int] = {}
        for p in self.pairs:
            by_rel[p.relation] = by_rel.get(p.relation, 0) + 1
        return {"articles": self.stats.get("articles", 0), "pairs": len(self.pairs),
                "pairs_by_relation": by_rel, "families": len(self.families),
                "rejected": len(self.rejects)}


def _id_rank(ids: Sequence[str]) -> np.ndarray:
    """An order-independent rank per document (from a hash of its id)."""
    h = np.fromiter((splitmix64(hash_id(i)) for i in ids), np.uint64, len(ids))
    return np.argsort(np.argsort(h, kind="stable"), kind="stable")


def hash_id(s: str) -> int:
    """A stable 64-bit hash of a string (FNV-1a over UTF-8; Python's hash() is salted)."""
    h = 0xCBF29CE484222325
    for byte in s.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


# -- alignment workers --------------------------------------------------------------------
_STATE: dict[str, Any] = {}


def _align_chunk(codes: np.ndarray) -> list[Pair]:
    docs: list[Prepared] = _STATE["docs"]
    texts: list[str] = _STATE["texts"]
    cfg: ScanConfig = _STATE["config"]
    out = []
    for code in codes.tolist():
        i, j = code >> 32, code & 0xFFFFFFFF
        if docs[i].id > docs[j].id:
            i, j = j, i
        al = align(docs[i], docs[j], cfg.align)
        pair = relate(docs[i], docs[j], al, texts[i], cfg.relate)
        if pair is not None:
            out.append(pair)
    return out


def _prepare_chunk(bounds: tuple[int, int]) -> list[tuple[Prepared, np.ndarray, np.ndarray]]:
    arts: list[Article] = _STATE["articles"]
    cfg: ScanConfig = _STATE["config"]
    out = []
    for art in arts[bounds[0]:bounds[1]]:
        p = prepare(art, cfg.prepare)
        out.append((p, *selected(p.tokens.hash, cfg.fingerprint)))
    return out


def _chunks(n: int, size: int) -> list[tuple[int, int]]:
    return [(s, min(n, s + size)) for s in range(0, n, size)]


@contextmanager
def _pool(workers: int) -> Iterator[Any]:
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        yield None
        return
    ctx = mp.get_context("fork")  # workers inherit the prepared corpus without pickling it
    with ctx.Pool(workers) as pool:
        yield pool


def _align_all(codes: np.ndarray, workers: int, progress: Progress | None, stage: str) -> list[Pair]:
    if not len(codes):
        return []
    # shuffle-free balanced chunks: big enough to amortise, small enough for smooth progress
    n_chunks = max(1, min(len(codes) // 200, 64 * workers))
    chunks = np.array_split(codes, n_chunks)
    out: list[Pair] = []
    done = 0
    with _pool(workers if len(codes) > 400 else 1) as pool:
        results = pool.imap(_align_chunk, chunks) if pool else map(_align_chunk, chunks)
        for chunk, res in zip(chunks, results, strict=True):
            out.extend(res)
            done += len(chunk)
            if progress:
                progress(stage, done, len(codes))
    return out


def scan_articles(articles: Iterable[Article], config: ScanConfig | None = None, *,
                  progress: Progress | None = None) -> ScanResult:
    """Find all reuse among ``articles`` (ids must be unique; a repeated id is rejected)."""
    cfg = config or ScanConfig()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    rejects: list[Reject] = []
    arts: list[Article] = []
    seen: set[str] = set()
    for art in articles:
        if art.id in seen:
            rejects.append(Reject(where=f"article {art.id}", reason="duplicate id", id=art.id))
            continue
        seen.add(art.id)
        arts.append(art)
    _STATE.update(articles=arts, config=cfg)
    docs: list[Prepared] = []
    sel: list[tuple[np.ndarray, np.ndarray]] = []
    try:
        bounds = _chunks(len(arts), 250)
        with _pool(cfg.workers if len(arts) > 1000 else 1) as pool:
            results = pool.imap(_prepare_chunk, bounds) if pool else map(_prepare_chunk, bounds)
            for (_, hi), res in zip(bounds, results, strict=True):
                for p, pos, hashes in res:
                    docs.append(p)
                    sel.append((pos, hashes))
                if progress:
                    progress("prepare", hi, len(arts))
    finally:
        _STATE.clear()
    mask_common_lines(docs, common_lines(docs, cfg.prepare))
    timings["prepare"] = time.perf_counter() - t0

    t = time.perf_counter()
    k = cfg.fingerprint.k
    fps = [outside_boilerplate(pos, h, d.boiler, k) for d, (pos, h) in zip(docs, sel, strict=True)]
    del sel
    timings["fingerprint"] = time.perf_counter() - t

    t = time.perf_counter()
    cands = find_candidates(fps, _id_rank([d.id for d in docs]), cfg.candidates)
    codes = (cands.left << 32) | cands.right
    timings["candidates"] = time.perf_counter() - t

    t = time.perf_counter()
    _STATE.update(docs=docs, texts=[a.text for a in arts], config=cfg)
    try:
        pairs = _align_all(codes, cfg.workers, progress, "align")
        extra = np.zeros(0, np.int64)
        if cands.big_buckets:
            index = {d.id: n for n, d in enumerate(docs)}
            related = {tuple(sorted((index[p.a], index[p.b]))) for p in pairs}
            extra = expand_through_representatives(cands, related)  # type: ignore[arg-type]
            extra = extra[~np.isin(extra, codes)]
            pairs += _align_all(extra, cfg.workers, progress, "align (families of big buckets)")
    finally:
        _STATE.clear()
    pairs.sort(key=lambda p: (p.a, p.b))
    timings["align"] = time.perf_counter() - t

    t = time.perf_counter()
    fams = make_families(pairs, {a.id: a.date for a in arts}, cfg.families)
    timings["families"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    stats = {"articles": len(arts), "tokens": int(sum(len(d.tokens) for d in docs)),
             "fingerprints": int(sum(len(f) for f in fps)), "candidates": int(len(codes)),
             "candidates_second_round": int(len(extra)), "big_buckets": len(cands.big_buckets),
             "pairs": len(pairs), "families": len(fams), "workers": cfg.workers,
             "cpu_count": os.cpu_count()}
    return ScanResult(pairs, fams, rejects, stats, timings, cfg)
