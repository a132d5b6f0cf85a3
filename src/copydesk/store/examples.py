"""The example lines of the corpus furniture, kept between refreshes.

``boilerplate.jsonl`` shows each learned furniture line in the words of one article that
carries it (:func:`copydesk.plan.furniture_records`).  A refresh would read that article
back for every line, and at a million articles that is thousands of texts read at random
from a file of many gigabytes, in the writing process, on every add.  An indexed article
never changes under its number (a replaced article gets a new one), so the line of an
(article number, line index) is kept once read, and each refresh reads only the examples
it had not read before.  The table is a cache: dropped, it is filled again by the next
refresh, with the same records.
"""

from __future__ import annotations

import sqlite3

TABLE = ("CREATE TABLE IF NOT EXISTS example_lines (n INTEGER NOT NULL, line INTEGER NOT NULL, "
         "id TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (n, line)) WITHOUT ROWID")

Lines = dict[tuple[int, int], tuple[str, str]]


def load(conn: sqlite3.Connection) -> Lines:
    """The kept lines by (article number, line index): (article id, line text)."""
    conn.execute(TABLE)
    return {(n, ln): (i, t) for n, ln, i, t in conn.execute("SELECT n, line, id, text FROM example_lines")}


def keep(conn: sqlite3.Connection, kept: Lines, used: Lines) -> None:
    """Keep the lines this refresh used (and only those: the rest are no one's example now)."""
    conn.execute(TABLE)
    gone = [k for k in kept if k not in used]
    if len(gone) > len(kept) // 2:
        conn.execute("DELETE FROM example_lines")
        kept = {}
    else:
        conn.executemany("DELETE FROM example_lines WHERE n = ? AND line = ?", gone)
    conn.executemany("INSERT OR REPLACE INTO example_lines VALUES (?, ?, ?, ?)",
                     ((n, ln, i, t) for (n, ln), (i, t) in used.items() if kept.get((n, ln)) != (i, t)))
