"""report.pairview: every character of both texts is shown once, passages beside their
counterparts, segments that join back into the passage text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.records import Article, Pair, Passage
from copydesk.report.pairview import pair_view, side_segments
from copydesk.worddiff import word_diff

A = "Intro only in a. Forces entered Raqqa on Tuesday, officials said. Middle of a. The end is shared here."
B = "The end is shared here. Lead of b. Forces entered Raqa yesterday, officials said."


def _passage(a: str, b: str, sa: str, sb: str) -> Passage:
    i, j = a.index(sa), b.index(sb)
    return Passage(i, i + len(sa), j, j + len(sb))


def _pair(*passages: Passage) -> Pair:
    return Pair("a", "b", "partial", None, 0.5, 0.5, tuple(passages))


def _shown(view, side: str) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for row in view.rows:
        parts.append(getattr(row, f"before_{side}"))
        parts.append("".join(s.text for s in getattr(row, side).segments))
    parts.append(getattr(view, f"after_{side}"))
    return "".join(parts)


def test_moved_passages_keep_every_character() -> None:
    p1 = _passage(A, B, "Forces entered Raqqa on Tuesday, officials said.",
                  "Forces entered Raqa yesterday, officials said.")
    p2 = _passage(A, B, "The end is shared here.", "The end is shared here.")
    view = pair_view(_pair(p2, p1), Article("a", A), Article("b", B))
    assert [r.number for r in view.rows] == [1, 2]
    assert view.rows[0].a.start == p1.a_start  # rows in a's order
    assert view.moved
    assert sorted(_shown(view, "a")) == sorted(A)
    assert sorted(_shown(view, "b")) == sorted(B)
    assert _shown(view, "a") == A  # a reads in order
    ops = {s.op for s in view.rows[0].a.segments} | {s.op for s in view.rows[0].b.segments}
    assert "changed" in ops
    assert view.rows[0].words["kept"][0] >= 4


def test_articles_given_in_either_order() -> None:
    p = _passage(A, B, "The end is shared here.", "The end is shared here.")
    view = pair_view(_pair(p), Article("b", B), Article("a", A))
    assert view.a.id == "a" and not view.moved
    assert view.rows[0].before_a.startswith("Intro")


words = st.lists(st.sampled_from(["Raqqa", "Raqa", "on", "Tuesday,", "yesterday", "said.",
                                  "\n\n", "é", "  "]), max_size=25)


@settings(max_examples=200, deadline=None)
@given(words, words)
def test_segments_join_into_the_passage(wa: list[str], wb: list[str]) -> None:
    a, b = "x " + " ".join(wa) + " y", "z " + " ".join(wb)
    p = Passage(2, len(a) - 2, 2, len(b))
    edits = word_diff(a, b, p)
    for side, text, (s, e) in (("a", a, (p.a_start, p.a_end)), ("b", b, (p.b_start, p.b_end))):
        segs = side_segments(text, s, e, edits, side)
        assert "".join(x.text for x in segs) == text[s:e]
