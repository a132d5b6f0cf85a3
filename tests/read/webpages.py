"""Realistic saved news pages and WARC crawls, built by the tests themselves (no downloads)."""

from __future__ import annotations

import gzip
import html
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from fastwarc.warc import WarcRecord, WarcRecordType


def news_page(title: str, paragraphs: Sequence[str], *, site: str | None = "The Daily Planet",
              canonical: str | None = None, published: str | None = "2017-07-04T10:15:00+02:00",
              charset: str = "utf-8", byline: str = "By Jane Roe") -> str:
    """A news article page with the furniture of a real one: navigation, a byline, a share bar,
    related stories, a cookie notice and a footer around the story."""
    meta = [f'<meta charset="{charset}">', f"<title>{html.escape(title)} | {site or 'News'}</title>"]
    if site:
        meta.append(f'<meta property="og:site_name" content="{html.escape(site)}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{canonical}">')
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>{''.join(meta)}</head>
<body>
<div class="cookie-banner">We use cookies to improve your experience. <a href="/privacy">Accept</a></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<main>
<article>
<h1>{html.escape(title)}</h1>
<p class="byline">{html.escape(byline)}</p>
{body}
<div class="share">Share on Facebook | Share on Twitter | Email this story</div>
</article>
<aside><h3>Related stories</h3><ul><li><a href="/a">Markets slide as oil tumbles</a></li>
<li><a href="/b">Weather: more storms on the way</a></li></ul></aside>
</main>
<footer><p>Copyright 2017 {html.escape(site or 'News')}. All rights reserved.</p>
<p><a href="/subscribe">Subscribe to our newsletter</a></p></footer>
</body></html>
"""


def response(uri: str, payload: bytes, *, status: str = "200 OK",
             content_type: str = "text/html; charset=utf-8", extra: str = "") -> WarcRecord:
    """An HTTP ``response`` record."""
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{extra}\r\n".encode()
    return _record(WarcRecordType.response, uri, head + payload, "application/http; msgtype=response")


def request(uri: str) -> WarcRecord:
    return _record(WarcRecordType.request, uri, b"GET / HTTP/1.1\r\nHost: example\r\n\r\n",
                   "application/http; msgtype=request")


def warcinfo() -> WarcRecord:
    return _record(WarcRecordType.warcinfo, None, b"software: copydesk tests\r\n",
                   "application/warc-fields")


def _record(kind: WarcRecordType, uri: str | None, block: bytes, ctype: str) -> WarcRecord:
    rec = WarcRecord()
    rec.init_headers(kind)
    if uri is not None:
        rec.headers["WARC-Target-URI"] = uri
    rec.headers["Content-Type"] = ctype
    rec.set_bytes_content(block)
    return rec


def warc_bytes(records: Iterable[WarcRecord], *, gz: bool = False) -> tuple[bytes, list[int]]:
    """A WARC file of ``records`` (each its own gzip member if ``gz``), and each record's offset."""
    out, offsets = bytearray(), []
    for rec in records:
        buf = io.BytesIO()
        rec.write(buf)
        offsets.append(len(out))
        out += gzip.compress(buf.getvalue()) if gz else buf.getvalue()
    return bytes(out), offsets


def write_warc(path: Path, records: Iterable[WarcRecord]) -> list[int]:
    data, offsets = warc_bytes(records, gz=path.name.endswith(".gz"))
    path.write_bytes(data)
    return offsets
