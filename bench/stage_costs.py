"""What the default scan's optional stages cost, against an earlier revision, in one run.

The default scan runs two stages for reworded reuse (issue 9) that a scan for verbatim reuse
alone would not: sentence signatures joined with the fingerprints (pass 1 and the candidate
join) and the paraphrase stage of the alignment.  This script times, alternately and
``--repeat`` times each, one process per scan:

* the earlier revision ``--base`` (built as ``bench/versions.py`` builds it);
* this checkout as it is (the default scan);
* this checkout without sentence signatures (``FingerprintConfig.sentence_bands = 0``);
* this checkout without the paraphrase stage (``ParaphraseConfig.enabled = False``);
* this checkout without both (verbatim reuse only),

and prints the median wall time of each, its ratio to the base, and the pairs each found.
Each process runs :func:`copydesk.api.scan` through ``bench/scan_variant.py``, the same way
for every side (interpreter start, imports and writing the results included).

    .venv/bin/python bench/stage_costs.py --base 2a6371f --corpus bench/data/100000/corpus.jsonl --repeat 5
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from versions import (  # (bench/ is this script's folder: on sys.path)
    ROOT,
    _build,
    byte_compile,
    parse_args,
)

BENCH = Path(__file__).resolve().parent
RUNNER = BENCH / "scan_variant.py"
VARIANTS = ("default", "no-sentence-keys", "no-paraphrase", "verbatim-only")


def _run(python: Path, variant: str, corpus: Path, out: Path) -> float:
    t = time.perf_counter()
    proc = subprocess.Popen([str(python), str(RUNNER), variant, str(corpus), str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, err = proc.communicate()
    if proc.returncode:
        sys.exit(f"stage_costs.py: {variant} failed ({proc.returncode}): {err.decode()[-500:]}")
    return time.perf_counter() - t


def main() -> int:
    args = parse_args(__doc__, "stage_costs.py")
    if args is None:
        return 2
    base_python = _build(args.base).parent / "python"
    here = Path(sys.executable)
    byte_compile(here, ROOT / "src")
    sides = {f"base {args.base}": (base_python, "default"), **{v: (here, v) for v in VARIANTS}}
    times: dict[str, list[float]] = {k: [] for k in sides}
    with tempfile.TemporaryDirectory() as tmp:
        for n, (python, variant) in enumerate(sides.values()):  # kernels compiled once, not counted
            _run(python, variant, args.corpus, Path(tmp) / f"warm{n}")
        for _ in range(args.repeat):
            for n, (name, (python, variant)) in enumerate(sides.items()):
                times[name].append(_run(python, variant, args.corpus, Path(tmp) / f"out{n}"))
        print(f"corpus {args.corpus} ({sum(1 for _ in args.corpus.open('rb')):,} articles), "
              f"{args.repeat} runs each, alternating, load {os.getloadavg()[0]:.1f} at the end")
        print(f"{'':<22}{'median s':>10}{'x base':>8}{'pairs':>10}  runs")
        base = statistics.median(times[f"base {args.base}"])
        for n, name in enumerate(sides):
            run = json.loads((Path(tmp) / f"out{n}" / "run.json").read_text())
            med = statistics.median(times[name])
            print(f"{name:<22}{med:>10.2f}{med / base:>8.2f}{run['counts']['pairs']:>10,}  "
                  f"{', '.join(f'{x:.2f}' for x in times[name])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
