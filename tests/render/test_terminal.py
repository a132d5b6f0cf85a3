"""Tests for copydesk.render.terminal: markers, colours, column alignment, gaps, colour choice."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.errors import ConfigError
from copydesk.records import Article, Pair, Passage
from copydesk.render.terminal import render_pair, should_color, visible_width

ANSI = re.compile(r"\x1b\[[0-9;]*m")
SEP = " | "

RAQQA_A = "Forces entered Raqqa on Tuesday, officials said."
RAQQA_B = "Forces entered Raqa yesterday, officials said."


def _raqqa() -> tuple[Article, Article, Pair]:
    a = Article("afp-web", RAQQA_A, title="US-backed forces take Raqqa", date="2017-10-17",
                source="AFP")
    b = Article("paper-print", RAQQA_B, title="Raqa falls", date="2017-10-18")
    pair = Pair("afp-web", "paper-print", "near_duplicate", "afp-web", 1.0, 1.0,
                (Passage(0, len(RAQQA_A), 0, len(RAQQA_B)),), origin_reason="earlier date")
    return a, b, pair


def _two_passages() -> tuple[Article, Article, Pair]:
    """Two passages with unshared text around and between them; definite add and remove."""
    p1a = "one two three four five"
    p1b = "one two four five six"
    p2 = "the mayor said the city was calm"
    a_text = "MENU Home\n\n" + p1a + "\n\nOnly the web version has this sentence.\n\n" + p2
    b_text = p1b + " Print only. " + p2 + "\nPhoto: archive"
    pa1, pb1 = a_text.index(p1a), b_text.index(p1b)
    pa2, pb2 = a_text.index(p2), b_text.index(p2)
    passages = (Passage(pa1, pa1 + len(p1a), pb1, pb1 + len(p1b)),
                Passage(pa2, pa2 + len(p2), pb2, pb2 + len(p2)))
    a = Article("a1", a_text, title="Web", date="2020-01-01")
    b = Article("b1", b_text, title="Print", date="2020-01-02")
    return a, b, Pair("a1", "b1", "partial", None, 0.6, 0.7, passages)


def _side_by_side_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if SEP in ANSI.sub("", line)]


# --------------------------------------------------------------------------- content


def test_header_names_both_articles_relation_origin_and_coverage() -> None:
    a, b, pair = _raqqa()
    out = render_pair(a, b, pair, color=False)
    head = "\n".join(out.splitlines()[:4])
    for expected in ("afp-web", "paper-print", "US-backed forces take Raqqa", "Raqa falls",
                     "2017-10-17", "2017-10-18", "near_duplicate", "origin: afp-web (a)",
                     "earlier date", "100.0 %", "1 passage"):
        assert expected in head, expected


def test_plain_rendering_marks_edits_without_colour() -> None:
    a, b, pair = _raqqa()
    out = render_pair(a, b, pair, color=False)
    assert "\x1b" not in out
    assert "[~Raqqa" in out  # a's side of the change
    assert "[~Raqa" in out  # b's side of the change
    assert "~]" in out
    rows = _side_by_side_lines(out)
    assert any(r.startswith("Forces entered") and "| Forces entered" in r for r in rows)
    assert any(r.startswith("officials said.") and "| officials said." in r for r in rows)


def test_plain_markers_for_removed_and_added() -> None:
    a, b, pair = _two_passages()
    out = render_pair(a, b, pair, color=False)
    assert "[-three-]" in out
    assert "{+six+}" in out
    assert "[~" not in out
    assert "origin: undecided" in out


def test_colour_rendering_uses_ansi_codes_and_no_markers() -> None:
    a, b, pair = _two_passages()
    out = render_pair(a, b, pair, color=True)
    assert "\x1b[31mthree\x1b[0m" in out  # removed: red
    assert "\x1b[32msix\x1b[0m" in out  # added: green
    assert "[-" not in out and "{+" not in out
    a2, b2, pair2 = _raqqa()
    assert "\x1b[33mRaqqa\x1b[0m" in render_pair(a2, b2, pair2, color=True)  # changed: yellow


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("width", [40, 80, 100, 131])
def test_side_by_side_lines_have_the_same_visible_width(color: bool, width: int) -> None:
    a, b, pair = _two_passages()
    long_a = Article(a.id, a.text + " https://example.com/" + "x" * 150, title=a.title)
    pair = Pair(pair.a, pair.b, pair.relation, pair.origin, pair.coverage_a, pair.coverage_b,
                (*pair.passages[:1], Passage(pair.passages[1].a_start, len(long_a.text),
                                             pair.passages[1].b_start, pair.passages[1].b_end)))
    out = render_pair(long_a, b, pair, color=color, width=width)
    rows = _side_by_side_lines(out)
    assert len(rows) > 6
    widths = {visible_width(r) for r in rows}
    assert widths == {(width - len(SEP)) // 2 * 2 + len(SEP)}
    if color:
        assert any("\x1b[" in r for r in rows)


def test_gaps_between_passages_are_counted_per_side() -> None:
    a, b, pair = _two_passages()
    out = render_pair(a, b, pair, color=False)
    between_a = len("Only the web version has this sentence.")
    between_b = len("Print only.")
    assert f"… {between_a} characters only in a · {between_b} characters only in b …" in out
    assert "before the first passage: 9 characters only in a · nothing in b" in out
    assert "after the last passage: nothing in a · 14 characters only in b" in out


def test_articles_may_be_given_in_either_order() -> None:
    a, b, pair = _two_passages()
    assert render_pair(b, a, pair, color=False) == render_pair(a, b, pair, color=False)


def test_articles_that_do_not_match_the_pair_are_rejected() -> None:
    a, b, pair = _two_passages()
    with pytest.raises(ConfigError, match="do not match"):
        render_pair(a, Article("other", "text"), pair, color=False)


def test_pair_without_passages_says_so() -> None:
    a, b, pair = _two_passages()
    empty = Pair(pair.a, pair.b, "partial", None, 0.0, 0.0, ())
    assert "(no shared passages)" in render_pair(a, b, empty, color=False)


def test_wide_characters_and_control_characters_keep_columns_aligned() -> None:
    a_text = "東京の 記者 said\x1b[2J the café closed\u200b today"
    b_text = "東京の 記者 said the cafe\u0301 shut today"
    a = Article("x", a_text)
    b = Article("y", b_text)
    pair = Pair("x", "y", "near_duplicate", None, 1.0, 1.0,
                (Passage(0, len(a_text), 0, len(b_text)),))
    for color in (False, True):
        out = render_pair(a, b, pair, color=color, width=30)
        assert "\x1b[2J" not in out  # user text never becomes an escape sequence
        assert len({visible_width(r) for r in _side_by_side_lines(out)}) == 1


def test_visible_width() -> None:
    assert visible_width("\x1b[33mabc\x1b[0m") == 3
    assert visible_width("東京") == 4
    assert visible_width("cafe\u0301") == 4


_ALPHABET = st.sampled_from(list("abcxyz   \n.,") + ["東", "é", "\u0301", "\x07", "\u200b", "|"])


@settings(max_examples=150, deadline=None)
@given(st.text(_ALPHABET, max_size=120), st.text(_ALPHABET, max_size=120),
       st.integers(20, 90), st.booleans())
def test_alignment_property(text_a: str, text_b: str, width: int, color: bool) -> None:
    a, b = Article("a", text_a), Article("b", text_b)
    mid_a, mid_b = len(text_a) // 2, len(text_b) // 2
    passages = (Passage(0, mid_a, 0, mid_b), Passage(mid_a, len(text_a), mid_b, len(text_b)))
    out = render_pair(a, b, Pair("a", "b", "partial", None, 0.5, 0.5, passages),
                      color=color, width=width)
    rows = _side_by_side_lines(out)
    assert len({visible_width(r) for r in rows}) == 1
    assert "\x07" not in out


# --------------------------------------------------------------------------- should_color


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_should_color(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert should_color(_Tty()) is True
    assert should_color(io.StringIO()) is False
    assert should_color(object()) is False

    closed = (tmp_path / "out.txt").open("w")
    closed.close()
    assert should_color(closed) is False

    monkeypatch.setenv("TERM", "dumb")
    assert should_color(_Tty()) is False
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("NO_COLOR", "1")
    assert should_color(_Tty()) is False
