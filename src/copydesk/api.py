"""The library entry points: :func:`scan` a collection, :func:`compare` two articles."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .align import align
from .config import ScanConfig
from .pipeline import Progress, ScanResult, scan_articles, scan_batches
from .prepare import prepare
from .read import RejectLog, read_batches
from .records import Article, Pair
from .relate import is_reuse, origin, relation
from .textnorm import tokenizer_info
from .write import write_results


def scan(inputs: Sequence[str | Path] | Iterable[Article], *, out: str | Path | None = None,
         config: ScanConfig | None = None, progress: Progress | None = None,
         parquet: bool = False, workdir: str | Path | None = None) -> ScanResult:
    """Find all reuse in a collection.

    ``inputs`` is either paths (JSON Lines, CSV, Parquet, ``.txt`` files or folders of them)
    or :class:`Article` records.  With ``out`` the results are written there
    (``pairs.jsonl``, ``families.jsonl``, ``rejects.jsonl``, ``run.json``).  Articles are
    streamed; temporary spills go to ``workdir`` (default: the system temp folder)."""
    cfg = config or ScanConfig()
    log = RejectLog()
    t0 = time.perf_counter()
    items = list(inputs) if not isinstance(inputs, (str, Path)) else [inputs]
    if items and all(isinstance(x, Article) for x in items):
        result = scan_articles(items, cfg, progress=progress, workdir=workdir)  # type: ignore[arg-type]
        sources: list[str] = ["<articles>"]
    else:
        jobs = read_batches([Path(x) if str(x) != "-" else "-" for x in items], rejects=log,  # type: ignore[arg-type]
                            size=cfg.batch_size)
        sources = [str(x) for x in items]
        result = scan_batches(jobs, cfg, progress=progress, workdir=workdir)
    for r in result.rejects:
        log.add(r)
    result.rejects = list(log)
    result.timings["total"] = time.perf_counter() - t0
    if out is not None:
        write_results(Path(out), pairs=result.pairs, families=result.families,
                      rejects=result.rejects, manifest=manifest(result, sources, log),
                      parquet=parquet)
    return result


def manifest(result: ScanResult, sources: list[str], log: RejectLog) -> dict[str, Any]:
    """The ``run.json`` record of a scan: what ran, on what, with which parameters."""
    return {"tool": "copydesk", "version": __version__, "inputs": sources,
            "tokenizer": tokenizer_info(), "config": result.config.to_dict(),
            "counts": {**result.summary(), "rejected_by_reason": log.by_reason()},
            "stats": result.stats,
            "timings_s": {k: round(v, 3) for k, v in result.timings.items()}}


def compare(a: Article, b: Article, config: ScanConfig | None = None) -> Pair:
    """Explain one pair.  Returns a :class:`Pair` (ids ordered ``a < b``) whose relation is
    ``"unrelated"`` when the shared text is not reuse (its passages are still given)."""
    cfg = config or ScanConfig()
    if a.id == b.id:
        b = Article(b.id + " (2)", b.text, b.title, b.date, b.source, b.url, b.extra)
    if a.id > b.id:
        a, b = b, a
    pa, pb = prepare(a, cfg.prepare), prepare(b, cfg.prepare)
    al = align(pa, pb, cfg.align)
    if not is_reuse(al, a.text, b.text, cfg.relate):
        return Pair(a.id, b.id, "unrelated", None, al.coverage_a, al.coverage_b, al.passages)
    rel = relation(pa, pb, al, cfg.relate)
    org, why = origin(pa, pb, rel, al)
    return Pair(a.id, b.id, rel, org, al.coverage_a, al.coverage_b, al.passages, why)
