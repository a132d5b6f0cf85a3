"""The static HTML report of a scan (``copydesk report RESULTS``, ``copydesk scan --report``).

One page per family (members on a timeline, origin first, how each relates to its parent),
one per pair (both texts side by side, each shared passage beside its counterpart, the
word-level edits inside marked), and an index with the counts.  Self-contained: inline CSS,
no script, no font or request to anywhere, a Content-Security-Policy that forbids them; it
opens from ``file://`` and prints cleanly.

Layers, so that the web UI renders the same views: :mod:`.data` (results and articles in),
:mod:`.pairview` and :mod:`.overview` (views as plain data), :mod:`.html` (Jinja2 templates,
autoescaped), :mod:`.build` (the pages of a folder).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..atomic import REPORT_FILES, check_report_dir, staged_dir
from ..errors import ConfigError
from ..read import FieldMap, RejectLog, read_corpus
from ..records import Article
from .build import ReportInfo, write_report
from .data import Results, check_articles, load_results, pick_articles, recorded_inputs
from .overview import plan_pages

__all__ = ["DEFAULT_MAX_PAIRS", "REPORT_DIR", "REPORT_FILES", "ReportInfo", "check_max_pairs",
           "check_report_dir", "make_report", "report_into"]

#: pair pages written at most (the other pairs are summarized on their family's page)
DEFAULT_MAX_PAIRS = 2000
#: the report's folder inside a results folder (``scan --report``)
REPORT_DIR = "report"


def check_max_pairs(max_pairs: int) -> None:
    if max_pairs < 0:
        raise ConfigError("--max-pairs must be 0 or more")


def report_into(folder: Path, results: Results, articles: Iterable[Article], *, where: str,
                max_pairs: int = DEFAULT_MAX_PAIRS, inputs: Sequence[str] = ()) -> ReportInfo:
    """Write the report of ``results`` into ``folder``, taking the texts from ``articles``
    (streamed; only the texts of the pair pages are kept).  ``where`` names the corpus in
    errors."""
    check_max_pairs(max_pairs)
    plan = plan_pages(results.pairs, results.families, max_pairs)
    wanted = {m for f in results.families for m in f.members}
    wanted.update(x for p in results.pairs for x in (p.a, p.b))
    metas, texts = pick_articles(articles, wanted, {x for key in plan.pages for x in key})
    check_articles(metas, results.pairs, results.families, where)
    return write_report(folder, results, plan, metas, texts, inputs=list(inputs))


def make_report(results_dir: str | Path, out: str | Path | None = None, *,
                corpus: Sequence[str | Path] | None = None, fields: FieldMap | None = None,
                format: str | None = None, max_pairs: int = DEFAULT_MAX_PAIRS) -> ReportInfo:
    """The report of a results folder, written to ``out`` (default ``RESULTS/report``)
    whole or not at all.  The texts come from ``corpus``, else from the inputs recorded in
    ``RESULTS/run.json``; :class:`InputError` when they cannot be found."""
    check_max_pairs(max_pairs)
    results = load_results(results_dir)
    target = Path(out) if out is not None else Path(results_dir) / REPORT_DIR
    check_report_dir(target)
    paths = [Path(c) for c in corpus] if corpus else recorded_inputs(results_dir, results.run)
    articles = read_corpus(paths, rejects=RejectLog(), fields=fields, format=format)
    where = ", ".join(map(str, paths))
    shown = [p.name for p in paths]
    with staged_dir(target) as stage:
        info = report_into(stage, results, articles, where=where, max_pairs=max_pairs,
                           inputs=shown)
    return ReportInfo(target, info.families, info.pairs, info.pairs_left_out)
