"""What the scan's later passes read from an index while an add is being written: the
articles and the fingerprint partitions of everything already committed (from the index
file, through a connection opened per process, as the pool's workers are forked) plus the
add's own new articles (from the add's spills, which the uncommitted transaction cannot
show another connection)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from ..plan import example_line
from ..records import Article
from ..spill import SharedSpill, StoreReader
from .blobs import unpack_arrays, unpack_text
from .schema import connect

#: fingerprint partitions (as copydesk.engines.local.new_fingerprint_spill makes them)
PARTS = 64
ARTICLE_COLUMNS = "id, text, title, date, source, url, extra"


def article_of(row: tuple[Any, ...]) -> Article:
    """The article of an ``articles`` row (columns :data:`ARTICLE_COLUMNS`)."""
    art_id, text, title, date, source, url, extra = row
    return Article(art_id, unpack_text(text), title, date, source, url,
                   json.loads(extra) if extra else {})


class _PerProcess:
    """A read connection to the index file, opened lazily in each process that uses it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pid = -1
        self._db: sqlite3.Connection | None = None

    def db(self) -> sqlite3.Connection:
        if self._pid != os.getpid() or self._db is None:
            self._db = connect(self.path)
            self._db.execute("PRAGMA query_only = 1")
            self._pid = os.getpid()
        return self._db

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "_pid": -1, "_db": None}


class IndexArticles(_PerProcess):
    """Articles by their number in the refresh (``numbers[i]``: index number of article
    ``i``); numbers from ``new_first`` on are this add's, read from its spill
    (``new_local[n - new_first]``: their number there)."""

    def __init__(self, path: Path, numbers: np.ndarray, new_first: int,
                 new: StoreReader | None, new_local: np.ndarray | None,
                 lines: dict[tuple[int, int], tuple[str, str]] | None = None) -> None:
        super().__init__(path)
        self.numbers, self.new_first, self.new, self.new_local = numbers, new_first, new, new_local
        #: furniture example lines kept by an earlier refresh, by (index number, line
        #: index), and those this refresh asked for (:meth:`example_line`)
        self.kept_lines = lines or {}
        self.used_lines: dict[tuple[int, int], tuple[str, str]] = {}

    def example_line(self, i: int, ln: int) -> tuple[str, str]:
        """Article ``i``'s id and its line ``ln``, read back only when not kept already."""
        key = (int(self.numbers[i]), ln)
        got = self.kept_lines.get(key) or self.used_lines.get(key)  # (a line may be two records' example)
        if got is None:
            got = example_line(self.get(i), ln)
        self.used_lines[key] = got
        return got

    def get(self, i: int) -> Article:
        n = int(self.numbers[i])
        if n >= self.new_first and self.new is not None and self.new_local is not None:
            return self.new.get(int(self.new_local[n - self.new_first]))
        row = self.db().execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE n = ?", (n,)).fetchone()
        if row is None:
            raise RuntimeError(f"article number {n} is missing from {self.path}")
        return article_of(row)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_pid": -1, "_db": None, "kept_lines": {}, "used_lines": {}}


class IndexFingerprints(_PerProcess):
    """The fingerprint rows of every indexed article, by hash partition, as the candidate
    join reads a :class:`~copydesk.spill.SharedSpill` (``read(p)``, ``remove()``); column
    ``d`` holds index numbers.  ``new`` is this add's spill, whose ``d`` (slots) map to
    index numbers through ``new_slot_n`` (-1: not added)."""

    parts = PARTS

    def __init__(self, path: Path, new: SharedSpill | None, new_slot_n: np.ndarray | None) -> None:
        super().__init__(path)
        self.new, self.new_slot_n = new, new_slot_n

    def read(self, p: int) -> dict[str, np.ndarray] | None:
        chunks = [unpack_arrays(blob) for (blob,) in self.db().execute(
            "SELECT rows FROM fingerprints WHERE part = ? ORDER BY batch", (p,))]
        if self.new is not None and self.new_slot_n is not None:
            part = self.new.read(p)
            if part is not None:
                chunks.append(new_rows(part, self.new_slot_n))
        chunks = [c for c in chunks if len(c["h"])]
        if not chunks:
            return None
        return {k: np.concatenate([c[k] for c in chunks]) for k in ("h", "d", "p", "k")}

    def remove(self) -> None:
        if self.new is not None:
            self.new.remove()

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_pid": -1, "_db": None}


def new_rows(part: dict[str, np.ndarray], slot_n: np.ndarray) -> dict[str, np.ndarray]:
    """A partition of an add's fingerprint spill with ``d`` turned from slots into index
    numbers (rows of articles not added dropped)."""
    n = slot_n[part["d"]]
    keep = n >= 0
    return {"h": part["h"][keep], "d": n[keep].astype(np.uint32), "p": part["p"][keep],
            "k": part["k"][keep]}
