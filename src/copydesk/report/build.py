"""Write a report folder: ``index.html``, ``families/*.html``, ``pairs/*.html``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..records import Article, Pair
from .data import Meta, Results
from .html import render, render_pair
from .overview import Plan, date_key, family_view, index_counts
from .pairview import pair_view

#: a family page lists at most this many pairs (the rest are counted by relation)
FAMILY_ROWS = 500


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """What was written: the folder, and how many pages of each kind."""

    folder: Path
    families: int
    pairs: int
    pairs_left_out: int

    @property
    def index(self) -> Path:
        return self.folder / "index.html"


def _relations(pairs: list[Pair]) -> str:
    c = Counter(p.relation for p in pairs)
    return ", ".join(f"{n} {rel}" for rel, n in c.most_common())


def write_report(folder: Path, results: Results, plan: Plan, metas: Mapping[str, Meta],
                 texts: Mapping[str, Article], *, inputs: list[str] | None = None) -> ReportInfo:
    """Write every page into ``folder`` (created; the caller stages it).  ``metas`` holds
    every article of ``results``, ``texts`` those of the pairs that get a page (``plan``;
    see :func:`copydesk.report.data.check_articles`)."""
    max_pairs = plan.max_pairs
    (folder / "families").mkdir(parents=True, exist_ok=True)
    (folder / "pairs").mkdir(exist_ok=True)
    families = []
    for fam in results.families:
        fpairs = plan.by_family.get(fam.family, [])
        view = family_view(fam, fpairs, metas)
        paged = sum((p.a, p.b) in plan.pages for p in fpairs)
        # the pairs with a page first; a big family's table stops at FAMILY_ROWS rows
        rows = sorted(view.pairs, key=lambda p: (p.a, p.b) not in plan.pages)[:FAMILY_ROWS]
        shown = {(p.a, p.b) for p in rows}
        rest = [p for p in view.pairs if (p.a, p.b) not in shown]
        html = render("family.html", view=view, root="../", pages=plan.pages, paged=paged,
                      cut=paged < len(fpairs), max_pairs=max_pairs, rows=rows,
                      rest=len(rest), rest_relations=_relations(rest))
        (folder / view.file).write_text(html, encoding="utf-8")
        dated = [m.article.date for m in view.members if date_key(m.article.date)[0] == 0]
        first = min(dated, key=date_key) if dated else None
        families.append({"family": fam, "file": view.file, "first": first,
                         "relations": _relations(fpairs)})
    by_key = {(p.a, p.b): p for p in results.pairs}
    files = {f["family"].family: f["file"] for f in families}
    for (a, b), file in plan.pages.items():
        fid = plan.family_of.get(a)
        html = render_pair(pair_view(by_key[(a, b)], texts[a], texts[b]), family=fid,
                           family_file=files.get(fid) if fid is not None else None)
        (folder / file).write_text(html, encoding="utf-8")
    families.sort(key=lambda f: (-len(f["family"].members), f["family"].family))
    titles = {f["family"].origin: metas[f["family"].origin].title for f in families
              if f["family"].origin in metas}
    html = render("index.html", root="", plan=plan, families=families, titles=titles,
                  counts=index_counts(results.pairs, results.families, results.run),
                  loose=plan.by_family.get("", []), inputs=inputs or [], family_rows=FAMILY_ROWS)
    (folder / "index.html").write_text(html, encoding="utf-8")
    return ReportInfo(folder, len(families), len(plan.pages), plan.left_out)
