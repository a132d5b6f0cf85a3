"""The views above the pairs: which pairs get a page, each family's timeline and each
member's link to its parent, and the index's counts.  Pure data (see :mod:`.pairview`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..records import RELATIONS, Family, Pair
from ..relate import parse_date
from .data import Meta
from .names import family_file, pair_file


@dataclass(frozen=True, slots=True)
class Member:
    """A family member as its page shows it: how it relates to its parent."""

    article: Meta
    is_origin: bool
    parent: str | None  # the member it is linked to (the origin when they were paired)
    pair: Pair | None  # the pair (member, parent)
    coverage: float | None  # share of this member's text shared with the parent
    via_origin: bool  # the parent is the family's origin


@dataclass(slots=True)
class FamilyView:
    family: Family
    file: str
    members: list[Member]
    pairs: list[Pair]
    dated: bool  # at least one member has a usable date


@dataclass(slots=True)
class Plan:
    """Which pairs get a page (at most ``max_pairs``), and the pairs by family."""

    pages: dict[tuple[str, str], str]  # (a, b) -> file
    family_of: dict[str, str]
    by_family: dict[str, list[Pair]]
    max_pairs: int
    left_out: int = 0
    families_cut: list[str] = field(default_factory=list)


def date_key(value: str | None) -> tuple[int, datetime]:
    """Sort key: usable dates first, in time order (a bare date as its midnight)."""
    d = parse_date(value)
    if d is None:
        return (1, datetime.min)
    if not isinstance(d, datetime) and isinstance(d, date):
        d = datetime(d.year, d.month, d.day)
    return (0, d)


def _share(pair: Pair, member: str) -> float:
    return pair.coverage_a if pair.a == member else pair.coverage_b


def _other(pair: Pair, member: str) -> str:
    return pair.b if pair.a == member else pair.a


def pairs_by_member(pairs: Sequence[Pair]) -> dict[str, list[Pair]]:
    """Each article's pairs."""
    out: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        out[p.a].append(p)
        out[p.b].append(p)
    return out


def parent_pair(member: str, origin: str | None, mine: Sequence[Pair]) -> Pair | None:
    """The pair that explains ``member`` (``mine``: its pairs in the family): with the
    origin when they were paired; else with a member judged its source (the pair's origin
    is the other side); else its strongest pair.  None for the origin, or without pairs."""
    if member == origin:
        return None
    direct = [p for p in mine if _other(p, member) == origin]
    if direct:
        return direct[0]
    sourced = [p for p in mine if p.origin is not None and p.origin != member]
    pool = sourced or mine
    return max(pool, key=lambda p: (_share(p, member), _other(p, member)), default=None)


def plan_pages(pairs: Sequence[Pair], families: Sequence[Family], max_pairs: int) -> Plan:
    """Pages go first to the pair linking each member to its parent (smaller families
    first), then to the other pairs of the smaller families, up to ``max_pairs``."""
    family_of = {m: f.family for f in families for m in f.members}
    size = {f.family: len(f.members) for f in families}
    by_family: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        by_family[family_of.get(p.a, family_of.get(p.b, ""))].append(p)

    def fam_size(p: Pair) -> tuple[int, str]:
        fid = family_of.get(p.a, family_of.get(p.b, ""))
        return (size.get(fid, 2), fid)

    first: list[Pair] = []
    seen: set[tuple[str, str]] = set()
    for f in sorted(families, key=lambda f: (len(f.members), f.family)):
        mine = pairs_by_member(by_family.get(f.family, []))
        for m in f.members:
            pp = parent_pair(m, f.origin, mine.get(m, []))
            if pp is not None and (pp.a, pp.b) not in seen:
                seen.add((pp.a, pp.b))
                first.append(pp)
    rest = sorted((p for p in pairs if (p.a, p.b) not in seen), key=lambda p: (fam_size(p), p.a, p.b))
    chosen = (first + rest)[:max(max_pairs, 0)]
    pages = {(p.a, p.b): pair_file(p.a, p.b) for p in chosen}
    cut = sorted({fid for fid, ps in by_family.items() if any((p.a, p.b) not in pages for p in ps)})
    return Plan(pages, family_of, dict(by_family), max_pairs, len(pairs) - len(pages), cut)


def family_view(fam: Family, pairs: Sequence[Pair], articles: Mapping[str, Meta]) -> FamilyView:
    """Members on a timeline: the origin first, then by date (undated last), then by id."""
    members = []
    mine = pairs_by_member(pairs)
    for m in fam.members:
        pp = parent_pair(m, fam.origin, mine.get(m, []))
        parent = _other(pp, m) if pp is not None else None
        members.append(Member(articles[m], m == fam.origin, parent, pp,
                              _share(pp, m) if pp is not None else None,
                              parent is not None and parent == fam.origin))
    members.sort(key=lambda x: (not x.is_origin, date_key(x.article.date), x.article.id))
    dated = any(parse_date(x.article.date) is not None for x in members)
    pairs = sorted(pairs, key=lambda p: (RELATIONS.index(p.relation) if p.relation in RELATIONS
                                         else len(RELATIONS), p.a, p.b))
    return FamilyView(fam, family_file(fam.family), members, list(pairs), dated)


def index_counts(pairs: Sequence[Pair], families: Sequence[Family],
                 run: Mapping[str, Any]) -> dict[str, Any]:
    """Counts for the index: pairs by relation, families by size, the run's totals."""
    by_rel = Counter(p.relation for p in pairs)
    sizes = Counter(len(f.members) for f in families)
    counts = run.get("counts") if isinstance(run.get("counts"), dict) else {}
    return {
        "relations": [(r, by_rel.get(r, 0)) for r in RELATIONS]
                     + [(r, n) for r, n in sorted(by_rel.items()) if r not in RELATIONS],
        "pairs": len(pairs),
        "families": len(families),
        "sizes": sorted(sizes.items()),
        "articles": counts.get("articles"),
        "rejected": counts.get("rejected"),
        "in_families": sum(len(f.members) for f in families),
    }
