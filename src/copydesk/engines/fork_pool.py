"""A fork process pool whose worker-handler thread sleeps while results are pending.

The standard :class:`multiprocessing.pool.Pool` has its worker-handler thread (which replaces
workers that exited) wait on the workers' sentinels, its change notifier and the *result
pipe*.  The result pipe stays readable from the moment a worker writes a result until the
result-handler thread has read it, and while it is readable that wait returns at once: the
handler spins — polls every worker's exit status, rebuilds its list of sentinels, waits
again — and takes the GIL from the parent's other threads each time.  In a scan, whose
parent books each result while the next ones arrive, that spin was about half a second of
the parent's CPU at 100,000 articles (py-spy: ``select`` and ``Popen.poll`` under
``Pool._handle_workers``), on a machine whose two cores the workers want.

:class:`ForkPool` leaves the result pipe out of that wait.  A worker that exits is still
seen at once (its sentinel), and the pool's closing and emptying its cache still wake the
handler (the change notifier); only the wake-ups per result are gone.  A pool with
``maxtasksperchild`` replaces its workers the same way (they exit, their sentinels fire).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from multiprocessing.pool import Pool
from typing import Any


class ForkPool(Pool):
    """:class:`multiprocessing.pool.Pool` on the fork start method, its worker handler woken
    by worker exits and pool changes only (see the module docstring)."""

    def __init__(self, processes: int, initializer: Callable[..., Any] | None = None) -> None:
        super().__init__(processes, initializer=initializer, context=mp.get_context("fork"))

    def _get_sentinels(self) -> list[Any]:
        # the base class adds the result pipe (self._outqueue._reader) here
        return [self._change_notifier._reader]  # type: ignore[attr-defined]
