"""numpy arrays and texts as SQLite BLOBs.

A bundle of named arrays is one BLOB: a JSON header (name, dtype, shape of each array) and
the arrays' bytes, zstd-compressed when asked (texts and line rows compress well; 64-bit
fingerprint hashes do not, so they are stored plain).
"""

from __future__ import annotations

import json
import struct
import threading
from typing import Any

import numpy as np
import zstandard

_LEN = struct.Struct("<I")
_PLAIN, _ZSTD = b"P", b"Z"
_LOCAL = threading.local()  # zstd (de)compressors are not thread-safe: one per thread


def _zc(level: int = 3) -> zstandard.ZstdCompressor:
    name = f"zc{level}"
    zc = getattr(_LOCAL, name, None)
    if zc is None:
        zc = zstandard.ZstdCompressor(level=level)
        setattr(_LOCAL, name, zc)
    return zc


def _zd() -> zstandard.ZstdDecompressor:
    zd = getattr(_LOCAL, "zd", None)
    if zd is None:
        zd = _LOCAL.zd = zstandard.ZstdDecompressor()
    return zd


def pack_arrays(arrays: dict[str, np.ndarray], *, compress: bool = False) -> bytes:
    """One BLOB of the named arrays (see :func:`unpack_arrays`)."""
    arrays = {k: np.ascontiguousarray(v) for k, v in arrays.items()}
    head = json.dumps([(k, v.dtype.str, list(v.shape)) for k, v in arrays.items()]).encode()
    body = _LEN.pack(len(head)) + head + b"".join(v.tobytes() for v in arrays.values())
    return _ZSTD + _zc().compress(body) if compress else _PLAIN + body


def unpack_arrays(blob: bytes) -> dict[str, np.ndarray]:
    """The arrays of a :func:`pack_arrays` BLOB (read-only views of its bytes)."""
    body = _zd().decompress(blob[1:]) if blob[:1] == _ZSTD else memoryview(blob)[1:]
    (n,) = _LEN.unpack_from(body)
    head = json.loads(bytes(body[_LEN.size:_LEN.size + n]))
    at = _LEN.size + n
    out = {}
    for name, dtype, shape in head:
        dt = np.dtype(dtype)
        count = int(np.prod(shape)) if shape else 1
        out[name] = np.frombuffer(body, dt, count, at).reshape(shape)
        at += count * dt.itemsize
    return out


def pack_json(value: Any) -> np.ndarray:
    """A JSON value as a byte array, to travel in a bundle of arrays."""
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"),
                         np.uint8)


def unpack_json(arr: np.ndarray) -> Any:
    return json.loads(arr.tobytes().decode("utf-8", "surrogatepass"))


def pack_text(text: str) -> bytes:
    """A text zstd-compressed at level 1: news text compresses as well there as at level 3
    (1.84x and 1.83x on the 100k corpus) in two thirds of the time, and an add compresses
    every text it stores."""
    return _zc(1).compress(text.encode("utf-8", "surrogatepass"))


def unpack_text(blob: bytes) -> str:
    return _zd().decompress(blob).decode("utf-8", "surrogatepass")
