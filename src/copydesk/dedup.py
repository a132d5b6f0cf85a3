"""Dedup: the corpus with one article per reuse family, and where every other article went.

:func:`choose_kept` and :func:`map_entries` are the plain logic (families, pairs, lengths and
dates in; decisions out).  :func:`dedup` is the library entry point behind ``copydesk dedup``:
it scans, reads the inputs once more for the lengths and dates of family members, then once
more to write the kept articles (JSON Lines or Parquet, by the file name) and
``FILE.map.jsonl``, one line per article::

    {"id": "courier-quake", "kept": "wire-quake-01", "family": "wire-quake-01",
     "relation": "duplicate", "coverage": 1.0, "why": "duplicate of wire-quake-01 (...)"}

Rules (``keep``):

- ``origin`` — the family's origin (judged from dates, else from containment); when none
  was decided, the longest member.
- ``longest`` — the member with the most characters; a tie goes to the origin when it is
  among the tied, else to the smallest id.
- ``earliest`` — the member published strictly first; when dates are missing or tied, the
  origin, else the longest member.

Articles in no family are all kept.  By default every other family member is dropped;
``drop`` (``--drop``) limits that to members whose own pair with the kept article has one of
the given relations, e.g. ``duplicate,near_duplicate,contained`` to keep partial reuse.  Rejected input records are not articles: they are in
the scan's rejects, not in the map.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .api import scan
from .atomic import output_error, staged_files, staging_prefix, sweep
from .config import ScanConfig
from .errors import ConfigError
from .plan import Progress, ScanResult
from .read import RejectLog, read_corpus
from .records import RELATIONS, Article, Family, Pair
from .relate import date_order
from .write import ArticleWriter, corpus_format, json_line, kind_of, require_pyarrow

KEEP_RULES = ("origin", "longest", "earliest")
MAP_SUFFIX = ".map.jsonl"


@dataclass(frozen=True, slots=True)
class Kept:
    """The article kept for one family, and the rule that picked it."""

    family: str
    kept: str
    why: str


@dataclass(frozen=True, slots=True)
class MapEntry:
    """One line of ``FILE.map.jsonl``: an article and the one kept in its place.

    ``relation`` is that of the pair (article, kept) when the scan related them directly
    (null for the kept article itself and for a family member related only through others);
    ``coverage`` is the share of this article's text inside passages shared with the kept
    one."""

    id: str
    kept: str
    family: str | None
    relation: str | None
    coverage: float | None
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kept": self.kept, "family": self.family,
                "relation": self.relation, "coverage": self.coverage, "why": self.why}


def _longest(members: Sequence[str], lengths: Mapping[str, int], prefer: str | None) -> str:
    best = max(lengths.get(m, 0) for m in members)
    tied = [m for m in members if lengths.get(m, 0) == best]
    return prefer if prefer in tied else min(tied)


def _earliest(members: Sequence[str], dates: Mapping[str, str | None]) -> str | None:
    """The member published strictly before every other, or None."""
    first = members[0]
    for m in members[1:]:
        if date_order(dates.get(m), dates.get(first)) < 0:
            first = m
    ok = all(date_order(dates.get(first), dates.get(m)) < 0 for m in members if m != first)
    return first if ok else None


def dedup_groups(families: Iterable[Family], pairs: Iterable[Pair],
                 drop: Iterable[str] = RELATIONS) -> list[Family]:
    """The groups that keep one article each: the families themselves when every relation
    is dropped; otherwise, inside each family, the connected groups of pairs whose relation
    is in ``drop`` (a member linked by other relations only is a group of its own and is
    kept).  Groups keep their family's id, and its origin when they hold it."""
    fams = list(families)
    drop = frozenset(drop)
    if drop >= frozenset(RELATIONS):
        return fams
    family_of = {m: f.family for f in fams for m in f.members}
    parent: dict[str, str] = {m: m for m in family_of}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        if p.relation in drop and p.a in family_of and family_of[p.a] == family_of.get(p.b):
            parent[root(p.a)] = root(p.b)
    out = []
    for f in fams:
        comps: dict[str, list[str]] = {}
        for m in f.members:
            comps.setdefault(root(m), []).append(m)
        for members in comps.values():
            origin = f.origin if f.origin in members else None
            out.append(Family(f.family, tuple(sorted(members)), origin))
    return out


def choose_kept(groups: Iterable[Family], lengths: Mapping[str, int],
                dates: Mapping[str, str | None], keep: str = "origin") -> dict[str, Kept]:
    """``{member id: Kept}`` — the article kept for each group (a family, or a part of one,
    see :func:`dedup_groups`) under the rule ``keep`` (see the module)."""
    if keep not in KEEP_RULES:
        raise ConfigError(f"keep must be one of {', '.join(KEEP_RULES)}, not {keep!r}")
    out: dict[str, Kept] = {}
    for f in groups:
        members = sorted(f.members)
        size = f"{len(members)} members"
        if len(members) == 1:
            pick, why = members[0], "its relations to the family are not dropped (--drop)"
        elif keep == "origin":
            pick, why = ((f.origin, "the family's origin") if f.origin else
                         (_longest(members, lengths, None),
                          f"longest of {size} (no origin decided)"))
        elif keep == "longest":
            pick, why = _longest(members, lengths, f.origin), f"longest of {size}"
        else:
            early = _earliest(members, dates)
            if early is not None:
                pick, why = early, f"earliest of {size}"
            elif f.origin:
                pick, why = f.origin, "the family's origin (no strictly earliest date)"
            else:
                pick, why = (_longest(members, lengths, None),
                             f"longest of {size} (no strictly earliest date, no origin)")
        for m in members:
            out[m] = Kept(f.family, pick, why)
    return out


_VERB = {"duplicate": "duplicate of", "near_duplicate": "near-duplicate of",
         "partial": "shares passages with"}


class DedupMap:
    """Turns an article id into its :class:`MapEntry`, given the scan's pairs and the
    :func:`choose_kept` decisions."""

    def __init__(self, pairs: Iterable[Pair], kept: Mapping[str, Kept]) -> None:
        self.kept = kept
        wanted = {_key(m, k.kept) for m, k in kept.items() if m != k.kept}
        self.pair_of = {(p.a, p.b): p for p in pairs if (p.a, p.b) in wanted}

    def entry(self, i: str) -> MapEntry:
        k = self.kept.get(i)
        if k is None:
            return MapEntry(i, i, None, None, None, "kept: no reuse found")
        if i == k.kept:
            return MapEntry(i, i, k.family, None, None, f"kept: {k.why}")
        p = self.pair_of.get(_key(i, k.kept))
        if p is None:
            return MapEntry(i, k.kept, k.family, None, None,
                            f"same reuse family as {k.kept} (related through other members)")
        mine, theirs = (p.coverage_a, p.coverage_b) if p.a == i else (p.coverage_b, p.coverage_a)
        verb = _VERB.get(p.relation) or ("contained in" if mine >= theirs else "contains")
        return MapEntry(i, k.kept, k.family, p.relation, round(mine, 4),
                        f"{verb} {k.kept} ({math.floor(100 * mine)} % of its text shared)")


def _key(x: str, y: str) -> tuple[str, str]:
    return (x, y) if x < y else (y, x)


def map_entries(ids: Iterable[str], pairs: Iterable[Pair],
                kept: Mapping[str, Kept]) -> Iterator[MapEntry]:
    """One :class:`MapEntry` per id, in the order given."""
    return map(DedupMap(pairs, kept).entry, ids)


@dataclass(slots=True)
class DedupResult:
    """What :func:`dedup` did: the scan behind it, the map, and the files written."""

    scan: ScanResult
    entries: list[MapEntry] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)

    @property
    def kept(self) -> int:
        return sum(e.kept == e.id for e in self.entries)

    @property
    def dropped(self) -> int:
        return len(self.entries) - self.kept


def map_path(out: str | Path) -> Path:
    """``FILE.map.jsonl`` beside ``FILE``."""
    return Path(str(out) + MAP_SUFFIX)


def _check(items: list[Any], out: Path, keep: str, drop: Sequence[str]) -> str:
    """Everything about a dedup that can fail before the scan; returns the output format."""
    if keep not in KEEP_RULES:
        raise ConfigError(f"--keep must be one of {', '.join(KEEP_RULES)}, not {keep!r}")
    unknown = [r for r in drop if r not in RELATIONS]
    if unknown or not drop:
        raise ConfigError(f"--drop takes relations among {','.join(RELATIONS)}"
                          + (f", not {unknown[0]!r}" if unknown else ""))
    fmt = corpus_format(out)
    if fmt == "parquet":
        require_pyarrow()
    if out.is_dir():
        raise ConfigError(f"--out {out} is a folder; dedup writes one file (e.g. deduped.jsonl)")
    if any(isinstance(x, Article) for x in items):
        return fmt
    if any(str(x) == "-" for x in items):
        raise ConfigError("dedup reads its inputs more than once; save standard input to a "
                          "file and give that")
    if any(Path(x).resolve() == out.resolve() for x in items):
        raise ConfigError(f"--out {out} is one of the inputs; write the deduplicated corpus "
                          "to a new file")
    read_corpus(items, rejects=RejectLog())  # every input readable, now
    return fmt


def dedup(inputs: Sequence[str | Path] | Iterable[Article], *, out: str | Path,
          keep: str = "origin", drop: Sequence[str] = RELATIONS,
          config: ScanConfig | None = None,
          progress: Progress | None = None, workdir: str | Path | None = None) -> DedupResult:
    """Write ``inputs`` with one article per reuse family to ``out`` (JSON Lines, or Parquet
    for ``.parquet``) and ``out.map.jsonl`` from every article to the one kept.  ``drop``
    narrows what is dropped: a member whose relation to the kept article is not in it (say
    ``partial``: a long feature quoting two paragraphs) is kept too.

    Both files are written under temporary names beside ``out`` and renamed into place when
    complete; options, inputs and the destination are checked before the scan.  Raises
    :class:`ConfigError`, :class:`InputError`, :class:`MissingDependency` or
    :class:`OutputError` (nothing is left half-written)."""
    out = Path(out)
    items = list(inputs) if not isinstance(inputs, (str, Path)) else [inputs]
    fmt = _check(items, out, keep, drop)
    listed = [x for x in items if isinstance(x, Article)]
    try:
        return _dedup_into(out, fmt, items, listed, keep, drop, config=config,
                           progress=progress, workdir=workdir)
    except KeyboardInterrupt:  # see copydesk.api.scan: leftovers a signal may leave
        for path in (out, map_path(out)):
            sweep(path.parent, staging_prefix(path))
        raise


def _dedup_into(out: Path, fmt: str, items: list[Any], listed: list[Article], keep: str,
                drop: Sequence[str], *, config: ScanConfig | None, progress: Progress | None,
                workdir: str | Path | None) -> DedupResult:
    def articles() -> Iterator[Article]:
        if listed:
            return iter(listed)
        return read_corpus(items, rejects=RejectLog())

    files = {"corpus": str(out), "map": str(map_path(out))}
    with staged_files([map_path(out), out]) as (tmp_map, tmp_out):
        result = scan(items, config=config, progress=progress, workdir=workdir)
        try:
            members = {m for f in result.families for m in f.members}
            lengths: dict[str, int] = {}
            dates: dict[str, str | None] = {}
            kinds: dict[str, set[str]] = {}
            for a in articles():
                if a.id in members:
                    lengths[a.id], dates[a.id] = len(a.text), a.date
                for name, value in a.extra.items():
                    kinds.setdefault(name, set()).add(kind_of(value))
            groups = dedup_groups(result.families, result.pairs, drop)
            mapper = DedupMap(result.pairs, choose_kept(groups, lengths, dates, keep))
            entries: list[MapEntry] = []
            seen: set[str] = set()
            with ArticleWriter(tmp_out, fmt, kinds) as writer, open(tmp_map, "wb") as map_file:
                for a in articles():
                    if a.id in seen:  # a repeated id (Article input): the scan rejected it
                        continue
                    seen.add(a.id)
                    entry = mapper.entry(a.id)
                    if entry.kept == a.id:
                        writer.write(a)
                    map_file.write(json_line(entry.to_dict()))
                    entries.append(entry)
        except OSError as e:
            raise output_error(e, f"writing {out}") from None
    return DedupResult(result, entries, files)
