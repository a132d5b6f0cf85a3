"""CSV reading: header rules, quoting, line numbers, bad records."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from copydesk.errors import InputError
from copydesk.read import RejectLog, read_corpus
from copydesk.records import Article, Reject


def read(*paths: str | Path) -> tuple[list[Article], list[Reject]]:
    log = RejectLog()
    articles = list(read_corpus(paths, rejects=log))
    return articles, list(log)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_bytes(buf.getvalue().encode())
    return path


def test_columns_extra_and_order(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [
        ["id", "text", "title", "date", "source", "url", "lang"],
        ["z", "Zed text", "Zed", "2024-01-02", "AFP", "https://x/z", "en"],
        ["a", "Ay text", "", "", "", "", ""],
    ])
    articles, rejects = read(path)
    assert rejects == []
    assert [a.id for a in articles] == ["z", "a"]
    z, a = articles
    assert (z.title, z.date, z.source, z.url, z.extra) == (
        "Zed", "2024-01-02", "AFP", "https://x/z", {"lang": "en"})
    assert (a.title, a.date, a.source, a.url) == (None, None, None, None)


def test_quoted_multiline_text_and_line_numbers(tmp_path: Path) -> None:
    text = 'Para one, with "quotes".\r\n\r\nPara two.'
    path = write_csv(tmp_path / "c.csv", [["id", "text"], ["a", text], ["b", ""], ["c", "ok"]])
    articles, rejects = read(path)
    assert [(a.id, a.text) for a in articles] == [("a", text), ("c", "ok")]
    # record a spans lines 2-4, so b starts on line 5
    assert [(r.where, r.reason, r.id) for r in rejects] == [(f"{path}:5", "empty text", "b")]
    assert rejects[0].raw == "b,"


def test_bom_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"\xef\xbb\xbfid,text\r\n\r\na,x\r\n\r\nb,y\r\n")
    articles, rejects = read(path)
    assert [a.id for a in articles] == ["a", "b"] and rejects == []


@pytest.mark.parametrize("content", [b"id,text\n", b"\n\nid,text\n\n"])
def test_empty_csv(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(content)
    assert read(path) == ([], [])


def test_empty_csv_file_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"")
    assert read(path) == ([], [Reject(str(path), "empty file", None, None)])


@pytest.mark.parametrize(
    ("header", "match"),
    [
        (b"id,body\n", "missing text"),
        (b"ident,text\n", "missing id"),
        (b"id,text,text\n", "repeats column"),
        (b"id,t\xe9xt\n", "not valid UTF-8"),
        (b'id,"text\n', "cannot parse CSV header"),
    ],
)
def test_bad_header_is_input_error(tmp_path: Path, header: bytes, match: str) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(header + b"a,b\n")
    with pytest.raises(InputError, match=match):
        read_corpus([path], rejects=RejectLog())


def test_header_names_are_stripped_and_unnamed_columns_kept(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b" id , text ,\na,x,extra value\n")
    (article,), _ = read(path)
    assert (article.id, article.text, article.extra) == ("a", "x", {"column_3": "extra value"})


@pytest.mark.parametrize(
    ("line", "reason", "rid"),
    [
        (b"b,y,surplus", "malformed CSV: 3 fields, header has 2", "b"),
        (b"lonely", "malformed CSV: 1 fields, header has 2", "lonely"),
        (b'b,"y"z', "malformed CSV: ',' expected after '\"'", None),
        (b",no id", "empty id", None),
        (b"b,   ", "empty text", "b"),
        (b"b,caf\xe9", "not valid UTF-8: byte 0xe9 at offset 5", "b"),
    ],
)
def test_reject_reasons(tmp_path: Path, line: bytes, reason: str, rid: str | None) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"id,text\na,x\n" + line + b"\nc,z\n")
    articles, rejects = read(path)
    assert [a.id for a in articles] == ["a", "c"]
    (reject,) = rejects
    assert (reject.where, reject.reason, reject.id) == (f"{path}:3", reason, rid)
    assert reject.raw == line.decode("utf-8", errors="replace")


def test_unterminated_quote_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b'id,text\na,x\nb,"never closed\nc,z\n')
    articles, rejects = read(path)
    assert [a.id for a in articles] == ["a"]
    assert [(r.where, r.reason) for r in rejects] == [
        (f"{path}:3", "malformed CSV: unexpected end of data")]
    assert rejects[0].raw == 'b,"never closed\nc,z'


def test_field_longer_than_csv_default_limit(tmp_path: Path) -> None:
    text = "word " * 60_000  # 300 kB, over csv's 128 KiB default field limit
    path = write_csv(tmp_path / "c.csv", [["id", "text"], ["big", text]])
    (article,), rejects = read(path)
    assert article.text == text and rejects == []


def test_uppercase_suffix(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "C.CSV", [["id", "text"], ["a", "x"]])
    assert [a.id for a in read(path)[0]] == ["a"]
