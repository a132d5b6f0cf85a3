"""JSON Lines reading: records, every reject reason, BOM, gzip, stdin, junk input."""

from __future__ import annotations

import gzip
import io
import json
import math
import os
import random
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.errors import InputError
from copydesk.read import RejectLog, read_corpus
from copydesk.read._record import Row, to_article, utf8_reason
from copydesk.read.jsonl import (
    BOM,
    LineBlock,
    _parse_line,
    iter_blocks,
    iter_rows,
    iter_stdin,
    parse_block,
    parse_record,
)
from copydesk.records import Article, Reject


def zstd_compress(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


def read(*paths: str | Path) -> tuple[list[Article], list[Reject]]:
    log = RejectLog()
    articles = list(read_corpus(paths, rejects=log))
    return articles, list(log)


def write_lines(path: Path, *lines: str | bytes) -> Path:
    data = b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines)
    path.write_bytes(data)
    return path


def record(**fields: object) -> str:
    return json.dumps(fields)


def test_fields_extra_and_order(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "c.jsonl",
        record(id="b", text="Second story.", title="T", date="2024-05-01", source="AFP",
               url="https://x/1", lang="en"),
        record(id="a", text="First story."),
        record(id=7, text="Numeric id."),
    )
    articles, rejects = read(path)
    assert rejects == []
    assert [a.id for a in articles] == ["b", "a", "7"]  # input order, not sorted
    b = articles[0]
    assert (b.title, b.date, b.source, b.url) == ("T", "2024-05-01", "AFP", "https://x/1")
    assert b.extra == {"lang": "en"}
    assert articles[1].title is None and articles[1].extra == {}


def test_text_kept_exactly(tmp_path: Path) -> None:
    text = "  Raqqa\u00a0— line one\r\nline\u2028two\t "
    path = write_lines(tmp_path / "c.jsonl", record(id="x", text=text))
    (article,), _ = read(path)
    assert article.text == text  # U+2028 inside a string does not split the record


def test_optional_field_types(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "c.jsonl",
        record(id="x", text="t", title=12, date=2024.5, source=["AFP", "Reuters"], url=""),
        record(id="y", text="t", title=True, date={"y": 2024}, source=None, url="   "),
    )
    (x, y), rejects = read(path)
    assert rejects == []
    assert (x.title, x.date, x.source, x.url) == ("12", "2024.5", None, None)
    assert x.extra == {"source": ["AFP", "Reuters"]}
    assert (y.title, y.date, y.source, y.url) == (None, None, None, None)
    assert y.extra == {"title": True, "date": {"y": 2024}}


@pytest.mark.parametrize(
    ("line", "reason", "rid"),
    [
        ('{"id": "a", "text": }', "malformed JSON: Expecting value at column 21", None),
        ('{"id": "a"} {"x": 1}', "malformed JSON: Extra data at column 13", None),
        ('{"id": "a", "text": "x"', "malformed JSON: Expecting ',' delimiter at column 24", None),
        ('{"id": 1' + "0" * 5000 + "}", "malformed JSON: Exceeds the limit", None),
        ("[" * 100_000 + "]" * 100_000, "malformed JSON: maximum recursion depth", None),
        ('["a", "b"]', "not a JSON object: got array", None),
        ('"just a string"', "not a JSON object: got string", None),
        ("42", "not a JSON object: got integer", None),
        ('{"text": "no id"}', "missing id", None),
        ('{"id": null, "text": "t"}', "missing id", None),
        ('{"id": "", "text": "t"}', "empty id", None),
        ('{"id": "  ", "text": "t"}', "empty id", None),
        ('{"id": true, "text": "t"}', "invalid id: expected a string, got boolean", None),
        ('{"id": 1.5, "text": "t"}', "invalid id: expected a string, got number", None),
        ('{"id": ["a"], "text": "t"}', "invalid id: expected a string, got array", None),
        ('{"id": "a"}', "missing text", "a"),
        ('{"id": "a", "text": null}', "missing text", "a"),
        ('{"id": "a", "text": 5}', "invalid text: expected a string, got integer", "a"),
        ('{"id": "a", "text": {"body": "x"}}', "invalid text: expected a string, got object", "a"),
        ('{"id": "a", "text": ""}', "empty text", "a"),
        ('{"id": "a", "text": " \\n\\t\\u00a0"}', "empty text", "a"),
        ('{"id": "a", "text": "x\\ud800y"}', "not valid Unicode: unpaired surrogate in text", "a"),
        ('{"id": "a\\udc00", "text": "x"}', "not valid Unicode: unpaired surrogate in id",
         "a\udc00"),
        ('{"id": "a", "text": "x", "title": "\\ud83d"}',
         "not valid Unicode: unpaired surrogate in title", "a"),
    ],
)
def test_reject_reasons(tmp_path: Path, line: str, reason: str, rid: str | None) -> None:
    path = write_lines(tmp_path / "c.jsonl", record(id="ok", text="fine"), line)
    articles, rejects = read(path)
    assert [a.id for a in articles] == ["ok"]
    (reject,) = rejects
    assert reject.reason.startswith(reason)
    assert reject.where == f"{path}:2"
    assert reject.id == rid
    assert reject.raw is not None and reject.raw == line[:2000]


def test_not_utf8_line(tmp_path: Path) -> None:
    bad = b'{"id": "b", "text": "caf\xe9"}'
    path = write_lines(tmp_path / "c.jsonl", record(id="a", text="x"), bad,
                       record(id="c", text="z"))
    articles, rejects = read(path)
    assert [a.id for a in articles] == ["a", "c"]
    (reject,) = rejects
    assert reject.reason == "not valid UTF-8: byte 0xe9 at offset 24"
    assert reject.where == f"{path}:2"
    assert reject.raw == '{"id": "b", "text": "caf\ufffd"}'


def test_blank_lines_skipped_but_counted_in_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'\n   \n{"id": "a", "text": "x"}\r\n\r\n\t\nnope\n\n')
    articles, rejects = read(path)
    assert [a.id for a in articles] == ["a"]
    assert [(r.where, r.raw) for r in rejects] == [(f"{path}:6", "nope")]


def test_crlf_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"id": "a", "text": "x"}\r\n{"id": "b", "text": "y"}\r\n')
    articles, rejects = read(path)
    assert [a.text for a in articles] == ["x", "y"] and rejects == []


def test_bom(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + record(id="a", text="x").encode() + b"\n")
    articles, rejects = read(path)
    assert [a.id for a in articles] == ["a"] and rejects == []


def test_bom_only_tolerated_at_start(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "c.jsonl", record(id="a", text="x"),
                       "\ufeff" + record(id="b", text="y"))
    articles, rejects = read(path)
    assert [a.id for a in articles] == ["a"]
    assert rejects[0].reason.startswith("malformed JSON")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    assert read(path) == ([], [Reject(str(path), "empty file", None, None)])


@pytest.mark.parametrize("name", ["c.jsonl.gz", "c.ndjson", "C.JSONL", "c.ndjson.gz",
                                  "c.jsonl.zst", "c.NDJSON.ZST"])
def test_suffixes(tmp_path: Path, name: str) -> None:
    data = (record(id="a", text="x") + "\n" + record(id="b", text="y") + "\n").encode()
    path = tmp_path / name
    compress = {".gz": gzip.compress, ".zst": zstd_compress}.get(path.suffix.lower(), bytes)
    path.write_bytes(compress(data))
    articles, rejects = read(path)
    assert [a.id for a in articles] == ["a", "b"] and rejects == []


def test_gzip_with_bom_and_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress(b'\xef\xbb\xbf{"id": "a", "text": "x"}\n\xff\n'))
    articles, rejects = read(path)
    assert [a.id for a in articles] == ["a"]
    assert [(r.where, r.reason) for r in rejects] == [
        (f"{path}:2", "not valid UTF-8: byte 0xff at offset 0")]


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    data = "".join(record(id=str(i), text=f"text {i} " * 20) + "\n" for i in range(2000))
    blob = gzip.compress(data.encode())
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(blob[: len(blob) // 2])
    articles, rejects = read(path)
    assert 0 < len(articles) < 2000
    assert [a.id for a in articles] == [str(i) for i in range(len(articles))]
    assert rejects[-1].reason.startswith("unreadable gzip")
    assert all(r.reason.startswith(("unreadable gzip", "malformed JSON")) for r in rejects)


def test_truncated_zstd_keeps_what_was_read(tmp_path: Path) -> None:
    data = "".join(record(id=str(i), text=f"text {i} " * 20) + "\n" for i in range(2000))
    blob = zstd_compress(data.encode())
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(blob[: len(blob) // 2])
    articles, rejects = read(path)
    assert 0 < len(articles) < 2000
    assert [a.id for a in articles] == [str(i) for i in range(len(articles))]
    assert rejects[-1].reason.startswith("unreadable zstd: truncated")
    assert rejects[-1].where == f"{path}:{len(articles) + len(rejects)}"
    for size in (1, 64, 5000):
        assert _flatten_blocks(path, size) == _flatten_rows(iter_rows(path))


def test_corrupt_zstd_is_one_reject(tmp_path: Path) -> None:
    blob = bytearray(zstd_compress(b"".join(record(id=str(i), text="t" * i).encode() + b"\n"
                                            for i in range(300))))
    blob[len(blob) // 2: len(blob) // 2 + 16] = b"\xff" * 16
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(bytes(blob))
    articles, rejects = read(path)
    assert len(articles) < 300
    assert rejects and rejects[-1].reason.startswith("unreadable zstd")


def test_zstd_frames_and_long_lines(tmp_path: Path) -> None:
    """Concatenated frames are read one after another; a line longer than a read chunk is
    joined whole."""
    long_text = "word " * 400_000  # 2 MB: spans decompressed chunks
    one = (record(id="a", text="x") + "\n").encode()
    two = (record(id="b", text=long_text) + "\n" + record(id="c", text="z")).encode()
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(zstd_compress(one) + zstd_compress(two))
    articles, rejects = read(path)
    assert [(a.id, len(a.text)) for a in articles] == [("a", 1), ("b", len(long_text)), ("c", 1)]
    assert rejects == []


def test_zst_name_but_not_zstd(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "c.jsonl.zst", record(id="a", text="x"))
    with pytest.raises(InputError, match="not a zstd file"):
        read_corpus([path], rejects=RejectLog())


def test_gz_name_but_not_gzip(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "c.jsonl.gz", record(id="a", text="x"))
    with pytest.raises(InputError, match="not a gzip file"):
        read_corpus([path], rejects=RejectLog())


@pytest.mark.parametrize("name", ["c.jsonl.gz", "c.jsonl.zst"])
def test_empty_compressed_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    assert read(path) == ([], [Reject(str(path), "empty file", None, None)])
    path.write_bytes(gzip.compress(b"") if name.endswith(".gz") else zstd_compress(b""))
    assert read(path) == ([], [Reject(str(path), "empty file", None, None)])


def test_binary_junk(tmp_path: Path) -> None:
    rng = random.Random(1234)
    junk = bytes(rng.randrange(256) for _ in range(200_000))
    path = tmp_path / "junk.jsonl"
    path.write_bytes(junk)
    articles, rejects = read(path)
    lines = junk.split(b"\n")
    nonblank = [i for i, line in enumerate(lines, start=1) if line.strip()]
    assert articles == []
    assert [r.where for r in rejects] == [f"{path}:{i}" for i in nonblank]
    assert len(rejects) > 100


def test_stdin_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'{"id": "a", "text": "x"}\n\xff\n{"id": "b", "text": "y"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    articles, rejects = read("-")
    assert [a.id for a in articles] == ["a", "b"]
    assert [(r.where, r.reason[:15]) for r in rejects] == [("<stdin>:2", "not valid UTF-8")]


def test_stdin_text_only_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"id": "a", "text": "é"}\n\n[]\n'))
    articles, rejects = read("-")
    assert [(a.id, a.text) for a in articles] == [("a", "é")]
    assert [r.where for r in rejects] == ["<stdin>:3"]


def test_unknown_extension_and_missing_path(tmp_path: Path) -> None:
    odd = tmp_path / "corpus.json"
    odd.write_text("{}")
    for path in (odd, tmp_path / "nope.jsonl"):
        with pytest.raises(InputError) as info:
            read_corpus([path], rejects=RejectLog())
        message = str(info.value)
        assert "\n" not in message and ".jsonl" in message and ".csv" in message
        assert str(path) in message


def test_input_error_is_raised_before_reading(tmp_path: Path) -> None:
    good = write_lines(tmp_path / "c.jsonl", record(id="a", text="x"))
    log = RejectLog()
    with pytest.raises(InputError):
        read_corpus([good, tmp_path / "missing.jsonl"], rejects=log)
    assert log.count == 0


def test_lazy_streaming(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "c.jsonl", record(id="a", text="x"), "junk",
                       record(id="b", text="y"))
    log = RejectLog()
    articles = read_corpus([path], rejects=log)
    assert next(articles).id == "a"
    assert log.count == 0  # the bad line has not been read yet
    assert next(articles).id == "b"
    assert log.count == 1


def test_duplicate_ids_within_file(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "c.jsonl", record(id="1", text="first"),
                       record(id=1, text="second"), record(id="1", text="third"))
    articles, rejects = read(path)
    assert [(a.id, a.text) for a in articles] == [("1", "first")]
    first = f"duplicate id: first seen at {path}:1"
    assert [(r.where, r.reason, r.id) for r in rejects] == [
        (f"{path}:2", first, "1"), (f"{path}:3", first, "1")]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1), st.text(min_size=1)), max_size=20))
def test_round_trip_property(tmp_path_factory: pytest.TempPathFactory,
                             items: list[tuple[str, str]]) -> None:
    """Every written record is either read back unchanged or rejected — never lost."""
    path = tmp_path_factory.mktemp("rt") / "c.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=a) + "\n"
                            for (i, t), a in zip(items, [True, False] * 20, strict=False)),
                    encoding="utf-8")
    articles, rejects = read(path)
    if not items:
        assert (articles, [r.reason for r in rejects]) == ([], ["empty file"])
        return
    assert len(articles) + len(rejects) == len(items)
    got = iter(articles)
    seen: set[str] = set()
    for rid, text in items:
        if rid.strip() and text.strip() and rid not in seen:
            seen.add(rid)
            article = next(got)
            assert (article.id, article.text) == (rid, text)


# -- the orjson fast path against the standard library ----------------------------------------
# ``parse_record`` tries orjson first; whatever it returns must be what the plain stdlib path
# (decode, ``json.loads``, then validation with ``clean=False``) gives for the same line.

def _reference(line: bytes, where: str, lineno: int) -> Article | Reject | None:
    """The pure standard-library reading of one line (the specification)."""
    if lineno == 1 and line.startswith(BOM):
        line = line[len(BOM):]
    loc = f"{where}:{lineno}"
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as err:
        return Reject(loc, utf8_reason(err), None, line.decode("utf-8", "replace").rstrip("\r\n"))
    if not text.strip():
        return None
    item = _parse_line(text.rstrip("\r\n"), loc)
    if isinstance(item, Reject):
        return item
    assert not item.clean
    return to_article(item)


def _fast(line: bytes, where: str, lineno: int) -> Article | Reject | None:
    item = parse_record(line, where, lineno)
    return to_article(item) if isinstance(item, Row) else item


def _norm(value: object) -> object:
    """A comparable form of a parsed value: types kept (1 != 1.0 != True), NaN equal to NaN."""
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value.hex())
    if isinstance(value, dict):
        return ("object", [(k, _norm(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("array", [_norm(v) for v in value])
    return (type(value).__name__, value)


def _outcome(item: Article | Reject | None) -> object:
    if item is None or isinstance(item, Reject):
        return item
    return ("article", item.id, item.text, item.title, item.date, item.source, item.url,
            _norm(item.extra))


def _assert_same(line: bytes, lineno: int = 2) -> None:
    fast, ref = _fast(line, "f.jsonl", lineno), _reference(line, "f.jsonl", lineno)
    assert _outcome(fast) == _outcome(ref), line


_BIG = ["1234567890123456789", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "9999999999999999999",
        "18446744073709551615", "18446744073709551616", "-18446744073709551616",
        "12345678901234567890123", "123456789012345678901234567890",
        "-123456789012345678901234567890"]

TRICKY_LINES: list[bytes] = [
    b'{"id": "a", "text": "plain"}',
    b'{"id": "a", "text": "t", "title": "T", "date": "2024-05-01", "source": "AFP", "url": "u"}',
    b'{"id": 7, "text": "t", "lang": "en", "n": 3, "ok": true, "none": null}',
    b'{"id": "a", "text": "t", "title": NaN}',
    b'{"id": "a", "text": "t", "date": Infinity, "x": -Infinity}',
    b'{"id": "a", "text": "t", "x": NaN}',
    b'{"id": "a", "text": "t", "title": 1e400}',
    b'{"id": "a", "text": "t", "x": -1e400}',
    b'{"id": 1e400, "text": "t"}',
    b'{"id": "a", "text": 1e400}',
    b'{"id": "a", "text": "t", "x": 1.5, "y": 1.0, "z": -0.0, "w": 1E2}',
    b'{"id": 1.0, "text": "t"}',
    b'{"id": -0, "text": "t", "x": -0}',
    *(f'{{"id": {n}, "text": "t"}}'.encode() for n in _BIG),
    *(f'{{"id": "a", "text": {n}}}'.encode() for n in _BIG),
    *(f'{{"id": "a", "text": "t", "title": {n}, "extra": {n}}}'.encode() for n in _BIG),
    *(f'{{"id": "a", "text": "t", "deep": {{"n": [{n}]}}}}'.encode() for n in _BIG),
    *(f'{{"id": "a", "text": "t", "arr": [1, {n}], "date": [{n}]}}'.encode() for n in _BIG),
    b'{"id": "a", "text": "t", "nested": {"a": [1, {"b": null}], "c": {}}, "arr": []}',
    b'{"id": "a", "text": "t", "title": ["x"], "date": {"y": 2024}, "url": false}',
    b'{"id": {"x": 1}, "text": "t"}',
    b'{"id": "a", "text": ["t"]}',
    b'{"id": "a", "text": "x\\ud800y"}',
    b'{"id": "a\\udc00", "text": "x"}',
    b'{"id": "a", "text": "x", "title": "\\ud83d"}',
    b'{"id": "a", "text": "x", "extra": "\\ud800"}',
    b'{"id": "a", "text": "x", "\\ud800": 1}',
    b'{"id": "a", "text": "x\\udc00\\ud800y"}',
    b'{"id": "a", "text": "x\\ud800\\u0041"}',
    b'{"id": "a", "text": "x\\ud83d\\ude00y", "title": "\\ud83d\\ude00"}',
    '{"id": "é", "text": "x😀 “quoted” \u2028 \u00a0 end"}'.encode(),
    b'{"id": "a", "text": "nul \\u0000 del \x7f"}',
    b'{"id": "a", "text": "ctrl \x1f"}',
    b'{"id": "a", "text": "t"}\r\n',
    b'{"id": "a", "text": "t"}\r',
    b'{"id": "a", "text": "t"}\r\r\n',
    b'{"id": "a",\r\n "text": "t"}',
    b'\t {"id": "a", "text": "t"} \t',
    b'{"id": "a", "text": "t"}\x0c',
    b'\x0b{"id": "a", "text": "t"}',
    b'\xc2\xa0{"id": "a", "text": "t"}',
    b'{"id": "a", "text": "t"}\xc2\xa0',
    b"", b"\n", b"\r\n", b"   ", b" \t \r\n", b"\xc2\xa0", b"\xc2\xa0\n", b"\xe3\x80\x80",
    b"\x0c", b"\xe2\x80\xa8",
    b'\xef\xbb\xbf{"id": "a", "text": "t"}',
    b'\xef\xbb\xbf\xef\xbb\xbf{"id": "a", "text": "t"}',
    b"\xef\xbb\xbf", b"\xef\xbb\xbf\n", b"\xef\xbb\xbf  ",
    b'{"id": "b", "text": "caf\xe9"}', b"\xff", b"\xff\n", b'{"id": "a", "text": "\xed\xa0\x80"}',
    b'{"id": "a", "text": "\xc0\xaf"}', b'{"id": "a", "text": "\xe2\x82"}',
    b'{"id": "a", "text": "\xf4\x90\x80\x80"}',
    b'["a", "b"]', b'"just a string"', b"42", b"null", b"true", b"1e400", b"NaN", b"[]",
    b'{"id": "a", "text": }', b'{"id": "a"} {"x": 1}', b'{"id": "a", "text": "x"',
    b'{"id": "a", "text": "x",}', b'{"id": 01, "text": "x"}', b"{'id': 'a'}",
    b'{"id": "a", "text": "x"}}', b"{", b"}",
    b'{"id": "a", "text": "one", "text": "two"}',
    b'{"id": "a", "id": "b", "text": "t"}',
    b'{"id": 1.5, "id": "b", "text": "t"}',
    b'{"id": "b", "text": "t", "n": 1e400, "n": 1}',
    b'{"id": "b", "text": "t", "n": 123456789012345678901234567890, "n": 1}',
    b'{"id": "b", "text": "t", "n": 1, "n": 123456789012345678901234567890}',
    b'{"id": "b", "text": "t", "x": 1, "y": 2, "x": 3}',
    b'{"id": "b", "text": "t", "title": "\\ud800", "title": "ok"}',
    b'{"text": "no id"}', b'{"id": null, "text": "t"}', b'{"id": "", "text": "t"}',
    b'{"id": "  ", "text": "t"}', b'{"id": true, "text": "t"}', b'{"id": "a"}',
    b'{"id": "a", "text": ""}', b'{"id": "a", "text": " \\n\\t\\u00a0"}', b"{}",
    b'{"id": 1' + b"0" * 5000 + b', "text": "t"}',
    b'{"id": "a", "text": "t", "x": ' + b"[" * 2000 + b"]" * 2000 + b"}",
    b"[" * 3000 + b"]" * 3000,
]


@pytest.mark.parametrize("lineno", [1, 2])
def test_fast_path_matches_stdlib_on_tricky_lines(lineno: int) -> None:
    for line in TRICKY_LINES:
        _assert_same(line, lineno)


def test_fast_path_is_taken() -> None:
    """The differential would prove nothing if orjson never answered."""
    row = parse_record(b'{"id": "a", "text": "t", "n": 18446744073709551615}\r\n', "f", 2)
    assert isinstance(row, Row) and row.clean and row.fields["n"] == 2**64 - 1
    row = parse_record(b'{"id": "a", "text": "t", "n": 18446744073709551616}', "f", 2)
    assert isinstance(row, Row) and not row.clean and row.fields["n"] == 2**64


_KEYS = st.sampled_from(["id", "text", "title", "date", "source", "url", "x", "\ud800", ""])
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(2**100), 2**100),
    st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 10**29]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(), st.text(alphabet=st.sampled_from(list("ab \n\r\t\u00a0é😀\x00\x7f\ud800\udc00\ud83d\ude00"))),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)),
    max_leaves=6)


def _render(pairs: list[tuple[str, object]], ascii_only: bool, sep: str) -> bytes:
    """A JSON object with possibly repeated keys (json.dumps cannot write those)."""
    body = sep.join(f"{json.dumps(k, ensure_ascii=ascii_only)}: {json.dumps(v, ensure_ascii=ascii_only)}"
                    for k, v in pairs)
    return ("{" + body + "}").encode("utf-8", "surrogatepass")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_KEYS, _VALUES), max_size=7), st.booleans(),
       st.sampled_from([", ", ",", ",\r\n ", " ,\t"]),
       st.sampled_from([b"", b"\n", b"\r\n", b" ", b"\r", b"\xc2\xa0", b" x"]),
       st.sampled_from([b"", b" ", b"\xef\xbb\xbf", b"\xc2\xa0"]), st.integers(1, 2))
def test_fast_path_matches_stdlib_property(pairs: list[tuple[str, object]], ascii_only: bool,
                                           sep: str, tail: bytes, head: bytes, lineno: int) -> None:
    _assert_same(head + _render(pairs, ascii_only, sep) + tail, lineno)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=60), st.integers(1, 2))
def test_fast_path_matches_stdlib_on_random_bytes(line: bytes, lineno: int) -> None:
    _assert_same(line, lineno)
    _assert_same(b'{"id": "a", "text": "' + line + b'"}', lineno)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_KEYS, _VALUES), max_size=5), st.data())
def test_fast_path_matches_stdlib_on_mutated_lines(pairs: list[tuple[str, object]],
                                                   data: st.DataObject) -> None:
    """Valid-looking lines with one byte changed, dropped or inserted."""
    line = bytearray(_render([("id", "a"), ("text", "t"), *pairs], False, ", "))
    at = data.draw(st.integers(0, len(line)))
    op = data.draw(st.sampled_from(["set", "drop", "insert"]))
    byte = data.draw(st.sampled_from(list(b'"\\{}[],:0e.-+ \t\r\n\x00\x80\xc2\xed\xffuNI')))
    if op == "insert":
        line.insert(at, byte)
    elif at < len(line):
        if op == "set":
            line[at] = byte
        else:
            del line[at]
    _assert_same(bytes(line))


# -- blocks of raw lines against the line reader -----------------------------------------------

def _flatten_blocks(path: str | Path, size: int) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    first = 1
    where = "<stdin>" if str(path) == "-" else str(path)
    for block in iter_blocks(path, size):
        if isinstance(block, Reject):
            out.append((block.where, block))
            continue
        assert isinstance(block, LineBlock)
        block = block.load()
        assert block.lines is not None
        assert block.where == where and block.first == first
        assert 0 < len(block.lines) <= size
        first += len(block.lines)
        for n, item in parse_block(block):
            assert 0 <= n < len(block.lines)
            assert item.where == f"{where}:{block.first + n}"
            out.append((item.where, _row_outcome(item)))
    return out


def _row_outcome(item: Row | Reject) -> object:
    if isinstance(item, Reject):
        return item
    return (item.raw_text(), _outcome(to_article(item)))


def _flatten_rows(items: Iterable[Row | Reject]) -> list[tuple[str, object]]:
    return [(item.where, _row_outcome(item)) for item in items]


def _tricky_file(lines: list[bytes]) -> bytes:
    return b"".join(x if x.endswith(b"\n") else x + b"\n" for x in lines)


@pytest.mark.parametrize("gz", [False, True])
def test_blocks_match_iter_rows(tmp_path: Path, gz: bool) -> None:
    rng = random.Random(5)
    lines = [TRICKY_LINES[0], b"\xef\xbb\xbf" + TRICKY_LINES[1], *TRICKY_LINES[2:]]
    lines[1:] = rng.sample(lines[1:], len(lines) - 1)  # a BOM on line 2 is not skipped
    data = b'\xef\xbb\xbf{"id": "first", "text": "t"}\n' + _tricky_file(lines)
    path = tmp_path / ("c.jsonl.gz" if gz else "c.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    want = _flatten_rows(iter_rows(path))
    assert len(want) > 100
    assert want[0] == (f"{path}:1", ('{"id": "first", "text": "t"}',
                                     ("article", "first", "t", None, None, None, None, ("object", []))))
    nlines = data.count(b"\n")
    for size in (1, 2, 3, 7, 64, nlines - 1, nlines, nlines + 5):
        assert _flatten_blocks(path, size) == want, size


def test_blocks_without_final_newline_and_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'\n\n{"id": "a", "text": "x"}\r\n  \n[1]')
    want = _flatten_rows(iter_rows(path))
    assert [w for w, _ in want] == [f"{path}:3", f"{path}:5"]
    for size in (1, 2, 5, 6):
        assert _flatten_blocks(path, size) == want
    path.write_bytes(b"")
    assert list(iter_blocks(path, 3)) == [Reject(str(path), "empty file", None, None)]


def test_blocks_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _tricky_file(TRICKY_LINES[:40])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    want = _flatten_rows(iter_stdin())
    for size in (1, 4, 100):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        assert _flatten_blocks("-", size) == want


@pytest.mark.parametrize("size", [1, 7, 100, 5000])
def test_truncated_gzip_blocks_end_in_one_reject(tmp_path: Path, size: int) -> None:
    data = "".join(record(id=str(i), text=f"text {i} " * 20) + "\n" for i in range(2000))
    blob = gzip.compress(data.encode())
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(blob[: len(blob) // 2])
    items = list(iter_blocks(path, size))
    rejects = [x for x in items if isinstance(x, Reject)]
    assert len(rejects) == 1 and items[-1] is rejects[0]
    assert rejects[0].reason.startswith("unreadable gzip")
    nread = sum(len(b.load().lines or ()) for b in items if isinstance(b, LineBlock))
    assert 0 < nread < 2000
    assert rejects[0].where == f"{path}:{nread + 1}"
    assert _flatten_blocks(path, size) == _flatten_rows(iter_rows(path))


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("size", [1, 2, 5, 100])
@pytest.mark.parametrize("tail", [b"", b"\n", b"\n\n"])
def test_file_blocks_split_like_line_iteration(tmp_path: Path, chunk: int, size: int, tail: bytes) -> None:
    """Byte-span blocks hold exactly the lines file iteration gives, whatever the read size."""
    from copydesk.read.jsonl import _file_blocks

    data = b"\n".join(f'{{"id": "{i}", "text": "{"x" * (i % 9)}"}}'.encode() for i in range(23)) + tail
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    with open(path, "rb") as f:
        expected = [line.rstrip(b"\n") for line in f]
    got, first = [], 1
    for block in _file_blocks(path, size, chunk=chunk):
        assert block.first == first and block.lines is None
        lines = block.load().lines
        assert lines is not None and 0 < len(lines) <= size
        got += lines
        first += len(lines)
    assert got == expected


@pytest.mark.parametrize("size", [1, 2, 5, 23, 100])
@pytest.mark.parametrize("tail", [b"", b"\n", b"\n\n", b"x"])
@pytest.mark.parametrize("lines", [0, 1, 23])
def test_mapped_file_blocks_equal_read_ones(tmp_path: Path, size: int, tail: bytes, lines: int) -> None:
    """The blocks found in the mapped file are those the chunked reader finds."""
    from copydesk.read.jsonl import _file_blocks, _file_blocks_read

    data = b"\n".join(f'{{"id": "{i}", "text": "{"x" * (i % 9)}"}}'.encode() for i in range(lines))
    path = tmp_path / "f.jsonl"
    path.write_bytes(data + tail if lines else tail)
    for chunk in (3, 1 << 20):
        assert list(_file_blocks(path, size)) == list(_file_blocks_read(path, size, chunk))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_read_as_a_stream(tmp_path: Path) -> None:
    """A FIFO cannot be re-read by offset: its blocks carry their lines."""
    import threading

    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    data = "".join(record(id=str(i), text=f"text {i}") + "\n" for i in range(5)).encode()
    writer = threading.Thread(target=fifo.write_bytes, args=(data,))
    writer.start()
    blocks = list(iter_blocks(fifo, 2))
    writer.join()
    assert all(isinstance(b, LineBlock) and b.lines is not None and b.span is None for b in blocks)
    assert [len(b.lines or ()) for b in blocks if isinstance(b, LineBlock)] == [2, 2, 1]


@pytest.mark.parametrize("size", [1, 5, 64, 1000])
def test_block_articles_match_rows_checked_one_by_one(tmp_path: Path, size: int) -> None:
    from copydesk.read.jsonl import block_articles

    rng = random.Random(size)
    lines = [b"\xef\xbb\xbf" + TRICKY_LINES[1], *rng.sample(TRICKY_LINES, len(TRICKY_LINES))]
    path = tmp_path / "c.jsonl"
    path.write_bytes(_tricky_file(lines))
    for block in iter_blocks(path, size):
        assert isinstance(block, LineBlock)
        want_arts, want_rejects = [], []
        for n, item in parse_block(block):
            checked = item if isinstance(item, Reject) else to_article(item)
            (want_rejects if isinstance(checked, Reject) else want_arts).append((n, _outcome(checked)))
        for lines in (None, block.views()):  # read here, or parsed in place from views
            arts, at, rejects = block_articles(block, lines)
            assert list(zip(at, map(_outcome, arts), strict=True)) == want_arts
            assert [(n, r) for n, r in rejects] == [(n, r) for n, r in want_rejects]


_values = st.one_of(st.none(), st.text(max_size=4), st.sampled_from(["", " ", "\u3000", "x"]),
                    st.integers(-3, 3), st.booleans(), st.floats(allow_nan=False), st.lists(st.integers(), max_size=2))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "text", "title", "date", "source", "url", "lang"]), _values))
def test_plain_article_agrees_with_to_article(fields: dict[str, object]) -> None:
    from copydesk.read._record import plain_article

    fields = {k: v.replace("\ud800", "") if isinstance(v, str) else v for k, v in fields.items()}
    got = plain_article(fields)
    if got is not None:
        assert _outcome(got) == _outcome(to_article(Row("x:1", fields, None, None, True)))


def test_plain_article_takes_plain_records_only() -> None:
    from copydesk.read._record import plain_article

    got = plain_article({"id": "a", "text": "t", "title": " ", "date": None, "source": "AFP"})
    assert got is not None and (got.id, got.title, got.date, got.source, got.extra) == ("a", None, None, "AFP", {})
    for odd in ({"id": 1, "text": "t"}, {"id": "a", "text": "t", "lang": "en"}, {"id": "a", "text": " "},
                {"text": "t"}, {"id": "a", "text": "t", "title": 2}):
        assert plain_article(odd) is None


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_stored_article_is_the_checked_row(bom: bytes) -> None:
    """A stored JSON line read back (plain records by :func:`plain_line`) is the article
    parsing and checking it gives; a line that is no article cannot be read back."""
    from copydesk.read.jsonl import plain_line
    from copydesk.spill import JSON_LINE, stored_article

    for line in TRICKY_LINES:
        stored = bom + line
        bare = stored[len(BOM):] if stored.startswith(BOM) else stored  # (one BOM is removed)
        row = parse_record(bare, "f.jsonl", 2)
        want = to_article(row) if row is not None and not isinstance(row, Reject) else row
        fast = plain_line(bare)
        if fast is not None:
            assert _outcome(fast) == _outcome(want)
        if isinstance(want, Article):
            assert _outcome(stored_article(stored, JSON_LINE)) == _outcome(want)
        else:
            with pytest.raises(RuntimeError):
                stored_article(stored, JSON_LINE)


_opt_text = st.one_of(st.none(), st.text(max_size=4))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=4), st.text(max_size=4), _opt_text, _opt_text, _opt_text, _opt_text)
def test_article_without_init_is_the_dataclass_article(art_id: str, text: str, title: str | None,
                                                        date: str | None, source: str | None,
                                                        url: str | None) -> None:
    """plain_article's constructor (slots set directly) builds the article ``Article(...)``
    does: equal, same hash, same fields and a fresh ``extra`` each time."""
    import pickle

    from copydesk.read._record import _article

    fast = _article(art_id, text, title, date, source, url)
    want = Article(art_id, text, title, date, source, url, {})
    assert fast == want and hash(fast) == hash(want) and repr(fast) == repr(want)
    assert _outcome(fast) == _outcome(want) and pickle.loads(pickle.dumps(fast)) == want
    assert fast.extra == {} and fast.extra is not _article(art_id, text, title, date, source, url).extra


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"\n", b"\r", b"{}", b"\xef\xbb\xbf", b" "]), max_size=12).map(b"".join))
def test_line_views_are_split_lines(data: bytes) -> None:
    from copydesk.read.jsonl import line_views, split_lines

    assert [bytes(v) for v in line_views(data)] == split_lines(data)
