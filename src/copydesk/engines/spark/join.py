"""The candidate join on Spark: fingerprint rows regrouped by hash partition (the local
engine's :func:`copydesk.spill.hash_partition`), :func:`copydesk.plan.join_rows` per
partition, the pair rows regrouped by pair (``left % partitions``) and
:func:`copydesk.plan.pair_evidence` per group.  Both shuffles move packed arrays, one Spark
row per (source task, target group), as the local engine's spills do.  The candidate
evidence and big buckets are small and come back to the driver, which keeps the
candidates (:func:`copydesk.candidates.make_candidates`)."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...candidates import BigBuckets, Candidates, make_candidates
from ...config import ScanConfig
from ...furniture import CodeSet
from ...plan import join_rows, pair_evidence
from ...spill import group_order
from .memo import BroadcastMemo
from .prepare import FP_DTYPES, pack_rows, unpack_rows

JOIN_SCHEMA = "kind byte, q int, part int, blob binary"
EVIDENCE_SCHEMA = "kind byte, c long, n long, colo boolean, blob binary"
_PAIRS, _BOOKS = 0, 1
#: packed pair rows: pair code, left and right token positions
PAIR_DTYPES = (np.dtype(np.int64), np.dtype(np.uint32), np.dtype(np.uint32))


@dataclass(slots=True)
class JoinInputs:
    """What every join task needs (broadcast once): article number by slot, rank by
    article, the corpus furniture and the articles that have any."""

    slot_doc: np.ndarray
    rank: np.ndarray
    furniture: np.ndarray
    has_furniture: np.ndarray
    cfg: ScanConfig
    parts: int


def _build(ji: JoinInputs) -> tuple[JoinInputs, CodeSet]:
    return ji, CodeSet(ji.furniture)


#: the broadcast inputs, with the furniture CodeSet built once per Python worker
_inputs = BroadcastMemo(_build)


def _in_job_order(table: Any) -> list[bytes]:
    order = np.argsort(table.column("job").to_numpy(), kind="stable")
    blobs = table.column("blob").to_pylist()
    return [blobs[i] for i in order.tolist()]


def join_partition(table: Any, bc: Any) -> Any:
    """applyInArrow body: the packed fingerprint rows of one hash partition (one Spark row
    per input batch) → packed pair rows, one Spark row per regrouping key ``q``, and one
    books row (big buckets, counts)."""
    import pyarrow as pa

    ji, furniture = _inputs(bc)
    part = int(table.column("part")[0].as_py())
    h, slot, pos, key = unpack_rows(_in_job_order(table), FP_DTYPES)
    doc = ji.slot_doc[slot]
    codes, pl, pr, big, nrows = join_rows(h, doc, pos, key, ji.rank, furniture, ji.has_furniture, ji.cfg)
    order, bounds = group_order((codes >> 32) % ji.parts, ji.parts)
    cols = (codes[order], pl[order], pr[order])
    full = np.flatnonzero(np.diff(bounds)).tolist()
    blobs = [pack_rows(*(c[bounds[q]:bounds[q + 1]] for c in cols)) for q in full]
    blobs.append(pickle.dumps((big, len(codes), nrows), protocol=5))
    n = len(full)
    return pa.table({"kind": pa.array([_PAIRS] * n + [_BOOKS], pa.int8()),
                     "q": pa.array(full + [-1], pa.int32()),
                     "part": pa.array([part] * (n + 1), pa.int32()),
                     "blob": pa.array(blobs, pa.binary())})


def evidence_group(table: Any, bc: Any) -> Any:
    """applyInArrow body: the packed pair rows of one regrouping key → candidate evidence
    (codes, shared fingerprints, co-located?); the books rows pass through."""
    import pyarrow as pa

    ji, _ = _inputs(bc)
    kind = table.column("kind").to_numpy()
    order = np.argsort(table.column("part").to_numpy(), kind="stable")
    blobs = table.column("blob").to_pylist()
    books = [blobs[i] for i in order.tolist() if kind[i] == _BOOKS]
    c, left, right = unpack_rows([blobs[i] for i in order.tolist() if kind[i] == _PAIRS], PAIR_DTYPES)
    if len(c):
        codes, counts, colo = pair_evidence(c, left, right, ji.cfg)
    else:
        codes, counts, colo = np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.bool_)
    n, m = len(codes), len(books)
    return pa.table({"kind": pa.array(np.r_[np.zeros(n, np.int8), np.ones(m, np.int8)].astype(np.int8)),
                     "c": pa.array(np.r_[codes, np.zeros(m, np.int64)].astype(np.int64)),
                     "n": pa.array(np.r_[counts, np.zeros(m, np.int64)].astype(np.int64)),
                     "colo": pa.array(np.r_[colo, np.zeros(m, np.bool_)].astype(np.bool_)),
                     "blob": pa.array([None] * n + books, pa.binary())})


def candidate_join(spark: Any, fingerprints: Any, ji: JoinInputs,
                   doc_fps: np.ndarray) -> tuple[Candidates, int, int]:
    """The candidates of the packed fingerprint rows (a DataFrame of part, job, blob), and
    the numbers of (pair, shared fingerprint) rows and of fingerprint rows joined."""
    bc = spark.sparkContext.broadcast(ji)
    try:
        joined = (fingerprints.repartition(ji.parts, "part").groupBy("part")
                  .applyInArrow(lambda t: join_partition(t, bc), JOIN_SCHEMA))
        found = (joined.repartition(ji.parts, "q").groupBy("q")
                 .applyInArrow(lambda t: evidence_group(t, bc), EVIDENCE_SCHEMA)).toArrow()
    finally:
        bc.unpersist()
    kind = found.column("kind").to_numpy()
    ev = kind == 0
    codes = found.column("c").to_numpy()[ev]
    counts = found.column("n").to_numpy()[ev]
    colo = found.column("colo").to_numpy(zero_copy_only=False)[ev]
    order = np.argsort(codes, kind="stable")  # the same evidence, whatever the partitioning
    big: list[BigBuckets] = []
    pair_rows = nrows = 0
    for blob in found.column("blob").to_pylist():
        if blob is None:
            continue
        b, n, r = pickle.loads(blob)
        if b is not None:
            big.append(b)
        pair_rows += n
        nrows += r
    cands = make_candidates(codes[order], counts[order], colo[order].astype(np.bool_),
                            BigBuckets.merge(big), ji.cfg.candidates, doc_fps)
    return cands, pair_rows, nrows
