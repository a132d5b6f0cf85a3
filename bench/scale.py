"""Scale benchmark: copydesk against datasketch and text-dedup on one generated corpus.

For each ``--docs N`` the corpus is made once with ``shared/tools/make_scale_corpus.py`` (seed 1,
reused when present), then every system runs as a subprocess on the same file.  Measured per
system: wall seconds (median of ``--repeat`` runs), documents/second, peak memory of the whole
process tree (sum of RSS of the process and all its descendants, polled every 0.1 s from /proc)
and the largest single-process RSS (``ru_maxrss`` from wait4, what ``/usr/bin/time -v`` prints as
"Maximum resident set size"), and pair recall / precision against the planted gold pairs (a pair
is predicted related if it is in pairs.jsonl, whatever its relation, as in evaluate.py).

Peers run in their own venv (``bench/.venv-peers``, see ``bench/requirements-peers.txt``) so the
project's venv stays clean.  A peer that cannot run is reported as "not available: <reason>".

    .venv/bin/python bench/scale.py --docs 10000 [--docs 100000] [--systems copydesk,datasketch,textdedup]
        [--repeat N] [--work bench/data] [--record bench/out/RESULTS.md]

``make bench`` appends to the untracked ``bench/out/RESULTS.md``; a round worth keeping is
recorded in the tracked ``bench/RESULTS.md`` by choice: ``make bench RECORD=bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TOOLS = Path(os.environ.get("COPYDESK_TOOLS", ROOT.parent / "shared" / "tools"))
SOURCE = Path(
    os.environ.get("COPYDESK_BBC", ROOT.parent / "shared" / "data" / "bbc" / "articles.jsonl")
)
PEERS_PYTHON = BENCH / ".venv-peers" / "bin" / "python"
COPYDESK = Path(sys.executable).parent / "copydesk"
SYSTEMS = ("copydesk", "datasketch", "textdedup")
LABELS = {
    "copydesk": "copydesk",
    "datasketch": "datasketch MinHashLSH",
    "textdedup": "text-dedup MinHash",
}
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    """One measured subprocess run."""

    wall: float
    peak_tree_rss: int  # bytes, sum over the process tree
    max_proc_rss: int  # bytes, largest single process (ru_maxrss)
    returncode: int


@dataclass
class Result:
    """Everything the table shows for one system on one corpus."""

    system: str
    docs: int
    runs: list[Run] = field(default_factory=list)
    pairs: int | None = None
    recall: float | None = None
    recall_near: float | None = None  # on gold duplicate + near_duplicate pairs only
    precision: float | None = None
    error: str | None = None


# ---------------------------------------------------------------- measuring


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # the command name may contain spaces and parentheses: fields start after the last ')'
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree_rss(root: int) -> int:
    """Sum of resident memory (bytes) of ``root`` and all its descendants."""
    children = _children_map()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(children.get(pid, ()))
    return total


def run_measured(cmd: list[str], log: Path, env: dict[str, str] | None, timeout: float) -> Run:
    """Run ``cmd`` (output to ``log``), polling the tree's RSS; wait4 gives ru_maxrss."""
    with log.open("w", encoding="utf-8") as out:
        out.write("$ " + shlex.join(cmd) + "\n")
        out.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        peak = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_rss(proc.pid))
            if time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.1)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # tell Popen the child is reaped
    max_proc = usage.ru_maxrss * 1024  # Linux reports KiB
    return Run(wall=wall, peak_tree_rss=max(peak, max_proc), max_proc_rss=max_proc, returncode=code)


# ---------------------------------------------------------------- scoring


def read_pairs(path: Path, relations: tuple[str, ...] | None = None) -> set[tuple[str, str]]:
    """Unordered id pairs of a pairs/gold file, optionally only those with given relations."""
    pairs: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                if relations is None or row["relation"] in relations:
                    a, b = str(row["a"]), str(row["b"])
                    pairs.add((a, b) if a < b else (b, a))
    return pairs


def read_near_gold(path: Path) -> set[tuple[str, str]]:
    """Gold pairs whose relation is duplicate or near_duplicate (what MinHash dedup targets)."""
    return read_pairs(path, ("duplicate", "near_duplicate"))


def score(
    result: Result, pred_file: Path, gold: set[tuple[str, str]], near: set[tuple[str, str]]
) -> None:
    pred = read_pairs(pred_file)
    hits = len(pred & gold)
    result.pairs = len(pred)
    result.recall = hits / len(gold) if gold else None
    result.recall_near = len(pred & near) / len(near) if near else None
    result.precision = hits / len(pred) if pred else 0.0


# ---------------------------------------------------------------- systems


def peer_problem(module: str) -> str | None:
    """Why the peers venv cannot import ``module``, or None when it can."""
    if not PEERS_PYTHON.exists():
        return (
            f"{PEERS_PYTHON.relative_to(ROOT)} missing (python -m venv bench/.venv-peers && "
            "bench/.venv-peers/bin/pip install -r bench/requirements-peers.txt)"
        )
    probe = subprocess.run(
        [str(PEERS_PYTHON), "-c", f"import {module}"], capture_output=True, text=True, timeout=300
    )
    if probe.returncode:
        return f"cannot import {module}: " + (probe.stderr.strip().splitlines() or ["?"])[-1]
    return None


def peer_env(scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HF_HOME=str(scratch / "hf"),
        HF_DATASETS_OFFLINE="1",
        HF_HUB_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
    )
    return env


def run_system(
    system: str,
    corpus: Path,
    run_dir: Path,
    repeat: int,
    timeout: float,
    gold: set[tuple[str, str]],
    near: set[tuple[str, str]],
    docs: int,
) -> Result:
    result = Result(system=system, docs=docs)
    out = run_dir / system
    pred = out / "pairs.jsonl"
    env: dict[str, str] | None = None
    after: Callable[[], None] | None = None

    if system == "copydesk":
        if not COPYDESK.exists():
            result.error = (
                f"not available: {COPYDESK} missing (run with the project's .venv/bin/python)"
            )
            return result
        cmd = [str(COPYDESK), "scan", str(corpus), "--out", str(out), "--quiet"]
    elif system == "datasketch":
        problem = peer_problem("datasketch")
        if problem:
            result.error = f"not available: {problem}"
            return result
        cmd = [
            str(PEERS_PYTHON),
            str(BENCH / "peers" / "datasketch_dedup.py"),
            str(corpus),
            "--out",
            str(out),
        ]
    elif system == "textdedup":
        problem = peer_problem("text_dedup.minhash")
        if problem:
            result.error = f"not available: {problem}"
            return result
        td_out = run_dir / "textdedup-output"
        cache = run_dir / "textdedup-cache"
        env = peer_env(run_dir / "textdedup-home")
        # documented defaults (5-grams, 250 permutations, threshold 0.7); --idx_column id and
        # --debug only make it dump its union-find keyed by our ids, so clusters can be scored.
        cmd = [
            str(PEERS_PYTHON), "-m", "text_dedup.minhash",
            "--path", "json", "--data_files", str(corpus), "--split", "train",
            "--cache_dir", str(cache), "--output", str(td_out),
            "--column", "text", "--idx_column", "id", "--debug",
        ]  # fmt: skip

        def after() -> None:  # not timed: cluster ids -> pairs
            subprocess.run(
                [str(PEERS_PYTHON), str(BENCH / "peers" / "textdedup_pairs.py"), str(td_out / "uf.pkl"),
                 "--out", str(out)],
                check=True,
            )  # fmt: skip
    else:
        result.error = f"unknown system {system!r}"
        return result

    for i in range(repeat):
        for stale in (
            out,
            run_dir / "textdedup-output",
            run_dir / "textdedup-cache",
            run_dir / "textdedup-home",
        ):
            shutil.rmtree(stale, ignore_errors=True)  # no cache hits across repeats
        out.mkdir(parents=True, exist_ok=True)
        log = run_dir / f"{system}.{i + 1}.log"
        print(
            f"[{docs}] {system} run {i + 1}/{repeat}: {shlex.join(cmd)}",
            file=sys.stderr,
            flush=True,
        )
        run = run_measured(cmd, log, env, timeout)
        print(
            f"[{docs}] {system}: {run.wall:.1f} s, exit {run.returncode}",
            file=sys.stderr,
            flush=True,
        )
        if run.returncode != 0:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
            result.error = f"failed (exit {run.returncode}, see {log}): {' '.join(tail)[:200]}"
            return result
        result.runs.append(run)
    try:
        if after is not None:
            after()
        score(result, pred, gold, near)
    except (OSError, subprocess.CalledProcessError, ValueError, KeyError) as exc:
        result.error = f"ran, but could not be scored: {exc}"
    return result


def warm_up_copydesk(work: Path) -> None:
    """One untimed copydesk scan of a few articles first: a fresh checkout compiles its
    numba kernels on first use (then caches them on disk), which is not scan time."""
    if not COPYDESK.exists():
        return
    folder = work / "warm-up"
    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / "corpus.jsonl"
    words = ["the", "council", "said", "on", "tuesday", "that", "the", "new", "harbour", "wall", "would", "be", "finished", "by", "spring"]
    with corpus.open("w", encoding="utf-8") as out:
        for n in range(20):
            text = " ".join(words[(n + i) % len(words)] for i in range(60))
            out.write(json.dumps({"id": f"w{n}", "text": text}) + "\n")
    print("warm-up: one untimed copydesk run (numba compiles and caches its kernels)", file=sys.stderr)
    subprocess.run([str(COPYDESK), "scan", str(corpus), "--out", str(folder / "out"), "--quiet"],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---------------------------------------------------------------- corpus


def ensure_corpus(docs: int, work: Path) -> tuple[Path, Path]:
    folder = work / str(docs)
    corpus, gold = folder / "corpus.jsonl", folder / "gold"
    if corpus.exists() and (gold / "gold_pairs.jsonl").exists():
        print(f"[{docs}] reusing {corpus}", file=sys.stderr)
        return corpus, gold
    for needed in (SOURCE, TOOLS / "make_scale_corpus.py"):
        if not needed.is_file():
            sys.exit(
                f"cannot generate the {docs:,}-article corpus: {needed} not found (the benchmark "
                "kit in ../shared beside the repository; or set COPYDESK_BBC / COPYDESK_TOOLS)"
            )
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, str(TOOLS / "make_scale_corpus.py"), "--source", str(SOURCE), "--docs", str(docs),
        "--out", str(corpus), "--gold", str(gold), "--seed", "1", "--workers", "2",
    ]  # fmt: skip
    print(f"[{docs}] generating: {shlex.join(cmd)}", file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, cwd=TOOLS)
    return corpus, gold


# ---------------------------------------------------------------- report


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f}"


def table(results: list[Result], repeat: int) -> str:
    lines = [
        f"| docs | system | wall s (median of {repeat}) | docs/s | peak RSS, tree MB | max process RSS MB "
        "| pairs | recall | recall dup+near-dup | pair precision |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        label = LABELS.get(r.system, r.system)
        if r.error or not r.runs:
            lines.append(f"| {r.docs:,} | {label} | {r.error or 'no run'} | | | | | | | |")
            continue
        wall = statistics.median(run.wall for run in r.runs)
        tree = max(run.peak_tree_rss for run in r.runs)
        proc = max(run.max_proc_rss for run in r.runs)
        rec = "n/a" if r.recall is None else f"{r.recall:.4f}"
        rec_near = "n/a" if r.recall_near is None else f"{r.recall_near:.4f}"
        prec = "n/a" if r.precision is None else f"{r.precision:.4f}"
        pairs = "n/a" if r.pairs is None else f"{r.pairs:,}"
        lines.append(
            f"| {r.docs:,} | {label} | {wall:,.1f} | {r.docs / wall:,.0f} | {_mb(tree)} | {_mb(proc)} "
            f"| {pairs} | {rec} | {rec_near} | {prec} |"
        )
    ratios: list[str] = []
    by_docs: dict[int, dict[str, Result]] = {}
    for r in results:
        by_docs.setdefault(r.docs, {})[r.system] = r
    for docs, systems in by_docs.items():
        base = systems.get("copydesk")
        if not base or not base.runs:
            continue
        base_wall = statistics.median(run.wall for run in base.runs)
        for peer in ("textdedup", "datasketch"):
            other = systems.get(peer)
            if other and other.runs and not other.error:
                ratio = statistics.median(run.wall for run in other.runs) / base_wall
                ratios.append(
                    f"- {docs:,} docs: throughput copydesk / {LABELS[peer]} = {ratio:.2f}x"
                )
            elif other:
                ratios.append(
                    f"- {docs:,} docs: throughput copydesk / {LABELS[peer]} = n/a ({other.error})"
                )
    return "\n".join(lines + ([""] + ratios if ratios else []))


def machine_facts() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = [f"Python {platform.python_version()}"]
    try:
        from importlib.metadata import version

        versions.append(f"copydesk {version('copydesk')}")
    except Exception:  # noqa: BLE001 - facts only
        pass
    if PEERS_PYTHON.exists():
        probe = subprocess.run(
            [str(PEERS_PYTHON), "-c",
             "from importlib.metadata import version as v\n"
             "print(', '.join(f'{p} {v(p)}' for p in ('datasketch', 'text-dedup', 'datasets')))"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if probe.returncode == 0:
            versions.append(probe.stdout.strip())
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM; "
        + "; ".join(versions)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--docs", type=int, action="append", required=True, help="corpus size (repeatable)"
    )
    parser.add_argument("--work", type=Path, default=BENCH / "data", help="corpora and run output")
    parser.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help="comma-separated subset of " + ",".join(SYSTEMS),
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per system; the median wall time is shown"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600.0, help="seconds before a run is killed"
    )
    parser.add_argument(
        "--record", type=Path, help="append the table, command, date and machine to this file"
    )
    args = parser.parse_args(argv)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")

    started = dt.datetime.now().astimezone()
    if "copydesk" in systems:
        warm_up_copydesk(args.work.resolve())
    results: list[Result] = []
    for docs in args.docs:
        corpus, gold_dir = ensure_corpus(docs, args.work.resolve())
        gold = read_pairs(gold_dir / "gold_pairs.jsonl")
        near = read_near_gold(gold_dir / "gold_pairs.jsonl")
        print(
            f"[{docs}] gold: {len(gold):,} pairs, {len(near):,} duplicate/near_duplicate",
            file=sys.stderr,
        )
        run_dir = args.work.resolve() / str(docs) / "runs"
        for system in systems:
            results.append(
                run_system(system, corpus, run_dir, args.repeat, args.timeout, gold, near, docs)
            )
    report = table(results, args.repeat)
    print(report)
    if args.record:
        python = (
            os.path.relpath(sys.executable) if sys.executable.startswith(os.getcwd()) else "python"
        )
        command = shlex.join([python, *(sys.argv if argv is None else [sys.argv[0], *argv])])
        args.record.parent.mkdir(parents=True, exist_ok=True)
        with args.record.open("a", encoding="utf-8") as out:
            out.write(
                f"\n## {started:%Y-%m-%d %H:%M %Z}\n\n"
                f"Command: `{command}`  \n"
                f"Machine: {machine_facts()}\n\n{report}\n"
            )
        print(f"recorded in {args.record}", file=sys.stderr)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"(benchmark driver itself peaked at {own / 1024:,.0f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
