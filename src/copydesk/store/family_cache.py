"""Families of the pair graph's components that did not change since the last refresh,
reused instead of clustered again.

Clustering (:func:`copydesk.families.cluster`) merges groups only along pairs, taking pairs
strongest first with ties broken by ids, so the families inside one connected component of
the related pairs depend on that component's pairs and its members' dates alone, not on the
rest of the graph.  A component is known by a digest of everything the clustering and the
origin rule read (each pair's ids, coverages, passage extent in ``a`` and origin, each
member's date); the last refresh kept the families of each component of its final pairs
under that digest, and a component with the same digest now has the same families.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import orjson

from ..config import FamilyConfig
from ..families import families
from ..records import Family, Pair

#: meta key of the kept families by component digest
KEY = "family_components"


def components(pairs: Sequence[Pair]) -> list[list[int]]:
    """The connected components of the graph of ``pairs``, as lists of pair indexes (by
    label propagation with pointer jumping: each node ends with the smallest node number of
    its component)."""
    number: dict[str, int] = {}
    a = np.fromiter((number.setdefault(p.a, len(number)) for p in pairs), np.int64, len(pairs))
    b = np.fromiter((number.setdefault(p.b, len(number)) for p in pairs), np.int64, len(pairs))
    label = np.arange(len(number))
    while True:
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]
        if np.array_equal(new, label):
            break
        label = new
    comp = label[a]
    order = np.argsort(comp, kind="stable")
    bounds = [0, *(np.flatnonzero(np.diff(comp[order])) + 1).tolist(), len(order)]
    ks = order.tolist()
    return [ks[x:y] for x, y in zip(bounds[:-1], bounds[1:], strict=True)] if ks else []


def digest(pairs: Sequence[Pair], dates: Mapping[str, str | None]) -> str:
    """What the families of one component depend on, hashed."""
    rows = sorted((p.a, p.b, p.coverage_a, p.coverage_b, sum(x.a_end - x.a_start for x in p.passages), p.origin)
                  for p in pairs)
    members = sorted({x for p in pairs for x in (p.a, p.b)})
    raw = orjson.dumps([rows, [(m, dates.get(m)) for m in members]])
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _family(rec: list[Any]) -> Family:
    return Family(rec[0], tuple(rec[1]), rec[2])


class FamilyCache:
    """``group(pairs, dates, config)`` for :func:`copydesk.plan.relate_and_group` that
    reuses the kept families of unchanged components; counts what it reused."""

    def __init__(self, conn: sqlite3.Connection, salt: bytes) -> None:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
        state = orjson.loads(row[0]) if row else {}
        # kept by another release or configuration: clustered again
        self.kept: dict[str, list[Any]] = state.get("components", {}) if state.get("salt") == salt.hex() else {}
        self.reused = self.clustered = 0

    def __call__(self, pairs: list[Pair], dates: Mapping[str, str | None], config: FamilyConfig) -> list[Family]:
        out: list[Family] = []
        for comp in components(pairs):
            some = [pairs[k] for k in comp]
            known = self.kept.get(digest(some, dates))
            if known is not None:
                out += [_family(f) for f in known]
                self.reused += 1
            else:
                out += families(some, dates, config)
                self.clustered += 1
        return sorted(out, key=lambda f: f.family)


def keep(conn: sqlite3.Connection, salt: bytes, pairs: Sequence[Pair], fams: Sequence[Family],
         dates: Mapping[str, str | None]) -> None:
    """Keep the families of each component of ``pairs`` (a refresh's final pairs and
    families) for the next refresh."""
    family_of = {m: f for f in fams for m in f.members}
    kept: dict[str, list[Any]] = {}
    for comp in components(pairs):
        some = [pairs[k] for k in comp]
        members = {x for p in some for x in (p.a, p.b)}
        found = {family_of[m].family: family_of[m] for m in members if m in family_of}
        kept[digest(some, dates)] = [[f.family, list(f.members), f.origin] for f in found.values()]
    state = {"salt": salt.hex(), "components": kept}
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (KEY, orjson.dumps(state).decode()))
