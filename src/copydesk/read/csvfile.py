"""CSV reader: a header row, then one article per record.

Columns ``id`` and ``text`` are required; ``title``, ``date``, ``source``, ``url`` are
optional; any other column goes to ``Article.extra``.  A header without ``id`` and ``text``
makes the whole file unreadable (:class:`InputError`, raised before anything is read).

Lines are read in binary and decoded one at a time, so a record spanning a line that is not
UTF-8 is rejected alone instead of the decoder failing the file; each record's raw input text
is kept for its reject entry.  Parsing is strict (``csv.reader(strict=True)``), so an
unterminated quote is reported rather than swallowing the rest of the file into one field.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..records import Reject
from ._record import Row, utf8_reason

BOM = b"\xef\xbb\xbf"
REQUIRED = ("id", "text")
# Articles can exceed csv's default 128 KiB field limit.  The limit is process-global; it is
# only ever raised, never restored, so interleaved readers cannot lower it under each other.
_FIELD_LIMIT = 2**31 - 1


class _Lines:
    """Decoded lines for ``csv.reader``; remembers the current record's raw text and whether
    any of its lines was not valid UTF-8."""

    def __init__(self, f: BinaryIO) -> None:
        self._f = f
        self.lineno = 0
        self._buffer: list[str] = []
        self._bad: UnicodeDecodeError | None = None

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._f)
        self.lineno += 1
        if self.lineno == 1 and line.startswith(BOM):
            line = line[len(BOM):]
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as err:
            text = line.decode("utf-8", errors="replace")
            self._bad = self._bad or err
        self._buffer.append(text)
        return text

    def take(self) -> tuple[str, UnicodeDecodeError | None]:
        """The current record's raw text and first decoding error; starts the next record."""
        raw, bad = "".join(self._buffer).rstrip("\r\n"), self._bad
        self._buffer, self._bad = [], None
        return raw, bad


def _column_names(cells: list[str], path: str | Path, required: tuple[str, str]) -> list[str]:
    names = [c.strip() or f"column_{i}" for i, c in enumerate(cells, start=1)]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"{path}: CSV header repeats column(s) {', '.join(dupes)}")
    missing = [c for c in required if c not in names]
    if missing:
        raise InputError(f"{path}: CSV header needs columns {' and '.join(required)} "
                         f"(missing {', '.join(missing)}; found {', '.join(names)})")
    return names


def _read_header(reader: Iterator[list[str]], lines: _Lines, path: str | Path,
                 required: tuple[str, str]) -> list[str] | None:
    """Column names from the first non-blank record, or None for a file with no records."""
    for cells in reader:
        _, bad = lines.take()
        if not cells:
            continue
        if bad is not None:
            raise InputError(f"{path}: CSV header is not valid UTF-8")
        return _column_names(cells, path, required)
    return None


def _reader(lines: _Lines) -> Iterator[list[str]]:
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    return csv.reader(lines, strict=True)


def _id_of(cells: list[str], id_col: int) -> str | None:
    """The id cell of a record being rejected, if it looks usable."""
    if id_col < len(cells) and cells[id_col].strip() and "\ufffd" not in cells[id_col]:
        return cells[id_col]
    return None


def check(path: str | Path, required: tuple[str, str] = REQUIRED) -> None:
    """Fail early, with :class:`InputError`, if the header lacks ``id`` or ``text`` (or the
    columns ``required`` names in their place)."""
    with open(path, "rb") as f:
        lines = _Lines(f)
        try:
            _read_header(_reader(lines), lines, path, required)
        except csv.Error as err:
            raise InputError(f"{path}: cannot parse CSV header: {err}") from None


def iter_rows(path: str | Path, required: tuple[str, str] = REQUIRED) -> Iterator[Row | Reject]:
    """One row per CSV record after the header; blank lines are skipped."""
    with open(path, "rb") as f:
        lines = _Lines(f)
        reader = _reader(lines)
        try:
            names = _read_header(reader, lines, path, required)
        except csv.Error as err:
            raise InputError(f"{path}: cannot parse CSV header: {err}") from None
        if names is None:
            return
        id_col = names.index(required[0])
        while True:
            start = lines.lineno + 1
            where = f"{path}:{start}"
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                raw, _ = lines.take()
                yield Reject(where, f"malformed CSV: {err}", None, raw)
                if lines.lineno < start:  # nothing consumed: cannot advance
                    return
                continue
            raw, bad = lines.take()
            if not cells:
                continue
            if bad is not None:
                yield Reject(where, utf8_reason(bad), _id_of(cells, id_col), raw)
            elif len(cells) != len(names):
                yield Reject(where, f"malformed CSV: {len(cells)} fields, header has "
                                    f"{len(names)}", _id_of(cells, id_col), raw)
            else:
                yield Row(where, dict(zip(names, cells, strict=True)), raw)
