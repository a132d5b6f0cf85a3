"""spill: partitioned fingerprint rows and the article spill round-trip exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from copydesk.records import Article
from copydesk.spill import JSON_LINE, PACKED, ArticleStore, FingerprintSpill, append_file, pack


@pytest.mark.parametrize("parts", [1, 4, 16])
def test_fingerprint_spill_keeps_every_row(tmp_path: Path, parts: int) -> None:
    rng = np.random.default_rng(parts)
    spill = FingerprintSpill(tmp_path / "fp", parts=parts, buffer_rows=1000)
    rows = []
    for _ in range(7):
        h = rng.integers(0, 2**64 - 1, 900, dtype=np.uint64)
        d = rng.integers(0, 2**32 - 1, 900, dtype=np.uint64).astype(np.uint32)
        pos = rng.integers(0, 5000, 900).astype(np.uint32)
        spill.add_rows(h, d, pos)
        rows += list(zip(h.tolist(), d.tolist(), pos.tolist(), strict=True))
    got = []
    for part in spill.partitions():
        h = part["h"]
        if parts > 1:  # one partition holds one range of top bits
            assert len(np.unique(h >> np.uint64(64 - (parts.bit_length() - 1)))) == 1
        got += list(zip(h.tolist(), part["d"].tolist(), part["p"].tolist(), strict=True))
    assert sorted(got) == sorted(rows)
    assert spill.rows == len(rows)


def test_fingerprint_spill_rejects_odd_partition_counts(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        FingerprintSpill(tmp_path, parts=3)


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


def test_sorted_rows_land_in_their_partitions(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    h = np.sort(rng.integers(0, 2**64 - 1, 5000, dtype=np.uint64))
    d = rng.integers(0, 1000, 5000).astype(np.uint32)
    p = rng.integers(0, 1000, 5000).astype(np.uint32)
    a, b = FingerprintSpill(tmp_path / "a", parts=8), FingerprintSpill(tmp_path / "b", parts=8)
    a.add_rows(h, d, p)
    b.add_sorted_rows(h, d, p)
    for x, y in zip(a.partitions(), b.partitions(), strict=True):
        for col in "hdp":
            assert np.array_equal(np.sort(x[col]), np.sort(y[col]))
