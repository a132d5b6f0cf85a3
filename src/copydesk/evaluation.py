"""Score copydesk output against gold labels: the benchmark metrics, in the project itself.

:func:`evaluate` reads ``pairs.jsonl`` (and ``families.jsonl`` when present) from a prediction
folder and ``corpus.jsonl``, ``gold_pairs.jsonl`` and ``gold_families.jsonl`` from a gold folder
(formats: FORMATS.md) and returns the same JSON-ready dict as the benchmark kit's
``evaluate.py --json``; :func:`format_report` renders it as a table whose last line is the
one-line summary.  The definitions are the kit's, so numbers agree with it exactly:

- **pairs**: a pair is predicted related if ``pairs.jsonl`` lists it, whatever its relation;
  identity is the unordered id pair.  Precision, recall and F1; an empty prediction scores 0.
  *Typed* scores also need the right relation for a hit.
- **per relation**: for the gold pairs of each relation, the share detected (any relation) and
  typed recall; typed precision = right / predicted with that relation.
- **relation accuracy** (and a confusion matrix, gold rows x predicted columns) over true
  positives; **origin accuracy** over true positives whose gold origin is not null (a predicted
  null is wrong); **coverage MAE** over true positives carrying both coverages on both lines.
- **families**: every corpus id is clustered (ids in no family are singletons); adjusted Rand
  index, item-averaged B-cubed precision/recall/F1, and the share of gold families whose
  original is the declared origin of the predicted family holding it.  Without
  ``families.jsonl`` the connected components of the predicted pairs are the families.
- **passages** (PAN plagdet style), micro-averaged over true positives whose gold line has
  passages: a predicted passage *detects* a gold passage when they overlap on side a and on
  side b; detected characters are the union of those overlaps per side.  Precision = detected /
  predicted characters, recall = detected / gold characters (character unions per side, summed
  over both sides and all pairs).  Granularity = mean number of predicted passages detecting
  each detected gold passage; plagdet = F1 / log2(1 + granularity).

A metric with nothing to average over is ``None`` (``nan`` in the summary line).  Every line of
every file is validated; a missing file or a malformed line raises
:class:`~copydesk.errors.InputError` with a one-line message (``"FILE line N: ..."``).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .errors import InputError
from .records import RELATIONS

__all__ = [
    "SUMMARY_KEYS",
    "adjusted_rand_index",
    "bcubed",
    "Family",
    "PairLabel",
    "evaluate",
    "families_from_pairs",
    "format_report",
    "load_corpus_lengths",
    "load_families",
    "load_pairs",
    "score",
    "summary_line",
]

#: the metrics of the one-line summary, in order
SUMMARY_KEYS = ("pair_f1", "contained_recall", "relation_acc", "origin_acc", "family_ari",
                "passage_f1")
PASSAGE_KEYS = ("a_start", "a_end", "b_start", "b_end")
FAMILIES_FILE_SOURCE = "families.jsonl"
COMPONENTS_SOURCE = "connected components of pairs.jsonl (no families.jsonl)"
_COVERAGE_SLACK = 1e-9  # coverages are accepted in [-slack, 1 + slack] (rounding noise)

Span = tuple[int, int, int, int]  # a_start, a_end, b_start, b_end; end exclusive
PairKey = tuple[str, str]  # (a, b) with a < b
Result = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PairLabel:
    """One validated line of a pairs file (gold or predicted)."""

    relation: str
    origin: str | None
    coverage: tuple[float, float] | None  # (coverage_a, coverage_b) when the line has both
    passages: tuple[Span, ...] | None  # None when the line has no "passages" field


@dataclass(frozen=True, slots=True)
class Family:
    """One validated line of a families file."""

    id: str | int
    members: tuple[str, ...]
    origin: str | None


# --------------------------------------------------------------------------- reading


def _read_jsonl(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(where, object)`` for each non-blank line; ``where`` is ``"FILE line N"``."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from None
    with handle:
        try:
            for lineno, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                where = f"{path} line {lineno}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"{where}: not valid JSON ({e})") from None
                if not isinstance(obj, dict):
                    raise InputError(f"{where}: expected a JSON object, got {type(obj).__name__}")
                yield where, obj
        except UnicodeDecodeError as e:
            raise InputError(f"{path}: not valid UTF-8 text ({e.reason})") from None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def load_corpus_lengths(path: str | Path) -> dict[str, int]:
    """``{id: len(text)}`` in file order (lengths in code points, the unit of all offsets)."""
    lengths: dict[str, int] = {}
    for where, obj in _read_jsonl(Path(path)):
        article_id, text = obj.get("id"), obj.get("text")
        if not isinstance(article_id, str) or not isinstance(text, str):
            raise InputError(f"{where}: corpus lines need string 'id' and 'text'")
        if article_id in lengths:
            raise InputError(f"{where}: duplicate id {article_id!r}")
        lengths[article_id] = len(text)
    return lengths


def _parse_ids(obj: Mapping[str, Any], where: str, lengths: Mapping[str, int]) -> PairKey:
    a, b = obj.get("a"), obj.get("b")
    if not isinstance(a, str) or not isinstance(b, str):
        raise InputError(f"{where}: 'a' and 'b' must be strings")
    for article_id in (a, b):
        if article_id not in lengths:
            raise InputError(f"{where}: id {article_id!r} is not in the corpus")
    if not a < b:
        raise InputError(f"{where}: need a < b in string order, got a={a!r} b={b!r}")
    return a, b


def _parse_relation(obj: Mapping[str, Any], where: str) -> str:
    relation = obj.get("relation")
    if relation not in RELATIONS:
        raise InputError(f"{where}: relation must be one of {', '.join(RELATIONS)}, "
                         f"got {relation!r}")
    return relation


def _parse_origin(obj: Mapping[str, Any], where: str, lengths: Mapping[str, int]) -> str | None:
    if "origin" not in obj:
        raise InputError(f"{where}: missing 'origin' (use null when undecidable)")
    origin = obj["origin"]
    if origin is not None and (not isinstance(origin, str) or origin not in lengths):
        raise InputError(f"{where}: origin must be null or a corpus id, got {origin!r}")
    return origin


def _parse_coverage(obj: Mapping[str, Any], where: str,
                    strict: bool) -> tuple[float, float] | None:
    values: list[float] = []
    for key in ("coverage_a", "coverage_b"):
        if key not in obj:
            if strict:
                raise InputError(f"{where}: missing {key} (strict)")
            continue
        value = obj[key]
        if not _is_number(value) or not -_COVERAGE_SLACK <= value <= 1 + _COVERAGE_SLACK:
            raise InputError(f"{where}: {key} must be a number in [0, 1], got {value!r}")
        values.append(float(value))
    return (values[0], values[1]) if len(values) == 2 else None


def _parse_passages(obj: Mapping[str, Any], where: str, key: PairKey,
                    lengths: Mapping[str, int], strict: bool) -> tuple[Span, ...] | None:
    if "passages" not in obj:
        if strict:
            raise InputError(f"{where}: missing 'passages' (strict)")
        return None
    passages = obj["passages"]
    if not isinstance(passages, list):
        raise InputError(f"{where}: 'passages' must be a list")
    spans: list[Span] = []
    for n, passage in enumerate(passages):
        if not isinstance(passage, dict) or any(k not in passage for k in PASSAGE_KEYS):
            raise InputError(f"{where}: passage {n} needs keys {', '.join(PASSAGE_KEYS)}")
        offsets = [passage[k] for k in PASSAGE_KEYS]
        if not all(_is_int(x) for x in offsets):
            raise InputError(f"{where}: passage {n} offsets must be integers, got {offsets!r}")
        for side, article_id, start, end in (("a", key[0], *offsets[:2]),
                                             ("b", key[1], *offsets[2:])):
            if not 0 <= start <= end <= lengths[article_id]:
                raise InputError(
                    f"{where}: passage {n} {side}_start/{side}_end {start}..{end} outside "
                    f"0..{lengths[article_id]} (len of {article_id!r})")
        spans.append((offsets[0], offsets[1], offsets[2], offsets[3]))
    return tuple(spans)


def load_pairs(path: str | Path, lengths: Mapping[str, int], *,
               strict: bool = False) -> dict[PairKey, PairLabel]:
    """Validated pairs file as ``{(a, b): PairLabel}``.

    ``strict`` also requires ``coverage_a``, ``coverage_b`` and ``passages`` on every line (as
    FORMATS.md does for copydesk's own output; without it a gold file can be scored).
    """
    pairs: dict[PairKey, PairLabel] = {}
    for where, obj in _read_jsonl(Path(path)):
        key = _parse_ids(obj, where, lengths)
        if key in pairs:
            raise InputError(f"{where}: pair ({key[0]!r}, {key[1]!r}) listed twice")
        pairs[key] = PairLabel(
            relation=_parse_relation(obj, where),
            origin=_parse_origin(obj, where, lengths),
            coverage=_parse_coverage(obj, where, strict),
            passages=_parse_passages(obj, where, key, lengths, strict),
        )
    return pairs


def load_families(path: str | Path, lengths: Mapping[str, int]) -> list[Family]:
    """Validated families file: unique family ids, corpus members, one family per article."""
    families: list[Family] = []
    family_of: dict[str, str | int] = {}
    seen_ids: set[str | int] = set()
    for where, obj in _read_jsonl(Path(path)):
        family_id, members = obj.get("family"), obj.get("members")
        if isinstance(family_id, bool) or not isinstance(family_id, str | int):
            raise InputError(f"{where}: 'family' must be a string")
        if family_id in seen_ids:
            raise InputError(f"{where}: family id {family_id!r} used twice")
        seen_ids.add(family_id)
        if (not isinstance(members, list) or not members
                or not all(isinstance(m, str) for m in members)):
            raise InputError(f"{where}: 'members' must be a non-empty list of ids")
        if len(set(members)) != len(members):
            raise InputError(f"{where}: repeated member in family {family_id!r}")
        for member in members:
            if member not in lengths:
                raise InputError(f"{where}: member {member!r} is not in the corpus")
            if member in family_of:
                raise InputError(f"{where}: article {member!r} is in two families "
                                 f"({family_of[member]!r} and {family_id!r})")
            family_of[member] = family_id
        origin = obj.get("origin")
        if origin is not None and origin not in members:
            raise InputError(f"{where}: origin {origin!r} is not a member of family "
                             f"{family_id!r}")
        families.append(Family(family_id, tuple(members), origin))
    return families


def families_from_pairs(keys: Iterable[PairKey]) -> list[Family]:
    """Connected components of the pair graph as families ``cc0, cc1, ...`` without origin."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving
            x = parent[x]
        return x

    for a, b in keys:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[str, list[str]] = defaultdict(list)
    for x in parent:
        groups[root(x)].append(x)
    components = sorted((sorted(members) for members in groups.values()), key=lambda m: m[0])
    return [Family(f"cc{i}", tuple(members), None) for i, members in enumerate(components)]


# --------------------------------------------------------------------------- pair metrics


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def _prf(hits: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1; nothing predicted scores 0 unless there was nothing to find."""
    precision = hits / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    recall = hits / n_gold if n_gold else 1.0
    return precision, recall, _f1(precision, recall)


def _pair_metrics(gold: Mapping[PairKey, PairLabel], pred: Mapping[PairKey, PairLabel],
                  hits: list[PairKey]) -> Result:
    precision, recall, f1 = _prf(len(hits), len(pred), len(gold))
    return {"pair_tp": len(hits), "pair_precision": precision, "pair_recall": recall,
            "pair_f1": f1}


def _relation_metrics(gold: Mapping[PairKey, PairLabel], pred: Mapping[PairKey, PairLabel],
                      hits: list[PairKey]) -> Result:
    confusion = {g: dict.fromkeys(RELATIONS, 0) for g in RELATIONS}
    for key in hits:
        confusion[gold[key].relation][pred[key].relation] += 1
    n_gold = Counter(label.relation for label in gold.values())
    n_pred = Counter(label.relation for label in pred.values())
    per_relation = {}
    for rel in RELATIONS:
        detected = sum(confusion[rel].values())
        typed = confusion[rel][rel]
        per_relation[rel] = {
            "gold": n_gold[rel], "detected": detected, "typed_hits": typed,
            "predicted": n_pred[rel],
            "recall": _ratio(detected, n_gold[rel]),
            "typed_recall": _ratio(typed, n_gold[rel]),
            "typed_precision": _ratio(typed, n_pred[rel]),
        }
    correct = sum(confusion[rel][rel] for rel in RELATIONS)
    typed_p, typed_r, typed_f = _prf(correct, len(pred), len(gold))
    return {
        "per_relation": per_relation,
        "contained_recall": per_relation["contained"]["recall"],
        "relation_acc": _ratio(correct, len(hits)),
        "confusion": confusion,
        "typed_pair_precision": typed_p, "typed_pair_recall": typed_r, "typed_pair_f1": typed_f,
    }


def _origin_metrics(gold: Mapping[PairKey, PairLabel], pred: Mapping[PairKey, PairLabel],
                    hits: list[PairKey]) -> Result:
    judged = [(gold[k].origin, pred[k].origin) for k in hits if gold[k].origin is not None]
    right = sum(g == p for g, p in judged)
    return {"origin_n": len(judged),
            "origin_pred_null": sum(p is None for _, p in judged),
            "origin_acc": _ratio(right, len(judged))}


def _coverage_metrics(gold: Mapping[PairKey, PairLabel], pred: Mapping[PairKey, PairLabel],
                      hits: list[PairKey]) -> Result:
    errors = [abs(g - p)
              for key in hits
              if gold[key].coverage is not None and pred[key].coverage is not None
              for g, p in zip(gold[key].coverage, pred[key].coverage, strict=True)]
    return {"coverage_mae": _ratio(sum(errors), len(errors)), "coverage_n": len(errors) // 2}


# --------------------------------------------------------------------------- family metrics


class _Contingency(NamedTuple):
    """Cross-tabulation of two clusterings of the same items."""

    cell_sizes: np.ndarray  # items per non-empty (true, predicted) cell
    cell_true_sizes: np.ndarray  # size of each cell's true cluster
    cell_pred_sizes: np.ndarray  # size of each cell's predicted cluster
    true_sizes: np.ndarray  # size of every true cluster
    pred_sizes: np.ndarray  # size of every predicted cluster


def _cluster_labels(index: Mapping[str, int], families: list[Family]) -> np.ndarray:
    """Label per corpus position: ``k`` for family ``k``, a label of its own for the rest."""
    labels = np.arange(len(families), len(families) + len(index), dtype=np.int64)
    for k, family in enumerate(families):
        labels[[index[m] for m in family.members]] = k
    return labels


def _contingency(true: np.ndarray, pred: np.ndarray) -> _Contingency:
    _, t = np.unique(true, return_inverse=True)
    _, p = np.unique(pred, return_inverse=True)
    width = int(p.max()) + 1
    cells, cell_sizes = np.unique(t.astype(np.int64) * width + p, return_counts=True)
    true_sizes, pred_sizes = np.bincount(t), np.bincount(p)
    return _Contingency(cell_sizes, true_sizes[cells // width], pred_sizes[cells % width],
                        true_sizes, pred_sizes)


def _pairs_within(sizes: np.ndarray) -> int:
    """Number of item pairs inside clusters of these sizes (exact, as a Python int)."""
    sizes = sizes.astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def adjusted_rand_index(true: np.ndarray, pred: np.ndarray) -> float:
    """Hubert-Arabie ARI of two labelings; 1.0 when both are the same trivial partition."""
    n = len(true)
    total = n * (n - 1) // 2
    if total == 0:
        return 1.0
    table = _contingency(true, pred)
    index = _pairs_within(table.cell_sizes)
    true_pairs, pred_pairs = _pairs_within(table.true_sizes), _pairs_within(table.pred_sizes)
    expected = true_pairs * pred_pairs / total
    maximum = (true_pairs + pred_pairs) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def bcubed(true: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    """Item-averaged B-cubed precision, recall and F1."""
    n = len(true)
    if n == 0:
        return 1.0, 1.0, 1.0
    table = _contingency(true, pred)
    squared = table.cell_sizes.astype(np.float64) ** 2
    precision = float(np.sum(squared / table.cell_pred_sizes)) / n
    recall = float(np.sum(squared / table.cell_true_sizes)) / n
    return precision, recall, _f1(precision, recall)


def _family_origin_accuracy(gold: list[Family], pred: list[Family]) -> float | None:
    declared = {member: family.origin for family in pred for member in family.members}
    judged = [declared.get(f.origin) == f.origin for f in gold if f.origin is not None]
    return _ratio(sum(judged), len(judged))


def _family_metrics(ids: list[str], gold: list[Family], pred: list[Family],
                    source: str) -> Result:
    index = {article_id: i for i, article_id in enumerate(ids)}
    true, predicted = _cluster_labels(index, gold), _cluster_labels(index, pred)
    precision, recall, f1 = bcubed(true, predicted)
    return {
        "families_source": source,
        "n_gold_families": len(gold),
        "n_pred_families": sum(len(f.members) > 1 for f in pred),
        "family_ari": adjusted_rand_index(true, predicted),
        "bcubed_precision": precision, "bcubed_recall": recall, "bcubed_f1": f1,
        "family_origin_acc": _family_origin_accuracy(gold, pred),
    }


# --------------------------------------------------------------------------- passage metrics


def _union_length(intervals: Iterable[tuple[int, int]]) -> int:
    """Characters covered by half-open intervals with non-negative offsets."""
    covered = reach = 0
    for start, end in sorted(intervals):
        low = max(start, reach)
        if end > low:
            covered += end - low
            reach = end
    return covered


def _overlap(start: int, end: int, other_start: int, other_end: int) -> tuple[int, int] | None:
    low, high = max(start, other_start), min(end, other_end)
    return (low, high) if high > low else None


def _chars(spans: Sequence[Span]) -> int:
    """Character union on side a plus character union on side b."""
    return (_union_length((s[0], s[1]) for s in spans)
            + _union_length((s[2], s[3]) for s in spans))


@dataclass(slots=True)
class _PassageTally:
    """Micro-averaged passage counts over pairs."""

    pairs: int = 0
    detected_chars: int = 0
    gold_chars: int = 0
    pred_chars: int = 0
    detected_cases: int = 0  # gold passages detected at least once
    detections: int = 0  # (gold, predicted) detecting combinations

    def add(self, gold: tuple[Span, ...], pred: tuple[Span, ...]) -> None:
        self.pairs += 1
        self.gold_chars += _chars(gold)
        self.pred_chars += _chars(pred)
        hits_a: list[tuple[int, int]] = []
        hits_b: list[tuple[int, int]] = []
        for g in gold:
            found = 0
            for p in pred:
                side_a = _overlap(g[0], g[1], p[0], p[1])
                side_b = _overlap(g[2], g[3], p[2], p[3])
                if side_a and side_b:
                    found += 1
                    hits_a.append(side_a)
                    hits_b.append(side_b)
            self.detected_cases += found > 0
            self.detections += found
        self.detected_chars += _union_length(hits_a) + _union_length(hits_b)

    def scores(self) -> Result:
        if not (self.pairs and self.gold_chars):
            return dict.fromkeys(("passage_precision", "passage_recall", "passage_f1",
                                  "passage_granularity", "passage_plagdet"))
        precision = self.detected_chars / self.pred_chars if self.pred_chars else 0.0
        recall = self.detected_chars / self.gold_chars
        f1 = _f1(precision, recall)
        granularity = _ratio(self.detections, self.detected_cases)
        return {"passage_precision": precision, "passage_recall": recall, "passage_f1": f1,
                "passage_granularity": granularity,
                "passage_plagdet": f1 / math.log2(1 + granularity) if granularity else 0.0}


def _passage_metrics(gold: Mapping[PairKey, PairLabel], pred: Mapping[PairKey, PairLabel],
                     hits: list[PairKey]) -> Result:
    tally = _PassageTally()
    for key in hits:
        if gold[key].passages:
            tally.add(gold[key].passages, pred[key].passages or ())
    return {"passage_pairs": tally.pairs, **tally.scores()}


# --------------------------------------------------------------------------- entry points


def score(lengths: Mapping[str, int], gold_pairs: Mapping[PairKey, PairLabel],
          gold_families: list[Family], pred_pairs: Mapping[PairKey, PairLabel],
          pred_families: list[Family], families_source: str = FAMILIES_FILE_SOURCE) -> Result:
    """All metrics for already loaded labels (see the module docstring for definitions)."""
    hits = [key for key in pred_pairs if key in gold_pairs]
    return {
        "n_articles": len(lengths),
        "n_gold_pairs": len(gold_pairs),
        "n_pred_pairs": len(pred_pairs),
        **_pair_metrics(gold_pairs, pred_pairs, hits),
        **_relation_metrics(gold_pairs, pred_pairs, hits),
        **_origin_metrics(gold_pairs, pred_pairs, hits),
        **_coverage_metrics(gold_pairs, pred_pairs, hits),
        **_family_metrics(list(lengths), gold_families, pred_families, families_source),
        **_passage_metrics(gold_pairs, pred_pairs, hits),
    }


def _existing(path: Path, what: str) -> Path:
    if not path.is_file():
        raise InputError(f"{what} file not found: {path}")
    return path


def recorded_corpus(pred_dir: Path) -> Path | None:
    """The corpus a results folder was scanned from, when its ``run.json`` names exactly one
    JSON Lines input that still exists (absolute path first, then as given)."""
    try:
        run = json.loads((pred_dir / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(run, dict):
        return None
    for key in ("inputs_resolved", "inputs"):
        inputs = run.get(key)
        if isinstance(inputs, list) and len(inputs) == 1 and isinstance(inputs[0], str):
            path = Path(inputs[0])
            if path.name.lower().endswith((".jsonl", ".ndjson")) and path.is_file():
                return path
    return None


def _corpus_path(gold_dir: Path, pred_dir: Path, corpus: str | Path | None) -> Path:
    """``corpus``; else ``gold_dir/corpus.jsonl``; else the input recorded in the results'
    run.json (so the bundled demo's gold folder, whose corpus is ``demo.jsonl``, just works)."""
    if corpus is not None:
        return _existing(Path(corpus), "corpus")
    default = gold_dir / "corpus.jsonl"
    if default.is_file():
        return default
    recorded = recorded_corpus(pred_dir)
    if recorded is not None:
        return recorded
    raise InputError(f"corpus file not found: {default}, and {pred_dir / 'run.json'} names no "
                     "single .jsonl input; give the scanned corpus with --corpus FILE")


def evaluate(gold_dir: str | Path, pred_dir: str | Path, *, corpus: str | Path | None = None,
             strict: bool = False) -> Result:
    """Score ``pred_dir`` against ``gold_dir``; the dict of ``evaluate.py --json``.

    ``corpus`` replaces ``gold_dir/corpus.jsonl``; without either, the one JSON Lines input
    recorded in ``pred_dir/run.json`` is used.  ``strict`` requires coverage and passages on
    every predicted pair.  Raises :class:`InputError` for a missing file or a malformed line.
    """
    gold_dir, pred_dir = Path(gold_dir), Path(pred_dir)
    corpus_path = _corpus_path(gold_dir, pred_dir, corpus)
    gold_pairs_path = _existing(gold_dir / "gold_pairs.jsonl", "gold")
    gold_families_path = _existing(gold_dir / "gold_families.jsonl", "gold")
    pred_pairs_path = _existing(pred_dir / "pairs.jsonl", "prediction")
    pred_families_path = pred_dir / "families.jsonl"

    lengths = load_corpus_lengths(corpus_path)
    gold_pairs = load_pairs(gold_pairs_path, lengths)
    gold_families = load_families(gold_families_path, lengths)
    pred_pairs = load_pairs(pred_pairs_path, lengths, strict=strict)
    if pred_families_path.exists():
        pred_families, source = load_families(pred_families_path, lengths), FAMILIES_FILE_SOURCE
    else:
        pred_families, source = families_from_pairs(pred_pairs), COMPONENTS_SOURCE
    return score(lengths, gold_pairs, gold_families, pred_pairs, pred_families, source)


# --------------------------------------------------------------------------- report


def _fmt(value: float | None) -> str:
    return "nan" if value is None else f"{value:.4f}"


def summary_line(result: Mapping[str, Any]) -> str:
    """``pair_f1=... contained_recall=... relation_acc=... origin_acc=... family_ari=...
    passage_f1=...`` with four decimals, ``nan`` for a metric with nothing to average."""
    return " ".join(f"{key}={_fmt(result[key])}" for key in SUMMARY_KEYS)


def _relation_table(result: Mapping[str, Any]) -> list[str]:
    lines = [f"{'gold relation':<16} {'gold':>7} {'detected':>9} {'recall':>8} "
             f"{'typed recall':>13} {'typed precision':>16}"]
    for rel in RELATIONS:
        row = result["per_relation"][rel]
        lines.append(f"{rel:<16} {row['gold']:>7d} {row['detected']:>9d} "
                     f"{_fmt(row['recall']):>8} {_fmt(row['typed_recall']):>13} "
                     f"{_fmt(row['typed_precision']):>16}")
    return lines


def _confusion_table(confusion: Mapping[str, Mapping[str, int]]) -> list[str]:
    lines = ["  confusion (rows gold, columns predicted)",
             "  " + " " * 16 + "".join(f"{rel:>16}" for rel in RELATIONS)]
    for gold in RELATIONS:
        lines.append(f"  {gold:<16}" + "".join(f"{confusion[gold][rel]:>16d}"
                                               for rel in RELATIONS))
    return lines


def format_report(result: Mapping[str, Any]) -> str:
    """Human-readable table of :func:`evaluate`'s result; the last line is the summary."""
    r = result
    lines = [
        f"articles {r['n_articles']} | gold pairs {r['n_gold_pairs']} | "
        f"predicted pairs {r['n_pred_pairs']} | true positives {r['pair_tp']}",
        "",
        f"PAIR DETECTION          precision {_fmt(r['pair_precision'])}  "
        f"recall {_fmt(r['pair_recall'])}  F1 {_fmt(r['pair_f1'])}",
        f"  typed (relation too)  precision {_fmt(r['typed_pair_precision'])}  "
        f"recall {_fmt(r['typed_pair_recall'])}  F1 {_fmt(r['typed_pair_f1'])}",
        "",
        *_relation_table(r),
        "",
        f"RELATION accuracy on true positives: {_fmt(r['relation_acc'])}",
        *_confusion_table(r["confusion"]),
        "",
        f"ORIGIN accuracy: {_fmt(r['origin_acc'])}  (over {r['origin_n']} true-positive pairs "
        f"with a gold origin; {r['origin_pred_null']} predicted null)",
        f"COVERAGE mean abs error: {_fmt(r['coverage_mae'])}  (over {r['coverage_n']} pairs "
        f"carrying coverage on both sides)",
        "",
        f"FAMILIES (from {r['families_source']}; gold {r['n_gold_families']}, "
        f"predicted {r['n_pred_families']} with 2+ members)",
        f"  ARI {_fmt(r['family_ari'])} | B-cubed precision {_fmt(r['bcubed_precision'])} "
        f"recall {_fmt(r['bcubed_recall'])} F1 {_fmt(r['bcubed_f1'])} | "
        f"family origin accuracy {_fmt(r['family_origin_acc'])}",
        "",
        f"PASSAGES (character level, over {r['passage_pairs']} true-positive pairs "
        f"with gold passages)",
        f"  precision {_fmt(r['passage_precision'])} recall {_fmt(r['passage_recall'])} "
        f"F1 {_fmt(r['passage_f1'])} | granularity {_fmt(r['passage_granularity'])} | "
        f"plagdet {_fmt(r['passage_plagdet'])}",
        "",
        summary_line(r),
    ]
    return "\n".join(lines)
