"""The Spark engine gives exactly the local engine's results (Spark local mode).

Parity on the benchmark kit's dev corpora (skipped without ../shared, failing under CI), with
two numbers of hash partitions each; bad input rows give the same rejects; the command line
and the library take the engine options, and say in one line how to install pyspark."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from sparkcases import bad_input

import copydesk
from copydesk.cli import main
from copydesk.config import FamilyConfig, ScanConfig
from copydesk.families import families
from copydesk.plan import ScanResult
from copydesk.records import Article

pytestmark = pytest.mark.spark

OUTPUTS = ("pairs.jsonl", "families.jsonl", "rejects.jsonl", "boilerplate.jsonl")


def _lines(folder: Path, name: str) -> list[str]:
    path = folder / name
    return sorted(path.read_text(encoding="utf-8").splitlines()) if path.exists() else []


def _same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        left, right = _lines(a, name), _lines(b, name)
        assert left == right, f"{name} differs: {len(left)} lines (local) vs {len(right)} (spark)"


@pytest.fixture(scope="module")
def local_results(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, ScanResult]]:
    out = {}
    for name in ("dev", "dev-web"):
        folder = tmp_path_factory.mktemp(f"local-{name}") / "out"
        out[name] = folder, copydesk.scan([shared_dir / "data" / name / "corpus.jsonl"], out=folder)
    return out


@pytest.fixture(scope="module")
def local_runs(local_results: dict[str, tuple[Path, ScanResult]]) -> dict[str, Path]:
    return {name: folder for name, (folder, _) in local_results.items()}


@pytest.mark.parametrize(("name", "partitions"), [("dev", 64), ("dev", 4), ("dev-web", 16), ("dev-web", 2)])
def test_parity_with_local(spark, shared_dir: Path, local_runs: dict[str, Path], tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch, name: str, partitions: int) -> None:
    from copydesk.engines.spark import furniture

    monkeypatch.setattr(furniture, "DRIVER_ROWS", 0)  # as an archive too big for the driver
    out = tmp_path / "spark"
    result = copydesk.scan([shared_dir / "data" / name / "corpus.jsonl"], out=out, engine="spark",
                           spark=spark, partitions=partitions)
    assert result.pairs and result.families
    _same_outputs(local_runs[name], out)
    run = json.loads((out / "run.json").read_text())
    assert run["engine"] == "spark"
    assert run["spark"] == {"master": "local[2]", "partitions": partitions}
    # the furniture rules ran on the driver over the rows Spark selected, not over all
    stats = run["stats"]
    assert 0 < stats["furniture_rows_collected"] <= stats["furniture_line_rows"]
    assert stats["link_candidates_collected"] <= stats["link_candidates"]
    if name == "dev":  # most of dev's line rows are needed by no rule: they stay in Spark
        assert stats["furniture_rows_collected"] < 0.6 * stats["furniture_line_rows"]
        assert stats["link_candidates_collected"] < 0.1 * stats["link_candidates"]


def test_bad_input_same_rejects(spark, tmp_path: Path) -> None:
    paths = bad_input(tmp_path)
    cfg = ScanConfig(batch_size=3, workers=1)  # repeated ids within and across batches
    local = copydesk.scan(paths, out=tmp_path / "local", config=cfg)
    remote = copydesk.scan(paths, out=tmp_path / "spark", config=cfg, engine="spark", spark=spark,
                           partitions=2)
    _same_outputs(tmp_path / "local", tmp_path / "spark")
    assert remote.rejects == local.rejects
    reasons = {r.reason.split(":")[0] for r in local.rejects}
    assert "duplicate id" in reasons and "empty file" in reasons and len(local.rejects) >= 8
    assert local.pairs  # the good records still relate
    assert remote.summary() == local.summary()


def test_articles_with_a_repeated_id(spark) -> None:
    text = "Wire copy: the ministers met in Geneva to agree on the shipping rules for the " \
           "northern route, which the three largest ports had asked for since the spring. " * 3
    arts = [Article("w1", text, date="2024-05-01"), Article("w2", text + " An update.", date="2024-05-02"),
            Article("w1", "another text entirely, with the same id"), Article("w3", "nothing shared here")]
    local = copydesk.scan(arts)
    remote = copydesk.scan(arts, engine="spark", spark=spark, partitions=1)
    assert remote.pairs == local.pairs and remote.families == local.families
    assert remote.rejects == local.rejects and len(remote.rejects) == 1


def test_cli_engine_spark(spark, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = bad_input(tmp_path)
    code = main(["scan", *map(str, paths), "--out", str(tmp_path / "out"), "--engine", "spark",
                 "--partitions", "4", "--quiet"])
    assert code == 0
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["engine"] == "spark" and run["spark"]["partitions"] == 4
    assert run["counts"]["rejected"] >= 8


@pytest.mark.parametrize("argv", [["--engine", "spark", "--partitions", "6"],
                                  ["--partitions", "4"], ["--master", "local[1]"]])
def test_cli_bad_engine_options(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    paths = bad_input(tmp_path)
    code = main(["scan", str(paths[0]), "--out", str(tmp_path / "out"), "--quiet", *argv])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert ("partitions" in err) or ("master" in err)
    assert not (tmp_path / "out").exists()


def test_without_pyspark_one_line_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark raises ImportError
    paths = bad_input(tmp_path)
    code = main(["scan", str(paths[0]), "--out", str(tmp_path / "out"), "--engine", "spark"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.splitlines() == ["copydesk scan: error: pyspark (the Spark engine) is needed for "
                                "this; install it with: pip install 'copydesk[spark]'"]
    with pytest.raises(copydesk.MissingDependency):
        copydesk.scan([paths[0]], engine="spark")
    with pytest.raises(copydesk.ConfigError):
        copydesk.scan([paths[0]], engine="dask")


def _union_find(edges: list[tuple[int, int]]) -> dict[int, int]:
    """node -> smallest node of its component (the reference)."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in edges:
        a, b = root(u), root(v)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {x: root(x) for x in parent}


def _labels(spark, edges: list[tuple[int, int]]) -> dict[int, int]:
    from copydesk.engines.spark.components import components

    frame = spark.createDataFrame(edges, "u long, v long")
    return {r["node"]: r["label"] for r in components(frame).collect()}


def test_components_random_graphs(spark) -> None:
    rng = np.random.default_rng(7)
    chain = [(n, n + 1) for n in range(40)]  # a long path: the worst case for label passing
    star = [(100, n) for n in range(101, 130)] + [(n, 200) for n in range(150, 170)]
    noise = [tuple(int(x) for x in e) for e in rng.integers(300, 700, size=(250, 2))]
    edges = chain[::-1] + star + noise + [(5, 5)]
    got = _labels(spark, edges)
    assert got == _union_find([e for e in edges if e[0] != e[1]])
    assert got[40] == 0 and got[169] == 150


def test_components_and_families_on_dev(spark, local_results: dict[str, tuple[Path, ScanResult]]) -> None:
    from copydesk.engines.spark.components import families_by_component

    result = local_results["dev"][1]
    number = {x: n for n, x in enumerate(result.ids)}
    edges = [(number[p.a], number[p.b]) for p in result.pairs]
    got = _labels(spark, edges)
    assert got == _union_find(edges)
    # families are density-checked clusters inside the components, not the components: on
    # dev each family lies in one component, and most components are one whole family
    label = {result.ids[node]: lab for node, lab in got.items()}
    assert all(len({label[m] for m in f.members}) == 1 for f in result.families)
    sizes: dict[int, int] = {}
    for lab in got.values():
        sizes[lab] = sizes.get(lab, 0) + 1
    whole = sum(len(f.members) == sizes[label[f.members[0]]] for f in result.families)
    assert 0.9 * len(result.families) <= whole < len(result.families)
    dates = {}
    by_component = families_by_component(spark, result.pairs, result.ids, dates, FamilyConfig())
    assert by_component == families(result.pairs, dates, FamilyConfig())


def test_parity_with_the_semantic_stage(spark, shared_dir: Path, tmp_path: Path) -> None:
    """With the semantic stage on, its nearest-neighbour candidates are the local engine's."""
    pytest.importorskip("wordllama")
    from copydesk.config import SemanticConfig

    cfg = ScanConfig(semantic=SemanticConfig(enabled=True))
    corpus = [shared_dir / "data" / "dev-paraphrase" / "corpus.jsonl"]
    local = copydesk.scan(corpus, out=tmp_path / "local", config=cfg)
    remote = copydesk.scan(corpus, out=tmp_path / "spark", config=cfg, engine="spark", spark=spark,
                           partitions=8)
    assert remote.stats["semantic_candidates"] == local.stats["semantic_candidates"] > 0
    _same_outputs(tmp_path / "local", tmp_path / "spark")
    # a corpus this small sends all its line rows to the driver, without the selection
    assert remote.stats["furniture_rows_collected"] == remote.stats["furniture_line_rows"] > 0
