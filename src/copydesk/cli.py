"""The ``copydesk`` command: a thin layer over the library (see ``copydesk --help``)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from . import __version__
from .config import (
    SEGMENTERS,
    AlignConfig,
    CandidateConfig,
    FingerprintConfig,
    FurnitureConfig,
    PrepareConfig,
    RelateConfig,
    ScanConfig,
    SemanticConfig,
)
from .dedup import KEEP_RULES
from .errors import ConfigError, CopydeskError, InputError, MissingDependency
from .plan import ScanResult
from .records import RELATIONS, Article, Reject


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="copydesk",
        description="Find where news text was reused: reprints, near-duplicates, condensed "
                    "rewrites and partial reuse, with the reused passages, relation and origin.")
    p.add_argument("--version", action="version", version=f"copydesk {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("scan", help="find all reuse in a collection of articles",
                       description="Find all reuse in a collection and write pairs.jsonl, "
                                   "families.jsonl, rejects.jsonl and run.json to --out.")
    _add_inputs(s)
    s.add_argument("--out", "-o", required=True, metavar="DIR",
                   help="folder for the results (new, empty, or an earlier results folder, "
                        "which is replaced as a whole)")
    s.add_argument("--parquet", action="store_true", help="also write pairs.parquet (needs pyarrow)")
    s.add_argument("--partitioned", action="store_true",
                   help="with --parquet and --engine spark: write DIR/pairs/ and DIR/families/ as "
                        "folders of Parquet part files written by the executors, in place of "
                        "pairs.parquet (DIR on a file system the executors share)")
    s.add_argument("--report", action="store_true",
                   help="also write the HTML report into DIR/report/ (open DIR/report/index.html)")
    _add_max_pairs(s)
    _add_scan_options(s)
    e = s.add_argument_group("engine")
    e.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="local: processes on this machine (--workers); spark: Apache Spark jobs "
                        "with the same results (needs pip install 'copydesk[spark]') "
                        "(default: %(default)s)")
    e.add_argument("--master", metavar="URL",
                   help="Spark master for --engine spark (default: local[*], or what "
                        "spark-submit set)")
    e.add_argument("--partitions", type=int, metavar="N",
                   help="hash partitions of the candidate join for --engine spark, a power of "
                        "two (default: 64)")

    d = sub.add_parser("dedup", help="write the corpus with one article per reuse family",
                       description="Scan, then write the corpus with one article per reuse "
                                   "family to FILE (JSON Lines, or Parquet for .parquet) and "
                                   "FILE.map.jsonl: every article, the one kept in its place, "
                                   "family, relation and why.")
    _add_inputs(d, stdin=False)
    d.add_argument("--out", "-o", required=True, metavar="FILE",
                   help="the deduplicated corpus: .jsonl, .jsonl.gz, .ndjson or .parquet")
    d.add_argument("--keep", choices=KEEP_RULES, default="origin",
                   help="which article of a family to keep: its origin (published first, "
                        "else the source of the others), the longest, or the earliest "
                        "(default: %(default)s)")
    d.add_argument("--drop", default=",".join(RELATIONS), metavar="RELATIONS",
                   help="drop a member only if its relation to the kept article is one of "
                        "these, e.g. duplicate,near_duplicate,contained to keep partial reuse "
                        "(default: %(default)s: one article per family)")
    _add_scan_options(d)

    c = sub.add_parser("compare", help="explain one pair side by side",
                       description="Explain one pair: relation, origin, coverage and the shared "
                                   "passages word by word.")
    c.add_argument("a", metavar="A", help="a .txt/.jsonl file with one article (or an id with --corpus)")
    c.add_argument("b", metavar="B", help="the other article")
    c.add_argument("--corpus", metavar="FILE", help="read A and B as ids from this corpus")
    c.add_argument("--json", action="store_true", help="print the pair as JSON")
    c.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    c.add_argument("--width", type=int, default=0, help="output width (default: terminal width)")
    _segmenter_option(c)

    r = sub.add_parser("report", help="write an HTML report of scan results",
                       description="Write a static HTML report of a results folder: an index, "
                                   "a page per family and per pair (both texts side by side, "
                                   "word-level edits marked).  The texts are read from the "
                                   "corpus recorded in RESULTS/run.json, or --corpus.")
    r.add_argument("results", metavar="RESULTS", help="a folder written by copydesk scan")
    r.add_argument("--out", "-o", metavar="DIR",
                   help="folder for the report (new, empty, or an earlier report, which is "
                        "replaced; default: RESULTS/report)")
    r.add_argument("--corpus", action="append", metavar="FILE",
                   help="the articles RESULTS were scanned from; repeat it for more files or "
                        "folders (default: the inputs recorded in RESULTS/run.json)")
    _add_max_pairs(r)
    _input_options(r)

    v = sub.add_parser("serve", help="web UI and JSON API over an index or a results folder",
                       description="Serve a persistent index (a file) or a scan results folder "
                                   "(read-only) as web pages and a JSON API (/api/, described "
                                   "at /openapi.json).  Listens on 127.0.0.1 only unless "
                                   "--host says otherwise.  Ctrl-C stops it.")
    v.add_argument("source", metavar="SOURCE",
                   help="an index file (copydesk index add) or a folder written by copydesk "
                        "scan")
    v.add_argument("--corpus", action="append", metavar="FILE",
                   help="the articles a results folder was scanned from; repeat it for more "
                        "files (default: the inputs recorded in SOURCE/run.json)")
    v.add_argument("--host", default="127.0.0.1",
                   help="interface to listen on (default: %(default)s, this machine only; "
                        "0.0.0.0 for every interface)")
    v.add_argument("--port", type=int, default=8765, help="port (default: %(default)s)")
    v.add_argument("--token", metavar="T",
                   help="allow adding articles (POST /api/articles) with the header "
                        "'Authorization: Bearer T' (default: $COPYDESK_TOKEN; without one, "
                        "adding is disabled)")

    ix = sub.add_parser("index", help="build, grow, export or describe a persistent index",
                        description="A persistent index: one SQLite file that grows by adds and "
                                    "exports exactly what copydesk scan of all its articles gives.")
    isub = ix.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    ia = isub.add_parser("add", help="add articles (creates the index if missing)",
                         description="Add articles to INDEX (created if missing): new articles are "
                                     "matched against everything indexed; an id already indexed "
                                     "with the same content is left alone, with other content it "
                                     "is a reject unless --replace.")
    ia.add_argument("index", metavar="INDEX", help="the index file (SQLite)")
    _add_inputs(ia)
    ia.add_argument("--replace", action="store_true",
                    help="replace an indexed article whose id comes back with other content")
    ia.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="processes (default: all cores, here %(default)s)")
    ia.add_argument("--quiet", "-q", action="store_true", help="no progress bars")
    ia.add_argument("--tmp", metavar="DIR",
                    help="folder for temporary spill files (default: the system temp folder)")
    _input_options(ia)
    ie = isub.add_parser("export", help="write pairs, families, boilerplate as copydesk scan does",
                         description="Write INDEX's pairs.jsonl, families.jsonl, boilerplate.jsonl, "
                                     "rejects.jsonl and run.json to --out: what copydesk scan of "
                                     "every indexed article writes.")
    ie.add_argument("index", metavar="INDEX")
    ie.add_argument("--out", "-o", required=True, metavar="DIR",
                    help="folder for the results (new, empty, or an earlier results folder)")
    ist = isub.add_parser("stats", help="articles, pairs by relation, families, size, sources, dates")
    ist.add_argument("index", metavar="INDEX")
    ist.add_argument("--json", action="store_true", help="print one JSON object")

    q = sub.add_parser("query", help="where did this text come from? (indexed articles sharing it)",
                       description="The indexed articles that share text with one article: "
                                   "relation, origin, coverages, passages and family.  The index is "
                                   "not changed unless --add.")
    q.add_argument("index", metavar="INDEX")
    q.add_argument("article", metavar="FILE",
                   help="a file with one article (.txt, .jsonl, ...), or - for standard input "
                        "(a JSON object with id and text, or plain text)")
    q.add_argument("--json", action="store_true", help="print JSON Lines, one pair per line")
    q.add_argument("--top", type=int, default=10, metavar="N", help="at most N answers (default: %(default)s)")
    q.add_argument("--add", action="store_true", help="then add the article to the index")

    e = sub.add_parser("eval", help="score results against gold labels",
                       description="Score RESULTS (pairs.jsonl, families.jsonl) against a gold "
                                   "folder (corpus.jsonl, gold_pairs.jsonl, gold_families.jsonl).")
    e.add_argument("--gold", required=True, metavar="DIR")
    e.add_argument("results", metavar="RESULTS")
    e.add_argument("--corpus", metavar="FILE",
                   help="the corpus RESULTS were scanned from (default: DIR/corpus.jsonl, "
                        "else the .jsonl input recorded in RESULTS/run.json)")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _input_options(s: argparse.ArgumentParser) -> None:
    from .read import FORMATS

    r = s.add_argument_group("input")
    r.add_argument("--format", choices=FORMATS,
                   help="read every input as this format (default: from each file's name)")
    for name in ("id", "text", "title", "date", "source"):
        r.add_argument(f"--{name}-field", metavar="NAME", default=name,
                       help=f"field holding the article's {name} in JSON Lines, CSV or Parquet "
                            f"(default: {name})")


def _fields(args: argparse.Namespace) -> Any:
    from .read import FieldMap

    return FieldMap(id=args.id_field, text=args.text_field, title=args.title_field,
                    date=args.date_field, source=args.source_field)
def _add_max_pairs(p: argparse.ArgumentParser) -> None:
    from .report import DEFAULT_MAX_PAIRS

    p.add_argument("--max-pairs", type=int, default=DEFAULT_MAX_PAIRS, metavar="N",
                   help="write at most N pair pages in the report; the other pairs are "
                        "summarized on their family's page (default: %(default)s)")


def _add_inputs(p: argparse.ArgumentParser, *, stdin: bool = True) -> None:
    p.add_argument("inputs", nargs="+", metavar="ARTICLES",
                   help="JSON Lines (.jsonl, .jsonl.gz, .jsonl.zst" + (", - for stdin" if stdin else "")
                        + "), .csv, .parquet, .txt, saved web pages (.html), WARC crawls (.warc, "
                        ".warc.gz), or folders of them (read recursively)")


def _add_scan_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes (default: all cores, here %(default)s)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bars")
    _input_options(p)
    p.add_argument("--tmp", metavar="DIR",
                   help="folder for temporary spill files (default: the system temp folder)")
    _segmenter_option(p)
    p.add_argument("--semantic", action="store_true",
                   help="also find reworded reuse (heavy rewrites, summaries) through sentence "
                        "embeddings: slower; needs pip install 'copydesk[semantic]'")
    g = p.add_argument_group("tuning (defaults are sensible; values are recorded in run.json)")
    g.add_argument("--k", type=int, default=FingerprintConfig.k,
                   help="words per fingerprint shingle (default: %(default)s)")
    g.add_argument("--window", type=int, default=FingerprintConfig.window,
                   help="winnowing window (default: %(default)s)")
    g.add_argument("--min-shared", type=int, default=CandidateConfig.min_shared,
                   help="shared fingerprints that make a candidate pair (default: %(default)s)")
    g.add_argument("--bucket-cap", type=int, default=CandidateConfig.bucket_cap,
                   help="fingerprints shared by more articles link through a representative "
                        "(default: %(default)s)")
    g.add_argument("--max-gap", type=int, default=AlignConfig.max_gap_chars,
                   help="characters of edits a passage may bridge (default: %(default)s)")
    g.add_argument("--min-passage", type=int, default=AlignConfig.min_passage_chars,
                   help="shortest passage kept, in characters (default: %(default)s)")
    g.add_argument("--min-reuse", type=int, default=RelateConfig.min_reuse_chars,
                   help="a pair needs a passage this long (characters) to count as reuse "
                        "(default: %(default)s)")
    g.add_argument("--boiler-min-docs", type=int, default=FurnitureConfig.min_docs,
                   help="a line in this many articles that otherwise share nothing is furniture "
                        "(default: %(default)s)")
    g.add_argument("--boiler-site-min-docs", type=int, default=FurnitureConfig.site_min_docs,
                   help="... or in this many articles of one site (default: %(default)s)")


def _segmenter_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--segmenter", choices=SEGMENTERS, default=PrepareConfig.segmenter,
                   help="how Chinese, Japanese, Thai and other text written without spaces is "
                        "cut into tokens: a token per character (chars), or a token per word "
                        "of ICU's dictionaries (icu; needs pip install 'copydesk[icu]'); other "
                        "scripts are not affected (default: %(default)s)")


def _scan_config(args: argparse.Namespace) -> ScanConfig:
    return ScanConfig(
        prepare=PrepareConfig(furniture=FurnitureConfig(min_docs=args.boiler_min_docs,
                                                        site_min_docs=args.boiler_site_min_docs),
                              segmenter=args.segmenter),
        fingerprint=FingerprintConfig(k=args.k, window=args.window),
        candidates=CandidateConfig(min_shared=args.min_shared, bucket_cap=args.bucket_cap),
        align=AlignConfig(max_gap_chars=args.max_gap, min_passage_chars=args.min_passage),
        relate=RelateConfig(min_reuse_chars=args.min_reuse),
        semantic=SemanticConfig(enabled=args.semantic),
        workers=args.workers)


class _Bars:
    """One self-updating progress line on stderr per stage (only on a terminal)."""

    def __init__(self, enabled: bool, interval: float = 0.2) -> None:
        self.enabled = enabled
        self.interval = interval
        self.last = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < self.interval and done != total):
            return
        self.last = now
        text = f"{stage:<9}{done:>12,}" + (f" / {total:,} ({100 * done / total:.0f} %)" if total else "")
        sys.stderr.write("\r" + text.ljust(self.width))
        sys.stderr.flush()
        self.width = len(text)

    def close(self) -> None:
        if self.enabled and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()


def kernels_cached() -> bool:
    """Whether numba has compiled copydesk's kernels before (its on-disk cache: beside the
    modules, or in a user-wide folder when that is read-only).  Only decides whether to
    warn that the first scan compiles; a wrong guess costs one line."""
    here = Path(__file__).parent / "__pycache__"
    if any(here.glob("align_kernel.*.nbi")):
        return True
    places = [os.environ.get("NUMBA_CACHE_DIR", ""), str(Path.home() / ".cache" / "numba")]
    return any(p and Path(p).is_dir() and any(Path(p).rglob("align_kernel.*.nbi")) for p in places)


def _summary(result: ScanResult, out: Path) -> str:
    s = result.summary()
    warm = result.timings.get("warm_up", 0.0)  # loading (first run: compiling) the kernels
    secs = max(result.timings.get("total", 0.0) - warm, 0.0)
    rate = s["articles"] / secs if secs else 0.0
    noun = "article" if s["articles"] == 1 else "articles"
    lines = [f"copydesk scan: {s['articles']:,} {noun} in {secs:.1f} s ({rate:,.0f} articles/s)"]
    if warm >= 2.0:
        lines.append(f"  (+ {warm:.0f} s compiling the kernels: first run only, cached for the "
                     "next runs, not counted above)")
    lines += ["", f"  {'relation':<16}{'pairs':>10}"]
    for rel in RELATIONS:
        lines.append(f"  {rel:<16}{s['pairs_by_relation'].get(rel, 0):>10,}")
    lines += [f"  {'all pairs':<16}{s['pairs']:>10,}",
              f"  {'families':<16}{s['families']:>10,}",
              f"  {'rejected inputs':<16}{s['rejected']:>10,}"
              + (f"   (reasons in {out / 'rejects.jsonl'})" if s["rejected"] else ""),
              *([f"  {'skipped records':<16}{skipped:>10,}   (not articles: see run.json)"]
                if (skipped := result.stats.get("skipped_records", 0)) else []),
              *([f"  {'furniture lines':<16}{fl:>10,}   (set aside for matching: {out / 'boilerplate.jsonl'})"]
                if (fl := result.stats.get("furniture_lines", 0)) else []),
              *([f"  {'template pairs':<16}{tp:>10,}   (same skeleton, other figures: not reuse)"]
                if (tp := result.stats.get("template_pairs_set_aside", 0)) else []),
              *([f"  {'unreadable dates':<16}{ud:>10,}   (treated as absent; origin then from the text)"]
                if (ud := result.stats.get("dates_unusable", 0)) else []),
              "", f"results in {out}/ (pairs.jsonl, families.jsonl, rejects.jsonl, boilerplate.jsonl, run.json"
              + (", pairs/ and families/: Parquet part files)" if "parquet_part_files" in result.stats else ")")]
    return "\n".join(lines)


def _cmd_scan(args: argparse.Namespace) -> int:
    from .api import scan
    from .engines.local import keep_freed_heap

    keep_freed_heap()

    cfg = _scan_config(args)
    out = Path(args.out)
    bars = _Bars(enabled=not args.quiet and sys.stderr.isatty())
    if not args.quiet and not kernels_cached():
        print("(first run: compiling copydesk's kernels, about half a minute, once)",
              file=sys.stderr)
    try:
        result = scan(args.inputs, out=out, config=cfg, progress=bars, parquet=args.parquet,
                      workdir=args.tmp, fields=_fields(args), format=args.format,
                      report=args.report, max_pairs=args.max_pairs, partitioned=args.partitioned,
                      **_engine_options(args))
    finally:
        bars.close()
    print(_summary(result, out))
    if args.report:
        print(f"report in {out / 'report' / 'index.html'}")
    if not result.summary()["articles"]:
        why = f"{len(result.rejects):,} rejected, reasons in {out / 'rejects.jsonl'}" \
            if result.rejects else "the inputs hold no records"
        raise InputError(f"no article could be read ({why})")
    return 0


def _engine_options(args: argparse.Namespace) -> dict[str, Any]:
    """The engine keywords of :func:`copydesk.scan` from the command line."""
    if args.engine == "local":
        for flag, value in (("--master", args.master), ("--partitions", args.partitions)):
            if value is not None:
                raise ConfigError(f"{flag} is an option of --engine spark")
        return {}
    return {"engine": "spark", "master": args.master, "partitions": args.partitions}


def _cmd_dedup(args: argparse.Namespace) -> int:
    from .dedup import dedup
    from .engines.local import keep_freed_heap

    keep_freed_heap()
    cfg = _scan_config(args)
    bars = _Bars(enabled=not args.quiet and sys.stderr.isatty())
    if not args.quiet and not kernels_cached():
        print("(first run: compiling copydesk's kernels, about half a minute, once)",
              file=sys.stderr)
    try:
        res = dedup(args.inputs, out=args.out, keep=args.keep, config=cfg, progress=bars,
                    workdir=args.tmp, drop=[r.strip() for r in args.drop.split(",") if r.strip()])
    finally:
        bars.close()
    s = res.scan.summary()
    print(f"copydesk dedup: {len(res.entries):,} articles, {s['families']:,} families: "
          f"kept {res.kept:,}, dropped {res.dropped:,} (--keep {args.keep})")
    if s["rejected"]:
        print(f"  {s['rejected']:,} input records rejected (not articles; not written)")
    print(f"written: {res.files['corpus']} (the kept articles) and {res.files['map']} "
          "(every article, the one kept in its place, and why)")
    return 0


def _one_article(path: str, command: str = "compare") -> Article:
    from .read import RejectLog, read_corpus

    log = RejectLog()
    arts = list(read_corpus([path], rejects=log))
    if len(arts) != 1:
        why = f" ({next(iter(log)).reason})" if log.count else ""
        raise InputError(f"{path} holds {len(arts)} usable articles{why}; {command} needs exactly one"
                         + (" (or use --corpus FILE with two ids)" if command == "compare" else ""))
    return arts[0]


def _from_corpus(path: str, ids: Sequence[str]) -> list[Article]:
    from .read import RejectLog, read_corpus

    found = {a.id: a for a in read_corpus([path], rejects=RejectLog()) if a.id in ids}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InputError(f"id {missing[0]!r} is not in {path}")
    return [found[i] for i in ids]


def _cmd_compare(args: argparse.Namespace) -> int:
    from .api import CORPUS_RULES_NOTE, compare, compare_in_corpus
    from .render.terminal import render_pair, should_color

    cfg = ScanConfig(prepare=PrepareConfig(segmenter=args.segmenter))
    if args.corpus:
        a, b = _from_corpus(args.corpus, [args.a, args.b])
        pair, note = compare_in_corpus([args.corpus], a, b, cfg)
    else:
        a, b = _one_article(args.a), _one_article(args.b)
        if a.id == b.id:
            a = Article(args.a, a.text, a.title, a.date, a.source, a.url, a.extra)
            b = Article(args.b, b.text, b.title, b.date, b.source, b.url, b.extra)
        pair, note = compare(a, b, cfg), CORPUS_RULES_NOTE
    if args.json:
        print(json.dumps({**pair.to_dict(), "note": note}, ensure_ascii=False, indent=2))
        return 0
    color = {"always": True, "never": False}.get(args.color, should_color(sys.stdout))
    width = args.width or shutil.get_terminal_size((100, 24)).columns
    if width < 40:
        raise ConfigError("--width must be at least 40")
    print(f"({note})", file=sys.stderr)
    print(render_pair(a, b, pair, color=color, width=width))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import make_report

    info = make_report(args.results, args.out, corpus=args.corpus, fields=_fields(args),
                       format=args.format, max_pairs=args.max_pairs)
    cut = (f"; {info.pairs_left_out:,} more pairs summarized on their family pages "
           f"(--max-pairs {args.max_pairs})") if info.pairs_left_out else ""
    print(f"copydesk report: {info.families:,} family pages, {info.pairs:,} pair pages{cut}")
    print(f"open {info.index}")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from .service import open_store, require_serve
    from .service.server import check_address, serve

    require_serve()
    token = args.token if args.token is not None else os.environ.get("COPYDESK_TOKEN") or None
    if token is not None and not token.strip():
        raise ConfigError("--token must not be empty")
    check_address(args.host, args.port)  # before loading the store: a taken port fails at once
    store = open_store(args.source, corpus=args.corpus)
    stats = store.stats()
    where = f"[{args.host}]" if ":" in args.host else args.host
    counts = [int(stats.get(k) or 0) for k in ("articles", "pairs", "families")]
    print("copydesk serve: {:,} articles, {:,} pairs, {:,} families from ".format(*counts)
          + str(args.source), file=sys.stderr)
    print(f"open http://{where}:{args.port}/  (adding articles "
          f"{'needs the token' if token else 'disabled: no --token'}; Ctrl-C stops)",
          file=sys.stderr)
    serve(store, host=args.host, port=args.port, token=token, name=Path(args.source).name)
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation import evaluate, format_report

    result = evaluate(args.gold, args.results, corpus=args.corpus)
    print(json.dumps(result) if args.json else format_report(result))
    return 0


def _cmd_index(args: argparse.Namespace) -> int:
    from .store import Index

    if args.index_command == "add":
        from .engines.local import keep_freed_heap

        keep_freed_heap()
        if args.workers < 1:
            raise ConfigError("--workers must be >= 1")
        bars = _Bars(enabled=not args.quiet and sys.stderr.isatty())
        try:
            c = Index(args.index, workers=args.workers).add(
                args.inputs, replace=args.replace, progress=bars, fields=_fields(args),
                format=args.format, workdir=args.tmp)
        finally:
            bars.close()
        print(f"copydesk index add: {c['added']:,} added, {c['replaced']:,} replaced, "
              f"{c['unchanged']:,} already indexed, {c['rejected']:,} rejected "
              f"in {c['seconds']:.1f} s")
        for r in c["rejects"][:5]:
            print(f"  rejected {r['where']}: {r['reason']}", file=sys.stderr)
        if len(c["rejects"]) > 5:
            print(f"  ... and {len(c['rejects']) - 5:,} more (copydesk index export writes them all)",
                  file=sys.stderr)
        print(f"{args.index}: {c['articles']:,} articles, {c['pairs']:,} pairs, "
              f"{c['families']:,} families")
        return 0
    index = Index(args.index)
    if not Path(args.index).exists():
        from .store.schema import check

        check(Path(args.index), index.config)
    if args.index_command == "export":
        counts = index.export(args.out)
        print(f"copydesk index export: {counts['articles']:,} articles, {counts['pairs']:,} pairs, "
              f"{counts['families']:,} families, {counts['rejected']:,} rejects -> {args.out}/")
        return 0
    st = index.stats()
    if args.json:
        print(json.dumps(st, indent=2, ensure_ascii=False))
        return 0
    lines = [f"{st['path']}: copydesk index, format version {st['format_version']}",
             f"  {'articles':<18}{st['articles']:>12,}"]
    for rel, n in st["pairs_by_relation"].items():
        lines.append(f"  {rel:<18}{n:>12,}")
    mb = st["size_bytes"] / 1e6
    lines += [f"  {'all pairs':<18}{st['pairs']:>12,}", f"  {'families':<18}{st['families']:>12,}",
              f"  {'sources':<18}{st['sources']:>12,}",
              f"  {'dates':<18}{(st['date_first'] or '-')[:10]} .. {(st['date_last'] or '-')[:10]}"
              f" ({st['undated']:,} undated)",
              f"  {'rejects':<18}{st['rejects']:>12,}", f"  {'adds':<18}{st['adds']:>12,}",
              f"  {'size on disk':<18}{mb:>9,.1f} MB"
              + (f" ({st['bytes_per_article']:,} bytes per article)" if st["articles"] else "")]
    print("\n".join(lines))
    return 0


def _query_article(path: str) -> Article:
    if path != "-":
        return _one_article(path, "query")
    data = sys.stdin.read()
    try:
        row = json.loads(data)
    except ValueError:
        row = None
    if isinstance(row, dict):
        from .read._record import to_article
        from .read.jsonl import parse_record

        row = parse_record(data.strip().encode("utf-8", "surrogatepass"), "<stdin>", 1)
        art = row if row is None or isinstance(row, Reject) else to_article(row)
        if art is None:
            raise InputError("standard input is empty: give the article's text (or a JSON object)")
        if not isinstance(art, Article):
            raise InputError(f"standard input: {art.reason}")
        return art
    if not data.strip():
        raise InputError("standard input is empty: give the article's text (or a JSON object)")
    return Article("<stdin>", data)


def _cmd_query(args: argparse.Namespace) -> int:
    from .store import Index
    from .store.schema import check

    if args.top < 1:
        raise ConfigError("--top must be >= 1")
    index = Index(args.index)
    check(Path(args.index), index.config)  # refuse a missing or foreign file before reading input
    art = _query_article(args.article)
    pairs = index.query(art, top=args.top)
    fams = {p: index.family_of(p.b if p.a == art.id else p.a) for p in pairs}
    if args.json:
        for p in pairs:
            other = p.b if p.a == art.id else p.a
            f = fams[p]
            print(json.dumps({**p.to_dict(), "query": art.id, "match": other,
                              "family": f.family if f else None}, ensure_ascii=False))
    else:
        one = len(pairs) == 1
        print(f"copydesk query: {len(pairs)} indexed article{'' if one else 's'} "
              f"{'shares' if one else 'share'} text with {art.id}")
        if pairs:
            print(f"  {'match':<24}{'relation':<16}{'origin':<24}{'cov. query':>11}{'cov. match':>11}"
                  f"{'passages':>9}  family")
        for p in pairs:
            mine_a = p.a == art.id
            other = p.b if mine_a else p.a
            cq, cm = (p.coverage_a, p.coverage_b) if mine_a else (p.coverage_b, p.coverage_a)
            f = fams[p]
            print(f"  {other:<24}{p.relation:<16}{p.origin or '-':<24}{cq:>11.2f}{cm:>11.2f}"
                  f"{len(p.passages):>9}  {f.family if f else '-'}")
    if args.add:
        c = index.add([art])
        print(f"added {art.id} to {args.index}" if c["added"] or c["replaced"] else
              f"{art.id} was already indexed" if c["unchanged"] else
              f"{art.id} not added: {c['rejects'][0]['reason'] if c['rejects'] else 'rejected'}",
              file=sys.stderr)
    return 0


class Terminated(KeyboardInterrupt):
    """SIGTERM (sent by ``timeout``, schedulers and container runtimes), raised in the main
    process so that it unwinds exactly like Ctrl-C: worker pool stopped, temporary folders
    and spills removed, no half-written results."""


def _on_sigterm(parent: int) -> Callable[[int, FrameType | None], None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != parent:  # a forked worker inherited this: just die as by default
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second TERM must not cut the clean-up
        raise Terminated
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 failure, 2 bad usage or input,
    130 interrupted, 143 terminated)."""
    args = _parser().parse_args(argv)
    cmd = {"scan": _cmd_scan, "compare": _cmd_compare, "eval": _cmd_eval,
           "dedup": _cmd_dedup, "report": _cmd_report, "serve": _cmd_serve, "index": _cmd_index,
           "query": _cmd_query}[args.command]
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm(os.getpid())) if main_thread else None
    try:
        return cmd(args)
    except (ConfigError, InputError, MissingDependency) as e:
        print(f"copydesk {args.command}: error: {e}", file=sys.stderr)
        return 2
    except CopydeskError as e:
        print(f"copydesk {args.command}: error: {e}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as e:  # an index damaged under us (a disk error, a bad copy)
        print(f"copydesk {args.command}: error: the index cannot be read: {e}", file=sys.stderr)
        return 1
    except Terminated:
        print(f"copydesk {args.command}: terminated (SIGTERM)", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("copydesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except OSError as e:  # the environment, not a bug: one line, no traceback
        where = f" ({e.filename})" if e.filename else ""
        print(f"copydesk {args.command}: error: {e.strerror or e}{where}", file=sys.stderr)
        return 1
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


def run() -> None:  # pragma: no cover - ends the process
    """The ``copydesk`` command: :func:`main`, then an immediate exit.  Tearing down the
    interpreter after a big scan (freeing every object one by one) takes a noticeable
    fraction of a second, and there is nothing left to clean up: the results are written
    and closed, the temporary files removed, the worker processes gone."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
