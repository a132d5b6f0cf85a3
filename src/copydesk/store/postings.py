"""The query's postings: (hash, article) for a deterministic quarter of each article's
winnowed fingerprints, written by each add and looked up by each query.

They are kept in blocks of :data:`BLOCK_ARTICLES` consecutive article numbers, the block
leading the key (``blk, h, n``).  An add numbers its articles after every indexed one, so
its postings land in the last block or two: the pages written are those of a block, not
pages all over a tree keyed by hash (where every add rewrote the whole table: a random
hash lands on any leaf).  A query looks each hash up in every block (one seek per block,
inside SQLite), so the block is large.  Once an add has numbered articles past a group of
:data:`GROUP` consecutive blocks, no later add writes into them, and :func:`compact` merges
the group into one block (keyed by its first block): a hash is then looked up with one
seek per group and one per block of the last, unfinished group — about a dozen at a
million articles instead of sixty.  A block's key is still the first of the article
numbers it covers, in units of :data:`BLOCK_ARTICLES`, so a reader that looks up every
block number up to the largest (as the format-2 release did) reads a compacted table right.

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
#: blocks merged into one by :func:`compact` once no add can write into them again
GROUP = 8
TABLE = ("CREATE TABLE postings (blk INTEGER NOT NULL, h INTEGER NOT NULL, n INTEGER NOT NULL, "
         "PRIMARY KEY (blk, h, n)) WITHOUT ROWID")
#: rows per INSERT statement, and per executemany (a multiple of them)
_PER_STATEMENT = 100
_SLICE = 1310 * _PER_STATEMENT


def sample(h: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Which fingerprint rows (hashes ``h``, token positions ``pos``) are posted: winnowed
    fingerprints (not sentence signatures) whose hash is a multiple of :data:`POSTING_MOD`."""
    return (pos < SENTENCE_ROW) & (h % np.uint64(POSTING_MOD) == 0)


def block_keys(n: np.ndarray, top: int) -> np.ndarray:
    """The block key of each article number ``n`` when the last block in use is ``top``:
    its own block, or the first block of its group when the group is finished."""
    unit = np.asarray(n, np.int64) >> BLOCK_BITS
    first = unit - unit % GROUP
    return np.where(first + GROUP <= top, first, unit)


def write(conn: sqlite3.Connection, h: np.ndarray, n: np.ndarray) -> None:
    """Insert postings (hashes as int64, article numbers), once per (hash, article), in key
    order: appends along the B-tree instead of jumps about it."""
    h = np.asarray(h, np.int64)
    n = np.asarray(n, np.int64)
    if not len(n):
        return
    top = conn.execute("SELECT MAX(blk) FROM postings").fetchone()[0]
    blk = block_keys(n, max(int(n.max()) >> BLOCK_BITS, -1 if top is None else int(top)))
    order = np.lexsort((n, h, blk))
    h, n, blk = h[order], n[order], blk[order]
    del order
    first = np.ones(len(h), np.bool_)
    first[1:] = (h[1:] != h[:-1]) | (n[1:] != n[:-1])  # a hash twice in one article
    h, n, blk = h[first], n[first], blk[first]
    # many rows per statement: a quarter of the time of one statement per row; a slice at a
    # time (Python rows take ten times the memory of the arrays)
    many = "INSERT INTO postings VALUES " + ",".join(["(?, ?, ?)"] * _PER_STATEMENT)
    for at in range(0, len(h), _SLICE):
        rows = np.stack((blk[at:at + _SLICE], h[at:at + _SLICE], n[at:at + _SLICE]), axis=1)
        whole = len(rows) - len(rows) % _PER_STATEMENT
        conn.executemany(many, rows[:whole].reshape(-1, 3 * _PER_STATEMENT).tolist())
        conn.executemany("INSERT INTO postings VALUES (?, ?, ?)", rows[whole:].tolist())


def blocked(db: sqlite3.Connection) -> bool:
    """Whether the postings table has the block layout (format version 2 on)."""
    return any(col[1] == "blk" for col in db.execute("PRAGMA table_info(postings)"))


def blocks(db: sqlite3.Connection) -> list[int]:
    """The block keys in use, ascending (one seek each)."""
    out: list[int] = []
    got = db.execute("SELECT MIN(blk) FROM postings").fetchone()[0]
    while got is not None:
        out.append(int(got))
        got = db.execute("SELECT MIN(blk) FROM postings WHERE blk > ?", (got,)).fetchone()[0]
    return out


def lookup(db: sqlite3.Connection, hashes: list[int], cap: int) -> list[list[int]]:
    """For each hash (as int64), the numbers of up to ``cap`` articles posting it, smallest
    first."""
    if not blocked(db):
        return [[n for (n,) in db.execute("SELECT n FROM postings WHERE h = ? LIMIT ?", (h, cap))]
                for h in hashes]
    used = blocks(db)
    if not used:
        return [[] for _ in hashes]
    q = f"SELECT n FROM postings WHERE blk IN ({','.join(map(str, used))}) AND h = ? ORDER BY n LIMIT ?"
    return [[n for (n,) in db.execute(q, (h, cap))] for h in hashes]


def compact(conn: sqlite3.Connection) -> int:
    """Merge each finished group of blocks into one (inside the caller's write transaction);
    the number of groups merged.  A group is finished when a block after it is in use:
    articles are numbered in order, so no add writes into it again."""
    used = blocks(conn)
    if not used:
        return 0
    merged = 0
    for first in sorted({b - b % GROUP for b in used}):
        end = first + GROUP
        if used[-1] < end or sum(first <= b < end for b in used) < 2:
            continue  # unfinished, or one block already
        # rows sorted by key: appended along the merged block, not scattered over it
        conn.execute("INSERT INTO postings SELECT ?, h, n FROM postings WHERE blk > ? AND blk < ? "
                     "ORDER BY h, n", (first, first, end))
        conn.execute("DELETE FROM postings WHERE blk > ? AND blk < ?", (first, end))
        merged += 1
    return merged


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
