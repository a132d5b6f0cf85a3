"""The Spark engine: the stage plan (:mod:`copydesk.plan`) run as Spark jobs, so that a
cluster gives exactly the local engine's answers.

1. **pass 1** (:mod:`.prepare`) — the input batches are parsed, prepared and fingerprinted
   by the executors; the driver numbers the articles in input order (repeated ids rejected
   as locally); the line rows stay in Spark, whose aggregations select the few the corpus
   furniture rules can need (:mod:`.furniture`); the driver learns from those with
   :func:`copydesk.plan.learn_furniture`.
2. **candidate join** (:mod:`.join`) — two shuffles: fingerprint rows by hash partition,
   pair rows by pair; the candidates come back to the driver.
3. **align** (:mod:`.align`) — a Spark job per round of :func:`copydesk.plan.relate_and_group`.
4. **families** — the connected components of the related pairs as DataFrame operations
   (large-star/small-star, :mod:`.components`), then copydesk's density-checked clustering
   per component in the executors; the family completion round on the driver.

pyspark is an optional extra (``pip install 'copydesk[spark]'``), imported only when this
engine runs.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ...config import ScanConfig
from ...furniture import Furniture
from ...plan import (
    Progress,
    ScanResult,
    date_counts,
    furniture_records,
    id_rank,
    learn_furniture,
    relate_and_group,
    semantic_candidates,
)
from ...read.remote import Remote
from ..local import Corpus
from .inputs import Read, read_inputs
from .session import ShuffleMeter, check_partitions, new_session, require_pyspark

__all__ = ["check_partitions", "new_session", "require_pyspark", "scan_spark"]


def scan_spark(jobs: Iterable[Any], config: ScanConfig | None = None, *, spark: Any = None,
               master: str | None = None, partitions: int = 64,
               progress: Progress | None = None, parquet_dir: Path | None = None) -> ScanResult:
    """Find all reuse among the input batches ``jobs`` (as
    :func:`copydesk.read.read_batches` gives them, or lists of articles) with Spark:
    ``spark`` is the session to use (else the active one, else one is made for ``master``,
    default ``local[*]``, and stopped at the end); ``partitions`` (a power of two) hash partitions of the join.
    With ``parquet_dir`` the executors write the pairs and families there as folders of
    Parquet part files (:mod:`.output`)."""
    require_pyspark()
    check_partitions(partitions)
    cfg = config or ScanConfig()
    own = False
    if spark is None:
        from pyspark.sql import SparkSession

        spark = SparkSession.getActiveSession()  # e.g. made by spark-submit's script
        if spark is None:
            spark, own = new_session(master, partitions=partitions), True
    try:
        result = _scan(spark, jobs, cfg, partitions, progress)
        if parquet_dir is not None:
            from .output import write_partitioned

            t = time.perf_counter()
            result.stats["parquet_part_files"] = write_partitioned(spark, parquet_dir, result.pairs,
                                                                   result.families)
            result.timings["write_partitioned"] = time.perf_counter() - t
        return result
    finally:
        if own:
            spark.stop()


def _scan(spark: Any, jobs: Iterable[Any], cfg: ScanConfig, parts: int,
          progress: Progress | None) -> ScanResult:
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from .align import SparkAligner, article_of, fetch_articles
    from .components import families_by_component
    from .join import JoinInputs, candidate_join
    from .prepare import (
        ARTICLES,
        BOOKS,
        FINGERPRINTS,
        PASS1_SCHEMA,
        fill_duplicates,
        number_articles,
        pass1,
    )

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    sc = spark.sparkContext
    meter = ShuffleMeter(spark)
    inputs, read = input_frame(spark, jobs, cfg.batch_size)
    timings["read"] = time.perf_counter() - t0
    rows = inputs.mapInArrow(lambda it: pass1(it, cfg, parts), PASS1_SCHEMA)
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        books = rows.where(F.col("kind") == BOOKS).select("job", "blob").toArrow()
        if read is not None:
            read.release()  # pass 1's rows are cached: the batches read are no longer needed
        got = sorted(zip(books.column("job").to_pylist(), books.column("blob").to_pylist(), strict=True))
        timings["pass1_jobs"] = time.perf_counter() - t0  # executors: parse, prepare, fingerprint
        numbered = number_articles([(j, pickle.loads(b)) for j, b in got], cfg.batch_size)
        timings["numbering"] = time.perf_counter() - t0 - timings["pass1_jobs"]  # driver
        del books, got
        articles = rows.where(F.col("kind") == ARTICLES).select("slot", "p", "blob")
        if numbered.pending:
            raw = fetch_articles(articles, (p[1] for p in numbered.pending))
            from ...spill import stored_text
            fill_duplicates(numbered, {s: stored_text(b, k) for s, (k, b) in raw.items()})
        corpus, slot_doc = numbered.corpus, numbered.slot_doc
        timings["prepare"] = time.perf_counter() - t0
        meter.mark("read_and_pass1")
        if progress:
            progress("prepare", len(corpus.ids), len(corpus.ids))

        t = time.perf_counter()
        furniture, furniture_counts = learn_on_spark(spark, rows, corpus, slot_doc, cfg)
        meter.mark("furniture")
        common = furniture.codes
        has = np.zeros(len(corpus.ids) + 1, np.bool_)
        has[furniture.docs] = True
        doc_fps = np.concatenate([np.zeros(0, np.int64), *corpus.doc_fps]).astype(np.int64)
        timings["furniture"] = time.perf_counter() - t
        t = time.perf_counter()
        fps = rows.where(F.col("kind") == FINGERPRINTS).select("part", "job", "blob")
        ji = JoinInputs(slot_doc, id_rank(corpus.ids), common, has, cfg, parts)
        cands, pair_rows, nfps = candidate_join(spark, fps, ji, doc_fps)
        meter.mark("candidate_join")
        codes = (cands.left << 32) | cands.right
        timings["candidates"] = time.perf_counter() - t
        semantic = np.zeros(0, np.int64)
        if cfg.semantic.enabled and corpus.vectors:  # nearest neighbours, on the driver
            t = time.perf_counter()
            semantic = semantic_candidates(np.concatenate(corpus.vectors), np.concatenate(corpus.doc_site),
                                           ji.rank, codes, cfg)
            codes = np.union1d(codes, semantic)
            timings["semantic_candidates"] = time.perf_counter() - t
        if progress:
            progress("join", 1, 1)

        doc_slot = np.flatnonzero(slot_doc >= 0)
        examples = [int(x) for x in furniture.example_doc] + [int(r[0]) for r in furniture.link_records]
        stored = fetch_articles(articles, (int(doc_slot[d]) for d in examples))
        boilerplate = furniture_records(furniture, lambda n: article_of(stored[int(doc_slot[n])], n))

        t = time.perf_counter()
        spent: dict[str, float] = {}
        aligner = SparkAligner(spark, articles, doc_slot, common, cfg, parts, semantic)

        def timed(some: np.ndarray, stage: str) -> list:
            t1 = time.perf_counter()
            out = aligner(some, stage)
            spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - t1
            if progress:
                progress(stage, len(some), len(some))
            return out

        def group(pairs: list, dates: dict, fc: Any) -> list:
            t1 = time.perf_counter()
            out = families_by_component(spark, pairs, corpus.ids, dates, fc)
            spent["components"] = time.perf_counter() - t1
            return out

        meter.mark("furniture_examples_and_semantic")
        related = relate_and_group(codes, cands, corpus.ids, corpus.dates, timed, cfg, group, reworded=semantic)
        meter.mark("align_and_families")
    finally:
        rows.unpersist()
    timings["align"] = spent.get("align", 0.0) + spent.get("align+", 0.0)
    timings["families"] = time.perf_counter() - t - timings["align"]
    timings["families_components"] = spent.get("components", 0.0)
    for stage in ("align", "align+", "families"):
        timings[f"round_{stage}"] = spent.get(stage, 0.0)
    timings["total"] = time.perf_counter() - t0
    pairs, fams = related.pairs, related.families
    stats = {"articles": len(corpus.ids), "tokens": corpus.tokens, "fingerprints": nfps,
             "shared_fingerprint_pairs": pair_rows,
             "furniture_lines": len(furniture), "furniture_masked": int(len(common)),
             "link_lines_masked": furniture.links, "candidates": int(len(codes)),
             "candidates_second_round": related.second_round, "family_completion": related.completion,
             "big_buckets": len(cands.big_buckets), "semantic_candidates": int(len(semantic)),
             "template_pairs_set_aside": aligner.templates, **furniture_counts,
             **date_counts(corpus.dates),
             "pairs": len(pairs), "families": len(fams),
             "engine": "spark", "master": sc.master, "partitions": parts,
             "default_parallelism": sc.defaultParallelism, "spark_version": spark.version,
             "cpu_count": os.cpu_count(),
             "shuffle_write_bytes": meter.by_phase}  # empty if Spark's status store is not there
    rejects = (read.rejects if read is not None else []) + corpus.rejects  # read first, as locally
    return ScanResult(pairs, fams, rejects, stats, timings, cfg, boilerplate,
                      ids=corpus.ids, furniture=common)


def learn_on_spark(spark: Any, rows: Any, corpus: Corpus, slot_doc: np.ndarray,
                   cfg: ScanConfig) -> tuple[Furniture, dict[str, int]]:
    """The corpus furniture: Spark selects the line rows the rules can need (:mod:`.furniture`),
    the driver learns from them with :func:`copydesk.plan.learn_furniture`, as locally; and
    how many line rows there are and how many were collected."""
    from .furniture import collect_rows

    e = np.zeros(0, np.int64)
    titles = (np.concatenate([e.astype(np.uint64), *(t[0] for t in corpus.titles)]),
              np.concatenate([e, *(t[1] for t in corpus.titles)]))
    doc_site = np.concatenate([e.astype(np.int32), *corpus.doc_site])
    got = collect_rows(spark, rows, slot_doc, doc_site, titles, cfg.prepare.furniture)
    links = got.links if corpus.titles else None  # (no batches: as the local engine)
    furniture = learn_furniture(got.rows, links, titles, cfg, rank=id_rank(corpus.ids), link_rows=got.link_rows)
    corpus.titles = []
    return furniture, got.counts


def input_frame(spark: Any, jobs: Iterable[Any], size: int) -> tuple[Any, Read | None]:
    """The input batches as a DataFrame (job, pickled batch), numbered in input order: the
    batches the driver read (local files) and those Spark reads from the URIs of the
    :class:`~copydesk.read.remote.Remote` entries of ``jobs`` (:mod:`.inputs`)."""
    from pyspark.sql import functions as F

    entries = [job if isinstance(job, Remote) else pickle.dumps(job, protocol=5) for job in jobs]
    remotes = [e for e in entries if isinstance(e, Remote)]
    read = read_inputs(spark, remotes, size) if remotes else None
    payload: list[tuple[int, bytes]] = []
    numbers: list[tuple[int, int, int]] = []  # file, seq -> job
    inputs = iter(read.by_input) if read is not None else iter(())
    for entry in entries:
        if isinstance(entry, Remote):
            for file in next(inputs):
                numbers += [(file, seq, len(payload) + len(numbers) + k) for k, seq in enumerate(range(read.batches[file]))]
        else:
            payload.append((len(payload) + len(numbers), entry))
    sc = spark.sparkContext
    frame = spark.createDataFrame(sc.parallelize(payload, max(1, len(payload))), "job int, payload binary")
    if numbers:
        assert read is not None
        number = spark.createDataFrame(numbers, "file int, seq int, job int")
        remote = (read.jobs().join(F.broadcast(number), ["file", "seq"])
                  .select("job", F.col("blob").alias("payload")).repartition(len(numbers), "job"))
        frame = remote if not payload else frame.unionByName(remote)
    return frame, read
