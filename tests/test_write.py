"""write: JSON Lines output is valid UTF-8 JSON, one object per line, equal to the rows."""

from __future__ import annotations

import json
from pathlib import Path

from copydesk.write import _BLOCK_LINES, json_line, write_jsonl


def test_rows_round_trip_and_text_stays_readable(tmp_path: Path) -> None:
    rows = [{"a": "caf\u00e9 \u201cq\u201d", "n": 3, "x": 0.1234, "l": [1, None]},
            {"raw": "lone \ud800 surrogate"}]  # orjson refuses it: escaped instead
    path = tmp_path / "out.jsonl"
    assert write_jsonl(path, rows) == 2
    data = path.read_bytes()
    text = data.decode("utf-8")  # strict: valid UTF-8
    assert "caf\u00e9" in text  # no ASCII escaping of ordinary text
    assert [json.loads(line) for line in text.splitlines()] == rows


def test_rows_written_in_blocks_are_the_lines_one_by_one(tmp_path: Path) -> None:
    # more rows than a block holds, a block boundary exactly, and a row orjson refuses
    for n in (0, 1, _BLOCK_LINES, 2 * _BLOCK_LINES + 3):
        rows = [{"n": i, "s": "lone \ud800" if i == n // 2 else f"r{i}"} for i in range(n)]
        path = tmp_path / f"out{n}.jsonl"
        assert write_jsonl(path, iter(rows)) == n
        assert path.read_bytes() == b"".join(json_line(r) for r in rows)


def test_corpus_format_by_name(tmp_path: Path) -> None:
    import pytest

    from copydesk.errors import ConfigError
    from copydesk.write import corpus_format

    assert corpus_format(Path("a.JSONL")) == "jsonl"
    assert corpus_format(Path("a.ndjson.gz")) == "jsonl.gz"
    assert corpus_format(Path("a.parquet")) == "parquet"
    with pytest.raises(ConfigError, match=".parquet"):
        corpus_format(Path("a.csv"))


def test_parquet_articles_keep_metadata_types(tmp_path: Path) -> None:
    import pytest

    pq = pytest.importorskip("pyarrow.parquet")
    from copydesk.records import Article
    from copydesk.write import ArticleWriter, kind_of

    arts = [Article("a", "text a", date="2024-01-01", extra={"n": 1, "mixed": "x", "f": 1}),
            Article("b", "text b", extra={"n": 2, "mixed": [1, 2], "f": 0.5})]
    kinds: dict[str, set[str]] = {}
    for a in arts:
        for k, v in a.extra.items():
            kinds.setdefault(k, set()).add(kind_of(v))
    with ArticleWriter(tmp_path / "x", "parquet", kinds, batch=1) as w:  # one schema, 2 groups
        for a in arts:
            w.write(a)
    rows = pq.read_table(tmp_path / "x").to_pylist()
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["date"] == "2024-01-01" and rows[1]["date"] is None
    assert [r["n"] for r in rows] == [1, 2]
    assert [r["f"] for r in rows] == [1.0, 0.5]
    assert [r["mixed"] for r in rows] == ["x", "[1, 2]"]  # mixed kinds: JSON text
