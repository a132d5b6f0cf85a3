"""report.overview: each member's parent, which pairs get a page first, timeline order."""

from __future__ import annotations

from copydesk.records import Family, Pair, Passage
from copydesk.report.data import Meta
from copydesk.report.overview import (
    date_key,
    family_view,
    pairs_by_member,
    parent_pair,
    plan_pages,
)

P = (Passage(0, 10, 0, 10),)


def _pair(a: str, b: str, origin: str | None, cov_a: float = 0.9, cov_b: float = 0.9) -> Pair:
    return Pair(a, b, "near_duplicate", origin, cov_a, cov_b, P, "date" if origin else None)


def test_parent_is_the_origin_else_the_source_else_the_strongest() -> None:
    pairs = [_pair("o", "x", "o"), _pair("x", "y", "x", 0.5, 0.8), _pair("y", "z", None, 0.3, 0.4)]
    mine = pairs_by_member(pairs)
    assert parent_pair("o", "o", mine["o"]) is None
    assert parent_pair("x", "o", mine["x"]) == pairs[0]
    assert parent_pair("y", "o", mine["y"]) == pairs[1]  # x was judged y's source
    assert parent_pair("z", "o", mine["z"]) == pairs[2]  # only pair: the strongest


def test_plan_pages_gives_parent_pairs_first() -> None:
    big = Family("o", ("a", "b", "c", "o"), "o")
    small = Family("s", ("s", "t"), "s")
    pairs = [_pair("a", "b", None), _pair("a", "c", None), _pair("b", "c", None),
             _pair("a", "o", "o"), _pair("b", "o", "o"), _pair("c", "o", "o"), _pair("s", "t", "s")]
    plan = plan_pages(pairs, [big, small], max_pairs=4)
    assert set(plan.pages) == {("s", "t"), ("a", "o"), ("b", "o"), ("c", "o")}
    assert plan.left_out == 3 and plan.families_cut == ["o"]
    assert plan_pages(pairs, [big, small], max_pairs=0).pages == {}


def test_timeline_origin_first_then_dates_then_undated() -> None:
    fam = Family("o", ("early", "late", "nodate", "o"), "o")
    metas = {i: Meta(i, None, d, None, None, 100) for i, d in
             (("early", "2024-01-02"), ("late", "3 January 2024"), ("nodate", None),
              ("o", "2024-01-05T00:00+02:00"))}
    pairs = [_pair(m, "o", "o") if m < "o" else _pair("o", m, "o") for m in ("early", "late", "nodate")]
    view = family_view(fam, pairs, metas)
    assert [m.article.id for m in view.members] == ["o", "early", "late", "nodate"]
    assert all(m.via_origin for m in view.members[1:]) and view.dated
    assert date_key("2024-01-02") < date_key("2024-01-02T10:00") < date_key(None)
