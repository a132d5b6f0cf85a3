"""Frozen records passed between pipeline stages.

Every stage takes and returns these (or numpy arrays), so the CLI, the library API and later
engines share one vocabulary.  Ids are always the user's own ids, never positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

RELATIONS = ("duplicate", "near_duplicate", "contained", "partial")


@dataclass(frozen=True, slots=True)
class Article:
    """One input article.  ``text`` is kept exactly as supplied: all offsets point into it."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


class Passage(NamedTuple):
    """A shared passage: character offsets into the original texts of a and b, end exclusive.
    (A named tuple: scans create and pickle tens of thousands of these.)"""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    #: how the text was reused: ``verbatim`` (identical words), ``edited`` (small edits
    #: inside: a respelled name, a changed time word) or ``paraphrase`` (reworded sentences
    #: paired by :mod:`copydesk.paraphrase`)
    kind: str = "verbatim"

    def to_dict(self) -> dict[str, int | str]:
        return {"a_start": self.a_start, "a_end": self.a_end,
                "b_start": self.b_start, "b_end": self.b_end, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Pair:
    """A related pair, ``a < b`` in string order (FORMATS.md)."""

    a: str
    b: str
    relation: str
    origin: str | None
    coverage_a: float
    coverage_b: float
    passages: tuple[Passage, ...]
    origin_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return self.row(round(self.coverage_a, 4), round(self.coverage_b, 4))

    def row(self, coverage_a: float, coverage_b: float) -> dict[str, Any]:
        """:meth:`to_dict` given its coverages (rounded to 4 places: see
        :func:`copydesk.write.round4`, which rounds many at once)."""
        return {"a": self.a, "b": self.b, "relation": self.relation, "origin": self.origin,
                "coverage_a": coverage_a, "coverage_b": coverage_b,
                # Passage.to_dict of each passage, unpacked here (no call a passage)
                "passages": [{"a_start": s, "a_end": e, "b_start": bs, "b_end": be, "kind": kind}
                             for s, e, bs, be, kind in self.passages],
                "origin_reason": self.origin_reason}

    def __reduce__(self) -> tuple[Any, ...]:
        return Pair, (self.a, self.b, self.relation, self.origin, self.coverage_a, self.coverage_b,
                      self.passages, self.origin_reason)


@dataclass(frozen=True, slots=True)
class Family:
    """A reuse family of two or more articles and its judged original."""

    family: str
    members: tuple[str, ...]
    origin: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"family": self.family, "members": list(self.members), "origin": self.origin}


@dataclass(frozen=True, slots=True)
class Reject:
    """An input record that could not be used, and why.  Written to ``rejects.jsonl``."""

    where: str  # "file:line" or a path
    reason: str
    id: str | None = None
    raw: str | None = None  # the offending input, possibly truncated

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "reason": self.reason, "id": self.id, "raw": self.raw}
