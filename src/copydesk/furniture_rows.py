"""Which line rows the corpus furniture rules can need: a runner that keeps the line rows
elsewhere (the Spark engine keeps them on its executors) hands :func:`copydesk.plan.
learn_furniture` only these, and gets the answer it would get from all of them.

:func:`copydesk.furniture.learn` judges a line group only when it passes a threshold
(:func:`~copydesk.furniture.judged`, :func:`~copydesk.furniture.variant_group`,
:func:`~copydesk.furniture.pair_of_a_site`); it then reads every row of the group's carriers
(their other text is what tells furniture from syndication).  So it needs all the rows of
the articles carrying such a group, and nothing else — with one exception: the pass over
lines two articles of one site carry counts carriers, so where only two carriers of a line
are among those articles, one more of its rows is kept (a line three articles carry must
not look like one two carry).  :func:`copydesk.furniture.link_lines` needs the link lines
that give a headline, the rows of the articles bearing those headlines, and the line below
each such link (its teaser).

This module is the plain numpy statement of that selection (the reference its tests check,
learn on the selected rows = learn on all); ``engines/spark/furniture.py`` makes the same
selection with DataFrame aggregations, calling the same threshold functions.
"""

from __future__ import annotations

import numpy as np

from .config import FurnitureConfig
from .furniture import (
    end_groups,
    in_sorted,
    judged,
    pair_of_a_site,
    short_line,
    site_counts,
    variant_group,
)
from .setops import unique


def _by_group(group: np.ndarray, site: np.ndarray, key: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(group number of each row, rows, rows of no known site, most rows of one known site,
    distinct keys) per group of equal ``group`` values."""
    uniq, grp_of = np.unique(group, return_inverse=True)
    n = len(uniq)
    size = np.bincount(grp_of, minlength=n)
    unknown, best_site = site_counts(grp_of, site, n)
    keys = np.bincount(np.unique(np.stack([grp_of, np.unique(key, return_inverse=True)[1]], 1), axis=0)[:, 0],
                       minlength=n) if len(group) else np.zeros(0, np.int64)
    return grp_of, size, unknown, best_site, keys


def carriers(key: np.ndarray, marks: np.ndarray, doc: np.ndarray, site: np.ndarray,
             weight: np.ndarray, cfg: FurnitureConfig) -> tuple[np.ndarray, np.ndarray]:
    """The articles carrying a line group that one of the passes of
    :func:`copydesk.furniture.learn` judges; and the lines (keys) of the groups by ends it
    judges with ``by_ends`` (that pass counts each masked line's carriers among all rows)."""
    key, site = np.asarray(key, np.uint64), np.asarray(site)
    grp_of, size, unknown, best, _ = _by_group(key, site, key)
    pick = (judged(unknown, best, cfg) | pair_of_a_site(size, best))[grp_of]
    short = short_line(np.asarray(weight)) if not cfg.by_ends else np.ones(len(key), np.bool_)
    whole = np.zeros(len(key), np.bool_)
    for j in (0, 1):
        ends = end_groups(marks, j)[short]
        grp_of, size, unknown, best, keys = _by_group(ends, site[short], key[short])
        ok = judged(unknown, best, cfg) if cfg.by_ends else variant_group(size, keys, cfg)
        pick[np.flatnonzero(short)[ok[grp_of]]] = True
        if cfg.by_ends:
            whole[np.flatnonzero(short)[ok[grp_of]]] = True
    return unique(np.asarray(doc, np.int64)[pick]), unique(key[whole])


def learn_rows(key: np.ndarray, marks: np.ndarray, doc: np.ndarray, site: np.ndarray,
               weight: np.ndarray, cfg: FurnitureConfig) -> np.ndarray:
    """Which rows :func:`copydesk.furniture.learn` needs (a mask): every row of the
    :func:`carriers` and of the lines it names; and of a line with exactly two rows among
    those but more carriers, the row of its first other carrier (by article number)."""
    doc, key = np.asarray(doc, np.int64), np.asarray(key, np.uint64)
    docs, lines = carriers(key, marks, doc, site, weight, cfg)
    keep = np.isin(doc, docs) | in_sorted(key, lines)
    uniq, grp_of = np.unique(key, return_inverse=True)
    size = np.bincount(grp_of, minlength=len(uniq))
    inside = np.bincount(grp_of, weights=keep, minlength=len(uniq))
    more = np.flatnonzero(~keep & ((inside == 2) & (size > 2))[grp_of])
    order = more[np.lexsort((doc[more], grp_of[more]))]
    first = np.concatenate(([True], grp_of[order][1:] != grp_of[order][:-1])) if len(order) else np.zeros(0, np.bool_)
    keep[order[first]] = True
    return keep


def link_rows(title_key: np.ndarray, title_doc: np.ndarray, links: tuple[np.ndarray, ...],
              row_doc: np.ndarray, row_line: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which rows (a mask over ``row_*``) and which link candidates (a mask over ``links``,
    as :func:`copydesk.furniture.link_lines` takes them) it needs: the links with a cut key
    that is a headline, the rows of the articles with such a headline, and the row below
    each of those links."""
    ldoc, lline, _, subs = links
    heads = unique(np.asarray(title_key, np.uint64))
    hit = (in_sorted(subs.ravel(), heads) & (subs.ravel() != 0)).reshape(subs.shape)
    linked = hit.any(axis=1)
    docs = np.asarray(title_doc, np.int64)[in_sorted(np.asarray(title_key, np.uint64), unique(subs[hit]))]
    pos = np.asarray(row_doc, np.int64) << 24 | np.asarray(row_line, np.int64)
    below = np.asarray(ldoc, np.int64)[linked] << 24 | (np.asarray(lline, np.int64)[linked] + 1)
    return np.isin(row_doc, docs) | np.isin(pos, below), linked
