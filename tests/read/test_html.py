"""Saved web pages: the article taken out of the page, its metadata, and pages with no article."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from webpages import news_page

from copydesk.errors import MissingDependency
from copydesk.read import RejectLog, read_corpus
from copydesk.read.html import MIN_ARTICLE_CHARS, Page, PageBlock, decode, extract
from copydesk.records import Article, Reject
from textgen import STORY

TITLE = "Forces breach Raqqa old city wall"
CANONICAL = "https://www.dailyplanet.example/world/raqqa-wall"
FRENCH = ["Le café de Zürich a ouvert ses portes à l'été, déclare le propriétaire, qui espère "
          f"attirer des étudiants et des touristes malgré la crise économique ({i})." for i in range(3)]


def read(*paths: Path) -> tuple[list[Article], list[Reject]]:
    log = RejectLog()
    articles = list(read_corpus(paths, rejects=log))
    return articles, list(log)


def test_article_and_metadata_from_a_news_page(tmp_path: Path) -> None:
    path = tmp_path / "raqqa.html"
    path.write_text(news_page(TITLE, STORY, canonical=CANONICAL), encoding="utf-8")
    (art,), rejects = read(path)
    assert rejects == []
    assert art.id == "raqqa"
    assert art.text == "\n".join([TITLE, *STORY])  # the story, paragraph by paragraph
    for furniture in ("cookies", "Home", "Related stories", "Share on", "Copyright", "Subscribe",
                      "By Jane Roe"):
        assert furniture not in art.text
    assert art.title == TITLE
    assert art.date == "2017-07-04T10:15:00+02:00"  # with its time and offset
    assert art.source == "The Daily Planet"
    assert art.url == CANONICAL
    assert art.extra["host"] == "www.dailyplanet.example"
    assert art.extra["input"] == {"file": str(path)}


def test_date_without_time_and_site_from_the_url() -> None:
    page = news_page("Raqa wall breached", STORY[:3], site=None, published="2017-07-05")
    row = extract(Page("p.html", "p", page.encode(), url="http://print.example/news/raqa"))
    assert not isinstance(row, Reject)
    assert row.fields["date"] == "2017-07-05"
    assert row.fields["source"] == "print.example" == row.fields["host"]
    assert row.fields["url"] == "http://print.example/news/raqa"


def test_page_without_a_date() -> None:
    row = extract(Page("p.html", "p", news_page(TITLE, STORY, published=None).encode()))
    assert not isinstance(row, Reject) and row.fields["date"] is None


def test_page_with_no_article(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text("<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> "
                    "<a href='/world'>World</a></nav><p>Nothing here.</p></body></html>")
    articles, (reject,) = read(path)
    assert articles == []
    assert (reject.where, reject.id) == (str(path), "index")
    assert reject.reason.startswith("no article:") and f"fewer than {MIN_ARTICLE_CHARS}" in reject.reason
    assert "<nav>" in (reject.raw or "")


@pytest.mark.parametrize("data", [b"", b"   \n", b"<html></html>", b"\x00\x01\x02" * 100,
                                  b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 10])
def test_empty_or_binary_pages_are_rejected(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "odd.html"
    path.write_bytes(data)
    articles, (reject,) = read(path)
    assert articles == []
    expected = ("empty file",) if not data else ("no article", "not HTML", "unreadable HTML")
    assert reject.reason.startswith(expected) and reject.where == str(path)


def test_latin1_page_is_decoded_by_its_charset(tmp_path: Path) -> None:
    path = tmp_path / "cafe.html"
    path.write_bytes(news_page("Zürich café", FRENCH, charset="iso-8859-1").encode("latin-1"))
    (art,), rejects = read(path)
    assert rejects == [] and art.title == "Zürich café"
    assert art.text.splitlines()[1:] == FRENCH


def test_utf8_page_declared_latin1_is_read_as_utf8() -> None:
    data = news_page("Zürich café", FRENCH, charset="iso-8859-1").encode("utf-8")
    assert decode(data, "iso-8859-1") == data.decode("utf-8")
    row = extract(Page("p", "p", data, charset="iso-8859-1"))
    assert not isinstance(row, Reject) and row.fields["text"].splitlines()[1:] == FRENCH


def test_mojibake_page_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "moji.html"
    good = news_page("Zürich café", FRENCH).encode("utf-8")
    path.write_bytes(good.decode("latin-1").encode("utf-8"))  # UTF-8 read as Latin-1, saved again
    articles, (reject,) = read(path)
    assert articles == []
    assert reject.reason.startswith("mojibake:") and "'Ã¼' stands for 'ü'" in reject.reason


def test_page_block_extracts_like_the_reader(tmp_path: Path) -> None:
    pages = [Page("a", "a", news_page(TITLE, STORY).encode()), Page("b", "b", b"<p>short</p>"),
             Page("c", "c", news_page("Other", STORY[::-1]).encode())]
    arts, at, rejects = PageBlock(pages).articles()
    assert [a.id for a in arts] == ["a", "c"] and at == [0, 2]
    assert [(n, r.id, r.reason.partition(":")[0]) for n, r in rejects] == [(1, "b", "no article")]
    assert PageBlock(pages).wheres() == ["a", "b", "c"]


def test_folder_of_pages_lists_every_file(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "2017").mkdir(parents=True)
    (root / "2017" / "raqqa.html").write_text(news_page(TITLE, STORY), encoding="utf-8")
    (root / "print.htm").write_text(news_page("Raqa", STORY[:4]), encoding="utf-8")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)))
    (root / "broken.html").write_bytes(bytes(range(256)) * 4)
    (root / "notes.txt").write_text("A note kept as an article of its own.", encoding="utf-8")
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (root / "empty.html").write_bytes(b"")
    articles, rejects = read(root)
    assert [a.id for a in articles] == ["2017/raqqa", "notes", "print"]
    got = {Path(r.where).name: r.reason for r in rejects}
    assert got.keys() == {".DS_Store", "broken.html", "empty.html", "photo.jpg"}
    assert got[".DS_Store"] == "skipped: hidden file"
    assert got["broken.html"].startswith("not HTML: binary content")
    assert got["empty.html"] == "empty file"
    assert got["photo.jpg"].startswith("skipped: unknown file type (.jpg)")


def test_forced_format_reads_any_name(tmp_path: Path) -> None:
    path = tmp_path / "saved_page"
    path.write_text(news_page(TITLE, STORY), encoding="utf-8")
    log = RejectLog()
    (art,) = read_corpus([path], rejects=log, format="html")
    assert art.id == "saved_page" and art.title == TITLE


def test_missing_web_extra_names_the_pip_command(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.html"
    path.write_text(news_page(TITLE, STORY), encoding="utf-8")
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails as if not installed
    with pytest.raises(MissingDependency, match=r"pip install 'copydesk\[web\]'"):
        read_corpus([path], rejects=RejectLog())
