"""spill: partitioned fingerprint rows and the article spill round-trip exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from copydesk.records import Article
from copydesk.spill import (
    JSON_LINE,
    PACKED,
    ArticleStore,
    PartitionedSpill,
    SharedSpill,
    append_file,
    pack,
    partition_rows,
    partition_rows_reference,
    read_partition,
)

_COLS = {"h": np.uint64, "d": np.uint32, "p": np.uint32}


@pytest.mark.parametrize("parts", [1, 4, 16])
def test_partitioned_spill_keeps_every_row(tmp_path: Path, parts: int) -> None:
    rng = np.random.default_rng(parts)
    spill = PartitionedSpill(tmp_path / "fp", _COLS, parts=parts, buffer_rows=1000)
    rows = []
    for _ in range(7):
        h = rng.integers(0, 2**64 - 1, 900, dtype=np.uint64)
        d = rng.integers(0, 2**32 - 1, 900, dtype=np.uint64).astype(np.uint32)
        pos = rng.integers(0, 5000, 900).astype(np.uint32)
        spill.add((h % np.uint64(parts)).astype(np.int64), h=h, d=d, p=pos)
        rows += list(zip(h.tolist(), d.tolist(), pos.tolist(), strict=True))
    got = []
    for part in spill.partitions():
        h = part["h"]
        assert len(np.unique(h % np.uint64(parts))) == 1  # one partition per read
        assert all(part[c].flags.c_contiguous and part[c].dtype == _COLS[c] for c in _COLS)
        got += list(zip(h.tolist(), part["d"].tolist(), part["p"].tolist(), strict=True))
    assert sorted(got) == sorted(rows)
    assert spill.rows == len(rows)
    assert not spill.dir.exists()  # removed once every partition is read


def test_shared_spill_reads_a_partition_from_every_writer(tmp_path: Path) -> None:
    shared = SharedSpill(tmp_path / "s", _COLS, parts=4)
    other = PartitionedSpill(shared.dir / "w-other", _COLS, parts=4)  # as another process would
    for spill, base in ((shared.writer(), 0), (other, 100)):
        h = np.arange(base, base + 8, dtype=np.uint64)
        spill.add_grouped(np.array([0, 2, 4, 6, 8]), h=h, d=h.astype(np.uint32), p=h.astype(np.uint32))
        spill.flush()
    assert shared.writer() is shared.writer()
    got = shared.read(1)
    assert got is not None and sorted(got["h"].tolist()) == [2, 3, 102, 103]
    assert all(got[c].flags.c_contiguous and got[c].dtype == _COLS[c] for c in _COLS)
    assert shared.read(1) is not None  # reading leaves the rows in place ...
    assert shared.read(3) is not None and shared.read(5) is None
    shared.remove()
    assert not shared.dir.exists()  # ... until the spill is removed


def test_article_store_round_trip(tmp_path: Path) -> None:
    arts = [Article("a", "plain text"), Article("b\u00e9", "caf\u00e9 \u201cquoted\u201d\n\nline", "T", "2020-01-02"),
            Article("c", "x" * 10000, None, None)]
    store = ArticleStore(tmp_path / "store")
    packed = [pack(a) for a in arts]
    name, base = append_file(store.dir, b"".join(packed))
    ends = np.cumsum([len(p) for p in packed])
    store.add(name, base, np.concatenate(([0], ends[:-1])), ends, PACKED)
    lines = [b'{"id": "j1", "text": "from a line", "title": "T1"}\n', b"\n",
             b'\xef\xbb\xbf{"id": "j2", "text": "second", "date": "2021-03-04"}\r\n']
    name2, base2 = append_file(store.dir, b"".join(lines))
    assert name2 == name and base2 == ends[-1]  # one file per process, appended
    store.add(name2, base2, np.array([0, len(lines[0]) + 1]),
              np.array([len(lines[0]), sum(map(len, lines))]), JSON_LINE)
    reader = store.reader()
    assert len(reader) == 5
    for i in (2, 0, 1, 1):
        got = reader.get(i)
        assert (got.id, got.text, got.title, got.date) == (arts[i].id, arts[i].text, arts[i].title, arts[i].date)
    j1, j2 = reader.get(3), reader.get(4)
    assert (j1.id, j1.text, j1.title) == ("j1", "from a line", "T1")
    assert (j2.id, j2.text, j2.date) == ("j2", "second", "2021-03-04")
    assert reader.raw_text(3) == lines[0].decode().rstrip("\n")


def test_store_reader_closes_its_files(tmp_path) -> None:
    import os

    from copydesk.spill import PACKED, ArticleStore, append_file, pack

    store = ArticleStore(tmp_path / "store")
    data = pack(Article("a", "some text"))
    name, base = append_file(store.dir, data)
    store.add(name, base, np.array([0]), np.array([len(data)]), PACKED)
    reader = store.reader()
    assert reader.get(0).text == "some text"
    fds = list(reader._open.values())
    reader.close()
    for fd in fds:
        with pytest.raises(OSError):
            os.fstat(fd)
    assert reader.get(0).id == "a"  # reopens on demand
    reader.close()


@pytest.mark.parametrize("parts", [1, 2, 64])
@pytest.mark.parametrize("n", [0, 1, 500])
def test_partition_rows_is_the_reference(parts: int, n: int) -> None:
    rng = np.random.default_rng(n + parts)
    h = rng.integers(0, 2**64 - 1, n, dtype=np.uint64)
    d = rng.integers(0, 2**32 - 1, n, dtype=np.uint64).astype(np.uint32)
    p = rng.integers(0, 5000, n).astype(np.uint32)
    k = rng.integers(0, 2**32 - 1, n, dtype=np.uint64).astype(np.uint32)
    fast, ref = partition_rows(h, d, p, k, parts), partition_rows_reference(h, d, p, k, parts)
    for x, y in zip(fast, ref, strict=True):
        assert x.dtype == y.dtype and np.array_equal(x, y)


def test_write_grouped_is_add_grouped_and_flush(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    spills = [PartitionedSpill(tmp_path / name, _COLS, parts=8) for name in ("a", "b")]
    for _ in range(3):
        h = rng.integers(0, 2**64 - 1, 300, dtype=np.uint64)
        d = rng.integers(0, 2**32 - 1, 300, dtype=np.uint64).astype(np.uint32)
        p = rng.integers(0, 5000, 300).astype(np.uint32)
        h, d, p, _, bounds = partition_rows(h, d, p, p, 8)
        spills[0].add_grouped(bounds, h=h, d=d, p=p)
        spills[0].flush()
        spills[1].write_grouped(bounds, h=h, d=d, p=p)
    for s in spills:
        s.close()
    assert spills[0].rows == spills[1].rows == 900
    for name in ("h.col", "d.col", "p.col", "index.bin"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    for q in range(8):
        a, b = (read_partition([s.dir], q, spills[0].columns) for s in spills)
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert all(np.array_equal(a[c], b[c]) for c in _COLS)
