"""The JSON API's request and response models (pydantic): what ``/openapi.json`` describes.
Field names and meanings are those of FORMATS.md (pairs.jsonl, families.jsonl, the corpus)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..records import Article, Family, Pair
from ..report.data import Meta
from ..report.overview import FamilyView
from ..report.pairview import PairView
from .views import ArticlePage, BrowsePage, Link

#: the longest text a query or an added article may have (characters)
MAX_TEXT = 5_000_000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PassageOut(BaseModel):
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    kind: str = Field(description="verbatim, edited or paraphrase")


class PairOut(BaseModel):
    a: str
    b: str
    relation: str = Field(description="duplicate, near_duplicate, contained or partial")
    origin: str | None = Field(description="the id judged the source; null when undecidable")
    origin_reason: str | None = Field(description="the evidence for origin: date, time_words, "
                                                  "dateline, correction or containment")
    coverage_a: float
    coverage_b: float
    passages: list[PassageOut] = Field(description="character offsets into the texts, "
                                                   "end exclusive")

    @classmethod
    def of(cls, p: Pair) -> PairOut:
        return cls(a=p.a, b=p.b, relation=p.relation, origin=p.origin,
                   origin_reason=p.origin_reason, coverage_a=round(p.coverage_a, 4),
                   coverage_b=round(p.coverage_b, 4),
                   passages=[PassageOut(**q.to_dict()) for q in p.passages])  # type: ignore[arg-type]


class ArticleMeta(BaseModel):
    id: str
    title: str | None
    date: str | None
    source: str | None
    url: str | None
    length: int = Field(description="characters of the text")

    @classmethod
    def of(cls, m: Meta) -> ArticleMeta:
        return cls(id=m.id, title=m.title, date=m.date, source=m.source, url=m.url,
                   length=m.length)


class ArticleOut(ArticleMeta):
    text: str

    @classmethod
    def of_article(cls, a: Article) -> ArticleOut:
        return cls(id=a.id, title=a.title, date=a.date, source=a.source, url=a.url,
                   length=len(a.text), text=a.text)


class FamilyOut(BaseModel):
    family: str
    members: list[str]
    origin: str | None

    @classmethod
    def of(cls, f: Family) -> FamilyOut:
        return cls(family=f.family, members=list(f.members), origin=f.origin)


class LinkOut(BaseModel):
    other: ArticleMeta
    role: Literal["source", "copy", "undecided"] = Field(
        description="source: the other article is the origin; copy: this one is; undecided")
    share: float = Field(description="share of this article's text shared with the other")
    pair: PairOut

    @classmethod
    def of(cls, x: Link) -> LinkOut:
        return cls(other=ArticleMeta.of(x.other), role=x.role,  # type: ignore[arg-type]
                   share=round(x.share, 4), pair=PairOut.of(x.pair))


class ArticlePageOut(BaseModel):
    article: ArticleOut
    family: FamilyOut | None
    pairs: list[LinkOut] = Field(description="every pair of the article, best first")

    @classmethod
    def of(cls, v: ArticlePage) -> ArticlePageOut:
        return cls(article=ArticleOut.of_article(v.article),
                   family=FamilyOut.of(v.family) if v.family else None,
                   pairs=[LinkOut.of(x) for x in v.links])


class PairPageOut(BaseModel):
    pair: PairOut
    a: ArticleOut
    b: ArticleOut
    family: str | None

    @classmethod
    def of(cls, v: PairView, family: Family | None) -> PairPageOut:
        return cls(pair=PairOut.of(v.pair), a=ArticleOut.of_article(v.a),
                   b=ArticleOut.of_article(v.b), family=family.family if family else None)


class MemberOut(BaseModel):
    article: ArticleMeta
    is_origin: bool
    parent: str | None = Field(description="the member it is linked to")
    relation: str | None
    coverage: float | None = Field(description="share of this member's text shared with parent")
    via_origin: bool


class FamilyPageOut(BaseModel):
    family: FamilyOut
    members: list[MemberOut] = Field(description="the origin first, then by date")
    pairs: list[PairOut]

    @classmethod
    def of(cls, v: FamilyView) -> FamilyPageOut:
        members = [MemberOut(article=ArticleMeta.of(m.article), is_origin=m.is_origin,
                             parent=m.parent, relation=m.pair.relation if m.pair else None,
                             coverage=None if m.coverage is None else round(m.coverage, 4),
                             via_origin=m.via_origin) for m in v.members]
        return cls(family=FamilyOut.of(v.family), members=members,
                   pairs=[PairOut.of(p) for p in v.pairs])


class FamilySummary(BaseModel):
    family: str
    size: int
    origin: ArticleMeta | None
    first_date: str | None
    members: list[str]


class FamilyListOut(BaseModel):
    total: int = Field(description="families matching the filters")
    offset: int
    limit: int
    families: list[FamilySummary]

    @classmethod
    def of(cls, v: BrowsePage) -> FamilyListOut:
        return cls(total=v.total, offset=v.filters.offset, limit=v.filters.limit, families=[
            FamilySummary(family=r.family.family, size=len(r.family.members),
                          origin=ArticleMeta.of(r.origin) if r.origin else None,
                          first_date=r.first, members=list(r.family.members))
            for r in v.rows])


class QueryIn(Strict):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    title: str | None = Field(default=None, max_length=10_000)
    date: str | None = Field(default=None, max_length=100)
    source: str | None = Field(default=None, max_length=1_000)
    top: int = Field(default=10, ge=1, le=100)


class QueryOut(BaseModel):
    article: ArticleMeta = Field(description="the text given, as it was compared")
    hits: list[LinkOut] = Field(description="stored articles it shares text with, best first")


class ArticleIn(Strict):
    id: str = Field(min_length=1, max_length=1_000)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    title: str | None = Field(default=None, max_length=10_000)
    date: str | None = Field(default=None, max_length=100)
    source: str | None = Field(default=None, max_length=1_000)
    url: str | None = Field(default=None, max_length=10_000)

    def record(self) -> Article:
        return Article(self.id, self.text, self.title, self.date, self.source, self.url)


class AddIn(Strict):
    articles: list[ArticleIn] = Field(min_length=1, max_length=10_000)


class ErrorOut(BaseModel):
    error: str


StatsOut = dict[str, Any]
