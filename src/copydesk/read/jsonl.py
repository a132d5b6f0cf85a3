"""JSON Lines reader (``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``, ``.ndjson``, stdin): one article
per line.

The input is read in binary and split on ``\\n`` only, and each line is decoded strictly as
UTF-8 on its own, so one bad line costs one reject, not the file, and a U+2028 inside a string
does not split a record.  Blank lines are skipped; a UTF-8 BOM at the start is tolerated.

Lines are parsed by orjson; a line orjson refuses (or one holding a number too big for it to
keep exact) is parsed again by the standard library, which decides and words the reject, so
the result never depends on the fast path.  Large inputs travel as :class:`LineBlock` s of raw
lines, parsed where they are prepared (in the scan's worker processes).

A compressed input (gzip or zstd, by its name) is decompressed as a stream; a damaged or
truncated stream ends in one reject at the line where reading stopped, and what was read before
it is kept.  An empty file (no bytes at all, or no lines after decompression) is one reject,
``empty file``, so a forgotten or failed export does not pass unnoticed.
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import mmap
import os
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import orjson

from ..errors import InputError
from ..records import Article, Reject
from . import zstd
from ._record import Row, plain_article, to_article, type_name, utf8_reason

BOM = b"\xef\xbb\xbf"
#: orjson turns integers beyond 64 bits into floats, so a record holding anything but these
#: (a float, or a nested value, which might hold one) takes the standard parser
_EXACT = frozenset((str, int, bool, type(None)))
STDIN = "<stdin>"
_GZIP_MAGIC = b"\x1f\x8b"


EMPTY_FILE = "empty file"


def is_gzip(path: str | Path) -> bool:
    """True if the name says gzip (``.gz``)."""
    return str(path).lower().endswith(".gz")


def is_zstd(path: str | Path) -> bool:
    """True if the name says Zstandard (``.zst``)."""
    return str(path).lower().endswith(".zst")


def check(path: str | Path, data: bytes | None = None) -> None:
    """Fail early if a ``.gz`` (``.zst``) file (or its bytes ``data``, read elsewhere) is not
    gzip (zstd) at all; an empty file is left to the reader, which rejects it."""
    for named, magic, kind in ((is_gzip, _GZIP_MAGIC, "gzip"), (is_zstd, zstd.MAGIC, "zstd")):
        if named(path):
            if data is not None:
                head = data[:len(magic)]
            else:
                with open(path, "rb") as f:
                    head = f.read(len(magic))
            if head and head != magic:
                raise InputError(f"{path}: not a {kind} file; name it .jsonl if it is plain JSON Lines")


@dataclass(frozen=True, slots=True)
class LineBlock:
    """Consecutive raw lines of one JSON Lines input; ``lines[0]`` is line ``first``.  A
    block of a plain file may instead name its bytes (``span``: path, offset, size) so that
    whoever parses it reads them (:meth:`load`) and the lines never cross a pipe."""

    where: str
    first: int
    lines: list[bytes] | None
    span: tuple[str, int, int] | None = None

    def load(self) -> LineBlock:
        """This block with its lines in memory."""
        if self.lines is not None or self.span is None:
            return self
        path, offset, size = self.span
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read(size)
        return LineBlock(self.where, self.first, split_lines(data))

    def views(self) -> list[bytes] | list[memoryview]:
        """This block's lines, those of a span as views into the bytes read (no copy of each
        line: orjson parses a view in place; 3.75 -> 0.5 ms for a block of 2,000 news
        articles), else its lines as they are."""
        if self.lines is not None or self.span is None:
            return self.lines or []
        path, offset, size = self.span
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read(size)
        return line_views(data)


def line_views(data: bytes) -> list[memoryview]:
    """:func:`split_lines` of ``data`` as views into it."""
    view = memoryview(data)
    find = data.find
    out = []
    start = 0
    while (end := find(b"\n", start)) >= 0:
        out.append(view[start:end])
        start = end + 1
    if not data.endswith(b"\n"):  # the last line has no "\n" (or the data is empty)
        out.append(view[start:])
    return out


def split_lines(data: bytes) -> list[bytes]:
    """The lines of plain JSON Lines bytes, as a block holds them (no ``\\n``)."""
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    return lines


def _open_lines(path: str | Path, data: bytes | None = None) -> Iterator[Iterator[bytes | Reject]]:
    """The binary lines of a JSON Lines file or of stdin (``"-"``); with ``data``, of those
    bytes (the file's content, read elsewhere: Spark), ``path`` naming them."""
    if str(path) == "-":
        buffer: BinaryIO | None = getattr(sys.stdin, "buffer", None)
        if buffer is not None:
            yield iter(buffer)
        else:  # a text-only stream (e.g. replaced in tests or embedding code)
            yield (line.encode("utf-8", "surrogateescape") for line in sys.stdin)
    elif is_gzip(path):
        with gzip.open(path if data is None else io.BytesIO(data), "rb") as f:
            yield _guard_stream(f, str(path), "gzip", (OSError, EOFError, zlib.error))
    elif is_zstd(path):
        yield _guard_stream(zstd.iter_lines(path, data), str(path), "zstd", (OSError, *zstd.errors()))
    elif data is not None:
        yield iter(io.BytesIO(data))
    else:
        with open(path, "rb") as f:
            yield iter(f)


def iter_rows(path: str | Path, data: bytes | None = None) -> Iterator[Row | Reject]:
    """Rows of a JSON Lines file (gzip- or zstd-compressed if the name ends in ``.gz`` or
    ``.zst``), or of its bytes ``data`` read elsewhere."""
    for lines in _open_lines(path, data):
        yield from parse_lines(_nonempty(lines, str(path)), str(path))


def _nonempty(lines: Iterable[bytes | Reject], where: str) -> Iterator[bytes | Reject]:
    """``lines``, or an ``empty file`` reject if there are none."""
    empty = True
    for line in lines:
        empty = False
        yield line
    if empty:
        yield Reject(where, EMPTY_FILE, None, None)


def iter_stdin() -> Iterator[Row | Reject]:
    """Rows of JSON Lines on standard input."""
    for lines in _open_lines("-"):
        yield from parse_lines(lines, STDIN)


def iter_blocks(path: str | Path, size: int, data: bytes | None = None) -> Iterator[LineBlock | Reject]:
    """The raw lines of a JSON Lines input (or of its bytes ``data``, read elsewhere) in
    blocks of ``size`` (parse them with :func:`block_articles`); an unreadable gzip tail
    arrives as a :class:`Reject`."""
    where = STDIN if str(path) == "-" else str(path)
    plain = where != STDIN and not is_gzip(path) and not is_zstd(path)
    if plain and data is not None:  # split as the spans of a file are (LineBlock.load)
        lines = split_lines(data)
        for first in range(0, len(lines), size):
            yield LineBlock(where, first + 1, lines[first:first + size])
        if not data:
            yield Reject(where, EMPTY_FILE, None, None)
        return
    if plain and Path(path).is_file():
        yield from _file_blocks(path, size)  # a regular file can be re-read: byte spans
        return
    for stream in _open_lines(path, data):
        lines = _nonempty(stream, where) if where != STDIN else stream
        first = 1
        while True:
            block = list(itertools.islice(lines, size))
            if not block:
                return
            bad = block[-1] if isinstance(block[-1], Reject) else None
            if bad is not None:
                block.pop()
            if block:
                yield LineBlock(where, first, block)  # type: ignore[arg-type]
                first += len(block)
            if bad is not None:
                yield bad
                return


def _file_blocks(path: str | Path, size: int, chunk: int = 1 << 24) -> Iterator[LineBlock | Reject]:
    """Blocks of ``size`` lines of a plain file, as byte spans: the file is mapped and each
    block's end found by searching for its newlines (memchr, no copy of the file into this
    process); where it cannot be mapped, it is read ``chunk`` bytes at a time
    (:func:`_file_blocks_read`, the same blocks)."""
    where = str(path)
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below, or by the fallback's own open
        try:
            length = os.fstat(f.fileno()).st_size
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if length else None
        except (OSError, ValueError):
            f.close()
            raise
    except (OSError, ValueError):
        yield from _file_blocks_read(path, size, chunk)
        return
    with f:
        if mm is None:
            yield Reject(where, EMPTY_FILE, None, None)
            return
        with mm:
            first = 1  # line number of the next block's first line
            start = 0  # byte offset of the next block's first line
            dropped = 0  # the mapped pages before this are released
            find = mm.find
            while True:
                end, lines = start, 0
                while lines < size:
                    nl = find(b"\n", end)
                    if nl < 0:
                        break
                    end, lines = nl + 1, lines + 1
                if lines < size:
                    break
                yield LineBlock(where, first, None, (where, start, end - start))
                first, start = first + size, end
                if hasattr(mm, "madvise") and hasattr(mmap, "MADV_DONTNEED"):
                    # the pages searched so far leave this process (the page cache keeps
                    # them): the mapping never holds more than a block in memory
                    done = start - start % mmap.ALLOCATIONGRANULARITY
                    if done > dropped:
                        mm.madvise(mmap.MADV_DONTNEED, dropped, done - dropped)
                        dropped = done
            if length > start:
                yield LineBlock(where, first, None, (where, start, length - start))


def _file_blocks_read(path: str | Path, size: int, chunk: int = 1 << 24) -> Iterator[LineBlock | Reject]:
    """:func:`_file_blocks` by reading the file ``chunk`` bytes at a time and scanning them for
    newlines (vectorized)."""
    where = str(path)
    first = 1      # line number of the next block's first line
    start = 0      # byte offset of the next block's first line
    pending = 0    # complete lines seen since start
    pos = 0        # bytes read so far
    with open(path, "rb") as f:
        while data := f.read(chunk):
            ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10) + (pos + 1)
            i = 0
            while pending + len(ends) - i >= size:
                i += size - pending
                end = int(ends[i - 1])
                yield LineBlock(where, first, None, (where, start, end - start))
                first, start, pending = first + size, end, 0
            pending += len(ends) - i
            pos += len(data)
    if pos > start:
        yield LineBlock(where, first, None, (where, start, pos - start))
    elif pos == 0:
        yield Reject(where, EMPTY_FILE, None, None)


def block_articles(block: LineBlock, lines: Sequence[bytes | memoryview] | None = None
                   ) -> tuple[list[Article], list[int], list[tuple[int, Reject]]]:
    """The articles of ``block`` with each one's line index in it, and its rejects (with
    theirs).  Plain records take a short path (:func:`~._record.plain_article`); any other
    line is parsed and checked in full.  ``lines``: the block's lines when read already
    (:meth:`LineBlock.views`)."""
    if lines is None:
        block = block.load()
        assert block.lines is not None
        lines = block.lines
    arts, at, rejects = [], [], []
    for n, line in enumerate(lines):
        if n or block.first != 1:  # the first line of a file may start with a BOM
            art = plain_line(line)
            if art is not None:
                arts.append(art)
                at.append(n)
                continue
        item = parse_record(bytes(line), block.where, block.first + n)
        if item is None:
            continue
        checked = item if isinstance(item, Reject) else to_article(item)
        if isinstance(checked, Reject):
            rejects.append((n, checked))
        else:
            arts.append(checked)
            at.append(n)
    return arts, at, rejects


def plain_line(line: bytes | memoryview) -> Article | None:
    """The article of a line holding a plain record (:func:`~._record.plain_article`: known
    fields only, each a string or null, id and text not blank), else None: then
    :func:`parse_record` and :func:`~._record.to_article` decide (the same article for a
    plain record, tests compare them).  A line that opens the file may start with a BOM,
    which this does not remove."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return plain_article(obj) if type(obj) is dict else None


def parse_block(block: LineBlock) -> Iterator[tuple[int, Row | Reject]]:
    """(index in the block, row or reject) for every non-blank line of ``block``: the
    line-by-line form that :func:`block_articles` must agree with (tests compare them)."""
    block = block.load()
    assert block.lines is not None
    for n, line in enumerate(block.lines):
        item = parse_record(line, block.where, block.first + n)
        if item is not None:
            yield n, item


def _guard_stream(f: Iterable[bytes], where: str, kind: str,
                  damaged: tuple[type[BaseException], ...]) -> Iterator[bytes | Reject]:
    """Lines of a compressed stream; a corrupt or truncated stream ends in one reject
    (``unreadable gzip: ...``), not a crash."""
    it = iter(f)
    lineno = 0
    while True:
        try:
            line = next(it)
        except StopIteration:
            return
        except damaged as err:
            yield Reject(f"{where}:{lineno + 1}", f"unreadable {kind}: {err}", None, None)
            return
        lineno += 1
        yield line


def parse_lines(lines: Iterable[bytes | Reject], where: str) -> Iterator[Row | Reject]:
    """Parse binary JSON Lines; ``where`` names the source in rejects (``where:line``)."""
    for lineno, line in enumerate(lines, start=1):
        if isinstance(line, Reject):
            yield line
            continue
        item = parse_record(line, where, lineno)
        if item is not None:
            yield item


def parse_record(line: bytes, where: str, lineno: int) -> Row | Reject | None:
    """One line of JSON Lines as a row, a reject, or None for a blank line."""
    if lineno == 1 and line.startswith(BOM):
        line = line[len(BOM):]
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        pass
    else:
        if type(obj) is dict and _EXACT.issuperset(map(type, obj.values())):
            return Row(f"{where}:{lineno}", obj, None, line, True)  # clean: orjson checked it
    loc = f"{where}:{lineno}"
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as err:
        raw = line.decode("utf-8", errors="replace").rstrip("\r\n")
        return Reject(loc, utf8_reason(err), None, raw)
    if not text.strip():
        return None
    return _parse_line(text.rstrip("\r\n"), loc)


def _parse_line(text: str, loc: str) -> Row | Reject:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        return Reject(loc, f"malformed JSON: {err.msg} at column {err.colno}", None, text)
    except (ValueError, RecursionError) as err:  # e.g. an integer over 4300 digits
        return Reject(loc, f"malformed JSON: {err}", None, text)
    if not isinstance(obj, dict):
        return Reject(loc, f"not a JSON object: got {type_name(obj)}", None, text)
    return Row(loc, obj, text)
