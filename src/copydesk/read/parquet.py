"""Parquet reader (needs the ``parquet`` extra: ``pip install 'copydesk[parquet]'``).

Same columns as CSV: ``id`` and ``text`` required, ``title``, ``date``, ``source``, ``url``
optional, the rest to ``extra``.  Rows are streamed in record batches, never the whole table;
``where`` is ``path:N`` with N the 1-based row number.  pyarrow is imported lazily so the rest
of copydesk works without it.
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


def _open(path: str | Path) -> Any:
    pq = _pq()
    try:
        return pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises ArrowInvalid, OSError, ... for non-Parquet input
        raise InputError(f"{path}: cannot read as Parquet ({err})") from None


def check(path: str | Path) -> None:
    """Fail early if pyarrow is missing, the file is not Parquet, or ``id``/``text`` columns
    are absent."""
    names = _open(path).schema_arrow.names
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise InputError(f"{path}: Parquet file needs columns id and text "
                         f"(missing {', '.join(missing)}; found {', '.join(names)})")


def iter_rows(path: str | Path) -> Iterator[Row | Reject]:
    """One row per Parquet row, in file order."""
    pf = _open(path)
    rowno = 0
    batches = pf.iter_batches(batch_size=BATCH_ROWS)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except Exception as err:  # a corrupt row group: report it, keep what was read
            yield Reject(f"{path}:{rowno + 1}", f"unreadable Parquet: {err}", None, None)
            return
        for record in batch.to_pylist():
            rowno += 1
            yield Row(f"{path}:{rowno}", record)
