"""Disk spills that keep a scan's memory bounded.

* :class:`PartitionedSpill` — rows of numpy columns in partition files, read back one
  partition at a time: the candidate join holds one partition in memory (a hash-partitioned
  external join).  :class:`SharedSpill` is one written by several processes at once (the
  scan's workers spill fingerprint rows, partitioned by the hash's top bits, and pair rows).
* :class:`ArticleStore` — every accepted article written once, read back by index when a
  candidate pair is aligned.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numba as nb
import numpy as np

from .records import Article, Reject


@nb.njit(cache=True, nogil=True)
def _group_order(groups, ngroups):  # pragma: no cover - jit
    counts = np.zeros(ngroups + 1, np.int64)
    for g in groups:
        counts[g + 1] += 1
    bounds = np.cumsum(counts)
    fill = bounds[:-1].copy()
    order = np.empty(len(groups), np.int64)
    for i in range(len(groups)):
        g = groups[i]
        order[fill[g]] = i
        fill[g] += 1
    return order, bounds


def group_order(groups: np.ndarray, ngroups: int) -> tuple[np.ndarray, np.ndarray]:
    """A stable counting sort: (order, bounds) with group g's rows at
    ``order[bounds[g]:bounds[g + 1]]`` (0 <= groups < ngroups)."""
    return _group_order(np.ascontiguousarray(groups, np.int64), ngroups)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def hash_partition(h: np.ndarray, parts: int) -> np.ndarray:
    """The partition (0 <= p < parts, a power of two) of each 64-bit hash: the top bits of
    ``h`` times the golden ratio.  Not the top bits of ``h`` itself: winnowed fingerprints
    are window minima, so their top bits are far from uniform (a sixth of them would fall
    in the first of 64 partitions, and the last ones would stay empty)."""
    if parts == 1:
        return np.zeros(len(h), np.int64)
    with np.errstate(over="ignore"):
        return ((h * _GOLDEN) >> np.uint64(64 - (parts.bit_length() - 1))).astype(np.int64)


@nb.njit(cache=True, nogil=True)
def _partition_rows(h, d, p, k, parts, shift):  # pragma: no cover - jit
    n = len(h)
    shift = np.uint64(shift)
    golden = np.uint64(0x9E3779B97F4A7C15)
    part = np.zeros(n, np.int64)
    counts = np.zeros(parts + 1, np.int64)
    for i in range(n):
        g = np.int64((h[i] * golden) >> shift) if parts > 1 else 0
        part[i] = g
        counts[g + 1] += 1
    bounds = np.cumsum(counts)
    fill = bounds[:-1].copy()
    oh = np.empty(n, h.dtype)
    od = np.empty(n, d.dtype)
    op = np.empty(n, p.dtype)
    ok = np.empty(n, k.dtype)
    for i in range(n):
        g = part[i]
        j = fill[g]
        fill[g] = j + 1
        oh[j] = h[i]
        od[j] = d[i]
        op[j] = p[i]
        ok[j] = k[i]
    return oh, od, op, ok, bounds


def partition_rows(h: np.ndarray, d: np.ndarray, p: np.ndarray, k: np.ndarray, parts: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Four columns of rows grouped by the :func:`hash_partition` of ``h`` (stably), and the
    bounds of each partition: ``group_order(hash_partition(h, parts), parts)`` and the
    columns taken in that order (:func:`partition_rows_reference`), in one compiled pass."""
    if parts & (parts - 1) or parts < 1:
        raise ValueError("parts must be a power of two")
    return _partition_rows(np.ascontiguousarray(h, np.uint64), np.ascontiguousarray(d), np.ascontiguousarray(p),
                           np.ascontiguousarray(k), parts, 64 - (parts.bit_length() - 1))


def partition_rows_reference(h: np.ndarray, d: np.ndarray, p: np.ndarray, k: np.ndarray, parts: int
                             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`partition_rows` by :func:`group_order` and numpy takes."""
    order, bounds = group_order(hash_partition(h, parts), parts)
    return h[order], d[order], p[order], k[order], bounds


#: a spill's index: one record per partition per flush (rows ``start:start + n`` of every
#: column file belong to partition ``p``)
_SEGMENT = np.dtype([("p", "<i8"), ("start", "<i8"), ("n", "<i8")])
_INDEX = "index.bin"


class PartitionedSpill:
    """Rows of named numpy columns spilled to disk by partition, and read back one partition
    at a time; the caller says which partition each row goes to.  A spill is one file per
    column (plain arrays, appended at each :meth:`flush`, one segment per partition) and an
    index of the segments, so only a few files are ever created (creating a file costs a
    fifth of a millisecond or more on a journaling file system; one per partition and
    column added up to a noticeable share of a scan).  Files are written unbuffered through
    descriptors kept open until :meth:`close`, so whatever :meth:`flush` wrote is on disk
    even if the process is then killed (as pool workers are); the index is written after
    the data it points to."""

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
        self._fds: dict[str, int] = {}
        self._written = 0  # rows in each column file
        self.rows = 0

    def add(self, part: np.ndarray, **cols: np.ndarray) -> None:
        """Append rows; ``part[i]`` is row i's partition (0 <= part < parts)."""
        if not len(part):
            return
        order, bounds = group_order(part, self.parts)
        self.add_grouped(bounds, **{n: cols[n][order] for n in self.columns})

    def add_grouped(self, bounds: np.ndarray, **cols: np.ndarray) -> None:
        """Append rows already grouped by partition: partition p's rows are
        ``[bounds[p]:bounds[p + 1]]`` (no sorting needed)."""
        cols = {n: np.ascontiguousarray(cols[n], self.columns[n]) for n in self.columns}
        for p in range(self.parts):
            a, b = int(bounds[p]), int(bounds[p + 1])
            if b > a:
                self._buf[p].append({n: c[a:b] for n, c in cols.items()})
        n = int(bounds[-1] - bounds[0])
        self.rows += n
        self._buffered += n
        if self._buffered >= self.buffer_rows:
            self.flush()

    def write_grouped(self, bounds: np.ndarray, **cols: np.ndarray) -> None:
        """:meth:`add_grouped` and :meth:`flush` in one, the columns written as they are
        (not copied into a buffer first)."""
        self.flush()
        cols = {n: np.ascontiguousarray(cols[n], self.columns[n]) for n in self.columns}
        lo, hi = int(bounds[0]), int(bounds[-1])
        if hi <= lo:
            return
        segments = [(p, self._written + int(bounds[p]) - lo, int(bounds[p + 1] - bounds[p]))
                    for p in range(self.parts) if bounds[p + 1] > bounds[p]]
        for name in self.columns:
            _write_all(self._fd(name), memoryview(cols[name][lo:hi]).cast("B"))
        _write_all(self._fd(_INDEX), memoryview(np.array(segments, _SEGMENT)).cast("B"))
        self._written += hi - lo
        self.rows += hi - lo

    def flush(self) -> None:
        if not self._buffered:
            return
        segments = []
        for p, chunks in enumerate(self._buf):
            if not chunks:
                continue
            n = sum(len(c[next(iter(self.columns))]) for c in chunks)
            segments.append((p, self._written, n))
            self._written += n
        for name in self.columns:
            data = np.concatenate([c[name] for chunks in self._buf for c in chunks])
            _write_all(self._fd(name), memoryview(data).cast("B"))
        _write_all(self._fd(_INDEX), memoryview(np.array(segments, _SEGMENT)).cast("B"))
        for chunks in self._buf:
            chunks.clear()
        self._buffered = 0

    def _fd(self, name: str) -> int:
        fd = self._fds.get(name)
        if fd is None:
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
            path = self.dir / (name if name == _INDEX else f"{name}.col")
            fd = self._fds[name] = os.open(path, flags, 0o600)
        return fd

    def close(self) -> None:
        """Write what is buffered and close the files."""
        self.flush()
        while self._fds:
            os.close(self._fds.popitem()[1])

    def __del__(self) -> None:
        with contextlib.suppress(OSError, TypeError, AttributeError):  # interpreter shutdown
            while self._fds:
                os.close(self._fds.popitem()[1])

    def read(self, p: int) -> dict[str, np.ndarray] | None:
        """The columns of partition ``p`` (None if empty); writes what is buffered first.
        Any process may read a partition."""
        self.close()
        return read_partition([self.dir], p, self.columns)

    def partitions(self) -> Iterator[dict[str, np.ndarray]]:
        """The columns of each non-empty partition in turn; the files are removed at the end."""
        self.close()
        for p in range(self.parts):
            cols = self.read(p)
            if cols is not None:
                yield cols
        self.remove()

    def remove(self) -> None:
        """Delete the spill's files."""
        self.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def _write_all(fd: int, data: memoryview) -> None:
    while len(data):
        data = data[os.write(fd, data):]


def _read_into(fd: int, out: np.ndarray, offset: int) -> None:
    view = memoryview(out).cast("B")
    while len(view):
        n = os.preadv(fd, [view], offset) if hasattr(os, "preadv") else _pread_into(fd, view, offset)
        if n <= 0:
            raise RuntimeError("a spill file ended early")
        view, offset = view[n:], offset + n


def _pread_into(fd: int, view: memoryview, offset: int) -> int:
    data = os.pread(fd, len(view), offset) if hasattr(os, "pread") else _seek_read(fd, len(view), offset)
    view[:len(data)] = data
    return len(data)


def _seek_read(fd: int, n: int, offset: int) -> bytes:
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, n)


class SharedSpill:
    """A :class:`PartitionedSpill` written by several processes at once: each appends to its
    own folder under ``directory`` (named by process id, see :meth:`writer`); a partition is
    read back from all of them (:meth:`read`)."""

    def __init__(self, directory: Path, columns: dict[str, Any], parts: int) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.columns = {name: np.dtype(dt) for name, dt in columns.items()}
        self.parts = parts
        self._writers: dict[int, PartitionedSpill] = {}

    def writer(self) -> PartitionedSpill:
        """This process's spill (flush it before its rows are read)."""
        pid = os.getpid()
        if pid not in self._writers:
            self._writers[pid] = PartitionedSpill(self.dir / f"w{pid}", self.columns, self.parts)
        return self._writers[pid]

    def remove(self) -> None:
        """Delete every writer's files (once all partitions are read)."""
        own = self._writers.get(os.getpid())
        if own is not None:
            own.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def read(self, p: int) -> dict[str, np.ndarray] | None:
        """Partition ``p`` from every writer (None if empty)."""
        own = self._writers.get(os.getpid())
        if own is not None:  # this process wrote some: close its files before reading
            own.close()
        return read_partition(sorted(x for x in self.dir.iterdir() if x.is_dir()), p, self.columns)


def read_partition(dirs: list[Path], p: int, columns: dict[str, np.dtype]) -> dict[str, np.ndarray] | None:
    """Partition ``p`` of the :class:`PartitionedSpill` s written in ``dirs`` (same columns,
    e.g. one per worker process), as contiguous columns.  None if empty."""
    found = []
    for d in dirs:
        index = d / _INDEX
        if index.exists():
            seg = np.fromfile(index, _SEGMENT)
            seg = seg[seg["p"] == p]
            if len(seg):
                found.append((d, seg))
    total = sum(int(seg["n"].sum()) for _, seg in found)
    if not total:
        return None
    out = {n: np.empty(total, dt) for n, dt in columns.items()}
    for name, dt in columns.items():
        at = 0
        for d, seg in found:
            fd = os.open(d / f"{name}.col", os.O_RDONLY | getattr(os, "O_BINARY", 0))
            try:
                for start, n in zip(seg["start"].tolist(), seg["n"].tolist(), strict=True):
                    _read_into(fd, out[name][at:at + n], start * dt.itemsize)
                    at += n
            finally:
                os.close(fd)
    return out


_NONE = 0xFFFFFFFF
_HEADER = struct.Struct("<7I")


def pack(a: Article) -> bytes:
    """An article as a compact binary record: id, title, date, text, source, url and extra
    (as JSON), so that whoever reads it back (the index storing a web page's article) has
    all of it."""
    extra = json.dumps(a.extra, ensure_ascii=False, default=str) if a.extra else None
    fields = [x.encode("utf-8", "surrogatepass") if x is not None else None
              for x in (a.id, a.title, a.date, a.text, a.source, a.url, extra)]
    head = _HEADER.pack(*(len(f) if f is not None else _NONE for f in fields))
    return head + b"".join(f for f in fields if f is not None)


def _unpack(data: bytes) -> Article:
    """The article of a :func:`pack` record."""
    lens = _HEADER.unpack_from(data)
    at = _HEADER.size
    vals: list[str | None] = []
    for n in lens:
        if n == _NONE:
            vals.append(None)
        else:
            vals.append(data[at:at + n].decode("utf-8", "surrogatepass"))
            at += n
    art_id, title, date, text, source, url, extra = vals
    return Article(art_id or "", text or "", title, date, source, url, json.loads(extra) if extra else {})


#: how an :class:`ArticleStore` record is encoded
PACKED, JSON_LINE = 0, 1


def append_file(directory: Path, data: bytes) -> tuple[str, int]:
    """Append ``data`` to this process's file in ``directory``; (file name, offset)."""
    path = Path(directory) / f"articles-{os.getpid()}.bin"
    with open(path, "ab") as f:
        at = f.tell()
        f.write(data)
    return path.name, at


class ArticleStore:
    """Where every accepted article lives on disk, so texts are not held in memory between
    passes and any input (gzip, CSV, Parquet, stdin) can be revisited.  A line of a plain
    JSON Lines file is read back from the file itself; other input is appended by the
    worker processes to their own files (:func:`append_file`): JSON Lines as the raw lines
    they came in, other articles packed.  The parent records where each article is;
    ``reader().get(i)`` reads article ``i`` back."""

    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, int] = {}
        self._file: list[np.ndarray] = []
        self._start: list[np.ndarray] = []
        self._end: list[np.ndarray] = []
        self._kind: list[np.ndarray] = []

    def add(self, name: str, base: int, starts: np.ndarray, ends: np.ndarray, kind: int) -> None:
        """Record articles stored in file ``name`` (in the store's folder, or an absolute
        path: a plain input file is read back where it is) at ``base + starts[n] :
        base + ends[n]``."""
        f = self._files.setdefault(name, len(self._files))
        self._file.append(np.full(len(starts), f, np.int32))
        self._start.append(base + np.asarray(starts, np.int64))
        self._end.append(base + np.asarray(ends, np.int64))
        self._kind.append(np.full(len(starts), kind, np.int8))

    def reader(self) -> StoreReader:
        cat = np.concatenate
        e64 = [np.zeros(0, np.int64)]
        names = sorted(self._files, key=self._files.__getitem__)
        return StoreReader([self.dir / n for n in names], cat([np.zeros(0, np.int32), *self._file]),
                           cat(e64 + self._start), cat(e64 + self._end),
                           cat([np.zeros(0, np.int8), *self._kind]))


class StoreReader:
    """Random access to an :class:`ArticleStore` (one per process)."""

    def __init__(self, paths: list[Path], file: np.ndarray, start: np.ndarray, end: np.ndarray,
                 kind: np.ndarray) -> None:
        self.paths, self.file, self.start, self.end, self.kind = paths, file, start, end, kind
        self._open: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.start)

    def close(self) -> None:
        """Close the files (also done when the reader is garbage-collected)."""
        while self._open:
            os.close(self._open.popitem()[1])

    def __del__(self) -> None:
        with contextlib.suppress(OSError, TypeError):  # TypeError: interpreter shutdown
            self.close()

    def raw(self, i: int) -> bytes:
        f = int(self.file[i])
        fd = self._open.get(f)
        if fd is None:  # a descriptor per file, open as long as the reader (one per process)
            fd = self._open[f] = os.open(self.paths[f], os.O_RDONLY | getattr(os, "O_BINARY", 0))
        start = int(self.start[i])
        if hasattr(os, "pread"):
            return os.pread(fd, int(self.end[i]) - start, start)
        os.lseek(fd, start, os.SEEK_SET)  # Windows
        return os.read(fd, int(self.end[i]) - start)

    def get(self, i: int) -> Article:
        return stored_article(self.raw(i), int(self.kind[i]), i)

    def raw_text(self, i: int) -> str:
        """The stored record as text (for a reject entry)."""
        return stored_text(self.raw(i), int(self.kind[i]))


def stored_article(data: bytes, kind: int, i: int = -1) -> Article:
    """The article of a stored record (``kind``: :data:`PACKED` or :data:`JSON_LINE`)."""
    if kind == PACKED:
        return _unpack(data)
    from .read._record import to_article
    from .read.jsonl import BOM, parse_record, plain_line
    if data.startswith(BOM):
        data = data[len(BOM):]
    art = plain_line(data)  # a plain record's short path (the article parse_record's gives)
    if art is not None:
        return art
    row = parse_record(data, "", 2)
    art = to_article(row) if row is not None and not isinstance(row, Reject) else row
    if not isinstance(art, Article):  # it was validated when it was stored
        raise RuntimeError(f"article {i} can no longer be read back")
    return art


def stored_text(data: bytes, kind: int) -> str:
    """A stored record as text (for a reject entry)."""
    if kind == JSON_LINE:
        return data.decode("utf-8", errors="replace").rstrip("\r\n")
    a = _unpack(data)
    return json.dumps({"id": a.id, "title": a.title, "date": a.date, "text": a.text},
                      ensure_ascii=False)
