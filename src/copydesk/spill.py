"""Disk spills that keep a scan's memory bounded.

* :class:`PartitionedSpill` — rows of numpy columns in partition files, read back one
  partition at a time: the candidate join holds one partition in memory (a hash-partitioned
  external join).  :class:`FingerprintSpill` partitions (fingerprint, document, position)
  rows by the fingerprint's top bits.
* :class:`ArticleSpill` — every accepted article written once (a compact binary record), read back by
  index when a candidate pair is aligned, so texts are not held in memory between passes
  and any input format (gzip, CSV, Parquet, stdin) can be revisited.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .records import Article


class PartitionedSpill:
    """Rows of named numpy columns appended to ``parts`` partition files; read back one
    partition at a time.  The caller says which partition each row goes to."""

    def __init__(self, directory: Path, columns: dict[str, Any], parts: int = 16,
                 buffer_rows: int = 1 << 20) -> None:
        if parts < 1:
            raise ValueError("parts must be >= 1")
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.columns = {name: np.dtype(dt) for name, dt in columns.items()}
        self.parts = parts
        self.buffer_rows = buffer_rows
        self._buf: list[list[dict[str, np.ndarray]]] = [[] for _ in range(parts)]
        self._buffered = 0
        self.rows = 0

    def _path(self, part: int, name: str) -> Path:
        return self.dir / f"part{part:03d}.{name}"

    def add(self, part: np.ndarray, **cols: np.ndarray) -> None:
        """Append rows; ``part[i]`` is row i's partition (0 <= part < parts)."""
        if not len(part):
            return
        order = np.argsort(part, kind="stable")
        bounds = np.searchsorted(part[order], np.arange(self.parts + 1))
        for p in range(self.parts):
            sel = order[bounds[p]:bounds[p + 1]]
            if len(sel):
                self._buf[p].append({n: cols[n][sel] for n in self.columns})
        self.rows += len(part)
        self._buffered += len(part)
        if self._buffered >= self.buffer_rows:
            self.flush()

    def flush(self) -> None:
        for p, chunks in enumerate(self._buf):
            if not chunks:
                continue
            for name, dt in self.columns.items():
                with open(self._path(p, name), "ab") as f:
                    for c in chunks:
                        np.ascontiguousarray(c[name], dt).tofile(f)
            chunks.clear()
        self._buffered = 0

    def partitions(self) -> Iterator[dict[str, np.ndarray]]:
        """The columns of each non-empty partition in turn; files are removed once read."""
        self.flush()
        for p in range(self.parts):
            paths = {n: self._path(p, n) for n in self.columns}
            if not all(x.exists() for x in paths.values()):
                continue
            cols = {n: np.fromfile(paths[n], dtype=dt) for n, dt in self.columns.items()}
            for x in paths.values():
                x.unlink()
            yield cols


class FingerprintSpill(PartitionedSpill):
    """(fingerprint hash, document, token position) rows, partitioned by the hash's top bits."""

    def __init__(self, directory: Path, parts: int = 16, buffer_rows: int = 1 << 20) -> None:
        if parts & (parts - 1):
            raise ValueError("parts must be a power of two")
        super().__init__(directory, {"h": np.uint64, "d": np.uint32, "p": np.uint32}, parts, buffer_rows)
        self.shift = np.uint64(64 - (parts.bit_length() - 1))

    def add_rows(self, hashes: np.ndarray, docs: np.ndarray, pos: np.ndarray) -> None:
        part = (hashes >> self.shift).astype(np.int64) if self.parts > 1 else np.zeros(len(hashes), np.int64)
        self.add(part, h=hashes, d=docs, p=pos)


_NONE = 0xFFFFFFFF
_HEADER = struct.Struct("<4I")


def _pack(a: Article) -> bytes:
    fields = [x.encode("utf-8", "surrogatepass") if x is not None else None
              for x in (a.id, a.title, a.date, a.text)]
    head = _HEADER.pack(*(len(f) if f is not None else _NONE for f in fields))
    return head + b"".join(f for f in fields if f is not None)


def _unpack(data: bytes) -> Article:
    lens = _HEADER.unpack_from(data)
    at = _HEADER.size
    vals: list[str | None] = []
    for n in lens:
        if n == _NONE:
            vals.append(None)
        else:
            vals.append(data[at:at + n].decode("utf-8", "surrogatepass"))
            at += n
    return Article(vals[0] or "", vals[3] or "", vals[1], vals[2])


class ArticleSpill:
    """Articles appended in a compact binary form (id, title, date, text); ``reader().get(i)``
    reads article i back."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._f = open(self.path, "wb")  # noqa: SIM115 - closed by close()
        self._offsets: list[int] = [0]

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def add(self, a: Article) -> None:
        data = _pack(a)
        self._f.write(data)
        self._offsets.append(self._offsets[-1] + len(data))

    def close(self) -> None:
        if not self._f.closed:
            self._f.close()
        self.offsets = np.asarray(self._offsets, dtype=np.int64)

    def reader(self) -> SpillReader:
        self.close()
        return SpillReader(self.path, self.offsets)


class SpillReader:
    """Random access to a closed :class:`ArticleSpill` (one per process)."""

    def __init__(self, path: Path, offsets: np.ndarray) -> None:
        self.path = path
        self.offsets = offsets
        self._f = None

    def get(self, i: int) -> Article:
        if self._f is None:
            self._f = open(self.path, "rb")  # noqa: SIM115 - lives as long as the reader
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        self._f.seek(start)
        return _unpack(self._f.read(end - start))
