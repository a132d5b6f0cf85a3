"""Quality gate: the full pipeline on the benchmark data, scored with copydesk's own
evaluator (checked against ../shared/tools/evaluate.py in test_evaluation.py).

Floors are pinned from the project's targets (issue 2).  Lowering one to make the gate pass
is not allowed: fix the pipeline instead.  Without ../shared the gate skips (a user's clone);
under CI it fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import copydesk
from copydesk.evaluation import SUMMARY_KEYS, evaluate

FLOORS = {
    # dev relation rose with noise-aware duplicates (issue 9 asks that it rise): 0.976
    "dev": {"pair_f1": 0.97, "contained_recall": 0.97, "relation_acc": 0.97,
            "origin_acc": 0.98, "family_ari": 0.99, "passage_f1": 0.95},
    "dev-ocr": {"pair_f1": 0.97, "contained_recall": 0.975, "relation_acc": 0.895,
                "family_ari": 0.97, "passage_f1": 0.955},
    # web and wire hard cases (issue 8).  Met: pair precision (0.992) and recall (0.994) >=
    # 0.97, relation >= 0.90 (0.959), ARI >= 0.95, passage F1 >= 0.95, origin >= 0.95 (0.9501:
    # time words read to the sentence's ends, datelines through invisible characters,
    # correction notices)
    "dev-web": {"pair_f1": 0.985, "contained_recall": 0.985, "relation_acc": 0.95,
                "origin_acc": 0.95, "family_ari": 0.99, "passage_f1": 0.985},
}

#: dev-web by kind (gold_meta.jsonl): share of gold pairs found for briefs and short tables
#: carried whole and for template re-issues; share of unrelated pages and of shared-quote
#: stories that end up in any pair: at most the issue's 0.02 and 0.05 for the last two
WEB_KINDS = {"brief": 0.95, "table": 0.95, "template": 0.99}
WEB_STRAYS = {"singleton": 0.02, "shared_quote": 0.05}


def _summary(result: dict) -> dict[str, float]:
    """The summary metrics; a metric with nothing to average over (None) counts as 0."""
    return {k: result[k] if result[k] is not None else 0.0 for k in SUMMARY_KEYS}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_floors(shared_dir: Path, tmp_path: Path, name: str) -> None:
    gold = shared_dir / "data" / name
    copydesk.scan([gold / "corpus.jsonl"], out=tmp_path)
    got = _summary(evaluate(gold, tmp_path, strict=True))
    failed = {k: (round(got[k], 4), floor) for k, floor in FLOORS[name].items() if not got[k] >= floor}
    assert not failed, f"{name}: below floor (got, floor): {failed}"


def test_web_kinds(shared_dir: Path, tmp_path: Path) -> None:
    gold = shared_dir / "data" / "dev-web"
    result = copydesk.scan([gold / "corpus.jsonl"], out=tmp_path)
    meta = {m["id"]: m for m in map(json.loads, (gold / "gold_meta.jsonl").read_text().splitlines())}
    found = {(p.a, p.b) for p in result.pairs}
    kind = {}
    for line in (gold / "gold_pairs.jsonl").read_text().splitlines():
        g = json.loads(line)
        k = meta[g["a"]]["kind"] if meta[g["a"]]["kind"] in WEB_KINDS else meta[g["b"]]["kind"]
        if k in WEB_KINDS:
            kind.setdefault(k, []).append((g["a"], g["b"]) in found)
    recall = {k: sum(v) / len(v) for k, v in kind.items()}
    low = {k: round(r, 4) for k, r in recall.items() if r < WEB_KINDS[k]}
    assert set(recall) == set(WEB_KINDS) and not low, f"found below floor: {low}"
    paired = {x for p in result.pairs for x in (p.a, p.b)}
    for k, ceiling in WEB_STRAYS.items():
        ids = [i for i, m in meta.items() if m["kind"] == k]
        share = sum(i in paired for i in ids) / len(ids)
        assert share <= ceiling, f"{k}: {share:.3f} of them are in a pair (ceiling {ceiling})"


def test_seeds_pair(shared_dir: Path, tmp_path: Path) -> None:
    """The example that defines the job: the condensed print rewrite of an AFP story."""
    gold = shared_dir / "data" / "seeds"
    result = copydesk.scan([gold / "corpus.jsonl"], out=tmp_path)
    assert len(result.pairs) == 1
    pair = result.pairs[0]
    assert (pair.a, pair.b, pair.relation, pair.origin) == ("afp-web", "print", "contained", "afp-web")
    s = _summary(evaluate(gold, tmp_path, strict=True))
    assert s["passage_f1"] >= 0.95, s


def test_paraphrase_kinds(shared_dir: Path, tmp_path: Path) -> None:
    """dev-paraphrase (hand-written rewrites, issue's floors for the lexical stage): pair
    recall of light revisions (source–light) >= 0.9, and at most 5 % of the independent
    reports of the same events in any pair; two thirds of the light revisions typed
    near_duplicate.  Reached: 30 of 30 found, 24 of them near_duplicate; no independent
    report."""
    gold = shared_dir / "data" / "dev-paraphrase"
    result = copydesk.scan([gold / "corpus.jsonl"], out=tmp_path)
    meta = {m["id"]: m for m in map(json.loads, (gold / "gold_meta.jsonl").read_text().splitlines())}
    found = {(p.a, p.b) for p in result.pairs}
    light = [tuple(sorted((i, m["source_id"]))) for i, m in meta.items() if m["kind"] == "light"]
    assert len(light) == 30
    recall = sum(p in found for p in light) / len(light)
    assert recall >= 0.9, f"light revisions found: {recall:.3f} (floor 0.9)"
    near = sum(p.relation == "near_duplicate" for p in result.pairs if (p.a, p.b) in set(light))
    assert near >= 2 * len(light) // 3, f"light revisions typed near_duplicate: {near} of {len(light)}"
    paired = {x for p in result.pairs for x in (p.a, p.b)}
    independent = [i for i, m in meta.items() if m["kind"] == "independent"]
    share = sum(i in paired for i in independent) / len(independent)
    assert share <= 0.05, f"independent reports in a pair: {share:.3f} (ceiling 0.05)"


#: dev-paraphrase with the semantic stage (``scan --semantic``).  The issue's targets: light
#: revisions 1.0, heavy revisions and summaries >= 0.9, independent reports <= 5 %.  Reached:
#: 30, 29 and 27 of 30 and no independent report (one, paired with a heavy revision, before
#: texts of one length had to keep each other's facts both ways); heavy pinned at 0.93,
#: summaries at the target
SEMANTIC_KINDS = {"light": 1.0, "heavy": 0.93, "summary": 0.9}
#: ... and typed as gold types them, with sentences merged or paired as mutual nearest counted
#: in coverage, and a whole story reworded at about its length typed near_duplicate (reached:
#: summaries contained 24 of 30, heavy revisions near_duplicate 14 of 30)
SEMANTIC_TYPED = {"summary": ("contained", 0.8), "heavy": ("near_duplicate", 0.45)}


def _semantic_config() -> copydesk.ScanConfig:
    from copydesk.config import SemanticConfig

    if os.environ.get("CI", "").strip().lower() != "true":  # CI installs the extra: no skip there
        pytest.importorskip("usearch", reason="the semantic extra is not installed")
    return copydesk.ScanConfig(semantic=SemanticConfig(enabled=True))


def test_semantic_paraphrase_kinds(shared_dir: Path, tmp_path: Path) -> None:
    gold = shared_dir / "data" / "dev-paraphrase"
    result = copydesk.scan([gold / "corpus.jsonl"], out=tmp_path, config=_semantic_config())
    meta = {m["id"]: m for m in map(json.loads, (gold / "gold_meta.jsonl").read_text().splitlines())}
    found = {(p.a, p.b) for p in result.pairs}
    for kind, floor in SEMANTIC_KINDS.items():
        want = [tuple(sorted((i, m["source_id"]))) for i, m in meta.items() if m["kind"] == kind]
        recall = sum(p in found for p in want) / len(want)
        assert recall >= floor, f"{kind} found: {recall:.3f} (floor {floor})"
    typed = {(p.a, p.b): p.relation for p in result.pairs}
    for kind, (rel, floor) in SEMANTIC_TYPED.items():
        want = [tuple(sorted((i, m["source_id"]))) for i, m in meta.items() if m["kind"] == kind]
        share = sum(typed.get(p) == rel for p in want) / len(want)
        assert share >= floor, f"{kind} typed {rel}: {share:.3f} (floor {floor})"
    paired = {x for p in result.pairs for x in (p.a, p.b)}
    independent = [i for i, m in meta.items() if m["kind"] == "independent"]
    assert sum(i in paired for i in independent) / len(independent) <= 0.05


@pytest.mark.parametrize("name", ["dev", "dev-ocr", "dev-web"])
def test_semantic_costs_no_figure(shared_dir: Path, tmp_path: Path, name: str) -> None:
    """The semantic stage must not cost the other sets a figure (the issue: no figure drops,
    with or without ``--semantic``), compared as the evaluator prints them (four decimals)
    with the default scan of the same set; and the floors hold.  Reached: dev and dev-web
    equal (the same pairs and relations), dev-ocr pair F1 0.9775 against 0.9771."""
    gold = shared_dir / "data" / name
    copydesk.scan([gold / "corpus.jsonl"], out=tmp_path / "default")
    copydesk.scan([gold / "corpus.jsonl"], out=tmp_path / "semantic", config=_semantic_config())
    plain = _summary(evaluate(gold, tmp_path / "default", strict=True))
    got = _summary(evaluate(gold, tmp_path / "semantic", strict=True))
    dropped = {k: (round(got[k], 4), round(plain[k], 4)) for k in got if round(got[k], 4) < round(plain[k], 4)}
    assert not dropped, f"{name}: lower with --semantic (with, without): {dropped}"
    failed = {k: (round(got[k], 4), floor) for k, floor in FLOORS[name].items() if not got[k] >= floor}
    assert not failed, f"{name} with --semantic: below floor (got, floor): {failed}"
