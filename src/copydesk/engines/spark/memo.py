"""What an executor derives from a broadcast value, built once per Python worker.

A worker runs many tasks of many jobs.  The memo keeps the broadcast value it was built
from and compares by identity: holding the value keeps its ``id`` from being reused by a
later broadcast (a memo keyed by ``id(value)`` alone once handed a task the chunks of an
earlier round)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class BroadcastMemo(Generic[T]):
    """``memo(bc)`` → ``build(bc.value)``, rebuilt only when the broadcast value changes."""

    def __init__(self, build: Callable[[Any], T]) -> None:
        self._build = build
        self._value: Any = None
        self._got: T | None = None

    def __call__(self, bc: Any) -> T:
        value = bc.value
        if self._got is None or self._value is not value:
            self._got = None  # never hand out a half-built memo
            got = self._build(value)
            self._value, self._got = value, got
        return self._got
