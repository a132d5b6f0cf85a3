"""The bundled demo corpus: runs in any clone (no ../shared needed)."""

from __future__ import annotations

from pathlib import Path

import copydesk
from copydesk.evaluation import evaluate

DEMO = Path(copydesk.__file__).parent / "demo"


def test_demo_scan_matches_its_gold(tmp_path: Path) -> None:
    result = copydesk.scan([DEMO / "demo.jsonl"], out=tmp_path)
    scores = evaluate(DEMO, tmp_path, corpus=DEMO / "demo.jsonl", strict=True)
    assert scores["pair_f1"] >= 0.95, scores["pair_f1"]
    assert scores["relation_acc"] >= 0.9, scores["relation_acc"]
    assert scores["family_ari"] >= 0.95, scores["family_ari"]
    assert len(result.families) == 4


def test_one_shared_quotation_is_not_reuse(tmp_path: Path) -> None:
    result = copydesk.scan([DEMO / "demo.jsonl"])
    ids = {frozenset((p.a, p.b)) for p in result.pairs}
    assert frozenset(("courier-fares", "tribune-signal")) not in ids
    fam_of = {m: f.family for f in result.families for m in f.members}
    assert "courier-fares" not in fam_of or fam_of["courier-fares"] != fam_of.get("tribune-signal")
