"""Inputs named by URI (``hdfs://``, ``s3a://``, ``gs://``, ``file://``, ...): files that only
Spark reads, through the cluster's Hadoop file systems.

The scan names such an input with a :class:`Remote`; the Spark engine lists it on the driver
and reads the files' bytes on the executors, where :func:`copydesk.read.file_batches` turns
them into the same batches (and the same rejects) as a local file of the same content.  A
``file://`` URI's records are named by their local path, so that the results equal those of
the same files given as paths.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ._record import FieldMap

#: the formats read from a URI (the others are read on the driver from local paths)
REMOTE_FORMATS = ("jsonl", "parquet")

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def is_uri(path: str | Path) -> bool:
    """True for ``scheme://...`` (a :class:`~pathlib.Path` is never a URI: it has lost the
    double slash)."""
    return isinstance(path, str) and _SCHEME.match(path) is not None


def local_name(path: str) -> str:
    """How records of the file ``path`` (as Hadoop names it) are located in rejects: a
    ``file:`` path as the local path, any other as it is."""
    parts = urlsplit(path)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        return unquote(parts.path)
    return path


@dataclass(frozen=True, slots=True)
class Remote:
    """An input the Spark engine reads: ``uri`` (a file, a folder, read recursively, or a glob),
    read as ``format`` (default: each file's name says) through ``fields``."""

    uri: str
    format: str | None = None
    fields: FieldMap = FieldMap()
