"""Tests for copydesk.worddiff: a hand example, edge cases, and fast-vs-reference properties."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel, Levenshtein

from copydesk.records import Passage
from copydesk.worddiff import (
    Edit,
    diff_pair,
    normalize_word,
    passage_words,
    word_diff,
    word_diff_reference,
)

DiffFn = Callable[[str, str, Passage], list[Edit]]
IMPLEMENTATIONS = [word_diff, word_diff_reference]

A = "Forces entered Raqqa on Tuesday, officials said."
B = "Forces entered Raqa yesterday, officials said."


def _whole(a: str, b: str) -> Passage:
    return Passage(0, len(a), 0, len(b))


def _keys(text: str, start: int, end: int) -> list[str]:
    return [w.key for w in passage_words(text, start, end)]


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize("diff", IMPLEMENTATIONS)
def test_raqqa_hand_example(diff: DiffFn) -> None:
    edits = diff(A, B, _whole(A, B))
    first, last, middle = edits[0], edits[-1], edits[1:-1]
    assert first.op == "kept"
    assert A[first.a_start:first.a_end] == "Forces entered"
    assert B[first.b_start:first.b_end] == "Forces entered"
    assert last.op == "kept"
    assert A[last.a_start:last.a_end] == "officials said."
    assert B[last.b_start:last.b_end] == "officials said."
    # Whatever the tie-breaking, the middle is all edits, at least one of them a change,
    # and together it covers exactly "Raqqa on Tuesday," and "Raqa yesterday,".
    assert middle and all(e.op != "kept" for e in middle)
    assert any(e.op == "changed" for e in middle)
    a_words = " ".join(A[e.a_start:e.a_end] for e in middle if e.a_end > e.a_start)
    b_words = " ".join(B[e.b_start:e.b_end] for e in middle if e.b_end > e.b_start)
    assert a_words == "Raqqa on Tuesday,"
    assert b_words == "Raqa yesterday,"
    changed = next(e for e in middle if e.op == "changed")
    assert A[changed.a_start:changed.a_end].startswith("Raqqa")
    assert B[changed.b_start:changed.b_end].startswith("Raqa")


def test_raqqa_levenshtein_gives_changed_then_removed() -> None:
    ops = [e.op for e in word_diff(A, B, _whole(A, B))]
    assert ops == ["kept", "changed", "removed", "kept"]


def test_normalization_ignores_case_punctuation_and_accents() -> None:
    assert normalize_word("Café,") == normalize_word("cafe") == "cafe"
    assert normalize_word("«RAQQA»") == "raqqa"
    assert normalize_word("—") == ""
    a, b = "Le Café, à Paris.", "le cafe a PARIS"
    assert word_diff(a, b, _whole(a, b)) == [Edit("kept", 0, len(a), 0, len(b))]


def test_offsets_point_into_the_original_texts() -> None:
    a = "MENU  Home | News\n\nThe   mayor said\tthe city was calm.\nComments"
    b = "Print edition. The mayor said the city was quiet."
    p = Passage(a.index("The"), a.index("\nComments"), b.index("The"), len(b))
    edits = word_diff(a, b, p)
    assert [e.op for e in edits] == ["kept", "changed"]
    kept, changed = edits
    assert a[kept.a_start:kept.a_end] == "The   mayor said\tthe city was"
    assert b[kept.b_start:kept.b_end] == "The mayor said the city was"
    assert (a[changed.a_start:changed.a_end], b[changed.b_start:changed.b_end]) == ("calm.", "quiet.")


def test_added_and_removed_have_empty_ranges_at_the_insertion_point() -> None:
    a, b = "one two three four five", "one two four five six"
    edits = word_diff(a, b, _whole(a, b))
    assert [e.op for e in edits] == ["kept", "removed", "kept", "added"]
    removed, added = edits[1], edits[3]
    assert a[removed.a_start:removed.a_end] == "three"
    assert removed.b_start == removed.b_end == b.index("four")
    assert b[added.b_start:added.b_end] == "six"
    assert added.a_start == added.a_end == len(a)


@pytest.mark.parametrize("diff", IMPLEMENTATIONS)
def test_empty_sides(diff: DiffFn) -> None:
    a, b = "alpha beta", "   "
    assert diff(a, b, Passage(0, 0, 0, 0)) == []
    assert diff(a, b, _whole(a, b)) == [Edit("removed", 0, len(a), 0, 0)]
    assert diff(b, a, _whole(b, a)) == [Edit("added", 0, 0, 0, len(a))]


def test_passage_is_clipped_to_the_text() -> None:
    a = "short text"
    edits = word_diff(a, a, Passage(-5, 999, 3, 999))
    assert edits[-1].a_end == len(a) and edits[-1].b_end == len(a)
    assert all(0 <= x <= len(a) for e in edits for x in (e.a_start, e.a_end, e.b_start, e.b_end))


def test_diff_pair_diffs_each_passage_in_order() -> None:
    a = "first shared part. filler only here. second shared part."
    b = "second shared part! first shared part"
    p1 = Passage(0, a.index(" filler"), b.index("first"), len(b))
    p2 = Passage(a.index("second"), len(a), 0, b.index(" first"))
    assert diff_pair(a, b, [p1, p2]) == [word_diff(a, b, p1), word_diff(a, b, p2)]
    assert all(len(edits) == 1 and edits[0].op == "kept" for edits in diff_pair(a, b, [p1, p2]))
    assert diff_pair(a, b, []) == []


# --------------------------------------------------------------------------- properties

_VOCAB = ["Raqqa", "raqa", "Raqa,", "on", "Tuesday", "yesterday.", "officials", "said",
          "Café", "cafe", "—", "«the»", "The", "東京", "x"]
_SPACES = st.sampled_from([" ", "  ", "\n", "\t", " \n\n "])


@st.composite
def _texts(draw: st.DrawFn) -> tuple[str, int, int]:
    """A text with junk before and after a passage of vocabulary words."""
    words = draw(st.lists(st.sampled_from(_VOCAB), max_size=14))
    body = ""
    for w in words:
        body += w + draw(_SPACES)
    prefix = draw(st.sampled_from(["", "MENU ", "Home | News\n"]))
    suffix = draw(st.sampled_from(["", " Comments", "\nShare this"]))
    lead = draw(st.sampled_from(["", " ", "\n"]))
    text = prefix + lead + body + suffix
    return text, len(prefix), len(prefix) + len(lead) + len(body)


def _check_tiling(a: str, b: str, p: Passage, edits: list[Edit]) -> None:
    """Edits cover every word of both passage sides exactly once, in order."""
    words_a = passage_words(a, p.a_start, p.a_end)
    words_b = passage_words(b, p.b_start, p.b_end)
    got_a = [w for e in edits for w in passage_words(a, e.a_start, e.a_end)]
    got_b = [w for e in edits for w in passage_words(b, e.b_start, e.b_end)]
    assert got_a == words_a
    assert got_b == words_b
    for e in edits:
        assert p.a_start <= e.a_start <= e.a_end <= p.a_end
        assert p.b_start <= e.b_start <= e.b_end <= p.b_end
        has_a, has_b = e.a_end > e.a_start, e.b_end > e.b_start
        assert (has_a, has_b) == {"kept": (True, True), "changed": (True, True),
                                  "removed": (True, False), "added": (False, True)}[e.op]
        # Ranges start and end on words, never on whitespace.
        if has_a:
            assert not a[e.a_start].isspace() and not a[e.a_end - 1].isspace()
        if has_b:
            assert not b[e.b_start].isspace() and not b[e.b_end - 1].isspace()
    for prev, cur in zip(edits, edits[1:], strict=False):
        assert prev.op != cur.op, "adjacent edits of the same op must be merged"
        assert prev.a_end <= cur.a_start and prev.b_end <= cur.b_start


def _kept_words(a: str, edits: list[Edit]) -> int:
    return sum(len(passage_words(a, e.a_start, e.a_end)) for e in edits if e.op == "kept")


@settings(max_examples=300, deadline=None)
@given(_texts(), _texts())
def test_fast_and_reference_tile_passages_and_keep_only_equal_words(
    side_a: tuple[str, int, int], side_b: tuple[str, int, int]
) -> None:
    a, a0, a1 = side_a
    b, b0, b1 = side_b
    p = Passage(a0, a1, b0, b1)
    keys_a, keys_b = _keys(a, a0, a1), _keys(b, b0, b1)
    lcs = (len(keys_a) + len(keys_b) - Indel.distance(keys_a, keys_b)) // 2
    for diff in IMPLEMENTATIONS:
        edits = diff(a, b, p)
        _check_tiling(a, b, p, edits)
        for e in edits:
            if e.op == "kept":
                assert _keys(a, e.a_start, e.a_end) == _keys(b, e.b_start, e.b_end)
        # Neither can keep more than a longest common subsequence of words; the two may
        # break ties differently, so their kept counts are compared only through it.
        assert _kept_words(a, edits) <= lcs
        if keys_a == keys_b and keys_a:
            assert [e.op for e in edits] == ["kept"]


@settings(max_examples=300, deadline=None)
@given(_texts(), _texts())
def test_fast_edit_script_is_a_minimal_levenshtein_script(
    side_a: tuple[str, int, int], side_b: tuple[str, int, int]
) -> None:
    a, a0, a1 = side_a
    b, b0, b1 = side_b
    edits = word_diff(a, b, Passage(a0, a1, b0, b1))
    cost = 0
    for e in edits:
        na = len(passage_words(a, e.a_start, e.a_end))
        nb = len(passage_words(b, e.b_start, e.b_end))
        if e.op == "changed":
            assert na == nb  # word-for-word substitutions
        if e.op != "kept":
            cost += max(na, nb)
    keys_a, keys_b = _keys(a, a0, a1), _keys(b, b0, b1)
    assert cost == Levenshtein.distance(keys_a, keys_b)
    assert _kept_words(a, edits) >= max(len(keys_a), len(keys_b)) - cost
