"""Step 1, *read*: turn input files into :class:`~copydesk.records.Article` records.

:func:`read_corpus` picks a reader by path — ``.jsonl`` / ``.jsonl.gz`` / ``.jsonl.zst`` /
``.ndjson``, ``-`` (JSON Lines on stdin), ``.csv``, ``.parquet``, ``.txt``, ``.html`` / ``.htm``
(a saved web page), ``.warc`` / ``.warc.gz`` (a crawl), or a folder of any of these — or takes
the format it is told (``format=``, the command's ``--format``).  It owns the loop every reader
shares: validation (``_record.to_article``, through a :class:`FieldMap` when the input names its
fields differently), duplicate ids across all inputs, and the reject log.  A format module only
finds records.

A bad record is never fatal and never silently lost: it becomes a
:class:`~copydesk.records.Reject` in the :class:`RejectLog`; a record that is no article by
nature (a crawl's request records, its images) is a :class:`Skip`, counted.  In a folder every
file is read or rejected with the reason it was skipped (an unknown extension, a hidden file);
an empty file is a reject.  Only an input that cannot be read at all (missing, unknown format,
CSV without ``id``/``text``, a missing optional dependency) raises
:class:`~copydesk.errors.InputError` (or :class:`~copydesk.errors.MissingDependency`), and it
does so when :func:`read_corpus` is called, before any article is produced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from ..records import Article, Reject
from . import csvfile, html, jsonl, parquet, txtdir, warc
from ._record import FieldMap, Row, map_row, to_article
from .html import PageBlock
from .jsonl import LineBlock
from .rejects import RejectLog, Skip
from .remote import is_uri

__all__ = ["ACCEPTED", "FORMATS", "ArticleBatch", "FieldMap", "LineBlock", "PageBlock",
           "RejectLog", "Skip", "is_uri", "read_batches", "read_corpus"]

FORMATS = ("jsonl", "csv", "parquet", "txt", "html", "warc")
ACCEPTED = (".jsonl, .jsonl.gz, .jsonl.zst, .ndjson, .csv, .parquet, .txt, .html, .htm, .warc, "
            ".warc.gz, a folder of these, or - for JSON Lines on stdin")

_JSONL_SUFFIXES = tuple(base + z for base in (".jsonl", ".ndjson") for z in ("", ".gz", ".zst"))
#: formats whose records name their fields (and so can be read through a FieldMap)
_MAPPABLE = frozenset(("jsonl", "csv", "parquet"))
#: a block of pages sent to a worker holds at most this many bytes of HTML
_PAGE_BLOCK_BYTES = 32 << 20


@dataclass(frozen=True, slots=True)
class _Input:
    """One file to read, in one format; ``id`` names the article of a one-article file;
    ``data``: its content, when something else read it (Spark, :mod:`.remote`) and ``path``
    only names it."""

    path: str | Path  # "-" for stdin
    format: str
    id: str | None = None
    data: bytes | None = field(default=None, repr=False)


class ArticleBatch(list[Article]):
    """A list of validated articles that also says where each came from (``wheres``)."""

    def __init__(self, articles: Iterable[Article] = (), wheres: Iterable[str] = ()) -> None:
        super().__init__(articles)
        self.wheres: list[str] = list(wheres)


def read_corpus(paths: Sequence[str | Path] | str | Path, *, rejects: RejectLog,
                fields: FieldMap | None = None, format: str | None = None) -> Iterator[Article]:
    """Stream the articles of ``paths`` in input order; bad records go to ``rejects``.

    Every path is checked first (exists, known format, readable header), so an
    :class:`InputError` comes at once, not after half the corpus.  Ids must be unique across
    all inputs: a later record with an id already seen is rejected as ``"duplicate id"``, and
    the reason says where the id was first seen.  ``fields`` maps differently named fields of
    JSON Lines, CSV and Parquet inputs; ``format`` (one of :data:`FORMATS`) overrides the
    format the names suggest."""
    plan = _plan(paths, format, fields or FieldMap())
    return (art for art, _ in _located(plan, rejects, fields or FieldMap(), {}))


def read_batches(paths: Sequence[str | Path] | str | Path, *, rejects: RejectLog, size: int,
                 fields: FieldMap | None = None,
                 format: str | None = None) -> Iterator[LineBlock | PageBlock | ArticleBatch]:
    """:func:`read_corpus` for a scan, ``size`` records at a time: JSON Lines inputs come as
    raw :class:`LineBlock` s (parsed and validated by whoever prepares them, see
    :func:`jsonl.block_articles`) unless their fields are mapped, web pages as
    :class:`PageBlock` s (extracted by whoever prepares them), other inputs as validated
    articles.  Ids are not checked across the kinds here: the scan rejects a repeated id when
    it numbers the articles."""
    fmap = fields or FieldMap()
    return _batches(_plan(paths, format, fmap), rejects, size, fmap)


# -- what to read -----------------------------------------------------------------------------
def detect_format(path: str | Path) -> str | None:
    """The format a file's name says, or None."""
    if str(path) == "-":
        return "jsonl"
    name = Path(path).name.lower()
    if name.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if warc.is_warc(name):
        return "warc"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".parquet"):
        return "parquet"
    if html.is_html(name):
        return "html"
    if txtdir.is_txt(name):
        return "txt"
    return None


def _plan(paths: Sequence[str | Path] | str | Path, fmt: str | None,
          fmap: FieldMap) -> list[_Input | Reject]:
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if isinstance(paths, (str, Path)):
        paths = [paths]
    plan: list[_Input | Reject] = []
    for path in paths:
        if str(path) == "-":
            if fmt not in (None, "jsonl"):
                raise InputError(f"- (stdin) is read as JSON Lines only, not {fmt}")
            plan.append(_Input("-", "jsonl"))
            continue
        p = Path(path)
        if is_uri(path):
            raise InputError(f"{path} is a URI, which only the Spark engine reads: add --engine "
                             "spark, or give a local or mounted path")
        if not p.exists():
            raise InputError(f"{path}: no such file or directory (accepted: {ACCEPTED})")
        if p.is_dir():
            plan += _folder(p, fmt, fmap)
            continue
        kind = fmt or detect_format(p)
        if kind is None:
            raise InputError(unknown_format(path))
        item = _Input(path, kind, p.stem if kind in ("txt", "html") else None)
        empty = _empty(item)
        if empty is None:
            _check(item, fmap)
        plan.append(empty or item)
    return plan


def _folder(directory: Path, fmt: str | None, fmap: FieldMap) -> list[_Input | Reject]:
    """Every file under ``directory`` (sorted by path): an input, or a reject saying why it
    is skipped.  A one-article file's id is its path in the folder without the extension."""
    found: list[_Input | Reject] = []
    for p in sorted((q for q in directory.rglob("*") if not q.is_dir()),
                    key=lambda q: q.relative_to(directory).as_posix()):
        rel = p.relative_to(directory).as_posix()
        if any(part.startswith(".") for part in Path(rel).parts):
            found.append(Reject(str(p), "skipped: hidden file", None, None))
            continue
        if not p.is_file():
            found.append(Reject(str(p), "skipped: not a regular file", None, None))
            continue
        kind = fmt or detect_format(p)
        if kind is None:
            found.append(Reject(str(p), unknown_type(p), None, None))
            continue
        art_id = rel[: len(rel) - len(p.suffix)] if kind in ("txt", "html") and p.suffix else rel
        item = _Input(p, kind, art_id if kind in ("txt", "html") else None)
        bad = _empty(item)
        if bad is None:
            try:
                _check(item, fmap)
            except InputError as err:  # one unreadable file does not stop a folder
                bad = Reject(str(p), f"unreadable file: {err}", None, None)
        found.append(bad or item)
    return found


def unknown_format(path: str | Path) -> str:
    """The error for an input given by name whose format is not known."""
    return (f"{path}: unknown input format (accepted: {ACCEPTED}; "
            "--format names the format of a file named otherwise)")


def unknown_type(path: Path) -> str:
    """The reason a file of a folder whose format is not known is skipped."""
    what = path.suffix.lower() or "no extension"
    return f"skipped: unknown file type ({what}); --format reads every file of a folder as one format"


def _empty(item: _Input) -> Reject | None:
    if item.data is not None:
        return None if item.data else Reject(str(item.path), jsonl.EMPTY_FILE, item.id, None)
    try:
        size = Path(item.path).stat().st_size
    except OSError as err:
        raise InputError(f"{item.path}: cannot read ({err.strerror or err})") from None
    if size == 0 and Path(item.path).is_file():
        return Reject(str(item.path), jsonl.EMPTY_FILE, item.id, None)
    return None


def _check(item: _Input, fmap: FieldMap) -> None:
    """Run a format's early check; an OS error (permissions, a directory) becomes InputError."""
    checks: dict[str, Callable[[], None]] = {
        "jsonl": lambda: jsonl.check(item.path, item.data),
        "csv": lambda: csvfile.check(item.path, (fmap.id, fmap.text)),
        "parquet": lambda: parquet.check(item.path, (fmap.id, fmap.text), item.data),
        "txt": lambda: _readable(item.path),
        "html": lambda: (html.check(), _readable(item.path)),
        "warc": lambda: (warc.check(), _readable(item.path)),
    }
    try:
        checks[item.format]()
    except OSError as err:
        raise InputError(f"{item.path}: cannot read ({err.strerror or err})") from None


def _readable(path: str | Path) -> None:
    with open(path, "rb"):
        pass


# -- reading ----------------------------------------------------------------------------------
def _rows(item: _Input, fmap: FieldMap) -> Iterator[Row | Reject | Skip]:
    """The records of one input, before validation (pages extracted here, in this process)."""
    path = item.path
    if item.format == "jsonl":
        yield from jsonl.iter_stdin() if str(path) == "-" else jsonl.iter_rows(path, item.data)
    elif item.format == "csv":
        yield from csvfile.iter_rows(path, (fmap.id, fmap.text))
    elif item.format == "parquet":
        yield from parquet.iter_rows(path, item.data)
    elif item.format == "txt":
        yield txtdir.read_file(Path(path), art_id=item.id or Path(path).stem)
    elif item.format == "html":
        yield from html.iter_file(path, art_id=item.id or Path(path).stem)
    else:
        for page in warc.iter_pages(path):
            yield html.extract(page) if isinstance(page, html.Page) else page


def _located(plan: Iterable[_Input | Reject], rejects: RejectLog, fmap: FieldMap,
             seen: dict[str, str]) -> Iterator[tuple[Article, str]]:
    """Validated articles of ``plan`` and where each was found; ``seen`` maps the ids read so
    far to where (a repeated id is rejected, naming both places)."""
    for item in plan:
        if isinstance(item, Reject):
            rejects.add(item)
            continue
        mapped = item.format in _MAPPABLE and not fmap.identity
        for row in _rows(item, fmap):
            if isinstance(row, Reject):
                rejects.add(row)
                continue
            if isinstance(row, Skip):
                rejects.skip(row)
                continue
            result = map_row(row, fmap) if mapped else to_article(row)
            if isinstance(result, Reject):
                rejects.add(result)
            elif result.id in seen:
                rejects.add(duplicate(row.where, result.id, seen[result.id], row.raw_text()))
            else:
                seen[result.id] = row.where
                yield result, row.where


def duplicate(where: str, art_id: str, first: str | None, raw: str | None) -> Reject:
    """The reject of a repeated id, naming where it was first seen."""
    return Reject(where, "duplicate id" + (f": first seen at {first}" if first else ""), art_id, raw)


def _batches(plan: list[_Input | Reject], rejects: RejectLog, size: int,
             fmap: FieldMap) -> Iterator[LineBlock | PageBlock | ArticleBatch]:
    seen: dict[str, str] = {}
    for item in plan:
        if isinstance(item, Reject):
            rejects.add(item)
        elif item.format == "jsonl" and fmap.identity:
            for block in jsonl.iter_blocks(item.path, size, item.data):
                if isinstance(block, Reject):
                    rejects.add(block)
                else:
                    yield block
        elif item.format in ("html", "warc"):
            yield from _page_blocks(item, rejects, size)
        else:
            yield from _batched(_located([item], rejects, fmap, seen), size)


def _page_blocks(item: _Input, rejects: RejectLog, size: int) -> Iterator[PageBlock]:
    """The pages of a saved page or a crawl, unextracted, in blocks of at most ``size`` pages
    and about :data:`_PAGE_BLOCK_BYTES` bytes."""
    found: Iterable[Any]
    if item.format == "html":
        found = [html.read_page(Path(item.path), art_id=item.id or Path(item.path).stem)]
    else:
        found = warc.iter_pages(item.path)
    pages: list[html.Page] = []
    held = 0
    for page in found:
        if isinstance(page, Reject):
            rejects.add(page)
        elif isinstance(page, Skip):
            rejects.skip(page)
        else:
            pages.append(page)
            held += len(page.data)
            if len(pages) >= size or held >= _PAGE_BLOCK_BYTES:
                yield PageBlock(pages)
                pages, held = [], 0
    if pages:
        yield PageBlock(pages)


def _batched(located: Iterable[tuple[Article, str]], size: int) -> Iterator[ArticleBatch]:
    batch = ArticleBatch()
    for art, where in located:
        batch.append(art)
        batch.wheres.append(where)
        if len(batch) >= size:
            yield batch
            batch = ArticleBatch()
    if batch:
        yield batch


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


def file_batches(name: str, data: bytes, *, size: int, rejects: RejectLog,
                 fields: FieldMap | None = None, format: str | None = None,
                 listed: bool = False) -> Iterator[LineBlock | ArticleBatch]:
    """:func:`read_batches` of one file whose bytes ``data`` were read elsewhere (by Spark,
    from a URI), ``name`` naming it in rejects: the same batches and rejects as the file
    given by path.  ``listed``: the file was found in a folder, so an unknown or unreadable
    one is a reject (as in a local folder); otherwise it raises :class:`InputError`."""
    from .remote import REMOTE_FORMATS

    fmap = fields or FieldMap()
    kind = format or detect_format(name)
    if kind not in REMOTE_FORMATS:
        if kind is None and not listed:
            raise InputError(unknown_format(name))
        if kind is None:
            rejects.add(Reject(name, unknown_type(Path(name)), None, None))
            return
        why = f"{kind} is not read from a URI (JSON Lines and Parquet are): copy it to a local or mounted folder"
        if not listed:
            raise InputError(f"{name}: {why}")
        rejects.add(Reject(name, f"skipped: {why}", None, None))
        return
    item = _Input(name, kind, None, data)
    bad = _empty(item)
    if bad is None:
        try:
            _check(item, fmap)
        except InputError as err:
            if not listed:
                raise
            bad = Reject(name, f"unreadable file: {err}", None, None)
    if bad is not None:
        rejects.add(bad)
        return
    yield from _batches([item], rejects, size, fmap)
