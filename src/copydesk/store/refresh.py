"""Recomputing the corpus stages of an index after an add: corpus furniture, candidate join,
alignment and families over *all* live articles, as ``copydesk scan`` of them would
(:func:`copydesk.engines.local.finish_scan`, the same code), so an export equals a scan by
construction.  What makes it affordable:

* pass 1 (parsing, preparing, fingerprinting) is never redone: its rows are read back
  from the index, one hash partition at a time, by the join's workers;
* an alignment verdict is served from ``align_cache`` when nothing it depends on changed —
  the configuration and release, both articles' contents and the furniture lines masked in
  each (learned furniture grows with the corpus, and a verdict it affects is recomputed);
* the families of a component of the pair graph that did not change are those the last
  refresh found (:mod:`.family_cache`);
* the id rank and the date counts come from what each add kept in its books.

Articles are numbered in id order for the refresh (whatever the order they were added in),
so the answers do not depend on how the corpus was cut into adds.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from ..candidates import Candidates
from ..config import ScanConfig
from ..engines.local import Corpus, PoolAligner, _candidate_pass, finish_scan, threaded
from ..furniture import CodeSet, Furniture, pair_codes
from ..join_kernel import component_order
from ..plan import Progress, ScanResult, date_counts_of, date_flags, hash_id, learn_furniture
from ..records import Pair
from ..report.overview import date_key
from ..spill import group_order
from . import delta, examples
from .blobs import pack_arrays, unpack_arrays, unpack_json
from .family_cache import FamilyCache
from .family_cache import keep as keep_families
from .ingest import Added
from .reader import IndexArticles, IndexFingerprints
from .rows import replace_rows
from .schema import cache_salt

_K32 = np.uint64(0xFFFFFFFF)
PAIR_TABLE = ("a", "b", "ord", "relation", "origin", "coverage_a", "coverage_b", "passages", "origin_reason")
FAMILY_TABLE = ("family", "ord", "origin", "size", "members", "first_date", "last_date")


@dataclass(slots=True)
class Live:
    """The books of every live article, numbered in id order (the refresh's numbers)."""

    numbers: np.ndarray          # index number of each
    ids: list[str]
    dates: list[str | None]
    sources: list[str | None]
    hashes: list[bytes]
    corpus: Corpus
    rows: tuple[np.ndarray, ...]
    links: tuple[np.ndarray, ...] | None
    titles: tuple[np.ndarray, np.ndarray] | None
    tokens_known: bool = True  # False once an add skipped or replaced some of its articles


def live_books(conn: sqlite3.Connection) -> Live:
    """Every batch's books, less the retired articles, renumbered in id order."""
    retired = np.array([n for (n,) in conn.execute("SELECT n FROM retired")], np.int64)
    batches = []
    for first, count, blob in conn.execute("SELECT first, count, books FROM batches ORDER BY batch"):
        b = unpack_arrays(blob)
        batches.append((first + np.arange(count, dtype=np.int64), b, unpack_json(b["meta"])))
    e = np.zeros(0, np.int64)
    n_all = np.concatenate([e, *(n for n, _, _ in batches)])
    ids = [i for _, _, m in batches for i in m["ids"]]
    alive = ~np.isin(n_all, retired)
    live = np.flatnonzero(alive)
    # id order (numpy compares unicode strings by code point, as Python does)
    order = live[np.argsort(np.array([ids[k] for k in live.tolist()], dtype=str), kind="stable")] \
        if len(live) else live
    numbers = n_all[order]
    dense = np.full(int(n_all.max()) + 1 if len(n_all) else 0, -1, np.int64)
    dense[numbers] = np.arange(len(numbers))
    dates = [d for _, _, m in batches for d in m["dates"]]
    sources = [s for _, _, m in batches for s in m["sources"]]
    hashes = np.concatenate([np.zeros((0, 16), np.uint8), *(b["hash"] for _, b, _ in batches)])
    nfp = np.concatenate([e, *(b["nfp"] for _, b, _ in batches)])
    # id hashes and date flags (kept in the books since format version 2; computed for older)
    idh = np.concatenate([np.zeros(0, np.uint64), *(
        b["idh"] if "idh" in b else np.fromiter((hash_id(i) for i in m["ids"]), np.uint64, len(m["ids"]))
        for _, b, m in batches)])
    dflag = np.concatenate([np.zeros(0, np.int8), *(b["dflag"] if "dflag" in b else date_flags(m["dates"])
                                                    for _, b, m in batches)])
    tokens = [m["tokens"] for _, _, m in batches]
    site_ids: dict[str, int] = {}
    rows, links, titles = [], [], []
    for _, b, m in batches:
        site_map = np.array([site_ids.setdefault(s, len(site_ids)) for s in m["sites"]] + [-1], np.int32)
        doc = dense[b["doc"]]
        ok = doc >= 0
        rows.append((b["key"][ok], b["marks"][ok], doc[ok].astype(np.int32), site_map[b["site"][ok]],
                     b["weight"][ok], b["line"][ok]))
        if "ldoc" in b:
            doc = dense[b["ldoc"]]
            ok = doc >= 0
            links.append((doc[ok], b["lline"][ok], b["lkey"][ok], b["subs"][ok]))
            doc = dense[b["tdoc"]]
            ok = doc >= 0
            titles.append((b["tkey"][ok], doc[ok]))
    tokens_known = None not in tokens and not len(retired)
    # id_rank of the ids in id order: the same hashes in the same order
    rank = np.argsort(np.argsort(idh[order], kind="stable"), kind="stable")
    corpus = Corpus(ids=[ids[k] for k in order], dates=[dates[k] for k in order],
                    tokens=sum(tokens) if tokens_known else 0,
                    doc_fps=[nfp[order]], slot_doc=[dense], site_ids=site_ids, rank=rank,
                    date_stats=date_counts_of(dflag[order]))
    # in article order, each article's rows as pass 1 gave them (as a scan holds them: the
    # furniture rule takes the first carrier of a line as its example)
    all_rows = _by_doc(rows, 2)
    all_links = _by_doc(links, 0) if links else None
    all_titles = _by_doc(titles, 1) if titles else None
    return Live(numbers, corpus.ids, corpus.dates, [sources[k] for k in order],
                [bytes(hashes[k]) for k in order], corpus, all_rows, all_links, all_titles,  # type: ignore[arg-type]
                tokens_known)


def _by_doc(parts: list[tuple[np.ndarray, ...]], doc: int) -> tuple[np.ndarray, ...]:
    cols = tuple(np.concatenate(c) for c in zip(*parts, strict=True))
    d = cols[doc]
    order, _ = group_order(d, int(d.max()) + 1 if len(d) else 0)  # stable, linear time
    return tuple(c[order] for c in cols)


def masked_keys(live: Live, furniture: Furniture) -> dict[int, np.ndarray]:
    """The low 32 bits of the line keys masked as furniture in each article (refresh
    numbers; articles with none left out)."""
    codes = CodeSet(furniture.codes)
    docs, keys = [], []
    for doc, key in ((live.rows[2], live.rows[0]),
                     *([(live.links[0], live.links[2])] if live.links is not None else [])):
        doc = np.asarray(doc, np.int64)
        key = np.asarray(key, np.uint64) & _K32
        hit = codes.contains(pair_codes(doc, key))
        docs.append(doc[hit])
        keys.append(key[hit])
    if not docs:
        return {}
    both = np.unique(np.stack((np.concatenate(docs), np.concatenate(keys).astype(np.int64))), axis=1)
    doc, key = both
    cut = np.flatnonzero(np.diff(doc)) + 1
    return {int(d[0]): k.astype(np.uint32) for d, k in zip(np.split(doc, cut), np.split(key, cut), strict=True)
            if len(d)}


#: the cached verdict of a pair set aside as a template instance (else a pickled Pair, or
#: NULL: not related)
TEMPLATE = b"template"


class AlignCache:
    """Alignment verdicts (a related :class:`Pair`, a template instance set aside, or
    neither) keyed by a signature of all they depend on; serves :func:`finish_scan`'s
    ``align`` hook."""

    def __init__(self, conn: sqlite3.Connection, cfg: ScanConfig, live: Live,
                 masked: dict[int, np.ndarray]) -> None:
        self.conn, self.live, self.masked = conn, live, masked
        self.salt = cache_salt(cfg)
        self._doc: dict[int, bytes] = {}
        self.used: set[bytes] = set()
        self.hits = self.misses = 0
        self._table: dict[bytes, bytes | None] | None = None

    def _verdicts(self) -> dict[bytes, bytes | None]:
        """Every kept verdict by signature, read once, in one pass over the table (it holds
        what the last refresh used and little else, and a refresh asks for most of it: one
        sequential read instead of a lookup per signature spread over a file of gigabytes)."""
        if self._table is None:
            self._table = dict(self.conn.execute("SELECT sig, verdict FROM align_cache"))
        return self._table

    def _digest(self, i: int) -> bytes:
        d = self._doc.get(i)
        if d is None:
            m = self.masked.get(i)
            h = hashlib.blake2b(self.live.ids[i].encode("utf-8", "surrogatepass"), digest_size=16)
            h.update(self.live.hashes[i])
            h.update(m.tobytes() if m is not None else b"")
            d = self._doc[i] = h.digest()
        return d

    def signature(self, x: int, y: int) -> bytes:
        if self.live.ids[x] > self.live.ids[y]:
            x, y = y, x
        return hashlib.blake2b(self.salt + self._digest(x) + self._digest(y), digest_size=16).digest()

    def align(self, codes: np.ndarray, stage: str, pool_align: PoolAligner) -> list[Pair]:
        if not len(codes):
            return pool_align(codes, stage)
        left, right = (codes >> 32).tolist(), (codes & 0xFFFFFFFF).tolist()
        sigs = [self.signature(x, y) for x, y in zip(left, right, strict=True)]
        table = self._verdicts()
        found = {s: table[s] for s in sigs if s in table}
        miss = [k for k, s in enumerate(sigs) if s not in found]
        self.hits += len(sigs) - len(miss)
        self.misses += len(miss)
        known = len(pool_align.set_aside)
        fresh = pool_align(codes[miss], stage) if miss else []
        templates = set(np.concatenate([np.zeros(0, np.int64), *pool_align.set_aside[known:]]).tolist())
        by_ids = {(p.a, p.b): p for p in fresh}
        ids = self.live.ids
        rows = []
        for k in miss:
            a, b = sorted((ids[left[k]], ids[right[k]]))
            p = by_ids.get((a, b))
            verdict = pickle.dumps(p, protocol=5) if p is not None else \
                TEMPLATE if int(codes[k]) in templates else None
            rows.append((sigs[k], verdict))
        self.conn.executemany("INSERT OR REPLACE INTO align_cache VALUES (?, ?)", rows)
        table.update(rows)
        self.used.update(sigs)
        # the templates among the cached verdicts count as the scan counts them
        cached = [k for k, s in enumerate(sigs) if found.get(s) == TEMPLATE]
        if cached:
            pool_align.set_aside.append(codes[cached])
        out = fresh + [pickle.loads(v) for v in found.values() if v is not None and v != TEMPLATE]
        # in the order the engine's pool returns them (families are built in that order)
        pos = {int(c): i for i, c in enumerate(component_order(codes).tolist())}
        number = {ids[x]: x for x in set(left) | set(right)}

        def at(p: Pair) -> int:
            x, y = sorted((number[p.a], number[p.b]))
            return pos[x << 32 | y]
        out.sort(key=at)
        return out

    def prune(self) -> None:
        """Forget the verdicts this refresh did not use (their signature changed)."""
        gone = [(s,) for s in self._verdicts() if s not in self.used]
        self.conn.executemany("DELETE FROM align_cache WHERE sig = ?", gone)


def refresh(conn: sqlite3.Connection, path: Path, cfg: ScanConfig, tmp: Path, added: Added | None, *,
            progress: Progress | None = None) -> ScanResult:
    """Recompute the corpus stages over all live articles and store what they found."""
    live = live_books(conn)
    # (its independent passes in threads, as a scan learns it: the same furniture)
    furniture = learn_furniture(live.rows, live.links, live.titles, cfg, rank=live.corpus.rank,
                                spawn=threaded if cfg.workers > 1 else None)
    masked = masked_keys(live, furniture)
    first = added.first if added is not None else 1 << 62
    lines = examples.load(conn)
    reader = IndexArticles(path, live.numbers, first, added.store if added else None,
                           added.local if added else None, lines)
    fps = IndexFingerprints(path, added.fps if added else None, added.slot_n if added else None)
    cache = AlignCache(conn, cfg, live, masked)
    join = Join(conn, cfg, live, fps, tmp, added, progress)
    group = FamilyCache(conn, cache.salt)
    result = finish_scan(live.corpus, reader, fps, cfg, tmp, progress=progress, align=cache.align,
                         furniture=furniture, join=join, group=group)
    cache.prune()
    examples.keep(conn, lines, reader.used_lines)
    result.stats["join"] = join.how
    if not live.tokens_known:  # counted per add, so unknown once an add kept only some
        result.stats["tokens"] = None
    result.stats.update(alignments_cached=cache.hits, alignments_computed=cache.misses)
    store_results(conn, result, live, masked, furniture)
    keep_families(conn, cache.salt, result.pairs, result.families, dict(zip(live.ids, live.dates, strict=True)))
    return result


class Join:
    """``finish_scan``'s candidate join for a refresh: the last refresh's candidates revised
    for the add (:mod:`.delta`) when that is exact, else the full join over every stored
    partition; either way the result is kept for the next add."""

    def __init__(self, conn: sqlite3.Connection, cfg: ScanConfig, live: Live, fps: IndexFingerprints,
                 tmp: Path, added: Added | None, progress: Progress | None) -> None:
        self.conn, self.cfg, self.live, self.fps, self.tmp = conn, cfg, live, fps, tmp
        self.added, self.progress = added, progress
        self.how = "full"
        # what the last refresh masked, read before this refresh replaces it
        self.state = None
        self.before: dict[int, np.ndarray] = {}
        self.keep = delta.MAX_REVISED_SHARE > 0
        if not self.keep:
            delta.forget_state(conn)  # a state kept earlier would be stale by the next add
        elif added is not None and added.count and not added.counts.get("replaced") and live.tokens_known:
            self.state = delta.load_state(conn)
            dense = live.corpus.slot_doc[0]
            for n, keys in conn.execute("SELECT n, keys FROM masked"):
                if n < len(dense) and dense[n] >= 0:
                    self.before[int(dense[n])] = np.frombuffer(keys, np.uint32)

    def __call__(self, rank: np.ndarray, furniture: Furniture) -> tuple[Candidates, int, int]:
        corpus = self.live.corpus
        doc_fps = np.concatenate([np.zeros(0, np.int64), *corpus.doc_fps]).astype(np.int64)
        res = None
        if self.state is not None:
            batch = int(self.conn.execute("SELECT MAX(batch) FROM batches").fetchone()[0])
            res = delta.revise(self.conn, self.state, self.live.numbers, corpus.slot_doc[0], batch, rank,
                               furniture, self.before, doc_fps, self.cfg)
            if res is not None:
                self.how = "revised"
                self.fps.remove()
        if res is None:
            slot_doc = np.concatenate([np.zeros(0, np.int64), *corpus.slot_doc])
            res = _candidate_pass(self.fps, slot_doc, rank, doc_fps, furniture.codes, furniture.docs, self.cfg,
                                  self.tmp, self.progress)
        if self.keep:
            delta.save_state(self.conn, self.live.numbers, res[0], res[2], res[1])
        return res


def day(value: str | None) -> str | None:
    """A publication date as ``YYYY-MM-DD`` (None when absent or unreadable)."""
    flag, when = date_key(value)
    return None if flag else when.date().isoformat()


def _passages(p: Pair) -> str:
    return orjson.dumps([list(x) for x in p.passages]).decode()


def store_results(conn: sqlite3.Connection, result: ScanResult, live: Live,
                  masked: dict[int, np.ndarray], furniture: Furniture) -> None:
    """Replace what the last refresh found with ``result``, writing the rows that changed
    (:func:`~.rows.replace_rows`; pairs and families are read back in key order, which is
    the order a scan writes them in, so their ``ord`` column is left 0)."""
    replace_rows(conn, "pairs", PAIR_TABLE, 2, (
        (p.a, p.b, 0, p.relation, p.origin, p.coverage_a, p.coverage_b, _passages(p), p.origin_reason)
        for p in result.pairs))
    number = {i: k for k, i in enumerate(live.ids)}
    family_of: dict[str, str] = {}
    rows, outlets = [], []
    for f in result.families:
        days = sorted(d for m in f.members if (d := day(live.dates[number[m]])))
        rows.append((f.family, 0, f.origin, len(f.members), json.dumps(list(f.members)),
                     days[0] if days else None, days[-1] if days else None))
        family_of.update((m, f.family) for m in f.members)
        mine = {s for m in f.members if (s := live.sources[number[m]])}
        outlets += [(o, f.family) for o in mine]
    replace_rows(conn, "families", FAMILY_TABLE, 1, rows)
    replace_rows(conn, "family_outlets", ("outlet", "family"), 2, outlets)
    replace_rows(conn, "family_members", ("id", "family"), 1, family_of.items())
    relations = {(p.relation, fam) for p in result.pairs if (fam := family_of.get(p.a))}
    replace_rows(conn, "family_relations", ("relation", "family"), 2, relations)
    conn.execute("DELETE FROM boilerplate")  # (in the order of the records: rewritten)
    conn.executemany("INSERT INTO boilerplate VALUES (?, ?)",
                     ((k, json.dumps(r, ensure_ascii=False)) for k, r in enumerate(result.boilerplate)))
    replace_rows(conn, "masked", ("n", "keys"), 1,
                 ((int(live.numbers[d]), k.tobytes()) for d, k in masked.items()))
    keys = np.unique(np.asarray(furniture.keys, np.uint64) & _K32).astype(np.uint32)
    meta: dict[str, Any] = {
        "furniture_keys": pack_arrays({"keys": keys}),
        "stats": json.dumps(result.stats), "timings": json.dumps(result.timings),
        "summary": json.dumps(result.summary())}
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
