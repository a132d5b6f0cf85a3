"""The query's postings: (hash, article) for a deterministic quarter of each article's
winnowed fingerprints, written by each add and looked up by each query.

They are kept in blocks of :data:`BLOCK_ARTICLES` consecutive article numbers, the block
leading the key (``blk, h, n``).  An add numbers its articles after every indexed one, so
its postings land in the last block or two: the pages written are those of a block, not
pages all over a tree keyed by hash (where every add rewrote the whole table: a random
hash lands on any leaf).  A query looks each hash up in every block (one seek per block,
inside SQLite), so the block is large: a few seeks per hash even at a million articles.

Format version 1 kept them keyed by ``(h, n)`` alone; :func:`migrate` rebuilds that table
(an add does, holding the write lock), and until then :func:`lookup` reads it as it is.
"""

from __future__ import annotations

import sqlite3

import numpy as np

from ..plan import SENTENCE_ROW

#: a quarter of the winnowed fingerprints (by hash value, so the same ones in every
#: article) go to the query's postings
POSTING_MOD = 4
#: article numbers per block (a power of two: the block is ``n >> BLOCK_BITS``)
BLOCK_BITS = 14
BLOCK_ARTICLES = 1 << BLOCK_BITS
TABLE = ("CREATE TABLE postings (blk INTEGER NOT NULL, h INTEGER NOT NULL, n INTEGER NOT NULL, "
         "PRIMARY KEY (blk, h, n)) WITHOUT ROWID")
#: rows per INSERT statement, and per executemany (a multiple of them)
_PER_STATEMENT = 100
_SLICE = 1310 * _PER_STATEMENT


def sample(h: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Which fingerprint rows (hashes ``h``, token positions ``pos``) are posted: winnowed
    fingerprints (not sentence signatures) whose hash is a multiple of :data:`POSTING_MOD`."""
    return (pos < SENTENCE_ROW) & (h % np.uint64(POSTING_MOD) == 0)


def write(conn: sqlite3.Connection, h: np.ndarray, n: np.ndarray) -> None:
    """Insert postings (hashes as int64, article numbers), once per (hash, article), in key
    order: appends along the B-tree instead of jumps about it."""
    h = np.asarray(h, np.int64)
    n = np.asarray(n, np.int64)
    order = np.lexsort((n, h, n >> BLOCK_BITS))
    h, n = h[order], n[order]
    del order
    first = np.ones(len(h), np.bool_)
    first[1:] = (h[1:] != h[:-1]) | (n[1:] != n[:-1])  # a hash twice in one article
    h, n = h[first], n[first]
    # many rows per statement: a quarter of the time of one statement per row; a slice at a
    # time (Python rows take ten times the memory of the arrays)
    many = "INSERT INTO postings VALUES " + ",".join(["(?, ?, ?)"] * _PER_STATEMENT)
    for at in range(0, len(h), _SLICE):
        rows = np.stack((n[at:at + _SLICE] >> BLOCK_BITS, h[at:at + _SLICE], n[at:at + _SLICE]), axis=1)
        whole = len(rows) - len(rows) % _PER_STATEMENT
        conn.executemany(many, rows[:whole].reshape(-1, 3 * _PER_STATEMENT).tolist())
        conn.executemany("INSERT INTO postings VALUES (?, ?, ?)", rows[whole:].tolist())


def blocked(db: sqlite3.Connection) -> bool:
    """Whether the postings table has the block layout (format version 2 on)."""
    return any(col[1] == "blk" for col in db.execute("PRAGMA table_info(postings)"))


def lookup(db: sqlite3.Connection, hashes: list[int], cap: int) -> list[list[int]]:
    """For each hash (as int64), the numbers of up to ``cap`` articles posting it, smallest
    first."""
    if not blocked(db):
        return [[n for (n,) in db.execute("SELECT n FROM postings WHERE h = ? LIMIT ?", (h, cap))]
                for h in hashes]
    top = db.execute("SELECT MAX(blk) FROM postings").fetchone()[0]
    if top is None:
        return [[] for _ in hashes]
    blocks = ",".join(str(b) for b in range(int(top) + 1))
    q = f"SELECT n FROM postings WHERE blk IN ({blocks}) AND h = ? ORDER BY n LIMIT ?"
    return [[n for (n,) in db.execute(q, (h, cap))] for h in hashes]


def migrate(conn: sqlite3.Connection) -> None:
    """Rebuild a format-1 postings table in the block layout (inside the caller's write
    transaction)."""
    if blocked(conn):
        return
    conn.execute(TABLE.replace("postings", "postings_blocked", 1))
    conn.execute(f"INSERT INTO postings_blocked SELECT n >> {BLOCK_BITS}, h, n FROM postings "
                 f"ORDER BY n >> {BLOCK_BITS}, h, n")
    conn.execute("DROP TABLE postings")
    conn.execute("ALTER TABLE postings_blocked RENAME TO postings")
