"""The HTML pages: server-rendered, no script.  Pair and family pages are the static
report's templates (:mod:`copydesk.report`), inside the web layout."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..records import RELATIONS
from ..report.pairview import pair_view
from . import views
from .api import filters
from .queries import Query as PastedQuery
from .queries import decode_upload, pasted
from .render import TITLES, render, stylesheet
from .security import MAX_BODY


class _Compare:
    """How a table of links names its columns and builds its compare links."""

    def __init__(self, url: Any, mine: str, this: str) -> None:
        self.url, self.mine, self.this = url, mine, this


def router(state: Any) -> APIRouter:
    pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    def page(template: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(render(template, source_name=state.name, **context))

    @pages.get("/static/style.css")
    def style() -> Response:
        return Response(stylesheet(), media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "max-age=3600"})

    @pages.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    @pages.get("/")
    def home() -> HTMLResponse:
        return page("search.html", root="/", stats=state.store.stats())

    @pages.post("/search")
    async def search(text: Annotated[str, Form(max_length=MAX_BODY)] = "",
                     file: Annotated[UploadFile | None, File()] = None,
                     title: Annotated[str, Form(max_length=10_000)] = "",
                     date: Annotated[str, Form(max_length=100)] = "",
                     source: Annotated[str, Form(max_length=1_000)] = "") -> Response:
        if file is not None and file.filename:
            text = decode_upload(await file.read())
        if not text.strip():
            raise HTTPException(400, "paste a text or choose a file to search")
        art = pasted(text, title=title, date=date, source=source)
        q = await run_in_threadpool(state.queries.run, state.store, art)
        return RedirectResponse(f"/search/{q.key}", status_code=303)

    def cached(key: str) -> PastedQuery:
        q = state.queries.get(key)
        if q is None:
            raise HTTPException(404, "this search is no longer kept: paste the text again")
        return q

    @pages.get("/search/{key}")
    def hits(key: str) -> HTMLResponse:
        q = cached(key)
        links = views.links_of(state.store, q.article.id, q.pairs)
        compare = _Compare(lambda x: f"/search/{key}/compare?" + urlencode({"id": x.other.id}),
                           "of the text", "the text")
        return page("hits.html", root="/", article=q.article, links=links, compare=compare)

    @pages.get("/search/{key}/compare")
    def compare_hit(key: str, id: Annotated[str, Query(min_length=1)]) -> HTMLResponse:
        q = cached(key)
        pair, other = q.hit(id), state.store.article(id)
        if pair is None or other is None:
            raise HTTPException(404, f"the text shares nothing with {id!r}")
        view = pair_view(pair, q.article, other)
        return page("pair.html", view=view, root="/", family=None, family_file=None)

    @pages.get("/articles/{article_id:path}")
    def article(article_id: str) -> HTMLResponse:
        found = views.article_page(state.store, article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        compare = _Compare(lambda x: views.pair_url(x.pair.a, x.pair.b),
                           "of this article", "this article")
        return page("article.html", root="/", page=found, compare=compare)

    @pages.get("/pairs")
    def pair(a: Annotated[str, Query(min_length=1)],
             b: Annotated[str, Query(min_length=1)]) -> HTMLResponse:
        found = views.pair_page(state.store, a, b)
        if found is None:
            raise HTTPException(404, f"no pair of {a!r} and {b!r}")
        view, fam = found
        return page("pair.html", view=view, root="/", family=fam.family if fam else None,
                    family_file=views.family_url(fam.family)[1:] if fam else None)

    @pages.get("/families")
    def browse(offset: Annotated[int, Query(ge=0)] = 0,
               limit: Annotated[int, Query(ge=1, le=views.MAX_LIMIT)] = 50,
               outlet: str | None = None, date_from: str | None = None,
               date_to: str | None = None, relation: str | None = None,
               min_size: Annotated[int, Query(ge=2)] = 2) -> HTMLResponse:
        f = filters(offset, limit, outlet, date_from, date_to, relation, min_size)
        return page("browse.html", root="/", page=views.browse_page(state.store, f),
                    relations=RELATIONS, max_limit=views.MAX_LIMIT)

    @pages.get("/families/{family_id:path}")
    def family(family_id: str) -> HTMLResponse:
        view = views.family_page(state.store, family_id)
        if view is None:
            raise HTTPException(404, f"no family with id {family_id!r}")
        rows = view.pairs[:views.FAMILY_ROWS]
        rest = view.pairs[views.FAMILY_ROWS:]
        counts = Counter(p.relation for p in rest)
        return page("family.html", view=view, root="/",
                    pages={(p.a, p.b): views.pair_url(p.a, p.b)[1:] for p in rows},
                    paged=len(rows), cut=False, max_pairs=len(rows), rows=rows, rest=len(rest),
                    rest_relations=", ".join(f"{n} {r}" for r, n in counts.most_common()))

    return pages


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """The HTML page of an error (for a browser; the API answers JSON)."""
    name = getattr(request.app.state, "name", "")
    html = render("error.html", source_name=name, root="/", status=status,
                  title=TITLES.get(status, "error"), message=message)
    return HTMLResponse(html, status_code=status)
