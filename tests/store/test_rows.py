"""store.rows.replace_rows: the table ends holding exactly the rows given, and only the rows
that are new or differ are written."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.store.rows import replace_rows

ROW = st.tuples(st.sampled_from("abcde"), st.sampled_from("xyz"), st.integers(0, 3),
                st.one_of(st.none(), st.floats(allow_nan=False)), st.binary(max_size=4))


def _table() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a TEXT NOT NULL, b TEXT NOT NULL, n INTEGER NOT NULL, x REAL, y BLOB, "
                 "PRIMARY KEY (a, b)) WITHOUT ROWID")
    return conn


def _unique(rows: list[tuple]) -> list[tuple]:
    return list({r[:2]: r for r in rows}.values())


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, max_size=12), st.lists(ROW, max_size=12))
def test_the_table_ends_as_given_writing_only_what_changed(before: list[tuple], after: list[tuple]) -> None:
    before, after = _unique(before), _unique(after)
    conn = _table()
    cols = ("a", "b", "n", "x", "y")
    assert replace_rows(conn, "t", cols, 2, before) == len(before)
    written = replace_rows(conn, "t", cols, 2, after)
    assert sorted(conn.execute("SELECT a, b, n, x, y FROM t")) == sorted(after)
    assert written == len(set(after) - set(before))
