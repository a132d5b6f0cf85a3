"""HTML pages (a saved ``.html``/``.htm`` file, or a page from a WARC crawl): the article in it.

The article is taken out of the page by libraries made for it, never by hand-written patterns:
trafilatura finds the main text (dropping navigation, related-story lists, footers), the
title, the site name and the canonical URL; htmldate finds the publication date, with its time
when the page gives one.  Needs the ``web`` extra (``pip install 'copydesk[web]'``); both are
imported lazily.

A page becomes a :class:`~copydesk.read._record.Row` whose fields are the article's:

- ``id``: given by the caller (a file's path, a crawl's target URI);
- ``text``: the extracted main text, paragraphs one per line;
- ``title``, ``date`` (ISO 8601: ``2017-07-04`` or ``2017-07-04T10:15:00+02:00``), ``url``
  (the canonical URL, else the address the page came from);
- ``source``: the site name the page states, else the host of its URL;
- extra ``site_name``, ``host`` and ``input``: the pointer back to where the page came from
  (``{"file": ...}``, or ``{"file", "offset", "uri"}`` for a WARC record).

Bytes are decoded as UTF-8 when they are valid UTF-8 (a page declared Latin-1 that is really
UTF-8 would otherwise turn into mojibake), else with the charset the HTTP response declared,
else with the charset trafilatura detects.  A page that is binary, has no article (less than
:data:`MIN_ARTICLE_CHARS` of main text) or whose text is mojibake is rejected with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from ..errors import MissingDependency
from ..records import Article, Reject
from ._record import Row, to_article
from .text import mojibake

SUFFIXES = (".html", ".htm", ".xhtml")
#: an extracted text shorter than this (non-space characters) is not an article
MIN_ARTICLE_CHARS = 100
#: how much of a page the reject log keeps (the log truncates ``raw`` further)
_RAW_BYTES = 4000
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def is_html(path: str | Path) -> bool:
    """True if the name ends in ``.html``, ``.htm`` or ``.xhtml`` (any case)."""
    return Path(path).suffix.lower() in SUFFIXES


@dataclass(frozen=True, slots=True)
class Page:
    """One web page before extraction."""

    where: str                    # for rejects: the file, or ``crawl.warc.gz@offset``
    id: str
    data: bytes
    url: str | None = None        # the address it was fetched from
    charset: str | None = None    # the charset its HTTP response declared
    origin: dict[str, Any] = field(default_factory=dict)  # the pointer back, for ``extra``


@dataclass(frozen=True, slots=True)
class PageBlock:
    """Pages whose articles are extracted by whoever prepares them (a scan's worker process),
    not by the process that reads the input."""

    pages: list[Page]

    def articles(self) -> tuple[list[Article], list[int], list[tuple[int, Reject]]]:
        """The articles of the pages with each one's index in the block, and the rejects (with
        theirs) — the shape of :func:`~copydesk.read.jsonl.block_articles`."""
        arts: list[Article] = []
        at: list[int] = []
        rejects: list[tuple[int, Reject]] = []
        for n, page in enumerate(self.pages):
            item = extract(page)
            checked = item if isinstance(item, Reject) else to_article(item)
            if isinstance(checked, Reject):
                rejects.append((n, checked))
            else:
                arts.append(checked)
                at.append(n)
        return arts, at, rejects

    def wheres(self) -> list[str]:
        """Where each page came from."""
        return [p.where for p in self.pages]


def _libs() -> tuple[ModuleType, ModuleType]:
    try:
        import htmldate
        import trafilatura
    except ImportError as err:
        raise MissingDependency(err.name or "trafilatura", "web") from None
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        # their warnings (a wrong guess of encoding, a page too small) would go to stderr
        # through logging's last resort; the outcome is in the reject log instead
        logging.getLogger(name).addHandler(logging.NullHandler())
    return trafilatura, htmldate


def check() -> None:
    """Fail early (:class:`MissingDependency`) if the ``web`` extra is not installed."""
    _libs()


def read_page(path: Path, *, art_id: str) -> Page | Reject:
    """A saved page as a :class:`Page` (or a reject if it cannot be read)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        return Reject(str(path), f"unreadable file: {err.strerror or err}", art_id, None)
    return Page(str(path), art_id, data, None, None, {"file": str(path)})


def iter_file(path: str | Path, *, art_id: str) -> Iterator[Row | Reject]:
    """The article of one saved page."""
    page = read_page(Path(path), art_id=art_id)
    yield page if isinstance(page, Reject) else extract(page)


def decode(data: bytes, charset: str | None) -> str:
    """The page as text: UTF-8 if valid, else the declared charset, else a detected one."""
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    from trafilatura.utils import decode_file

    return decode_file(data)


def _reject(page: Page, reason: str) -> Reject:
    raw = page.data[:_RAW_BYTES].decode("utf-8", errors="replace")
    return Reject(page.where, reason, page.id, raw)


def extract(page: Page) -> Row | Reject:
    """The article of ``page`` as a row, or a reject saying why there is none; never raises
    (but :class:`MissingDependency` when the ``web`` extra is missing)."""
    trafilatura, htmldate = _libs()
    head = page.data[:4096]
    if b"\x00" in head and not head.startswith(_UTF16_BOMS):
        return _reject(page, "not HTML: binary content")
    try:
        html = decode(page.data, page.charset)
        doc = trafilatura.bare_extraction(html, url=page.url, with_metadata=True,
                                          include_comments=False, include_tables=False)
    except Exception as err:  # a parser's failure on odd input costs this page, not the run
        return _reject(page, f"unreadable HTML: {type(err).__name__}: {err}")
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    size = len("".join(text.split()))
    if size < MIN_ARTICLE_CHARS:
        return _reject(page, f"no article: {size} characters of main text "
                             f"(fewer than {MIN_ARTICLE_CHARS})")
    bad = mojibake(text)
    if bad is not None:
        return _reject(page, bad)
    url = getattr(doc, "url", None) or page.url
    host = _host(url)
    site = getattr(doc, "sitename", None) or None
    fields: dict[str, Any] = {
        "id": page.id, "text": text, "title": getattr(doc, "title", None) or None,
        "date": _date(htmldate, html, url), "source": site or host, "url": url,
        "site_name": site, "host": host, "input": dict(page.origin),
    }
    return Row(page.where, fields, None, page.data[:_RAW_BYTES])


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def _date(htmldate: ModuleType, html: str, url: str | None) -> str | None:
    """The publication date (ISO 8601), with its time where the page gives one."""
    try:
        # markup only (meta tags, <time>, structured data, the URL): the opportunistic text
        # search would read "Copyright 2017" as 2017-01-01, and a wrong date decides origins
        found = htmldate.find_date(html, url=url, original_date=True, extensive_search=False,
                                   outputformat=_DATE_FORMAT)
    except Exception:  # no date is better than no article
        return None
    if not found:
        return None
    try:
        when = dt.datetime.fromisoformat(found)  # "%z" prints nothing for a naive time
    except ValueError:
        return None
    if when.tzinfo is None and when.time() == dt.time(0):
        return when.date().isoformat()  # htmldate pads a date without time with 00:00:00
    return when.isoformat()
