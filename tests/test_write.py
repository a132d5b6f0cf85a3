"""write: JSON Lines output is valid UTF-8 JSON, one object per line, equal to the rows."""

from __future__ import annotations

import json
from pathlib import Path

from copydesk.write import write_jsonl


def test_rows_round_trip_and_text_stays_readable(tmp_path: Path) -> None:
    rows = [{"a": "caf\u00e9 \u201cq\u201d", "n": 3, "x": 0.1234, "l": [1, None]},
            {"raw": "lone \ud800 surrogate"}]  # orjson refuses it: escaped instead
    path = tmp_path / "out.jsonl"
    assert write_jsonl(path, rows) == 2
    data = path.read_bytes()
    text = data.decode("utf-8")  # strict: valid UTF-8
    assert "caf\u00e9" in text  # no ASCII escaping of ordinary text
    assert [json.loads(line) for line in text.splitlines()] == rows
