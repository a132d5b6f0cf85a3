"""read_batches and a scan of JSON Lines: raw blocks parsed in the workers, rejects in order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import copydesk
from copydesk.config import ScanConfig
from copydesk.read import LineBlock, RejectLog, read_batches
from copydesk.records import Article

TEXT = "The storm hit the northern coast on Tuesday night, flooding hundreds of homes."


def _line(**fields: object) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode()


def test_read_batches_kinds(tmp_path: Path) -> None:
    jl = tmp_path / "a.jsonl"
    jl.write_bytes(b"".join(_line(id=str(i), text=TEXT) + b"\n" for i in range(5)) + b"junk\n")
    csv = tmp_path / "b.csv"
    csv.write_text("id,text\nc1,one\nc2,two\nc3,three\n", encoding="utf-8")
    txt = tmp_path / "c.txt"
    txt.write_text("plain text article", encoding="utf-8")
    log = RejectLog()
    got = list(read_batches([jl, csv, txt], rejects=log, size=2))
    blocks = [b.load() for b in got if isinstance(b, LineBlock)]
    lists = [b for b in got if isinstance(b, list)]
    assert len(blocks) + len(lists) == len(got)
    assert [(b.where, b.first, len(b.lines)) for b in blocks] == [
        (str(jl), 1, 2), (str(jl), 3, 2), (str(jl), 5, 2)]
    assert blocks[-1].lines[-1].rstrip(b"\n") == b"junk"  # raw: parsed later, by whoever prepares them
    assert [[a.id for a in b] for b in lists] == [["c1", "c2"], ["c3"], ["c"]]
    assert all(isinstance(a, Article) for b in lists for a in b)
    assert log.count == 0


LINES = [
    _line(id="a", text=TEXT),                                   # 1
    b'{"id": "b", "text": }',                                   # 2 malformed
    _line(id="b", text=TEXT + " Again."),                       # 3
    b'{"id": "c", "text": "caf\xe9"}',                          # 4 not UTF-8
    _line(id="a", text="A later story, reusing the id ü.") + b"\r",  # 5 duplicate (other block)
    _line(id="d", text=TEXT),                                   # 6
    b"",                                                        # 7 blank
    _line(id="d", text="Same block duplicate"),                 # 8 duplicate (same block)
    b'{"id": 1, "text": "x"}',                                  # 9
    b"[1, 2]",                                                  # 10 not an object
    _line(id=1, text="numeric duplicate"),                      # 11 duplicate of "1"
]


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("batch_size", [1, 2, 3, 100])
def test_scan_rejects_in_input_order(tmp_path: Path, workers: int, batch_size: int) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"".join(x + b"\n" for x in LINES))
    out = tmp_path / "out"
    cfg = ScanConfig(workers=workers, batch_size=batch_size)
    result = copydesk.scan([path], out=out, config=cfg)
    want = [
        (f"{path}:2", "malformed JSON: Expecting value at column 21", None,
         '{"id": "b", "text": }'),
        (f"{path}:4", "not valid UTF-8: byte 0xe9 at offset 24", None,
         '{"id": "c", "text": "caf\ufffd"}'),
        (f"{path}:5", f"duplicate id: first seen at {path}:1", "a", LINES[4].decode().rstrip("\r")),
        (f"{path}:8", f"duplicate id: first seen at {path}:6", "d", LINES[7].decode()),
        (f"{path}:10", "not a JSON object: got array", None, "[1, 2]"),
        (f"{path}:11", f"duplicate id: first seen at {path}:9", "1", LINES[10].decode()),
    ]
    assert [(r.where, r.reason, r.id, r.raw) for r in result.rejects] == want
    written = [json.loads(x) for x in (out / "rejects.jsonl").read_text("utf-8").splitlines()]
    assert [(r["where"], r["reason"], r["id"], r["raw"]) for r in written] == want
    assert result.stats["articles"] == 4  # a, b, d and 1: the first of each id only


@pytest.mark.parametrize("batch_size", [1, 100])
def test_duplicate_ids_across_files_are_located_in_both(tmp_path: Path, batch_size: int) -> None:
    """A repeated id is rejected where it repeats, and the reason names where it was first
    seen, across JSON Lines files and across kinds of input (CSV articles, JSON Lines blocks)."""
    first = tmp_path / "a.jsonl"
    first.write_bytes(_line(id="x", text=TEXT) + b"\n" + _line(id="shared", text=TEXT + " A.") + b"\n")
    table = tmp_path / "b.csv"
    table.write_text(f'id,text\nfrom-csv,"{TEXT} C."\n', encoding="utf-8")
    second = tmp_path / "c.jsonl"
    second.write_bytes(_line(id="y", text=TEXT + " B.") + b"\n" + _line(id="shared", text="again") + b"\n"
                       + _line(id="from-csv", text="again") + b"\n")
    result = copydesk.scan([first, table, second], config=ScanConfig(workers=1, batch_size=batch_size))
    assert [(r.where, r.reason, r.id) for r in result.rejects] == [
        (f"{second}:2", f"duplicate id: first seen at {first}:2", "shared"),
        (f"{second}:3", f"duplicate id: first seen at {table}:2", "from-csv"),
    ]
    assert result.stats["articles"] == 4  # x, shared, from-csv, y
