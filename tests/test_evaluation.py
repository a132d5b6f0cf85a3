"""copydesk.evaluation: hand-computed toy cases, validation, and differential tests against the
benchmark kit's ``evaluate.py`` (``../shared/tools``) on the dev and seeds data."""

from __future__ import annotations

import copy
import importlib.util
import json
import math
import random
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from copydesk.errors import InputError
from copydesk.evaluation import SUMMARY_KEYS, evaluate, format_report, summary_line
from copydesk.records import RELATIONS

Row = dict[str, Any]

# --------------------------------------------------------------------------- helpers


def write_jsonl(path: Path, rows: list[Row | str]) -> Path:
    """Rows as JSON lines; a str row is written verbatim (for malformed lines)."""
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[Row]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def make_pred(root: Path, pairs: list[Row | str], families: list[Row] | None = None,
              name: str = "pred") -> Path:
    folder = root / name
    folder.mkdir()
    write_jsonl(folder / "pairs.jsonl", pairs)
    if families is not None:
        write_jsonl(folder / "families.jsonl", families)
    return folder


def passage(a0: int, a1: int, b0: int, b1: int) -> Row:
    return {"a_start": a0, "a_end": a1, "b_start": b0, "b_end": b1}


# --------------------------------------------------------------------------- toy gold

TOY_IDS = ["a", "b", "c", "d", "e"]
TOY_PAIRS: list[Row] = [
    {"a": "a", "b": "b", "relation": "contained", "origin": "a",
     "passages": [passage(0, 50, 10, 60)]},
    {"a": "a", "b": "c", "relation": "near_duplicate", "origin": "a"},
    {"a": "b", "b": "c", "relation": "partial", "origin": None},
    {"a": "d", "b": "e", "relation": "duplicate", "origin": "d"},
]
TOY_FAMILIES: list[Row] = [
    {"family": "f1", "members": ["a", "b", "c"], "origin": "a"},
    {"family": "f2", "members": ["d", "e"], "origin": "d"},
]


@pytest.fixture
def toy_gold(tmp_path: Path) -> Path:
    gold = tmp_path / "gold"
    gold.mkdir()
    write_jsonl(gold / "corpus.jsonl", [{"id": i, "text": "x" * 100} for i in TOY_IDS])
    write_jsonl(gold / "gold_pairs.jsonl", TOY_PAIRS)
    write_jsonl(gold / "gold_families.jsonl", TOY_FAMILIES)
    return gold


def test_perfect_prediction_scores_one(toy_gold: Path, tmp_path: Path) -> None:
    result = evaluate(toy_gold, make_pred(tmp_path, TOY_PAIRS, TOY_FAMILIES), strict=False)
    for key in ("pair_f1", "typed_pair_f1", "relation_acc", "origin_acc", "family_ari",
                "bcubed_f1", "family_origin_acc", "passage_f1", "passage_granularity",
                "passage_plagdet", "contained_recall"):
        assert result[key] == 1.0, key
    assert result["origin_n"] == 3  # (b, c) has a null gold origin
    assert result["passage_pairs"] == 1
    assert result["coverage_mae"] is None and result["coverage_n"] == 0


def test_hand_computed_mixed_prediction(toy_gold: Path, tmp_path: Path) -> None:
    pred = make_pred(tmp_path, [
        # right relation and origin; the gold passage is found in two pieces
        {"a": "a", "b": "b", "relation": "contained", "origin": "a",
         "passages": [passage(0, 20, 10, 30), passage(30, 70, 40, 80)]},
        {"a": "a", "b": "c", "relation": "partial", "origin": "c"},  # wrong relation, origin
        {"a": "a", "b": "d", "relation": "duplicate", "origin": "a"},  # false pair
    ])  # no families.jsonl: components {a, b, c, d}, {e}
    r = evaluate(toy_gold, pred)
    assert r["pair_tp"] == 2
    assert r["pair_precision"] == pytest.approx(2 / 3)
    assert r["pair_recall"] == pytest.approx(1 / 2)
    assert r["pair_f1"] == pytest.approx(4 / 7)
    assert r["typed_pair_precision"] == pytest.approx(1 / 3)
    assert r["typed_pair_recall"] == pytest.approx(1 / 4)
    assert r["typed_pair_f1"] == pytest.approx(2 / 7)
    assert r["relation_acc"] == pytest.approx(1 / 2)
    assert r["confusion"]["near_duplicate"]["partial"] == 1
    assert r["confusion"]["contained"]["contained"] == 1
    assert sum(sum(row.values()) for row in r["confusion"].values()) == 2
    per = r["per_relation"]
    assert per["contained"] == {"gold": 1, "detected": 1, "typed_hits": 1, "predicted": 1,
                                "recall": 1.0, "typed_recall": 1.0, "typed_precision": 1.0}
    assert per["near_duplicate"]["recall"] == 1.0
    assert per["near_duplicate"]["typed_recall"] == 0.0
    assert per["near_duplicate"]["typed_precision"] is None  # none predicted
    assert per["partial"]["recall"] == 0.0 and per["partial"]["typed_precision"] == 0.0
    assert per["duplicate"]["recall"] == 0.0 and per["duplicate"]["predicted"] == 1
    assert r["origin_acc"] == pytest.approx(1 / 2) and r["origin_n"] == 2
    assert r["origin_pred_null"] == 0
    # families: gold {a,b,c} {d,e}; predicted components {a,b,c,d} {e}
    # ARI: sum_ij = 3, sum_a = 4, sum_b = 6, expected = 2.4, max = 5 -> 0.6 / 2.6
    assert r["families_source"].startswith("connected components")
    assert r["n_pred_families"] == 1
    assert r["family_ari"] == pytest.approx(3 / 13)
    assert r["bcubed_precision"] == pytest.approx(0.7)  # (9/4 + 1/4 + 1) / 5
    assert r["bcubed_recall"] == pytest.approx(0.8)  # (9/3 + 1/2 + 1/2) / 5
    assert r["bcubed_f1"] == pytest.approx(56 / 75)
    assert r["family_origin_acc"] == 0.0  # components declare no origin
    # passages: detected 40 + 40 of gold 50 + 50, predicted 60 + 60; two pieces per detection
    assert r["passage_precision"] == pytest.approx(2 / 3)
    assert r["passage_recall"] == pytest.approx(0.8)
    assert r["passage_f1"] == pytest.approx(8 / 11)
    assert r["passage_granularity"] == 2.0
    assert r["passage_plagdet"] == pytest.approx(8 / 11 / math.log2(3))


def test_hand_computed_families_file(toy_gold: Path, tmp_path: Path) -> None:
    pred = make_pred(tmp_path, TOY_PAIRS, [
        {"family": "p1", "members": ["a", "b"], "origin": "a"},
        {"family": "p2", "members": ["c", "d", "e"], "origin": "d"},
    ])
    r = evaluate(toy_gold, pred)
    assert r["families_source"] == "families.jsonl" and r["n_pred_families"] == 2
    # cells (f1,p1)=2 (f1,p2)=1 (f2,p2)=2: sum_ij = 2, sum_a = 4, sum_b = 4, expected = 1.6
    assert r["family_ari"] == pytest.approx(0.4 / 2.4)
    assert r["bcubed_precision"] == pytest.approx(11 / 15)  # (4/2 + 1/3 + 4/3) / 5
    assert r["bcubed_recall"] == pytest.approx(11 / 15)  # (4/3 + 1/3 + 4/2) / 5
    assert r["family_origin_acc"] == 1.0


def test_crossing_passage_detects_nothing(toy_gold: Path, tmp_path: Path) -> None:
    pred = make_pred(tmp_path, [{"a": "a", "b": "b", "relation": "contained", "origin": "a",
                                 "passages": [passage(0, 50, 60, 100)]}])  # b side misses
    r = evaluate(toy_gold, pred)
    assert r["passage_pairs"] == 1
    assert r["passage_precision"] == 0.0 and r["passage_recall"] == 0.0
    assert r["passage_f1"] == 0.0
    assert r["passage_granularity"] is None and r["passage_plagdet"] == 0.0


def test_empty_prediction(toy_gold: Path, tmp_path: Path) -> None:
    r = evaluate(toy_gold, make_pred(tmp_path, [], []))
    assert (r["pair_precision"], r["pair_recall"], r["pair_f1"]) == (0.0, 0.0, 0.0)
    assert r["contained_recall"] == 0.0
    assert r["relation_acc"] is None and r["origin_acc"] is None and r["passage_f1"] is None
    assert r["family_ari"] == 0.0
    assert r["bcubed_precision"] == 1.0
    assert r["bcubed_recall"] == pytest.approx(0.4)  # (3 * 1/3 + 2 * 1/2) / 5
    assert summary_line(r) == ("pair_f1=0.0000 contained_recall=0.0000 relation_acc=nan "
                               "origin_acc=nan family_ari=0.0000 passage_f1=nan")
    report = format_report(r)
    assert report.splitlines()[-1] == summary_line(r)
    json.dumps(r, allow_nan=False)


BAD_PAIR_LINES = [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    ({"a": "b", "b": "a", "relation": "partial", "origin": None}, "a < b"),
    ({"a": "a", "b": "zz", "relation": "partial", "origin": None}, "not in the corpus"),
    ({"a": "a", "b": "c", "relation": "copy", "origin": None}, "relation must be one of"),
    ({"a": "a", "b": "c", "relation": "partial"}, "missing 'origin'"),
    ({"a": "a", "b": "c", "relation": "partial", "origin": "zz"}, "origin must be null"),
    ({"a": "a", "b": "c", "relation": "partial", "origin": None, "coverage_a": 1.5},
     "coverage_a must be a number"),
    ({"a": "a", "b": "c", "relation": "partial", "origin": None,
      "passages": [passage(0, 101, 0, 10)]}, "outside 0..100"),
    ({"a": "a", "b": "c", "relation": "partial", "origin": None,
      "passages": [passage(0, 1.5, 0, 10)]}, "must be integers"),
    ({"a": "a", "b": "c", "relation": "partial", "origin": None, "passages": [{}]},
     "needs keys"),
    (TOY_PAIRS[0], "listed twice"),
]


@pytest.mark.parametrize(("line", "needle"), BAD_PAIR_LINES)
def test_malformed_pair_line_names_file_and_line(toy_gold: Path, tmp_path: Path,
                                                 line: Row | str, needle: str) -> None:
    pred = make_pred(tmp_path, [TOY_PAIRS[0], "", line])  # line 2 is blank
    with pytest.raises(InputError) as err:
        evaluate(toy_gold, pred)
    message = str(err.value)
    assert message.startswith(f"{pred / 'pairs.jsonl'} line 3: "), message
    assert needle in message and "\n" not in message


@pytest.mark.parametrize(("families", "needle"), [
    ([{"family": "x", "members": ["a", "b"]}, {"family": "y", "members": ["b", "c"]}],
     "in two families"),
    ([{"family": "x", "members": ["a"]}, {"family": "x", "members": ["b"]}], "used twice"),
    ([{"family": "x", "members": ["a"]}, {"family": "y", "members": ["b"], "origin": "c"}],
     "not a member"),
    ([{"family": "x", "members": ["a"]}, {"family": "y", "members": []}], "non-empty list"),
])
def test_malformed_family_line(toy_gold: Path, tmp_path: Path, families: list[Row],
                               needle: str) -> None:
    pred = make_pred(tmp_path, TOY_PAIRS, families)
    with pytest.raises(InputError, match=r"families\.jsonl line 2: .*" + needle):
        evaluate(toy_gold, pred)


def test_malformed_gold_is_reported_too(toy_gold: Path, tmp_path: Path) -> None:
    write_jsonl(toy_gold / "gold_pairs.jsonl", [TOY_PAIRS[0], {"a": "a", "b": "c"}])
    with pytest.raises(InputError, match=r"gold_pairs\.jsonl line 2: .*relation"):
        evaluate(toy_gold, make_pred(tmp_path, []))


def test_missing_files(toy_gold: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="prediction file not found"):
        evaluate(toy_gold, tmp_path / "nowhere")
    pred = make_pred(tmp_path, [])
    with pytest.raises(InputError, match="corpus file not found"):
        evaluate(toy_gold, pred, corpus=tmp_path / "no-corpus.jsonl")
    (toy_gold / "gold_families.jsonl").unlink()
    with pytest.raises(InputError, match="gold file not found"):
        evaluate(toy_gold, pred)


def test_strict_requires_coverage_and_passages(toy_gold: Path, tmp_path: Path) -> None:
    pred = make_pred(tmp_path, [{"a": "a", "b": "b", "relation": "contained", "origin": "a",
                                 "coverage_a": 0.5, "coverage_b": 0.9}])
    assert evaluate(toy_gold, pred)["coverage_n"] == 0  # gold carries no coverage
    with pytest.raises(InputError, match=r"line 1: missing 'passages'"):
        evaluate(toy_gold, pred, strict=True)


# --------------------------------------------------------------------------- differential


@pytest.fixture(scope="module")
def reference(shared_dir: Path) -> ModuleType:
    """The kit's evaluate.py, imported by path."""
    path = shared_dir / "tools" / "evaluate.py"
    spec = importlib.util.spec_from_file_location("shared_kit_evaluate", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Bench:
    """Gold labels of one benchmark folder, to derive predictions from."""

    gold_dir: Path
    pairs: list[Row]
    families: list[Row]
    lengths: dict[str, int]


_BENCH_CACHE: dict[Path, Bench] = {}


def load_bench(gold_dir: Path) -> Bench:
    if gold_dir not in _BENCH_CACHE:
        lengths = {row["id"]: len(row["text"]) for row in read_jsonl(gold_dir / "corpus.jsonl")}
        _BENCH_CACHE[gold_dir] = Bench(gold_dir, read_jsonl(gold_dir / "gold_pairs.jsonl"),
                                       read_jsonl(gold_dir / "gold_families.jsonl"), lengths)
    return _BENCH_CACHE[gold_dir]


Prediction = tuple[list[Row], list[Row] | None]  # pairs, families (None: no families.jsonl)


def _other(choices: tuple[str, ...], current: str, rng: random.Random) -> str:
    return rng.choice([c for c in choices if c != current])


def drop_pairs(bench: Bench, pairs: list[Row], families: list[Row] | None,
               rng: random.Random) -> Prediction:
    return [p for i, p in enumerate(pairs) if i % 3 != 1], None


def change_relations(bench: Bench, pairs: list[Row], families: list[Row] | None,
                     rng: random.Random) -> Prediction:
    for i, p in enumerate(pairs):
        if i % 4 == 0:
            p["relation"] = _other(RELATIONS, p["relation"], rng)
    return pairs, families


def flip_origins(bench: Bench, pairs: list[Row], families: list[Row] | None,
                 rng: random.Random) -> Prediction:
    for i, p in enumerate(pairs):
        if i % 3 == 0:
            p["origin"] = p["b"] if p["origin"] == p["a"] else p["a"]
        elif i % 3 == 1:
            p["origin"] = None
    for i, f in enumerate(families or []):
        f["origin"] = [None, f["members"][-1], f["origin"]][i % 3]
    return pairs, families


def _clamp(lo: int, hi: int, length: int) -> tuple[int, int]:
    lo = min(max(lo, 0), length)
    return lo, min(max(hi, lo), length)


def shift_passages(bench: Bench, pairs: list[Row], families: list[Row] | None,
                   rng: random.Random) -> Prediction:
    for i, p in enumerate(pairs):
        if i % 7 == 3:
            p.pop("passages", None)  # no passages on this line
            continue
        if i % 7 == 5:
            p["passages"] = []
            continue
        la, lb = bench.lengths[p["a"]], bench.lengths[p["b"]]
        shifted = []
        for q in p.get("passages", []):
            a0, a1 = _clamp(q["a_start"] + rng.randint(-80, 80), q["a_end"] + rng.randint(-80, 80), la)
            b0, b1 = _clamp(q["b_start"] + rng.randint(-80, 80), q["b_end"] + rng.randint(-80, 80), lb)
            if i % 2 and a1 - a0 > 10 and b1 - b0 > 10:  # split: granularity > 1
                am, bm = (a0 + a1) // 2, (b0 + b1) // 2
                shifted += [passage(a0, am, b0, bm), passage(am + 3, a1, bm + 3, b1)]
            else:
                shifted.append(passage(a0, a1, b0, b1))
        p["passages"] = shifted
        if "coverage_a" in p:
            if i % 5 == 0:
                del p["coverage_b"]
            else:
                p["coverage_a"] = min(1.0, max(0.0, p["coverage_a"] + rng.uniform(-0.2, 0.2)))
    return pairs, families


def merge_families(bench: Bench, pairs: list[Row], families: list[Row] | None,
                   rng: random.Random) -> Prediction:
    gold = copy.deepcopy(bench.families)
    merged: list[Row] = []
    for i in range(0, len(gold), 2):
        group = gold[i:i + 2]
        if i % 6 == 4:
            continue  # these articles end up in no family
        members = [m for f in group for m in f["members"]]
        if i % 6 == 2 and len(members) > 3:  # split instead of merging
            half = len(members) // 2
            merged += [{"family": f"s{i}", "members": members[:half], "origin": members[0]},
                       {"family": f"t{i}", "members": members[half:], "origin": None}]
        else:
            merged.append({"family": f"m{i}", "members": members, "origin": group[0]["origin"]})
    return pairs, merged


def add_false_pairs(bench: Bench, pairs: list[Row], families: list[Row] | None,
                    rng: random.Random) -> Prediction:
    ids = sorted(bench.lengths)
    taken = {(p["a"], p["b"]) for p in pairs}
    for _ in range(max(1, len(pairs) // 5)):
        a, b = sorted(rng.sample(ids, 2))
        if (a, b) in taken:
            continue
        taken.add((a, b))
        a0, a1 = sorted(rng.randint(0, bench.lengths[a]) for _ in range(2))
        b0, b1 = sorted(rng.randint(0, bench.lengths[b]) for _ in range(2))
        pairs.append({"a": a, "b": b, "relation": rng.choice(RELATIONS),
                      "origin": rng.choice([a, b, None]), "coverage_a": rng.random(),
                      "coverage_b": rng.random(), "passages": [passage(a0, a1, b0, b1)]})
    rng.shuffle(pairs)
    return pairs, families


def gold_without_families(bench: Bench, pairs: list[Row], families: list[Row] | None,
                          rng: random.Random) -> Prediction:
    return pairs, None


def empty(bench: Bench, pairs: list[Row], families: list[Row] | None,
          rng: random.Random) -> Prediction:
    return [], None


Perturbation = Callable[[Bench, list[Row], list[Row] | None, random.Random], Prediction]


def everything(bench: Bench, pairs: list[Row], families: list[Row] | None,
               rng: random.Random) -> Prediction:
    steps: list[Perturbation] = [drop_pairs, change_relations, flip_origins, shift_passages,
                                 merge_families, add_false_pairs]
    prediction: Prediction = (pairs, families)
    for step in steps:
        prediction = step(bench, *prediction, rng)
    return prediction


def everything_without_families(bench: Bench, pairs: list[Row], families: list[Row] | None,
                                rng: random.Random) -> Prediction:
    """Families from the connected components of noisy pairs (false pairs chain families)."""
    return everything(bench, pairs, families, rng)[0], None


def gold_as_prediction(bench: Bench, pairs: list[Row], families: list[Row] | None,
                       rng: random.Random) -> Prediction:
    return pairs, families


PERTURBATIONS: dict[str, Perturbation] = {f.__name__: f for f in (
    gold_as_prediction, gold_without_families, empty, drop_pairs, change_relations,
    flip_origins, shift_passages, merge_families, add_false_pairs, everything,
    everything_without_families)}
#: seeds has one pair and one family: dropping, merging or adding pairs changes nothing there
SEEDS_PERTURBATIONS = ("gold_as_prediction", "gold_without_families", "empty",
                       "change_relations", "flip_origins", "shift_passages", "everything")
DIFFERENTIAL_CASES = ([("dev", name) for name in PERTURBATIONS]
                      + [("seeds", name) for name in SEEDS_PERTURBATIONS])


def assert_same(ours: Any, theirs: Any, where: str = "result") -> None:
    """Equal structure and types; numbers within 1e-9."""
    assert type(ours) is type(theirs), f"{where}: {ours!r} vs {theirs!r}"
    if isinstance(ours, dict):
        assert ours.keys() == theirs.keys(), f"{where}: keys {sorted(ours.keys() ^ theirs.keys())}"
        for key in ours:
            assert_same(ours[key], theirs[key], f"{where}[{key!r}]")
    elif isinstance(ours, float):
        assert abs(ours - theirs) <= 1e-9, f"{where}: {ours!r} vs {theirs!r}"
    else:
        assert ours == theirs, f"{where}: {ours!r} vs {theirs!r}"


def as_json(result: dict[str, Any]) -> Any:
    return json.loads(json.dumps(result, sort_keys=True))


@pytest.mark.parametrize(("dataset", "name"), DIFFERENTIAL_CASES)
def test_matches_reference(shared_dir: Path, reference: ModuleType, tmp_path: Path,
                           dataset: str, name: str) -> None:
    bench = load_bench(shared_dir / "data" / dataset)
    pairs, families = PERTURBATIONS[name](bench, copy.deepcopy(bench.pairs),
                                          copy.deepcopy(bench.families), random.Random(7))
    pred = make_pred(tmp_path, list(pairs), families)
    ours = evaluate(bench.gold_dir, pred)
    theirs = reference.run(str(bench.gold_dir), str(pred))
    assert_same(as_json(ours), as_json(theirs))
    assert format_report(ours).splitlines()[-1] == reference.summary_line(theirs)
    if name == "gold_as_prediction":
        assert all(ours[key] == 1.0 for key in SUMMARY_KEYS), summary_line(ours)
        assert ours["family_origin_acc"] == 1.0 and ours["bcubed_f1"] == 1.0
        assert_same(as_json(evaluate(bench.gold_dir, pred, strict=True)), as_json(ours))


def test_matches_reference_cli_json(shared_dir: Path, tmp_path: Path) -> None:
    """The ``--json`` output of the kit's command line, byte for byte after parsing."""
    gold = shared_dir / "data" / "seeds"
    bench = load_bench(gold)
    pred = make_pred(tmp_path, *shift_passages(bench, copy.deepcopy(bench.pairs),
                                               copy.deepcopy(bench.families), random.Random(3)))
    out = subprocess.run([sys.executable, str(shared_dir / "tools" / "evaluate.py"),
                          "--gold", str(gold), "--pred", str(pred), "--json"],
                         capture_output=True, text=True, check=True).stdout
    assert_same(as_json(evaluate(gold, pred)), json.loads(out))


def test_reference_and_ours_reject_the_same_line(shared_dir: Path, reference: ModuleType,
                                                 tmp_path: Path) -> None:
    gold = shared_dir / "data" / "seeds"
    bench = load_bench(gold)
    bad = dict(bench.pairs[0], passages=[passage(0, 10**6, 0, 1)])
    pred = make_pred(tmp_path, ["", bad])
    with pytest.raises(reference.FormatError) as theirs:
        reference.run(str(gold), str(pred))
    with pytest.raises(InputError) as ours:
        evaluate(gold, pred)
    assert str(ours.value) == str(theirs.value)
