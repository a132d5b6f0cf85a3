"""Corpus furniture on Spark: the line rows stay on the executors after pass 1, and
DataFrame aggregations select the few the rules can need (:mod:`copydesk.furniture_rows`
states the selection in numpy; the thresholds are the same functions of
:mod:`copydesk.furniture`, applied here to Spark columns):

- per line key: carriers, carriers of no known site, most carriers of one site → the lines
  the rule judges (:func:`~copydesk.furniture.judged`) and those exactly two articles of one
  site carry (:func:`~copydesk.furniture.pair_of_a_site`);
- per first / last words of short lines: rows and distinct lines → the groups the pass by
  ends judges (:func:`~copydesk.furniture.variant_group`);
- the rows of every article carrying one of those, and one more row of each line only two
  of those articles carry while more do;
- link candidates whose cut keys are headlines, the rows of the articles bearing those
  headlines, and the row below each such link.

Only those rows come to the driver, which runs the unchanged rule
(:func:`copydesk.plan.learn_furniture`) on them: the answer is the one all rows give.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np

from ...config import FurnitureConfig
from ...furniture import end_groups, judged, pair_of_a_site, short_line, variant_group
from .prepare import LINE_DTYPES, LINES, LINK_DTYPES, LINKS, unpack_rows

MARKS = tuple(f"m{j}" for j in range(6))  #: the 4 marks, then 2 figure hashes
SUBS = tuple(f"s{j}" for j in range(9))
#: a line row, article-numbered (keys and end groups: uint64 as long, same bits)
LINE_SCHEMA = ("doc int, site int, key long, " + ", ".join(f"{m} long" for m in MARKS)
               + ", weight int, line int, e0 long, e1 long")
LINK_SCHEMA = "doc int, line int, key long, " + ", ".join(f"{s} long" for s in SUBS)
_ROW = ["doc", "site", "key", *MARKS, "weight", "line"]


def _numbered(batches: Iterator[Any], bc: Any, links: bool) -> Iterator[Any]:
    """mapInArrow body: packed rows by slot → one Arrow row per line row (or link
    candidate) of a numbered article (``bc``: article by slot, site by article)."""
    import pyarrow as pa

    slot_doc, doc_site = bc.value
    for rb in batches:
        cols = unpack_rows(rb.column(0).to_pylist(), LINK_DTYPES if links else LINE_DTYPES)
        doc = slot_doc[cols[0]]
        ok = doc >= 0
        doc, cols = doc[ok].astype(np.int32), [c[ok] for c in cols[1:]]
        if links:
            line, key, *subs = cols
            out = {"doc": doc, "line": line, "key": key.view(np.int64),
                   **{s: c.view(np.int64) for s, c in zip(SUBS, subs, strict=True)}}
        else:
            key, *marks, weight, line = cols
            stacked = np.stack(marks, 1) if len(key) else np.zeros((0, len(MARKS)), np.uint32)
            out = {"doc": doc, "site": doc_site[doc].astype(np.int32), "key": key.view(np.int64),
                   **{m: c.astype(np.int64) for m, c in zip(MARKS, marks, strict=True)},
                   "weight": weight, "line": line,
                   "e0": end_groups(stacked, 0).view(np.int64), "e1": end_groups(stacked, 1).view(np.int64)}
        yield pa.RecordBatch.from_pydict(out)


def _site_stats(frame: Any, by: str) -> Any:
    """Per value of ``by``: rows (``size``), rows of no known site, most rows of one site."""
    from pyspark.sql import functions as F

    n = F.col("count")
    return (frame.groupBy(by, "site").count().groupBy(by)
            .agg(F.sum(n).alias("size"), F.sum(F.when(F.col("site") < 0, n).otherwise(0)).alias("unknown"),
                 F.coalesce(F.max(F.when(F.col("site") >= 0, n)), F.lit(0)).alias("best_site")))


def carriers_of(lines: Any, fc: FurnitureConfig) -> tuple[Any, Any, list[Any]]:
    """(per-key counts, the articles carrying a line some pass of the rule judges, the keys
    whose every carrier the pass by ends needs too)."""
    from pyspark.sql import functions as F

    size, unknown, best = F.col("size"), F.col("unknown"), F.col("best_site")
    per_key = _site_stats(lines, "key")
    picked = per_key.where(judged(unknown, best, fc) | pair_of_a_site(size, best)).select("key")
    docs = [lines.join(picked, "key", "left_semi").select("doc")]
    keys = []
    short = lines if fc.by_ends else lines.where(short_line(F.col("weight")))
    for end in ("e0", "e1"):
        if fc.by_ends:
            groups = _site_stats(short, end).where(judged(unknown, best, fc))
        else:
            groups = (short.groupBy(end).agg(F.count(F.lit(1)).alias("size"), F.countDistinct("key").alias("keys"))
                      .where(variant_group(size, F.col("keys"), fc)))
        hit = short.join(groups.select(end), end, "left_semi")
        docs.append(hit.select("doc"))
        if fc.by_ends:  # that pass counts a masked line's carriers among all rows
            keys.append(hit.select("key"))
    carriers = reduce(lambda a, b: a.unionByName(b), docs).distinct()
    return per_key, carriers, keys


def needed_rows(lines: Any, fc: FurnitureConfig, found: tuple[Any, Any, list[Any]] | None = None) -> Any:
    """The line rows :func:`copydesk.furniture.learn` needs (as
    :func:`copydesk.furniture_rows.learn_rows`); ``found``: :func:`carriers_of` already
    computed."""
    from pyspark.sql import functions as F

    per_key, carriers, keys = found if found is not None else carriers_of(lines, fc)
    size = F.col("size")
    rows = lines.join(F.broadcast(carriers), "doc", "left_semi")
    if keys:
        rows = rows.unionByName(lines.join(reduce(lambda a, b: a.unionByName(b), keys).distinct(), "key",
                                           "left_semi")).dropDuplicates(["doc", "key"])
    # a line only two of these carry, while more do: one more of its rows (the first article)
    two = (rows.groupBy("key").count().where(F.col("count") == 2).select("key")
           .join(per_key.where(size > 2).select("key"), "key", "left_semi"))
    more = (lines.join(two, "key", "left_semi").join(rows.select("doc", "key"), ["doc", "key"], "left_anti")
            .groupBy("key").agg(F.min("doc").alias("doc")))
    return rows.unionByName(lines.join(more, ["key", "doc"], "left_semi"))


def link_needs(spark: Any, lines: Any, links: Any, titles: tuple[np.ndarray, np.ndarray]) -> tuple[Any, Any]:
    """The line rows and the link candidates :func:`copydesk.furniture.link_lines` needs (as
    :func:`copydesk.furniture_rows.link_rows`)."""
    import pyarrow as pa
    from pyspark.sql import functions as F

    heads = spark.createDataFrame(pa.table({"hkey": np.asarray(titles[0], np.uint64).view(np.int64),
                                            "doc": np.asarray(titles[1], np.int32)}))
    cut = links.select("doc", "line", F.explode(F.array(*SUBS)).alias("hkey")).where(F.col("hkey") != 0)
    hits = cut.join(heads.select("hkey").distinct(), "hkey", "left_semi")
    linked = hits.select("doc", "line").distinct()
    bearing = heads.join(hits.select("hkey").distinct(), "hkey", "left_semi").select("doc")
    below = linked.select("doc", (F.col("line") + 1).alias("line"))
    rows = (lines.join(bearing, "doc", "left_semi")
            .unionByName(lines.join(below, ["doc", "line"], "left_semi")).dropDuplicates(["doc", "key"]))
    return rows, links.join(linked, ["doc", "line"], "left_semi")


#: a corpus with at most this many line rows sends them all to the driver, without the
#: selection's aggregations: the local engine holds every row too, and a few million rows
#: (about 60 bytes each in Arrow) are well inside a driver's result size.  The selection is
#: for archives whose rows would crowd the driver.
DRIVER_ROWS = 5_000_000
#: when the articles carrying a judged line are this share of all, every row is collected
MOST = 0.8


@dataclass(slots=True)
class FurnitureRows:
    """What the driver gets: the rows learn needs, the rows and links link_lines needs (as
    :func:`copydesk.plan.learn_furniture` takes them), and the counts of rows collected."""

    rows: tuple[np.ndarray, ...]
    links: tuple[np.ndarray, ...]
    link_rows: tuple[np.ndarray, ...]
    counts: dict[str, int]


def collect_rows(spark: Any, pass1: Any, slot_doc: np.ndarray, doc_site: np.ndarray,
                 titles: tuple[np.ndarray, np.ndarray], fc: FurnitureConfig) -> FurnitureRows:
    """Number the line rows and link candidates of pass 1 (``pass1``: its rows, kept in
    Spark), select what the rules need and bring it to the driver."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    bc = spark.sparkContext.broadcast((slot_doc, doc_site))
    lines = (pass1.where(F.col("kind") == LINES).select("blob")
             .mapInArrow(lambda it: _numbered(it, bc, False), LINE_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK))
    links = (pass1.where(F.col("kind") == LINKS).select("blob")
             .mapInArrow(lambda it: _numbered(it, bc, True), LINK_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK))
    found: tuple[Any, Any, list[Any]] | None = None
    try:
        few = lines.count() <= DRIVER_ROWS
        if not few:
            per_key, carriers, keys = carriers_of(lines, fc)
            carriers = carriers.persist(StorageLevel.MEMORY_AND_DISK)
            found = (per_key, carriers, keys)
        if few or carriers.count() >= MOST * max(1, len(doc_site)):
            # few rows, or nearly every article's rows are needed (web pages all carry their
            # site's furniture): take them all, without the selection's joins; same answer
            got, linked = lines.toArrow(), links.toArrow()
            counts = {"furniture_line_rows": got.num_rows, "furniture_rows_collected": got.num_rows,
                      "link_candidates": linked.num_rows, "link_candidates_collected": linked.num_rows}
            cols = _line_arrays(got)[:-1]
            return FurnitureRows(cols, _link_arrays(linked), cols, counts)
        learn = needed_rows(lines, fc, found).select(*_ROW, F.lit(True).alias("learn"), F.lit(False).alias("link"))
        for_links, wanted = link_needs(spark, lines, links, titles) if fc.links else (lines.limit(0), links.limit(0))
        both = (learn.unionByName(for_links.select(*_ROW, F.lit(False).alias("learn"), F.lit(True).alias("link")))
                .groupBy(*_ROW).agg(F.max("learn").alias("learn"), F.max("link").alias("link")))
        got = both.toArrow()
        linked = wanted.toArrow()
        counts = {"furniture_line_rows": lines.count(), "furniture_rows_collected": got.num_rows,
                  "link_candidates": links.count(), "link_candidates_collected": linked.num_rows}
    finally:
        if found is not None:
            found[1].unpersist()
        lines.unpersist()
        links.unpersist()
        bc.unpersist()
    rows = _line_arrays(got)
    learn_mask = got.column("learn").to_numpy(zero_copy_only=False)[rows[-1]]
    link_mask = got.column("link").to_numpy(zero_copy_only=False)[rows[-1]]
    cols = rows[:-1]
    return FurnitureRows(tuple(c[learn_mask] for c in cols), _link_arrays(linked),
                         tuple(c[link_mask] for c in cols), counts)


def _line_arrays(table: Any) -> tuple[np.ndarray, ...]:
    """(key, marks, article, site, weight, line) as the local engine keeps them, by
    article and key (whatever the partitioning), and that order last."""
    col = {n: table.column(n).to_numpy() for n in _ROW}
    key = col["key"].astype(np.int64).view(np.uint64)
    doc = col["doc"].astype(np.int32)
    order = np.lexsort((key, doc))
    marks = np.stack([col[m] for m in MARKS], 1).astype(np.uint32).reshape(-1, len(MARKS))
    return (key[order], marks[order], doc[order], col["site"].astype(np.int32)[order],
            col["weight"].astype(np.int32)[order], col["line"].astype(np.int32)[order], order)


def _link_arrays(table: Any) -> tuple[np.ndarray, ...]:
    """(article, line, key, cut keys n x 9) by article and line."""
    doc = table.column("doc").to_numpy().astype(np.int64)
    line = table.column("line").to_numpy().astype(np.int32)
    order = np.lexsort((line, doc))
    key = table.column("key").to_numpy().astype(np.int64).view(np.uint64)
    subs = np.stack([table.column(s).to_numpy().astype(np.int64) for s in SUBS], 1).reshape(-1, 9).view(np.uint64)
    return doc[order], line[order], key[order], subs[order]
