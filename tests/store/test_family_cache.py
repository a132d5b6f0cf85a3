"""The family cache gives the families a fresh clustering gives, whatever it kept."""

from __future__ import annotations

import random
import sqlite3

from copydesk.config import FamilyConfig
from copydesk.families import families
from copydesk.records import Pair, Passage
from copydesk.store.family_cache import FamilyCache, components, keep

SALT = b"test"


def _pairs(rng: random.Random, n: int, m: int) -> list[Pair]:
    out: dict[tuple[str, str], Pair] = {}
    for _ in range(m):
        x, y = rng.sample(range(n), 2)
        a, b = sorted((f"d{x:03d}", f"d{y:03d}"))
        ca, cb = rng.choice([0.2, 0.5, 0.9]), rng.choice([0.3, 0.6, 1.0])
        origin = rng.choice([a, b, None])
        out[(a, b)] = Pair(a, b, "partial", origin, ca, cb, (Passage(0, rng.randint(40, 400), 0, 50),))
    return sorted(out.values(), key=lambda p: (p.a, p.b))


def _db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID")
    return db


def test_components_partition_the_pairs_by_connection() -> None:
    rng = random.Random(5)
    for _ in range(50):
        pairs = _pairs(rng, rng.randint(2, 40), rng.randint(0, 60))
        comps = components(pairs)
        assert sorted(k for c in comps for k in c) == list(range(len(pairs)))
        node = {}
        for n, c in enumerate(comps):
            for k in c:
                for x in (pairs[k].a, pairs[k].b):
                    assert node.setdefault(x, n) == n  # no node in two components


def test_reused_families_equal_a_fresh_clustering() -> None:
    rng = random.Random(7)
    cfg = FamilyConfig()
    reused = 0
    for _ in range(40):
        before = _pairs(rng, 30, rng.randint(5, 50))
        dates = {f"d{i:03d}": rng.choice([None, "2021-01-01", "2021-01-02"]) for i in range(40)}
        db = _db()
        keep(db, SALT, before, families(before, dates, cfg), dates)
        # some pairs dropped or changed, some added: the rest of the graph is unchanged
        now = [p for p in before if rng.random() > 0.1] + _pairs(rng, 40, rng.randint(0, 8))
        now = sorted({(p.a, p.b): p for p in now}.values(), key=lambda p: (p.a, p.b))
        group = FamilyCache(db, SALT)
        assert group(now, dates, cfg) == families(now, dates, cfg)
        assert group.reused + group.clustered == len(components(now))
        reused += group.reused
        # kept under another salt (another release or configuration): nothing reused
        other = FamilyCache(db, b"other")
        assert other(now, dates, cfg) == families(now, dates, cfg) and other.reused == 0
    assert reused  # the cache was used
