"""Write: the output files of a scan (schemas in FORMATS.md, documented in the README)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from .errors import MissingDependency
from .records import Family, Pair, Reject


def _line(row: dict[str, Any]) -> bytes:
    try:
        return orjson.dumps(row) + b"\n"
    except TypeError:  # a string orjson refuses (an unpaired surrogate): escape it
        return json.dumps(row).encode("ascii") + b"\n"


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write dicts as JSON Lines (UTF-8, no ASCII escaping); returns the line count."""
    n = 0
    with open(path, "wb") as f:
        for row in rows:
            f.write(_line(row))
            n += 1
    return n


def write_parquet(path: Path, pairs: Iterable[Pair]) -> None:
    """pairs as Parquet (one row per pair, passages as a list of structs)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise MissingDependency("pyarrow", "parquet") from e
    rows = [p.to_dict() for p in pairs]
    pq.write_table(pa.Table.from_pylist(rows), path)


def write_results(out: Path, *, pairs: list[Pair], families: list[Family],
                  rejects: Iterable[Reject], manifest: dict[str, Any],
                  parquet: bool = False) -> dict[str, str]:
    """Write pairs.jsonl, families.jsonl, rejects.jsonl, run.json (and pairs.parquet)."""
    out.mkdir(parents=True, exist_ok=True)
    files = {"pairs": "pairs.jsonl", "families": "families.jsonl", "rejects": "rejects.jsonl",
             "manifest": "run.json"}
    write_jsonl(out / files["pairs"], (p.to_dict() for p in pairs))
    write_jsonl(out / files["families"], (f.to_dict() for f in families))
    write_jsonl(out / files["rejects"], (r.to_dict() for r in rejects))
    if parquet:
        files["pairs_parquet"] = "pairs.parquet"
        write_parquet(out / files["pairs_parquet"], pairs)
    manifest = {**manifest, "files": files}
    (out / files["manifest"]).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    return files
