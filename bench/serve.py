"""Load on ``copydesk serve``: the server in its own process (the real command), parallel
clients reading pages and the JSON API, for longer than the load test; per endpoint the
requests per second and the p50/p95 latency, the median over the rounds.

    .venv/bin/python bench/serve.py                         # the demo corpus, scanned first
    .venv/bin/python bench/serve.py --results DIR --clients 8 --seconds 20 --rounds 3
    .venv/bin/python bench/serve.py --record bench/RESULTS.md   # append to its "serve" section

Needs the serve and test extras (fastapi, uvicorn, httpx).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

import copydesk
from copydesk.config import ScanConfig
from copydesk.service import ResultsStore
from copydesk.service.load import mixed_reads, run_load
from copydesk.service.server import free_port

DEMO = Path(copydesk.__file__).parent / "demo" / "demo.jsonl"
SECTION = "## serve"


def _start(results: Path, port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-m", "copydesk.cli", "serve", str(results),
                             "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
            return proc
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                sys.exit("bench/serve.py: the server did not start")
            time.sleep(0.2)


def measure(results: Path, *, clients: int, seconds: float, rounds: int) -> dict[str, Any]:
    reads = mixed_reads(ResultsStore(results))
    port = free_port()
    proc = _start(results, port)
    per_round = []
    errors = 0
    try:
        base = f"http://127.0.0.1:{port}"
        run_load(base, reads, clients=clients, seconds=1.0)  # warm up
        for _ in range(rounds):
            report = run_load(base, reads, clients=clients, seconds=seconds)
            errors += len(report.errors)
            total = report.requests / report.seconds
            per_round.append((total, {r["endpoint"]: r for r in report.table()}))
    finally:
        proc.terminate()
        proc.wait(20)
    names = sorted(per_round[0][1])
    rows = []
    for name in names:
        got = [r[name] for _, r in per_round if name in r]
        rows.append({"endpoint": name,
                     "per_s": statistics.median(x["per_s"] for x in got),
                     "p50_ms": statistics.median(x["p50_ms"] for x in got),
                     "p95_ms": statistics.median(x["p95_ms"] for x in got)})
    return {"total_per_s": statistics.median(t for t, _ in per_round), "rows": rows,
            "errors": errors}


def table(result: dict[str, Any]) -> str:
    lines = ["| endpoint | requests/s | p50 ms | p95 ms |", "|---|---:|---:|---:|"]
    for r in result["rows"]:
        lines.append(f"| `{r['endpoint']}` | {r['per_s']:,.1f} | {r['p50_ms']:.1f} | "
                     f"{r['p95_ms']:.1f} |")
    lines.append(f"| **all** | **{result['total_per_s']:,.1f}** | | |")
    return "\n".join(lines)


def record(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if SECTION not in old:
        old = old.rstrip("\n") + f"\n\n{SECTION}\n\nLoad on `copydesk serve` (bench/serve.py): " \
              "per endpoint the median over the rounds.\n"
    path.write_text(old.rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", type=Path, help="a results folder (default: the demo, scanned)")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=10.0, help="per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--record", type=Path, help="append the table to this Markdown file")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="copydesk-bench-serve-") as tmp:
        results = args.results
        if results is None:
            results = Path(tmp) / "demo"
            copydesk.scan([DEMO], out=results, config=ScanConfig(workers=1))
        result = measure(results, clients=args.clients, seconds=args.seconds,
                         rounds=args.rounds)
        stats = ResultsStore(results).stats()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = (f"### {when}\n\nCommand: `python bench/serve.py --clients {args.clients} "
            f"--seconds {args.seconds:g} --rounds {args.rounds}`  \n"
            f"Source: {'the demo corpus' if args.results is None else args.results.name} "
            f"({stats['articles']:,} articles, {stats['pairs']:,} pairs, "
            f"{stats['families']:,} families); server: one uvicorn process; {args.clients} "
            f"client threads in another process  \n"
            f"Machine: {platform.system()} {platform.release()}, {os.cpu_count()} shared cores; "
            f"Python {platform.python_version()}; copydesk {copydesk.__version__}; "
            f"errors: {result['errors']}\n")
    text = head + "\n" + table(result)
    print(text)
    if args.record:
        record(args.record, text)
        print(f"appended to {args.record}")
    if result["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
