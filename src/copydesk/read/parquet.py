"""Parquet reader (needs the ``parquet`` extra: ``pip install 'copydesk[parquet]'``).

Same columns as CSV: ``id`` and ``text`` required, ``title``, ``date``, ``source``, ``url``
optional, the rest to ``extra``.  Rows are streamed in record batches, never the whole table;
``where`` is ``path:N`` with N the 1-based row number.  pyarrow is imported lazily so the rest
of copydesk works without it.

Row groups are read one at a time, so a corrupt row group loses only its own rows: one reject,
at the group's first unread row, says which group failed, why, and how many rows were lost;
the next group is read as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import InputError, MissingDependency
from ..records import Reject
from ._record import Row

REQUIRED = ("id", "text")
BATCH_ROWS = 1024


def _pq() -> ModuleType:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependency("pyarrow", "parquet") from None
    return pq


def _open(path: str | Path, data: bytes | None = None) -> Any:
    pq = _pq()
    try:
        if data is not None:
            import pyarrow as pa

            return pq.ParquetFile(pa.BufferReader(data))
        return pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises ArrowInvalid, OSError, ... for non-Parquet input
        raise InputError(f"{path}: cannot read as Parquet ({err})") from None


def check(path: str | Path, required: tuple[str, str] = REQUIRED, data: bytes | None = None) -> None:
    """Fail early if pyarrow is missing, the file (or its bytes ``data``, read elsewhere) is
    not Parquet, or ``id``/``text`` columns (or those ``required`` names in their place) are
    absent."""
    names = _open(path, data).schema_arrow.names
    missing = [c for c in required if c not in names]
    if missing:
        raise InputError(f"{path}: Parquet file needs columns {' and '.join(required)} "
                         f"(missing {', '.join(missing)}; found {', '.join(names)})")


def iter_rows(path: str | Path, data: bytes | None = None) -> Iterator[Row | Reject]:
    """One row per Parquet row, in file order (of ``path``, or of its bytes ``data`` read
    elsewhere); a row group that cannot be read is one reject."""
    pf = _open(path, data)
    rowno = 0  # rows before the current group
    for group in range(pf.num_row_groups):
        size = pf.metadata.row_group(group).num_rows
        done = 0
        batches = pf.iter_batches(batch_size=BATCH_ROWS, row_groups=[group])
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                break
            except Exception as err:  # pyarrow raises OSError, ArrowInvalid, ... for bad pages
                lost = size - done
                yield Reject(f"{path}:{rowno + done + 1}",
                             f"unreadable Parquet: row group {group + 1} of {pf.num_row_groups} "
                             f"({lost} row{'s' if lost != 1 else ''} lost): {' '.join(str(err).split())}",
                             None, None)
                break
            for record in batch.to_pylist():
                done += 1
                yield Row(f"{path}:{rowno + done}", record)
        rowno += size
