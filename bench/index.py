"""Index benchmark (issue 10): adding a corpus to a persistent index in batches against one
``copydesk scan`` of it, in the same run; query latency against a datasketch MinHashLSH
in-memory query; index size per article; peak memory.

    .venv/bin/python bench/index.py --corpus CORPUS.jsonl --gold GOLD_DIR --work DIR
        [--batch 10000] [--queries 1000] [--record bench/RESULTS.md]

Steps, each timed on its own:

1. the corpus is cut into files of ``--batch`` lines;
2. ``copydesk scan CORPUS`` (a subprocess; wall seconds and largest process RSS from
   ``/usr/bin/time``);
3. ``copydesk index add INDEX BATCH`` for each batch in turn (subprocesses, likewise);
4. ``copydesk index export`` compared with the scan's output (pairs, families, boilerplate,
   sorted lines): the parity check at scale;
5. ``--queries`` articles drawn from the corpus (seed 1), half with a planted relative in
   the gold pairs and half without, each queried with ``Index.query(article, top=10)`` in
   this process (warm, after one query); latency median / p95 / max, and the share of
   planted-relative queries whose answers hold a gold relative;
6. datasketch: a ``MinHashLSH`` (threshold 0.5, 128 permutations, word 5-shingles) of the
   whole corpus, built in memory, queried with the same articles (signature + lookup
   timed; it answers a weaker question: candidate ids, no alignment, no relation).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPYDESK = [sys.executable, "-m", "copydesk"]
WORD = re.compile(r"\w+")


def timed(cmd: list[str]) -> tuple[float, int]:
    """Run ``cmd``; (wall seconds, largest process RSS in MB)."""
    t = time.perf_counter()
    res = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if res.returncode:
        sys.exit(f"failed ({res.returncode}): {' '.join(cmd)}\n{res.stdout}\n{res.stderr}")
    return wall, int(res.stderr.strip().splitlines()[-1]) // 1024


def split(corpus: Path, size: int, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    with corpus.open("rb") as f:
        chunk: list[bytes] = []
        for line in f:
            chunk.append(line)
            if len(chunk) == size:
                files.append(out / f"batch-{len(files):04d}.jsonl")
                files[-1].write_bytes(b"".join(chunk))
                chunk = []
        if chunk:
            files.append(out / f"batch-{len(files):04d}.jsonl")
            files[-1].write_bytes(b"".join(chunk))
    return files


def same_lines(a: Path, b: Path) -> bool:
    return sorted(a.read_bytes().splitlines()) == sorted(b.read_bytes().splitlines())


def shingles(text: str, k: int = 5) -> set[bytes]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i:i + k]).encode() for i in range(max(1, len(words) - k + 1))}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--gold", type=Path, required=True, help="folder with gold_pairs.jsonl")
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--batch", type=int, default=10_000)
    p.add_argument("--queries", type=int, default=1000)
    p.add_argument("--record", type=Path)
    p.add_argument("--skip-datasketch", action="store_true")
    p.add_argument("--queries-only", action="store_true",
                   help="only the queries, on the index already in --work (e.g. built in one add)")
    args = p.parse_args(argv)
    for path, what in ((args.corpus, "the corpus"), (args.gold / "gold_pairs.jsonl", "--gold's gold_pairs.jsonl")):
        if not path.exists():
            print(f"index.py: error: {path} not found ({what}; make it with make bench)", file=sys.stderr)
            return 2
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    index = work / "index.db"
    if args.queries_only:
        ours, _ = queries(args, index)
        print(json.dumps(ours))
        return 0
    for f in (index, Path(f"{index}-wal"), Path(f"{index}-shm")):
        f.unlink(missing_ok=True)
    batches = split(args.corpus, args.batch, work / "batches")
    n_docs = sum(1 for _ in args.corpus.open("rb"))
    print(f"{n_docs:,} articles in {len(batches)} batches", flush=True)

    scan_s, scan_mb = timed([*COPYDESK, "scan", str(args.corpus), "--out", str(work / "scan"), "-q"])
    print(f"scan: {scan_s:.1f} s, {scan_mb} MB", flush=True)
    adds = []
    for b in batches:
        s, mb = timed([*COPYDESK, "index", "add", str(index), str(b), "-q"])
        adds.append((s, mb))
        print(f"add {b.name}: {s:.1f} s, {mb} MB", flush=True)
    add_s = sum(s for s, _ in adds)
    export_s, _ = timed([*COPYDESK, "index", "export", str(index), "--out", str(work / "export")])
    parity = {f: same_lines(work / "scan" / f, work / "export" / f)
              for f in ("pairs.jsonl", "families.jsonl", "boilerplate.jsonl")}
    print(f"parity: {parity}", flush=True)
    size = index.stat().st_size + (Path(f"{index}-wal").stat().st_size if Path(f"{index}-wal").exists() else 0)

    ours, arts_queries = queries(args, index)
    arts, queries_, relatives, with_rel = arts_queries
    peer: dict[str, float] | None = None
    if not args.skip_datasketch:
        from datasketch import MinHash, MinHashLSH

        from copydesk.read import RejectLog, read_corpus

        t = time.perf_counter()
        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        for a in read_corpus([args.corpus], rejects=RejectLog()):
            m = MinHash(num_perm=128)
            m.update_batch(list(shingles(a.text)))
            lsh.insert(a.id, m)
        build = time.perf_counter() - t
        lat2, hit2 = [], 0
        for a in queries_:
            t = time.perf_counter()
            m = MinHash(num_perm=128)
            m.update_batch(list(shingles(a.text)))
            got = set(lsh.query(m)) - {a.id}
            lat2.append(time.perf_counter() - t)
            if a.id in relatives:
                hit2 += bool(got & relatives[a.id])
        peer = {"build_s": build, "median_ms": 1000 * statistics.median(lat2),
                "p95_ms": 1000 * pct(lat2, 0.95), "max_ms": 1000 * max(lat2),
                "recall": hit2 / len(with_rel)}
        print(f"datasketch: {peer}", flush=True)

    report = render(args, n_docs, scan_s, scan_mb, adds, add_s, export_s, parity, size, ours, peer)
    print(report)
    if args.record:
        with args.record.open("a") as f:
            f.write("\n" + report)
    return 0


def queries(args: argparse.Namespace, index: Path) -> tuple[dict[str, float], tuple]:
    """Step 5: ``--queries`` articles of the corpus against the index, in this process."""
    # -- queries --------------------------------------------------------------------------
    import copydesk
    from copydesk.read import RejectLog, read_corpus

    relatives: dict[str, set[str]] = {}
    for line in (args.gold / "gold_pairs.jsonl").open():
        g = json.loads(line)
        relatives.setdefault(g["a"], set()).add(g["b"])
        relatives.setdefault(g["b"], set()).add(g["a"])
    ids = [a.id for a in read_corpus([args.corpus], rejects=RejectLog())]  # streamed: 1M fit
    rng = random.Random(1)
    pick_rel = rng.sample([i for i in ids if i in relatives], args.queries // 2)
    pick_not = rng.sample([i for i in ids if i not in relatives], args.queries - args.queries // 2)
    chosen = set(pick_rel) | set(pick_not)
    found = {a.id: a for a in read_corpus([args.corpus], rejects=RejectLog()) if a.id in chosen}
    with_rel = [found[i] for i in pick_rel]
    queries = with_rel + [found[i] for i in pick_not]
    rng.shuffle(queries)
    ix = copydesk.Index(index)
    ix.query(queries[0])
    lat, hit, false_any = [], 0, 0
    for a in queries:
        t = time.perf_counter()
        res = ix.query(a, top=10)
        lat.append(time.perf_counter() - t)
        got = {x.b if x.a == a.id else x.a for x in res}
        if a.id in relatives:
            hit += bool(got & relatives[a.id])
        elif got:
            false_any += 1
    ours = {"median_ms": 1000 * statistics.median(lat), "p95_ms": 1000 * pct(lat, 0.95),
            "max_ms": 1000 * max(lat), "recall": hit / len(with_rel), "stray": false_any / len(pick_not)}
    print(f"copydesk query: {ours}", flush=True)

    return ours, (None, queries, relatives, with_rel)


def render(args: argparse.Namespace, n: int, scan_s: float, scan_mb: int, adds: list[tuple[float, int]],
           add_s: float, export_s: float, parity: dict[str, bool], size: int, ours: dict[str, float],
           peer: dict[str, float] | None) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [f"## Index — {when}: {n:,} articles in batches of {args.batch:,} (`bench/index.py`)", "",
            f"Corpus `{args.corpus}`; 2 cores.", "",
            "| step | wall s | articles/s | peak RSS (largest process) |", "|---|---:|---:|---:|",
            f"| `copydesk scan` (once) | {scan_s:.1f} | {n / scan_s:,.0f} | {scan_mb:,} MB |",
            f"| `copydesk index add`, {len(adds)} batches | {add_s:.1f} | {n / add_s:,.0f} | "
            f"{max(mb for _, mb in adds):,} MB |",
            f"| ratio adds / scan | {add_s / scan_s:.2f}x | | |",
            f"| `copydesk index export` | {export_s:.1f} | | |", "",
            "Seconds per add batch: " + ", ".join(f"{s:.1f}" for s, _ in adds) + ".", "",
            "Export equals the scan (sorted lines): " + ", ".join(f"{k} {'yes' if v else 'NO'}"
                                                                 for k, v in parity.items()) + ".", "",
            f"Index size: {size / 1e6:,.0f} MB, {size / n:,.0f} bytes per article.", "",
            f"| query ({args.queries:,} articles of the corpus, half with a planted relative) | median ms | "
            "p95 ms | max ms | relative found |", "|---|---:|---:|---:|---:|",
            f"| `Index.query(top=10)` (aligned, related pairs) | {ours['median_ms']:.1f} | {ours['p95_ms']:.1f} | "
            f"{ours['max_ms']:.1f} | {100 * ours['recall']:.1f} % |"]
    if peer:
        rows.append(f"| datasketch MinHashLSH(0.5, 128 perm) query (candidate ids only) | "
                    f"{peer['median_ms']:.1f} | {peer['p95_ms']:.1f} | {peer['max_ms']:.1f} | "
                    f"{100 * peer['recall']:.1f} % |")
        rows += ["", f"datasketch index built in memory in {peer['build_s']:.0f} s."]
    rows += ["", f"Queries without a planted relative that returned a pair anyway: "
                 f"{100 * ours['stray']:.1f} %.", ""]
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
