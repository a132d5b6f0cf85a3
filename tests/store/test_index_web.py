"""store: articles of web pages and WARC crawls keep what a scan reads of them (URL, source,
headline, date and the pointer back to the page) in the index, and the index's export equals
a scan of the same input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from copydesk import Index, ScanConfig, scan
from copydesk.read import RejectLog, read_corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "read"))  # the page builders
from webpages import news_page, request, response, warcinfo, write_warc  # noqa: E402

from textgen import STORY, paragraph  # noqa: E402

FILES = ("pairs.jsonl", "families.jsonl", "boilerplate.jsonl")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import random

    root = tmp_path_factory.mktemp("webindex")
    stories = [("web", "https://www.afp.example/world/raqqa", "AFP", STORY),
               ("reprint", "https://herald.example/news/raqqa", "The Herald", STORY),
               ("other", "https://weather.example/today", None,
                [paragraph(random.Random(7), 40) for _ in range(4)])]
    pages = {sid: news_page(f"Headline of {sid}", paras, site=site, canonical=url).encode()
             for sid, url, site, paras in stories}
    folder = root / "pages"
    folder.mkdir()
    for sid, data in pages.items():
        (folder / f"{sid}.html").write_bytes(data)
    records = [warcinfo()]
    for sid, url, *_ in stories:
        records += [request(url), response(url, pages[sid])]
    write_warc(root / "crawl.warc.gz", records)
    return {"pages": folder, "warc": root / "crawl.warc.gz", "root": root}


@pytest.mark.parametrize("kind", ["pages", "warc"])
def test_web_articles_keep_their_metadata(inputs: dict[str, Path], kind: str, tmp_path: Path) -> None:
    source = inputs[kind]
    read = {a.id: a for a in read_corpus([source], rejects=RejectLog())}
    assert len(read) == 3 and all(a.url for a in read.values())
    ix = Index(tmp_path / "index.db", workers=2)
    counts = ix.add([source])
    assert counts["added"] == 3
    for art_id, want in read.items():
        got = ix.article(art_id)
        assert got is not None
        assert (got.url, got.source, got.title, got.date, got.text) == \
            (want.url, want.source, want.title, want.date, want.text)
        assert got.extra == json.loads(json.dumps(want.extra, default=str))
        assert got.extra.get("host")
    assert ix.stats()["sources"] == len({a.source for a in read.values()})
    # adding the same input again is idempotent: the stored metadata hashes as it reads
    again = ix.add([source])
    assert again["unchanged"] == 3 and again["rejected"] == 0
    # and the answers are a scan's
    scan([source], out=tmp_path / "scan", config=ScanConfig(workers=2))
    ix.export(tmp_path / "export")
    for f in FILES:
        want_lines = sorted((tmp_path / "scan" / f).read_bytes().splitlines())
        assert sorted((tmp_path / "export" / f).read_bytes().splitlines()) == want_lines, f
    by_url = {a.url: a for a in read.values()}
    herald, afp = by_url["https://herald.example/news/raqqa"], by_url["https://www.afp.example/world/raqqa"]
    pairs = ix.query(herald, top=5)
    assert [{p.a, p.b} for p in pairs] == [{herald.id, afp.id}]
