"""The local engine: the stage plan (:mod:`copydesk.plan`) run by a process pool over
spills on disk, with memory bounded whatever the corpus size.

1. **fingerprint pass** — input streams in batches (raw JSON Lines blocks, web pages or
   articles) to worker processes, which parse (extract the article of a page), store
   (:class:`~copydesk.spill.ArticleStore`), prepare and fingerprint them
   (:func:`copydesk.plan.fingerprint_rows`), spill their fingerprint rows hash-partitioned
   (:class:`~copydesk.spill.SharedSpill`) and return ids, line rows and counts.  The parent
   numbers the articles and learns the corpus furniture from the line rows.
2. **candidate join** — one partition per worker (:func:`copydesk.plan.join_rows`, then
   :func:`copydesk.plan.pair_evidence` over the pair rows spilled by pair).
3. **align pass** — candidate pairs in chunks to the workers, which read their articles back
   from the spill and align and relate them (:func:`copydesk.plan.align_pairs`).
4. **families** — over the related pairs (:func:`copydesk.plan.relate_and_group`).

:func:`prepare_corpus` runs pass 1 and :func:`finish_scan` the rest, so that a runner with
its own store of prepared articles (the persistent index) can run the later passes alone.
"""

from __future__ import annotations

import bisect
import ctypes
import gc
import multiprocessing as mp
import os
import signal
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..align import align_batch
from ..align_kernel import covered, same_words
from ..candidates import BigBuckets, Candidates, make_candidates, pairs_within, sort_codes
from ..config import ScanConfig
from ..edit_bound import distance_bound
from ..edits import edits_at_most, only_slips, template_pair
from ..families import families as make_families
from ..furniture import CodeSet, Furniture, learn, link_lines, run_here, value_counts
from ..join_kernel import bucket_pairs, component_order, evidence_rows, kept_rows
from ..paraphrase import (
    BatchSentences,
    _all_inside,
    _longest_run,
    monotone_pairs,
    mostly_slots,
    sentences,
    similarity,
    with_paraphrases,
)
from ..plan import (
    Grouper,
    Progress,
    ScanResult,
    align_pairs,
    date_counts,
    date_counts_of,
    date_flags,
    fingerprint_rows,
    furniture_records,
    hash_id,
    id_hashes,
    id_rank,
    join_rows,
    learn_furniture,
    mask_furniture,
    pair_evidence,
    rank_of_hashes,
    relate_and_group,
    semantic_candidates,
    site_of,
)
from ..prepare_batch import fingerprint_batch, line_keys, line_rows, prepare_batch
from ..read import ArticleBatch, batched, duplicate
from ..read.html import PageBlock
from ..read.jsonl import LineBlock, block_articles
from ..records import Article, Pair, Reject
from ..relate import _only_furniture_lines_left
from ..sentence_keys import partitioned_rows, sentence_keys
from ..setops import union1d, unique
from ..spill import (
    JSON_LINE,
    PACKED,
    ArticleStore,
    SharedSpill,
    StoreReader,
    append_file,
    group_order,
    pack,
    stored_article,
)
from ..word_codes import word_codes
from .fork_pool import ForkPool

__all__ = ["Corpus", "Progress", "ScanResult", "finish_scan", "hash_id", "keep_freed_heap",
           "mask_furniture", "prepare_corpus", "scan_articles", "scan_batches", "site_of",
           "spill_prefix"]

#: records(articles) -> one picklable record per article: a runner's work per article in
#: pass 1 (see prepare_corpus)
RecordHook = Callable[[list[Article]], list[Any]]

# -- worker processes ---------------------------------------------------------------------
# Workers are forked after _STATE is set, so they inherit the configuration (and, for the
# align pass, the spill reader and corpus boilerplate) without pickling them.
_STATE: dict[str, Any] = {}


@dataclass(slots=True)
class _Prepared:
    """What a worker sends back for one batch of input: the articles' ids, dates and where
    they were found, where they are stored, the rejects, their short-line hash rows and
    fingerprint counts.  The fingerprint rows themselves the worker spills (by slot:
    ``job * batch_size + article's index in the batch``)."""

    ids: list[str]
    dates: list[str | None]
    where: tuple[str, int] | None       # a JSON Lines block: its source and first line number
    rejects: list[tuple[int, Reject]]   # (line in the block, reject)
    lines: list[int]                    # each article's line in the block
    stored: tuple[str, int, np.ndarray, np.ndarray, int]
    sites: list[str | None]
    rows: tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]  # see prepare_batch.line_rows
    titles: tuple[np.ndarray, np.ndarray]  # headline keys of headlines of 3+ words, and their article
    tokens: int
    nfp: np.ndarray
    wheres: list[str] | None = None     # articles or pages: where each was found (by index)
    vectors: np.ndarray | None = None   # the semantic stage's article embeddings
    records: list[Any] | None = None    # what the runner's record hook made of each article
    id_hash: np.ndarray | None = None   # plan.id_hashes of the ids (hashed here, not in the parent)
    date_flag: np.ndarray | None = None  # plan.date_flags of the dates
    #: where a local worker left rows, titles, nfp, id_hash and date_flag (see _stash): they
    #: are None here until the parent reads them back (_unstash)
    stash: tuple[str, list[tuple[str, tuple[int, ...]]]] | None = None


#: the arrays of a worker's batch that travel through a file (_stash), in this order
_STASHED = ("rows", "titles", "nfp", "id_hash", "date_flag")


def _stash(path: str, arrays: list[np.ndarray]) -> tuple[str, list[tuple[str, tuple[int, ...]]]]:
    """Write ``arrays`` to one file (each padded to 8 bytes); (path, their dtypes and shapes).
    A batch's arrays (about 2 MB) travel this way, not pickled through the pool's result
    pipe: the pool's worker-handler thread wakes up whenever that pipe is readable, and
    looped about 30 times per result while the result handler drained a pickle of this
    size (~0.2 s of the parent's CPU at 100k articles), besides pickling them both ways."""
    parts = []
    for a in arrays:
        data = np.ascontiguousarray(a).tobytes()
        parts += [data, bytes(-len(data) % 8)]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        view = memoryview(b"".join(parts))
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    return path, [(a.dtype.str, a.shape) for a in arrays]


def _unstash(res: _Prepared) -> None:
    """Read back (and remove) the arrays a worker stashed for ``res``."""
    assert res.stash is not None
    path, layout = res.stash
    with open(path, "rb") as f:
        buf = bytearray(os.fstat(f.fileno()).st_size)  # writable arrays, as unpickled ones are
        f.readinto(buf)
    os.unlink(path)
    arrays, at = [], 0
    for dt, shape in layout:
        dtype = np.dtype(dt)
        n = int(np.prod(shape, dtype=np.int64))
        arrays.append(np.frombuffer(buf, dtype, n, at).reshape(shape))
        at += n * dtype.itemsize + (-n * dtype.itemsize) % 8
    (key, marks, doc, weight, line, ldoc, lline, lkey, subs, tkey, tdoc, nfp, id_hash, date_flag) = arrays
    res.rows = ((key, marks, doc, weight, line), (ldoc, lline, lkey, subs))
    res.titles = (tkey, tdoc)
    res.nfp, res.id_hash, res.date_flag = nfp, id_hash, date_flag
    res.stash = None


def _prepare_job(numbered: tuple[int, LineBlock | PageBlock | list[Article]]) -> _Prepared:
    """Parse (for a JSON Lines block; extract, for web pages), store, prepare and fingerprint
    one batch; spill its fingerprint rows."""
    cfg: ScanConfig = _STATE["config"]
    index, job = numbered
    span = job.span if isinstance(job, LineBlock) else None
    raw = job.views() if isinstance(job, LineBlock) else []  # (a span's lines: views, parsed in place)
    size = len(raw) if isinstance(job, LineBlock) else \
        len(job.pages) if isinstance(job, PageBlock) else len(job)
    if size > cfg.batch_size:
        raise ValueError(f"a batch holds more than batch_size={cfg.batch_size} records")
    wheres = job.wheres if isinstance(job, ArticleBatch) else None
    if isinstance(job, LineBlock):
        arts, lines, rejects = block_articles(job, raw)
        size = np.array([len(x) for x in raw], np.int64)
        at = np.asarray(lines, np.int64)
        if span is not None:  # a plain file: its lines stay where they are (each lost its "\n")
            offsets = np.concatenate(([0], np.cumsum(size + 1)))
            stored = (str(Path(span[0]).resolve()), span[1], offsets[at], offsets[at] + size[at], JSON_LINE)
        else:
            offsets = np.concatenate(([0], np.cumsum(size)))
            name, base = append_file(_STATE["store"], b"".join(raw))
            stored = (name, base, offsets[at], offsets[at + 1], JSON_LINE)
        where: tuple[str, int] | None = (job.where, job.first)
    else:
        if isinstance(job, PageBlock):
            wheres = job.wheres()
            arts, lines, rejects = job.articles()
        else:
            arts, rejects, lines = job, [], list(range(len(job)))
        packed = [pack(a) for a in arts]
        offsets = np.zeros(len(packed) + 1, np.int64)
        np.cumsum([len(x) for x in packed], out=offsets[1:])
        name, base = append_file(_STATE["store"], b"".join(packed))
        stored = (name, base, offsets[:-1], offsets[1:], PACKED)
        where = None
    records = None
    hook: RecordHook | None = _STATE.get("records")
    if hook is not None:  # each article as whoever reads it back from the store gets it
        given = not isinstance(job, (LineBlock, PageBlock))
        records = hook([a if given else stored_article(bytes(raw[n]) if isinstance(job, LineBlock) else packed[k],
                                                      JSON_LINE if isinstance(job, LineBlock) else PACKED)
                        for k, (a, n) in enumerate(zip(arts, lines, strict=True))])
    fps: SharedSpill = _STATE["fps"]
    # the rows come grouped by partition, each article's by its slot
    rows = fingerprint_rows(arts, cfg, parts=fps.parts, slot0=index * cfg.batch_size)
    fps.writer().write_grouped(rows.bounds, h=rows.h, d=rows.doc, p=rows.pos, k=rows.line_key)
    ids = [a.id for a in arts]
    dates = [a.date for a in arts]
    stash = _stash(str(Path(_STATE["store"]) / f"rows-{index}.bin"),
                   [*rows.lines[0], *rows.lines[1], *rows.titles, rows.nfp, id_hashes(ids), date_flags(dates)])
    return _Prepared(ids, dates, where, rejects, lines, stored, [site_of(a) for a in arts], None, None,
                     rows.tokens, None, wheres, rows.vectors, records, stash=stash)


def _align_codes(codes: np.ndarray) -> tuple[list[Pair], np.ndarray]:
    """Worker: align and relate a chunk of candidate pairs, reading their articles back."""
    reader = _STATE["reader"]
    docs = unique(np.concatenate((codes >> 32, codes & 0xFFFFFFFF)))
    return align_pairs([reader.get(i) for i in docs.tolist()], docs, codes, _STATE["common"], _STATE["config"],
                       _STATE.get("reworded"))


def keep_freed_heap() -> None:
    """Have glibc's malloc serve arrays up to 32 MB from its heap and keep what is freed
    (instead of unmapping it), so each batch's arrays reuse memory already mapped rather
    than faulting in fresh pages; about a second of system time at 100k articles.  Every
    worker process does this at start; the command line does it for its own process (a
    library caller's process is left as it is)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc
        return
    libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)
    libc.mallopt(_M_TOP_PAD, 64 << 20)
    libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30)


_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3  # glibc's <malloc.h>


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _worker_init() -> None:
    # a worker dies at once on SIGTERM (Pool.terminate sends it), whatever handler the parent
    # had installed: a Python-level handler would wait for the worker's next bytecode
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # blocked by _pool, see there
    keep_freed_heap()


@contextmanager
def _pool(workers: int) -> Iterator[Any]:
    """A fork pool, made with Ctrl-C and SIGTERM blocked in the creating thread: the pool's
    helper threads inherit that mask, so such a signal sent to the process always lands on
    the main thread (Linux hands it to any thread not blocking it, and only the main thread
    runs Python's handlers) and interrupts what it waits on, e.g. a read of stdin.  Workers
    unblock them again as they start."""
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        yield None
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        pool = ForkPool(workers, initializer=_worker_init)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
        raise
    with pool:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)  # a signal that came meanwhile: now
        yield pool


def _run_into(fn: Callable[[], Any], send: Any) -> None:
    """A forked child's work for :func:`forked`: ``fn()``'s result (or its error) to ``send``."""
    _worker_init()
    try:
        out: tuple[bool, Any] = (True, fn())
    except BaseException as e:  # noqa: BLE001 - handed to the parent, which raises it
        out = (False, e)
    send.send(out)
    send.close()


def forked(fn: Callable[[], Any]) -> Callable[[], Any]:
    """Start ``fn()`` in a forked child process (it sees this process's memory as it is now,
    so ``fn`` may be a closure over large arrays; only its result is pickled back); returns a
    function that waits for the result (or raises the child's error).  A
    :data:`copydesk.furniture.Spawn`: the serial step between the passes, the corpus
    furniture, runs its independent parts on both cores."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run_into, args=(fn, send), daemon=True)
    proc.start()
    send.close()

    def wait() -> Any:
        try:
            ok, value = recv.recv()
        except EOFError:
            raise RuntimeError(f"a forked helper process died (exit code {proc.exitcode})") from None
        finally:
            recv.close()
            proc.join()
        if not ok:
            raise value
        return value

    return wait


def _ordered_map(pool: Any, fn: Callable[[Any], Any], jobs: Iterable[Any], inflight: int) -> Iterator[Any]:
    """Results of ``fn`` over ``jobs`` in order, with at most ``inflight`` jobs queued, so a
    streamed input is never read far ahead of the workers (Pool.imap would read it all)."""
    if pool is None:
        yield from map(fn, jobs)
        return
    queue: deque[Any] = deque()
    for job in jobs:
        queue.append(pool.apply_async(fn, (job,)))
        if len(queue) >= inflight:
            yield queue.popleft().get()
    while queue:
        yield queue.popleft().get()


# -- the passes -----------------------------------------------------------------------------
@dataclass(slots=True)
class Corpus:
    """The books of the prepared articles: ids, dates, rejects, line rows for the furniture
    rule, where each article was found."""

    ids: list[str] = field(default_factory=list)
    dates: list[str | None] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    tokens: int = 0
    doc_fps: list[np.ndarray] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    slot_doc: list[np.ndarray] = field(default_factory=list)  # per job: slot -> article (-1: none)
    site_ids: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[np.ndarray, ...]] = field(default_factory=list)
    links: list[tuple[np.ndarray, ...]] = field(default_factory=list)
    titles: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    # where the articles were found, to name the first place of a repeated id: per job its
    # first article's number, and its source and lines (JSON Lines) or places (other input)
    job_start: list[int] = field(default_factory=list)
    job_where: list[tuple[str, int, np.ndarray] | list[str] | None] = field(default_factory=list)
    number_of: dict[str, int] | None = None  # id -> article number, built at the first repeat
    vectors: list[np.ndarray] = field(default_factory=list)  # semantic stage: embeddings by number
    doc_site: list[np.ndarray] = field(default_factory=list)  # site number by article (-1: unknown)
    # what a runner that keeps books across runs (the index) already knows: id_rank(ids)
    # and date_counts(dates)
    rank: np.ndarray | None = None
    date_stats: dict[str, int] | None = None
    records: list[Any] = field(default_factory=list)  # the record hook's, by article number
    # per job, of the kept articles: plan.id_hashes and plan.date_flags, when the worker made
    # them (so the parent need not hash every id and read every date)
    id_hash: list[np.ndarray] = field(default_factory=list)
    date_flag: list[np.ndarray] = field(default_factory=list)
    # seconds pass 1 waited, its workers done, for what ran ``meanwhile`` (the later passes'
    # kernels: their compiling, on a first run)
    meanwhile_wait: float = 0.0

    def id_rank(self) -> np.ndarray:
        """``id_rank(self.ids)``: ``rank`` when known, else from the workers' id hashes."""
        if self.rank is not None:
            return self.rank
        if sum(len(h) for h in self.id_hash) == len(self.ids):
            return rank_of_hashes(np.concatenate([np.zeros(0, np.uint64), *self.id_hash]))
        return id_rank(self.ids)

    def date_counts(self) -> dict[str, int]:
        """``date_counts(self.dates)``: ``date_stats`` when known, else from the workers' flags."""
        if self.date_stats is not None:
            return self.date_stats
        if sum(len(f) for f in self.date_flag) == len(self.dates):
            return date_counts_of(np.concatenate([np.zeros(0, np.int8), *self.date_flag]))
        return date_counts(self.dates)

    def where_of(self, art_id: str) -> str | None:
        """Where the article ``art_id`` (already numbered) was found."""
        if self.number_of is None:
            self.number_of = {i: n for n, i in enumerate(self.ids)}
        number = self.number_of.get(art_id)
        if number is None:
            return None
        j = bisect.bisect_right(self.job_start, number) - 1
        k = number - self.job_start[j]
        place = self.job_where[j]
        if isinstance(place, tuple):
            return f"{place[0]}:{place[1] + int(place[2][k])}"
        return place[k] if place is not None else None  # articles given without a place

    def book(self, b: Any, kept: np.ndarray, stride: int) -> np.ndarray:
        """Number the ``kept`` articles of a worker's batch ``b`` after those numbered so far
        and keep their books (``b`` has ids, dates, where, wheres, lines, nfp, vectors,
        tokens, rows, sites and titles, as :class:`_Prepared`); returns their numbers by
        slot (-1: not kept)."""
        self.job_start.append(len(self.ids))
        if b.where is not None:
            self.job_where.append((b.where[0], b.where[1], np.asarray(b.lines, np.int32)[kept]))
        else:
            self.job_where.append([b.wheres[b.lines[n]] for n in kept.tolist()]
                                  if b.wheres is not None else None)
        if self.number_of is not None:
            self.number_of.update((b.ids[n], len(self.ids) + k) for k, n in enumerate(kept.tolist()))
        number = np.full(stride, -1, np.int64)
        number[kept] = len(self.ids) + np.arange(len(kept))
        self.ids += [b.ids[n] for n in kept.tolist()]
        self.dates += [b.dates[n] for n in kept.tolist()]
        self.doc_fps.append(b.nfp[kept])
        if getattr(b, "id_hash", None) is not None:
            self.id_hash.append(b.id_hash[kept])
        if getattr(b, "date_flag", None) is not None:
            self.date_flag.append(b.date_flag[kept])
        if getattr(b, "records", None) is not None:
            self.records += [b.records[n] for n in kept.tolist()]
        if b.vectors is not None:
            self.vectors.append(b.vectors[kept])
        self.tokens += b.tokens
        site = np.array([-1 if x is None else self.site_ids.setdefault(x, len(self.site_ids))
                         for x in b.sites], np.int32)
        self.doc_site.append(site[kept])
        if b.rows is not None:  # (the Spark engine keeps the line rows on its executors)
            (key, marks, doc, weight, line), (ldoc, lline, lkey, subs) = b.rows
            ok = number[doc] >= 0
            self.rows.append((key[ok], marks[ok], number[doc[ok]].astype(np.int32), site[doc[ok]], weight[ok],
                              line[ok]))
            ok = number[ldoc] >= 0
            self.links.append((number[ldoc[ok]], lline[ok], lkey[ok], subs[ok]))
        tkey, tdoc = b.titles
        ok = number[tdoc] >= 0
        self.titles.append((tkey[ok], number[tdoc[ok]]))
        return number




def _where(res: _Prepared, n: int) -> str:
    """Where article ``n`` of a worker's batch came from (for a reject entry)."""
    if res.where is None:
        return res.wheres[res.lines[n]] if res.wheres is not None else f"article {res.ids[n]}"
    return f"{res.where[0]}:{res.where[1] + res.lines[n]}"


def _take(res: _Prepared, corpus: Corpus, store: ArticleStore, stride: int) -> np.ndarray:
    """Number a worker's articles (rejecting repeated ids) and record where they are
    stored; returns their numbers by slot (-1: rejected)."""
    if res.stash is not None:
        _unstash(res)
    rejects = list(res.rejects)
    keep = np.ones(len(res.ids), np.bool_)
    first: dict[int, str | None] = {}  # a repeated id's article -> where the id was first seen
    for n, art_id in enumerate(res.ids):
        if art_id in corpus.seen:
            keep[n] = False
            try:
                m = res.ids.index(art_id, 0, n)  # earlier in this batch
                first[n] = None if res.where is None and res.wheres is None else _where(res, m)
            except ValueError:
                first[n] = corpus.where_of(art_id)
        else:
            corpus.seen.add(art_id)
    name, base, starts, ends, kind = res.stored
    if not keep.all():
        dup = np.flatnonzero(~keep)
        dups = ArticleStore(store.dir)
        dups.add(name, base, starts[dup], ends[dup], kind)
        raw = dups.reader()
        rejects += [(res.lines[n], duplicate(_where(res, n), res.ids[n], first[n], raw.raw_text(m)))
                    for m, n in enumerate(dup.tolist())]
    corpus.rejects += [r for _, r in sorted(rejects, key=lambda x: x[0])]
    kept = np.flatnonzero(keep)
    number = corpus.book(res, kept, stride)
    corpus.slot_doc.append(number)
    store.add(name, base, starts[kept], ends[kept], kind)
    return number


def _fingerprint_pass(jobs: Iterable[LineBlock | PageBlock | list[Article]], cfg: ScanConfig, corpus: Corpus,
                      store: ArticleStore, fps: SharedSpill, progress: Progress | None,
                      records: RecordHook | None = None, meanwhile: Callable[[], None] | None = None) -> None:
    """Pass 1.  ``meanwhile()``, when given, runs in a thread of this process once the
    workers are forked (this process mostly waits on them), and has ended when this returns;
    without workers, it runs after the pass."""
    _STATE.update(config=cfg, store=store.dir, fps=fps, records=records)
    try:
        with _pool(cfg.workers) as pool:
            side = _Side(meanwhile) if meanwhile is not None and pool is not None else None
            try:
                for res in _ordered_map(pool, _prepare_job, enumerate(jobs), 2 * cfg.workers):
                    _take(res, corpus, store, cfg.batch_size)
                    if progress:
                        progress("prepare", len(corpus.ids), None)
            finally:
                if side is not None:
                    t = time.perf_counter()
                    side.join()  # (before anything else is forked: no thread may hold a lock then)
                    corpus.meanwhile_wait = time.perf_counter() - t
        if meanwhile is not None and pool is None:
            t = time.perf_counter()
            meanwhile()
            corpus.meanwhile_wait = time.perf_counter() - t
    finally:
        _STATE.clear()


def threaded(fn: Callable[[], Any]) -> Callable[[], Any]:
    """Start ``fn()`` in a thread of this process; returns a function that waits for its
    result (or raises its error).  A :data:`copydesk.furniture.Spawn` for the corpus
    furniture's independent passes: their compiled kernels and numpy's sorts release the
    GIL, and a thread needs no fork of this large process (whose page tables are copied,
    and whose pages written afterwards are copied again) nor a pickled result."""
    box: list[Any] = []
    side = _Side(lambda: box.append(fn()))

    def wait() -> Any:
        side.join()
        return box[0]

    return wait


class _Side(threading.Thread):
    """``fn()`` in a thread; :meth:`join` waits for it and raises its error."""

    def __init__(self, fn: Callable[[], None]) -> None:
        super().__init__(daemon=True, name="copydesk-warm-up")
        self.fn, self.error = fn, None
        self.start()

    def run(self) -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)  # Ctrl-C and SIGTERM: the main thread's
        try:
            self.fn()
        except BaseException as e:  # noqa: BLE001 - raised in the joining thread
            self.error = e

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self.error is not None:
            raise self.error


def corpus_furniture(corpus: Corpus, cfg: ScanConfig, rank: np.ndarray | None = None) -> Furniture:
    """The corpus furniture learned from the line rows gathered in ``corpus`` (which are
    released); ``rank``: ``id_rank(corpus.ids)``, when the caller has it."""
    if not corpus.rows:
        e = np.zeros(0, np.int64)
        corpus.rows = [(e.astype(np.uint64), np.zeros((0, 4), np.uint32), e, e, e, e)]
    rows = tuple(np.concatenate(c) for c in zip(*corpus.rows, strict=True))
    links = titles = None
    if corpus.links:
        links = tuple(np.concatenate(c) for c in zip(*corpus.links, strict=True))
        titles = tuple(np.concatenate(c) for c in zip(*corpus.titles, strict=True))
    corpus.rows, corpus.links, corpus.titles = [], [], []
    spawn = threaded if cfg.workers > 1 else None
    return learn_furniture(rows, links, titles, cfg, rank=corpus.id_rank() if rank is None else rank, spawn=spawn)


_PAIR_COLUMNS = {"c": np.dtype(np.int64), "l": np.dtype(np.uint32), "r": np.dtype(np.uint32)}
#: fingerprint rows: hash, slot of the article (see _Prepared), token position
_FP_COLUMNS = {"h": np.dtype(np.uint64), "d": np.dtype(np.uint32), "p": np.dtype(np.uint32),
               "k": np.dtype(np.uint32)}  # k: the low bits of the key of the fingerprint's line


def _join_partition(p: int) -> tuple[BigBuckets | None, int, int]:
    """Worker: the (pair, shared fingerprint) rows of fingerprint partition ``p``, spilled
    by pair to this process's own folder; returns the big buckets, the number of pair rows
    and of fingerprint rows."""
    cfg: ScanConfig = _STATE["config"]
    part = _STATE["fps"].read(p)
    if part is None:
        return None, 0, 0
    doc = _STATE["slot_doc"][part["d"]]
    h = part["h"]
    codes, pl, pr, big, nrows = join_rows(h, doc, part["p"], part["k"], _STATE["rank"], _STATE["furniture"],
                                          _STATE["has_furniture"], cfg)
    del part, h, doc
    pairs: SharedSpill = _STATE["pairs"]
    order, bounds = group_order((codes >> 32) % pairs.parts, pairs.parts)
    pairs.writer().write_grouped(bounds, c=codes[order], l=pl[order], r=pr[order])
    return big, len(codes), nrows


def _pair_partition(q: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Worker: (pair codes, shared fingerprints, co-located?) of pair partition ``q``, for
    pairs sharing enough fingerprints to be candidates."""
    part = _STATE["pairs"].read(q)
    if part is None:
        e = np.zeros(0, np.int64)
        return e, e, np.zeros(0, np.bool_)
    return pair_evidence(part["c"], part["l"], part["r"], _STATE["config"])


def _candidate_pass(fps: SharedSpill, slot_doc: np.ndarray, rank: np.ndarray, doc_fps: np.ndarray,
                    furniture: np.ndarray, furniture_docs: np.ndarray, cfg: ScanConfig, tmp: Path,
                    progress: Progress | None, keep: PoolAligner | None = None,
                    align_state: dict[str, Any] | None = None) -> tuple[Candidates, int, int]:
    """Join fingerprint partitions into (pair, shared fingerprint) rows, spilled by pair so
    that each pair's evidence is read back together; keep the candidate pairs.  Both steps
    run one partition per worker.  Returns the candidates and the numbers of (pair, shared
    fingerprint) rows and of fingerprint rows.  ``keep``, when given, is handed the pool
    for its first round (:meth:`PoolAligner.adopt`), its workers forked with
    ``align_state`` in :data:`_STATE` too: the alignment's workers are these, not forked
    again (nor their heaps grown again)."""
    pairs = SharedSpill(tmp / "pairs", _PAIR_COLUMNS, fps.parts)
    has = np.zeros(len(rank) + 1, np.bool_)
    has[furniture_docs] = True
    _STATE.update(config=cfg, fps=fps, slot_doc=slot_doc, rank=rank, pairs=pairs,
                  furniture=CodeSet(furniture), has_furniture=has, **(align_state or {}))
    big: list[BigBuckets] = []
    rows = nfps = 0
    found = [(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.bool_))]
    steps = 2 * fps.parts
    try:
        with _pool(cfg.workers) if keep is None else nullcontext(keep.adopt(_pool(cfg.workers))) as pool:
            for n, (b, r, f) in enumerate(_ordered_map(pool, _join_partition, range(fps.parts), 2 * cfg.workers), 1):
                if b is not None:
                    big.append(b)
                rows += r
                nfps += f
                if progress:
                    progress("join", n, steps)
            # every pair partition queued at once (their results are small), so that the
            # workers start on them while this process removes the fingerprint spill and
            # merges the big buckets, which it would otherwise do with the workers idle
            second = (pool.imap(_pair_partition, range(fps.parts)) if pool is not None
                      else map(_pair_partition, range(fps.parts)))  # (lazy: runs in the loop below)
            fps.remove()
            merged = BigBuckets.merge(big)
            for n, res in enumerate(second, fps.parts + 1):
                found.append(res)
                if progress:
                    progress("join", n, steps)
            pairs.remove()
    finally:
        _STATE.clear()
    codes, counts, colo = (np.concatenate(x) for x in zip(*found, strict=True))
    return make_candidates(codes, counts, colo, merged, cfg.candidates, doc_fps), rows, nfps


def _align_pass(codes: np.ndarray, workers: int, progress: Progress | None, stage: str,
                set_aside: list[np.ndarray] | None = None, pool: Callable[[], Any] | None = None) -> list[Pair]:
    """Align and relate candidate pairs in chunks on a pool; the codes of the pairs set
    aside as template instances are appended to ``set_aside``.  ``pool()``, when given,
    gives a pool to use (and keep) instead of one made for this pass alone."""
    if not len(codes):
        return []
    codes = component_order(codes)  # a chunk's pairs share articles: fewer are read and prepared
    workers = workers if len(codes) > 200 else 1
    # as many chunks for each worker (the last round ends together: one chunk more for one
    # worker left the other idle for a chunk's time at the end of a small pass)
    n = max(1, len(codes) // 500)
    chunks = np.array_split(codes, -(-n // workers) * workers if workers > 1 else n)
    out: list[Pair] = []
    done = 0
    with _pool(workers) if pool is None or workers <= 1 else nullcontext(pool()) as chunk_pool:
        # the workers' results (tens of thousands of pairs, each with its passages) are
        # unpickled here while the workers run: the cyclic collector's passes over them,
        # which find nothing to free, wait for the end of the pass (~30 ms of this
        # process's time at 100k articles, taken from the workers' cores)
        collecting = chunk_pool is not None and gc.isenabled()
        if collecting:
            gc.disable()
        try:
            for chunk, (res, templates) in zip(chunks, _ordered_map(chunk_pool, _align_codes, chunks, 4 * workers),
                                               strict=True):
                out.extend(res)
                if set_aside is not None and len(templates):
                    set_aside.append(templates)
                done += len(chunk)
                if progress:
                    progress(stage, done, len(codes))
        finally:
            if collecting:
                gc.enable()
    return out


def scan_articles(articles: Iterable[Article], config: ScanConfig | None = None, *,
                  progress: Progress | None = None, workdir: str | Path | None = None) -> ScanResult:
    """Find all reuse among ``articles`` (streamed; a repeated id is rejected).

    Temporary spills go to ``workdir`` (default: the system temp folder)."""
    cfg = config or ScanConfig()
    return scan_batches(batched(articles, cfg.batch_size), cfg, progress=progress, workdir=workdir)


def _warm_up(cfg: ScanConfig) -> None:
    """Load every kernel and lookup table once in this process, before workers are forked:
    each forked worker would otherwise build the tables and load the compiled code again."""
    _warm_prepare(cfg)
    _warm_later(cfg)


#: 1-, 2- and 4-byte text, with a figure (the align pass prepares articles again)
_WARM_TEXTS = ("caf\u00e9 7", "caf\u00e9 \u2014 7", "caf\u00e9 \U0001F600 7")


def _warm_articles() -> list[Article]:
    return [Article("w0", "LONDON (AP) - One two three four five six seven eight nine ten.\nComments"),
            Article("w1", "One two three four five six seven eight nine ten eleven.", "One")]


def _warm_prepare(cfg: ScanConfig) -> None:
    """The part of :func:`_warm_up` that pass 1's workers need (they are forked next)."""
    for text in _WARM_TEXTS:
        prepare_batch([Article("w", text, text)], cfg.prepare)
    batch = prepare_batch(_warm_articles(), cfg.prepare)
    fh, fp, first = fingerprint_batch(batch, cfg.fingerprint)
    keys = line_keys(batch)
    line_rows(batch, keys)
    # (the workers' rows: merged, keyed and partitioned in one kernel; the steps it fuses,
    # with_sentence_keys, row_line_keys and partition_rows, are not loaded)
    partitioned_rows(batch, fh, fp, first, *sentence_keys(batch, bands=1, min_words=2), keys, slot0=0, parts=64)


def _warm_later(cfg: ScanConfig) -> None:
    """The part of :func:`_warm_up` that only the later passes need (the corpus furniture,
    the candidate join, the alignment: in this process and in the workers forked after pass
    1).  A scan loads it while pass 1 runs (see :func:`_fingerprint_pass`)."""
    for text in _WARM_TEXTS:
        one = prepare_batch([Article("w", text, text)], cfg.prepare)
        sentences(one.prepared(0), text, 1)
        BatchSentences(one, 1).of(0)
    batch = prepare_batch(_warm_articles(), cfg.prepare)
    _warm_relate(batch, cfg)
    fh, fp, first = fingerprint_batch(batch, cfg.fingerprint)
    (key, marks, doc, weight, line), links = line_rows(batch)
    learn(key, marks, doc, np.zeros(len(key), np.int64), weight, line, cfg.prepare.furniture)
    value_counts(np.zeros(2, np.uint64))  # (the learner's counts: not reached by two articles)
    link_lines(np.array([1], np.uint64), np.array([0]), links, doc, line, key, marks, weight)
    mask_furniture(batch, np.arange(2), np.array([1], np.uint64))
    align_batch(batch, np.array([0]), np.array([1]), cfg.align)
    docs = np.repeat(np.arange(2, dtype=np.uint32), np.diff(first))
    fh, docs, fp = kept_rows(fh, docs, fp | np.uint32(1 << 31), np.zeros(len(fh), np.uint32), np.ones(3, np.bool_),
                             CodeSet(np.ones(1, np.uint64)), cfg.candidates.bucket_cap)
    codes, pl, pr, _ = bucket_pairs(fh, docs, fp, np.arange(2), cfg.candidates.bucket_cap)
    evidence_rows(codes, pl, pr, within=1, drift=1, min_count=2, min_sentences=2, strong=4)
    component_order(np.array([1, 2 << 32 | 3], np.int64))
    pairs_within(np.arange(2, dtype=np.int64), np.zeros(1, np.int64), np.full(1, 2, np.int64))
    group_order(np.zeros(1, np.int64), 1)
    sort_codes(np.arange(1 << 12, 0, -1, dtype=np.int64))  # (the big buckets' merge)
    make_families([Pair("a", "b", "duplicate", None, 1.0, 1.0, ())], {}, cfg.families)  # (its compiled merges)


def _warm_relate(batch: Any, cfg: ScanConfig) -> None:
    """The kernels that relate a pair (:func:`copydesk.relate.judge`), loaded once here:
    a pool's workers and the parent's own small passes would each load them again (tens of
    milliseconds a kernel and process)."""
    a, b = batch.prepared(0), batch.prepared(1)
    ta, tb = batch.texts[0], batch.texts[1]
    spans = np.array([[0, 3, 0, 3]], np.int64)
    same_words(a.tokens.hash, b.tokens.hash, spans)
    distance_bound(a.tokens.hash, b.tokens.hash, spans)
    edits_at_most(a, b, spans)
    template_pair(a, b, spans, ta, tb)
    only_slips(a, b, spans, ta, tb)  # (its passage differs: every kernel of the test runs)
    word_codes(a.tokens.hash, b.tokens.hash)  # (the opcodes' word strings of only_slips and template_pair)
    _only_furniture_lines_left(a, spans[:, 0], spans[:, 1], ta)
    sa, sb = sentences(a, ta, 1), sentences(b, tb, 1)
    sim, slots = similarity(sa, sb)
    pairs = monotone_pairs(sim, 0.0)
    _longest_run(pairs)
    mostly_slots(sa, sb, pairs, sim, slots, 0.5)
    _all_inside(sa, spans, 0)
    covered(spans, 0, a.tokens.weight, a.boiler)
    table = BatchSentences(batch, cfg.paraphrase.min_words)
    # (a scan's judge gets the pairs' sentence spans from paraphrase_many: paraphrase_spans,
    # for a pair on its own, is not loaded)
    table.paraphrase_many(np.array([0]), np.array([1]), [spans], cfg.paraphrase)
    with_paraphrases(a, b, align_batch(batch, np.array([0]), np.array([1]), cfg.align)[0], spans)


def spill_prefix() -> str:
    """Name prefix of this process's spill folder (with its id, so that after an interruption
    :func:`copydesk.atomic.sweep` can remove a folder the signal left behind)."""
    return f"copydesk-{os.getpid()}-"


def scan_batches(jobs: Iterable[LineBlock | PageBlock | list[Article]], config: ScanConfig | None = None, *,
                 progress: Progress | None = None, workdir: str | Path | None = None) -> ScanResult:
    """:func:`scan_articles` over batches: lists of articles, raw JSON Lines blocks or web
    pages (as :func:`copydesk.read.read_batches` gives them), parsed in the worker processes."""
    cfg = config or ScanConfig()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    _warm_prepare(cfg)  # (the later passes' kernels: loaded while pass 1 runs)
    timings["warm_up"] = time.perf_counter() - t0  # compiling the kernels, on a first run
    # what exists now (the modules, numba's and llvmlite's objects, the kernels: hundreds of
    # thousands of objects) lives as long as the scan: left out of the cyclic garbage
    # collector's passes, in this process and in the forked workers (whose collections
    # would also write to those pages and copy them), until the scan ends
    gc.freeze()
    try:
        with tempfile.TemporaryDirectory(prefix=spill_prefix(), dir=workdir) as tmp:
            corpus, store, fps = prepare_corpus(jobs, cfg, Path(tmp), progress, meanwhile=partial(_warm_later, cfg))
            # loading the later passes' kernels, where pass 1 did not hide it (a first run
            # compiles them), counts as warming up, not as preparing
            timings["warm_up"] += corpus.meanwhile_wait
            timings["prepare"] = time.perf_counter() - t0 - corpus.meanwhile_wait
            result = finish_scan(corpus, store.reader(), fps, cfg, Path(tmp), progress=progress, timings=timings)
    finally:
        gc.unfreeze()
    timings["total"] = time.perf_counter() - t0
    return result


def new_fingerprint_spill(folder: Path) -> SharedSpill:
    """An empty spill of fingerprint rows (columns h, d, p, k: hash, slot of the article,
    token position, low bits of its line's key) in ``folder``."""
    return SharedSpill(folder, _FP_COLUMNS, parts=64)


def prepare_corpus(jobs: Iterable[LineBlock | PageBlock | list[Article]], cfg: ScanConfig, tmp: Path,
                   progress: Progress | None = None, *,
                   records: RecordHook | None = None,
                   meanwhile: Callable[[], None] | None = None) -> tuple[Corpus, ArticleStore, SharedSpill]:
    """Pass 1 into spills under ``tmp``: the books of the articles, their store and their
    fingerprint rows.  (Call :func:`_warm_up` first when the kernels may not be loaded; a
    scan loads those of the later passes ``meanwhile``, in a thread while the workers run.)
    ``records(articles)``, when given, runs in the workers on each batch's articles (as
    given, or as read back from the store when they were parsed or extracted there) and its
    records are kept in ``corpus.records`` by article number: work a runner does per article
    (the index: the row it stores) done in parallel rather than after the pass."""
    corpus = Corpus()
    store = ArticleStore(tmp / "articles")
    fps = new_fingerprint_spill(tmp / "fingerprints")
    _fingerprint_pass(jobs, cfg, corpus, store, fps, progress, records, meanwhile)
    return corpus, store, fps


class PoolAligner:
    """``align(codes, stage)`` on the pool (see :data:`copydesk.plan.Aligner`); ``set_aside``
    collects the codes of the pairs judged template instances (a runner serving some
    verdicts from elsewhere, the index, appends those it knows too)."""

    def __init__(self, cfg: ScanConfig, progress: Progress | None, reworded: CodeSet | None = None) -> None:
        self.cfg, self.progress, self.reworded = cfg, progress, reworded
        self.set_aside: list[np.ndarray] = []
        self._kept = ExitStack()  # the pool of the "align" round, kept for the round after it
        self._open: Any = None
        self._open_for: object = None  # the state its workers were forked with

    def __call__(self, codes: np.ndarray, stage: str) -> list[Pair]:
        # only the first round judges the semantic stage's own candidates as reworded reuse
        reworded = self.reworded if stage == "align" else None
        _STATE["reworded"] = reworded
        state = None if reworded is None or not len(reworded) else id(reworded)
        # the pool of the first round is kept for the next one ("align+": the members of
        # related representatives' buckets, aligned right after it) when its workers were
        # forked with the same state: they are not forked again, nor their heaps and caches
        # warmed again; it is closed after that round, before the families are made here
        try:
            return _align_pass(codes, self.cfg.workers, self.progress, stage, self.set_aside,
                               pool=lambda: self._shared_pool(state))
        finally:
            if stage != "align":
                self.close()

    def adopt(self, pool: Any, state: object = None) -> Any:
        """Keep ``pool`` (a :func:`_pool` context, not yet entered) for the first round, its
        workers forked with the state ``state`` stands for (None: no reworded candidates) and
        with the alignment's reader, common codes and config in :data:`_STATE`; returns the
        pool (None without workers), which this closes after the round after it."""
        self.close()
        self._open = self._kept.enter_context(pool)
        self._open_for = state
        return self._open

    def _shared_pool(self, state: object) -> Any:
        if self._open is not None and self._open_for != state:
            self.close()
        if self._open is None:
            self._open = self._kept.enter_context(_pool(self.cfg.workers))
            self._open_for = state
        return self._open

    def close(self) -> None:
        """Close the pool kept between rounds, if any."""
        self._kept.close()
        self._open = self._open_for = None

    @property
    def templates(self) -> int:
        return sum(len(x) for x in self.set_aside)


class ArticleReader(Protocol):
    """Where the later passes read articles back by number (in the parent and, after the
    fork, in the workers)."""

    def get(self, n: int) -> Article: ...


def finish_scan(corpus: Corpus, reader: ArticleReader, fps: SharedSpill, cfg: ScanConfig, tmp: Path, *,
                progress: Progress | None = None, timings: dict[str, float] | None = None,
                align: Callable[[np.ndarray, str, PoolAligner], list[Pair]] | None = None,
                furniture: Furniture | None = None,
                join: Callable[[np.ndarray, Furniture], tuple[Candidates, int, int]] | None = None,
                group: Grouper | None = None) -> ScanResult:
    """Passes 2-4 over prepared articles: corpus furniture, candidate join, alignment and
    families; articles are read back from ``reader``.  ``fps`` is consumed.  ``align(codes, stage, aligner)``, when given, aligns
    each set of candidate pairs in place of ``aligner`` (the pool's), e.g. taking the pairs
    it already knows from a cache.  ``furniture``, when given, is the corpus furniture the
    caller learned from ``corpus`` (:func:`corpus_furniture`), e.g. to key that cache.
    ``join(rank, furniture)``, when given, finds the candidates (and counts the pair rows
    and fingerprint rows) in place of the candidate pass over ``fps``, e.g. revising those
    a runner kept.  ``group``, when given, clusters the related pairs into families in place
    of :func:`copydesk.families.families` (the same answer), e.g. reusing those a runner
    kept."""
    timings = {} if timings is None else timings
    t = time.perf_counter()
    rank = corpus.id_rank()
    if furniture is None:
        furniture = corpus_furniture(corpus, cfg, rank)
    boilerplate = _records_meanwhile(furniture, reader, cfg)
    common = furniture.codes
    doc_fps = np.concatenate([np.zeros(0, np.int64), *corpus.doc_fps]).astype(np.int64)
    slot_doc = np.concatenate([np.zeros(0, np.int64), *corpus.slot_doc])
    pool_align = PoolAligner(cfg, progress)
    try:
        if join is not None:
            cands, pair_rows, nfps = join(rank, furniture)
        else:
            # the join's workers align next (unless the semantic stage's candidates, found
            # after the join, need workers forked with them)
            keep = pool_align if not (cfg.semantic.enabled and corpus.vectors) else None
            cands, pair_rows, nfps = _candidate_pass(fps, slot_doc, rank, doc_fps, common, furniture.docs, cfg,
                                                     tmp, progress, keep=keep,
                                                     align_state=dict(reader=reader, common=CodeSet(common)))
        codes = (cands.left << 32) | cands.right
        timings["candidates"] = time.perf_counter() - t
        semantic = np.zeros(0, np.int64)
        if cfg.semantic.enabled and corpus.vectors:
            t = time.perf_counter()
            semantic = semantic_candidates(np.concatenate(corpus.vectors), np.concatenate(corpus.doc_site),
                                           rank, codes, cfg)
            codes = union1d(codes, semantic)
            timings["semantic_candidates"] = time.perf_counter() - t
    except BaseException:
        pool_align.close()
        raise

    t = time.perf_counter()
    pool_align.reworded = CodeSet(semantic)
    spent: dict[str, float] = {}

    def timed(some: np.ndarray, stage: str) -> list[Pair]:
        t1 = time.perf_counter()
        out = align(some, stage, pool_align) if align is not None else pool_align(some, stage)
        spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - t1
        gc.freeze()  # the related pairs live to the end: out of the collector's passes (families)
        return out

    _STATE.update(reader=reader, common=CodeSet(common), config=cfg)
    try:
        related = relate_and_group(codes, cands, corpus.ids, corpus.dates, timed, cfg, group or make_families,
                                   reworded=semantic)
    finally:
        pool_align.close()
        _STATE.clear()
        gc.unfreeze()
    timings["align"] = spent.get("align", 0.0) + spent.get("align+", 0.0)
    timings["families"] = time.perf_counter() - t - timings["align"]
    pairs, fams = related.pairs, related.families
    records = boilerplate()
    stats = {"articles": len(corpus.ids), "tokens": corpus.tokens, "fingerprints": nfps, "shared_fingerprint_pairs": pair_rows,
             "furniture_lines": len(furniture), "furniture_masked": int(len(common)),
             "link_lines_masked": furniture.links, "candidates": int(len(codes)),
             "candidates_second_round": related.second_round, "family_completion": related.completion,
             "big_buckets": len(cands.big_buckets), "semantic_candidates": int(len(semantic)),
             "template_pairs_set_aside": pool_align.templates,
             **corpus.date_counts(),
             "pairs": len(pairs), "families": len(fams), "workers": cfg.workers,
             "cpu_count": os.cpu_count()}
    return ScanResult(pairs, fams, corpus.rejects, stats, timings, cfg, records,
                      ids=corpus.ids, furniture=common)


def _records_meanwhile(furniture: Furniture, reader: ArticleReader, cfg: ScanConfig) -> Callable[[], Any]:
    """:func:`copydesk.plan.furniture_records` (reading an example article of each learned
    line back from the store), in a forked helper that runs while the candidate join and the
    alignment do (this process would otherwise read them with the workers idle); here, at
    once, with one worker or a store that is not the local engine's own files."""
    if cfg.workers > 1 and "fork" in mp.get_all_start_methods() and isinstance(reader, StoreReader):
        return forked(lambda: furniture_records(furniture, reader.get))
    # a reader may keep the example lines it was asked for (an index: see
    # copydesk.store.examples), so that it reads only the articles of lines new to it
    return run_here(lambda: furniture_records(furniture, reader.get, getattr(reader, "example_line", None)))
