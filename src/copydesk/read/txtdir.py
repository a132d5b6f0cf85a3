"""Plain-text readers: a directory of ``.txt`` files, or one ``.txt`` file; one article each.

Ids come from the file names (the user's own names, never positions): in a directory, the path
relative to it without ``.txt`` and with ``/`` separators (``2024/afp-123``); for a single file,
its stem.  Files are read in binary and decoded strictly, so the text is exactly the file's
content (``\\r\\n`` kept, offsets stay true) minus a leading UTF-8 BOM.  A file that is not
UTF-8 (Latin-1, say), is mojibake (UTF-8 decoded as Latin-1 before it was saved), cannot be
read or holds only whitespace is rejected.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..records import Reject
from ._record import Row, utf8_reason
from .text import mojibake

BOM = b"\xef\xbb\xbf"
SUFFIX = ".txt"


def is_txt(path: str | Path) -> bool:
    """True if the name ends in ``.txt`` (any case)."""
    return Path(path).suffix.lower() == SUFFIX


def txt_files(directory: Path) -> list[tuple[str, Path]]:
    """(id, path) of every ``.txt`` file under ``directory``, recursively, sorted by id."""
    found = []
    for p in directory.rglob("*"):
        if is_txt(p) and p.is_file():
            rel = p.relative_to(directory).as_posix()
            found.append((rel[: -len(SUFFIX)], p))
    found.sort(key=lambda item: item[0])
    return found


def iter_dir(directory: str | Path) -> Iterator[Row | Reject]:
    """One row per ``.txt`` file under ``directory``."""
    for art_id, path in txt_files(Path(directory)):
        yield read_file(path, art_id=art_id)


def iter_file(path: str | Path) -> Iterator[Row | Reject]:
    """The single row of one ``.txt`` file, id = the file's stem."""
    yield read_file(Path(path), art_id=Path(path).stem)


def read_file(path: Path, *, art_id: str) -> Row | Reject:
    """One ``.txt`` file as a row (or a reject if it is not UTF-8)."""
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:  # one unreadable file must not stop a directory of thousands
        return Reject(where, f"unreadable file: {err.strerror or err}", art_id, None)
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raw = data.decode("utf-8", errors="replace")
        return Reject(where, utf8_reason(err), art_id, raw)
    bad = mojibake(text)
    if bad is not None:
        return Reject(where, bad, art_id, text)
    return Row(where, {"id": art_id, "text": text}, text)
