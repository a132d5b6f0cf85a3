"""JSON Lines reader (``.jsonl``, ``.jsonl.gz``, ``.ndjson``, stdin): one article per line.

The input is read in binary and split on ``\\n`` only, and each line is decoded strictly as
UTF-8 on its own, so one bad line costs one reject, not the file, and a U+2028 inside a string
does not split a record.  Blank lines are skipped; a UTF-8 BOM at the start is tolerated.
"""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..records import Reject
from ._record import Row, type_name, utf8_reason

BOM = b"\xef\xbb\xbf"
STDIN = "<stdin>"
_GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: str | Path) -> bool:
    """True if the name says gzip (``.gz``)."""
    return str(path).lower().endswith(".gz")


def check(path: str | Path) -> None:
    """Fail early if a ``.gz`` file is not gzip at all (an empty file is an empty corpus)."""
    if is_gzip(path):
        with open(path, "rb") as f:
            head = f.read(2)
        if head and head != _GZIP_MAGIC:
            raise InputError(f"{path}: not a gzip file; name it .jsonl if it is plain JSON Lines")


def iter_rows(path: str | Path) -> Iterator[Row | Reject]:
    """Rows of a JSON Lines file (gzip-compressed if the name ends in ``.gz``)."""
    where = str(path)
    if is_gzip(path):
        with gzip.open(path, "rb") as f:
            yield from parse_lines(_guard_gzip(f, where), where)
    else:
        with open(path, "rb") as f:
            yield from parse_lines(f, where)


def iter_stdin() -> Iterator[Row | Reject]:
    """Rows of JSON Lines on standard input."""
    buffer: BinaryIO | None = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        yield from parse_lines(buffer, STDIN)
    else:  # a text-only stream (e.g. replaced in tests or embedding code)
        yield from parse_lines((line.encode("utf-8", "surrogateescape") for line in sys.stdin),
                               STDIN)


def _guard_gzip(f: Iterable[bytes], where: str) -> Iterator[bytes | Reject]:
    """Lines of a gzip stream; a corrupt or truncated stream ends in one reject, not a crash."""
    it = iter(f)
    lineno = 0
    while True:
        try:
            line = next(it)
        except StopIteration:
            return
        except (OSError, EOFError, zlib.error) as err:
            yield Reject(f"{where}:{lineno + 1}", f"unreadable gzip: {err}", None, None)
            return
        lineno += 1
        yield line


def parse_lines(lines: Iterable[bytes | Reject], where: str) -> Iterator[Row | Reject]:
    """Parse binary JSON Lines; ``where`` names the source in rejects (``where:line``)."""
    for lineno, line in enumerate(lines, start=1):
        if isinstance(line, Reject):
            yield line
            continue
        if lineno == 1 and line.startswith(BOM):
            line = line[len(BOM):]
        loc = f"{where}:{lineno}"
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as err:
            raw = line.decode("utf-8", errors="replace").rstrip("\r\n")
            yield Reject(loc, utf8_reason(err), None, raw)
            continue
        if not text.strip():
            continue
        yield _parse_line(text.rstrip("\r\n"), loc)


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
