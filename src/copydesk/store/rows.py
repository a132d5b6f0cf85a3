"""Replacing a table's rows by what a refresh found, writing only the rows that changed.

A refresh finds the pairs, families and masked lines of the whole index, and an add of a
few thousand articles changes few of them.  Deleting every row and inserting them all again
rewrote hundreds of thousands of rows (and their pages in the write-ahead log) on every add
of a million-article index; reading the table and comparing costs a sequential read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any


def replace_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str], key: int,
                 rows: Iterable[tuple[Any, ...]]) -> int:
    """Make ``table`` hold exactly ``rows`` (values of ``columns``, in that order; the first
    ``key`` of them are the table's primary key, unique among ``rows``), deleting the rows
    whose key is gone and writing those that are new or differ.  Returns the rows written."""
    cols = ", ".join(columns)
    old = {r[:key]: r for r in conn.execute(f"SELECT {cols} FROM {table}")}
    new = {r[:key]: r for r in rows}
    where = " AND ".join(f"{c} = ?" for c in columns[:key])
    conn.executemany(f"DELETE FROM {table} WHERE {where}", [k for k in old if k not in new])
    changed = [r for k, r in new.items() if old.get(k) != r]
    conn.executemany(f"INSERT OR REPLACE INTO {table} ({cols}) VALUES ({', '.join('?' * len(columns))})", changed)
    return len(changed)
