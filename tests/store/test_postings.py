"""store.postings: the query's postings in blocks, finished groups of blocks merged into
one; every lookup answers what a plain table of (hash, article) answers."""

from __future__ import annotations

import random
import sqlite3

import numpy as np
import pytest

from copydesk.store import postings


def _table() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute(postings.TABLE)
    return db


def _plain(rows: set[tuple[int, int]], h: int, cap: int) -> list[int]:
    return sorted(n for hh, n in rows if hh == h)[:cap]


def _old_reader(db: sqlite3.Connection, h: int, cap: int) -> list[int]:
    """How the format-2 release looked a hash up: every block number up to the largest."""
    top = db.execute("SELECT MAX(blk) FROM postings").fetchone()[0]
    q = (f"SELECT n FROM postings WHERE blk IN ({','.join(map(str, range(top + 1)))}) AND h = ? "
         "ORDER BY n LIMIT ?")
    return [n for (n,) in db.execute(q, (h, cap))]


@pytest.mark.parametrize("seed", range(4))
def test_adds_of_any_size_keep_lookups_exact_and_merge_finished_groups(seed: int,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postings, "BLOCK_BITS", 2)  # four articles a block: many groups
    rng = random.Random(seed)
    db = _table()
    rows: set[tuple[int, int]] = set()
    n0 = 0
    for _ in range(12):
        size = rng.choice([1, 3, 7, 20, 45])  # adds inside one block, and over several groups
        n = np.repeat(np.arange(n0, n0 + size), 5)
        h = np.array([rng.randrange(30) for _ in range(len(n))], np.int64)  # a hash twice in one article too
        n0 += size
        postings.write(db, h, n)
        postings.compact(db)
        rows |= set(zip(h.tolist(), n.tolist(), strict=True))
        for q in range(30):
            want = _plain(rows, q, 6)
            assert postings.lookup(db, [q], 6) == [want]
            assert _old_reader(db, q, 6) == want  # an older release reads a compacted table
        assert db.execute("SELECT COUNT(*) FROM postings").fetchone()[0] == len(rows)
        used = postings.blocks(db)
        span = postings.GROUP
        for first in {b - b % span for b in used}:
            inside = [b for b in used if first <= b < first + span]
            if used[-1] >= first + span:  # finished: one block, keyed by the group's first
                assert inside == [first]
        # the key is the first article block it covers: every row is in its own range
        for blk, n_ in db.execute("SELECT blk, n FROM postings"):
            unit = n_ >> postings.BLOCK_BITS
            assert blk <= unit < (blk - blk % span) + span


def test_one_large_add_writes_finished_groups_merged(monkeypatch: pytest.MonkeyPatch) -> None:
    """An add that numbers articles past whole groups writes them merged at once (the
    million-article add has nothing left to compact)."""
    monkeypatch.setattr(postings, "BLOCK_BITS", 2)
    db = _table()
    n = np.arange(100)
    postings.write(db, n % 7, n)
    assert postings.compact(db) == 0
    assert postings.blocks(db) == [0, 8, 16, 24]  # groups of 32 articles; the last unfinished
