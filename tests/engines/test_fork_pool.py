"""The scan's fork pool: the standard pool's results, without a worker-handler wake-up per
result, and a worker that dies is still replaced."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from multiprocessing.pool import Pool
from typing import Any

import pytest

from copydesk.engines.fork_pool import ForkPool

pytestmark = pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="needs fork")


def _square(x: int) -> int:
    return x * x


def test_results_as_the_standard_pool() -> None:
    with ForkPool(2) as pool:
        assert pool.map(_square, range(50)) == [x * x for x in range(50)]
        assert [pool.apply_async(_square, (x,)).get() for x in range(5)] == [0, 1, 4, 9, 16]
        assert list(pool.imap(_square, range(7))) == [x * x for x in range(7)]


def _handler_rounds(make: Any, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many rounds the worker handler runs (each waits, then checks the workers) while a
    pool made by ``make`` runs 300 tasks queued at once (the cache never empty until the
    end, as in a scan, which keeps several batches queued)."""
    rounds = [0]
    maintain = Pool._maintain_pool  # type: ignore[attr-defined]

    def counting(*args: Any) -> None:
        rounds[0] += 1
        maintain(*args)

    # the handler thread calls Pool._maintain_pool whatever the pool's class
    monkeypatch.setattr(Pool, "_maintain_pool", staticmethod(counting))
    with make() as pool:
        pending = [pool.apply_async(_square, (x,)) for x in range(300)]
        busy = time.monotonic() + 0.3
        while time.monotonic() < busy:  # this thread holds the GIL as a scan's parent does
            sum(range(1000))
        assert [r.get() for r in pending] == [x * x for x in range(300)]
        pool.close()
        pool.join()
    monkeypatch.undo()
    return rounds[0]


def test_no_handler_round_per_result(monkeypatch: pytest.MonkeyPatch) -> None:
    # the standard pool's handler runs a round each time it finds a result unread in the
    # pipe: from a few to hundreds here, depending on timing (Pool(2, context=fork) in
    # place of ForkPool(2) below); ours one for each change of the pool (start, cache
    # emptied, close)
    assert _handler_rounds(lambda: ForkPool(2), monkeypatch) <= 10


def _die(_: int) -> None:
    os._exit(1)


def test_a_dead_worker_is_replaced() -> None:
    with ForkPool(2) as pool:
        before = {p.pid for p in pool._pool}  # type: ignore[attr-defined]
        pool.apply_async(_die, (0,))  # (never answers: its worker is gone)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the handler sees the exit and forks a new worker
            pids = {p.pid for p in pool._pool}  # type: ignore[attr-defined]
            if len(pids - before) == 1 and len(pids) == 2:
                break
            time.sleep(0.02)
        assert len({p.pid for p in pool._pool} - before) == 1  # type: ignore[attr-defined]
        assert pool.map(_square, range(10)) == [x * x for x in range(10)]
