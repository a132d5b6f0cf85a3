"""An index's results as a scan's results folder: ``pairs.jsonl``, ``families.jsonl``,
``boilerplate.jsonl``, ``rejects.jsonl`` and ``run.json``, written by the scan's own writer
(:func:`copydesk.write.write_results`) into a staged folder that replaces ``out`` whole."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from .. import __version__
from ..atomic import check_results_dir, output_error, staged_dir
from ..read.rejects import reason_category
from ..records import Family, Pair, Passage, Reject
from ..write import write_results

PAIR_COLUMNS = "a, b, relation, origin, coverage_a, coverage_b, passages, origin_reason"
FAMILY_COLUMNS = "family, members, origin"


def pair_of(row: tuple[Any, ...]) -> Pair:
    a, b, relation, origin, ca, cb, passages, reason = row
    return Pair(a, b, relation, origin, ca, cb, tuple(Passage(*x) for x in json.loads(passages)), reason)


def family_of_row(row: tuple[Any, ...]) -> Family:
    family, members, origin = row
    return Family(family, tuple(json.loads(members)), origin)


def meta(db: sqlite3.Connection) -> dict[str, Any]:
    return dict(db.execute("SELECT key, value FROM meta WHERE key NOT IN ('furniture_keys')"))


def export(db: sqlite3.Connection, index: Path, out: Path) -> dict[str, Any]:
    """Write the index's results to ``out`` (read in one snapshot); returns their counts."""
    check_results_dir(out)
    db.execute("BEGIN")
    try:
        pairs = [pair_of(r) for r in db.execute(f"SELECT {PAIR_COLUMNS} FROM pairs ORDER BY a, b")]
        families = [family_of_row(r) for r in db.execute(f"SELECT {FAMILY_COLUMNS} FROM families ORDER BY family")]
        boiler = [json.loads(r) for (r,) in db.execute("SELECT record FROM boilerplate ORDER BY ord")]
        rejects = [Reject(**json.loads(r)) for (r,) in db.execute("SELECT record FROM rejects ORDER BY ord")]
        adds = [json.loads(r) for (r,) in db.execute("SELECT inputs FROM adds ORDER BY ord")]
        info = meta(db)
        articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finally:
        db.execute("COMMIT")
    by_rel: dict[str, int] = {}
    for p in pairs:
        by_rel[p.relation] = by_rel.get(p.relation, 0) + 1
    by_reason: dict[str, int] = {}
    for r in rejects:
        by_reason[reason_category(r.reason)] = by_reason.get(reason_category(r.reason), 0) + 1
    inputs = [x for a in adds for x in a]
    run = {"tool": "copydesk", "version": __version__, "index": str(index.resolve()),
           "index_format_version": info.get("format_version"),
           "inputs": inputs, "config": json.loads(info.get("config", "{}")),
           "counts": {"articles": articles, "pairs": len(pairs), "pairs_by_relation": by_rel,
                      "families": len(families), "rejected": len(rejects),
                      "rejected_by_reason": by_reason},
           "stats": json.loads(info.get("stats", "{}")),
           "timings_s": {k: round(v, 3) for k, v in json.loads(info.get("timings", "{}")).items()}}
    with staged_dir(out) as stage:
        try:
            write_results(stage, pairs=pairs, families=families, rejects=rejects, manifest=run,
                          boilerplate=boiler)
        except OSError as e:
            raise output_error(e, f"writing the results to {out}") from None
    return run["counts"]
