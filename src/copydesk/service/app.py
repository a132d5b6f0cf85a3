"""The web app: :func:`create_app` puts the pages, the JSON API and the safety layers
(:mod:`.security`) around a :class:`~copydesk.service.data.ReuseStore`."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI

from .. import __version__
from . import api, pages
from .data import ReuseStore
from .queries import QueryCache
from .security import MAX_BODY, BodyLimit, CatchAll, SecurityHeaders, install_error_handlers


@dataclass(slots=True)
class State:
    """What the routes share: the store, the token (None: adding disabled), recent queries."""

    store: ReuseStore
    token: str | None
    name: str
    queries: QueryCache = field(default_factory=QueryCache)


def create_app(store: ReuseStore, token: str | None = None, *, name: str | None = None,
               max_body: int = MAX_BODY) -> FastAPI:
    """The web UI and JSON API of ``store``.  Reading needs nothing; adding articles
    (``POST /api/articles``) needs ``Authorization: Bearer <token>`` and is disabled
    (403) when ``token`` is None.  ``name`` is what the pages say they serve."""
    if token is not None and not token.strip():
        raise ValueError("the token must not be empty")
    label = name if name is not None else str(store.stats().get("source", "a reuse store"))
    state = State(store, token, label)
    app = FastAPI(title="copydesk", version=__version__,
                  description="Reused news text: articles, the pairs that share text "
                              "(relation, origin, passages) and reuse families.",
                  docs_url=None, redoc_url=None)  # their pages load script from a CDN
    app.state.name = label
    app.state.copydesk = state
    app.include_router(api.router(state))
    app.include_router(pages.router(state))
    install_error_handlers(app, pages.error_page)
    # outermost last: headers on every answer, errors included; then the body cap
    app.add_middleware(CatchAll, error_page=pages.error_page)
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(SecurityHeaders)
    return app
