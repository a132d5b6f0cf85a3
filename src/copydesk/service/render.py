"""The web UI's templates: the static report's (pair and family pages: one renderer for
both) inside the web layout, plus the pages only the service has (search, article, browse,
errors).  Autoescaped like the report's: every id, title and text is shown as text."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..report.html import build_environment
from . import views
from .security import CSP_META

if TYPE_CHECKING:
    import jinja2

TITLES = {400: "bad request", 401: "not authorized", 403: "forbidden", 404: "not found",
          405: "method not allowed", 413: "request too large", 422: "invalid request",
          500: "internal error"}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    import jinja2

    loader = jinja2.ChoiceLoader([jinja2.PackageLoader("copydesk.service", "templates"),
                                  jinja2.PackageLoader("copydesk.report", "templates")])
    return build_environment(loader, layout="web_base.html", csp=CSP_META,
                             article_url=views.article_url, family_url=views.family_url,
                             pair_url=views.pair_url)


def render(template: str, *, source_name: str, **context: Any) -> str:
    return environment().get_template(template).render(source_name=source_name, **context)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The report's stylesheet and the web UI's additions, served as one file (the
    Content-Security-Policy allows no inline style)."""
    report = resources.files("copydesk.report") / "templates" / "style.css"
    service = resources.files("copydesk.service") / "templates" / "service.css"
    return report.read_text(encoding="utf-8") + "\n" + service.read_text(encoding="utf-8")
