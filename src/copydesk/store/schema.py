"""The index file: one SQLite database in WAL mode, its tables, and the checks made when
it is opened (a copydesk index, of a format version this release reads, built with this
configuration).

Tables (``n`` is an article's number in the index: given once, never reused):

* ``meta`` — key/value: format name and version, configuration and its hash, corpus
  furniture keys, the books of the last refresh (stats, inputs).
* ``articles`` — one row per live article: id, content hash, metadata, text (zstd).
* ``batches`` / ``fingerprints`` — what pass 1 produced for each add batch: the books
  (ids, dates, sources, hashes, line rows, link rows, headline keys) and the fingerprint
  rows, one BLOB per hash partition, so a refresh reads each partition as the scan's join
  would.  ``retired`` lists the numbers of replaced articles (their rows are skipped).
* ``postings`` — (block, hash, article) for a deterministic quarter of each article's
  winnowed fingerprints: the query's candidate lookup (:mod:`.postings`).
* ``pairs``, ``families``, ``family_members``, ``family_outlets``, ``family_relations``,
  ``boilerplate``, ``masked`` — what the last refresh found (as ``copydesk scan`` of all
  live articles would).
* ``align_cache`` — alignment verdicts keyed by a signature of all they depend on.
* ``rejects``, ``adds`` — the books of the adds.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import ScanConfig
from ..errors import IndexBusy, NotAnIndex
from ..plan import hash_id
from . import postings

FORMAT = "copydesk-index"
FORMAT_VERSION = 3
#: older format versions this release reads as they are (queries, stats, export)
#: (1: postings keyed by hash alone, see copydesk.store.postings; 1 and 2: line rows
#: without the min-hashes of their figures, see copydesk.prepare_batch.line_rows)
MIGRATED = frozenset({1, 2})
#: seconds a writer waits for another writer's lock before giving up
BUSY_TIMEOUT = 60.0

TABLES = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE articles (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, hash BLOB NOT NULL,
    title TEXT, date TEXT, source TEXT, url TEXT, extra TEXT, text BLOB NOT NULL,
    batch INTEGER NOT NULL);
CREATE INDEX articles_source ON articles (source);
CREATE INDEX articles_date ON articles (date);
CREATE TABLE batches (batch INTEGER PRIMARY KEY, first INTEGER NOT NULL, count INTEGER NOT NULL,
    books BLOB NOT NULL);
CREATE TABLE fingerprints (part INTEGER NOT NULL, batch INTEGER NOT NULL, rows BLOB NOT NULL,
    PRIMARY KEY (part, batch));
CREATE TABLE retired (n INTEGER PRIMARY KEY);
{postings.TABLE};
CREATE TABLE masked (n INTEGER PRIMARY KEY, keys BLOB NOT NULL);
CREATE TABLE pairs (a TEXT NOT NULL, b TEXT NOT NULL, ord INTEGER NOT NULL, relation TEXT NOT NULL,
    origin TEXT, coverage_a REAL NOT NULL, coverage_b REAL NOT NULL, passages TEXT NOT NULL,
    origin_reason TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE INDEX pairs_b ON pairs (b);
CREATE TABLE families (family TEXT PRIMARY KEY, ord INTEGER NOT NULL, origin TEXT,
    size INTEGER NOT NULL, members TEXT NOT NULL, first_date TEXT, last_date TEXT);
CREATE INDEX families_size ON families (size DESC, family);
CREATE TABLE family_members (id TEXT PRIMARY KEY, family TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX family_members_family ON family_members (family);
CREATE TABLE family_outlets (outlet TEXT NOT NULL, family TEXT NOT NULL,
    PRIMARY KEY (outlet, family)) WITHOUT ROWID;
CREATE TABLE family_relations (relation TEXT NOT NULL, family TEXT NOT NULL,
    PRIMARY KEY (relation, family)) WITHOUT ROWID;
CREATE TABLE boilerplate (ord INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE rejects (ord INTEGER PRIMARY KEY, record TEXT NOT NULL UNIQUE);
CREATE TABLE align_cache (sig BLOB PRIMARY KEY, verdict BLOB) WITHOUT ROWID;
CREATE TABLE adds (ord INTEGER PRIMARY KEY, at TEXT NOT NULL, inputs TEXT NOT NULL,
    counts TEXT NOT NULL);
"""


def config_key(cfg: ScanConfig) -> dict[str, Any]:
    """What of a configuration decides an index's answers (not the workers)."""
    d = cfg.to_dict()
    d.pop("workers", None)
    d.pop("batch_size", None)
    return d


def config_hash(cfg: ScanConfig) -> str:
    return f"{hash_id(json.dumps(config_key(cfg), sort_keys=True)):016x}"


def cache_salt(cfg: ScanConfig) -> bytes:
    """What every cached alignment verdict depends on besides its two articles: the
    configuration and the release (whose kernels might judge differently), and the form of
    the verdicts (2: a template instance is told apart from an unrelated pair)."""
    return f"{config_hash(cfg)}/{__version__}/verdicts-2".encode()


def connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """A connection to an index file (autocommit: transactions are explicit).  Without
    ``create`` a missing file is an error rather than a new empty database."""
    target = str(path) if create else f"{Path(path).resolve().as_uri()}?mode=rw"
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT, isolation_level=None,
                           check_same_thread=False, uri=not create)
    conn.execute("PRAGMA synchronous = NORMAL")  # WAL: a commit survives a killed process
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("PRAGMA journal_size_limit = 67108864")  # the WAL shrinks back after a big add
    return conn


def create(path: Path, cfg: ScanConfig) -> None:
    """Make a new, empty index at ``path``: built under a temporary name and linked into
    place when complete, so a killed process never leaves half an index under ``path``
    (if another process created one meanwhile, that one stays)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    tmp.unlink(missing_ok=True)
    conn = connect(tmp, create=True)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(f"BEGIN;{TABLES}COMMIT;")
        rows = {"format": FORMAT, "format_version": FORMAT_VERSION,
                "config": json.dumps(config_key(cfg), sort_keys=True),
                "config_hash": config_hash(cfg), "created_by": f"copydesk {__version__}"}
        conn.executemany("INSERT INTO meta VALUES (?, ?)", rows.items())
        conn.close()  # the last connection: WAL checkpointed into the file
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def check(path: Path, cfg: ScanConfig) -> None:
    """Refuse, in one line, a file that is not a copydesk index of this format version
    built with this configuration."""
    # never open() the file itself: closing a descriptor of an SQLite file drops every POSIX
    # lock this process holds on it, those of its open connections too (and a writer in
    # another process may then take the file for unused and reset its WAL)
    if path.is_dir():
        raise NotAnIndex(f"{path} is a folder, not a copydesk index file")
    if not path.exists():
        raise NotAnIndex(f"no index at {path}: create one with copydesk index add {path} "
                         "ARTICLES...")
    if path.stat().st_size == 0:
        raise NotAnIndex(f"{path} is an empty file, not a copydesk index")
    try:
        conn = connect(path)
    except sqlite3.DatabaseError:
        raise NotAnIndex(f"{path} is not a copydesk index (not an SQLite database)") from None
    except sqlite3.Error as e:
        raise NotAnIndex(f"{path} cannot be opened as a copydesk index ({e})") from None
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError:
        raise NotAnIndex(f"{path} is an SQLite database but not a copydesk index "
                         "(no copydesk tables)") from None
    finally:
        conn.close()
    if meta.get("format") != FORMAT:
        raise NotAnIndex(f"{path} is an SQLite database but not a copydesk index")
    version = meta.get("format_version")
    if version != FORMAT_VERSION and version not in MIGRATED:
        raise NotAnIndex(migrate_hint(path, version))
    if meta.get("config_hash") != config_hash(cfg):
        raise NotAnIndex(f"{path} was built with another configuration (or an older copydesk "
                         "whose defaults differ): rebuild it with copydesk index add")


def migrate_hint(path: Path, version: Any) -> str:
    """The message for an index of another format version.  (When a later release changes
    the format, it migrates version N here instead of refusing.)"""
    newer = isinstance(version, int) and version > FORMAT_VERSION
    return (f"{path} is a copydesk index of format version {version}; this copydesk reads "
            f"version {FORMAT_VERSION}: " + ("upgrade copydesk" if newer else
                                             "rebuild the index with copydesk index add"))


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring an index of an older format version (:data:`MIGRATED`) to this one, inside the
    caller's write transaction.  Versions 1 and 2 cannot be: their line rows (what the
    furniture rule learns from, recomputed over all articles at every add) lack the
    figures the rule now reads, and rows of both kinds must not be mixed."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'format_version'").fetchone()
    if row is None or row[0] == FORMAT_VERSION:
        return
    raise NotAnIndex(f"{path} is a copydesk index of format version {row[0]}, which this copydesk "
                     f"reads but cannot add to (its line rows lack the figures of version "
                     f"{FORMAT_VERSION}): rebuild the index with copydesk index add")


def begin_write(conn: sqlite3.Connection, path: Path) -> None:
    """Take the index's write lock (one writer at a time; readers go on, WAL)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            raise IndexBusy(f"{path} is busy: another copydesk index add is writing to it; "
                            "try again when it is done") from None
        raise
