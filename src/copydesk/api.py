"""The library entry points: :func:`scan` a collection, :func:`compare` two articles."""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .align import align
from .atomic import (
    PROBE_PREFIX,
    check_results_dir,
    check_writable_dir,
    output_error,
    staged_dir,
    staging_prefix,
    sweep,
)
from .config import ScanConfig
from .engines.local import scan_articles, scan_batches, spill_prefix
from .errors import ConfigError
from .plan import Progress, ScanResult
from .prepare import prepare
from .read import FieldMap, RejectLog, batched, is_uri, read_batches, read_corpus
from .read.remote import Remote
from .records import Article, Pair
from .relate import judge
from .segment import require_icu
from .semantic.encoder import require_semantic
from .textnorm import tokenizer_info
from .write import require_pyarrow, write_results


def scan(inputs: Sequence[str | Path] | Iterable[Article], *, out: str | Path | None = None,
         config: ScanConfig | None = None, progress: Progress | None = None,
         parquet: bool = False, workdir: str | Path | None = None,
         fields: FieldMap | None = None, format: str | None = None,
         report: bool = False, max_pairs: int | None = None, engine: str = "local",
         spark: Any = None, master: str | None = None,
         partitions: int | None = None, partitioned: bool = False) -> ScanResult:
    """Find all reuse in a collection.

    ``inputs`` is either paths (JSON Lines, CSV, Parquet, ``.txt`` files, saved web pages,
    WARC crawls, or folders of them) or :class:`Article` records.  ``fields`` reads differently
    named input fields (:class:`copydesk.read.FieldMap`); ``format`` reads every input path as
    that format (see :data:`copydesk.read.FORMATS`).  With ``out`` the results are written there
    (``pairs.jsonl``, ``families.jsonl``, ``rejects.jsonl``, ``run.json``), all at once: they
    are written into a hidden folder beside ``out`` that replaces it when complete, so
    ``out`` never holds half a run or a mix of two.  Articles are streamed; temporary spills
    go to ``workdir`` (default: the system temp folder).  With ``report`` the HTML report is
    written into ``out/report/`` as well (:mod:`copydesk.report`; at most ``max_pairs`` pair
    pages), from the texts read again from ``inputs``.

    Everything that can be checked before the scan is: the inputs, ``out`` (writable; new,
    empty or an earlier results folder), ``workdir`` (writable) and pyarrow for ``parquet``
    (:class:`ConfigError`, :class:`MissingDependency`).  A write that fails part way (a full
    disk) raises :class:`OutputError` and leaves ``out`` as it was.

    ``engine="spark"`` runs the scan as Apache Spark jobs (:mod:`copydesk.engines.spark`; needs
    ``pip install 'copydesk[spark]'``) with the same results: on the session ``spark`` when
    given, else on one made for ``master`` (default ``local[*]``) and stopped afterwards;
    ``partitions`` (a power of two, default 64) hash partitions of the candidate join.  With
    ``parquet=True, partitioned=True`` (Spark only) the executors write ``pairs/`` and
    ``families/`` as folders of Parquet part files in place of ``pairs.parquet`` (``out``
    must then be on a file system the executors share)."""
    if partitioned and not (parquet and engine == "spark"):
        raise ConfigError("partitioned Parquet output (--partitioned) needs --parquet and --engine spark")
    runner = _runner(engine, spark, master, partitions)
    try:
        return _scan(inputs, out, config, progress=progress, parquet=parquet, workdir=workdir,
                     fields=fields, format=format, report=report, max_pairs=max_pairs,
                     runner=runner, partitioned=partitioned)
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM through the CLI: the process is ending,
        # so remove whatever of its own a signal left between creating it and its clean-up
        tmp = Path(workdir) if workdir is not None else Path(tempfile.gettempdir())
        sweep(tmp, spill_prefix())
        sweep(tmp, PROBE_PREFIX + f"{os.getpid()}-")
        if out is not None:
            sweep(Path(out).parent, staging_prefix(Path(out)))
        raise


def _scan(inputs: Sequence[str | Path] | Iterable[Article], out: str | Path | None,
          config: ScanConfig | None, *, progress: Progress | None, parquet: bool,
          workdir: str | Path | None, fields: FieldMap | None = None,
          format: str | None = None, report: bool = False,
          max_pairs: int | None = None, runner: Runner | None = None,
          partitioned: bool = False) -> ScanResult:
    cfg = config or ScanConfig()
    log = RejectLog()
    t0 = time.perf_counter()
    out_dir = None if out is None else Path(out)
    if out_dir is not None:
        check_results_dir(out_dir)
        if parquet:
            require_pyarrow()
    if workdir is not None:
        check_writable_dir(Path(workdir), "temporary folder (--tmp)")
    if cfg.prepare.segmenter == "icu":
        require_icu()
    if cfg.semantic.enabled:
        require_semantic()
    items = list(inputs) if not isinstance(inputs, (str, Path)) else [inputs]
    articles = bool(items) and all(isinstance(x, Article) for x in items)
    sources = ["<articles>"] if articles else [str(x) for x in items]
    reporter = _reporter(out_dir, sources, items if articles else None, fields, format,
                         max_pairs) if report else None
    jobs = None if articles else _jobs(items, log, cfg.batch_size, fields, format,  # checks every input now
                                       remote=runner is not None)
    return _scan_into(out_dir, jobs, items, cfg, log, sources, t0, progress=progress,
                      parquet=parquet, workdir=workdir, reporter=reporter, runner=runner,
                      partitioned=partitioned and out_dir is not None)


def _jobs(items: list[Any], log: RejectLog, size: int, fields: FieldMap | None, format: str | None,
          *, remote: bool) -> Iterable[Any]:
    """The scan's input batches (:func:`read_batches`, which checks every local input now);
    with an engine that reads URIs itself (``remote``), a URI is a
    :class:`~copydesk.read.remote.Remote` in its place, for the engine to read."""
    paths: list[Any] = [x if str(x) == "-" or is_uri(x) else Path(x) for x in items]
    if not remote or not any(is_uri(x) for x in paths):
        return read_batches(paths, rejects=log, size=size, fields=fields, format=format)
    parts: list[Iterable[Any]] = []
    for uri, run in itertools.groupby(paths, is_uri):
        run = list(run)
        parts.append([Remote(x, format, fields or FieldMap()) for x in run] if uri else
                     read_batches(run, rejects=log, size=size, fields=fields, format=format))
    return itertools.chain.from_iterable(parts)


#: runner(jobs, config, progress, folder) -> result: an engine other than the local one;
#: with a folder it writes the partitioned Parquet output there
Runner = Callable[[Iterable[Any], ScanConfig, Progress | None, Path | None], ScanResult]
ENGINES = ("local", "spark")


def _runner(engine: str, spark: Any, master: str | None, partitions: int | None) -> Runner | None:
    """The runner of ``engine`` (None: the local engine), checked before anything is read."""
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "local":
        if spark is not None or master is not None or partitions is not None:
            raise ConfigError("spark, master and partitions are options of engine='spark'")
        return None
    from .engines.spark import check_partitions, require_pyspark, scan_spark

    require_pyspark()
    parts = 64 if partitions is None else partitions
    check_partitions(parts)

    def run(jobs: Iterable[Any], cfg: ScanConfig, progress: Progress | None,
            parquet_dir: Path | None) -> ScanResult:
        return scan_spark(jobs, cfg, spark=spark, master=master, partitions=parts, progress=progress,
                          parquet_dir=parquet_dir)
    return run


Reporter = Callable[[Path, ScanResult, dict[str, Any]], None]


def _reporter(out_dir: Path | None, sources: list[str], articles: list[Article] | None,
              fields: FieldMap | None, format: str | None, max_pairs: int | None) -> Reporter:
    """What ``report=True`` adds to a scan: checked now (before the scan), run on the staged
    results.  The texts are the articles given, or the input files read again."""
    from .report import DEFAULT_MAX_PAIRS, REPORT_DIR, check_max_pairs, report_into
    from .report.data import Results
    from .report.html import environment

    environment()  # jinja2 is there
    limit = DEFAULT_MAX_PAIRS if max_pairs is None else max_pairs
    check_max_pairs(limit)
    if out_dir is None:
        raise ConfigError("report=True needs out: the report is written into the results folder")
    if any(is_uri(s) for s in sources):
        raise ConfigError("--report reads the inputs again on this machine, which a URI input "
                          "cannot give: run copydesk report RESULTS --corpus FILE with a local copy")
    if "-" in sources:
        raise ConfigError("--report reads the inputs again for their texts, which standard "
                          "input cannot give: save it to a file first, or run copydesk report "
                          "RESULTS --corpus FILE afterwards")

    def write(stage: Path, result: ScanResult, run: dict[str, Any]) -> None:
        texts = articles if articles is not None else read_corpus(
            sources, rejects=RejectLog(), fields=fields, format=format)
        report_into(stage / REPORT_DIR, Results(result.pairs, result.families, run), texts,
                    where=", ".join(sources), max_pairs=limit,
                    inputs=[Path(s).name if s != "<articles>" else s for s in sources])
    return write


def _scan_into(out_dir: Path | None, jobs: Iterable[Any] | None, items: list[Any],
               cfg: ScanConfig, log: RejectLog, sources: list[str], t0: float, *,
               progress: Progress | None, parquet: bool,
               workdir: str | Path | None, reporter: Reporter | None = None,
               runner: Runner | None = None, partitioned: bool = False) -> ScanResult:
    with staged_dir(out_dir) if out_dir is not None else contextlib.nullcontext() as stage:
        try:
            if runner is not None:
                result = runner(jobs if jobs is not None else batched(items, cfg.batch_size), cfg, progress,
                                stage if partitioned else None)
            elif jobs is None:
                result = scan_articles(items, cfg, progress=progress, workdir=workdir)  # type: ignore[arg-type]
            else:
                result = scan_batches(jobs, cfg, progress=progress, workdir=workdir)
        except OSError as e:
            raise output_error(e, "scanning") from None
        for r in result.rejects:
            log.add(r)
        result.rejects = list(log)
        result.stats["skipped_records"] = log.skipped  # not articles by nature (a crawl's requests)
        result.timings["total"] = time.perf_counter() - t0
        if stage is not None:
            run = manifest(result, sources, log)
            try:
                write_results(stage, pairs=result.pairs, families=result.families,
                              rejects=result.rejects, manifest=run,
                              parquet=parquet, boilerplate=result.boilerplate,
                              report="report/index.html" if reporter is not None else None,
                              partitioned=partitioned)
                if reporter is not None:
                    reporter(stage, result, run)
            except OSError as e:
                raise output_error(e, f"writing the results to {out_dir}") from None
    return result


def manifest(result: ScanResult, sources: list[str], log: RejectLog) -> dict[str, Any]:
    """The ``run.json`` record of a scan: what ran, on what, with which parameters."""
    resolved = [x if x in ("-", "<articles>") or is_uri(x) else str(Path(x).resolve()) for x in sources]
    engine = result.stats.get("engine", "local")
    where: dict[str, Any] = {"master": result.stats.get("master"), "partitions": result.stats.get("partitions")} \
        if engine == "spark" else {"workers": result.config.workers}
    parts = result.stats.get("parquet_part_files")
    if parts is not None:  # --parquet --partitioned: folders of part files written by Spark
        where["parquet"] = {"layout": "partitioned", "part_files": parts}
    return {"tool": "copydesk", "version": __version__, "engine": engine, **{engine: where},
            "inputs": sources,
            "inputs_resolved": resolved,
            "tokenizer": tokenizer_info(result.config.prepare.segmenter),
            "config": result.config.to_dict(),
            "counts": {**result.summary(), "rejected_by_reason": log.by_reason(),
                       "skipped": log.skipped, "skipped_by_reason": log.skipped_by_reason()},
            "stats": result.stats,
            "timings_s": {k: round(v, 3) for k, v in result.timings.items()}}


def compare(a: Article, b: Article, config: ScanConfig | None = None) -> Pair:
    """Explain one pair.  Returns a :class:`Pair` (ids ordered ``a < b``) whose relation is
    ``"unrelated"`` when the shared text is not reuse (its passages are still given)."""
    cfg = config or ScanConfig()
    if cfg.prepare.segmenter == "icu":
        require_icu()
    if a.id == b.id:
        b = Article(b.id + " (2)", b.text, b.title, b.date, b.source, b.url, b.extra)
    if a.id > b.id:
        a, b = b, a
    pa, pb = prepare(a, cfg.prepare), prepare(b, cfg.prepare)
    al = align(pa, pb, cfg.align)
    pair = judge(pa, pb, al, a.text, b.text, cfg.relate, paraphrase=cfg.paraphrase, semantic=cfg.semantic)
    if isinstance(pair, Pair):
        return pair
    return Pair(a.id, b.id, "unrelated", None, al.coverage_a, al.coverage_b, al.passages,
                "template instances" if pair == "template" else None)


def compare_in_corpus(corpus: Sequence[str | Path], a: Article, b: Article,
                      config: ScanConfig | None = None) -> tuple[Pair, str]:
    """Explain one pair of a corpus with the scan's verdict: the corpus is scanned (its
    furniture learned, its candidates joined), and the pair is the scan's record when the
    scan found it.  Otherwise the pair is aligned with the corpus furniture masked and the
    returned note says why the scan left it out."""
    from .align import align_batch
    from .plan import mask_furniture
    from .prepare_batch import prepare_batch

    cfg = config or ScanConfig()
    result = scan(list(corpus), config=cfg)
    lo, hi = (a, b) if a.id < b.id else (b, a)
    for p in result.pairs:
        if p.a == lo.id and p.b == hi.id:
            return p, "as found by copydesk scan of the corpus"
    number = {x: n for n, x in enumerate(result.ids)}
    batch = prepare_batch([lo, hi], cfg.prepare)
    mask_furniture(batch, np.array([number[lo.id], number[hi.id]]), result.furniture)
    al = align_batch(batch, np.array([0]), np.array([1]), cfg.align)[0]
    verdict = judge(batch.prepared(0), batch.prepared(1), al, lo.text, hi.text, cfg.relate,
                    paraphrase=cfg.paraphrase)
    if isinstance(verdict, Pair):
        note = ("not found by the scan: the two share too few fingerprints outside furniture to "
                "be compared (see guaranteed_tokens in run.json)")
    elif verdict == "template":
        note = "not reuse: instances of one template (the same skeleton with other figures and names)"
    else:
        note = "not reuse: too little shared outside furniture, or one shared quotation"
    return Pair(lo.id, hi.id, "unrelated", None, al.coverage_a, al.coverage_b, al.passages), note


#: what ``compare`` of two articles alone cannot apply
CORPUS_RULES_NOTE = ("compared alone: corpus rules not applied (page furniture learned across a "
                     "corpus, links to other articles' headlines); use --corpus for the scan's verdict")
