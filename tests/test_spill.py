"""spill: partitioned fingerprint rows and the article spill round-trip exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from copydesk.records import Article
from copydesk.spill import ArticleSpill, FingerprintSpill


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


def test_article_spill_round_trip(tmp_path: Path) -> None:
    arts = [Article("a", "plain text"), Article("b\u00e9", "caf\u00e9 \u201cquoted\u201d\n\nline", "T", "2020-01-02"),
            Article("c", "x" * 10000, None, None)]
    spill = ArticleSpill(tmp_path / "a.jsonl")
    for a in arts:
        spill.add(a)
    reader = spill.reader()
    assert len(spill) == 3
    for i in (2, 0, 1, 1):
        got = reader.get(i)
        assert (got.id, got.text, got.title, got.date) == (arts[i].id, arts[i].text, arts[i].title, arts[i].date)
