"""furniture_prefilter: every line _is_furniture takes passes the pre-filter; kernel = reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.furniture_prefilter import (
    PREFIXES,
    may_be_furniture,
    may_be_furniture_reference,
    surely_furniture,
    surely_furniture_reference,
)
from copydesk.prepare import _is_furniture
from copydesk.textnorm import codepoints
from test_prepare_batch import FURNITURE, LABELS, NOISE

# pieces that make lines near the rules: keywords, their prefixes, dashes, digits, phrases,
# case, spaces of every kind, non-word runs, characters beyond ASCII (case folds: "ſ", "K")
_PIECES = ["published", "Posted", "LAST UPDATED", "comments", "Comment", "advert", "Story continues below",
           "read more", "Related stories", "share this", "Report an error", "follow us", "CLICK HERE",
           "subscribe", "sign up", "tags:", "Tag :", "file photo", "Archive picture", "stock image",
           "photo:", "(photo", "Picture credit:", "copyright", "©", "(c) ", "(C)", "all rights reserved",
           "All Rights Reserved", "by", "By ", "from ", "FROM", "fro", "- ", "--", "-word", "—", "–",
           "2017", "4", "12,", "July", "2017-07-04", "T13:18", "٣", "\u00b2", "word", "the", "x", "_",
           " ", "  ", "\t", "\r", "\x1c", "\u00a0", "\u3000", ".", ",", ":", "!", "?", "(", ")", '"', "'",
           "*", "|", "ſ", "\u212a", "İ", "ı", "é", "😀", "Fir", "pub", "pos", "las", "upd", "mod", "sto",
           "rea", "rel", "sha", "rep", "fol", "cli", "sub", "sig", "fil", "arc", "pho", "pic", "ima", "cop",
           "all", "Al", "rights", "reserved", "story continues below", "continues", "below", "report an",
           "error", "us", "here", "up", "on", "this", "more", "stories", "links", "content", "articles", "first ",
           "updated", "Modified", "ADVERTISEMENT", "picture", "image", "stock", "\t", "Share\ton"]
_LINE = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)


def _check(lines: list[str]) -> None:
    joined = "".join(lines)
    at = np.cumsum([0] + [len(x) for x in lines])
    fast = may_be_furniture(codepoints(joined), at[:-1], at[1:])
    sure = surely_furniture(codepoints(joined), at[:-1], at[1:])
    for line, got, surely in zip(lines, fast.tolist(), sure.tolist(), strict=True):
        assert got == may_be_furniture_reference(line), line
        assert surely == surely_furniture_reference(line), line
        for n in (1, 6, 7, 20):  # the byline rule depends on the token count
            if _is_furniture.__wrapped__(line, n):
                assert got, (line, n)
            elif surely:
                raise AssertionError(f"taken as surely furniture: {line!r} ({n} tokens)")


@settings(max_examples=1000, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=6))
def test_no_furniture_is_filtered_out(lines: list[str]) -> None:
    _check(lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=6))
def test_no_furniture_is_filtered_out_of_any_text(lines: list[str]) -> None:
    _check([x.replace("\n", " ") for x in lines])


def test_examples() -> None:
    _check(FURNITURE + LABELS + [x.replace("\n", " ") for x in NOISE])
    lines = ["Published 2004-08-19 09:05", "Comments", "* File picture *", "Last  updated: today", "(Photo)",
             "Story continues below the fold", "All rights reserved 2004"]
    at = np.cumsum([0] + [len(x) for x in lines])
    assert surely_furniture(codepoints("".join(lines)), at[:-1], at[1:]).all()
    lines = ["Publishedx", "Comments here", "File pictures", "Photographer", "Published\u00e9", "updated"[1:]]
    at = np.cumsum([0] + [len(x) for x in lines])
    assert not surely_furniture(codepoints("".join(lines)), at[:-1], at[1:]).any()
    lines = ["Markets", "World", "The storm", "Weather today", "hello world", "Nothing here!", ""]
    at = np.cumsum([0] + [len(x) for x in lines])
    assert not may_be_furniture(codepoints("".join(lines)), at[:-1], at[1:]).any()


def test_every_keyword_has_its_prefix() -> None:
    # the keywords the furniture and byline rules open with (prepare._FURNITURE, _BYLINE)
    for word in ["first", "published", "posted", "last", "updated", "modified", "comment", "advertisement",
                 "story", "read", "related", "share", "report", "follow", "click", "subscribe", "sign", "tags",
                 "file", "archive", "stock", "photo", "picture", "image", "copyright", "all", "by", "from"]:
        assert word.startswith(PREFIXES), word


def test_the_rules_the_filters_follow_are_unchanged() -> None:
    # PREFIXES, PHRASES and SURE are read off these patterns by hand: a change to any of
    # them must be carried into copydesk.furniture_prefilter (and then this digest updated)
    import hashlib

    from copydesk import prepare

    text = "\n".join(p.pattern for p in (prepare._FURNITURE, prepare._RIGHTS, prepare._BYLINE, prepare._DATE_LINE))
    assert hashlib.sha256(text.encode()).hexdigest()[:16] == "f22bd944382af75b", \
        "prepare's furniture patterns changed: update copydesk.furniture_prefilter to match"
