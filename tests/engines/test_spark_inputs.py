"""Inputs named by URI are read by Spark itself, with the local readers' rules: a corpus
given as file:// URIs (files, a folder, a glob) gives byte for byte what the same files give
by path; a URI Spark cannot read is one line of error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sparkcases import bad_input

import copydesk
from copydesk.cli import main
from copydesk.config import ScanConfig

pytestmark = pytest.mark.spark

OUTPUTS = ("pairs.jsonl", "families.jsonl", "rejects.jsonl", "boilerplate.jsonl")
CFG = ScanConfig(batch_size=3, workers=1)  # repeated ids within and across batches


def _corpus(folder: Path) -> list[Path]:
    """bad_input's files and a Parquet file with a bad row and a repeated id."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True)
    paths = bad_input(folder)
    text = json.loads(paths[0].read_bytes()[3:].split(b"\n")[0])["text"]
    table = pa.table({"id": ["p1", "p2", "a3", "p1"], "text": [text + " P1.", "", text + " P3.", "again"]})
    pq.write_table(table, folder / "three.parquet")
    return [*paths, folder / "three.parquet"]


def _same_bytes(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs"


def test_file_uris_give_what_paths_give(spark, tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "in")
    local = copydesk.scan(paths, out=tmp_path / "local", config=CFG)
    remote = copydesk.scan([p.as_uri() for p in paths], out=tmp_path / "uri", config=CFG,
                           engine="spark", spark=spark, partitions=2)
    _same_bytes(tmp_path / "local", tmp_path / "uri")
    assert remote.rejects == local.rejects and remote.summary() == local.summary()
    assert local.pairs and {r.reason.split(":")[0] for r in local.rejects} >= {
        "duplicate id", "empty file", "malformed JSON", "empty text", "missing id"}
    run = json.loads((tmp_path / "uri" / "run.json").read_text())
    assert run["inputs_resolved"][0] == paths[0].as_uri()


def test_a_folder_and_a_glob(spark, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    paths = _corpus(folder / "sub")
    shutil.move(paths[1], folder / paths[1].name)  # files at two depths
    (folder / ".hidden.jsonl").write_text('{"id": "h", "text": "hidden"}\n')
    (folder / "notes.md").write_text("not an input\n")
    local = copydesk.scan([folder], out=tmp_path / "local", config=CFG)
    copydesk.scan([folder.as_uri()], out=tmp_path / "uri", config=CFG, engine="spark", spark=spark,
                  partitions=2)
    _same_bytes(tmp_path / "local", tmp_path / "uri")
    reasons = [r.reason.split(";")[0] for r in local.rejects]
    assert "skipped: hidden file" in reasons and "skipped: unknown file type (.md)" in reasons
    matches = sorted((folder / "sub").glob("*.jsonl"))
    copydesk.scan(matches, out=tmp_path / "local-glob", config=CFG)
    copydesk.scan([(folder / "sub").as_uri() + "/*.jsonl"], out=tmp_path / "uri-glob", config=CFG,
                  engine="spark", spark=spark, partitions=2)
    _same_bytes(tmp_path / "local-glob", tmp_path / "uri-glob")


def test_uri_beside_local_paths(spark, tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "in")
    copydesk.scan(paths, out=tmp_path / "local", config=CFG)
    mixed = [paths[0], paths[1].as_uri(), paths[2], paths[3].as_uri()]
    copydesk.scan(mixed, out=tmp_path / "mixed", config=CFG, engine="spark", spark=spark, partitions=2)
    _same_bytes(tmp_path / "local", tmp_path / "mixed")


@pytest.mark.parametrize(("uri", "says"), [
    ("file:///nonexistent/corpus.jsonl", "no such file or directory"),
    ("nosuch://bucket/corpus.jsonl", 'No FileSystem for scheme "nosuch"'),
    ("file:///nonexistent/*.jsonl", "no file matches"),
])
def test_unreadable_uri_is_one_line(spark, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    uri: str, says: str) -> None:
    code = main(["scan", uri, "--out", str(tmp_path / "out"), "--engine", "spark", "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and says in err, err
    assert not (tmp_path / "out").exists()


def test_report_needs_local_inputs(spark, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = bad_input(tmp_path)
    code = main(["scan", paths[0].as_uri(), "--out", str(tmp_path / "out"), "--engine", "spark",
                 "--report", "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "copydesk report" in err and len(err.splitlines()) == 1


def test_partitioned_parquet_rows_equal_the_single_files(spark, shared_dir: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """--parquet --partitioned: DIR/pairs/ and DIR/families/ hold the rows of pairs.parquet
    and families.jsonl; the JSON Lines outputs are still written; eval reads the folder."""
    import pandas as pd
    import pyarrow.parquet as pq

    from copydesk.engines.spark import output

    corpus = [shared_dir / "data" / "dev" / "corpus.jsonl"]
    single = copydesk.scan(corpus, out=tmp_path / "single", parquet=True)
    old = output.ROWS_PER_FILE
    output.ROWS_PER_FILE = 200  # several part files on a small corpus
    try:
        code = main(["scan", str(corpus[0]), "--out", str(tmp_path / "parts"), "--engine", "spark",
                     "--partitions", "4", "--parquet", "--partitioned", "-q"])
    finally:
        output.ROWS_PER_FILE = old
    assert code == 0
    out = tmp_path / "parts"
    assert not (out / "pairs.parquet").exists() and len(list((out / "pairs").glob("*.parquet"))) > 1
    rows = pq.read_table(out / "pairs").to_pylist()
    assert sorted(rows, key=lambda r: (r["a"], r["b"])) == pq.read_table(tmp_path / "single" / "pairs.parquet").to_pylist()
    fams = sorted(pd.read_parquet(out / "families").to_dict("records"), key=lambda r: r["family"])
    assert [{**f, "members": list(f["members"])} for f in fams] == \
        sorted((f.to_dict() for f in single.families), key=lambda r: r["family"])
    for name in OUTPUTS:  # the default outputs are there, as without --partitioned
        assert sorted((out / name).read_text().splitlines()) == sorted((tmp_path / "single" / name).read_text().splitlines())
    run = json.loads((out / "run.json").read_text())
    assert run["files"]["pairs_parquet"] == "pairs/" and run["spark"]["parquet"]["layout"] == "partitioned"
    gold = shared_dir / "data" / "dev"
    capsys.readouterr()
    assert main(["eval", "--gold", str(gold), str(out)]) == 0
    assert main(["scan", str(corpus[0]), "--out", str(out), "--engine", "spark", "--partitions", "4",
                 "--parquet", "--partitioned", "-q"]) == 0  # an earlier results folder is replaced
    assert main(["scan", str(corpus[0]), "--out", str(tmp_path / "x"), "--partitioned", "-q"]) == 2
