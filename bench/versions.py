"""Speed of this checkout against an earlier revision, on one corpus, in one run.

An engine change must say what it costs the default scan.  This script builds the earlier
revision in a git worktree with its own venv (``bench/.venv-rev-REV``), then runs both
``copydesk scan`` commands on the same corpus, alternately, ``--repeat`` times each, and
prints the median wall time, the median of the largest process's peak RSS, the stage
timings of the last run (run.json) and the pairs each found.

    .venv/bin/python bench/versions.py --base 2a6371f --corpus bench/data/100000/corpus.jsonl --repeat 3

The corpus is ``make bench``'s (``shared/tools/make_scale_corpus.py``); the first run of
each side compiles its kernels and is not counted.  Both sides' modules are byte-compiled
first (:func:`byte_compile`), as installing a wheel does: where ``PYTHONDONTWRITEBYTECODE``
is set (this project's CI machines set it), an editable checkout would otherwise compile
every module from source in every run, and the runs would time Python's compiler.
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

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def _build(rev: str) -> Path:
    tree = BENCH / f".rev-{rev}"
    if not tree.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev], check=True,
                       capture_output=True)
    venv = tree / ".venv"
    if not (venv / "bin" / "copydesk").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "-e", str(tree)], check=True)
    byte_compile(venv / "bin" / "python", tree / "src")
    return venv / "bin" / "copydesk"


def byte_compile(python: Path, src: Path) -> None:
    """Write the ``.pyc`` files of ``src``'s modules (``compileall``; a module whose source
    changes later is compiled again when imported, so a stale file does no harm)."""
    subprocess.run([str(python), "-m", "compileall", "-q", str(src)], check=True, stdout=subprocess.DEVNULL)


def _run(cmd: Path, corpus: Path, out: Path) -> tuple[float, float]:
    t = time.perf_counter()
    proc = subprocess.Popen([str(cmd), "scan", str(corpus), "--out", str(out), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    return wall, usage.ru_maxrss / 1024  # MB (Linux reports kB)


def parse_args(doc: str, prog: str) -> argparse.Namespace | None:
    """``--base``, ``--corpus`` and ``--repeat`` (None, said in one line, when the corpus is
    missing); also ``bench/stage_costs.py``'s."""
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--base", required=True, help="the earlier revision (commit, tag or branch)")
    p.add_argument("--corpus", required=True, type=Path)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    if not args.corpus.exists():
        print(f"{prog}: error: {args.corpus} not found (make it with make bench)", file=sys.stderr)
        return None
    return args


def main() -> int:
    args = parse_args(__doc__, "versions.py")
    if args is None:
        return 2
    sides = {"base " + args.base: _build(args.base), "this checkout": Path(sys.executable).parent / "copydesk"}
    byte_compile(Path(sys.executable), ROOT / "src")
    times: dict[str, list[float]] = {k: [] for k in sides}
    rss: dict[str, list[float]] = {k: [] for k in sides}
    with tempfile.TemporaryDirectory() as tmp:
        for cmd in sides.values():  # compile the kernels once, not counted
            _run(cmd, args.corpus, Path(tmp) / "warm")
        for _ in range(args.repeat):
            for n, (name, cmd) in enumerate(sides.items()):
                wall, mb = _run(cmd, args.corpus, Path(tmp) / f"out{n}")
                times[name].append(wall)
                rss[name].append(mb)
        print(f"corpus {args.corpus} ({sum(1 for _ in args.corpus.open('rb')):,} articles), "
              f"{args.repeat} runs each, alternating")
        width = 6 * args.repeat  # the runs, "12.34, " each
        print(f"{'':<22}{'median s':>10}  {'runs':<{width}}{'peak MB':>8}{'pairs':>10}  stages (last run, s)")
        base = statistics.median(next(iter(times.values())))
        for n, name in enumerate(sides):
            run = json.loads((Path(tmp) / f"out{n}" / "run.json").read_text())
            stages = {k: v for k, v in run["timings_s"].items() if k != "total"}
            med = statistics.median(times[name])
            print(f"{name:<22}{med:>10.2f}  {', '.join(f'{x:.2f}' for x in times[name]):<{width}}"
                  f"{statistics.median(rss[name]):>8.0f}{run['counts']['pairs']:>10,}  {stages}")
        print(f"ratio (this / base): {statistics.median(times['this checkout']) / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
