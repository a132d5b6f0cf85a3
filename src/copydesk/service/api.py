"""The JSON API under ``/api/``: the data of every page (:mod:`.views`), a query of pasted
text, and adding articles (token).  Errors are ``{"error": "..."}`` (:mod:`.security`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from ..records import RELATIONS
from ..report.data import Meta
from ..report.overview import date_key
from . import views
from .models import (
    AddIn,
    ArticleMeta,
    ArticlePageOut,
    ErrorOut,
    FamilyListOut,
    FamilyPageOut,
    LinkOut,
    PairPageOut,
    QueryIn,
    QueryOut,
)
from .queries import QueryCache, pasted
from .security import check_token

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 404, 413, 422, 500)}


def filters(offset: int, limit: int, outlet: str | None, date_from: str | None,
            date_to: str | None, relation: str | None, min_size: int) -> views.Filters:
    """Checked browse filters (400 with what is wrong)."""
    if relation and relation not in RELATIONS:
        raise HTTPException(400, f"relation must be one of {', '.join(RELATIONS)}")
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if value and date_key(value)[0]:
            raise HTTPException(400, f"{name} must be a date such as 2024-05-31")
    return views.Filters(offset, limit, outlet or None, date_from or None, date_to or None,
                         relation or None, min_size)


def router(state: Any) -> APIRouter:
    """The API of ``state`` (its ``store``, ``token`` and ``queries``)."""
    api = APIRouter(prefix="/api", responses=ERRORS)

    @api.get("/stats", summary="What the store holds")
    def stats() -> dict[str, Any]:
        return state.store.stats()

    @api.get("/articles/{article_id:path}", response_model=ArticlePageOut,
             summary="An article and everything it shares text with")
    def article(article_id: str) -> ArticlePageOut:
        page = views.article_page(state.store, article_id)
        if page is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return ArticlePageOut.of(page)

    @api.get("/pairs", response_model=PairPageOut, summary="A pair (a and b in either order)")
    def pair(a: Annotated[str, Query(min_length=1)],
             b: Annotated[str, Query(min_length=1)]) -> PairPageOut:
        found = views.pair_page(state.store, a, b)
        if found is None:
            raise HTTPException(404, f"no pair of {a!r} and {b!r}")
        return PairPageOut.of(*found)

    @api.get("/families", response_model=FamilyListOut,
             summary="Families by size (largest first), filtered, one page at a time")
    def families(offset: Annotated[int, Query(ge=0)] = 0,
                 limit: Annotated[int, Query(ge=1, le=views.MAX_LIMIT)] = 50,
                 outlet: str | None = None, date_from: str | None = None,
                 date_to: str | None = None, relation: str | None = None,
                 min_size: Annotated[int, Query(ge=2)] = 2) -> FamilyListOut:
        f = filters(offset, limit, outlet, date_from, date_to, relation, min_size)
        return FamilyListOut.of(views.browse_page(state.store, f))

    @api.get("/families/{family_id:path}", response_model=FamilyPageOut,
             summary="A family: members on a timeline, how each relates to its parent")
    def family(family_id: str) -> FamilyPageOut:
        view = views.family_page(state.store, family_id)
        if view is None:
            raise HTTPException(404, f"no family with id {family_id!r}")
        return FamilyPageOut.of(view)

    @api.post("/query", response_model=QueryOut,
              summary="What a text (not stored) shares with the stored articles")
    async def query(body: QueryIn) -> QueryOut:
        art = pasted(body.text, title=body.title, date=body.date, source=body.source)
        cache: QueryCache = state.queries
        q = await run_in_threadpool(cache.run, state.store, art, body.top)
        hits = views.links_of(state.store, q.article.id, q.pairs)
        return QueryOut(article=ArticleMeta.of(Meta.of(q.article)),
                        hits=[LinkOut.of(x) for x in hits])

    def authorized(request: Request) -> None:  # before the body is even validated
        check_token(state.token, request)

    @api.post("/articles", summary="Add articles to the store (needs the token)",
              responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}},
              dependencies=[Depends(authorized)])
    async def add(body: AddIn) -> dict[str, Any]:
        ids = [a.id for a in body.articles]
        if len(set(ids)) != len(ids):
            raise HTTPException(400, "two articles have the same id")
        try:
            return await run_in_threadpool(state.store.add, [a.record() for a in body.articles])
        except PermissionError as e:
            raise HTTPException(403, str(e) or "this store is read-only") from None

    return api
