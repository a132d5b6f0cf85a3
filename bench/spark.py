"""Spark benchmark: the local engine against the Spark engine in local mode, one corpus.

Each system runs as a subprocess (``copydesk scan``): the local engine (``--workers``), and
the Spark engine with ``--master local[1]`` and ``local[2]``.  Measured per system: wall
seconds and per-stage seconds (from run.json; medians of ``--repeat`` runs), the shuffle bytes
each phase of a Spark scan wrote (run.json's ``shuffle_write_bytes``), peak memory of
the whole process tree (the driver, the JVM and Spark's Python workers: RSS summed over all
descendants, polled from /proc, see bench/scale.py), and whether the pairs, families, rejects
and boilerplate are byte-identical to the local engine's.

    .venv/bin/python bench/spark.py --corpus /work/bench/100k/corpus.jsonl [--repeat 3]
        [--driver-memory 8g] [--partitions 64] [--record bench/RESULTS.md]

The Spark driver's heap comes from ``SPARK_DRIVER_MEMORY`` (``--driver-memory``): in local
mode the executors live in it, and pass 1 keeps the fingerprint rows and stored articles
there (spilling what does not fit to disk).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from scale import run_measured  # noqa: E402

OUTPUTS = ("pairs.jsonl", "families.jsonl", "rejects.jsonl", "boilerplate.jsonl")
STAGES = ("prepare", "furniture", "candidates", "align", "families", "total")


def _copydesk() -> str:
    return str(Path(sys.executable).with_name("copydesk"))


def _sorted_lines(folder: Path, name: str) -> list[str]:
    path = folder / name
    return sorted(path.read_text(encoding="utf-8").splitlines()) if path.exists() else []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--partitions", type=int, default=64)
    ap.add_argument("--driver-memory", default="8g")
    ap.add_argument("--masters", default="local[1],local[2]")
    ap.add_argument("--record", type=Path, help="append the table to this markdown file")
    ap.add_argument("--timeout", type=float, default=3600)
    args = ap.parse_args()

    systems = [("local", ["--workers", str(args.workers)])]
    systems += [(f"spark {m}", ["--engine", "spark", "--master", m, "--partitions", str(args.partitions)])
                for m in args.masters.split(",")]
    env = {**os.environ, "SPARK_DRIVER_MEMORY": args.driver_memory}
    rows = []
    with tempfile.TemporaryDirectory(prefix="copydesk-spark-bench-") as tmp:
        outs: dict[str, Path] = {}
        for name, extra in systems:
            walls, peaks, stages = [], [], {s: [] for s in STAGES}
            for n in range(args.repeat):
                out = Path(tmp) / f"{name.replace(' ', '_')}-{n}"
                cmd = [_copydesk(), "scan", str(args.corpus), "--out", str(out), "-q", *extra]
                run = run_measured(cmd, Path(tmp) / f"{out.name}.log", env, args.timeout)
                if run.returncode:
                    print((Path(tmp) / f"{out.name}.log").read_text()[-3000:], file=sys.stderr)
                    raise SystemExit(f"{name} failed (exit {run.returncode})")
                timings = json.loads((out / "run.json").read_text())["timings_s"]
                walls.append(run.wall)
                peaks.append(run.peak_tree_rss)
                for s in STAGES:
                    stages[s].append(timings.get(s, 0.0))
                outs[name] = out
                print(f"{name} run {n + 1}: {run.wall:.1f} s, peak {run.peak_tree_rss / 2**20:,.0f} MB, "
                      f"stages {timings}", flush=True)
            same = all(_sorted_lines(outs["local"], f) == _sorted_lines(outs[name], f) for f in OUTPUTS)
            stats = json.loads((outs[name] / "run.json").read_text())["stats"]
            rows.append((name, statistics.median(walls), max(peaks),
                         {s: statistics.median(v) for s, v in stages.items()}, same, stats))
    table = _table(args, rows)
    print(table)
    if args.record:
        with args.record.open("a", encoding="utf-8") as f:
            f.write("\n" + table)


def _table(args: argparse.Namespace, rows: list) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = (f"### {when} — local engine vs Spark local mode, {args.corpus.name} "
            f"({rows[0][5]['articles']:,} articles)\n\n"
            f"`bench/spark.py --corpus {args.corpus} --repeat {args.repeat} --partitions {args.partitions} "
            f"--driver-memory {args.driver_memory}`; {platform.machine()}, {os.cpu_count()} shared cores, "
            f"Python {platform.python_version()}; wall and stage times are medians of {args.repeat} "
            "run(s), peak memory is the largest sum of RSS over the process tree (driver, JVM, "
            "Python workers).\n\n")
    lines = ["| system | wall s | peak MB | " + " | ".join(STAGES[:-1]) + " | same output as local |",
             "|---|---:|---:|" + "---:|" * (len(STAGES) - 1) + "---|"]
    for name, wall, peak, stages, same, _ in rows:
        lines.append(f"| {name} | {wall:.1f} | {peak / 2**20:,.0f} | "
                     + " | ".join(f"{stages[s]:.1f}" for s in STAGES[:-1]) + f" | {'yes' if same else 'NO'} |")
    s = rows[-1][5]
    foot = (f"\nCandidate join shuffle: {s.get('fingerprints', 0):,} fingerprint rows, "
            f"{s.get('shared_fingerprint_pairs', 0):,} (pair, shared fingerprint) rows, "
            f"{s.get('candidates', 0):,} candidates, {s.get('pairs', 0):,} related pairs.\n")
    shuffle = [(name, st.get("shuffle_write_bytes") or {}) for name, _, _, _, _, st in rows if name != "local"]
    if any(by for _, by in shuffle):
        phases = list(dict.fromkeys(p for _, by in shuffle for p in by))
        foot += ("\nShuffle write (MB, from Spark's status store, per phase of the scan):\n\n"
                 "| system | " + " | ".join(phases) + " | total |\n|---|" + "---:|" * (len(phases) + 1) + "\n")
        for name, by in shuffle:
            foot += (f"| {name} | " + " | ".join(f"{by.get(p, 0) / 2**20:,.1f}" for p in phases)
                     + f" | {sum(by.values()) / 2**20:,.1f} |\n")
    return head + "\n".join(lines) + "\n" + foot


if __name__ == "__main__":
    main()
