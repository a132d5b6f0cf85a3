"""prepare: per-article boilerplate masking and corpus-wide common lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.config import PrepareConfig
from copydesk.prepare import _RIGHTS, Prepared, _has_rights, prepare
from copydesk.records import Article

BODY = ("The storm hit the northern coast on Tuesday night, flooding hundreds of homes and "
        "cutting power to the harbour district, officials said.")


def _masked(p: Prepared, text: str) -> list[str]:
    return [text[s:e] for s, e, b in zip(p.tokens.start.tolist(), p.tokens.end.tolist(),
                                         p.boiler.tolist(), strict=True) if b]


def _line_masked(line: str, **kw: str) -> bool:
    """Is every token of ``line`` masked when it sits between two body paragraphs?"""
    text = f"{BODY}\n\n{line}\n\n{BODY}"
    p = prepare(Article("x", text, **kw))
    start = len(BODY) + 2
    sel = (p.tokens.start >= start) & (p.tokens.start < start + len(line))
    assert sel.any()
    flags = set(p.boiler[sel].tolist())
    assert len(flags) == 1, f"line partly masked: {line!r}"
    return flags.pop()


@pytest.mark.parametrize("line", [
    "Published: 2017-07-04 13:18",
    "Last Updated: 2017-07-04 13:29",
    "Comments",
    "Archive photo",
    "Share this article",
    "Copyright 2005 X. All rights reserved.",
    "© 2021 Daily Planet",
    "By Anna Kowal",
    "BY ANNA KOWAL and JAN NOWAK",
    "Advertisement",
    "Read more: storms across Europe",
    "4 July 2017",
    "2017-07-04",
])
def test_furniture_lines_masked(line: str) -> None:
    assert _line_masked(line)


@pytest.mark.parametrize("line", [
    "By the end of the year, the council expects to have rebuilt most of the damaged sea "
    "wall, a spokesman for the regional authority said on Wednesday.",
    "By then it had rained.",  # a short sentence, not a byline
    "Comments from the minister were not immediately available, his office said.",
    "The photo agency declined to comment on the dispute over the rights to the pictures.",
])
def test_body_lines_not_masked(line: str) -> None:
    assert not _line_masked(line)


def test_patterns_can_be_switched_off() -> None:
    text = f"Comments\n{BODY}"
    p = prepare(Article("x", text), PrepareConfig(boiler_patterns=False))
    assert not p.boiler.any()


def test_headline_line_equal_to_title_masked() -> None:
    title = "Storm floods the northern coast"
    text = f"Storm floods the Northern coast\n\n{BODY}\n\nStorm floods the northern coast again"
    p = prepare(Article("x", text, title=title))
    assert _masked(p, text) == ["Storm", "floods", "the", "Northern", "coast"]
    # without a title nothing is masked
    assert not prepare(Article("x", text)).boiler.any()


@pytest.mark.parametrize("prefix", [
    "LONDON (Reuters) - ",
    "NEW YORK, Mar. 4 (GNA) - ",
    "PARIS (AFP) — ",
    "BEIRUT – ",
    "MANCH\u00adESTER (APA) - ",     # a soft hyphen, invisible on the page
    "GEN\u200bEVA, Mar\u00ad. 4 (CNS) - ",
])
def test_dateline_prefix_masked_but_not_rest_of_line(prefix: str) -> None:
    text = f"Published: 2017-07-04\n{prefix}{BODY}\n\n{BODY}"
    p = prepare(Article("x", text))
    masked = _masked(p, text)
    assert masked[:2] == ["Published:", "2017-07-04"]
    assert " ".join(masked[2:]) == " ".join(w for w in prefix.split() if w not in "-–—")
    assert p.content_weight == 2 * sum(not c.isspace() for c in BODY)


def test_dateline_only_on_first_body_line() -> None:
    text = f"{BODY}\nLONDON (Reuters) - {BODY}"
    assert not prepare(Article("x", text)).boiler.any()


def test_dateline_after_a_menu_and_a_caption_is_masked() -> None:
    """A page's menu and a photo caption with its credit above the story are long lines
    but not sentences: the story, and its dateline, start below them."""
    menu = "News | Politics | Business | Money | Sport | Life & Style | Travel | Opinion"
    caption = "A broadband engineer at work on the line. (Photo: Ellie Marsh)"
    text = f"{menu}\n{caption}\nTOKYO (Meridian) - {BODY}\n\n{BODY}"
    masked = _masked(prepare(Article("x", text)), text)
    assert masked == ["TOKYO", "(Meridian)"]


def test_content_weight_excludes_boilerplate() -> None:
    text = f"Comments\n{BODY}\nShare this article"
    p = prepare(Article("x", text))
    assert p.content_weight == sum(not c.isspace() for c in BODY)
    assert len(p.line_first) == text.count("\n") + 2




@pytest.mark.parametrize("line", ["All Rights Reserved.", "(C) Reuters 2004", " (c) AP", "ALL RIGHTS RESERVED",
                                  "\u00a9 all rights reserved", "All rights re\u017fer\u017fed", "(c)AP",
                                  "Rights reserved", "all rights", "x (c) y", "The end."])
def test_rights_shortcut_is_the_search(line: str) -> None:
    assert _has_rights(line) == bool(_RIGHTS.search(line))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["all", "ALL", "rights", "RiGhTs", "reserved", "re\u017ferved", "(c)", "(C)",
                                 " ", "  ", "\t", "\u00a0", "x", "\u0131", "."]), max_size=8))
def test_rights_shortcut_is_the_search_on_any_line(words: list[str]) -> None:
    line = "".join(words)
    assert _has_rights(line) == bool(_RIGHTS.search(line))
