"""Write: the output files of a scan (schemas in FORMATS.md, documented in the README)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from .errors import ConfigError, MissingDependency
from .records import Article, Family, Pair, Reject


def json_line(row: dict[str, Any]) -> bytes:
    """One JSON Lines line (UTF-8, newline included)."""
    try:
        return orjson.dumps(row) + b"\n"
    except TypeError:  # a string orjson refuses (an unpaired surrogate): escape it
        return json.dumps(row).encode("ascii") + b"\n"


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write dicts as JSON Lines (UTF-8, no ASCII escaping); returns the line count.  The
    lines are joined and written in blocks of :data:`_BLOCK_LINES` (one write call per
    line cost a tenth of the time of writing pairs.jsonl)."""
    n = 0
    with open(path, "wb") as f:
        lines = map(json_line, rows)
        while block := list(islice(lines, _BLOCK_LINES)):
            f.write(b"".join(block))
            n += len(block)
    return n


#: lines joined into one write by :func:`write_jsonl`
_BLOCK_LINES = 4096


def round4(x: np.ndarray) -> list[float]:
    """``[round(v, 4) for v in x]``, at once: ``rint(v * 10**4) / 10**4`` is that where the
    product lies clearly off a halfway point (the rounded integer is then the exact
    decimal's, and a correctly rounded division gives the double nearest it, as ``round``
    does), and ``round`` is asked for the others (near a half, large or not finite)."""
    x = np.asarray(x, np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        y = x * 1e4
        k = np.rint(y)
        out = (k / 1e4).tolist()
        sure = (np.abs(y) < 2.0**40) & (np.abs(np.abs(y - k) - 0.5) > 1e-3)
    for i in np.flatnonzero(~sure).tolist():
        out[i] = round(float(x[i]), 4)
    return out


def pair_rows(pairs: Sequence[Pair]) -> Iterator[dict[str, Any]]:
    """``p.to_dict()`` of each pair, the coverages rounded all at once (:func:`round4`; two
    ``round`` calls a pair took a quarter of the time of making the rows)."""
    n = len(pairs)
    ca = round4(np.fromiter(map(_COVERAGE_A, pairs), np.float64, n))
    cb = round4(np.fromiter(map(_COVERAGE_B, pairs), np.float64, n))
    return map(Pair.row, pairs, ca, cb)


_COVERAGE_A, _COVERAGE_B = attrgetter("coverage_a"), attrgetter("coverage_b")


def require_pyarrow() -> None:
    """Raise :class:`MissingDependency` now (before a scan) if Parquet cannot be written."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise MissingDependency("pyarrow", "parquet") from None


def pairs_table(pairs: Iterable[Pair]) -> Any:
    """pairs as an Arrow table (one row per pair, passages as a list of structs)."""
    require_pyarrow()
    import pyarrow as pa

    passage = pa.struct([(k, pa.int64()) for k in ("a_start", "a_end", "b_start", "b_end")] + [("kind", pa.string())])
    schema = pa.schema([("a", pa.string()), ("b", pa.string()), ("relation", pa.string()),
                        ("origin", pa.string()), ("coverage_a", pa.float64()), ("coverage_b", pa.float64()),
                        ("passages", pa.list_(passage)), ("origin_reason", pa.string())])
    return pa.Table.from_pylist([p.to_dict() for p in pairs], schema=schema)


def families_table(families: Iterable[Family]) -> Any:
    """families as an Arrow table (members as a list of strings)."""
    require_pyarrow()
    import pyarrow as pa

    schema = pa.schema([("family", pa.string()), ("members", pa.list_(pa.string())), ("origin", pa.string())])
    return pa.Table.from_pylist([f.to_dict() for f in families], schema=schema)


def write_parquet(path: Path, pairs: Iterable[Pair]) -> None:
    """pairs as Parquet (one row per pair, passages as a list of structs)."""
    require_pyarrow()
    import pyarrow.parquet as pq

    pq.write_table(pairs_table(pairs), path)


#: the folders of ``--parquet --partitioned`` (Parquet part files written by Spark)
PARTITIONED = {"pairs_parquet": "pairs/", "families_parquet": "families/"}


def write_results(out: Path, *, pairs: list[Pair], families: list[Family],
                  rejects: Iterable[Reject], manifest: dict[str, Any],
                  parquet: bool = False, boilerplate: Iterable[dict[str, Any]] = (),
                  report: str | None = None, partitioned: bool = False) -> dict[str, str]:
    """Write pairs.jsonl, families.jsonl, rejects.jsonl, boilerplate.jsonl, run.json (and pairs.parquet) into
    ``out``; ``report`` names the report's index page in run.json (for a scan: the staging folder of :func:`copydesk.atomic.staged_dir`).
    ``partitioned``: the Spark engine wrote the folders ``pairs/`` and ``families/`` of
    Parquet part files instead of pairs.parquet (:data:`PARTITIONED`); run.json names them."""
    out.mkdir(parents=True, exist_ok=True)
    files = {"pairs": "pairs.jsonl", "families": "families.jsonl", "rejects": "rejects.jsonl",
             "boilerplate": "boilerplate.jsonl", "manifest": "run.json"}
    write_jsonl(out / files["pairs"], pair_rows(pairs))
    write_jsonl(out / files["families"], (f.to_dict() for f in families))
    write_jsonl(out / files["rejects"], (r.to_dict() for r in rejects))
    write_jsonl(out / files["boilerplate"], boilerplate)
    if partitioned:
        files.update(PARTITIONED)
    elif parquet:
        files["pairs_parquet"] = "pairs.parquet"
        write_parquet(out / files["pairs_parquet"], pairs)
    if report is not None:  # written next, by copydesk.report
        files["report"] = report
    manifest = {**manifest, "files": files}
    (out / files["manifest"]).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    return files


# -- a corpus of articles (what ``copydesk dedup`` writes) ----------------------------------
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
PARQUET_SUFFIXES = (".parquet",)
CORE_FIELDS = ("id", "text", "title", "date", "source", "url")


def corpus_format(path: Path) -> str:
    """``"jsonl"``, ``"jsonl.gz"`` or ``"parquet"`` from a file name; :class:`ConfigError`
    otherwise."""
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl.gz" if name.endswith(".gz") else "jsonl"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    raise ConfigError(f"--out {path}: name it .jsonl (or .jsonl.gz, .ndjson) for JSON Lines, "
                      "or .parquet for Parquet")


def article_row(a: Article) -> dict[str, Any]:
    """An article as an input record (FORMATS.md): id, text, the optional fields it has, and
    its extra metadata under their own names — so a written corpus reads back the same."""
    row: dict[str, Any] = dict(a.extra)
    row.update(id=a.id, text=a.text)
    for name in CORE_FIELDS[2:]:
        value = getattr(a, name)
        if value is not None:
            row[name] = value
    return row


def kind_of(value: Any) -> str:
    """The Parquet column kind a metadata value needs (see :class:`ArticleWriter`)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str" if isinstance(value, str) else "json"


class ArticleWriter:
    """Streams articles to JSON Lines (``fmt`` ``"jsonl"``, or ``"jsonl.gz"`` compressed) or
    Parquet (``"parquet"``, in batches).

    Parquet needs one schema up front: the core fields are strings, and each extra field's
    column type comes from ``extra_kinds`` (the :func:`kind_of` of every value it takes in
    the corpus): one kind → that type (int and float together → float), anything mixed or
    nested → a string column holding JSON text."""

    def __init__(self, path: Path, fmt: str, extra_kinds: dict[str, set[str]] | None = None,
                 *, batch: int = 1000) -> None:
        self.path, self.fmt, self.count, self.batch = path, fmt, 0, batch
        self._rows: list[dict[str, Any]] = []
        if fmt.startswith("jsonl"):
            # closed by close() / the with block of the caller
            self._file: Any = (gzip.open(path, "wb") if fmt == "jsonl.gz"  # noqa: SIM115
                               else open(path, "wb"))  # noqa: SIM115
            return
        require_pyarrow()
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa = pa
        types = {"bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(), "str": pa.string()}
        fields = [pa.field(name, pa.string()) for name in CORE_FIELDS]
        self._json: set[str] = set()
        for name, kinds in (extra_kinds or {}).items():
            kinds = kinds - {"null"}
            kind = "float" if kinds == {"int", "float"} else (next(iter(kinds)) if len(kinds) == 1 else "json")
            if kind == "json":
                self._json.add(name)
            fields.append(pa.field(name, types.get(kind, pa.string())))
        self._schema = pa.schema(fields)
        self._file = pq.ParquetWriter(path, self._schema)

    def write(self, article: Article) -> None:
        row = article_row(article)
        self.count += 1
        if self.fmt != "parquet":
            try:
                line = orjson.dumps(row, default=str)
            except TypeError:  # an unpaired surrogate in extra metadata: escape it
                line = json.dumps(row, default=str).encode("ascii")
            self._file.write(line + b"\n")
            return
        for name in self._json:
            if name in row and not isinstance(row[name], str | None):
                row[name] = json.dumps(row[name], ensure_ascii=False, default=str)
        self._rows.append(row)
        if len(self._rows) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            table = self._pa.Table.from_pylist(self._rows, schema=self._schema)
            self._file.write_table(table)
            self._rows = []

    def close(self) -> None:
        if self.fmt == "parquet":
            self._flush()
        self._file.close()

    def __enter__(self) -> ArticleWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

