"""write: JSON Lines output is valid UTF-8 JSON, one object per line, equal to the rows."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.records import Pair, Passage
from copydesk.write import _BLOCK_LINES, json_line, pair_rows, round4, write_jsonl


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


def _same_floats(got: list[float], want: list[float]) -> bool:
    return all((x == y and np.copysign(1, x) == np.copysign(1, y)) or (x != x and y != y)
               for x, y in zip(got, want, strict=True))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.floats(0, 1)
                | st.integers(0, 10**6).map(lambda k: k / 10**4 + 0.00005), max_size=50))
def test_round4_is_round_to_4_places(xs: list[float]) -> None:
    assert _same_floats(round4(np.array(xs, np.float64)), [round(x, 4) for x in xs])


def test_round4_at_halves_and_every_coverage() -> None:
    # every 4-place value and the halfway points between them (ties: round's rule)
    grid = np.arange(0, 2 * 10**4 + 1) / (2 * 10**4)
    xs = np.concatenate((grid, np.nextafter(grid, 2), np.nextafter(grid, -1), -grid,
                         np.random.default_rng(5).random(10**5), [2.0**45 + 0.5, 1e300, 1e-300]))
    assert _same_floats(round4(xs), [round(x, 4) for x in xs.tolist()])


def test_pair_rows_are_to_dict() -> None:
    rng = np.random.default_rng(3)
    pairs = [Pair(f"a{i}", f"b{i}", "partial", None if i % 3 else f"a{i}", float(rng.random()), i / 7,
                  tuple(Passage(j, j + i, 2 * j, 2 * j + i, "edited" if j % 2 else "verbatim") for j in range(i % 4)),
                  "earlier" if i % 5 == 0 else None) for i in range(200)]
    assert list(pair_rows(pairs)) == [p.to_dict() for p in pairs]
    for p in pairs:  # a pair's row holds its passages' own rows, keys in their order
        assert [list(x.items()) for x in p.to_dict()["passages"]] == [list(x.to_dict().items()) for x in p.passages]
    assert list(pair_rows([])) == []


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
