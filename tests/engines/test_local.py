"""The local engine's books: what the workers compute for the parent equals what the parent
would compute itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from copydesk import Article, ScanConfig
from copydesk.engines.local import _warm_up, prepare_corpus
from copydesk.plan import date_counts, id_rank


def _articles() -> list[list[Article]]:
    dates = [None, "", "  ", "2024-03-01", "2024-03-01T10:00:00Z", "4 July 2017", "not a date",
             "2024-13-45", "yesterday-ish", "July 4, 2017"]
    text = "The council approved the new budget on Tuesday after a long debate about roads. "
    arts = [Article(f"id-{n % 23}", text * (1 + n % 3) + f"Item {n}.", date=dates[n % len(dates)])
            for n in range(60)]  # ids repeat: the repeats are rejected and must not be counted
    return [arts[:25], arts[25:]]


@pytest.mark.parametrize("workers", [1, 2])
def test_worker_books_equal_the_parents(tmp_path: Path, workers: int) -> None:
    cfg = ScanConfig(workers=workers, batch_size=40)
    _warm_up(cfg)
    corpus, _, _ = prepare_corpus(_articles(), cfg, tmp_path)
    assert len(corpus.ids) == 23 and len(corpus.rejects) == 60 - 23
    assert np.array_equal(corpus.id_rank(), id_rank(corpus.ids))
    assert corpus.date_counts() == date_counts(corpus.dates)
    assert corpus.date_counts()["dates_missing"] > 0 and corpus.date_counts()["dates_unusable"] > 0
    # without the workers' books (another runner's corpus), the same from the ids and dates
    corpus.id_hash, corpus.date_flag = [], []
    assert np.array_equal(corpus.id_rank(), id_rank(corpus.ids))
    assert corpus.date_counts() == date_counts(corpus.dates)
