"""Step 1, *read*: turn input files into :class:`~copydesk.records.Article` records.

:func:`read_corpus` picks a reader by path — a directory of ``.txt`` files, ``.txt``,
``.jsonl`` / ``.jsonl.gz`` / ``.ndjson``, ``-`` (JSON Lines on stdin), ``.csv``, ``.parquet`` —
and owns the loop every reader shares: validation (``_record.to_article``), duplicate ids
across all inputs, and the reject log.  A format module only finds records.

A bad record is never fatal and never silently lost: it becomes a
:class:`~copydesk.records.Reject` in the :class:`RejectLog`.  Only an input that cannot be
read at all (missing, unknown format, CSV without ``id``/``text``) raises
:class:`~copydesk.errors.InputError`, and it does so when :func:`read_corpus` is called,
before any article is produced.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from ..errors import InputError
from ..records import Article, Reject
from . import csvfile, jsonl, parquet, txtdir
from ._record import Row, to_article
from .jsonl import LineBlock
from .rejects import RejectLog

__all__ = ["ACCEPTED", "LineBlock", "RejectLog", "read_batches", "read_corpus"]

ACCEPTED = ("a directory of .txt files, .txt, .jsonl, .jsonl.gz, .ndjson, .csv, .parquet, "
            "or - for JSON Lines on stdin")

_Source = Callable[[], Iterator[Row | Reject]]
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


def read_corpus(paths: Sequence[str | Path], *, rejects: RejectLog) -> Iterator[Article]:
    """Stream the articles of ``paths`` in input order; bad records go to ``rejects``.

    Every path is checked first (exists, known format, readable header), so an
    :class:`InputError` comes at once, not after half the corpus.  Ids must be unique across
    all inputs: a later record with an id already seen is rejected as ``"duplicate id"``.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    sources = [_source(p) for p in paths]
    return _articles(sources, rejects)


def read_batches(paths: Sequence[str | Path], *, rejects: RejectLog,
                 size: int) -> Iterator[LineBlock | list[Article]]:
    """:func:`read_corpus` for a scan: JSON Lines inputs come as raw :class:`LineBlock` s
    (parsed and validated by whoever prepares them, see :func:`jsonl.block_articles`), other
    inputs as validated articles, ``size`` at a time.  Ids are not checked across the two
    kinds here: the scan rejects a repeated id when it numbers the articles."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    plan = [(p, _source(p)) for p in paths]
    return _batches(plan, rejects, size)


def _is_jsonl(path: str | Path) -> bool:
    return str(path) == "-" or (not Path(path).is_dir() and Path(path).name.lower().endswith(_JSONL_SUFFIXES))


def _batches(plan: list[tuple[str | Path, _Source]], rejects: RejectLog,
             size: int) -> Iterator[LineBlock | list[Article]]:
    seen: set[str] = set()
    for path, source in plan:
        if _is_jsonl(path):
            for block in jsonl.iter_blocks(path, size):
                if isinstance(block, Reject):
                    rejects.add(block)
                else:
                    yield block
            continue
        yield from batched(_articles([source], rejects, seen), size)


def batched(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """``articles`` in lists of ``size``."""
    batch: list[Article] = []
    for art in articles:
        batch.append(art)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _articles(sources: list[_Source], rejects: RejectLog, seen: set[str] | None = None) -> Iterator[Article]:
    seen = set() if seen is None else seen
    for source in sources:
        for item in source():
            if isinstance(item, Reject):
                rejects.add(item)
                continue
            result = to_article(item)
            if isinstance(result, Reject):
                rejects.add(result)
            elif result.id in seen:
                rejects.add(Reject(item.where, "duplicate id", result.id, item.raw_text()))
            else:
                seen.add(result.id)
                yield result


def _source(path: str | Path) -> _Source:
    """The reader for ``path``, after checking it can be read."""
    if str(path) == "-":
        return jsonl.iter_stdin
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file or directory (accepted: {ACCEPTED})")
    if p.is_dir():
        return functools.partial(txtdir.iter_dir, p)
    name = p.name.lower()
    if name.endswith(_JSONL_SUFFIXES):
        _check(jsonl.check, path)
        return functools.partial(jsonl.iter_rows, path)
    if name.endswith(".csv"):
        _check(csvfile.check, path)
        return functools.partial(csvfile.iter_rows, path)
    if name.endswith(".parquet"):
        _check(parquet.check, path)
        return functools.partial(parquet.iter_rows, path)
    if txtdir.is_txt(p):
        _check(_readable, path)
        return functools.partial(txtdir.iter_file, p)
    raise InputError(f"{path}: unknown input format (accepted: {ACCEPTED})")


def _readable(path: str | Path) -> None:
    with open(path, "rb"):
        pass


def _check(check: Callable[[str | Path], None], path: str | Path) -> None:
    """Run a format's early check; an OS error (permissions, a directory) becomes InputError."""
    try:
        check(path)
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None
