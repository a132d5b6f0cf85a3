"""``copydesk serve``: the web UI and JSON API over an index or a scan results folder.

    >>> from copydesk.service import ResultsStore, create_app
    >>> app = create_app(ResultsStore("results/"))          # doctest: +SKIP

Modules: :mod:`.data` (the :class:`ReuseStore` protocol, the read-only
:class:`ResultsStore`, :func:`open_store`), :mod:`.views` (the data of each page),
:mod:`.app` (the FastAPI app), :mod:`.api` (JSON routes), :mod:`.pages` (HTML routes, the
report's templates), :mod:`.security` (headers, token, limits, errors), :mod:`.server`
(uvicorn).  FastAPI and uvicorn are the ``serve`` extra, imported only when the app is made:
without them :func:`create_app` raises :class:`MissingDependency`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import MissingDependency
from .data import READ_ONLY, ResultsStore, ReuseStore, open_store

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["READ_ONLY", "ResultsStore", "ReuseStore", "create_app", "open_store",
           "require_serve"]


def require_serve() -> None:
    """:class:`MissingDependency` (with the pip command) unless the ``serve`` extra is
    installed."""
    for module, package in (("fastapi", "fastapi"), ("uvicorn", "uvicorn"),
                            ("python_multipart", "python-multipart")):
        try:
            __import__(module)
        except ImportError:
            raise MissingDependency(package, "serve") from None


def create_app(store: ReuseStore, token: str | None = None, **options: object) -> FastAPI:
    """The web UI and JSON API of ``store`` (see :func:`copydesk.service.app.create_app`)."""
    require_serve()
    from .app import create_app as make

    return make(store, token, **options)  # type: ignore[arg-type]
