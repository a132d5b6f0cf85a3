"""Tokenizer speed: this tree's tokenizer against an older revision's, in one run.

The old ``textnorm.py`` is taken from git (``--old``, default: the merge base with ``main``)
and imported as a module of its own, so both kernels run on the same machine, the same
text and the same process.  Timed: ``tokenize_docs`` over batches of ``--batch`` articles
(what ``prepare_batch`` calls), after one warm-up call that compiles the kernels; each
figure is the median of ``--repeat`` runs over the whole corpus.

(Not named tokenize.py: that would shadow the standard library module of that name.)

Corpora: ``english`` — the first ``--docs`` BBC articles of the benchmark data (or the demo
corpus when the data is absent); ``english’`` — the same with curly apostrophes (so stored
as two-byte code points, as most real news text is); ``mixed`` — the same with every third article replaced by
one of the test stories in Chinese, Japanese, Thai, Arabic, Russian, Greek, German or Turkish.

    .venv/bin/python bench/tokenizer_speed.py [--docs 3000] [--repeat 7] [--old REV]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "data" / "bbc" / "articles.jsonl"
DEMO = ROOT / "src" / "copydesk" / "demo" / "demo.jsonl"
sys.path.insert(0, str(ROOT / "tests"))

from copydesk import textnorm as new  # noqa: E402


def load_old(rev: str, where: Path) -> ModuleType:
    """``src/copydesk/textnorm.py`` at ``rev`` as module ``textnorm_old``."""
    src = subprocess.run(["git", "show", f"{rev}:src/copydesk/textnorm.py"], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout
    path = where / "textnorm_old.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("textnorm_old", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["textnorm_old"] = mod
    spec.loader.exec_module(mod)
    return mod


def english(n: int) -> list[str]:
    path = BBC if BBC.exists() else DEMO
    texts = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if len(texts) == n:
                break
    while len(texts) < n:  # the demo corpus is small: repeat it
        texts += texts[: n - len(texts)]
    return texts


def mixed(texts: list[str]) -> list[str]:
    from multilingual import ARTICLES

    others = [a.text for a in ARTICLES]
    return [others[i % len(others)] if i % 3 == 2 else t for i, t in enumerate(texts)]


def batches(texts: list[str], size: int) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for at in range(0, len(texts), size):
        part = texts[at:at + size]
        cps = new.codepoints("".join(part))
        doc_cp = np.zeros(len(part) + 1, np.int64)
        np.cumsum([len(t) for t in part], out=doc_cp[1:])
        out.append((cps, doc_cp))
    return out


def timed(mod: ModuleType, data: list[tuple[np.ndarray, np.ndarray]], repeat: int
          ) -> tuple[float, float]:
    """Median seconds of a pass over ``data``, and minor page faults per pass (fresh pages
    of output arrays above glibc's mmap threshold show up here: see ``token_capacity``)."""
    mod.tokenize_docs(*data[0])  # compile (or load the cache) and build the tables
    runs = []
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(repeat):
        t0 = time.perf_counter()
        for cps, doc_cp in data:
            mod.tokenize_docs(cps, doc_cp)
        runs.append(time.perf_counter() - t0)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    return statistics.median(runs), faults / repeat


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--old", default=None, help="git revision of the old tokenizer (default: merge base with main)")
    args = ap.parse_args()
    rev = args.old or subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, check=True,
                                     capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        old = load_old(rev, Path(tmp))
        eng = english(args.docs)
        # curly apostrophes: the same English as two-byte code points (uint16 arrays)
        curly = [t.replace("'", "\u2019") for t in eng]
        corpora = {"english": eng, "english’": curly, "mixed": mixed(eng)}
        print(f"tokenize_docs, {args.docs} articles in batches of {args.batch}, median of "
              f"{args.repeat} (old = {rev[:10]})")
        print(f"{'corpus':8} {'chars':>10} {'old ms':>8} {'new ms':>8} {'new/old':>8} "
              f"{'old Mchar/s':>11} {'new Mchar/s':>11} {'tokens old':>10} {'tokens new':>10} "
              f"{'faults old':>10} {'faults new':>10}")
        for name, texts in corpora.items():
            data = batches(texts, args.batch)
            chars = sum(len(c) for c, _ in data)
            # interleave old and new so that machine noise hits both alike
            t_old, t_new, f_old, f_new = [], [], [], []
            for _ in range(3):
                for mod, times, faults in ((old, t_old, f_old), (new, t_new, f_new)):
                    t, f = timed(mod, data, args.repeat)
                    times.append(t)
                    faults.append(f)
            to, tn = statistics.median(t_old), statistics.median(t_new)
            n_old = sum(int(old.tokenize_docs(*b)[0].size) for b in data)
            n_new = sum(int(new.tokenize_docs(*b)[0].size) for b in data)
            print(f"{name:8} {chars:>10,} {to * 1e3:>8.1f} {tn * 1e3:>8.1f} {tn / to:>8.3f} "
                  f"{chars / to / 1e6:>11.1f} {chars / tn / 1e6:>11.1f} {n_old:>10,} {n_new:>10,} "
                  f"{statistics.median(f_old):>10,.0f} {statistics.median(f_new):>10,.0f}")


if __name__ == "__main__":
    main()
