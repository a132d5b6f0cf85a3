"""What the semantic stage costs: ``copydesk scan`` with and without ``--semantic`` on one
corpus, in one run.

Runs both commands alternately ``--repeat`` times (after one untimed warm-up each, which
compiles the kernels), and prints the median wall time and peak RSS of each, their ratio,
and the stage timings of the median ``--semantic`` run per article (run.json).  The issue's
bar: ``--semantic`` within 3x of the default scan at 100,000 articles.

    .venv/bin/python bench/semantic.py --corpus bench/data/100000/corpus.jsonl --repeat 3

The corpus is ``make bench``'s (``shared/tools/make_scale_corpus.py``).  These machines are
shared: quote medians and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COPYDESK = Path(sys.executable).with_name("copydesk")


def _run(corpus: Path, out: Path, extra: list[str]) -> tuple[float, float, dict]:
    t = time.perf_counter()
    proc = subprocess.Popen([str(COPYDESK), "scan", str(corpus), "--out", str(out), "--quiet", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status:
        raise SystemExit(f"semantic.py: copydesk scan {' '.join(extra)} failed: {proc.stderr.read().decode()[-500:]}")
    run = json.loads((out / "run.json").read_text())
    # ru_maxrss of the child is its largest process (the parent or a worker), in kB
    return wall, usage.ru_maxrss / 1024, run


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", required=True, type=Path)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--record", type=Path, help="append the table to this Markdown file")
    args = p.parse_args()
    if not args.corpus.exists():
        print(f"semantic.py: error: {args.corpus} not found (make it with make bench)", file=sys.stderr)
        return 2
    sides = {"default": [], "--semantic": ["--semantic"]}
    runs: dict[str, list[tuple[float, float, dict]]] = {k: [] for k in sides}
    with tempfile.TemporaryDirectory() as tmp:
        for extra in sides.values():  # warm-up: compiles the kernels
            _run(args.corpus, Path(tmp) / "warm", extra)
        for n in range(args.repeat):
            for name, extra in sides.items():
                runs[name].append(_run(args.corpus, Path(tmp) / f"{n}-{len(extra)}", extra))
                print(f"{name:12s} run {n + 1}: {runs[name][-1][0]:.1f} s", file=sys.stderr)
    wall = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
    rss = {k: statistics.median(r[1] for r in v) for k, v in runs.items()}
    median_run = sorted(runs["--semantic"], key=lambda r: r[0])[len(runs["--semantic"]) // 2][2]
    articles = median_run["stats"]["articles"]
    lines = [f"### semantic stage, {articles:,} articles, {args.repeat} runs each, {time.strftime('%Y-%m-%d')}", "",
             "| scan | median wall s | median peak RSS MB | pairs |", "|---|---:|---:|---:|"]
    for k in sides:
        lines.append(f"| {k} | {wall[k]:.1f} | {rss[k]:.0f} | {runs[k][-1][2]['stats']['pairs']:,} |")
    lines += ["", f"`--semantic` / default: **{wall['--semantic'] / wall['default']:.2f}x** "
              f"(semantic candidates: {median_run['stats'].get('semantic_candidates', 0):,})", "",
              "Stages of the median `--semantic` run, per 1,000 articles (ms): " + ", ".join(
                  f"{k} {1000 * v / articles * 1000:.0f}" for k, v in median_run["timings_s"].items()), ""]
    text = "\n".join(lines)
    print(text)
    if args.record:
        with args.record.open("a", encoding="utf-8") as f:
            f.write("\n" + text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
