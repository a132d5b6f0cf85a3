"""Corpus furniture: text of any length that recurs across articles which otherwise share
nothing (cookie notices, newsletter prompts, related-story lists, author bios, footers).

A line is *furniture* when it recurs in enough articles — ``site_min_docs`` of one site (the
article's ``source``, or its URL's host), or ``min_docs`` of articles whose site is not
known — and the articles carrying
it are, for the most part, unrelated apart from it: most of each carrier's remaining text
is found in no other carrier.  Syndicated text is the opposite case: a wire paragraph
reprinted by hundreds of outlets recurs *together with the rest of its story*, so its
carriers share their other lines too, and it is never masked.

Routine reports (weather, traffic, lottery results, the market close) are instances of a
template: their skeleton lines are found on one another by their fixed words, but with
other figures.  Such an instance is a report of its own, not a version of one story, so
when a site's line is judged, a carrier most of whose approximately found text with figures
is found only with other figures counts that text as its own (:func:`_found`): a site made
mostly of routine reports still has its cookie notice learned.  Copies of a story keep most
of their figures, edited or scanned, and still count as versions of it.

Furniture is set around an article's own text, so a line that is the whole text of one of
its carriers (outside what is masked) is an article: a brief, carried whole by the others,
and reuse.  Unless that carrier's site carries the line on enough pages to judge it there: a
page whose whole text is its site's cookie notice is a page with no article.

The test is made per carrier as well: a furniture line is masked only in the carriers whose
own text is mostly their own (a story's page and its copies keep a line that other pages
quote as a "related story" teaser).  Lines carried by more than ``sample`` articles are judged
on a fixed sample of carriers and masked in all of them.  The rule is applied
``rounds`` times, each time leaving out what the previous round masked, so a reprint's own
site furniture no longer counts as "its own text".

Masks are expressed as codes of (article number, line key) pairs, so that the candidate
join and the alignment can look them up without the text.  :func:`learn_reference` is the
plain specification; :func:`learn` the vectorised version used by the scan.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numba as nb
import numpy as np

from .config import FurnitureConfig
from .setops import unique

_PHI = np.uint64(0x9E3779B97F4A7C15)
_K32 = np.uint64(0xFFFFFFFF)


def in_sorted(values: np.ndarray, sorted_codes: np.ndarray) -> np.ndarray:
    """``np.isin(values, sorted_codes)`` by binary search (``sorted_codes`` sorted)."""
    if not len(sorted_codes):
        return np.zeros(len(values), np.bool_)
    at = np.minimum(np.searchsorted(sorted_codes, values), len(sorted_codes) - 1)
    return sorted_codes[at] == values


class CodeSet:
    """A set of 64-bit codes (well mixed, as :func:`pair_codes` makes them) for fast
    membership tests: an open-addressing table, built once, probed in a compiled loop.  Same
    answers as :func:`in_sorted`."""

    def __init__(self, codes: np.ndarray) -> None:
        codes = unique(np.asarray(codes, np.uint64))
        size = 16
        while size < 2 * len(codes):
            size *= 2
        self.table = np.zeros(size, np.uint64)
        self.used = np.zeros(size, np.bool_)
        _fill(self.table, self.used, codes)
        self.size = len(codes)

    def __len__(self) -> int:
        return self.size

    def contains(self, values: np.ndarray) -> np.ndarray:
        if not self.size:
            return np.zeros(len(values), np.bool_)
        return _probe(self.table, self.used, np.ascontiguousarray(values, np.uint64))


class CodeUnion(CodeSet):
    """The union of a few code sets, probed in turn: a large set built once (an index's
    furniture) used with small ones built per call."""

    def __init__(self, *sets: CodeSet) -> None:  # no table of its own: the sets probe theirs
        self.sets = [s for s in sets if len(s)]
        self.size = sum(len(s) for s in self.sets)

    def contains(self, values: np.ndarray) -> np.ndarray:
        out = np.zeros(len(values), np.bool_)
        for s in self.sets:
            out |= s.contains(values)
        return out


class CodeMap(CodeSet):
    """A :class:`CodeSet` that also maps each code to a number (the first given for it)."""

    def __init__(self, codes: np.ndarray, values: np.ndarray) -> None:
        # (the codes put in the table in the order given, a repeated one left out: no sort)
        codes = np.ascontiguousarray(codes, np.uint64)
        size = 16
        while size < 2 * len(codes):
            size *= 2
        self.table = np.zeros(size, np.uint64)
        self.used = np.zeros(size, np.bool_)
        self.values = np.full(size, -1, np.int64)
        self.size = int(_fill_values(self.table, self.used, codes, np.ascontiguousarray(values, np.int64),
                                     self.values))

    def get(self, values: np.ndarray) -> np.ndarray:
        """The number of each code, -1 where it is not in the map."""
        if not self.size:
            return np.full(len(values), -1, np.int64)
        return _lookup(self.table, self.used, self.values, np.ascontiguousarray(values, np.uint64))


@nb.njit(cache=True, nogil=True)
def _fill_values(table, used, codes, values, out):  # pragma: no cover - jit
    """Each code with its value put in the table, a code already there left with the value it
    has (the first given); returns the number of distinct codes."""
    mask = np.uint64(len(table) - 1)
    count = 0
    for i in range(len(codes)):
        x = codes[i]
        slot = x & mask
        while used[slot] and table[slot] != x:
            slot = (slot + np.uint64(1)) & mask
        if not used[slot]:
            used[slot] = True
            table[slot] = x
            out[slot] = values[i]
            count += 1
    return count


@nb.njit(cache=True, nogil=True)
def _lookup(table, used, vals, values):  # pragma: no cover - jit
    mask = np.uint64(len(table) - 1)
    out = np.full(len(values), -1, np.int64)
    for i in range(len(values)):
        x = values[i]
        slot = x & mask
        while used[slot]:
            if table[slot] == x:
                out[i] = vals[slot]
                break
            slot = (slot + np.uint64(1)) & mask
    return out


@nb.njit(cache=True, nogil=True)
def _fill(table, used, codes):  # pragma: no cover - jit
    mask = np.uint64(len(table) - 1)
    for x in codes:
        slot = x & mask
        while used[slot]:
            slot = (slot + np.uint64(1)) & mask
        used[slot] = True
        table[slot] = x


@nb.njit(cache=True, nogil=True)
def _probe(table, used, values):  # pragma: no cover - jit
    mask = np.uint64(len(table) - 1)
    out = np.zeros(len(values), np.bool_)
    for i in range(len(values)):
        x = values[i]
        slot = x & mask
        while used[slot]:
            if table[slot] == x:
                out[i] = True
                break
            slot = (slot + np.uint64(1)) & mask
    return out


def pair_codes(doc: np.ndarray, key: np.ndarray) -> np.ndarray:
    """A 64-bit code per (article number, line key); only the key's low 32 bits are used, so
    that fingerprint rows can carry the key in 32 bits."""
    x = (np.asarray(doc, np.uint64) + np.uint64(1)) * _PHI
    x ^= np.asarray(key, np.uint64) & _K32
    x ^= x >> np.uint64(31)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(29)
    return x


@dataclass(slots=True)
class Furniture:
    """What was learned: ``codes`` (sorted) of masked (article, line) pairs, and per learned
    line its key, how many articles carry it and have it masked, on how many sites, and one
    (article, line index) where it occurs."""

    codes: np.ndarray
    keys: np.ndarray
    carriers: np.ndarray
    masked: np.ndarray
    sites: np.ndarray
    example_doc: np.ndarray
    example_line: np.ndarray
    links: int = 0  #: (article, line) pairs masked as links to other articles (link_lines)
    docs: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  #: articles with a masked line
    link_records: list[tuple[int, int, int, int, str]] = field(default_factory=list)  #: see link_lines

    def __len__(self) -> int:
        return len(self.keys)


def _groups(sorted_vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first index, size) of each run of equal values in a sorted array."""
    if not len(sorted_vals):
        e = np.zeros(0, np.int64)
        return e, e
    first = np.flatnonzero(np.concatenate(([True], sorted_vals[1:] != sorted_vals[:-1])))
    size = np.diff(np.concatenate((first, [len(sorted_vals)])))
    return first, size


@nb.njit(cache=True, nogil=True)
def _stable_argsort_u64(keys, bits):  # pragma: no cover - jit
    """Rows bucketed by the top ``bits`` of their key (a stable counting sort), then each
    bucket put in key order: by insertion (strictly smaller keys move, so equal keys keep
    their order), or, for a large bucket, by a stable merge sort."""
    n = len(keys)
    shift = np.uint64(64 - bits)
    counts = np.zeros((1 << bits) + 1, np.int64)
    for i in range(n):
        counts[(keys[i] >> shift) + np.uint64(1)] += 1
    for b in range(1 << bits):
        counts[b + 1] += counts[b]
    fill = counts[:-1].copy()
    order = np.empty(n, np.int64)
    for i in range(n):
        b = keys[i] >> shift
        order[fill[b]] = i
        fill[b] += 1
    for b in range(1 << bits):
        lo, hi = counts[b], counts[b + 1]
        if hi - lo <= 1:
            continue
        if hi - lo > 32:
            part = order[lo:hi].copy()
            sub = np.argsort(keys[part], kind="mergesort")
            for r in range(hi - lo):
                order[lo + r] = part[sub[r]]
            continue
        for x in range(lo + 1, hi):
            v = order[x]
            k = keys[v]
            y = x
            while y > lo and keys[order[y - 1]] > k:
                order[y] = order[y - 1]
                y -= 1
            order[y] = v
    return order


def stable_argsort_u64(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` of uint64 keys, faster for well-mixed ones (line
    keys are hashes): one counting sort by their top bits, then the small buckets sorted."""
    keys = np.ascontiguousarray(keys, np.uint64)
    bits = max(1, min(22, (len(keys) - 1).bit_length()))
    return _stable_argsort_u64(keys, bits)


def lexsort2(minor: np.ndarray, major: np.ndarray) -> np.ndarray:
    """``np.lexsort((minor, major))``, faster when few rows share a ``major`` value (line keys:
    most lines of a corpus are its own): one stable argsort by ``major``, then the runs of
    equal ``major`` put in ``minor`` order (stably, so equal pairs keep their order)."""
    order = stable_argsort_u64(major) if major.dtype == np.uint64 else np.argsort(major, kind="stable")
    sm = major[order]
    tie = sm[1:] == sm[:-1]
    if not tie.any():
        return order
    first, size = _groups(sm)
    multi = size > 1
    at = _ranges(first[multi], size[multi])
    run = np.repeat(np.arange(int(multi.sum())), size[multi])
    sub = order[at]
    mn = np.asarray(minor)[sub]
    span = int(mn.max()) + 1 if mn.dtype.kind in "iu" and len(mn) else 0
    if mn.dtype.kind in "iu" and int(mn.min()) >= 0 and len(size) * span < 1 << 62:
        # (one stable sort of one combined key, run then minor: the same order)
        order[at] = sub[np.argsort(run * span + mn.astype(np.int64), kind="stable")]
    else:
        order[at] = sub[np.lexsort((mn, run))]
    return order


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(s, s + n)`` for each (s, n)."""
    total = int(sizes.sum())
    if not total:
        return np.zeros(0, np.int64)
    offs = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    return offs + np.arange(total)


#: ``spawn(fn)`` starts ``fn()`` — elsewhere, e.g. in a forked process, or at once — and
#: returns a function that waits for its result: how :func:`learn` (and
#: :func:`copydesk.plan.learn_furniture`) run their independent passes side by side
Spawn = Callable[[Callable[[], Any]], Callable[[], Any]]


def run_here(fn: Callable[[], Any]) -> Callable[[], Any]:
    """The :data:`Spawn` that runs ``fn`` at once, in this process."""
    result = fn()
    return lambda: result


def learn(key: np.ndarray, marks: np.ndarray, doc: np.ndarray, site: np.ndarray,
          weight: np.ndarray, line: np.ndarray, cfg: FurnitureConfig | None = None,
          rank: np.ndarray | None = None, spawn: Spawn | None = None) -> Furniture:
    """:func:`learn_lines` by whole lines, and again by their first and by their last words
    (a chain's footer that names each masthead differs only at one end); a line is masked
    where any of the three finds it.  ``rank`` (per article number) is the order in which
    carriers are sampled and examples chosen: a scan passes one made from the ids, so the
    result does not depend on the order articles were read in.  ``spawn``: where the passes
    by first and by last words run while this process learns by whole lines, and then over
    the lines of pairs of one site (found among the groups of the pass by whole lines)
    (default: here, one after the other; the result is the same)."""
    cfg = cfg or FurnitureConfig()
    key, doc = np.asarray(key, np.uint64), np.asarray(doc, np.int64)
    rows = (key, marks, doc, site, weight, line)
    short = short_line(np.asarray(weight))
    shorts: list[tuple[np.ndarray, ...]] = []  # (key, article, marks) of the short lines, taken once

    def by_ends(j: int) -> Furniture | None:
        # short lines (captions and their credits, footers naming each masthead) also by
        # their first and by their last words; a long one is a group of its own here (the
        # pass by whole lines judged it).  Only the carriers of such groups take part.
        if cfg.by_ends:
            return learn_lines(*rows, cfg, group=end_groups(marks, j), rank=rank)
        if not shorts:  # (rows taken by their numbers: faster than by a mask of every row)
            at = np.flatnonzero(short)
            shorts.append((key[at], doc[at], np.asarray(marks)[at]))
        skey, sdoc, smarks = shorts[0]
        sub = np.flatnonzero(rows_of(doc, _variant_carriers(end_groups(smarks, j), skey, sdoc, cfg)))
        if not len(sub):
            return None
        part = tuple(x[sub] for x in rows)
        # (a long line's group: a code of its row number, made for the rows taken only)
        alone = pair_codes(sub, np.full(len(sub), 0xA5A5A5A5 + j, np.uint64))
        by = np.where(short[sub], end_groups(part[1], j), alone)
        return learn_lines(*part, cfg, group=by, rank=rank)

    def two_of_a_site(carriers: list[np.ndarray]) -> tuple[Furniture, tuple[np.ndarray, ...]] | None:
        # (carriers: :func:`_pair_carriers`, as the pass by whole lines found them)
        sub = rows_of(doc, carriers[0]) if carriers else np.zeros(0, np.bool_)
        if not sub.any():
            return None
        part = tuple(x[np.flatnonzero(sub)] for x in rows)
        return learn_lines(*part, cfg, rank=rank, two_of_a_site=True), part

    spawn = spawn or run_here
    later = spawn(lambda: (by_ends(0), by_ends(1)))
    carriers: list[np.ndarray] = []
    found = [learn_lines(*rows, cfg, rank=rank, pair_carriers=carriers if cfg.site_min_docs > 2 else None)]
    pairs = two_of_a_site(carriers)
    first, last = later()
    found = [f for f in (*found, first, last) if f is not None]
    if pairs is not None:
        part = pairs[1]
        found.append(beside_furniture(pairs[0], unique(np.concatenate([f.codes for f in found])),
                                      part[0], part[2], part[3], part[5], rank))
    fields = Furniture.__slots__[:-3]
    out = Furniture(*(np.concatenate([getattr(f, x) for f in found]) for x in fields))
    _, first = np.unique(out.keys, return_index=True)
    docs = unique(np.concatenate([f.docs for f in found]))
    return Furniture(unique(out.codes), *(getattr(out, x)[first] for x in fields[1:]), docs=docs)


def rows_of(doc: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """``np.isin(doc, docs)`` for article numbers: by a flag per article (numbers below 0
    are left to ``np.isin``)."""
    doc, docs = np.asarray(doc), np.asarray(docs)
    if not len(doc) or not len(docs):
        return np.zeros(len(doc), np.bool_)
    if doc.dtype.kind not in "iu" or docs.dtype.kind not in "iu" or int(doc.min()) < 0 or int(docs.min()) < 0:
        return np.isin(doc, docs)
    flag = np.zeros(max(int(doc.max()), int(docs.max())) + 1, np.bool_)
    flag[docs] = True
    return flag[doc]


def _variant_carriers(group: np.ndarray, key: np.ndarray, doc: np.ndarray,
                      cfg: FurnitureConfig) -> np.ndarray:
    """The articles carrying a :func:`variant_group` (of short lines, by one end).  (Only
    the rows of groups that may hold more than one row are sorted: a variant group has
    two or more.)"""
    from .join_kernel import maybe_repeated  # (join_kernel imports this module)

    some = maybe_repeated(group)
    order = some[stable_argsort_u64(group[some])]
    first, size = _groups(group[order])
    if not len(first):
        return np.zeros(0, np.int64)
    # (more than one line in a group: its keys' least and greatest differ; 2 stands for
    # "two or more", all that variant_group asks of the number of lines)
    k = key[order]
    keys = np.where(np.minimum.reduceat(k, first) != np.maximum.reduceat(k, first), 2, 1)
    keep = variant_group(size, keys, cfg)
    return unique(doc[order][_ranges(first[keep], size[keep])])


def _pair_carriers(key: np.ndarray, doc: np.ndarray, site: np.ndarray) -> np.ndarray:
    """The articles carrying a line that exactly two articles of one (known) site carry
    (:func:`pair_of_a_site`).  (Only the rows of keys that may be carried more than once
    are sorted.)  The scan reads them off the groups of :func:`learn_lines` by whole lines
    (``pair_carriers``); this is their specification."""
    from .join_kernel import maybe_repeated  # (join_kernel imports this module)

    some = maybe_repeated(key)
    order = some[stable_argsort_u64(key[some])]
    first, size = _groups(key[order])
    _, best_site = site_counts(np.repeat(np.arange(len(first)), size), np.asarray(site)[order], len(first))
    two = first[pair_of_a_site(size, best_site)]
    return unique(np.concatenate([doc[order][two], doc[order][two + 1]]))


# -- the thresholds, shared by the learner and the runners that select its rows -------------
# (they take numpy arrays or Spark columns alike: the Spark engine's selection of the rows
# to collect, engines/spark/furniture.py, calls these same functions)
def judged(unknown: Any, best_site: Any, cfg: FurnitureConfig) -> Any:
    """A line group the rule judges: carried by ``min_docs`` articles of no known site, or by
    ``site_min_docs`` of one site (``best_site``: the most carriers on one known site)."""
    return (unknown >= cfg.min_docs) | (best_site >= cfg.site_min_docs)


def pair_of_a_site(size: Any, best_site: Any) -> Any:
    """A line exactly two articles carry, both of one known site (see :func:`beside_furniture`)."""
    return (size == 2) & (best_site == 2)


def variant_group(size: Any, keys: Any, cfg: FurnitureConfig) -> Any:
    """A group of short lines by one end (``size`` rows, ``keys`` distinct lines) that the
    pass by ends judges: enough rows for either threshold, and more than one line."""
    return (size >= min(cfg.min_docs, cfg.site_min_docs)) & (keys >= 2)


def short_line(weight: Any) -> Any:
    """Lines grouped by their ends as well (:data:`SHORT_LINE_CHARS`)."""
    return weight <= SHORT_LINE_CHARS


def end_groups(marks: np.ndarray, j: int) -> np.ndarray:
    """The group of each line by its first (``j`` 0) or last (1) words."""
    return (np.asarray(marks[:, j], np.uint64) + np.uint64(1 + j)) * _PHI


def site_counts(grp_of: np.ndarray, site: np.ndarray, ngroups: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group (``grp_of`` of each row, its ``site``, -1 unknown): how many rows have no
    known site, and the most rows of one known site."""
    if not len(grp_of):
        return np.zeros(ngroups), np.zeros(ngroups, np.int64)
    site = np.asarray(site)
    nsites = int(site.max()) + 2
    if (ngroups + 1) * nsites < 1 << 62:  # one stable sort of one combined key: the same order
        ss = np.argsort(np.asarray(grp_of, np.int64) * nsites + (site.astype(np.int64) + 1), kind="stable")
    else:  # pragma: no cover - beyond any corpus
        ss = np.lexsort((site, grp_of))
    grp, sv = grp_of[ss], site[ss]
    run_first = np.flatnonzero(np.concatenate(([True], (grp[1:] != grp[:-1]) | (sv[1:] != sv[:-1]))))
    run_size = np.diff(np.concatenate((run_first, [len(sv)])))
    known = sv[run_first] >= 0
    best_site = np.zeros(ngroups, np.int64)
    np.maximum.at(best_site, grp[run_first][known], run_size[known])
    unknown = np.bincount(grp_of, weights=site < 0, minlength=ngroups)
    return unknown, best_site


def learn_lines(key: np.ndarray, marks: np.ndarray, doc: np.ndarray, site: np.ndarray,
                weight: np.ndarray, line: np.ndarray, cfg: FurnitureConfig | None = None,
                group: np.ndarray | None = None, rank: np.ndarray | None = None,
                two_of_a_site: bool = False, pair_carriers: list[np.ndarray] | None = None) -> Furniture:
    """Learn the corpus furniture from line rows, one per distinct (article, line key):
    ``key`` (uint64, non-zero), ``marks`` (n x 6 hashes of the line's first words, last
    words and two min-hashes of its shingles: a copy of the line edited in one place, or
    with OCR noise, still shares one of them —, then the two smallest hashes of its figures,
    0 where it has fewer: see ``prepare_batch.line_rows``), ``doc``
    (article number), ``site`` (site number, -1 when unknown), ``weight`` (characters outside
    other boilerplate) and ``line`` (index of the line in its article).  Same result as
    :func:`learn_reference`.  ``two_of_a_site``: judge only the lines that two articles of
    one site carry, too few for the rule alone (see :func:`beside_furniture`).
    ``pair_carriers``, by whole lines: :func:`_pair_carriers` of the rows appended to it
    (read off the groups of rows by key made here)."""
    cfg = cfg or FurnitureConfig()
    key = np.asarray(key, np.uint64)
    doc = np.asarray(doc, np.int64)
    n = len(key)
    if not n:
        return _result(key, doc, site, line, np.zeros(0, np.bool_), rank)
    exact = key
    if group is not None:
        key = np.asarray(group, np.uint64)
    if not _sorted_by(doc, exact):  # a scan's rows come by article, then key: no sort, no copies
        by_doc = np.lexsort((exact, doc))
        exact = exact[by_doc]
        key, marks, doc, site, weight, line = (np.asarray(x)[by_doc] for x in (key, marks, doc, site, weight, line))
    else:
        key, marks, doc, site, weight, line = (np.asarray(x) for x in (key, marks, doc, site, weight, line))
    weight = weight.astype(np.int64)
    ndocs = int(doc.max()) + 1
    # each article's first row (the rows by article): by counting, when the numbers are whole
    doc_first = (np.concatenate(([0], np.cumsum(np.bincount(doc, minlength=ndocs)))) if doc[0] >= 0
                 else np.searchsorted(doc, np.arange(ndocs + 1)))
    # the rows by key (then carrier rank), only of keys that may be carried more than once
    # (a line of one article is never judged: min_docs and site_min_docs are >= 2): most
    # lines of a corpus are their article's own, so the sort is spared most rows; the
    # groups of two or more rows, and their order, are those of the full sort
    from .join_kernel import maybe_repeated  # (join_kernel imports this module)

    some = maybe_repeated(key)
    by_key = some[lexsort2((_doc_rank(doc[some]) if rank is None else np.asarray(rank)[doc[some]]), key[some])]
    kfirst, ksize = _groups(key[by_key])
    ngroups = len(kfirst)
    # candidates: enough carriers, or enough on one site
    unknown, best_site = site_counts(np.repeat(np.arange(ngroups), ksize), site[by_key], ngroups)
    if pair_carriers is not None and group is None:  # (the groups of two or more rows are every key's)
        two = kfirst[pair_of_a_site(ksize, best_site)]
        pair_carriers.append(unique(np.concatenate([doc[by_key[two]], doc[by_key[two + 1]]])))
    # (two of one site: both of a known site, so none unknown)
    cand = np.flatnonzero(pair_of_a_site(ksize, best_site) if two_of_a_site else judged(unknown, best_site, cfg))
    # sampled carriers of each candidate (the first ``sample`` in a fixed pseudo-random order)
    take = np.minimum(ksize[cand], cfg.sample)
    crow = by_key[_ranges(kfirst[cand], take)]           # the row of (L, d)
    cidx = np.repeat(np.arange(len(cand)), take)          # L's candidate number
    full = ksize[cand] <= cfg.sample
    # every row of each sampled carrier
    cd = doc[crow]
    nrows = doc_first[cd + 1] - doc_first[cd]
    erow = _ranges(doc_first[cd], nrows)
    eown = np.repeat(np.arange(len(crow)), nrows)
    ec = cidx[eown]
    found = _found(ec, marks[erow], exact[erow])
    self_row = erow == crow[eown]
    # template instances count their slot lines as their own when a site's line is judged
    # (most of its carriers are pages of one site); not when the line judged is itself a
    # slot line (its carriers have it with other figures: they are instances of its
    # template, and their other slot lines are that template too)
    credit = np.zeros(len(crow), np.bool_)
    credit[eown[self_row]] = found[self_row] != SLOT
    credit &= (2 * best_site[cand] > ksize[cand])[cidx]
    masked = np.zeros(n, np.bool_)
    # each article's weight outside the lines masked so far: its whole weight less theirs
    # (whole numbers, summed exactly in doubles: the sum over the lines left, as it is)
    total = np.bincount(doc, weights=weight, minlength=ndocs)
    # (what each round asks of the carriers' rows and does not change: taken once)
    ew, not_self = weight[erow], ~self_row
    with_figs, slot_line, alone = found >= SLOT, found == SLOT, found == ALONE
    # a brief carried whole: a carrier whose whole text (outside what is masked) is the line,
    # on a site that carries the line too seldom for it to be that site's furniture (a page
    # whose whole text is its site's cookie notice has no article); judged where every
    # carrier is (a group no bigger than the sample)
    may_be_brief = few_on_site(cidx, site[crow], cfg) & full[cidx]
    for _ in range(cfg.rounds):
        live = ~masked
        gone = np.flatnonzero(masked)
        content = total - np.bincount(doc[gone], weights=weight[gone], minlength=ndocs) if len(gone) else total
        other = live[erow] & not_self
        # a template instance: most of its text found only approximately, with figures, is
        # found only with other figures (its own report in a shared skeleton): that text is
        # its own, as a different story's would be (an edited or scanned copy of a story
        # keeps most of its figures)
        fig_w = np.bincount(eown, weights=np.where(other & with_figs, ew, 0), minlength=len(crow))
        slot_w = np.bincount(eown, weights=np.where(other & slot_line, ew, 0), minlength=len(crow))
        instance = (2 * slot_w > fig_w) & credit
        mine = alone | (slot_line & instance[eown])
        own = np.bincount(eown, weights=np.where(other & mine, ew, 0), minlength=len(crow))
        cont = content[cd] - np.where(live[crow], weight[crow], 0)
        ratio = np.where(cont > 0, own / np.maximum(cont, 1), 0.0)
        is_f = _group_median(ratio, cidx, len(cand)) >= cfg.own_share
        is_f &= np.bincount(cidx, weights=may_be_brief & (cont <= 0), minlength=len(cand)) == 0
        new = np.zeros(n, np.bool_)
        hit = is_f[cidx] & full[cidx] & (ratio >= cfg.carrier_share)
        new[crow[hit]] = True
        big = cand[is_f & ~full]   # judged on a sample: masked in every carrier
        new[by_key[_ranges(kfirst[big], ksize[big])]] = True
        if np.array_equal(new, masked):
            break
        masked = new
    # by whole lines, a masked line's rows are all among those sorted by key above (it is
    # carried more than once): their groups count its rows, no pass over every row needed
    counts = (key[by_key[kfirst]], ksize) if group is None else None
    return _result(exact, doc, site, line, masked, rank, counts)


def few_on_site(cidx: np.ndarray, csite: np.ndarray, cfg: FurnitureConfig) -> np.ndarray:
    """Per carrier of a candidate line (``cidx``: the candidate, ``csite``: the carrier's
    site, -1 unknown): does its site (or, unknown, the articles of no known site) carry the
    line on too few pages for the rule to judge it there?"""
    return _count_rows(cidx, csite) < np.where(csite >= 0, cfg.site_min_docs, cfg.min_docs)


def _sorted_by(major: np.ndarray, minor: np.ndarray) -> bool:
    """Are the rows already in ``np.lexsort((minor, major))`` order (which, a stable sort,
    then leaves them as they are)?"""
    a, b = major[:-1], major[1:]
    return bool(np.all((b > a) | ((b == a) & (minor[1:] >= minor[:-1]))))


def beside_furniture(pairs: Furniture, codes: np.ndarray, key: np.ndarray, doc: np.ndarray,
                     site: np.ndarray, line: np.ndarray, rank: np.ndarray | None = None) -> Furniture:
    """Of the lines that only two articles of one site carry, and that are furniture by the
    rule (``pairs``: the two are otherwise unrelated, as two pieces by one author are under
    her bio), those that sit in both next to furniture (``codes``: a masked line above or
    below, in each — a page's furniture comes in one block, laid out differently on
    different pages: a bio over "Related stories" on one and under "Tags" on the other); a
    paragraph two stories of one site share sits inside their text."""
    key = np.asarray(key, np.uint64)
    doc = np.asarray(doc, np.int64)
    line = np.asarray(line, np.int64)
    code = pair_codes(doc, key)
    cand = in_sorted(code, pairs.codes)
    if not cand.any():
        return _result(key, doc, site, line, cand, rank)
    order = np.lexsort((line, doc))
    masked = in_sorted(code, codes)[order]
    okey = key[order]
    same_doc = doc[order][1:] == doc[order][:-1]
    above = np.zeros(len(key), np.uint64)   # the key of the masked line above (0: none)
    below = np.zeros(len(key), np.uint64)
    above[order[1:]] = np.where(same_doc & masked[:-1], okey[:-1], 0)
    below[order[:-1]] = np.where(same_doc & masked[1:], okey[1:], 0)
    rows = np.flatnonzero(cand)
    by_key = rows[np.lexsort((doc[rows], key[rows]))]
    first, size = _groups(key[by_key])
    ok = np.zeros(len(key), np.bool_)
    v = ((above != 0) | (below != 0))[by_key]
    agree = (size == 2) & v[first] & v[np.minimum(first + 1, len(v) - 1)]
    ok[by_key[_ranges(first[agree], size[agree])]] = True
    return _result(key, doc, site, line, ok, rank)


#: lines this short (characters outside other boilerplate) are also grouped by their ends
SHORT_LINE_CHARS = 80

#: a line is found in another carrier when that carrier has a line with this many of its
#: marks (an edited copy keeps its beginning and one of its min-hashes, say; the skeleton
#: lines of two instances of a template often do too: their figures tell them apart)
MARKS_TO_MATCH = 2


#: a line row's marks: the first ``MARKS`` recognise a copy of the line; the two from
#: ``FIGURES`` on are the two smallest hashes of its figures (0 where it has fewer)
MARKS = 4
FIGURES = 4

#: how a line of a sampled carrier is found in the other carriers (:func:`_found`): in none;
#: found; found only approximately and, with figures, with figures of its own (a template's
#: slot line: the report's own data in a shared skeleton) or not (an edited or OCR-noisy copy)
ALONE, FOUND, SLOT, COPY = 0, 1, 2, 3


def _found(cand: np.ndarray, marks: np.ndarray, key: np.ndarray) -> np.ndarray:
    """For the rows of the sampled carriers of candidates (``cand``: the candidate each
    belongs to; ``marks``, ``key``: the row's), how each is found in the other carriers
    (:data:`ALONE`, ...).  A line is found with :data:`MARKS_TO_MATCH` of its marks there.
    Found approximately (not by its key) and with figures, it is a :data:`SLOT` line when
    lines with figures share its marks but none shares one of its marks and one of its two
    smallest figure hashes; else a :data:`COPY` (a copy keeps most of its figures, so the
    two lines share one of their two smallest unless the figures they differ in hash below
    both; one whose copies have no figures got one of its own: a scanner's "5" for "S", a
    figure written out in words elsewhere)."""
    seen = np.zeros(len(cand), np.int64)
    for j in range(MARKS):
        seen += _count_rows(cand, marks[:, j]) > 1
    out = np.where(seen < MARKS_TO_MATCH, ALONE, FOUND)
    figs = np.flatnonzero(marks[:, FIGURES] != 0)
    if not len(figs):
        return out
    c = cand[figs]
    exact = _count_rows(c, key[figs]) > 1
    same = exact.copy()
    other = np.zeros(len(figs), np.bool_)  # another line with figures shares one of its marks
    # (mark, figure hash) of each of the two figure hashes a row has: one shared with another
    # row is a line sharing that mark and that figure
    two = np.flatnonzero(marks[figs, FIGURES + 1] != 0)
    row = np.concatenate([np.arange(len(figs)), two])
    fig = np.concatenate([marks[figs, FIGURES], marks[figs[two], FIGURES + 1]])
    for j in range(MARKS):
        m = marks[figs, j]
        other |= _count_rows(c, m) > 1
        shared = _count_rows(c[row], m[row], fig) > 1
        same[row[shared]] = True
    approx = (out[figs] == FOUND) & ~exact
    out[figs[approx]] = np.where(~same[approx] & other[approx], SLOT, COPY)
    return out


def _codes(*cols: np.ndarray) -> np.ndarray:
    """A well-mixed 64-bit code per row of the columns (equal rows, equal codes; unequal
    rows collide with odds of about 2**-64)."""
    x = np.zeros(len(cols[0]), np.uint64)
    for c in cols:
        x = (x + np.uint64(1)) * _PHI ^ np.asarray(c).astype(np.uint64)
        x ^= x >> np.uint64(31)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(29)
    return x


@nb.njit(cache=True, nogil=True)
def value_counts(values):  # pragma: no cover - jit
    """For each i: how many j have ``values[j] == values[i]`` (counted in an open-addressing
    hash table, the values mixed for their slots; the same counts a sort would give)."""
    n = len(values)
    size = 16
    while size < 2 * n:
        size *= 2
    mask = np.uint64(size - 1)
    table = np.zeros(size, np.uint64)
    used = np.zeros(size, np.bool_)
    count = np.zeros(size, np.int64)
    slot = np.empty(n, np.int64)
    for i in range(n):
        x = values[i]
        s = ((x ^ (x >> np.uint64(31))) * np.uint64(0xBF58476D1CE4E5B9)) & mask
        while used[s] and table[s] != x:
            s = (s + np.uint64(1)) & mask
        used[s] = True
        table[s] = x
        count[s] += 1
        slot[i] = s
    out = np.empty(n, np.int64)
    for i in range(n):
        out[i] = count[slot[i]]
    return out


def _count_rows(*cols: np.ndarray) -> np.ndarray:
    """For each i: how many j have the same values in every column as i (compiled, by
    :func:`_codes`)."""
    if not len(cols[0]):
        return np.zeros(0, np.int64)
    return value_counts(_codes(*cols))


def _doc_rank(doc: np.ndarray) -> np.ndarray:
    """A fixed pseudo-random order of articles (so a sample is not the first articles read)."""
    return pair_codes(doc, np.zeros(len(doc), np.uint64))


def _group_median(vals: np.ndarray, grp: np.ndarray, ngroups: int) -> np.ndarray:
    """Median of ``vals`` per group (lower median for even sizes, as ``statistics.median_low``)."""
    out = np.zeros(ngroups)
    if not len(vals):
        return out
    order = np.lexsort((vals, grp))
    first, size = _groups(grp[order])
    out[grp[order][first]] = vals[order][first + (size - 1) // 2]
    return out


def _result(key: np.ndarray, doc: np.ndarray, site: np.ndarray, line: np.ndarray,
            masked: np.ndarray, rank: np.ndarray | None = None,
            counts: tuple[np.ndarray, np.ndarray] | None = None) -> Furniture:
    """The furniture of the ``masked`` rows; ``counts`` (sorted keys, rows of each), when
    given, holds every masked key: the carriers are read there, not counted over ``key``."""
    mk, md = key[masked], doc[masked]
    codes = unique(pair_codes(md, mk))
    order = lexsort2(md if rank is None else np.asarray(rank)[md], mk)  # example: the first carrier
    first, size = _groups(mk[order])
    keys = mk[order][first]
    ex = np.flatnonzero(masked)[order][first]
    carriers = key_counts(key, keys) if counts is None else counts[1][np.searchsorted(counts[0], keys)]
    sites = np.zeros(len(keys), np.int64)
    if len(keys):  # the distinct known sites of each key's carriers
        at, st = np.searchsorted(keys, mk).astype(np.int64), np.asarray(site[masked], np.int64)
        known = st >= 0
        if known.any():
            span = int(st[known].max()) + 1
            sites = np.bincount(unique(at[known] * span + st[known]) // span, minlength=len(keys)).astype(np.int64)
    return Furniture(codes, keys, carriers.astype(np.int64), size.astype(np.int64), sites,
                     doc[ex], line[ex], docs=unique(md))


def key_counts(key: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """How many rows of ``key`` hold each of ``keys`` (sorted, distinct): the rows found in
    a hash table of the few ``keys`` (not a sort of every row), counted by their place."""
    if not len(keys):
        return np.zeros(0, np.int64)
    key = np.asarray(key, np.uint64)
    hit = key[CodeSet(keys).contains(key)]
    return np.bincount(np.searchsorted(keys, hit), minlength=len(keys)).astype(np.int64)


def key_counts_reference(key: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """:func:`key_counts` by sorting every row."""
    ks = np.sort(np.asarray(key, np.uint64))
    return (np.searchsorted(ks, keys, "right") - np.searchsorted(ks, keys, "left")).astype(np.int64)


def learn_reference(key: np.ndarray, marks: np.ndarray, doc: np.ndarray,
                    site: np.ndarray, weight: np.ndarray, line: np.ndarray,
                    cfg: FurnitureConfig | None = None) -> set[tuple[int, int]]:
    """The rule of :func:`learn_lines` (by whole lines) in plain Python: the set of masked
    (article, key) pairs."""
    cfg = cfg or FurnitureConfig()
    rows: dict[int, dict[int, tuple[tuple[int, ...], int]]] = defaultdict(dict)
    site_of: dict[tuple[int, int], int] = {}
    for k, m, d, s, w in zip(key.tolist(), marks.tolist(), doc.tolist(), site.tolist(),
                             weight.tolist(), strict=True):
        rows[d][k] = (tuple(m), w)
        site_of[(d, k)] = s
    carriers: dict[int, list[int]] = defaultdict(list)
    for d in sorted(rows):
        for k in rows[d]:
            carriers[k].append(d)
    rank = {d: int(pair_codes(np.array([d]), np.zeros(1, np.uint64))[0]) for d in rows}
    masked: set[tuple[int, int]] = set()
    for _ in range(cfg.rounds):
        new: set[tuple[int, int]] = set()
        for k, ds in carriers.items():
            per_site = Counter(site_of[(d, k)] for d in ds if site_of[(d, k)] >= 0)
            unknown = sum(site_of[(d, k)] < 0 for d in ds)
            if unknown < cfg.min_docs and max(per_site.values(), default=0) < cfg.site_min_docs:
                continue
            sample = sorted(ds, key=lambda d: (rank[d], d))[:cfg.sample]
            found = _found_reference({d: rows[d] for d in sample})
            site_line = 2 * max(per_site.values(), default=0) > len(ds)
            ratios, brief = [], False
            for d in sample:
                live = {x: v[1] for x, v in rows[d].items() if (d, x) not in masked and x != k}
                cont = sum(live.values())
                fig = sum(w for x, w in live.items() if found[d, x] in (SLOT, COPY))
                slot = sum(w for x, w in live.items() if found[d, x] == SLOT)
                instance = 2 * slot > fig and found[d, k] != SLOT and site_line
                own = sum(w for x, w in live.items() if found[d, x] == ALONE or (instance and found[d, x] == SLOT))
                ratios.append(own / cont if cont > 0 else 0.0)
                own_site = site_of[(d, k)]
                few = per_site[own_site] < cfg.site_min_docs if own_site >= 0 else unknown < cfg.min_docs
                brief |= cont <= 0 and few and len(ds) <= cfg.sample  # a brief carried whole
            if sorted(ratios)[(len(ratios) - 1) // 2] < cfg.own_share or brief:
                continue
            if len(ds) <= cfg.sample:
                new |= {(d, k) for d, r in zip(sample, ratios, strict=True) if r >= cfg.carrier_share}
            else:
                new |= {(d, k) for d in ds}
        if new == masked:
            break
        masked = new
    return masked


def _found_reference(carriers: dict[int, dict[int, tuple[tuple[int, ...], int]]]) -> dict[tuple[int, int], int]:
    """:func:`_found` in plain Python: for the sampled carriers (article -> key -> (marks,
    weight)), how each (article, key) is found in the others."""
    rows = [(d, x, m) for d, c in carriers.items() for x, (m, _) in c.items()]
    seen = [Counter(m[j] for _, _, m in rows) for j in range(MARKS)]
    with_figures = [Counter(m[j] for _, _, m in rows if m[FIGURES]) for j in range(MARKS)]
    same = [Counter((m[j], m[f]) for _, _, m in rows for f in (FIGURES, FIGURES + 1) if m[f])
            for j in range(MARKS)]
    exact = Counter(x for _, x, _ in rows)
    out = {}
    for d, x, m in rows:
        if sum(seen[j][m[j]] > 1 for j in range(MARKS)) < MARKS_TO_MATCH:
            out[d, x] = ALONE
        elif not m[FIGURES] or exact[x] > 1:
            out[d, x] = FOUND
        elif (any(with_figures[j][m[j]] > 1 for j in range(MARKS))
              and not any(same[j][m[j], m[f]] > 1 for j in range(MARKS)
                          for f in (FIGURES, FIGURES + 1) if m[f])):
            out[d, x] = SLOT
        else:
            out[d, x] = COPY
    return out


def link_lines(title_key: np.ndarray, title_doc: np.ndarray, links: tuple[np.ndarray, ...],
               row_doc: np.ndarray, row_line: np.ndarray, row_key: np.ndarray,
               row_marks: np.ndarray, row_weight: np.ndarray, rank: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, int, int, str]]]:
    """Codes (and articles, and audit records: see :func:`_examples`) of lines that link to another article of the corpus: a short line that is
    another article's headline (up to two words cut at either end: "1.", "READ MORE:",
    "(update)"), and the line right below it when it repeats, edited or not, a line of that
    article that is only a part of it (a "related stories" teaser; a roundup that carries a
    whole brief under its headline carries the brief, not a teaser).  Lists of other
    stories are page furniture, however few pages carry them; the article itself keeps its
    own lede.

    ``title_key``/``title_doc``: the headlines (as line keys) of articles with headlines of
    at least three words; ``links``: (article, line index, key, cut keys n x 9) of short
    lines (``prepare_batch.line_rows``); ``row_*``: every (article, line index, key, marks,
    weight) row of :func:`learn`; ``rank`` as for :func:`learn` (the first article of a
    repeated headline is the first by rank)."""
    ldoc, lline, lkey, subs = links
    if not len(ldoc) or not len(title_key):
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), []
    first_by = title_doc if rank is None else np.asarray(rank)[title_doc]
    order = _stable_order(first_by)  # the first article of a repeated headline
    titles = CodeMap(title_key[order], title_doc[order])
    own = np.zeros(int(max(ldoc.max(), title_doc.max())) + 1, np.uint64)
    own[title_doc] = title_key
    target, tkey = link_targets(ldoc, subs, own, titles)  # (and the headline it gives)
    is_link = target >= 0
    codes = [pair_codes(ldoc[is_link], lkey[is_link])]
    docs = [ldoc[is_link]]
    records = _examples(lkey[is_link], ldoc[is_link], lline[is_link], "gives another article's headline (a link)", rank)
    if not is_link.any():
        return unique(codes[0]), unique(docs[0]), records
    # teasers: the next line, when the linked article has a line with one of its marks
    row_doc = np.asarray(row_doc, np.int64)
    # (only the rows of the articles with a link are searched: each keeps its place among
    # them, so the row found for a line is the one a search of every row finds)
    some = np.flatnonzero(rows_of(row_doc, unique(ldoc[is_link])))
    pos = row_doc[some] << np.int64(24) | np.asarray(row_line, np.int64)[some]
    by_pos = np.argsort(pos, kind="stable")
    porder, ps = some[by_pos], pos[by_pos]
    nxt = ldoc[is_link] << np.int64(24) | (lline[is_link] + 1)
    at = np.minimum(np.searchsorted(ps, nxt), max(len(ps) - 1, 0))
    found = ps[at] == nxt if len(ps) else np.zeros(len(nxt), np.bool_)
    row = porder[at[found]]
    ref = target[is_link][found]
    ref_key = tkey[is_link][found]
    content = np.bincount(row_doc, weights=row_weight, minlength=len(own))  # (rows of some articles only: see furniture_rows)
    part = row_weight[row] < 0.5 * content[ref]
    # the lines of every article with a linked headline (a headline that several versions
    # of a story carry links to all of them), by headline and mark
    # (an article's rows share its headline: which headlines are linked is asked per article)
    doc_linked = (own != 0) & CodeSet(ref_key).contains(own)
    inside = row_doc < len(own)
    linked = np.zeros(len(row_doc), np.bool_)
    linked[inside] = doc_linked[row_doc[inside]]
    linked = np.flatnonzero(linked)
    headed = own[row_doc[linked]]
    have = np.sort(np.concatenate([pair_codes(headed, row_marks[linked, j]) for j in range(MARKS)]))
    seen = np.zeros(len(row), np.int64)
    for j in range(MARKS):
        seen += in_sorted(pair_codes(ref_key, row_marks[row, j]), have)
    teaser = part & (seen >= 1)
    codes.append(pair_codes(row_doc[row[teaser]], np.asarray(row_key, np.uint64)[row[teaser]]))
    docs.append(row_doc[row[teaser]])
    records += _examples(np.asarray(row_key, np.uint64)[row[teaser]], row_doc[row[teaser]],
                         np.asarray(row_line, np.int64)[row[teaser]],
                         "repeats part of the article linked on the line above (a teaser)", rank)
    return unique(np.concatenate(codes)), unique(np.concatenate(docs)), records


def _stable_order(values: np.ndarray) -> np.ndarray:
    """``np.argsort(values, kind="stable")``; for distinct small whole numbers (ranks of
    articles) by placing each at its value, not by a sort."""
    n = len(values)
    if values.dtype.kind in "iu" and n and int(values.min()) >= 0 and int(values.max()) < 4 * n + 1024:
        at = np.full(int(values.max()) + 1, -1, np.int64)
        at[values] = np.arange(n)
        order = at[at >= 0]
        if len(order) == n:  # all distinct: their places are their order
            return order
    return np.argsort(values, kind="stable")


def link_targets(ldoc: np.ndarray, subs: np.ndarray, own: np.ndarray, titles: CodeMap) -> tuple[np.ndarray, np.ndarray]:
    """Per short line (of article ``ldoc``, cut keys ``subs``): the article whose headline
    its first cut key that is one gives (``titles``: headline key -> article; not its own
    article), and that key; -1 and 0 for a line that repeats its own article's headline
    (``own``: headline key by article) or gives none.  Compiled (:func:`_link_targets`);
    :func:`link_targets_reference` is the specification."""
    subs = np.ascontiguousarray(subs, np.uint64)
    if not titles.size:
        return np.full(len(ldoc), -1, np.int64), np.zeros(len(ldoc), np.uint64)
    return _link_targets(np.ascontiguousarray(ldoc, np.int64), subs, np.ascontiguousarray(own[ldoc], np.uint64),
                         titles.table, titles.used, titles.values)


@nb.njit(cache=True, nogil=True)
def _link_targets(ldoc, subs, own, table, used, values):  # pragma: no cover - jit
    # a bit per value of a key's top bits, set for the headlines' keys: most cut keys give
    # no headline, and one look at this small filter (it stays in the cache) turns them
    # away without a probe of the table, nor the probe's unpredictable branches
    bits = 22
    shift = np.uint64(64 - bits)
    seen = np.zeros(1 << (bits - 6), np.uint64)
    for s in range(len(table)):
        if used[s]:
            h = table[s] >> shift
            seen[h >> np.uint64(6)] |= np.uint64(1) << (h & np.uint64(63))
    n, w = subs.shape
    target = np.full(n, -1, np.int64)
    tkey = np.zeros(n, np.uint64)
    mask = np.uint64(len(table) - 1)
    for i in range(n):
        mine = False
        for j in range(w):
            if subs[i, j] != 0 and subs[i, j] == own[i]:
                mine = True
                break
        if mine:
            continue
        for j in range(w):
            v = subs[i, j]
            if v == 0:
                continue
            h = v >> shift
            if not (seen[h >> np.uint64(6)] >> (h & np.uint64(63))) & np.uint64(1):
                continue
            s = v & mask
            td = -1
            while used[s]:
                if table[s] == v:
                    td = values[s]
                    break
                s = (s + np.uint64(1)) & mask
            if td >= 0 and td != ldoc[i]:
                target[i] = td
                tkey[i] = v
                break
    return target, tkey


def link_targets_reference(ldoc: np.ndarray, subs: np.ndarray, own: np.ndarray,
                           titles: CodeMap) -> tuple[np.ndarray, np.ndarray]:
    """:func:`link_targets` a column of cut keys at a time, with numpy."""
    mine = ((subs == own[ldoc][:, None]) & (subs != 0)).any(axis=1)  # its own headline, repeated
    target = np.full(len(ldoc), -1, np.int64)
    tkey = np.zeros(len(ldoc), np.uint64)
    for j in range(subs.shape[1]):
        v = subs[:, j]
        td = titles.get(v)
        hit = (td >= 0) & (v != 0) & (td != ldoc) & (target < 0) & ~mine
        target[hit] = td[hit]
        tkey[hit] = v[hit]
    return target, tkey


def _examples(key: np.ndarray, doc: np.ndarray, line: np.ndarray, why: str,
              rank: np.ndarray | None = None) -> list[tuple[int, int, int, int, str]]:
    """(article, line, articles carrying it, sites (0: not counted), why) per distinct key;
    the example is the carrier first by ``rank`` (else by number)."""
    if not len(key):
        return []
    order = np.lexsort((line, doc if rank is None else np.asarray(rank)[doc], key))
    key, doc, line = key[order], doc[order], line[order]
    _, first, count = np.unique(key, return_index=True, return_counts=True)
    return [(int(doc[f]), int(line[f]), int(n), 0, why) for f, n in zip(first.tolist(), count.tolist(), strict=True)]
