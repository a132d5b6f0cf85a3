"""Parquet reading through pyarrow, and the missing-dependency path."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from copydesk.errors import InputError, MissingDependency
from copydesk.read import RejectLog, parquet, read_corpus
from copydesk.records import Article, Reject

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def read(*paths: str | Path) -> tuple[list[Article], list[Reject]]:
    log = RejectLog()
    articles = list(read_corpus(paths, rejects=log))
    return articles, list(log)


def write_parquet(path: Path, columns: dict[str, list[object]]) -> Path:
    pq.write_table(pa.table(columns), path)
    return path


def test_columns_types_and_extra(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "c.parquet", {
        "id": [10, 11],
        "text": ["Ten", "Eleven"],
        "date": [dt.date(2024, 5, 1), None],
        "title": ["T", None],
        "words": [1, 2],
    })
    articles, rejects = read(path)
    assert rejects == []
    assert [(a.id, a.text, a.date, a.title) for a in articles] == [
        ("10", "Ten", "2024-05-01", "T"), ("11", "Eleven", None, None)]
    assert [a.extra for a in articles] == [{"words": 1}, {"words": 2}]


def test_timestamp_column_to_iso(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "c.parquet", {
        "id": ["a"], "text": ["x"], "date": [dt.datetime(2024, 5, 1, 12, 30)]})
    (article,), _ = read(path)
    assert article.date == "2024-05-01T12:30:00"


def test_rejects_with_row_numbers(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "c.parquet", {
        "id": ["a", "b", None, "a", "e"],
        "text": ["x", None, "z", "again", "   "],
    })
    articles, rejects = read(path)
    assert [a.id for a in articles] == ["a"]
    assert [(r.where, r.reason, r.id) for r in rejects] == [
        (f"{path}:2", "missing text", "b"),
        (f"{path}:3", "missing id", None),
        (f"{path}:4", f"duplicate id: first seen at {path}:1", "a"),
        (f"{path}:5", "empty text", "e"),
    ]
    assert rejects[0].raw == '{"id": "b", "text": null}'


def test_streams_in_batches_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet, "BATCH_ROWS", 7)
    n = 100
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"id": [f"r{i}" for i in range(n)], "text": ["t"] * n}), path,
                   row_group_size=13)
    articles, rejects = read(path)
    assert [a.id for a in articles] == [f"r{i}" for i in range(n)] and rejects == []


def test_missing_column_is_input_error(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "c.parquet", {"id": ["a"], "body": ["x"]})
    with pytest.raises(InputError, match="missing text"):
        read_corpus([path], rejects=RejectLog())


def test_not_parquet_is_input_error(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    path.write_text('{"id": "a", "text": "x"}\n')
    with pytest.raises(InputError, match="cannot read as Parquet"):
        read_corpus([path], rejects=RejectLog())


def test_missing_pyarrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_parquet(tmp_path / "c.parquet", {"id": ["a"], "text": ["x"]})
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow...` fail
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingDependency) as info:
        read_corpus([path], rejects=RejectLog())
    assert isinstance(info.value, ImportError)
    assert "copydesk[parquet]" in str(info.value)


def test_corrupt_row_group_loses_only_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    rows = [{"id": str(i), "text": f"text number {i} " * 5} for i in range(30)]
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=10)
    col = pq.ParquetFile(path).metadata.row_group(1).column(1)  # group 2's text column
    start = col.dictionary_page_offset or col.data_page_offset
    data = bytearray(path.read_bytes())
    data[start:start + col.total_compressed_size] = b"\xab" * col.total_compressed_size
    path.write_bytes(bytes(data))
    articles, (reject,) = read(path)
    assert [a.id for a in articles] == [str(i) for i in (*range(10), *range(20, 30))]
    assert reject.where == f"{path}:11"
    assert reject.reason.startswith("unreadable Parquet: row group 2 of 3 (10 rows lost): ")
    assert "\n" not in reject.reason


def test_mapped_columns(tmp_path: Path) -> None:
    from copydesk.read import FieldMap

    path = write_parquet(tmp_path / "c.parquet", {"doc": ["a"], "body": ["text"], "id": [7]})
    with pytest.raises(InputError, match="needs columns doc and content"):
        read_corpus([path], rejects=RejectLog(), fields=FieldMap(id="doc", text="content"))
    (art,) = read_corpus([path], rejects=RejectLog(), fields=FieldMap(id="doc", text="body"))
    assert (art.id, art.text, art.extra) == ("a", "text", {"id": 7})
