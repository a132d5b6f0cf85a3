"""Render the report's pages with Jinja2 (templates in ``templates/``, package data).

Autoescaping is on for every template: article texts, titles, ids and metadata are the
user's data and are always shown as text.  The only markup built in Python is the marked-up
passage text (:func:`segments_html`), and it escapes every piece it is given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import MissingDependency

try:  # markupsafe comes with jinja2
    from markupsafe import Markup, escape
except ImportError:  # pragma: no cover - jinja2 is a dependency
    raise MissingDependency("jinja2", "report") from None
from .pairview import PairView, Segment

if TYPE_CHECKING:
    import jinja2

#: title attribute and CSS class of each mark (what a mouse hover or a screen reader says)
_MARKS = {
    "changed": ("mark", "chg", "changed words"),
    "removed": ("del", "rem", "words only in a (removed)"),
    "added": ("ins", "add", "words only in b (added)"),
}
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'")

RELATION_HELP = {
    "duplicate": "the same text up to whitespace, case, punctuation and boilerplate",
    "near_duplicate": "the same story with small edits (both sides at least 80 % shared), or the "
                      "whole story reworded at about its length (both at least 70 %, mostly "
                      "reworded sentences)",
    "contained": "one side essentially inside the other: a condensed, trimmed or excerpted "
                 "rewrite (one side at least 70 % shared)",
    "partial": "each side keeps substantial text of its own; they share real passages",
}
REASON_HELP = {
    "date": "published earlier",
    "time_words": "says “on Tuesday” where the other says “yesterday”",
    "dateline": "only this side opens with a wire dateline",
    "correction": "the other side carries a correction notice: it is the later re-issue",
    "containment": "contains the other",
}


def segments_html(segments: Sequence[Segment]) -> Markup:
    """Passage text with its edits marked: ``<mark>`` changed, ``<del>`` only in a,
    ``<ins>`` only in b, an empty ``<span class="gap">`` where the other side's words are
    missing.  The text content of the result is exactly the passage's text."""
    out: list[str] = []
    for s in segments:
        if s.op is None or s.op == "kept":
            out.append(escape(s.text))
        elif not s.text:
            out.append(Markup('<span class="miss" title="{}"></span>').format(
                f"{_MARKS[s.op][2]} here"))
        else:
            tag, cls, title = _MARKS[s.op]
            out.append(Markup('<{0} class="{1}" title="{2}">{3}</{0}>').format(
                Markup(tag), cls, title, s.text))
    return Markup("").join(out)


def pct(value: float | None) -> str:
    """``0.7312`` -> ``"73.1 %"``; ``"—"`` for None."""
    return "—" if value is None else f"{100 * value:.1f} %"


def words_summary(words: Mapping[str, tuple[int, int]]) -> str:
    """``kept 45, changed 3→2, only in a 4, only in b 1`` (words)."""
    parts = []
    if "kept" in words:
        parts.append(f"kept {words['kept'][0]}")
    if "changed" in words:
        parts.append(f"changed {words['changed'][0]}→{words['changed'][1]}")
    if "removed" in words:
        parts.append(f"only in a {words['removed'][0]}")
    if "added" in words:
        parts.append(f"only in b {words['added'][1]}")
    return ", ".join(parts) or "no words"


def build_environment(loader: jinja2.BaseLoader | None = None,
                      **globals: Any) -> jinja2.Environment:
    """A Jinja2 environment with the report's filters and globals, autoescaped, loading
    ``loader`` (default: the report's templates).  ``globals`` override the report's: the
    web UI (:mod:`copydesk.service`) sets its own ``layout`` (the page around the views),
    ``csp`` and ``article_url`` (a link for each article id) and renders the same
    templates."""
    try:
        import jinja2
    except ImportError:
        raise MissingDependency("jinja2", "report") from None
    env = jinja2.Environment(loader=loader or jinja2.PackageLoader("copydesk.report", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(segments=segments_html, pct=pct, words=words_summary)
    env.globals.update(version=__version__, csp=CSP, relation_help=RELATION_HELP,
                       reason_help=REASON_HELP, layout="base.html", article_url=None)
    env.globals.update(globals)
    return env


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the static report."""
    return build_environment()


def render(template: str, **context: Any) -> str:
    """One page: ``template`` of ``templates/`` with ``context``."""
    return environment().get_template(template).render(**context)


def render_pair(view: PairView, *, root: str = "../", family: str | None = None,
                family_file: str | None = None) -> str:
    """The page of one pair."""
    return render("pair.html", view=view, root=root, family=family, family_file=family_file)
