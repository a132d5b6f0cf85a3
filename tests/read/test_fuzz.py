"""Property tests: whatever bytes or text an input holds, the readers raise nothing but the
documented errors (copydesk.errors) — bad content becomes rejects, every reject is located."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copydesk.errors import CopydeskError
from copydesk.read import LineBlock, PageBlock, RejectLog, read_batches, read_corpus
from copydesk.read.jsonl import block_articles

NAMES = ["c.jsonl", "c.jsonl.gz", "c.jsonl.zst", "c.csv", "c.txt", "c.html", "c.warc",
         "c.warc.gz", "c.parquet"]
SETTINGS = settings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _compress(name: str, data: bytes) -> bytes:
    """Valid compression around arbitrary content, so the readers behind it are fuzzed too."""
    if name.endswith(".gz") and not name.endswith(".warc.gz"):
        return gzip.compress(data)
    if name.endswith(".zst"):
        import zstandard

        return zstandard.ZstdCompressor().compress(data)
    return data


def consume(path: Path) -> None:
    """Read ``path`` both ways (as a corpus, and as a scan's batches, parsed and extracted as
    the workers do); only documented errors may escape, and every reject names the file."""
    log = RejectLog()
    try:
        articles = list(read_corpus([path], rejects=log))
        jobs = list(read_batches([path], rejects=RejectLog(), size=3))
    except CopydeskError:
        return
    for job in jobs:
        if isinstance(job, LineBlock):
            block_articles(job)
        elif isinstance(job, PageBlock):
            job.articles()
    for art in articles:
        assert art.id.strip() and art.text.strip()
    for reject in log:
        assert reject.where.startswith(str(path)) and reject.reason


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.binary(max_size=3000))
def test_random_bytes(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(_compress(name, data))
    consume(path)


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(text=st.text(max_size=2000))
def test_random_unicode(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_bytes(_compress(name, text.encode("utf-8", "surrogatepass")))
    consume(path)


@pytest.mark.parametrize("name", ["c.jsonl", "c.jsonl.zst", "c.csv", "c.txt", "c.html"])
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unit=st.text(min_size=1, max_size=8), repeat=st.integers(100_000, 300_000))
def test_very_long_lines(tmp_path: Path, name: str, unit: str, repeat: int) -> None:
    line = (unit * (repeat // len(unit) + 1))[:repeat]
    content = f'{{"id": "x", "text": "{line}"}}\n' if "jsonl" in name else \
        f"id,text\nx,{line}\n" if name.endswith(".csv") else \
        f"<html><body><article><p>{line}</p></article></body></html>" if name.endswith(".html") else line
    path = tmp_path / name
    path.write_bytes(_compress(name, content.encode("utf-8", "surrogatepass")))
    consume(path)


@SETTINGS
@given(cut=st.integers(0, 10_000), junk=st.binary(min_size=1, max_size=64))
def test_damaged_crawl(tmp_path: Path, cut: int, junk: bytes) -> None:
    """A real crawl cut short or with junk spliced in anywhere."""
    from webpages import news_page, request, response, warc_bytes

    from textgen import STORY

    data, _ = warc_bytes([request("http://a.example/x"),
                          response("http://a.example/x", news_page("Title", STORY).encode()),
                          response("http://a.example/y", news_page("Other", STORY[:3]).encode())])
    at = cut % (len(data) + 1)
    path = tmp_path / "c.warc"
    path.write_bytes(data[:at] + junk + data[at:])
    consume(path)
