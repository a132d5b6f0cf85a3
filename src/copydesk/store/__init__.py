"""The persistent index (SQLite): grow it by adds, query it, export it as a scan.

See :class:`copydesk.store.index.Index`."""

from __future__ import annotations

from .index import Index
from .schema import FORMAT, FORMAT_VERSION

__all__ = ["FORMAT", "FORMAT_VERSION", "Index"]
