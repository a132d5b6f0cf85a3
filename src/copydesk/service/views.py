"""The data of each page, taken from a :class:`~copydesk.service.data.ReuseStore`: plain
data that the HTML pages (:mod:`.pages`) render with the report's templates and the JSON API
(:mod:`.api`) returns as it is.  Each function asks the store only for what its page shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from ..records import Article, Family, Pair
from ..report.data import Meta
from ..report.overview import FamilyView, date_key, family_view
from ..report.pairview import PairView, pair_view
from .data import ReuseStore, best_first

#: a family page lists at most this many pairs (as the static report)
FAMILY_ROWS = 500
#: the largest page of families the browse page and the API give
MAX_LIMIT = 200


def article_url(id: str) -> str:
    return "/articles/" + quote(id, safe="")


def family_url(family_id: str) -> str:
    return "/families/" + quote(family_id, safe="")


def pair_url(a: str, b: str) -> str:
    return "/pairs?" + urlencode({"a": a, "b": b})


def meta(store: ReuseStore, id: str) -> Meta:
    """An article's metadata; an id the store does not hold shows as the bare id."""
    art = store.article(id)
    return Meta.of(art) if art is not None else Meta(id, None, None, None, None, 0)


@dataclass(slots=True)
class Link:
    """A pair as one article's page shows it: the other article and who took from whom."""

    pair: Pair
    other: Meta
    #: ``source``: the other article is the origin (this one took from it); ``copy``: this
    #: one is the origin; ``undecided``: no origin could be judged
    role: str
    share: float  # of this article's text, shared with the other


@dataclass(slots=True)
class ArticlePage:
    article: Article
    family: Family | None
    links: list[Link]

    def role(self, role: str) -> list[Link]:
        return [x for x in self.links if x.role == role]


def links_of(store: ReuseStore, id: str, pairs: Iterable[Pair]) -> list[Link]:
    out = []
    for p in best_first(pairs, id):
        other = p.b if p.a == id else p.a
        role = "undecided" if p.origin is None else "copy" if p.origin == id else "source"
        out.append(Link(p, meta(store, other), role, p.coverage_a if p.a == id else p.coverage_b))
    return out


def article_page(store: ReuseStore, id: str) -> ArticlePage | None:
    art = store.article(id)
    if art is None:
        return None
    return ArticlePage(art, store.family_of(id), links_of(store, id, store.pairs_of(id)))


def pair_page(store: ReuseStore, a: str, b: str) -> tuple[PairView, Family | None] | None:
    p = store.pair(a, b)
    if p is None:
        return None
    art_a, art_b = store.article(p.a), store.article(p.b)
    if art_a is None or art_b is None:
        return None
    return pair_view(p, art_a, art_b), store.family_of(p.a)


def family_pairs(store: ReuseStore, fam: Family) -> list[Pair]:
    """The pairs between members of ``fam`` (each once)."""
    members = set(fam.members)
    seen: dict[tuple[str, str], Pair] = {}
    for m in fam.members:
        for p in store.pairs_of(m):
            if p.a in members and p.b in members:
                seen.setdefault((p.a, p.b), p)
    return list(seen.values())


def family_page(store: ReuseStore, family_id: str) -> FamilyView | None:
    fam = store.family(family_id)
    if fam is None:
        return None
    metas = {m: meta(store, m) for m in fam.members}
    return family_view(fam, family_pairs(store, fam), metas)


@dataclass(frozen=True, slots=True)
class Filters:
    """The browse page's query string."""

    offset: int = 0
    limit: int = 50
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    relation: str | None = None
    min_size: int = 2

    def query(self, **change: object) -> str:
        """The query string of these filters with ``change`` applied (empty ones left out)."""
        values = {k: getattr(self, k) for k in self.__slots__}  # type: ignore[attr-defined]
        values.update(change)
        defaults = Filters()
        kept = {k: v for k, v in values.items()
                if v not in (None, "") and not (k != "limit" and v == getattr(defaults, k))}
        return urlencode(kept)


@dataclass(frozen=True, slots=True)
class FamilyRow:
    family: Family
    origin: Meta | None
    first: str | None  # the earliest date among the members


@dataclass(slots=True)
class BrowsePage:
    filters: Filters
    rows: list[FamilyRow]
    total: int
    outlets: list[str] = field(default_factory=list)

    @property
    def previous(self) -> int | None:
        f = self.filters
        return max(f.offset - f.limit, 0) if f.offset > 0 else None

    @property
    def next(self) -> int | None:
        f = self.filters
        return f.offset + f.limit if f.offset + f.limit < self.total else None


def browse_page(store: ReuseStore, filters: Filters) -> BrowsePage:
    """One page of families: the store is asked for that page only."""
    fams, total = store.families(offset=filters.offset, limit=filters.limit,
                                 outlet=filters.outlet, date_from=filters.date_from,
                                 date_to=filters.date_to, relation=filters.relation,
                                 min_size=filters.min_size)
    rows = []
    for f in fams:
        metas = [meta(store, m) for m in f.members]
        dated = [m.date for m in metas if date_key(m.date)[0] == 0]
        origin = next((m for m in metas if m.id == f.origin), None)
        rows.append(FamilyRow(f, origin, min(dated, key=date_key) if dated else None))
    return BrowsePage(filters, rows, total, store.outlets())
