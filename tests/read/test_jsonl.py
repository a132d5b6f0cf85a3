"""JSON Lines reading: records, every reject reason, BOM, gzip, stdin, junk input."""

from __future__ import annotations

import gzip
import io
import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.errors import InputError
from copydesk.read import RejectLog, read_corpus
from copydesk.records import Article, Reject


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
    assert read(path) == ([], [])


@pytest.mark.parametrize("name", ["c.jsonl.gz", "c.ndjson", "C.JSONL", "c.ndjson.gz"])
def test_suffixes(tmp_path: Path, name: str) -> None:
    data = (record(id="a", text="x") + "\n" + record(id="b", text="y") + "\n").encode()
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
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


def test_gz_name_but_not_gzip(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "c.jsonl.gz", record(id="a", text="x"))
    with pytest.raises(InputError, match="not a gzip file"):
        read_corpus([path], rejects=RejectLog())


def test_empty_gz_file(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(b"")
    assert read(path) == ([], [])


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
    assert [(r.where, r.reason, r.id) for r in rejects] == [
        (f"{path}:2", "duplicate id", "1"), (f"{path}:3", "duplicate id", "1")]


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
    assert len(articles) + len(rejects) == len(items)
    got = iter(articles)
    seen: set[str] = set()
    for rid, text in items:
        if rid.strip() and text.strip() and rid not in seen:
            seen.add(rid)
            article = next(got)
            assert (article.id, article.text) == (rid, text)
