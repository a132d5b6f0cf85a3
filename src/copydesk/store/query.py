"""Where did this text come from?  One article against an index, without changing it.

The article is prepared and fingerprinted as a scan would (:func:`copydesk.plan.fingerprint_rows`);
its sampled fingerprints (the quarter kept in ``postings``, outside lines the index learned
as furniture) find the indexed articles that share them; the best of those are aligned with
it and judged (:func:`copydesk.plan.align_pairs`), the furniture the last refresh masked in
each indexed article masked again, as ``copydesk compare --corpus`` does.  The families of
the related articles are then completed: their other members are aligned too, so a story
reprinted by hundreds of outlets is found whole even though its fingerprints are common.

What it does not do: change what the index learned (the article is not part of the
corpus, so it neither adds furniture nor changes other pairs: ``--add`` does that).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..config import ScanConfig
from ..furniture import CodeSet, CodeUnion, in_sorted, pair_codes
from ..plan import align_pairs, fingerprint_rows
from ..records import Article, Pair
from . import postings
from .blobs import unpack_arrays
from .reader import ARTICLE_COLUMNS, article_of

#: articles read per sampled fingerprint (more share it: it is common text, and the first
#: ones stand for the rest through their families)
POSTING_CAP = 200
#: indexed articles aligned with the query at most (by shared fingerprints), and family
#: members of related ones aligned besides
MAX_CANDIDATES = 40
MAX_FAMILY_EXTRA = 60


@dataclass(frozen=True, slots=True)
class IndexFurniture:
    """The line keys the index's last refresh learned as furniture (sorted), and their
    codes for the query article (number 0): read and built once per index state, not per
    query (a million articles' furniture is tens of thousands of keys)."""

    keys: np.ndarray
    query_codes: CodeSet

    @classmethod
    def read(cls, db: sqlite3.Connection) -> IndexFurniture:
        row = db.execute("SELECT value FROM meta WHERE key = 'furniture_keys'").fetchone()
        keys = np.unique(unpack_arrays(row[0])["keys"]) if row else np.zeros(0, np.uint32)
        return cls(keys, CodeSet(pair_codes(np.zeros(len(keys), np.int64), keys)))


def candidates(db: sqlite3.Connection, article: Article, cfg: ScanConfig,
               fkeys: np.ndarray) -> list[int]:
    """Index numbers of the articles sharing sampled fingerprints with ``article``, most
    shared first (``fkeys``: the index's furniture line keys, sorted)."""
    rows = fingerprint_rows([article], cfg)
    sample = postings.sample(rows.h, rows.pos)
    if len(fkeys):
        sample &= ~in_sorted(rows.line_key.astype(fkeys.dtype), fkeys)
    hits: Counter[int] = Counter()
    for found in postings.lookup(db, np.unique(rows.h[sample]).view(np.int64).tolist(), POSTING_CAP):
        hits.update(found)
    return [n for n, _ in sorted(hits.items(), key=lambda x: (-x[1], x[0]))]


def load(db: sqlite3.Connection, numbers: list[int]) -> list[tuple[Article, np.ndarray]]:
    """The live articles of ``numbers`` (retired ones left out) and their masked line keys."""
    out = []
    for n in numbers:
        row = db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE n = ?", (n,)).fetchone()
        if row is None:
            continue
        m = db.execute("SELECT keys FROM masked WHERE n = ?", (n,)).fetchone()
        out.append((article_of(row), np.frombuffer(m[0], np.uint32) if m else np.zeros(0, np.uint32)))
    return out


def judge_against(article: Article, others: list[tuple[Article, np.ndarray]], furniture: IndexFurniture,
                  cfg: ScanConfig) -> list[Pair]:
    """Align ``article`` (its lines whose key the index learned as furniture masked) with each
    of ``others`` (their own masked lines masked); the related pairs."""
    if not others:
        return []
    arts = [article] + [a for a, _ in others]
    theirs = [pair_codes(np.full(len(m), k, np.int64), m) for k, (_, m) in enumerate(others, 1)]
    masked = CodeUnion(furniture.query_codes, CodeSet(np.concatenate(theirs)))
    pairs, _ = align_pairs(arts, np.arange(len(arts)), np.arange(1, len(arts), dtype=np.int64), masked, cfg)
    return pairs


def ranked(pairs: list[Pair], query_id: str) -> list[Pair]:
    """Most of the query's text reused first (then the other side's share, then id)."""
    def key(p: Pair) -> tuple[float, float, str]:
        mine, theirs = (p.coverage_a, p.coverage_b) if p.a == query_id else (p.coverage_b, p.coverage_a)
        return (-mine, -theirs, p.b if p.a == query_id else p.a)
    return sorted(pairs, key=key)


def find(db: sqlite3.Connection, article: Article, cfg: ScanConfig, *, top: int = 10,
         furniture: IndexFurniture | None = None) -> list[Pair]:
    """The indexed articles related to ``article``, as pairs, best first (at most ``top``);
    ``furniture``: the index's, when the caller keeps it between queries."""
    furniture = furniture or IndexFurniture.read(db)
    nums = candidates(db, article, cfg, furniture.keys)
    others = [(a, m) for a, m in load(db, nums[:MAX_CANDIDATES + 1]) if a.id != article.id][:MAX_CANDIDATES]
    seen = {a.id for a, _ in others} | {article.id}
    found = judge_against(article, others, furniture, cfg)
    # the rest of each related article's family
    fams = {f for p in found for (f,) in db.execute(
        "SELECT family FROM family_members WHERE id = ?", (p.b if p.a == article.id else p.a,))}
    extra: list[int] = []
    for f in sorted(fams):
        for (n,) in db.execute("SELECT a.n FROM family_members m JOIN articles a ON a.id = m.id "
                               "WHERE m.family = ?", (f,)):
            extra.append(n)
    more = [(a, m) for a, m in load(db, extra[:MAX_FAMILY_EXTRA + len(seen)]) if a.id not in seen]
    found += judge_against(article, more[:MAX_FAMILY_EXTRA], furniture, cfg)
    return ranked(found, article.id)[:top]
