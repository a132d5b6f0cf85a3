"""Compose the stages: prepare → fingerprint → candidates → align → relate → families.

Stages are the plain functions of their modules; this module wires them into a streaming
scan whose memory stays bounded whatever the corpus size:

1. **fingerprint pass** — input streams in batches (raw JSON Lines blocks, web pages or
   articles) to worker processes, which parse (extract the article of a page), store (:class:`~copydesk.spill.ArticleStore`), prepare
   and fingerprint them (:mod:`copydesk.prepare_batch`), spill their fingerprint rows
   hash-partitioned (:class:`~copydesk.spill.SharedSpill`) and return only ids and short-line
   hashes.  The parent numbers the articles.
2. **candidate join** — one partition at a time (see :mod:`copydesk.candidates`); lines found
   in many articles become corpus boilerplate.
3. **align pass** — candidate pairs in chunks to the workers, which read their articles back
   from the spill, prepare them with the corpus boilerplate masked, align and relate.
4. **families** — over the related pairs.
"""

from __future__ import annotations

import bisect
import ctypes
import hashlib
import multiprocessing as mp
import os
import signal
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from .align import align_batch
from .candidates import BigBuckets, Candidates, expand_through_representatives, make_candidates
from .config import ScanConfig
from .families import families as make_families
from .families import refresh_families
from .furniture import CodeSet, Furniture, learn, link_lines, pair_codes
from .join_kernel import bucket_pairs, component_order, evidence
from .prepare import Prepared
from .prepare_batch import fingerprint_batch, line_rows, prepare_batch, token_line_keys
from .read import ArticleBatch, batched, duplicate
from .read.html import PageBlock
from .read.jsonl import LineBlock, block_articles
from .records import Article, Family, Pair, Reject
from .relate import judge, usable_date
from .sentence_keys import sentence_evidence, sentence_keys, with_sentence_keys
from .spill import (
    JSON_LINE,
    PACKED,
    ArticleStore,
    SharedSpill,
    append_file,
    group_order,
    hash_partition,
    pack,
)

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
    #: what the corpus furniture rule set aside (``boilerplate.jsonl``), one record per line
    boilerplate: list[dict[str, Any]] = field(default_factory=list)
    #: the articles in scan order, and the furniture masked in them (codes of article number
    #: and line, see copydesk.furniture): what ``compare --corpus`` needs to judge one pair
    #: as the scan did
    ids: list[str] = field(default_factory=list)
    furniture: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))

    def summary(self) -> dict[str, Any]:
        by_rel: dict[str, int] = {}
        for p in self.pairs:
            by_rel[p.relation] = by_rel.get(p.relation, 0) + 1
        return {"articles": self.stats.get("articles", 0), "pairs": len(self.pairs),
                "pairs_by_relation": by_rel, "families": len(self.families),
                "rejected": len(self.rejects)}


def hash_id(s: str) -> int:
    """A stable 64-bit hash of a string (BLAKE2b; Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def _id_rank(ids: list[str]) -> np.ndarray:
    """An order-independent rank per document (from a hash of its id)."""
    h = np.fromiter((hash_id(i) for i in ids), np.uint64, len(ids))
    return np.argsort(np.argsort(h, kind="stable"), kind="stable")


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


def _prepare_job(numbered: tuple[int, LineBlock | PageBlock | list[Article]]) -> _Prepared:
    """Parse (for a JSON Lines block; extract, for web pages), store, prepare and fingerprint
    one batch; spill its fingerprint rows."""
    cfg: ScanConfig = _STATE["config"]
    index, job = numbered
    span = job.span if isinstance(job, LineBlock) else None
    if isinstance(job, LineBlock):
        job = job.load()
    size = len(job.lines or ()) if isinstance(job, LineBlock) else \
        len(job.pages) if isinstance(job, PageBlock) else len(job)
    if size > cfg.batch_size:
        raise ValueError(f"a batch holds more than batch_size={cfg.batch_size} records")
    wheres = job.wheres if isinstance(job, ArticleBatch) else None
    if isinstance(job, LineBlock):
        arts, lines, rejects = block_articles(job)
        raw = job.lines or []
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
    batch = prepare_batch(arts, cfg.prepare)
    fh, fp, first = fingerprint_batch(batch, cfg.fingerprint)
    nfp = np.diff(first)  # winnowed fingerprints only: the short-article rule counts these
    fc = cfg.fingerprint
    fh, fp, first, is_sentence = with_sentence_keys(fh, fp, first, *sentence_keys(
        batch, bands=fc.sentence_bands, min_words=fc.sentence_min_words), flag=True)
    fps: SharedSpill = _STATE["fps"]
    slot = np.repeat(np.arange(len(arts), dtype=np.uint32) + np.uint32(index * cfg.batch_size), np.diff(first))
    order, bounds = group_order(hash_partition(fh, fps.parts), fps.parts)
    out = fps.writer()
    lk = token_line_keys(batch)[batch.tok_first[np.repeat(np.arange(len(arts)), np.diff(first))] + fp]
    fp = fp.astype(np.uint32)
    fp[is_sentence] |= _SENTENCE_ROW
    out.add_grouped(bounds, h=fh[order], d=slot[order], p=fp[order], k=lk[order])
    out.flush()
    return _Prepared([a.id for a in arts], [a.date for a in arts], where, rejects, lines, stored,
                     [site_of(a) for a in arts], line_rows(batch), _titles(batch, arts),
                     len(batch.hash), nfp, wheres)


def _titles(batch: Any, arts: list[Article]) -> tuple[np.ndarray, np.ndarray]:
    """(keys, article index) of the batch's headlines of at least three words."""
    words = np.array([len((a.title or "").split()) for a in arts], np.int64)
    ok = (words >= 3) & (batch.title_key != 0)
    return batch.title_key[ok], np.flatnonzero(ok)


def site_of(article: Article) -> str | None:
    """The site an article was published on: its ``source``, else its URL's host."""
    if article.source:
        return article.source.strip().casefold() or None
    if article.url:
        host = urlsplit(article.url.strip()).hostname
        if host:
            return host.removeprefix("www.")
    return None


def _align_codes(codes: np.ndarray) -> tuple[list[Pair], int]:
    """Align and relate a chunk of candidate pairs (codes ``left << 32 | right``); returns
    the related pairs and how many were set aside as template instances."""
    reader = _STATE["reader"]
    cfg: ScanConfig = _STATE["config"]
    docs = np.unique(np.concatenate((codes >> 32, codes & 0xFFFFFFFF)))
    batch = prepare_batch([reader.get(i) for i in docs.tolist()], cfg.prepare)
    mask_furniture(batch, docs, _STATE["common"])
    x = np.searchsorted(docs, codes >> 32)
    y = np.searchsorted(docs, codes & 0xFFFFFFFF)
    swap = np.array([batch.ids[i] > batch.ids[j] for i, j in zip(x.tolist(), y.tolist(), strict=True)], np.bool_)
    left, right = np.where(swap, y, x), np.where(swap, x, y)  # relate wants a.id < b.id
    prepared: dict[int, Prepared] = {}

    def get(n: int) -> Prepared:
        if n not in prepared:
            prepared[n] = batch.prepared(n)
        return prepared[n]

    out: list[Pair] = []
    templates = 0
    for i, j, al in zip(left.tolist(), right.tolist(), align_batch(batch, left, right, cfg.align), strict=True):
        pair = judge(get(i), get(j), al, batch.texts[i], batch.texts[j], cfg.relate,
                     paraphrase=cfg.paraphrase)
        if isinstance(pair, Pair):
            out.append(pair)
        elif pair == "template":
            templates += 1
    return out, templates


def mask_furniture(batch: Any, docs: np.ndarray, codes: np.ndarray | CodeSet) -> None:
    """Mask, in place, the lines of a batch (of articles numbered ``docs``) that the corpus
    furniture rule set aside (``codes`` from :func:`copydesk.furniture.learn`).  (A passage
    that could extend over furniture both texts carry — a wire agency's copyright line under
    two unrelated stories — made pairs of its own; it does not.)"""
    if not len(codes) or not len(batch.line_first) > 1:
        return
    keys = token_line_keys(batch)
    doc_of = np.repeat(np.asarray(docs, np.int64), np.diff(batch.tok_first))
    codes = codes if isinstance(codes, CodeSet) else CodeSet(codes)
    hit = codes.contains(pair_codes(doc_of, keys))
    batch.boiler |= hit


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
        pool = mp.get_context("fork").Pool(workers, initializer=_worker_init)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
        raise
    with pool:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)  # a signal that came meanwhile: now
        yield pool


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
class _Corpus:
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




def _where(res: _Prepared, n: int) -> str:
    """Where article ``n`` of a worker's batch came from (for a reject entry)."""
    if res.where is None:
        return res.wheres[res.lines[n]] if res.wheres is not None else f"article {res.ids[n]}"
    return f"{res.where[0]}:{res.where[1] + res.lines[n]}"


def _take(res: _Prepared, corpus: _Corpus, store: ArticleStore, stride: int) -> np.ndarray:
    """Number a worker's articles (rejecting repeated ids) and record where they are
    stored; returns their numbers by slot (-1: rejected)."""
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
    corpus.job_start.append(len(corpus.ids))
    if res.where is not None:
        corpus.job_where.append((res.where[0], res.where[1], np.asarray(res.lines, np.int32)[kept]))
    else:
        corpus.job_where.append([res.wheres[res.lines[n]] for n in kept.tolist()]
                                if res.wheres is not None else None)
    if corpus.number_of is not None:
        corpus.number_of.update((res.ids[n], len(corpus.ids) + k) for k, n in enumerate(kept.tolist()))
    number = np.full(stride, -1, np.int64)
    number[kept] = len(corpus.ids) + np.arange(len(kept))
    corpus.slot_doc.append(number)
    corpus.ids += [res.ids[n] for n in kept.tolist()]
    corpus.dates += [res.dates[n] for n in kept.tolist()]
    store.add(name, base, starts[kept], ends[kept], kind)
    corpus.doc_fps.append(res.nfp[kept])
    corpus.tokens += res.tokens
    (key, marks, doc, weight, line), (ldoc, lline, lkey, subs) = res.rows
    site = np.array([-1 if x is None else corpus.site_ids.setdefault(x, len(corpus.site_ids))
                     for x in res.sites], np.int32)
    ok = number[doc] >= 0
    corpus.rows.append((key[ok], marks[ok], number[doc[ok]].astype(np.int32), site[doc[ok]], weight[ok], line[ok]))
    ok = number[ldoc] >= 0
    corpus.links.append((number[ldoc[ok]], lline[ok], lkey[ok], subs[ok]))
    tkey, tdoc = res.titles
    ok = number[tdoc] >= 0
    corpus.titles.append((tkey[ok], number[tdoc[ok]]))
    return number


def _fingerprint_pass(jobs: Iterable[LineBlock | PageBlock | list[Article]], cfg: ScanConfig, corpus: _Corpus,
                      store: ArticleStore, fps: SharedSpill,
                      progress: Progress | None) -> Furniture:
    """Pass 1; returns the corpus furniture learned from the articles' lines."""
    _STATE.update(config=cfg, store=store.dir, fps=fps)
    try:
        with _pool(cfg.workers) as pool:
            for res in _ordered_map(pool, _prepare_job, enumerate(jobs), 2 * cfg.workers):
                _take(res, corpus, store, cfg.batch_size)
                if progress:
                    progress("prepare", len(corpus.ids), None)
    finally:
        _STATE.clear()
    if not corpus.rows:
        e = np.zeros(0, np.int64)
        corpus.rows = [(e.astype(np.uint64), np.zeros((0, 4), np.uint32), e, e, e, e)]
    key, marks, doc, site, weight, line = (np.concatenate(c) for c in zip(*corpus.rows, strict=True))
    corpus.rows = []
    furniture = learn(key, marks, doc, site, weight, line, cfg.prepare.furniture)
    if corpus.links and cfg.prepare.furniture.links:
        links = tuple(np.concatenate(c) for c in zip(*corpus.links, strict=True))
        tkey, tdoc = (np.concatenate(c) for c in zip(*corpus.titles, strict=True))
        found = link_lines(tkey, tdoc, links, doc, line, key, marks, weight)
        furniture.links = int(len(found[0]))
        furniture.codes = np.union1d(furniture.codes, found[0])
        furniture.docs = np.union1d(furniture.docs, found[1])
        furniture.link_records = found[2]
    corpus.links, corpus.titles = [], []
    return furniture


_PAIR_COLUMNS = {"c": np.dtype(np.int64), "l": np.dtype(np.uint32), "r": np.dtype(np.uint32)}
#: fingerprint rows: hash, slot of the article (see _Prepared), token position
_FP_COLUMNS = {"h": np.dtype(np.uint64), "d": np.dtype(np.uint32), "p": np.dtype(np.uint32),
               "k": np.dtype(np.uint32)}  # k: the low bits of the key of the fingerprint's line


#: the token position of a sentence-signature row carries this bit (see copydesk.sentence_keys)
_SENTENCE_ROW = np.uint32(1 << 31)


def _common_sentences(h: np.ndarray, sentence: np.ndarray, cap: int) -> np.ndarray:
    """Rows of sentence signatures shared by more than ``cap`` articles: an author's bio or
    another furniture sentence the corpus rule did not catch, or a story syndicated so widely
    that its fingerprints find it anyway.  They are dropped rather than linked through
    representatives, so only a few articles reworded alike become candidates this way (a
    key is in a row once per article)."""
    out = np.zeros(len(h), np.bool_)
    at = np.flatnonzero(sentence)
    if len(at):
        _, inv, cnt = np.unique(h[at], return_inverse=True, return_counts=True)
        out[at[cnt[inv] > cap]] = True
    return out


def _join_partition(p: int) -> tuple[BigBuckets | None, int, int]:
    """Worker: the (pair, shared fingerprint) rows of fingerprint partition ``p``, spilled
    by pair to this process's own folder; returns the big buckets, the number of pair rows
    and of fingerprint rows."""
    cfg: ScanConfig = _STATE["config"]
    part = _STATE["fps"].read(p)
    if part is None:
        return None, 0, 0
    doc = _STATE["slot_doc"][part["d"]]
    h, pos = part["h"], part["p"]
    ok = doc >= 0  # rows of articles rejected as repeated ids go, and rows in furniture
    if len(_STATE["furniture"]):
        some = np.flatnonzero(_STATE["has_furniture"][np.maximum(doc, 0)] & ok)
        ok[some] &= ~_STATE["furniture"].contains(pair_codes(doc[some], part["k"][some]))
    sentence = pos >= _SENTENCE_ROW  # the bit stays on: _pair_partition counts these apart
    if sentence.any():
        ok &= ~_common_sentences(h, sentence & ok, cfg.candidates.bucket_cap)
    if not ok.all():
        doc, h, pos = doc[ok], h[ok], pos[ok]
    codes, pl, pr, big = bucket_pairs(h, doc.astype(np.uint32), pos, _STATE["rank"], cfg.candidates.bucket_cap)
    nrows = len(h)
    del part, h, pos, doc
    pairs: SharedSpill = _STATE["pairs"]
    order, bounds = group_order((codes >> 32) % pairs.parts, pairs.parts)
    out = pairs.writer()
    out.add_grouped(bounds, c=codes[order], l=pl[order], r=pr[order])
    out.flush()
    return big, len(codes), nrows


def _pair_partition(q: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Worker: (pair codes, shared fingerprints, co-located?) of pair partition ``q``, for
    pairs sharing enough fingerprints to be candidates."""
    cc = _STATE["config"].candidates
    part = _STATE["pairs"].read(q)
    if part is None:
        e = np.zeros(0, np.int64)
        return e, e, np.zeros(0, np.bool_)
    c, left, right = part["c"], part["l"], part["r"]
    sentence = left >= _SENTENCE_ROW
    if not sentence.any():
        return evidence(c, left, right, within=cc.colocated_within,
                        drift=cc.colocated_drift, min_count=min(cc.min_shared, cc.short_min_shared))
    codes, counts, colo = evidence(c[~sentence], left[~sentence], right[~sentence], within=cc.colocated_within,
                                   drift=cc.colocated_drift, min_count=min(cc.min_shared, cc.short_min_shared))
    extra = sentence_evidence(c[sentence], left[sentence] & ~_SENTENCE_ROW, right[sentence] & ~_SENTENCE_ROW,
                              min_sentences=cc.min_shared_sentences)
    if not len(extra):
        return codes, counts, colo
    # a pair with reworded sentences in common is a candidate whatever its fingerprints
    codes = np.concatenate((codes, extra))
    counts = np.concatenate((counts, np.full(len(extra), max(cc.strong_shared, cc.min_shared), np.int64)))
    colo = np.concatenate((colo, np.ones(len(extra), np.bool_)))
    order = np.lexsort((-counts, codes))
    first = np.concatenate(([True], codes[order][1:] != codes[order][:-1]))
    keep = order[first]
    return codes[keep], counts[keep], colo[keep]


def _candidate_pass(fps: SharedSpill, slot_doc: np.ndarray, rank: np.ndarray, doc_fps: np.ndarray,
                    furniture: np.ndarray, furniture_docs: np.ndarray, cfg: ScanConfig, tmp: Path,
                    progress: Progress | None) -> tuple[Candidates, int, int]:
    """Join fingerprint partitions into (pair, shared fingerprint) rows, spilled by pair so
    that each pair's evidence is read back together; keep the candidate pairs.  Both steps
    run one partition per worker.  Returns the candidates and the numbers of (pair, shared
    fingerprint) rows and of fingerprint rows."""
    pairs = SharedSpill(tmp / "pairs", _PAIR_COLUMNS, fps.parts)
    has = np.zeros(len(rank) + 1, np.bool_)
    has[furniture_docs] = True
    _STATE.update(config=cfg, fps=fps, slot_doc=slot_doc, rank=rank, pairs=pairs,
                  furniture=CodeSet(furniture), has_furniture=has)
    big: list[BigBuckets] = []
    rows = nfps = 0
    found = [(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.bool_))]
    steps = 2 * fps.parts
    try:
        with _pool(cfg.workers) as pool:
            for n, (b, r, f) in enumerate(_ordered_map(pool, _join_partition, range(fps.parts), 2 * cfg.workers), 1):
                if b is not None:
                    big.append(b)
                rows += r
                nfps += f
                if progress:
                    progress("join", n, steps)
            fps.remove()
            for n, res in enumerate(_ordered_map(pool, _pair_partition, range(fps.parts), 2 * cfg.workers),
                                    fps.parts + 1):
                found.append(res)
                if progress:
                    progress("join", n, steps)
            pairs.remove()
    finally:
        _STATE.clear()
    codes, counts, colo = (np.concatenate(x) for x in zip(*found, strict=True))
    return make_candidates(codes, counts, colo, BigBuckets.merge(big), cfg.candidates, doc_fps), rows, nfps


def _align_pass(codes: np.ndarray, workers: int, progress: Progress | None, stage: str,
                counts: dict[str, int] | None = None) -> list[Pair]:
    if not len(codes):
        return []
    codes = component_order(codes)  # a chunk's pairs share articles: fewer are read and prepared
    chunks = np.array_split(codes, max(1, len(codes) // 500))
    out: list[Pair] = []
    done = 0
    with _pool(workers if len(codes) > 200 else 1) as pool:
        for chunk, (res, templates) in zip(chunks, _ordered_map(pool, _align_codes, chunks, 4 * workers),
                                           strict=True):
            out.extend(res)
            if counts is not None:
                counts["template_pairs"] = counts.get("template_pairs", 0) + templates
            done += len(chunk)
            if progress:
                progress(stage, done, len(codes))
    return out


def _uncompared_members(fams: list[Family], index: dict[str, int], aligned: np.ndarray,
                        max_members: int) -> np.ndarray:
    """Codes of member pairs of each family (up to ``max_members``) never aligned: a copy of
    a copy may share too few fingerprints with the original to be a candidate, yet a
    family is close to a clique, so its members deserve one comparison each."""
    out = []
    for f in fams:
        if len(f.members) > max_members:
            continue
        ix = sorted(index[m] for m in f.members)
        out += [x << 32 | y for n, x in enumerate(ix) for y in ix[n + 1:]]
    codes = np.unique(np.asarray(out, np.int64))
    return codes[~np.isin(codes, aligned)]


def scan_articles(articles: Iterable[Article], config: ScanConfig | None = None, *,
                  progress: Progress | None = None, workdir: str | Path | None = None) -> ScanResult:
    """Find all reuse among ``articles`` (streamed; a repeated id is rejected).

    Temporary spills go to ``workdir`` (default: the system temp folder)."""
    cfg = config or ScanConfig()
    return scan_batches(batched(articles, cfg.batch_size), cfg, progress=progress, workdir=workdir)


def _warm_up(cfg: ScanConfig) -> None:
    """Load every kernel and lookup table once in this process, before workers are forked:
    each forked worker would otherwise build the tables and load the compiled code again."""
    arts = [Article("w0", "LONDON (AP) - One two three four five six seven eight nine ten.\nComments"),
            Article("w1", "One two three four five six seven eight nine ten eleven.", "One")]
    for text in ("caf\u00e9", "caf\u00e9 \u2014", "caf\u00e9 \U0001F600"):  # 1-, 2- and 4-byte text
        prepare_batch([Article("w", text, text)], cfg.prepare)
    batch = prepare_batch(arts, cfg.prepare)
    fh, fp, first = fingerprint_batch(batch, cfg.fingerprint)
    sentence_keys(batch, bands=1, min_words=2)
    (key, marks, doc, weight, line), links = line_rows(batch)
    learn(key, marks, doc, np.zeros(len(key), np.int64), weight, line, cfg.prepare.furniture)
    link_lines(np.array([1], np.uint64), np.array([0]), links, doc, line, key, marks, weight)
    mask_furniture(batch, np.arange(2), np.array([1], np.uint64))
    align_batch(batch, np.array([0]), np.array([1]), cfg.align)
    docs = np.repeat(np.arange(2, dtype=np.uint32), np.diff(first))
    codes, pl, pr, _ = bucket_pairs(fh, docs, fp, np.arange(2), cfg.candidates.bucket_cap)
    evidence(codes, pl, pr, within=1, drift=1)
    component_order(np.array([1, 2 << 32 | 3], np.int64))
    group_order(np.zeros(1, np.int64), 1)


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
    corpus = _Corpus()
    t0 = time.perf_counter()
    _warm_up(cfg)
    timings["warm_up"] = time.perf_counter() - t0  # compiling the kernels, on a first run
    with tempfile.TemporaryDirectory(prefix=spill_prefix(), dir=workdir) as tmp:
        store = ArticleStore(Path(tmp) / "articles")
        fps = SharedSpill(Path(tmp) / "fingerprints", _FP_COLUMNS, parts=64)
        furniture = _fingerprint_pass(jobs, cfg, corpus, store, fps, progress)
        common = furniture.codes
        timings["prepare"] = time.perf_counter() - t0

        t = time.perf_counter()
        doc_fps = np.concatenate([np.zeros(0, np.int64), *corpus.doc_fps]).astype(np.int64)
        slot_doc = np.concatenate([np.zeros(0, np.int64), *corpus.slot_doc])
        cands, pair_rows, nfps = _candidate_pass(fps, slot_doc, _id_rank(corpus.ids), doc_fps, common,
                                                 furniture.docs, cfg, Path(tmp), progress)
        codes = (cands.left << 32) | cands.right
        timings["candidates"] = time.perf_counter() - t

        boilerplate = _furniture_records(furniture, store.reader())
        t = time.perf_counter()
        _STATE.update(reader=store.reader(), common=CodeSet(common), config=cfg)
        index = {i: n for n, i in enumerate(corpus.ids)}
        dates = dict(zip(corpus.ids, corpus.dates, strict=True))
        try:
            counts: dict[str, int] = {}
            pairs = _align_pass(codes, cfg.workers, progress, "align", counts)
            aligned = codes
            extra = np.zeros(0, np.int64)
            if len(cands.big_buckets):
                ab = np.array([(index[p.a], index[p.b]) for p in pairs], np.int64).reshape(-1, 2)
                related = np.minimum(ab[:, 0], ab[:, 1]) << 32 | np.maximum(ab[:, 0], ab[:, 1])
                extra = expand_through_representatives(cands, related)
                extra = extra[~np.isin(extra, aligned)]
                pairs += _align_pass(extra, cfg.workers, progress, "align+", counts)
                aligned = np.union1d(aligned, extra)
            timings["align"] = time.perf_counter() - t

            t = time.perf_counter()
            fams = make_families(pairs, dates, cfg.families)
            missing = _uncompared_members(fams, index, aligned, cfg.families.complete_max_members)
            found = _align_pass(missing, cfg.workers, progress, "families", counts)
            if found:
                pairs += found
                fams = refresh_families(fams, pairs, found, dates, cfg.families)
        finally:
            _STATE.clear()
        pairs.sort(key=attrgetter("b"))  # two stable sorts on plain strings: (a, b) order,
        pairs.sort(key=attrgetter("a"))  # faster than one sort on tuples
    timings["families"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    stats = {"articles": len(corpus.ids), "tokens": corpus.tokens, "fingerprints": nfps, "shared_fingerprint_pairs": pair_rows,
             "furniture_lines": len(furniture), "furniture_masked": int(len(common)),
             "link_lines_masked": furniture.links, "candidates": int(len(codes)),
             "candidates_second_round": int(len(extra)), "family_completion": int(len(missing)),
             "big_buckets": len(cands.big_buckets),
             "template_pairs_set_aside": counts.get("template_pairs", 0),
             **_date_counts(corpus.dates),
             "pairs": len(pairs), "families": len(fams), "workers": cfg.workers,
             "cpu_count": os.cpu_count()}
    return ScanResult(pairs, fams, corpus.rejects, stats, timings, cfg, boilerplate,
                      ids=corpus.ids, furniture=common)


def _date_counts(dates: list[str | None]) -> dict[str, int]:
    """How many articles have no date, and how many a date that cannot be read."""
    seen = Counter(dates)
    usable = {d: usable_date(d) for d in seen}
    return {"dates_missing": sum(n for d, n in seen.items() if usable[d] is None),
            "dates_unusable": sum(n for d, n in seen.items() if usable[d] is False)}


def _furniture_records(furniture: Furniture, reader: Any) -> list[dict[str, Any]]:
    """The audit records of the corpus furniture: the text of each learned line (from one
    article that carries it), how many articles carry it, in how many it was masked, on
    how many sites, and why."""
    out = []
    order = np.lexsort((furniture.keys, -furniture.masked))
    for n in order.tolist():
        art = reader.get(int(furniture.example_doc[n]))
        lines = art.text.split("\n")
        ln = int(furniture.example_line[n])
        text = lines[ln] if ln < len(lines) else ""
        masked, carriers, sites = (int(x[n]) for x in (furniture.masked, furniture.carriers, furniture.sites))
        out.append({"text": text, "articles": carriers, "masked_in": masked, "sites": sites,
                    "example": art.id,
                    "why": f"recurs in {carriers} articles ({sites} sites) whose other text is their own"})
    for doc, ln, count, _, why in sorted(furniture.link_records, key=lambda r: -r[2]):
        art = reader.get(doc)
        lines = art.text.split("\n")
        out.append({"text": lines[ln] if ln < len(lines) else "", "articles": count, "masked_in": count,
                    "sites": None, "example": art.id, "why": why})
    return out
