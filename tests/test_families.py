"""families: density-guarded clustering, family origin and stable ids."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.config import FamilyConfig
from copydesk.families import cluster, families
from copydesk.records import Pair, Passage


def _pair(a: str, b: str, cov: float = 0.95, origin: str | None = None) -> Pair:
    a, b = min(a, b), max(a, b)
    return Pair(a, b, "near_duplicate", origin, cov, cov,
                (Passage(0, int(1000 * cov), 0, int(1000 * cov)),))


def _clique(ids: list[str], cov: float = 0.95) -> list[Pair]:
    return [_pair(x, y, cov) for i, x in enumerate(ids) for y in ids[i + 1:]]


def _as_sets(fams: list) -> set[frozenset[str]]:
    return {frozenset(f.members) for f in fams}


def test_two_cliques_joined_by_one_weak_pair_stay_apart() -> None:
    a, b = ["a1", "a2", "a3"], ["b1", "b2", "b3"]
    pairs = _clique(a) + _clique(b) + [_pair("a3", "b1", cov=0.15)]
    fams = families(pairs, {})
    assert _as_sets(fams) == {frozenset(a), frozenset(b)}


def test_one_strong_bridge_between_cliques_still_not_enough() -> None:
    a, b = ["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]
    pairs = _clique(a, 0.9) + _clique(b, 0.9) + [_pair("a4", "b1", 0.5), _pair("a3", "b1", 0.4)]
    assert _as_sets(families(pairs, {})) == {frozenset(a), frozenset(b)}


def test_dense_links_merge() -> None:
    ids = ["x", "y", "z", "w"]
    pairs = _clique(ids)[:-1]  # one pair missing: still dense
    assert _as_sets(families(pairs, {})) == {frozenset(ids)}
    # a plain chain of three merges (density 1/2 at the second step)
    assert _as_sets(families([_pair("p", "q"), _pair("q", "r", 0.9)], {})) == {
        frozenset("pqr")}


def test_family_origin_is_earliest_date() -> None:
    ids = ["c", "a", "b"]
    dates = {"a": "2020-01-03", "b": "2020-01-01T10:00", "c": "2020-01-02"}
    (fam,) = families(_clique(ids), dates)
    assert fam.origin == "b"
    assert fam.family == "b"  # the id is the origin's id
    assert fam.members == ("a", "b", "c")


def test_family_origin_ties_and_votes() -> None:
    # same day for two members: no strict first; pair votes decide
    dates = {"a": "2020-01-01", "b": "2020-01-01", "c": "2020-01-02"}
    pairs = [_pair("a", "b", origin="b"), _pair("a", "c", origin="b"), _pair("b", "c", origin="b")]
    (fam,) = families(pairs, dates)
    assert fam.origin == "b"
    # no dates, no votes: undecidable; the id falls back to the smallest member
    (fam,) = families(_clique(["q", "p", "r"]), {})
    assert fam.origin is None and fam.family == "p"
    # a tied vote is undecidable too
    (fam,) = families([_pair("a", "b", origin="a"), _pair("b", "c", origin="c"),
                       _pair("a", "c", origin=None)], {})
    assert fam.origin is None


def test_family_ids_are_stable_under_pair_order() -> None:
    pairs = _clique(["s1", "s2", "s3"]) + _clique(["t1", "t2"]) + _clique(["u1", "u2", "u3"])
    dates = {"s2": "2019-05-01", "s1": "2019-05-02", "s3": "2019-05-03"}
    want = [f.to_dict() for f in families(pairs, dates)]
    rng = random.Random(0)
    for _ in range(10):
        shuffled = pairs[:]
        rng.shuffle(shuffled)
        assert [f.to_dict() for f in families(shuffled, dates)] == want
    assert [f["family"] for f in want] == ["s2", "t1", "u1"]


def test_empty() -> None:
    assert families([], {}) == []
    assert cluster([]) == []


@settings(max_examples=80, deadline=None)
def _edge_pairs(edges: list[tuple[int, int, float]]) -> list[Pair]:
    """One pair per distinct edge (the first coverage given), none from a node to itself."""
    seen: dict[tuple[str, str], Pair] = {}
    for x, y, cov in edges:
        if x != y:
            p = _pair(f"d{x:02d}", f"d{y:02d}", cov)
            seen.setdefault((p.a, p.b), p)
    return list(seen.values())


@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14), st.floats(0.05, 1.0)),
                max_size=50),
       st.floats(0.1, 1.0), st.randoms(use_true_random=False))
def test_every_article_in_at_most_one_family(edges: list[tuple[int, int, float]],
                                             density: float, rnd: random.Random) -> None:
    pairs = _edge_pairs(edges)
    cfg = FamilyConfig(min_link_density=density)
    fams = families(pairs, {}, cfg)
    members = [m for f in fams for m in f.members]
    assert len(members) == len(set(members))
    assert all(len(f.members) >= 2 for f in fams)
    assert len({f.family for f in fams}) == len(fams)
    linked = {x for p in pairs for x in (p.a, p.b)}
    assert set(members) <= linked
    for f in fams:
        assert f.origin is None or f.origin in f.members
        # a family is held together by its own pairs (at least a spanning tree's worth)
        inside = sum(1 for p in pairs if p.a in f.members and p.b in f.members)
        assert inside >= len(f.members) - 1
    rnd.shuffle(pairs)
    assert [f.to_dict() for f in families(pairs, {}, cfg)] == [f.to_dict() for f in fams]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.sampled_from([0.2, 0.5, 0.95, 1.0]),
                          st.sampled_from([0.2, 0.5, 1.0]), st.integers(0, 3)), max_size=30))
def test_strongest_first_is_the_sort_by_strength(edges: list[tuple[int, int, float, float, int]]) -> None:
    from copydesk.families import _strength, _strongest_first

    pairs = {}
    for x, y, ca, cb, n in edges:
        if x != y:
            a, b = sorted((f"d{x}", f"d{y}"))
            pairs[a, b] = Pair(a, b, "partial", None, ca, cb, tuple(Passage(0, 10 * (t + 1), 0, 10) for t in range(n)))
    ps = list(pairs.values())
    random.Random(len(ps)).shuffle(ps)
    assert _strongest_first(ps) == sorted(ps, key=lambda p: (_strength(p), p.a, p.b), reverse=True)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14), st.sampled_from([0.2, 0.6, 0.95])), max_size=40),
       st.integers(0, 8))
def test_refresh_families_equals_families_of_all_pairs(edges: list[tuple[int, int, float]], nadded: int) -> None:
    from copydesk.families import refresh_families

    pairs = list({(min(x, y), max(x, y)): _pair(f"d{x:02d}", f"d{y:02d}", cov)
                  for x, y, cov in edges if x != y}.values())
    added = pairs[len(pairs) - min(nadded, len(pairs)):]
    old = pairs[:len(pairs) - len(added)]
    dates = {f"d{i:02d}": f"2020-01-{1 + i % 5:02d}" for i in range(15)}
    assert refresh_families(families(old, dates), pairs, added, dates) == families(pairs, dates)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 25), st.integers(0, 25), st.sampled_from([0.2, 0.5, 0.8, 0.95, 1.0])),
                max_size=80),
       st.sampled_from([0.1, 0.5, 2 / 3, 0.7, 1.0]))
def test_compiled_cluster_is_the_reference(edges: list[tuple[int, int, float]], density: float) -> None:
    """The same groups in the same order (ids numbered by first appearance, merges compiled)."""
    from copydesk.families import cluster_reference

    pairs = _edge_pairs(edges)
    cfg = FamilyConfig(min_link_density=density)
    assert cluster(pairs, cfg) == cluster_reference(pairs, cfg)


def _contained(a: str, b: str, cov_a: float, cov_b: float) -> Pair:
    a, b = min(a, b), max(a, b)
    return Pair(a, b, "contained", None, cov_a, cov_b, (Passage(0, int(1000 * min(cov_a, cov_b)), 0, 1),))


def test_a_version_of_a_member_joins_with_it() -> None:
    """A near-duplicate of a member (a version of one text) is merged before the pairs that
    share only part of a text, whatever their coverage: otherwise, once its twin is inside a
    larger group, it meets that group alone and fails the density check on the group's
    size, although the twin passed it (dev-ocr: an OCR'd copy of a story left out of the
    story's family, and its pairs with the members never compared)."""
    core = ["m1", "m2", "m3", "m4", "m5"]
    pairs = [_contained(x, y, 1.0, 0.5) for i, x in enumerate(core) for y in core[i + 1:]]
    pairs += [_pair("m1", "x", 0.9), _contained("m2", "x", 0.98, 0.45)]
    fams = families(pairs, {})
    assert _as_sets(fams) == {frozenset([*core, "x"])}
    # without the version link, two links to a group of five stay below the density
    alone = [p for p in pairs if p.relation == "contained"]
    assert _as_sets(families(alone, {})) == {frozenset(core)}
