"""Files read elsewhere (by Spark, from a URI) give the batches and rejects of the same files
read by path: :func:`copydesk.read.file_batches` against :func:`copydesk.read.read_batches`."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from copydesk.cli import main
from copydesk.errors import InputError
from copydesk.read import ArticleBatch, RejectLog, file_batches, is_uri, read_batches
from copydesk.read.jsonl import LineBlock, block_articles
from copydesk.read.remote import local_name


def _records(jobs: list) -> list:
    out = []
    for job in jobs:
        if isinstance(job, LineBlock):
            arts, lines, rejects = block_articles(job)
            out.append((job.where, job.first, arts, lines, rejects))
        else:
            assert isinstance(job, ArticleBatch)
            out.append((list(job), job.wheres))
    return out


def _both(path: Path, size: int = 2) -> tuple[tuple[list, list], tuple[list, list]]:
    here, there = RejectLog(), RejectLog()
    local = _records(list(read_batches([path], rejects=here, size=size)))
    remote = _records(list(file_batches(str(path), path.read_bytes(), size=size, rejects=there)))
    return (local, list(here)), (remote, list(there))


def _lines() -> list[bytes]:
    return [b'{"id": "a", "text": "one"}', b"{not json", b"", b'{"id": "b", "text": 5}',
            b'{"id": "c", "text": "caf\xe9"}', b'{"id": "d", "text": "two", "date": 2024}', b"[1]"]


@pytest.mark.parametrize("ending", [b"\n", b""])
def test_plain_jsonl(tmp_path: Path, ending: bytes) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(_lines()) + ending)
    local, remote = _both(path)
    assert local == remote and local[0]


def test_gzip_with_a_damaged_tail(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl.gz"
    whole = gzip.compress(b"\n".join(_lines() * 20) + b"\n")
    path.write_bytes(whole[: len(whole) - 9])  # truncated: the reader rejects the tail
    local, remote = _both(path, size=5)
    assert local == remote
    assert any(r.reason.startswith("unreadable gzip") for r in local[1])


def test_zstd(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    path = tmp_path / "x.jsonl.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(b"\n".join(_lines()) + b"\n"))
    assert _both(path)[0] == _both(path)[1]


def test_parquet(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "x.parquet"
    pq.write_table(pa.table({"id": ["a", "b", None, "a"], "text": ["one", "", "three", "four"],
                             "date": ["2024-01-01", None, None, "x"]}), path)
    local, remote = _both(path)
    assert local == remote and len(local[1]) == 3  # no id, empty text, a repeated id


def test_empty_and_unknown(tmp_path: Path) -> None:
    empty = tmp_path / "e.jsonl"
    empty.write_bytes(b"")
    local, remote = _both(empty)
    assert local == remote and [r.reason for r in local[1]] == ["empty file"]
    with pytest.raises(InputError, match="unknown input format"):
        list(file_batches("x.csv.bak", b"a", size=2, rejects=RejectLog()))
    log = RejectLog()
    assert not list(file_batches("d/x.bak", b"a", size=2, rejects=log, listed=True))
    assert [r.reason.split(";")[0] for r in log] == ["skipped: unknown file type (.bak)"]
    with pytest.raises(InputError, match="not read from a URI"):
        list(file_batches("x.csv", b"id,text\n", size=2, rejects=RejectLog()))
    with pytest.raises(InputError, match="not a gzip file"):
        list(file_batches("x.jsonl.gz", b"{}", size=2, rejects=RejectLog()))


def test_names() -> None:
    assert is_uri("s3a://bucket/a.jsonl") and is_uri("file:///tmp/a.jsonl")
    assert not is_uri("a.jsonl") and not is_uri(Path("/tmp/a")) and not is_uri("C:/x")
    assert local_name("file:/tmp/a%20b/c.jsonl") == "/tmp/a b/c.jsonl"
    assert local_name("file:///tmp/c.jsonl") == "/tmp/c.jsonl"
    assert local_name("hdfs://nn:8020/c.jsonl") == "hdfs://nn:8020/c.jsonl"


def test_local_engine_refuses_a_uri(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "one"}) + "\n")
    code = main(["scan", path.as_uri(), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "--engine spark" in err
    assert not (tmp_path / "out").exists()
