"""What a report is made from: a results folder (``pairs.jsonl``, ``families.jsonl``,
``run.json``) and the articles it was scanned from (their texts: every passage is a range of
characters in them)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import Article, Family, Pair, Passage

#: inputs a scan records that cannot be read again
_NOT_FILES = ("-", "<articles>")


@dataclass(slots=True)
class Results:
    """A scan's results as records, with its manifest (``run.json``; empty when absent)."""

    pairs: list[Pair]
    families: list[Family]
    run: dict[str, Any] = field(default_factory=dict)


def _jsonl(path: Path) -> Iterable[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as e:
                    raise InputError(f"{path}:{n}: not JSON ({e})") from None
                if not isinstance(row, dict):
                    raise InputError(f"{path}:{n}: expected a JSON object")
                yield row
    except FileNotFoundError:
        raise InputError(f"{path} not found: is {path.parent} a copydesk results folder?") from None


def pair_from_row(row: dict[str, Any], where: str = "pairs.jsonl") -> Pair:
    """A :class:`Pair` from a line of ``pairs.jsonl``."""
    try:
        passages = tuple(Passage(int(p["a_start"]), int(p["a_end"]), int(p["b_start"]),
                                 int(p["b_end"]), str(p.get("kind") or "verbatim"))
                         for p in row.get("passages") or ())
        return Pair(str(row["a"]), str(row["b"]), str(row["relation"]), row.get("origin"),
                    float(row.get("coverage_a") or 0.0), float(row.get("coverage_b") or 0.0),
                    passages, row.get("origin_reason"))
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(f"{where}: not a copydesk pair ({e!r})") from None


def load_results(results_dir: str | Path) -> Results:
    """Read ``pairs.jsonl``, ``families.jsonl`` and ``run.json`` of a results folder."""
    folder = Path(results_dir)
    if not folder.is_dir():
        raise InputError(f"results folder not found: {folder}")
    pairs = [pair_from_row(r, str(folder / "pairs.jsonl")) for r in _jsonl(folder / "pairs.jsonl")]
    families = []
    for row in _jsonl(folder / "families.jsonl"):
        try:
            families.append(Family(str(row["family"]), tuple(map(str, row["members"])),
                                   row.get("origin")))
        except (KeyError, TypeError) as e:
            raise InputError(f"{folder / 'families.jsonl'}: not a copydesk family ({e!r})") from None
    try:
        run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        run = {}
    return Results(pairs, families, run if isinstance(run, dict) else {})


def recorded_inputs(results_dir: str | Path, run: dict[str, Any]) -> list[Path]:
    """The inputs ``run.json`` records (absolute paths first, then as given), checked to
    exist; :class:`InputError` with what to do when they cannot be read again."""
    folder = Path(results_dir)
    missing = ""
    for key in ("inputs_resolved", "inputs"):
        inputs = run.get(key)
        if not isinstance(inputs, list) or not inputs:
            continue
        if any(x in _NOT_FILES for x in inputs):
            raise InputError(f"{folder} was scanned from standard input or from articles in "
                             "memory; give the corpus with --corpus FILE")
        paths = [Path(str(x)) for x in inputs]
        absent = [p for p in paths if not p.exists()]
        if not absent:
            return paths
        missing = missing or str(absent[0])
    if missing:
        raise InputError(f"the corpus recorded in {folder / 'run.json'} is not found "
                         f"({missing}); give it with --corpus FILE")
    raise InputError(f"{folder / 'run.json'} records no inputs; give the corpus with --corpus FILE")


@dataclass(frozen=True, slots=True)
class Meta:
    """An article without its text: what family and index pages show of it."""

    id: str
    title: str | None
    date: str | None
    source: str | None
    url: str | None
    length: int  # characters of its text

    @classmethod
    def of(cls, a: Article) -> Meta:
        return cls(a.id, a.title, a.date, a.source, a.url, len(a.text))


def pick_articles(articles: Iterable[Article], wanted: set[str],
                  texts: set[str]) -> tuple[dict[str, Meta], dict[str, Article]]:
    """What the report keeps of a streamed corpus: the metadata of the articles in
    ``wanted``, and the whole articles (texts) of those in ``texts`` only."""
    metas: dict[str, Meta] = {}
    whole: dict[str, Article] = {}
    for a in articles:
        if a.id in wanted:
            metas[a.id] = Meta.of(a)
            if a.id in texts:
                whole[a.id] = a
    return metas, whole


def check_articles(found: Mapping[str, Meta], pairs: Sequence[Pair], families: Sequence[Family],
                   where: str) -> None:
    """Every id of the results is in ``found`` and every passage fits its text, else the
    corpus is not the one scanned: :class:`InputError`."""
    for fam in families:
        for m in fam.members:
            if m not in found:
                raise InputError(f"article {m!r} of the results is not in {where}; "
                                 "give the scanned corpus with --corpus FILE")
    for p in pairs:
        for side in (p.a, p.b):
            if side not in found:
                raise InputError(f"article {side!r} of the results is not in {where}; "
                                 "give the scanned corpus with --corpus FILE")
        la, lb = found[p.a].length, found[p.b].length
        if any(q.a_end > la or q.b_end > lb for q in p.passages):
            raise InputError(f"the texts of {p.a!r} and {p.b!r} in {where} are shorter than "
                             "their passages: not the corpus that was scanned; give it with "
                             "--corpus FILE")
