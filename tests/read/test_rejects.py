"""The reject log, and read_corpus's guarantees across inputs (duplicates, nothing lost)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copydesk.read import RejectLog, read_corpus
from copydesk.read.rejects import MAX_RAW, reason_category
from copydesk.records import Reject


def test_add_count_iterate_in_order() -> None:
    log = RejectLog()
    assert log.count == 0 and len(log) == 0 and list(log) == []
    first = Reject("a.jsonl:1", "missing text", "x", "{}")
    second = Reject("a.jsonl:2", "malformed JSON: Expecting value at column 1", None, "?")
    log.add(first)
    log.add(second)
    assert log.count == 2 and len(log) == 2
    assert list(log) == [first, second]


def test_by_reason_groups_categories_most_frequent_first() -> None:
    log = RejectLog()
    for reason in ["malformed JSON: Expecting value at column 1", "duplicate id",
                   "malformed JSON: Extra data at column 9",
                   "not valid UTF-8: byte 0xff at offset 0", "duplicate id",
                   "malformed JSON: Expecting ',' delimiter at column 3"]:
        log.add(Reject("f:1", reason))
    assert log.by_reason() == {"malformed JSON": 3, "duplicate id": 2, "not valid UTF-8": 1}
    assert list(log.by_reason()) == ["malformed JSON", "duplicate id", "not valid UTF-8"]


@pytest.mark.parametrize(("reason", "category"), [
    ("empty text", "empty text"),
    ("invalid id: expected a string, got array", "invalid id"),
    ("malformed CSV: ',' expected after '\"'", "malformed CSV"),
])
def test_reason_category(reason: str, category: str) -> None:
    assert reason_category(reason) == category


def test_raw_truncated() -> None:
    log = RejectLog()
    log.add(Reject("f:1", "empty text", "a", "x" * 10_000))
    log.add(Reject("f:2", "missing id", None, None))
    assert [r.raw for r in log] == ["x" * MAX_RAW, None]
    assert MAX_RAW == 2000


def test_write(tmp_path: Path) -> None:
    log = RejectLog()
    log.add(Reject("f:1", "empty text", "a", "é" * 5000))
    log.add(Reject("f:2", "not valid Unicode: unpaired surrogate in id", "b\ud800", "raw"))
    log.add(Reject("dir/x.txt", "not valid UTF-8: byte 0xff at offset 0", "x", None))
    out = log.write(tmp_path / "run" / "rejects.jsonl")  # parent created
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [set(r) for r in records] == [{"where", "reason", "id", "raw"}] * 3
    assert records[0] == {"where": "f:1", "reason": "empty text", "id": "a", "raw": "é" * 2000}
    # the file is valid UTF-8 and a lone surrogate survives as a JSON \\u escape
    assert records[1]["id"] == "b\ud800"
    assert records[2]["raw"] is None


def test_write_empty_log(tmp_path: Path) -> None:
    out = RejectLog().write(tmp_path / "rejects.jsonl")
    assert out.read_bytes() == b""


def test_custom_max_raw() -> None:
    log = RejectLog(max_raw=3)
    log.add(Reject("f:1", "empty text", None, "abcdef"))
    assert next(iter(log)).raw == "abc"
    with pytest.raises(ValueError):
        RejectLog(max_raw=-1)


def test_duplicate_ids_across_files_and_formats(tmp_path: Path) -> None:
    first = tmp_path / "a.jsonl"
    first.write_text('{"id": "1", "text": "one"}\n{"id": "2", "text": "two"}\n')
    second = tmp_path / "b.csv"
    second.write_text("id,text\n2,two again\n3,three\n")
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "3.txt").write_text("three again")
    (folder / "4.txt").write_text("four")
    log = RejectLog()
    articles = list(read_corpus([first, second, folder], rejects=log))
    assert [(a.id, a.text) for a in articles] == [
        ("1", "one"), ("2", "two"), ("3", "three"), ("4", "four")]
    assert [(r.where, r.reason, r.id, r.raw) for r in log] == [
        (f"{second}:2", f"duplicate id: first seen at {first}:2", "2", "2,two again"),
        (str(folder / "3.txt"), f"duplicate id: first seen at {second}:3", "3", "three again"),
    ]


def test_same_file_twice_rejects_every_record_once(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "1", "text": "one"}\n{"id": "2", "text": "two"}\n')
    log = RejectLog()
    articles = list(read_corpus([path, str(path)], rejects=log))
    assert [a.id for a in articles] == ["1", "2"]
    assert log.by_reason() == {"duplicate id": 2}


def test_nothing_lost(tmp_path: Path) -> None:
    """Every non-blank input line is either an article or a reject with a where and reason."""
    lines = ['{"id": "a", "text": "x"}', "", "{bad", '{"id": "a", "text": "y"}', "[]",
             '{"id": "b"}', '{"id": "c", "text": ""}', '{"id": "d", "text": "ok", "k": 1}']
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    log = RejectLog()
    articles = list(read_corpus([path], rejects=log))
    assert len(articles) + log.count == sum(1 for line in lines if line)
    assert all(r.where.startswith(f"{path}:") and r.reason and r.raw for r in log)
    assert log.by_reason() == {"duplicate id": 1, "empty text": 1, "malformed JSON": 1,
                               "missing text": 1, "not a JSON object": 1}


def test_single_path_string_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "1", "text": "one"}\n')
    articles = read_corpus(str(path), rejects=RejectLog())  # a str is one path, not a sequence
    assert [a.id for a in articles] == ["1"]


def test_no_paths() -> None:
    assert list(read_corpus([], rejects=RejectLog())) == []
