"""Disk spills that keep a scan's memory bounded.

* :class:`FingerprintSpill` — (fingerprint, document) rows, partitioned by the top bits of
  the fingerprint into files, so the candidate join later holds one partition at a time
  (a hash-partitioned external join).
* :class:`ArticleSpill` — every accepted article written once as a JSON line, read back by
  index when a candidate pair is aligned, so texts are not held in memory between passes
  and any input format (gzip, CSV, Parquet, stdin) can be revisited.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from .records import Article


class FingerprintSpill:
    """Append (hash, doc) rows; read them back one hash partition at a time."""

    def __init__(self, directory: Path, parts: int = 16, buffer_rows: int = 1 << 20) -> None:
        if parts < 1 or parts & (parts - 1):
            raise ValueError("parts must be a power of two")
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.parts = parts
        self.shift = np.uint64(64 - max(1, parts.bit_length() - 1)) if parts > 1 else None
        self.buffer_rows = buffer_rows
        self._buf: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(parts)]
        self._buffered = 0
        self.rows = 0

    def _path(self, part: int, kind: str) -> Path:
        return self.dir / f"part{part:03d}.{kind}"

    def add(self, hashes: np.ndarray, docs: np.ndarray) -> None:
        """Append rows (``hashes`` uint64, ``docs`` uint32 of equal length)."""
        if not len(hashes):
            return
        if self.shift is None:
            self._buf[0].append((hashes, docs))
        else:
            part = (hashes >> self.shift).astype(np.int64)
            order = np.argsort(part, kind="stable")
            bounds = np.searchsorted(part[order], np.arange(self.parts + 1))
            for p in range(self.parts):
                sel = order[bounds[p]:bounds[p + 1]]
                if len(sel):
                    self._buf[p].append((hashes[sel], docs[sel]))
        self.rows += len(hashes)
        self._buffered += len(hashes)
        if self._buffered >= self.buffer_rows:
            self.flush()

    def flush(self) -> None:
        for p, chunks in enumerate(self._buf):
            if not chunks:
                continue
            with open(self._path(p, "h"), "ab") as fh, open(self._path(p, "d"), "ab") as fd:
                for h, d in chunks:
                    np.ascontiguousarray(h, np.uint64).tofile(fh)
                    np.ascontiguousarray(d, np.uint32).tofile(fd)
            chunks.clear()
        self._buffered = 0

    def partitions(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(hashes, docs) of each partition in turn; the files are removed once read."""
        self.flush()
        for p in range(self.parts):
            ph, pd = self._path(p, "h"), self._path(p, "d")
            if not ph.exists():
                continue
            h = np.fromfile(ph, dtype=np.uint64)
            d = np.fromfile(pd, dtype=np.uint32)
            ph.unlink()
            pd.unlink()
            yield h, d


class ArticleSpill:
    """Articles appended as JSON lines; ``get(i)`` reads article i back."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._f = open(self.path, "wb")  # noqa: SIM115 - closed by close()
        self._offsets: list[int] = [0]

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def add(self, a: Article) -> None:
        row = {"id": a.id, "text": a.text, "title": a.title, "date": a.date}
        data = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")
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
        row = json.loads(self._f.read(end - start).decode("utf-8", "surrogatepass"))
        return Article(row["id"], row["text"], row["title"], row["date"])
