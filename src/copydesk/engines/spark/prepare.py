"""Pass 1 on Spark: the input batches (as :func:`copydesk.read.read_batches` gives them: byte
spans of JSON Lines files, which the executors read themselves, or blocks of records) are
parsed, prepared and fingerprinted by the executors (:func:`copydesk.plan.fingerprint_rows`),
one Spark row set per batch; the driver then numbers the articles in input order, rejecting
repeated ids exactly as the local engine does (:func:`number_articles`).

The rows of pass 1 share one Arrow schema, told apart by ``kind``: a batch's books (ids,
dates, rejects, headlines: small, collected), its line rows and link candidates (packed, they
stay in Spark for the furniture aggregations of :mod:`.furniture`), its fingerprint rows (one Spark row per hash
partition holding that partition's rows of the batch as packed arrays — hash, slot, token
position, line key —, which stay on the executors for the join: Spark shuffles a few large
values instead of millions of small rows) and its articles as stored records (slot,
encoding, bytes: read again by the align jobs).  A slot is
``batch number * batch_size + index in the batch``, as in the local engine's spills.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...config import ScanConfig
from ...plan import fingerprint_rows, site_of
from ...read import ArticleBatch, duplicate
from ...read.html import PageBlock
from ...read.jsonl import LineBlock, block_articles
from ...records import Article, Reject
from ...spill import JSON_LINE, PACKED, group_order, hash_partition, pack
from ..local import Corpus

BOOKS, FINGERPRINTS, ARTICLES, LINES, LINKS = 0, 1, 2, 3, 4

#: packed line rows (:func:`copydesk.prepare_batch.line_rows`): slot, key, 6 marks (4, then 2 of its figures), weight, line
LINE_DTYPES = (np.dtype(np.int64), np.dtype(np.uint64), *[np.dtype(np.uint32)] * 6, np.dtype(np.int32),
               np.dtype(np.int32))
#: packed link candidates: slot, line, key, 9 cut keys
LINK_DTYPES = (np.dtype(np.int64), np.dtype(np.int32), np.dtype(np.uint64), *[np.dtype(np.uint64)] * 9)

#: the columns of pass 1 (Spark DDL)
PASS1_SCHEMA = "kind byte, job int, part int, slot long, p int, blob binary"


@dataclass(slots=True)
class Books:
    """What the driver needs of one batch: as the local engine's ``_Prepared``, without
    the fingerprint rows and stored records (those stay in Spark)."""

    ids: list[str]
    dates: list[str | None]
    where: tuple[str, int] | None
    rejects: list[tuple[int, Reject]]
    lines: list[int]
    sites: list[str | None]
    rows: None  # the line rows stay in Spark (LINES and LINKS rows, see .furniture)
    titles: tuple[np.ndarray, np.ndarray]
    tokens: int
    nfp: np.ndarray
    wheres: list[str] | None
    vectors: np.ndarray | None = None  # the semantic stage's embeddings, when it is on


def parse_job(job: LineBlock | PageBlock | list[Article]) -> tuple[list[Article], list[int],
                                                                    list[tuple[int, Reject]],
                                                                    list[bytes], int,
                                                                    tuple[str, int] | None,
                                                                    list[str] | None]:
    """Parse one input batch as the local engine's workers do: (articles, each one's line
    in the batch, rejects, stored records, their encoding, where a JSON Lines block is,
    where each record of other input is)."""
    wheres = job.wheres if isinstance(job, ArticleBatch) else None
    if isinstance(job, LineBlock):
        job = job.load()
        arts, lines, rejects = block_articles(job)
        raw = job.lines or []
        return arts, lines, rejects, [raw[n] for n in lines], JSON_LINE, (job.where, job.first), None
    if isinstance(job, PageBlock):
        wheres = job.wheres()
        arts, lines, rejects = job.articles()
    else:
        arts, rejects, lines = list(job), [], list(range(len(job)))
    return arts, lines, rejects, [pack(a) for a in arts], PACKED, None, wheres


def prepare_job(index: int, job: Any, cfg: ScanConfig, parts: int) -> Iterator[Any]:
    """Executor: the pass-1 Arrow batches of input batch ``index``."""
    import pyarrow as pa

    arts, lines, rejects, stored, kind, where, wheres = parse_job(job)
    if len(lines) + len(rejects) > cfg.batch_size and where is not None:
        raise ValueError(f"a batch holds more than batch_size={cfg.batch_size} records")
    rows = fingerprint_rows(arts, cfg)
    base = index * cfg.batch_size
    books = Books([a.id for a in arts], [a.date for a in arts], where, rejects, lines,
                  [site_of(a) for a in arts], None, rows.titles, rows.tokens, rows.nfp, wheres,
                  rows.vectors)
    yield _batch(pa, BOOKS, index, blob=[pickle.dumps(books, protocol=5)])
    (key, marks, doc, weight, line), (ldoc, lline, lkey, subs) = rows.lines
    if len(key):
        cols = (doc.astype(np.int64) + base, key, *marks.T, weight, line)
        yield _batch(pa, LINES, index, blob=[pack_rows(*(c.astype(d) for c, d in zip(cols, LINE_DTYPES, strict=True)))])
    if len(ldoc):
        cols = (ldoc.astype(np.int64) + base, lline, lkey, *subs.T)
        yield _batch(pa, LINKS, index, blob=[pack_rows(*(c.astype(d) for c, d in zip(cols, LINK_DTYPES, strict=True)))])
    order, bounds = group_order(hash_partition(rows.h, parts), parts)
    slot = rows.doc.astype(np.int64) + base
    cols = (rows.h[order], slot[order], rows.pos[order], rows.line_key[order])
    full = np.flatnonzero(np.diff(bounds))
    if len(full):
        yield _batch(pa, FINGERPRINTS, index, n=len(full), part=full.astype(np.int32),
                     blob=[pack_rows(*(c[bounds[q]:bounds[q + 1]] for c in cols)) for q in full.tolist()])
    if stored:
        yield _batch(pa, ARTICLES, index, n=len(stored),
                     slot=np.arange(len(stored), dtype=np.int64) + base,
                     p=np.full(len(stored), kind, np.int32), blob=stored)


def _batch(pa: Any, kind: int, job: int, *, n: int = 1, blob: Sequence[bytes] | None = None,
           **cols: np.ndarray) -> Any:
    """One Arrow batch of :data:`PASS1_SCHEMA` (absent columns null)."""
    types = {"part": pa.int32(), "slot": pa.int64(), "p": pa.int32()}
    arrays = [pa.array(np.full(n, kind, np.int8)), pa.array(np.full(n, job, np.int32))]
    for name, t in types.items():
        arrays.append(pa.array(cols[name], t) if name in cols else pa.nulls(n, t))
    arrays.append(pa.array(blob, pa.binary()) if blob is not None else pa.nulls(n, pa.binary()))
    return pa.RecordBatch.from_arrays(arrays, names=["kind", "job", "part", "slot", "p", "blob"])


#: packed fingerprint rows: hash, slot, token position, line key (8 + 8 + 4 + 4 bytes)
FP_DTYPES = (np.dtype(np.uint64), np.dtype(np.int64), np.dtype(np.uint32), np.dtype(np.uint32))


def pack_rows(*cols: np.ndarray) -> bytes:
    """Columns of equal length as one bytes value (column after column)."""
    return b"".join(np.ascontiguousarray(c).tobytes() for c in cols)


def unpack_rows(blobs: Sequence[bytes], dtypes: Sequence[np.dtype]) -> list[np.ndarray]:
    """The columns of :func:`pack_rows` values, concatenated in the order given."""
    width = sum(d.itemsize for d in dtypes)
    out: list[list[np.ndarray]] = [[] for _ in dtypes]
    for blob in blobs:
        n, at = len(blob) // width, 0
        for col, d in zip(out, dtypes, strict=True):
            col.append(np.frombuffer(blob, d, n, at))
            at += n * d.itemsize
    return [np.concatenate(c) if c else np.zeros(0, d) for c, d in zip(out, dtypes, strict=True)]


def pass1(batches: Iterator[Any], cfg: ScanConfig, parts: int) -> Iterator[Any]:
    """mapInArrow body: (job, pickled batch) rows in, pass-1 rows out."""
    for rb in batches:
        for index, payload in zip(rb.column(0).to_pylist(), rb.column(1).to_pylist(), strict=True):
            yield from prepare_job(index, pickle.loads(payload), cfg, parts)


# -- the driver: numbering, as the local engine's _take --------------------------------------
@dataclass(slots=True)
class Numbered:
    """The corpus books (the local engine's :class:`~copydesk.engines.local.Corpus`), the
    article number of each slot (-1: none or rejected) and the repeated ids whose reject
    still needs the raw record: (index in ``corpus.rejects``, slot, where, id, first seen)."""

    corpus: Corpus
    slot_doc: np.ndarray
    pending: list[tuple[int, int, str, str, str | None]]


def _where(b: Books, n: int) -> str:
    if b.where is None:
        return b.wheres[b.lines[n]] if b.wheres is not None else f"article {b.ids[n]}"
    return f"{b.where[0]}:{b.where[1] + b.lines[n]}"


def number_articles(books: Sequence[tuple[int, Books]], stride: int) -> Numbered:
    """Number the articles of all batches (by batch number) in input order; a repeated id is
    rejected where it repeats, naming where it was first seen (first occurrence wins)."""
    corpus = Corpus()
    numbers: list[np.ndarray] = []
    pending: list[tuple[int, int, str, str, str | None]] = []
    last = -1
    for index, b in books:
        for _ in range(index - last - 1):  # a batch that gave no rows at all
            numbers.append(np.full(stride, -1, np.int64))
        last = index
        numbers.append(_take(index, b, corpus, stride, pending))
    slot_doc = np.concatenate([np.zeros(0, np.int64), *numbers])
    return Numbered(corpus, slot_doc, pending)


def _take(index: int, b: Books, corpus: Corpus, stride: int,
          pending: list[tuple[int, int, str, str, str | None]]) -> np.ndarray:
    keep = np.ones(len(b.ids), np.bool_)
    first: dict[int, str | None] = {}
    for n, art_id in enumerate(b.ids):
        if art_id in corpus.seen:
            keep[n] = False
            try:
                m = b.ids.index(art_id, 0, n)
                first[n] = None if b.where is None and b.wheres is None else _where(b, m)
            except ValueError:
                first[n] = corpus.where_of(art_id)
        else:
            corpus.seen.add(art_id)
    found: list[tuple[int, Reject | tuple[int, str, str, str | None]]] = list(b.rejects)
    for n in np.flatnonzero(~keep).tolist():
        found.append((b.lines[n], (index * stride + n, _where(b, n), b.ids[n], first[n])))
    for _, r in sorted(found, key=lambda x: x[0]):
        if isinstance(r, Reject):
            corpus.rejects.append(r)
        else:
            pending.append((len(corpus.rejects), *r))
            corpus.rejects.append(Reject("", "", None, None))  # filled by fill_duplicates
    return corpus.book(b, np.flatnonzero(keep), stride)


def fill_duplicates(numbered: Numbered, raw_text: dict[int, str]) -> None:
    """Complete the rejects of repeated ids with their raw records (``raw_text`` by slot)."""
    for at, slot, where, art_id, first in numbered.pending:
        numbered.corpus.rejects[at] = duplicate(where, art_id, first, raw_text[slot])
