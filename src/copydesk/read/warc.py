"""WARC crawls (``.warc``, ``.warc.gz``): the HTML pages among their records, read with FastWARC.

Every ``response`` record holding an HTML page with status 200 (and every ``resource`` record
holding HTML) becomes a :class:`~copydesk.read.html.Page`, whose article :mod:`.html` extracts;
its id is the record's target URI and its pointer back is ``{"file", "offset", "uri"}`` (the
offset of the record, or of its gzip member, as in a CDX index).  Other records — ``warcinfo``,
``request``, ``metadata``, ``revisit``, images and style sheets, redirects and errors — are
skipped and counted by reason (:class:`~.rejects.Skip`).

A broken record is one reject, located as ``file@offset``: a block shorter than its
``Content-Length`` (a truncated crawl), a response whose HTTP head cannot be parsed, a record
without a target URI.  When the reader cannot find the next record at all (garbage inside the
file), the damaged range is one reject ``file@start-end`` (from the last record read to the next
record start found: a ``WARC/1.x`` line, or a gzip member in a compressed crawl) and reading
resumes there, so one bad spot costs the records in it, not the rest of the crawl.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import MissingDependency
from ..records import Reject
from .html import Page
from .rejects import Skip

SUFFIXES = (".warc", ".warc.gz")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SCAN_CHUNK = 1 << 20


def is_warc(path: str | Path) -> bool:
    """True if the name ends in ``.warc`` or ``.warc.gz`` (any case)."""
    return Path(path).name.lower().endswith(SUFFIXES)


def _warc() -> Any:
    try:
        import fastwarc.warc as warc
    except ImportError:
        raise MissingDependency("fastwarc", "web") from None
    return warc


def check() -> None:
    """Fail early (:class:`MissingDependency`) if the ``web`` extra is not installed."""
    _warc()
    from .html import check as html_check

    html_check()


def iter_pages(path: str | Path) -> Iterator[Page | Reject | Skip]:
    """The HTML pages of a WARC file, and a reject or skip for every other record."""
    where = str(path)
    with open(path, "rb") as f:
        marker = _GZIP_MAGIC if f.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC else _WARC_MAGIC
        base = 0
        while base is not None:
            f.seek(base)
            last = base - 1   # offset of the last record read
            try:
                for record in _warc().ArchiveIterator(f, parse_http=False):
                    last = base + record.stream_pos
                    yield _page(record, where, last)
            except OSError as err:
                # the damage lies after the last record read (or at ``base``), up to the
                # next record start found
                start = max(last, base)
                resume = _next_start(f, start + 1, marker)
                after = f"after the record at offset {last}" if last >= base else f"at offset {base}"
                then = "the file ends" if resume is None else f"reading resumed at offset {resume}"
                yield Reject(f"{where}@{start}-{'end' if resume is None else resume}",
                             f"broken WARC record: {err} {after} ({then})", None, None)
                base = resume
                continue
            base = None


def _next_start(f: BinaryIO, start: int, marker: bytes) -> int | None:
    """The offset of the first ``marker`` at or after ``start`` (a WARC record starts a line)."""
    pos = start
    tail = b""
    while True:
        f.seek(pos)
        chunk = f.read(_SCAN_CHUNK)
        if not chunk:
            return None
        data = tail + chunk
        at = 0
        while (hit := data.find(marker, at)) >= 0:
            offset = pos - len(tail) + hit
            if marker == _GZIP_MAGIC or offset == 0 or data[hit - 1:hit] == b"\n" or (
                    hit == 0 and _prev_is_newline(f, offset)):
                return offset
            at = hit + 1
        tail = data[-(len(marker) - 1):]
        pos += len(chunk)


def _prev_is_newline(f: BinaryIO, offset: int) -> bool:
    f.seek(offset - 1)
    return f.read(1) == b"\n"


def _page(record: Any, where: str, offset: int) -> Page | Reject | Skip:
    """What one record is: a page, a broken record, or a record that is no page."""
    warc = _warc()
    loc = f"{where}@{offset}"
    kind = record.record_type
    if kind not in (warc.WarcRecordType.response, warc.WarcRecordType.resource):
        return Skip(loc, f"WARC {kind} record")
    uri = record.headers.get("WARC-Target-URI") or None
    block = record.reader.read()
    if len(block) < record.content_length:
        return Reject(loc, f"broken WARC record: truncated ({len(block)} of "
                           f"{record.content_length} bytes)", uri, None)
    if not uri:
        return Reject(loc, "broken WARC record: no WARC-Target-URI", None, None)
    origin = {"file": where, "offset": offset, "uri": uri}
    if kind == warc.WarcRecordType.resource:
        ctype = (record.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype not in _HTML_TYPES:
            return Skip(loc, f"not HTML: {ctype or 'no content type'}")
        return Page(loc, uri, block, uri, None, origin)
    return _http_page(warc, block, loc, uri, origin)


def _http_page(warc: Any, block: bytes, loc: str, uri: str,
               origin: dict[str, Any]) -> Page | Reject | Skip:
    """The page of an HTTP response block (headers parsed and content decoded by FastWARC)."""
    http = warc.WarcRecord()
    http.init_headers(warc.WarcRecordType.response)
    http.set_bytes_content(block)
    http.is_http = True
    try:
        http.parse_http(auto_decode="all")
        status = http.http_headers.status_code
        ctype = (http.http_content_type or "").lower()
        charset = http.http_charset
        payload = http.reader.read()
    except (OSError, ValueError) as err:
        raw = block[:2000].decode("utf-8", errors="replace")
        return Reject(loc, f"broken WARC record: bad HTTP response ({err})", uri, raw)
    if status is None:
        return Reject(loc, "broken WARC record: no HTTP status line", uri,
                      block[:2000].decode("utf-8", errors="replace"))
    if status != 200:
        return Skip(loc, f"HTTP status {status}")
    if ctype not in _HTML_TYPES:
        return Skip(loc, f"not HTML: {ctype or 'no content type'}")
    return Page(loc, uri, payload, uri, charset, origin)

