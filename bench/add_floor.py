"""What an index add costs at least, against scans, in one run (issue 10's bar).

    .venv/bin/python bench/add_floor.py --corpus bench/data/100000/corpus.jsonl [--batch 10000] [--repeat 3]

Alternates, ``--repeat`` times: starting ``copydesk`` (``--help``); ``copydesk scan`` of the
corpus's last ``--batch`` articles; ``copydesk index add`` of the same articles onto an empty
index; the same add again (every article already indexed: nothing to refresh); ``copydesk
scan`` of the whole corpus.  Prints the median of each, and what the bar (adding the corpus
in batches costs at most 2x one scan) allows each add.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

COPYDESK = [sys.executable, "-m", "copydesk"]


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    res = subprocess.run([*COPYDESK, *args], capture_output=True, text=True)
    if res.returncode:
        sys.exit(f"failed ({res.returncode}): copydesk {' '.join(args)}\n{res.stderr}")
    return time.perf_counter() - t


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--batch", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="copydesk-add-floor-") as tmp:
        work = Path(tmp)
        with a.corpus.open("rb") as f:
            total = 0
            last: deque[bytes] = deque(maxlen=a.batch)
            for line in f:
                last.append(line)
                total += 1
        batch = work / "batch.jsonl"
        batch.write_bytes(b"".join(last))
        times: dict[str, list[float]] = {}
        steps = {
            "start copydesk (--help)": lambda: timed(["--help"]),
            f"scan of the last {len(last):,} articles": lambda: timed(
                ["scan", str(batch), "--out", str(work / "scan-batch"), "-q"]),
            f"index add of those {len(last):,} onto an empty index": lambda: (
                [x.unlink() for x in work.glob("ix.db*")], timed(["index", "add", str(work / "ix.db"), str(batch), "-q"]))[1],
            "the same add again (all indexed already)": lambda: timed(
                ["index", "add", str(work / "ix.db"), str(batch), "-q"]),
            f"scan of all {total:,} articles": lambda: timed(
                ["scan", str(a.corpus), "--out", str(work / "scan-all"), "-q"]),
        }
        timed(["scan", str(batch), "--out", str(work / "warm"), "-q"])  # compiled kernels loaded once
        for _ in range(a.repeat):
            for name, run in steps.items():
                times.setdefault(name, []).append(run())
    med = {k: statistics.median(v) for k, v in times.items()}
    width = max(map(len, med))
    for k, v in med.items():
        print(f"{k:<{width}}  {v:6.2f} s   ({', '.join(f'{x:.2f}' for x in times[k])})")
    adds = -(-total // a.batch)
    scan_all = list(med.values())[-1]
    print(f"\n2x one scan of all, over {adds} adds: {2 * scan_all / adds:.2f} s an add")


if __name__ == "__main__":
    main()
