"""What ``copydesk serve`` reads: the :class:`ReuseStore` protocol, a read-only
:class:`ResultsStore` over a scan results folder, and :func:`open_store` (a folder is a
results folder, a file a persistent index, :class:`copydesk.store.Index`).

Nothing here imports the web framework: the protocol is the seam between the service and
whatever holds the articles and their pairs, and the index implements it with the same
names and signatures.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..config import ScanConfig
from ..errors import CopydeskError, InputError
from ..records import RELATIONS, Article, Family, Pair
from ..report.overview import date_key

#: the message of :meth:`ResultsStore.add`
READ_ONLY = "this source is a scan results folder; serve an index to add"


@runtime_checkable
class ReuseStore(Protocol):
    """The reads (and one write) the service needs of a source of reuse.

    Ids are the user's own.  ``families`` filters, all optional and combined with *and*:
    ``outlet`` (some member's ``source`` equals it), ``date_from``/``date_to`` (the family's
    first publication date, its earliest dated member, is inside the range, both ends
    included; ISO dates; an undated family never matches a date filter), ``relation`` (some
    pair of the family has it), ``min_size`` (members).  It returns one page (``offset``,
    ``limit``), largest first then by family id, and the number of families that match."""

    def article(self, id: str) -> Article | None: ...

    def pairs_of(self, id: str) -> list[Pair]: ...

    def pair(self, a: str, b: str) -> Pair | None: ...

    def family(self, family_id: str) -> Family | None: ...

    def family_of(self, id: str) -> Family | None: ...

    def families(self, *, offset: int = 0, limit: int = 50, outlet: str | None = None,
                 date_from: str | None = None, date_to: str | None = None,
                 relation: str | None = None, min_size: int = 2) -> tuple[list[Family], int]: ...

    def outlets(self) -> list[str]: ...

    def query(self, article: Article, *, top: int = 10) -> list[Pair]: ...

    def add(self, articles: list[Article]) -> dict[str, Any]: ...

    def stats(self) -> dict[str, Any]: ...


def best_first(pairs: Iterable[Pair], id: str) -> list[Pair]:
    """The pairs of ``id`` ordered best first: the larger share of ``id``'s text, then
    of the other's, then the other id (stable whatever the input order)."""
    def key(p: Pair) -> tuple[float, float, str]:
        mine, theirs = (p.coverage_a, p.coverage_b) if p.a == id else (p.coverage_b, p.coverage_a)
        return (-mine, -theirs, p.b if p.a == id else p.a)
    return sorted(pairs, key=key)


def _day(value: str | None) -> str | None:
    """``value`` as ``YYYY-MM-DD``, or None when absent or unreadable."""
    flag, when = date_key(value)
    return None if flag else when.date().isoformat()


class ResultsStore:
    """A scan results folder (``pairs.jsonl``, ``families.jsonl``, ``run.json``) and the
    articles it was scanned from, in memory and read-only.

    :meth:`query` scans the stored articles together with the given one (the scan's
    furniture and relation rules apply as in ``copydesk scan``): seconds for a few thousand
    articles, so a results folder suits a laptop's collections; a persistent index answers
    queries incrementally."""

    def __init__(self, folder: str | Path, articles: Iterable[Article] | None = None, *,
                 config: ScanConfig | None = None) -> None:
        from ..read import RejectLog, read_corpus
        from ..report.data import check_articles, load_results, pick_articles, recorded_inputs

        self.folder = Path(folder)
        results = load_results(self.folder)
        if articles is None:
            paths = recorded_inputs(self.folder, results.run)
            where = ", ".join(map(str, paths))
            articles = read_corpus(paths, rejects=RejectLog())
        else:
            where = "the articles given"
        self._articles: dict[str, Article] = {a.id: a for a in articles}
        metas, _ = pick_articles(self._articles.values(), set(self._articles), set())
        check_articles(metas, results.pairs, results.families, where)
        self._config = config or ScanConfig(workers=1)
        self._pairs: dict[tuple[str, str], Pair] = {(p.a, p.b): p for p in results.pairs}
        self._by_article: dict[str, list[Pair]] = defaultdict(list)
        for p in results.pairs:
            self._by_article[p.a].append(p)
            self._by_article[p.b].append(p)
        self._families = {f.family: f for f in results.families}
        self._family_of = {m: f for f in results.families for m in f.members}
        self._run = results.run
        # per family, what the filters of families() look at, computed once
        self._order = sorted(results.families, key=lambda f: (-len(f.members), f.family))
        self._facets: dict[str, tuple[set[str], str | None, set[str]]] = {}
        for f in results.families:
            outlets = {s for m in f.members if (s := self._source(m))}
            days = [d for m in f.members if (d := _day(self._date(m)))]
            rels = {p.relation for m in f.members for p in self._by_article.get(m, ())}
            self._facets[f.family] = (outlets, min(days) if days else None, rels)
        self._lock = threading.Lock()  # one query scan at a time

    def _source(self, id: str) -> str | None:
        a = self._articles.get(id)
        return a.source if a is not None else None

    def _date(self, id: str) -> str | None:
        a = self._articles.get(id)
        return a.date if a is not None else None

    def article(self, id: str) -> Article | None:
        return self._articles.get(id)

    def pairs_of(self, id: str) -> list[Pair]:
        return list(self._by_article.get(id, ()))

    def pair(self, a: str, b: str) -> Pair | None:
        return self._pairs.get((a, b) if a < b else (b, a))

    def family(self, family_id: str) -> Family | None:
        return self._families.get(family_id)

    def family_of(self, id: str) -> Family | None:
        return self._family_of.get(id)

    def families(self, *, offset: int = 0, limit: int = 50, outlet: str | None = None,
                 date_from: str | None = None, date_to: str | None = None,
                 relation: str | None = None, min_size: int = 2) -> tuple[list[Family], int]:
        lo, hi = _day(date_from), _day(date_to)
        if (date_from and lo is None) or (date_to and hi is None):
            raise ValueError("dates must be ISO dates such as 2024-05-31")

        def keep(f: Family) -> bool:
            outlets, first, rels = self._facets[f.family]
            if len(f.members) < min_size or (outlet and outlet not in outlets):
                return False
            if relation and relation not in rels:
                return False
            if lo or hi:
                return first is not None and (not lo or first >= lo) and (not hi or first <= hi)
            return True

        matched = [f for f in self._order if keep(f)]
        return matched[max(offset, 0):max(offset, 0) + max(limit, 0)], len(matched)

    def outlets(self) -> list[str]:
        return sorted({a.source for a in self._articles.values() if a.source})

    def query(self, article: Article, *, top: int = 10) -> list[Pair]:
        from ..pipeline import scan_articles

        if article.id in self._articles:  # never confused with a stored article
            n = 2
            while f"{article.id} ({n})" in self._articles:
                n += 1
            article = replace(article, id=f"{article.id} ({n})")
        with self._lock:
            result = scan_articles([*self._articles.values(), article], self._config)
        mine = [p for p in result.pairs if article.id in (p.a, p.b)]
        return best_first(mine, article.id)[:max(top, 0)]

    def add(self, articles: list[Article]) -> dict[str, Any]:
        raise PermissionError(READ_ONLY)

    def stats(self) -> dict[str, Any]:
        rel = Counter(p.relation for p in self._pairs.values())
        return {"kind": "results", "source": str(self.folder), "read_only": True,
                "articles": len(self._articles), "pairs": len(self._pairs),
                "families": len(self._families),
                "pairs_by_relation": {r: rel.get(r, 0) for r in RELATIONS},
                "outlets": len(self.outlets())}


def open_store(path: str | Path, *, corpus: Iterable[str | Path] | None = None) -> ReuseStore:
    """The store of ``path``: a folder is a scan results folder (:class:`ResultsStore`; its
    texts from ``corpus``, else from the inputs its ``run.json`` records), a file a
    persistent index (:class:`copydesk.store.Index`).  :class:`InputError` with one
    line saying what to do when it is neither."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p} not found: give a copydesk index file or a scan results folder")
    if p.is_dir():
        if not (p / "pairs.jsonl").is_file():
            raise InputError(f"{p} is not a copydesk results folder (no pairs.jsonl): give a "
                             "folder written by copydesk scan, or an index file")
        if corpus:
            from ..read import RejectLog, read_corpus

            return ResultsStore(p, read_corpus([Path(c) for c in corpus], rejects=RejectLog()))
        return ResultsStore(p)
    if corpus:
        raise InputError("--corpus goes with a results folder; an index holds its texts")
    try:
        from ..store import Index  # type: ignore[attr-defined]
    except ImportError:
        raise InputError(f"{p} is a file, and this copydesk has no persistent index "
                         "(copydesk.store): serve a scan results folder instead") from None
    try:
        return Index(p)  # type: ignore[no-any-return]
    except CopydeskError:
        raise
    except (sqlite3.Error, ValueError, OSError) as e:
        raise InputError(f"{p} is not a copydesk index ({e})") from None
