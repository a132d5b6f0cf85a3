"""The persistent index: :class:`Index`, one SQLite file that grows by adds and answers
queries, and whose export equals ``copydesk scan`` of every article it holds.

An add is one write transaction: pass 1 on the new articles (:mod:`.ingest`), then the
corpus stages recomputed over all articles (:mod:`.refresh`), then COMMIT.  A killed add
leaves the index as it was (and its spill folder, which the next add sweeps,
:mod:`.spills`); readers (queries, exports, the web service) keep reading the
last committed state meanwhile (WAL).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..config import ScanConfig
from ..engines.local import _warm_up
from ..errors import ConfigError
from ..plan import Progress
from ..read import FieldMap, RejectLog, batched, read_batches
from ..records import RELATIONS, Article, Family, Pair
from . import export as export_mod
from .export import FAMILY_COLUMNS, PAIR_COLUMNS, family_of_row, pair_of
from .ingest import prepare_new
from .query import IndexFurniture, find
from .reader import ARTICLE_COLUMNS, article_of
from .refresh import day, refresh
from .schema import begin_write, check, connect, create, migrate
from .spills import spill_prefix, sweep_stale


class Index:
    """A persistent index at ``path`` (created by the first :meth:`add` if missing).

    ``workers``: processes for adds (default: all cores).  Read methods may be called from
    several threads (each gets its own connection) and from other processes while one adds.
    """

    def __init__(self, path: str | Path, *, workers: int | None = None) -> None:
        self.path = Path(path)
        self.config = ScanConfig(workers=workers or os.cpu_count() or 1)
        self._local = threading.local()
        if self.path.exists():
            check(self.path, self.config)

    # -- connections ------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        """This thread's read connection (the index must exist)."""
        db = getattr(self._local, "db", None)
        if db is None or getattr(self._local, "pid", None) != os.getpid():
            check(self.path, self.config)
            db = connect(self.path)
            db.execute("PRAGMA query_only = 1")
            self._local.db, self._local.pid = db, os.getpid()
            self._local.furniture = None  # data_version is counted per connection
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------
    def add(self, items: Sequence[Article] | Sequence[str | Path] | str | Path, *, replace: bool = False,
            progress: Progress | None = None, fields: FieldMap | None = None, format: str | None = None,
            workdir: str | Path | None = None) -> dict[str, Any]:
        """Add articles (records, or input paths as ``copydesk scan`` reads them: JSON Lines,
        CSV, ..., ``-`` for stdin).  An id already indexed with the same content is left
        alone; with other content it is rejected unless ``replace``.  Returns the counts."""
        t0 = time.perf_counter()
        cfg = self.config
        log = RejectLog()
        listed = [items] if isinstance(items, (str, Path)) else list(items)
        if listed and all(isinstance(x, Article) for x in listed):
            jobs: Iterable[Any] = batched(listed, cfg.batch_size)  # type: ignore[arg-type]
            sources = ["<articles>"]
        else:
            if any(isinstance(x, Article) for x in listed):
                raise ConfigError("add takes articles or input paths, not a mix")
            jobs = read_batches([Path(x) if str(x) != "-" else "-" for x in listed],  # type: ignore[misc]
                                rejects=log, size=cfg.batch_size, fields=fields, format=format)
            sources = [str(x) for x in listed]
        if not self.path.exists():
            create(self.path, cfg)
        check(self.path, cfg)
        conn = connect(self.path)
        try:
            begin_write(conn, self.path)
            try:
                migrate(conn, self.path)
                counts = self._add(conn, jobs, log, sources, replace=replace, progress=progress,
                                   workdir=workdir)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()
        counts["seconds"] = round(time.perf_counter() - t0, 3)
        return counts

    def _add(self, conn: sqlite3.Connection, jobs: Iterable[Any], log: RejectLog, sources: list[str], *,
             replace: bool, progress: Progress | None, workdir: str | Path | None) -> dict[str, Any]:
        cfg = self.config
        _warm_up(cfg)
        # holding the write lock: what an earlier add that was killed left behind can go
        sweep_stale(Path(workdir) if workdir is not None else Path(tempfile.gettempdir()), self.path)
        with tempfile.TemporaryDirectory(prefix=spill_prefix(self.path), dir=workdir) as tmp:
            added = prepare_new(conn, jobs, cfg, Path(tmp), replace=replace, progress=progress)
            for r in added.rejects:
                log.add(r)
            before = conn.total_changes
            conn.executemany("INSERT OR IGNORE INTO rejects (record) VALUES (?)",
                             ((json.dumps(r.to_dict(), ensure_ascii=False),) for r in log))
            new_rejects = conn.total_changes - before
            timings: dict[str, float] = {}
            if added.count:
                result = refresh(conn, self.path, cfg, Path(tmp), added, progress=progress)
                timings = result.timings
            else:
                added.fps.remove()
        counts: dict[str, Any] = {**added.counts, "rejected": log.count, "skipped": log.skipped}
        if added.count or new_rejects:
            conn.execute("INSERT INTO adds (at, inputs, counts) VALUES (?, ?, ?)",
                         (time.strftime("%Y-%m-%dT%H:%M:%S%z"), json.dumps(sources), json.dumps(counts)))
        counts["articles"] = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        counts["pairs"] = conn.execute("SELECT COUNT(*) FROM pairs").fetchone()[0]
        counts["families"] = conn.execute("SELECT COUNT(*) FROM families").fetchone()[0]
        counts["timings"] = {k: round(v, 3) for k, v in timings.items()}
        counts["rejects"] = [r.to_dict() for r in log]  # JSON-ready, as rejects.jsonl has them
        return counts

    # -- reading ----------------------------------------------------------------------------
    def query(self, article: Article, *, top: int = 10) -> list[Pair]:
        """The indexed articles sharing text with ``article`` (pairs, most of its text reused
        first); the index is not changed."""
        if top < 1:
            raise ConfigError("top must be >= 1")
        db = self._db()
        db.execute("BEGIN")
        try:
            return find(db, article, self.config, top=top, furniture=self._furniture(db))
        finally:
            db.execute("COMMIT")

    def _furniture(self, db: sqlite3.Connection) -> IndexFurniture:
        """The index's furniture, kept by this thread until another connection commits (an
        add: SQLite's ``data_version`` of this connection then changes)."""
        version = db.execute("PRAGMA data_version").fetchone()[0]
        kept = getattr(self._local, "furniture", None)
        if kept is None or kept[0] != version:
            kept = self._local.furniture = (version, IndexFurniture.read(db))
        return kept[1]

    def export(self, out: str | Path) -> dict[str, Any]:
        """Write pairs, families, boilerplate, rejects and run.json to ``out``, as
        ``copydesk scan`` of every indexed article would."""
        return export_mod.export(self._db(), self.path, Path(out))

    def article(self, id: str) -> Article | None:
        row = self._db().execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (id,)).fetchone()
        return article_of(row) if row else None

    def pairs_of(self, id: str) -> list[Pair]:
        rows = self._db().execute(f"SELECT {PAIR_COLUMNS} FROM pairs WHERE a = ? UNION ALL "
                                  f"SELECT {PAIR_COLUMNS} FROM pairs WHERE b = ?", (id, id)).fetchall()
        return sorted((pair_of(r) for r in rows), key=lambda p: (p.a, p.b))

    def pair(self, a: str, b: str) -> Pair | None:
        a, b = sorted((a, b))
        row = self._db().execute(f"SELECT {PAIR_COLUMNS} FROM pairs WHERE a = ? AND b = ?", (a, b)).fetchone()
        return pair_of(row) if row else None

    def family(self, family_id: str) -> Family | None:
        row = self._db().execute(f"SELECT {FAMILY_COLUMNS} FROM families WHERE family = ?",
                                 (family_id,)).fetchone()
        return family_of_row(row) if row else None

    def family_of(self, id: str) -> Family | None:
        row = self._db().execute(f"SELECT {', '.join('f.' + c for c in FAMILY_COLUMNS.split(', '))} "
                                 "FROM family_members m JOIN families f ON f.family = m.family "
                                 "WHERE m.id = ?", (id,)).fetchone()
        return family_of_row(row) if row else None

    def families(self, *, offset: int = 0, limit: int = 50, outlet: str | None = None,
                 date_from: str | None = None, date_to: str | None = None, relation: str | None = None,
                 min_size: int = 2) -> tuple[list[Family], int]:
        """A page of families, largest first (then by id), and how many match.  ``outlet``:
        some member's ``source`` is it; ``date_from``/``date_to``: the family's first
        publication date (its earliest dated member's day) is inside the range, both ends
        included (an undated family never matches); ``relation``: a pair inside has it."""
        if offset < 0 or limit < 0:
            raise ConfigError("offset and limit must be >= 0")
        if relation is not None and relation not in RELATIONS:
            raise ConfigError(f"unknown relation {relation!r}; choose one of {', '.join(RELATIONS)}")
        lo, hi = day(date_from), day(date_to)
        if (date_from and lo is None) or (date_to and hi is None):
            raise ConfigError("dates must be ISO dates such as 2024-05-31")
        where, args = ["f.size >= ?"], [min_size]
        if outlet is not None:
            where.append("f.family IN (SELECT family FROM family_outlets WHERE outlet = ?)")
            args.append(outlet)
        if relation is not None:
            where.append("f.family IN (SELECT family FROM family_relations WHERE relation = ?)")
            args.append(relation)
        if lo is not None:
            where.append("f.first_date >= ?")
            args.append(lo)
        if hi is not None:
            where.append("f.first_date <= ?")
            args.append(hi)
        cond = " AND ".join(where)
        db = self._db()
        db.execute("BEGIN")
        try:
            total = db.execute(f"SELECT COUNT(*) FROM families f WHERE {cond}", args).fetchone()[0]
            rows = db.execute(f"SELECT {', '.join('f.' + c for c in FAMILY_COLUMNS.split(', '))} "
                              f"FROM families f WHERE {cond} ORDER BY f.size DESC, f.family "
                              "LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        finally:
            db.execute("COMMIT")
        return [family_of_row(r) for r in rows], int(total)

    def outlets(self) -> list[str]:
        return [s for (s,) in self._db().execute(
            "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY source")]

    def stats(self) -> dict[str, Any]:
        """Articles, pairs by relation, families, size on disk, sources, date range."""
        db = self._db()
        db.execute("BEGIN")
        try:
            info = export_mod.meta(db)
            articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            by_rel = dict(db.execute("SELECT relation, COUNT(*) FROM pairs GROUP BY relation"))
            fams = db.execute("SELECT COUNT(*) FROM families").fetchone()[0]
            sources = db.execute("SELECT COUNT(DISTINCT source) FROM articles").fetchone()[0]
            first = db.execute("SELECT MIN(date) FROM articles WHERE date IS NOT NULL").fetchone()[0]
            last = db.execute("SELECT MAX(date) FROM articles").fetchone()[0]
            undated = db.execute("SELECT COUNT(*) FROM articles WHERE date IS NULL").fetchone()[0]
            rejects = db.execute("SELECT COUNT(*) FROM rejects").fetchone()[0]
            adds = db.execute("SELECT COUNT(*), MAX(at) FROM adds").fetchone()
            cached = db.execute("SELECT COUNT(*) FROM align_cache").fetchone()[0]
            version = db.execute("SELECT value FROM meta WHERE key = 'format_version'").fetchone()[0]
        finally:
            db.execute("COMMIT")
        size = sum(Path(f"{self.path}{s}").stat().st_size for s in ("", "-wal")
                   if Path(f"{self.path}{s}").exists())
        return {"path": str(self.path), "format_version": version, "articles": articles,
                "pairs": sum(by_rel.values()), "pairs_by_relation": {r: by_rel.get(r, 0) for r in RELATIONS},
                "families": fams, "sources": sources, "date_first": first, "date_last": last,
                "undated": undated, "rejects": rejects, "adds": adds[0], "last_add": adds[1],
                "size_bytes": size, "bytes_per_article": round(size / articles) if articles else None,
                "cached_alignments": cached, "created_by": info.get("created_by")}
