"""Connected components of the related pairs as DataFrame operations, without collecting
the edges: large-star / small-star (Kiveris, Lattanzi, Mirrokni, Rastogi, Vassilvitskii,
"Connected Components in MapReduce and Beyond", SoCC 2014).  Each component is labelled by
its smallest member, as a union-find that always keeps the smaller root would label it.

Families are not connected components (copydesk.families merges groups only when enough of
the pairs across them are related, so that one weak link does not chain two stories), but a
family never spans two components: the components split the family work into independent
pieces (:func:`families_by_component`), each clustered by copydesk.families itself.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...config import FamilyConfig
from ...families import families as make_families
from ...records import Family, Pair


def _large_star(edges: Any) -> Any:
    """For each node u, link every neighbour larger than u to the smallest of u's closed
    neighbourhood."""
    from pyspark.sql import functions as F

    both = edges.union(edges.select(F.col("v").alias("u"), F.col("u").alias("v")))
    low = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
    return (both.join(low, "u").where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("u"), F.col("m").alias("v")).distinct())


def _small_star(edges: Any) -> Any:
    """For each node u, link u and its neighbours smaller than u to the smallest of them."""
    from pyspark.sql import functions as F

    down = edges.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v"))
    low = down.groupBy("u").agg(F.min("v").alias("m"))
    linked = down.join(low, "u")
    return (linked.where(F.col("v") != F.col("m")).select(F.col("v").alias("u"), F.col("m").alias("v"))
            .union(linked.select("u", F.col("m").alias("v"))).distinct())


def components(edges: Any, *, max_rounds: int = 64) -> Any:
    """(node, label) for every node of ``edges`` (a DataFrame of long columns u, v): the
    label is the smallest node of its connected component."""
    from pyspark.sql import functions as F

    current = edges.where(F.col("u") != F.col("v")).select("u", "v").distinct().localCheckpoint()
    for _ in range(max_rounds):
        nxt = _small_star(_large_star(current)).localCheckpoint()
        # converged when every edge joins a node to its component's smallest node: then both
        # stars give back the same edge set
        if nxt.exceptAll(current).isEmpty() and current.exceptAll(nxt).isEmpty():
            current = nxt
            break
        current = nxt
    else:  # pragma: no cover - O(log n) rounds in practice
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    star = current.select(F.greatest("u", "v").alias("node"), F.least("u", "v").alias("label"))
    roots = star.select(F.col("label").alias("node"), F.col("label")).distinct()
    return star.union(roots).distinct()


def pair_edges(spark: Any, pairs: Sequence[Pair], number: Mapping[str, int]) -> Any:
    """The related pairs as a DataFrame of article numbers (u, v)."""
    import pyarrow as pa

    u = np.fromiter((number[p.a] for p in pairs), np.int64, len(pairs))
    v = np.fromiter((number[p.b] for p in pairs), np.int64, len(pairs))
    return spark.createDataFrame(pa.table({"u": u, "v": v}))


def families_by_component(spark: Any, pairs: Sequence[Pair], ids: Sequence[str],
                          dates: Mapping[str, str | None], cfg: FamilyConfig) -> list[Family]:
    """:func:`copydesk.families.families` of ``pairs``, computed per connected component in
    the executors (clustering never joins two components, so the union is the same).  A
    round is several small jobs, so they run with few shuffle partitions (one per 100,000
    pairs)."""
    if not pairs:
        return []
    number = {x: n for n, x in enumerate(ids)}
    conf = spark.conf.get("spark.sql.shuffle.partitions")
    spark.conf.set("spark.sql.shuffle.partitions", str(max(1, min(int(conf), len(pairs) // 100_000 + 1))))
    try:
        return _families(spark, pairs, number, dates, cfg)
    finally:
        spark.conf.set("spark.sql.shuffle.partitions", conf)


def _families(spark: Any, pairs: Sequence[Pair], number: dict[str, int],
              dates: Mapping[str, str | None], cfg: FamilyConfig) -> list[Family]:
    import pyarrow as pa

    labels = components(pair_edges(spark, pairs, number))
    blobs = [pickle.dumps(p, protocol=5) for p in pairs]
    rows = spark.createDataFrame(pa.table({
        "u": pa.array([number[p.a] for p in pairs], pa.int64()),
        "at": pa.array(np.arange(len(pairs), dtype=np.int64)),
        "blob": pa.array(blobs, pa.binary())}))
    member_dates = {x: dates.get(x) for p in pairs for x in (p.a, p.b)}
    bc = spark.sparkContext.broadcast((member_dates, cfg))

    def cluster(table: Any) -> Any:
        got, config = bc.value
        order = np.argsort(table.column("at").to_numpy(), kind="stable")  # input order kept
        blobs = table.column("blob").to_pylist()
        fams = make_families([pickle.loads(blobs[i]) for i in order.tolist()], got, config)
        return pa.table({"blob": pa.array([pickle.dumps(f, protocol=5) for f in fams], pa.binary())})

    try:
        found = (rows.join(labels.withColumnRenamed("node", "u"), "u")
                 .groupBy("label").applyInArrow(cluster, "blob binary")).toArrow()
    finally:
        bc.unpersist()
    out = [pickle.loads(b) for b in found.column("blob").to_pylist()]
    return sorted(out, key=lambda f: f.family)


__all__ = ["components", "families_by_component", "pair_edges"]
