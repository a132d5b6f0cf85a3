"""Families: clusters of related articles, each with its original.

Plain connected components chain unrelated stories together through one weak link (two
stories quoting one press-release sentence, an excerpt inside a long feature).  Instead,
pairs are taken strongest first and two groups merge only when at least
``min_link_density`` of all pairs across them are related: a real reuse family is close to a
clique, a chain through one link is not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numba as nb
import numpy as np

from .config import FamilyConfig
from .records import Family, Pair
from .relate import date_order
from .setops import unique

#: relations of two versions of one text: their pairs are merged first (see _strength)
VERSIONS = ("duplicate", "near_duplicate")


def _strength(p: Pair) -> tuple[bool, float, float, int]:
    """The merge order's key, strongest largest: versions of one text first (a version of a
    member belongs where that member goes: merged later, it would meet the member's group
    alone and fail the density check on the group's size although its twin passed), then
    by coverage and shared length."""
    return (p.relation in VERSIONS, max(p.coverage_a, p.coverage_b), min(p.coverage_a, p.coverage_b),
            sum(x.a_end - x.a_start for x in p.passages))


def _strongest_first(pairs: Sequence[Pair]) -> list[Pair]:
    """``sorted(pairs, key=lambda p: (_strength(p), p.a, p.b), reverse=True)``, with the
    keys in arrays (a Python sort on tuple keys took a tenth of a second at 30,000 pairs)."""
    if not pairs:
        return []
    order, _, _, _ = _strongest_order(pairs)
    return [pairs[i] for i in order.tolist()]


def _strongest_order(pairs: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """The order of :func:`_strongest_first`, the numbers of each pair's a and b among the
    ids (sorted), and the ids."""
    ids = sorted({x for p in pairs for x in (p.a, p.b)})
    rank = {x: n for n, x in enumerate(ids)}
    ca = np.fromiter((p.coverage_a for p in pairs), np.float64, len(pairs))
    cb = np.fromiter((p.coverage_b for p in pairs), np.float64, len(pairs))
    total = np.fromiter((sum(x.a_end - x.a_start for x in p.passages) for p in pairs), np.int64, len(pairs))
    ra = np.fromiter((rank[p.a] for p in pairs), np.int64, len(pairs))
    rb = np.fromiter((rank[p.b] for p in pairs), np.int64, len(pairs))
    version = np.fromiter((p.relation in VERSIONS for p in pairs), np.bool_, len(pairs))
    order = np.lexsort((rb, ra, total, np.minimum(ca, cb), np.maximum(ca, cb), version))[::-1]
    return order, ra, rb, ids


def cluster(pairs: Sequence[Pair], config: FamilyConfig | None = None) -> list[set[str]]:
    """Groups of two or more ids, by density-checked agglomeration: the ids numbered in the
    order they first appear, the merges made in one compiled pass (:func:`_agglomerate`);
    :func:`cluster_reference` is the specification (the same groups, in the same order)."""
    cfg = config or FamilyConfig()
    if not pairs:
        return []
    order, ra, rb, ids = _strongest_order(pairs)
    # each neighbour once (the reference's adjacency sets), as lists by id
    edges = unique(np.concatenate((ra << 32 | rb, rb << 32 | ra)))
    first = np.searchsorted(edges >> 32, np.arange(len(ids) + 1))
    ends = np.stack((ra[order], rb[order]), 1).ravel()
    label = _agglomerate(ends, first, edges & 0xFFFFFFFF, len(ids), float(cfg.min_link_density))
    # the groups in the order their first members first appear in ``pairs`` (as the
    # reference's adjacency lists them)
    _, seen = np.unique(np.stack((ra, rb), 1).ravel(), return_index=True)
    groups: dict[int, set[str]] = {}
    for n in np.argsort(seen).tolist():
        groups.setdefault(int(label[n]), set()).add(ids[n])
    return [g for g in groups.values() if len(g) > 1]


@nb.njit(cache=True, nogil=True)
def _agglomerate(order, first, nbr, n, density):  # pragma: no cover - jit
    """:func:`cluster_reference`'s merges over ids 0..n-1: ``order`` holds the pairs'
    (a, b) strongest first, ``nbr[first[x]:first[x + 1]]`` the neighbours of x.  Each group
    is a linked list of its members under a head, whose number labels them; returns each
    id's label (the members of one group share it)."""
    label = np.arange(n)
    size = np.ones(n, np.int64)
    nxt = np.full(n, -1, np.int64)
    tail = np.arange(n)
    for k in range(len(order) // 2):
        ga, gb = label[order[2 * k]], label[order[2 * k + 1]]
        if ga == gb:
            continue
        small, big = (ga, gb) if size[ga] <= size[gb] else (gb, ga)
        links = 0
        x = small
        while x >= 0:
            for y in range(first[x], first[x + 1]):
                if label[nbr[y]] == big:
                    links += 1
            x = nxt[x]
        if links < density * size[ga] * size[gb]:
            continue
        x = small
        while x >= 0:
            label[x] = big
            x = nxt[x]
        nxt[tail[big]] = small
        tail[big] = tail[small]
        size[big] += size[small]
    return label


def cluster_reference(pairs: Sequence[Pair], config: FamilyConfig | None = None) -> list[set[str]]:
    """:func:`cluster` with sets of ids (the specification)."""
    cfg = config or FamilyConfig()
    adj: dict[str, set[str]] = {}
    for p in pairs:
        adj.setdefault(p.a, set()).add(p.b)
        adj.setdefault(p.b, set()).add(p.a)
    group: dict[str, set[str]] = {x: {x} for x in adj}
    for p in _strongest_first(pairs):
        ga, gb = group[p.a], group[p.b]
        if ga is gb:
            continue
        small, big = (ga, gb) if len(ga) <= len(gb) else (gb, ga)
        links = sum(len(adj[x] & big) for x in small)
        if links < cfg.min_link_density * len(ga) * len(gb):
            continue
        big |= small
        for x in small:
            group[x] = big
    seen: set[int] = set()
    out = []
    for g in group.values():
        if id(g) not in seen and len(g) > 1:
            seen.add(id(g))
            out.append(g)
    return out


def family_origin(members: set[str], pairs: Sequence[Pair], dates: Mapping[str, str | None]) -> str | None:
    """The member published strictly first; failing that, the member most often judged the
    origin of its pairs; failing that, None."""
    ordered = sorted(members)
    first = ordered[0]
    for m in ordered[1:]:
        if date_order(dates.get(m), dates.get(first)) < 0:
            first = m
    if all(date_order(dates.get(first), dates.get(o)) < 0 for o in ordered if o != first):
        return first
    votes: dict[str, int] = {}
    for p in pairs:
        if p.origin:
            votes[p.origin] = votes.get(p.origin, 0) + 1
    if not votes:
        return None
    best = max(votes.values())
    top = [m for m in ordered if votes.get(m) == best]
    return top[0] if len(top) == 1 else None


def families(pairs: Sequence[Pair], dates: Mapping[str, str | None],
             config: FamilyConfig | None = None) -> list[Family]:
    """Families with stable ids (the family's origin id, else its smallest member id)."""
    groups = cluster(pairs, config)
    where = {m: gi for gi, g in enumerate(groups) for m in g}
    inside: list[list[Pair]] = [[] for _ in groups]
    for p in pairs:
        gi = where.get(p.a)
        if gi is not None and where.get(p.b) == gi:
            inside[gi].append(p)
    out = []
    for g, gp in zip(groups, inside, strict=True):
        org = family_origin(g, gp, dates)
        members = tuple(sorted(g))
        out.append(Family(org or members[0], members, org))
    out.sort(key=lambda f: f.family)
    return out


def refresh_families(before: list[Family], pairs: Sequence[Pair], added: Sequence[Pair],
                     dates: Mapping[str, str | None], config: FamilyConfig | None = None) -> list[Family]:
    """:func:`families` of ``pairs``, given ``before`` = the families of ``pairs`` without
    ``added``.  Clustering never puts articles together that no chain of pairs connects, so
    only the connected components that the added pairs touch are clustered again."""
    adj: dict[str, list[str]] = {}
    for p in pairs:
        adj.setdefault(p.a, []).append(p.b)
        adj.setdefault(p.b, []).append(p.a)
    touched: set[str] = set()
    todo = [x for p in added for x in (p.a, p.b)]
    while todo:
        x = todo.pop()
        if x not in touched:
            touched.add(x)
            todo.extend(adj.get(x, ()))
    kept = [f for f in before if f.members[0] not in touched]
    again = families([p for p in pairs if p.a in touched], dates, config)
    return sorted(kept + again, key=lambda f: f.family)
