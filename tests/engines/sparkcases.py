"""Inputs the Spark engine tests share."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


def bad_input(folder: Path) -> list[Path]:
    """Two files of good, bad and repeated records (across batches and files), and an
    empty file."""
    story = ("The city council approved the new budget on Tuesday after a long debate about "
             "schools, roads and the harbour, and the mayor said the vote was a fair result "
             "for every district of the town. ")
    good = [{"id": f"a{n}", "text": story * 3 + f"Paragraph {n} is its own.", "date": f"2024-01-0{n % 9 + 1}"}
            for n in range(6)]
    one = folder / "one.jsonl"
    rows = [json.dumps(good[0]).encode(), b"{not json", json.dumps({"text": "no id"}).encode(),
            json.dumps(good[1]).encode(), b"", json.dumps({"id": "x", "text": 5}).encode(),
            b'{"id": "bad-utf8", "text": "caf\xe9"}', json.dumps(good[0]).encode(),
            json.dumps(good[2]).encode(), b"[1, 2]", json.dumps(good[3]).encode()]
    one.write_bytes(b"\xef\xbb\xbf" + b"\n".join(rows) + b"\n")
    two = folder / "two.jsonl.gz"
    with gzip.open(two, "wb") as f:
        f.write(b"\n".join([json.dumps(good[4]).encode(), json.dumps(good[1]).encode(),
                            json.dumps(good[5]).encode(), json.dumps(good[4]).encode()]) + b"\n")
    empty = folder / "empty.jsonl"
    empty.write_bytes(b"")
    return [one, two, empty]
