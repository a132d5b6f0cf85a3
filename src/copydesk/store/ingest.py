"""Adding articles to an index: pass 1 of a scan (read, prepare, fingerprint) on the new
articles only, then what it produced persisted per article and per add batch.

Each article is kept once: an id already indexed with the same content is left as it is
(adding is idempotent); with other content it is a reject, unless the add replaces it
(``replace``), which retires the old article's number.  Everything is written inside the
caller's transaction (:mod:`copydesk.store.index`), so a killed add leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from ..config import ScanConfig
from ..engines.local import Corpus, prepare_corpus
from ..plan import Progress, date_flags, hash_id
from ..read import ArticleBatch
from ..records import Article, Reject
from ..spill import SharedSpill, StoreReader, append_file
from . import postings
from .blobs import pack_arrays, pack_json, pack_text
from .reader import PARTS, new_rows

CHANGED = "id already indexed with another text or metadata (add it with --replace to replace it)"


def content_hash(a: Article) -> bytes:
    """What makes two articles of one id the same article: every field."""
    data = [a.id, a.text, a.title, a.date, a.source, a.url, sorted(a.extra.items()) if a.extra else None]
    try:
        raw = orjson.dumps(data)
    except TypeError:  # an unpaired surrogate, or an extra value orjson cannot encode
        raw = json.dumps(data, default=str).encode()
    return hashlib.blake2b(raw, digest_size=16).digest()


class ArticleRecords:
    """Pass 1's record hook (:func:`copydesk.engines.local.prepare_corpus`): what the
    ``articles`` table keeps of each article besides its id and numbers — content hash,
    title, date, source, url, extra (JSON) — made in the workers, with its text compressed
    there too and appended to a file of the worker's in ``folder`` (so that the texts of a
    big add are not all held in memory); :meth:`text` reads one back."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._open: dict[str, int] = {}

    def __call__(self, arts: list[Article]) -> list[tuple[Any, ...]]:
        texts = [pack_text(a.text) for a in arts]
        name, at = append_file(self.folder, b"".join(texts))
        ends = np.cumsum([len(t) for t in texts], dtype=np.int64) + at
        return [(content_hash(a), a.title, a.date, a.source, a.url,
                 json.dumps(a.extra, ensure_ascii=False, default=str) if a.extra else None, name, e - len(t), e)
                for a, t, e in zip(arts, texts, ends.tolist(), strict=True)]

    def text(self, rec: tuple[Any, ...]) -> bytes:
        """The compressed text of a record (a zstd frame, as :func:`pack_text` makes)."""
        name, start, end = rec[6], rec[7], rec[8]
        fd = self._open.get(name)
        if fd is None:
            fd = self._open[name] = os.open(self.folder / name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        if hasattr(os, "pread"):
            return os.pread(fd, end - start, start)
        os.lseek(fd, start, os.SEEK_SET)  # Windows
        return os.read(fd, end - start)

    def close(self) -> None:
        for fd in self._open.values():
            os.close(fd)
        self._open.clear()


@dataclass(slots=True)
class Added:
    """What an add's pass 1 left for the refresh: its spills and how their articles map to
    index numbers."""

    first: int                      # index number of the first added article
    count: int
    local: np.ndarray               # local article number by (index number - first)
    slot_n: np.ndarray              # fingerprint spill slot -> index number (-1: not added)
    store: StoreReader
    fps: SharedSpill
    counts: dict[str, int] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)


def capture(jobs: Iterable[Any], found: dict[str, Article]) -> Iterator[Any]:
    """Pass the batches on, keeping the whole articles of those given as articles (the
    scan's store keeps only what alignment needs of them)."""
    for job in jobs:
        if isinstance(job, (ArticleBatch, list)):
            for a in job:
                found.setdefault(a.id, a)
        yield job


def prepare_new(conn: sqlite3.Connection, jobs: Iterable[Any], cfg: ScanConfig, tmp: Path, *,
                replace: bool, progress: Progress | None) -> Added:
    """Pass 1 over ``jobs``, then the articles sorted into added / unchanged / replaced /
    rejected, and the added ones written (rows, books, fingerprints, postings)."""
    found: dict[str, Article] = {}
    records = ArticleRecords(tmp / "texts")
    try:
        return _prepare_new(conn, jobs, cfg, tmp, records, found, replace=replace, progress=progress)
    finally:
        records.close()


def _prepare_new(conn: sqlite3.Connection, jobs: Iterable[Any], cfg: ScanConfig, tmp: Path,
                 records: ArticleRecords, found: dict[str, Article], *, replace: bool,
                 progress: Progress | None) -> Added:
    corpus, store, fps = prepare_corpus(capture(jobs, found), cfg, tmp, progress, records=records)
    reader = store.reader()
    ids = corpus.ids
    known: dict[str, tuple[int, bytes]] = {}
    for at in range(0, len(ids), 500):
        chunk = ids[at:at + 500]
        q = f"SELECT id, n, hash FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
        known.update((i, (n, h)) for i, n, h in conn.execute(q, chunk))
    keep = np.zeros(len(ids), np.bool_)
    books: list[tuple[str, str | None, str | None]] = []  # id, date, source of each added
    hashes: list[bytes] = []
    rejects = list(corpus.rejects)
    retire: list[int] = []
    unchanged = 0
    first = int(conn.execute("SELECT COALESCE(MAX(first + count), 0) FROM batches").fetchone()[0])
    batch = int(conn.execute("SELECT COALESCE(MAX(batch), -1) + 1 FROM batches").fetchone()[0])
    rows: list[tuple[Any, ...]] = []
    made = len(corpus.records) == len(ids)  # else (a pass without the hook) made here
    for i, art_id in enumerate(ids):
        rec = corpus.records[i] if made else records([found.pop(art_id, None) or reader.get(i)])[0]
        h = rec[0]
        old = known.get(art_id)
        if old is not None and old[1] == h:
            unchanged += 1
            continue
        if old is not None and not replace:
            rejects.append(Reject(corpus.where_of(art_id) or f"article {art_id}", CHANGED, art_id,
                                  reader.raw_text(i)))
            continue
        if old is not None:  # replaced: its number is retired (its rows in the books skipped)
            retire.append(old[0])
            conn.execute("INSERT OR IGNORE INTO retired VALUES (?)", (old[0],))
            conn.execute("DELETE FROM articles WHERE n = ?", (old[0],))
            conn.execute("DELETE FROM masked WHERE n = ?", (old[0],))
        keep[i] = True
        _, title, date, source, url, extra = rec[:6]
        rows.append((first + len(books), art_id, h, title, date, source, url, extra, records.text(rec), batch))
        books.append((art_id, date, source))
        hashes.append(h)
        if len(rows) >= 2000:  # written as they come: texts are not all held at once
            _insert_articles(conn, rows)
    _insert_articles(conn, rows)
    kept = np.flatnonzero(keep)
    glob = np.full(len(ids), -1, np.int64)
    glob[kept] = first + np.arange(len(kept))
    slot_local = np.concatenate([np.zeros(0, np.int64), *corpus.slot_doc])
    slot_n = np.full(len(slot_local), -1, np.int64)  # slots of rejected records stay -1
    some = slot_local >= 0
    slot_n[some] = glob[slot_local[some]]
    counts = {"read": len(ids), "added": int(len(kept)) - len(retire), "replaced": len(retire),
              "unchanged": unchanged}
    added = Added(first, int(len(kept)), kept, slot_n, reader, fps, counts, rejects)
    if not len(kept):
        return added
    conn.execute("INSERT INTO batches VALUES (?, ?, ?, ?)",
                 (batch, first, len(kept), _books(corpus, glob, books, hashes)))
    _fingerprints(conn, fps, slot_n, batch)
    return added


def _insert_articles(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    conn.executemany("INSERT INTO articles (n, id, hash, title, date, source, url, extra, text, batch) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    rows.clear()


def _books(corpus: Corpus, glob: np.ndarray, books: list[tuple[str, str | None, str | None]],
           hashes: list[bytes]) -> bytes:
    """The batch's books: per added article (in number order) id, date, source, content
    hash, id hash (:func:`~copydesk.plan.hash_id`), date flag
    (:func:`~copydesk.plan.date_flags`), winnowed fingerprint count; the line rows, link
    rows and headline keys of pass 1 with index numbers (and site names) in place of the
    add's own numbers."""
    nfp = np.concatenate([np.zeros(0, np.int64), *corpus.doc_fps]).astype(np.int64)[glob >= 0]
    sites = sorted(corpus.site_ids, key=corpus.site_ids.__getitem__)
    cat = np.concatenate
    key, marks, doc, site, weight, line = (cat(c) for c in zip(*corpus.rows, strict=True))
    ok = glob[doc] >= 0
    ids = [b[0] for b in books]
    out = {"nfp": nfp, "hash": np.frombuffer(b"".join(hashes), np.uint8).reshape(-1, 16),
           "idh": np.fromiter((hash_id(i) for i in ids), np.uint64, len(ids)),
           "dflag": date_flags([b[1] for b in books]),
           "key": key[ok], "marks": marks[ok], "doc": glob[doc[ok]], "site": site[ok],
           "weight": weight[ok], "line": line[ok],
           "meta": pack_json({"ids": ids, "dates": [b[1] for b in books],
                              "sources": [b[2] for b in books], "sites": sites,
                              "tokens": corpus.tokens if len(books) == len(corpus.ids) else None})}
    if corpus.links:
        ldoc, lline, lkey, subs = (cat(c) for c in zip(*corpus.links, strict=True))
        ok = glob[ldoc] >= 0
        out.update(ldoc=glob[ldoc[ok]], lline=lline[ok], lkey=lkey[ok], subs=subs[ok])
        tkey, tdoc = (cat(c) for c in zip(*corpus.titles, strict=True))
        ok = glob[tdoc] >= 0
        out.update(tkey=tkey[ok], tdoc=glob[tdoc[ok]])
    return pack_arrays(out, compress=True)


def _fingerprints(conn: sqlite3.Connection, fps: SharedSpill, slot_n: np.ndarray, batch: int) -> None:
    """The batch's fingerprint rows, one BLOB per hash partition, and its postings."""
    assert fps.parts == PARTS
    posts = []
    for p in range(fps.parts):
        part = fps.read(p)
        if part is None:
            continue
        rows = new_rows(part, slot_n)
        if not len(rows["h"]):
            continue
        conn.execute("INSERT INTO fingerprints VALUES (?, ?, ?)", (p, batch, pack_arrays(rows)))
        sample = postings.sample(rows["h"], rows["p"])
        posts.append(np.stack((rows["h"][sample].view(np.int64), rows["d"][sample].astype(np.int64))))
    if posts:
        h, n = np.concatenate(posts, axis=1)
        postings.write(conn, h, n)
        postings.compact(conn)
