"""The local engine's books: what the workers compute for the parent equals what the parent
would compute itself."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from copydesk import Article, ScanConfig
from copydesk.engines.local import (
    _Prepared,
    _stash,
    _unstash,
    _warm_up,
    forked,
    prepare_corpus,
    threaded,
)
from copydesk.plan import date_counts, id_rank, learn_furniture
from copydesk.prepare_batch import line_rows, prepare_batch
from textgen import paragraph


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


def _furniture_corpus() -> list[Article]:
    """Pages with site furniture (a cookie notice, a footer), a bio under two pieces of one
    site beside the same furniture, captions with other credits, links and teasers."""
    rng = random.Random(3)
    cookie = "We use cookies to personalise content and ads. By continuing you accept our cookie policy."
    footer = "Northgate Post, part of Northgate Media Group. Terms and privacy notice apply here."
    bio = "Jo Hart covers the courts for the Northgate Post. She joined in 1998 from an agency."
    caption = "The stadium on match day. Photo: "

    def body(n: int) -> str:
        return "\n\n".join(paragraph(rng, rng.randint(14, 30)) for _ in range(n))

    arts = []
    for n in range(8):
        extra = [bio] if n < 2 else []
        arts.append(Article(f"ng-{n}", "\n\n".join([cookie, body(4), *extra, "Related stories", footer]),
                            title=f"Northgate story number {n} today", source="northgate"))
    for n, credit in enumerate(["Rex Features", "Getty Images", "Jo Hart", "PA", "AFP", "Reuters"]):
        arts.append(Article(f"cap-{n}", f"{caption}{credit}\n\n{body(3)}", source=f"site-{n}"))
    story = Article("story", body(5), title="Minister resigns over expenses row")
    lede = story.text.split("\n\n")[0]
    arts += [story, Article("page", f"{body(4)}\n\nMost read\n1. Minister resigns over expenses row\n{lede}")]
    return arts


@pytest.mark.parametrize("spawn", [forked, threaded])
def test_furniture_learned_in_forked_parts_is_the_same(spawn: Any) -> None:
    arts = _furniture_corpus()
    batch = prepare_batch(arts)
    (key, marks, doc, weight, line), links = line_rows(batch)
    sites = {s: n for n, s in enumerate(sorted({a.source for a in arts if a.source}))}
    site = np.array([sites.get(arts[d].source or "", -1) for d in doc.tolist()], np.int64)
    ok = batch.title_key != 0
    titles = (batch.title_key[ok], np.flatnonzero(ok))
    rank = id_rank([a.id for a in arts])
    rows = (key, marks, doc.astype(np.int64), site, weight, line)
    cfg = ScanConfig()
    here = learn_furniture(rows, links, titles, cfg, rank=rank)
    there = learn_furniture(rows, links, titles, cfg, rank=rank, spawn=spawn)
    assert len(here) and here.links  # the corpus has furniture of each kind
    for name in ("codes", "keys", "carriers", "masked", "sites", "example_doc", "example_line", "docs"):
        assert np.array_equal(getattr(here, name), getattr(there, name)), name
    assert here.links == there.links and here.link_records == there.link_records


def _fails() -> None:
    raise ValueError("from the child")


@pytest.mark.parametrize("spawn", [forked, threaded])
def test_forked_returns_the_result_or_raises_the_error(spawn: Any) -> None:
    data = np.arange(10)
    assert spawn(lambda: int(data.sum()))() == 45  # a closure: nothing pickled on the way in
    with pytest.raises(ValueError, match="from the child"):
        spawn(_fails)()


def test_a_batch_stash_reads_back_equal_and_writable(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    arrays = [rng.integers(0, 2**63, 5, dtype=np.uint64), rng.integers(0, 2**32, (5, 6), dtype=np.uint32),
              np.arange(5, dtype=np.int32), np.arange(5, dtype=np.int32), np.arange(5, dtype=np.int32),
              np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.uint64), np.zeros((0, 9), np.uint64),
              np.array([7], np.uint64), np.array([2]), np.arange(3), np.ones(3, np.uint64),
              np.array([0, 1, 2], np.int8)]
    res = _Prepared(["a"], [None], None, [], [0], ("", 0, np.zeros(1), np.zeros(1), 0), [None], None, None, 1, None,
                    stash=_stash(str(tmp_path / "rows-0.bin"), arrays))
    _unstash(res)
    assert res.stash is None and not (tmp_path / "rows-0.bin").exists()
    assert res.rows is not None and res.nfp is not None
    back = [*res.rows[0], *res.rows[1], *res.titles, res.nfp, res.id_hash, res.date_flag]
    for a, b in zip(arrays, back, strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b) and b.flags.writeable


def _worker_pid(codes: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Stands in for the align pass's chunk job: which worker ran it."""
    import os

    return [os.getpid()], np.zeros(0, np.int64)


def test_the_align_round_pool_is_kept_for_the_next_round_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import copydesk.engines.local as local
    from copydesk.furniture import CodeSet

    monkeypatch.setattr(local, "_align_codes", _worker_pid)  # (before the pools fork)
    codes = np.arange(1000, dtype=np.int64)  # enough for the pool (> 200 pairs)
    aligner = local.PoolAligner(ScanConfig(workers=2), None, CodeSet(np.zeros(0, np.uint64)))
    try:
        first = set(aligner(codes, "align"))
        assert aligner._open is not None  # kept for the next round
        kept = {w.pid for w in aligner._open._pool}  # its workers (one may have run every chunk)
        assert first <= kept
        again = set(aligner(codes, "align+"))
        assert again <= kept  # the same workers
        assert aligner._open is None  # closed after it
        last = set(aligner(codes, "families"))
        assert not last & kept and aligner._open is None
        # a first round whose workers judge reworded candidates: its pool is not the next one's
        reworded = local.PoolAligner(ScanConfig(workers=2), None, CodeSet(np.array([7], np.uint64)))
        first = set(reworded(codes, "align"))
        assert not set(reworded(codes, "align+")) & first
    finally:
        aligner.close()


def _collector_state(codes: np.ndarray) -> tuple[list[bool], np.ndarray]:
    """Stands in for the align pass's chunk job: is the worker's collector on?"""
    import gc

    return [gc.isenabled()], np.zeros(0, np.int64)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("enabled", [True, False])
def test_the_align_pass_leaves_the_collector_as_it_found_it(monkeypatch: pytest.MonkeyPatch, workers: int,
                                                            enabled: bool) -> None:
    import gc

    import copydesk.engines.local as local

    monkeypatch.setattr(local, "_align_codes", _collector_state)  # (before the pool forks)
    codes = np.arange(1200, dtype=np.int64)  # enough for the pool (> 200 pairs)
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        out = local._align_pass(codes, workers, None, "align")
        assert gc.isenabled() == enabled
        # in-process (one worker) the chunks run with the collector as it was
        assert len(out) == 2 and (workers > 1 or out == [enabled, enabled])
    finally:
        if was:
            gc.enable()
