"""Alignment on Spark: the candidate pairs of a round, in the local engine's chunks
(connected components together, :func:`copydesk.join_kernel.component_order`), are joined
with the stored articles they name and each chunk is aligned and related in an executor
(:func:`copydesk.plan.align_pairs`).  The related pairs come back in chunk order, as the
local engine's pool returns them."""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from typing import Any

import numpy as np

from ...config import ScanConfig
from ...furniture import CodeSet
from ...join_kernel import component_order
from ...plan import align_pairs
from ...records import Article, Pair
from ...spill import stored_article
from .memo import BroadcastMemo

ALIGN_SCHEMA = "chunk int, blob binary"
#: pairs per chunk, as the local engine's align pass
CHUNK = 500

def _build(value: Any) -> tuple[list[np.ndarray], CodeSet, ScanConfig, CodeSet]:
    chunks, furniture, cfg, reworded = value
    return chunks, CodeSet(furniture), cfg, CodeSet(reworded)


#: the broadcast inputs, with the CodeSets built once per Python worker and round
_inputs = BroadcastMemo(_build)


def align_chunk(table: Any, bc: Any) -> Any:
    """applyInArrow body: one chunk's articles (chunk, doc, encoding, stored record) → its
    related pairs and template count, pickled."""
    import pyarrow as pa

    chunks, furniture, cfg, reworded = _inputs(bc)
    chunk = int(table.column("chunk")[0].as_py())
    docs = table.column("doc").to_numpy()
    kinds = table.column("p").to_numpy()
    blobs = table.column("blob").to_pylist()
    order = np.argsort(docs, kind="stable")
    arts = [stored_article(blobs[i], int(kinds[i]), int(docs[i])) for i in order.tolist()]
    pairs, templates = align_pairs(arts, docs[order], chunks[chunk], furniture, cfg, reworded)
    return pa.table({"chunk": pa.array([chunk], pa.int32()),
                     "blob": pa.array([pickle.dumps((pairs, templates), protocol=5)], pa.binary())})


class SparkAligner:
    """``align(codes, stage)`` for :func:`copydesk.plan.relate_and_group`: a Spark job per
    round over the stored articles (a DataFrame of slot, p, blob)."""

    def __init__(self, spark: Any, articles: Any, doc_slot: np.ndarray, furniture: np.ndarray,
                 cfg: ScanConfig, parts: int, reworded: np.ndarray | None = None) -> None:
        self.spark, self.articles, self.doc_slot = spark, articles, doc_slot
        self.furniture, self.cfg, self.parts = furniture, cfg, parts
        #: codes only the semantic stage proposed (see :func:`copydesk.plan.align_pairs`)
        self.reworded = reworded if reworded is not None else np.zeros(0, np.int64)
        self.templates = 0

    def __call__(self, codes: np.ndarray, stage: str) -> list[Pair]:
        from pyspark.sql import functions as F

        if not len(codes):
            return []
        codes = component_order(codes)
        chunks = np.array_split(codes, max(1, len(codes) // CHUNK))
        rows = []
        for n, chunk in enumerate(chunks):
            docs = np.unique(np.concatenate((chunk >> 32, chunk & 0xFFFFFFFF)))
            rows.append(np.stack((np.full(len(docs), n), docs, self.doc_slot[docs]), axis=1))
        table = np.concatenate(rows)
        wanted = self.spark.createDataFrame(_frame(table), "chunk int, doc long, slot long")
        # only the first round judges the semantic stage's own candidates as reworded reuse
        reworded = self.reworded if stage == "align" else np.zeros(0, np.int64)
        bc = self.spark.sparkContext.broadcast((chunks, self.furniture, self.cfg, reworded))
        try:
            found = (F.broadcast(wanted).join(self.articles, "slot")
                     .repartition(min(len(chunks), 4 * self.parts), "chunk")
                     .groupBy("chunk").applyInArrow(lambda t: align_chunk(t, bc), ALIGN_SCHEMA)
                     ).toArrow()
        finally:
            bc.unpersist()
        got = sorted(zip(found.column("chunk").to_pylist(), found.column("blob").to_pylist(), strict=True))
        out: list[Pair] = []
        for _, blob in got:
            pairs, templates = pickle.loads(blob)
            out.extend(pairs)
            self.templates += len(templates)
        return out


def _frame(table: np.ndarray) -> Any:
    import pyarrow as pa

    return pa.table({"chunk": pa.array(table[:, 0].astype(np.int32)), "doc": pa.array(table[:, 1]),
                     "slot": pa.array(table[:, 2])})


def fetch_articles(articles: Any, slots: Iterable[int]) -> dict[int, tuple[int, bytes]]:
    """(encoding, stored record) of a few articles, by slot."""
    from pyspark.sql import functions as F

    want = sorted(set(int(s) for s in slots))
    if not want:
        return {}
    rows = articles.where(F.col("slot").isin(want)).select("slot", "p", "blob").toArrow()
    return {s: (p, bytes(b)) for s, p, b in zip(rows.column("slot").to_pylist(), rows.column("p").to_pylist(),
                                                rows.column("blob").to_pylist(), strict=True)}


def article_of(stored: tuple[int, bytes], n: int) -> Article:
    return stored_article(stored[1], stored[0], n)
