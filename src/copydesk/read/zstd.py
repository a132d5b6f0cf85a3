"""Lines of a Zstandard-compressed file (``.jsonl.zst``), with truncation detected.

``zstandard``'s stream reader ends quietly at a cut-off frame, so a truncated file would look
complete.  Here the frames are decompressed one by one (``decompressobj``) and a frame that has
not reached its end when the input does raises :class:`Truncated`, so the reader can reject
the tail instead of silently losing it.  Several concatenated frames (``zstd a b > c``) are
read one after another, like gzip members.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MAGIC = b"\x28\xb5\x2f\xfd"
CHUNK = 1 << 20


class Truncated(EOFError):
    """The input ended inside a zstd frame."""


def errors() -> tuple[type[BaseException], ...]:
    """The exceptions a damaged stream raises while being read."""
    import zstandard

    return (Truncated, zstandard.ZstdError)


def _decompressor() -> Any:
    import zstandard

    return zstandard.ZstdDecompressor().decompressobj()


def _chunks(path: str | Path, data: bytes | None = None) -> Iterator[bytes]:
    """Decompressed data of every frame of ``path`` (or of its bytes ``data``), in pieces."""
    with open(path, "rb") if data is None else io.BytesIO(data) as f:
        dobj, fed = _decompressor(), False
        while data := f.read(CHUNK):
            while data:
                out = dobj.decompress(data)
                fed = True
                if out:
                    yield out
                if not dobj.eof:
                    break
                data, dobj, fed = dobj.unused_data, _decompressor(), False
        if fed:
            raise Truncated("truncated stream (the input ends inside a frame)")


def iter_lines(path: str | Path, data: bytes | None = None) -> Iterator[bytes]:
    """The lines of ``path`` (or of its bytes ``data``) after decompression, each with its
    ``\\n`` (the last one may lack it), like iterating over a binary file."""
    pending: list[bytes] = []  # pieces of a line that spans chunks (joined once: no O(n²))
    for chunk in _chunks(path, data):
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            piece = chunk[start:end + 1]
            if pending:
                pending.append(piece)
                piece, pending = b"".join(pending), []
            yield piece
            start = end + 1
        if start < len(chunk):
            pending.append(chunk[start:])
    if pending:
        yield b"".join(pending)
