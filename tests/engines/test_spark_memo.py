"""The executors' broadcast memo: rebuilt for every new broadcast value, never stale."""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass
from typing import Any

from copydesk.engines.spark.memo import BroadcastMemo


@dataclass
class _Bc:
    value: Any


class _Value:
    def __init__(self, n: int) -> None:
        self.n = n


def test_memo_builds_once_per_value_and_rebuilds_for_a_new_one() -> None:
    built: list[int] = []

    def build(v: _Value) -> int:
        built.append(v.n)
        return v.n * 10

    memo = BroadcastMemo(build)
    first = _Bc(_Value(1))
    assert memo(first) == 10 and memo(first) == 10 and built == [1]
    assert memo(_Bc(_Value(2))) == 20 and built == [1, 2]


def test_memo_keeps_its_value_alive_so_a_later_broadcast_cannot_take_its_identity() -> None:
    """The old memo keyed by id(value): once a round's value was freed, the next round's
    value could be allocated at the same address and be handed the old round's chunks."""
    memo = BroadcastMemo(lambda v: v.n)
    value = _Value(1)
    ref = weakref.ref(value)
    assert memo(_Bc(value)) == 1
    del value
    gc.collect()
    assert ref() is not None  # held by the memo: its id cannot recur while it is current
    for n in range(2, 200):  # many short-lived rounds: each answer is its own round's
        assert memo(_Bc(_Value(n))) == n
