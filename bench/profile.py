"""Where a scan's time goes: sample ``copydesk scan`` (all its processes) with py-spy and
print the functions that hold the most samples, by own time and by time under them.

    .venv/bin/python bench/profile.py bench/data/100000/corpus.jsonl [--rate 200] [--top 25]
    .venv/bin/python bench/profile.py --docs 10000      # the corpus of `make bench`, made if missing

Needs py-spy (``make profile`` installs it).  The raw samples are kept in
``bench/data/profile.txt`` (py-spy's "raw" format: one stack per line and its count).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def _frame(f: str) -> str:
    """``func (path/file.py:12)`` -> ``func file.py``."""
    name, _, where = f.partition(" (")
    return f"{name} {where.split(':')[0].rsplit('/', 1)[-1]}" if where else name


def summarize(raw: Path, top: int) -> str:
    own: Counter[str] = Counter()
    under: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        frames = [_frame(f) for f in stack.split(";")[1:]]  # [0] is the process
        if not frames:
            continue
        total += int(n)
        own[frames[-1]] += int(n)
        for f in set(frames):
            under[f] += int(n)
    out = [f"{total} samples over all processes", "", "own time:"]
    out += [f"  {100 * v / total:5.1f}%  {k}" for k, v in own.most_common(top)]
    out += ["", "time under (inclusive):"]
    out += [f"  {100 * v / total:5.1f}%  {k}" for k, v in under.most_common(top)]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", help="a JSON Lines corpus to scan")
    parser.add_argument("--docs", type=int, help="instead: the generated corpus of this size "
                        "(bench/data/N/corpus.jsonl, made as `bench/scale.py` makes it)")
    parser.add_argument("--rate", type=int, default=200, help="samples per second")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--raw", type=Path, default=BENCH / "data" / "profile.txt")
    args = parser.parse_args(argv)
    if (args.corpus is None) == (args.docs is None):
        parser.error("give a corpus file or --docs N")
    if args.docs is not None:
        from scale import ensure_corpus  # bench/ is this script's folder

        args.corpus, _ = ensure_corpus(args.docs, BENCH / "data")
    if not args.corpus.is_file():
        print(f"profile: corpus {args.corpus} not found (`--docs N` makes one)", file=sys.stderr)
        return 2
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        print("py-spy is not installed: run `make profile` or `.venv/bin/pip install py-spy`", file=sys.stderr)
        return 2
    copydesk = Path(sys.executable).parent / "copydesk"
    args.raw.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        cmd = [spy, "record", "-r", str(args.rate), "-f", "raw", "-o", str(args.raw), "--subprocesses",
               "--nonblocking", "--", str(copydesk), "scan", str(args.corpus), "--out", str(out), "-q"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        if not (out / "run.json").is_file():  # py-spy does not pass the scan's exit status on
            print("profile: the profiled scan failed (its error is above); no profile", file=sys.stderr)
            return 1
    print(summarize(args.raw, args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
