"""WARC crawls: HTML responses become articles that point back to their record; every other
record is counted and skipped; a broken record is one located reject and reading goes on."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from webpages import news_page, request, response, warc_bytes, warcinfo, write_warc

from copydesk.read import RejectLog, read_corpus
from copydesk.read.html import Page
from copydesk.read.rejects import Skip
from copydesk.read.warc import iter_pages
from copydesk.records import Article, Reject
from textgen import STORY

WEB = "https://www.dailyplanet.example/world/raqqa"
PRINT = "https://print.example/news/raqa"


def crawl() -> list:
    """A small crawl as a crawler writes it: warcinfo, then request/response per URL, a style
    sheet, an image, a redirect and a missing page among the articles."""
    return [
        warcinfo(),
        request(WEB), response(WEB, news_page("Forces breach Raqqa old city wall", STORY).encode()),
        request(WEB + ".css"), response(WEB + ".css", b"body { color: black }", content_type="text/css"),
        response("https://www.dailyplanet.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64),
                 content_type="image/png"),
        response("https://www.dailyplanet.example/old", b"", status="301 Moved Permanently",
                 extra="Location: https://www.dailyplanet.example/world/raqqa\r\n"),
        response("https://www.dailyplanet.example/gone", b"<html>Not found</html>", status="404 Not Found"),
        request(PRINT),
        response(PRINT, news_page("Raqa wall breached", STORY[:4], site="The Print Edition",
                                  published="2017-07-05").encode("utf-8")),
    ]


def read(path: Path) -> tuple[list[Article], list[Reject], RejectLog]:
    log = RejectLog()
    articles = list(read_corpus([path], rejects=log))
    return articles, list(log), log


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_articles_of_a_crawl_point_back_to_their_records(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    offsets = write_warc(path, crawl())
    articles, rejects, log = read(path)
    assert rejects == []
    assert [a.id for a in articles] == [WEB, PRINT]
    web, printed = articles
    assert web.text.startswith("Forces breach Raqqa old city wall\n" + STORY[0])
    assert (web.source, web.date, web.url) == ("The Daily Planet", "2017-07-04T10:15:00+02:00", WEB)
    assert (printed.source, printed.date) == ("The Print Edition", "2017-07-05")
    assert web.extra["input"] == {"file": str(path), "offset": offsets[2], "uri": WEB}
    assert printed.extra["input"] == {"file": str(path), "offset": offsets[-1], "uri": PRINT}
    data = path.read_bytes()
    magic = b"\x1f\x8b" if name.endswith(".gz") else b"WARC/1."
    assert data[offsets[-1]:].startswith(magic)
    assert log.skipped_by_reason() == {"WARC request record": 3, "not HTML": 2,
                                       "HTTP status 301": 1, "HTTP status 404": 1,
                                       "WARC warcinfo record": 1}
    assert log.skipped == 8


def test_truncated_crawl_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    data, offsets = warc_bytes(crawl())
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 500])  # the crawler died writing the last page
    articles, rejects, _ = read(path)
    assert [a.id for a in articles] == [WEB]
    (reject,) = rejects
    assert reject.where == f"{path}@{offsets[-1]}" and reject.id == PRINT
    assert reject.reason.startswith("broken WARC record: truncated")


def test_truncated_gzip_crawl(tmp_path: Path) -> None:
    data, offsets = warc_bytes(crawl(), gz=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: offsets[-1] + (len(data) - offsets[-1]) // 2])
    articles, rejects, _ = read(path)
    assert [a.id for a in articles] == [WEB]
    assert len(rejects) == 1 and rejects[0].where.startswith(f"{path}@{offsets[-1]}")
    assert rejects[0].reason.startswith("broken WARC record")


@pytest.mark.parametrize("gz", [False, True])
def test_garbage_inside_a_crawl_costs_only_the_damaged_records(tmp_path: Path, gz: bool) -> None:
    data, offsets = warc_bytes(crawl(), gz=gz)
    at = offsets[3]  # the style sheet's request: garbage over its first bytes
    damaged = data[:at] + b"\x00garbage that is no WARC record\r\n\r\n" + data[at + 40:]
    path = tmp_path / ("bad.warc.gz" if gz else "bad.warc")
    path.write_bytes(damaged)
    articles, rejects, _ = read(path)
    assert [a.id for a in articles] == [WEB, PRINT]  # the pages after the damage are read
    assert rejects and all(r.reason.startswith("broken WARC record") for r in rejects)
    assert all(r.where.startswith(f"{path}@") for r in rejects)


def test_record_without_target_uri(tmp_path: Path) -> None:
    rec = response(WEB, news_page("T", STORY).encode())
    rec.headers.remove("WARC-Target-URI")
    path = tmp_path / "nouri.warc"
    offsets = write_warc(path, [rec])
    articles, rejects, _ = read(path)
    assert articles == []
    assert [(r.where, r.reason) for r in rejects] == [
        (f"{path}@{offsets[0]}", "broken WARC record: no WARC-Target-URI")]


def test_page_with_no_article_and_repeated_uri(tmp_path: Path) -> None:
    path = tmp_path / "c.warc"
    offsets = write_warc(path, [
        response(WEB, news_page("Forces breach Raqqa old city wall", STORY).encode()),
        response("https://www.dailyplanet.example/", b"<html><body><nav>Home | World</nav></body></html>"),
        response(WEB, news_page("Forces breach Raqqa old city wall (updated)", STORY).encode()),
    ])
    articles, rejects, _ = read(path)
    assert [a.id for a in articles] == [WEB]
    assert [(r.where, r.reason.partition(":")[0], r.id) for r in rejects] == [
        (f"{path}@{offsets[1]}", "no article", "https://www.dailyplanet.example/"),
        (f"{path}@{offsets[2]}", "duplicate id", WEB)]
    assert rejects[1].reason == f"duplicate id: first seen at {path}@{offsets[0]}"


def test_compressed_http_body_and_http_charset(tmp_path: Path) -> None:
    body = news_page("Zürich café", [p + " Ça va." for p in STORY], charset="iso-8859-1")
    path = tmp_path / "enc.warc"
    write_warc(path, [response(WEB, gzip.compress(body.encode("latin-1")),
                               content_type="text/html; charset=iso-8859-1",
                               extra="Content-Encoding: gzip\r\n")])
    (art,), rejects, _ = read(path)
    assert rejects == [] and art.title == "Zürich café"
    assert art.text.endswith(STORY[-1] + " Ça va.")


def test_iter_pages_yields_pages_skips_and_rejects(tmp_path: Path) -> None:
    path = tmp_path / "c.warc"
    write_warc(path, crawl())
    kinds = [type(x) for x in iter_pages(path)]
    assert kinds.count(Page) == 2 and kinds.count(Skip) == 8 and Reject not in kinds


def test_not_a_warc_at_all(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not a crawl\n" * 50)
    articles, rejects, _ = read(path)
    assert articles == []
    assert len(rejects) == 1 and rejects[0].reason.startswith("broken WARC record")
