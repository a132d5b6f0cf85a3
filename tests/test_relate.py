"""relate: relation names, origin decisions and what is not reuse."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.align import align
from copydesk.config import RelateConfig
from copydesk.prepare import prepare
from copydesk.records import Article, Pair
from copydesk.relate import date_order, is_reuse, parse_date, relate
from textgen import STORY

OTHER = [
    "The central bank raised its key interest rate by a quarter of a percentage point on "
    "Thursday, its third increase this year, citing stubborn inflation in services.",
    "Economists had expected the move, although some warned that higher borrowing costs could "
    "tip the slowing economy into recession before the end of the year.",
    "The governor told a news conference that further increases were possible if wage growth "
    "did not ease, and that the bank would watch housing prices closely.",
    "Markets barely reacted to the decision, with the currency edging up against the dollar "
    "and government bond yields little changed in afternoon trading in the capital.",
]


def _pair(a: Article, b: Article, config: RelateConfig | None = None) -> Pair | None:
    if a.id > b.id:
        a, b = b, a
    pa, pb = prepare(a), prepare(b)
    return relate(pa, pb, align(pa, pb), a.text, b.text, config)


def _story(*idx: int) -> str:
    return "\n\n".join(STORY[i] for i in idx)


def test_duplicate_up_to_case_punctuation_whitespace_and_boilerplate() -> None:
    a = Article("a", _story(0, 1, 2, 3))
    b_text = ("Published: 2017-07-05 08:00\nArchive photo\n"
              + _story(0, 1, 2, 3).upper().replace(",", "").replace("  ", " ")
              .replace("\n\n", "\n") + "\nShare this article")
    p = _pair(a, Article("b", b_text))
    assert p is not None and p.relation == "duplicate"
    assert p.coverage_a == 1.0 and p.coverage_b == 1.0
    assert p.origin is None  # no dates, no containment: undecidable


def test_near_duplicate() -> None:
    a = Article("a", _story(0, 1, 2, 3, 4, 5))
    b = Article("b", _story(0, 1, 2, 3, 4, 5).replace("Raqqa", "Raqa")
                .replace("on Tuesday", "yesterday")
                .replace("deeply concerned", "very worried"))
    p = _pair(a, b)
    assert p is not None and p.relation == "near_duplicate"
    assert min(p.coverage_a, p.coverage_b) >= RelateConfig().near_duplicate


def test_contained_without_dates_container_is_origin() -> None:
    full = Article("z-full", _story(0, 1, 2, 3, 4, 5))
    trimmed = Article("a-trim", _story(0, 1))
    p = _pair(full, trimmed)
    assert p is not None and p.relation == "contained"
    assert (p.a, p.b) == ("a-trim", "z-full")
    assert p.coverage_a == 1.0 and p.coverage_b < 0.5
    assert p.origin == "z-full" and p.origin_reason == "containment"


def test_partial_without_dates_has_no_origin() -> None:
    a = Article("a", _story(0, 1, 2) + "\n\n" + "\n\n".join(OTHER[:2]))
    b = Article("b", "\n\n".join(OTHER[2:]) + "\n\n" + _story(0, 1, 2) + "\n\n" + STORY[5])
    p = _pair(a, b)
    assert p is not None and p.relation == "partial"
    assert max(p.coverage_a, p.coverage_b) < RelateConfig().contained
    assert p.origin is None and p.origin_reason is None


@pytest.mark.parametrize(("da", "db", "want"), [
    ("2017-07-04", "2017-07-05", "a"),
    ("2017-07-05T09:00:00Z", "2017-07-04T23:00:00+00:00", "b"),
    ("2017-07-04T10:00", "2017-07-04T09:59", "b"),
    ("2017-07-03", "2017-07-04T01:00", "a"),  # bare date vs datetime on different days
])
def test_origin_by_date_earlier_wins(da: str, db: str, want: str) -> None:
    for texts in ((_story(0, 1, 2, 3), _story(0, 1, 2, 3)),        # duplicate
                  (_story(0, 1), _story(0, 1, 2, 3, 4, 5))):         # contained, a inside b
        p = _pair(Article("a", texts[0], date=da), Article("b", texts[1], date=db))
        assert p is not None
        assert p.origin == want and p.origin_reason == "date"


def test_bare_date_and_datetime_same_day_falls_back() -> None:
    # the trimmed side is later in the day, but a bare date cannot say which came first
    trimmed = Article("a", _story(0, 1), date="2017-07-04T06:00:00")
    full = Article("b", _story(0, 1, 2, 3, 4, 5), date="2017-07-04")
    p = _pair(trimmed, full)
    assert p is not None and p.relation == "contained"
    assert p.origin == "b" and p.origin_reason == "containment"
    a = Article("a", _story(0, 1, 2) + "\n\n" + "\n\n".join(OTHER[:2]), date="2017-07-04")
    b = Article("b", "\n\n".join(OTHER[2:]) + "\n\n" + _story(0, 1, 2), date="2017-07-04T01:00")
    p = _pair(a, b)
    assert p is not None and p.relation == "partial" and p.origin is None


def test_unreadable_date_falls_back() -> None:
    p = _pair(Article("a", _story(0, 1), date="last Tuesday"),
              Article("b", _story(0, 1, 2, 3, 4, 5), date="2017-07-04"))
    assert p is not None and p.origin == "b" and p.origin_reason == "containment"


def test_single_shared_quotation_is_not_reuse() -> None:
    quote = ("\"We will not stop until every last fighter has left the old city and the people "
             "can return home to the streets they were forced to leave three long years ago,\"")
    a_text = "\n\n".join([OTHER[0], "The commander told reporters: " + quote + " he said.",
                          OTHER[1]])
    b_text = "\n\n".join([STORY[3], "In a statement the general was quoted: "
                          + quote.replace('"', "\u201c", 1).replace('"', "\u201d"), STORY[4]])
    pa = _pair(Article("a", a_text), Article("b", b_text))
    assert pa is None
    # the same sentence without quotation marks is a shared passage, and is reuse
    p = _pair(Article("a", a_text.replace('"', "")), Article("b", b_text.replace("\u201c", "")
                                                            .replace("\u201d", "")))
    assert p is not None and p.relation == "partial"


def test_short_shared_passage_is_not_reuse() -> None:
    shared = "called on all sides to open safe corridors out"
    a = Article("a", OTHER[0] + " " + shared + " " + OTHER[1])
    b = Article("b", STORY[0] + " " + shared + " " + STORY[2])
    assert len(shared) < RelateConfig().min_reuse_chars
    assert _pair(a, b) is None


def test_is_reuse_needs_min_reuse_chars() -> None:
    pa, pb = prepare(Article("a", _story(0))), prepare(Article("b", _story(0)))
    al = align(pa, pb)
    assert is_reuse(al, _story(0), _story(0), RelateConfig())
    long_floor = len(STORY[0]) + 1
    assert not is_reuse(al, _story(0), _story(0), RelateConfig(min_reuse_chars=long_floor,
                                                                short_min_chars=long_floor))


def test_short_article_carried_whole_is_reuse() -> None:
    """The floors scale with the shorter article: a one-sentence item carried whole inside a
    longer story is reuse, though its only passage is below ``min_reuse_chars``."""
    brief = "Shares in Everwell Foods rose 4% after the group said sales were strong."
    host = STORY[1] + "\n\n" + brief + "\n\n" + STORY[2]
    assert len(brief) < RelateConfig().min_reuse_chars
    pair = _pair(Article("a", brief), Article("b", host))
    assert pair is not None and pair.relation == "contained"
    # the same sentence inside two long unrelated stories is not
    assert _pair(Article("a", STORY[0] + "\n\n" + brief), Article("b", host)) is None


def test_quotation_with_attribution_is_not_reuse() -> None:
    quote = '"We expect the economy to recover strongly in the second half of the year and beyond,"'
    a = Article("a", STORY[0] + "\n\n" + quote + " the economist said.\n\n" + STORY[2])
    b = Article("b", STORY[1] + "\n\n" + quote + " the minister said.\n\n" + STORY[3])
    assert _pair(a, b) is None


def test_quotation_beside_a_scrap_is_not_reuse() -> None:
    """A shared quotation is not the one long passage a pair needs: beside a stock photo
    caption both pages carry it is still only a quotation; beside a shared sentence of the
    story, it is reuse."""
    quote = '"We expect the economy to recover strongly in the second half of the year and beyond,"'
    caption = "A branch of the bank in the city centre."
    a = Article("a", caption + "\n\n" + STORY[0] + "\n\n" + quote + " the economist said.\n\n" + STORY[2])
    b = Article("b", caption + "\n\n" + STORY[1] + "\n\n" + quote + " the economist said.\n\n" + STORY[3])
    assert len(caption) < RelateConfig().min_reuse_chars
    assert _pair(a, b) is None
    lead = "Shares in Everwell Foods rose sharply after the group said its sales were strong this year."
    assert RelateConfig().min_reuse_chars <= len(lead) < RelateConfig().min_total_chars
    a2 = Article("a", lead + "\n\n" + a.text)
    b2 = Article("b", lead + "\n\n" + b.text)
    pair = _pair(a2, b2)
    assert pair is not None and pair.relation == "partial"


def test_relate_requires_ordered_ids() -> None:
    pa, pb = prepare(Article("a", _story(0))), prepare(Article("b", _story(0)))
    with pytest.raises(ValueError):
        relate(pb, pa, align(pb, pa), _story(0), _story(0))


def test_parse_date_and_date_order() -> None:
    assert parse_date("2017-07-04") == date(2017, 7, 4)
    assert parse_date("2017-07-04T13:18:00Z") == datetime(2017, 7, 4, 13, 18)
    assert parse_date(None) is None and parse_date("") is None and parse_date("soon") is None
    assert date_order("2017-07-04", "2017-07-05") == -1
    assert date_order("2017-07-05", "2017-07-04") == 1
    assert date_order("2017-07-04", "2017-07-04T23:59") == 0
    assert date_order("2017-07-04", None) == 0


def test_quoted_excerpt_of_the_other_article_is_reuse() -> None:
    """A feature quoting a paragraph of another story verbatim, inside quotation marks, has
    reused it: only a quotation that *both* articles quote is discounted."""
    para = STORY[1]
    host = Article("a", OTHER[0] + "\n\nAs one report put it: \u201c" + para + "\u201d\n\n" + OTHER[1])
    source = Article("b", _story(0) + "\n\n" + para + "\n\n" + _story(2))
    p = _pair(host, source)
    assert p is not None and p.relation == "partial"


def test_dates_with_offsets_and_other_forms() -> None:
    from copydesk.relate import date_order, parse_date, usable_date

    # 09:00 UTC is after 10:00+02:00 (08:00 UTC)
    assert date_order("2017-07-04T09:00+00:00", "2017-07-04T10:00+02:00") == 1
    assert parse_date("4 July 2017") == parse_date("2017-07-04")
    assert date_order("Tue, 04 Jul 2017 09:00:00 +0200", "2017-07-04T08:30:00Z") == -1  # 07:00 UTC
    assert usable_date("not a date") is False and usable_date("") is None
    assert date_order("not a date", "2017-07-04") == 0


def test_conflicting_text_evidence_gives_no_origin() -> None:
    text = ("The World Health Organisation said {when} that it would send a further 200 doctors to "
            "the region, as the number of cases reported in the past week rose to more than 1,400 "
            "and aid agencies warned of shortages of clean water and medicine in the camps.")
    # the side with the weekday has no dateline, the side with "yesterday" has one
    a = Article("a", text.format(when="on Tuesday"))
    b = Article("b", "GENEVA (CNS) - " + text.format(when="yesterday"))
    pair = _pair(a, b)
    assert pair is not None and pair.origin is None and pair.origin_reason is None


def test_a_quotation_with_chance_words_around_it_is_still_one_quotation() -> None:
    """Word-by-word extension can take in a word of the paragraphs around a shared quotation
    ("says." before it, "The" after it); it is still one quotation, not reuse."""
    quote = ('"We have delivered another year of solid progress and remain confident in the '
             'long-term prospects for the group, despite a more uncertain economic outlook,"')
    a = Article("a", STORY[0] + " The bank says.\n\n" + quote + " a spokesman said.\n\nThe " + STORY[2])
    b = Article("b", STORY[1] + " He says.\n\n" + quote + " a spokesman said.\n\nThe " + STORY[3])
    assert _pair(a, b) is None


MENU = "News | Politics | Business | Money | Sport | Life & Style | Travel | Opinion"


def test_a_reprint_differing_only_by_leftover_furniture_lines_is_a_duplicate() -> None:
    """Whole short lines that only one page has and that are not sentences (a caption with
    its credit, a byline, a most-read entry) are furniture: the story is the same, word for
    word, so the pair is a duplicate; a short sentence added to the story is an edit."""
    story = _story(0, 1, 2, 3)
    wire = Article("a", story)
    page = Article("b", "\n".join(["The stadium on match day. Photo: Rex Features", "By Andrew Haldane",
                                   story, "1 Wales fly-half happy with heroics"]))
    p = _pair(wire, page)
    assert p is not None and p.relation == "duplicate"
    added = Article("b", story + "\nShares in the group closed two per cent higher.")
    p = _pair(wire, added)
    assert p is not None and p.relation == "near_duplicate"
    edited = Article("b", story.replace("a ", "one ", 1))
    assert _pair(wire, edited).relation != "duplicate"


def test_a_wire_copy_opens_with_its_dateline_a_page_with_its_menu() -> None:
    from copydesk.relate import has_dateline

    assert has_dateline(f"GENEVA (CNS) - {STORY[0]}")
    assert not has_dateline(f"{MENU}\nGENEVA (CNS) - {STORY[0]}")
    assert not has_dateline(f"{STORY[0]}\nGENEVA (CNS) - {STORY[1]}")


def test_a_quoted_paragraph_with_a_quote_inside_is_not_one_quotation() -> None:
    """'"It would be wary of …, to be "distracted by …' opens with a quotation mark, but the
    next mark opens another quotation (no punctuation before it): the paragraph is not one
    quotation with a short attribution after it."""
    from copydesk.relate import _only_a_quotation

    para = ('"It would be wary of the offer, I think, and people see that they chose to be '
            '"distracted by the rest of its loans.')
    assert not _only_a_quotation(para, 0, len(para))
    quote = '"We expect the economy to recover strongly in the second half of the year," the economist said.'
    assert _only_a_quotation(quote, 0, len(quote))


def _reworded(coverage_a: float, coverage_b: float, length_a: int, length_b: int, kind: str):
    """An alignment of two texts of these lengths (no furniture) whose passages cover the
    given shares, all of ``kind``."""
    import numpy as np

    from copydesk.align import Alignment
    from copydesk.records import Passage

    n = 4
    ca, cb = int(coverage_a * length_a) // n, int(coverage_b * length_b) // n
    passages = tuple(Passage(i * ca, (i + 1) * ca, i * cb, (i + 1) * cb, kind) for i in range(n))
    return Alignment(np.zeros((0, 4), np.int64), passages, (n * ca) / length_a, (n * cb) / length_b)


@pytest.mark.parametrize(("cov", "lengths", "kind", "expected"), [
    ((0.74, 0.78), (2000, 1900), "paraphrase", "near_duplicate"),  # a whole story reworded
    ((0.74, 0.78), (2000, 1900), "verbatim", "contained"),         # exact text: coverage is exact
    ((0.74, 0.95), (2000, 1400), "paraphrase", "contained"),       # one text condensed
    ((0.60, 0.78), (2000, 1900), "paraphrase", "contained"),       # one side keeps text of its own
])
def test_a_whole_story_reworded_is_a_near_duplicate(cov, lengths, kind, expected) -> None:
    from copydesk.relate import relation

    a = prepare(Article(id="a", text="x"))
    b = prepare(Article(id="b", text="y"))
    al = _reworded(*cov, *lengths, kind)
    assert relation(a, b, al, RelateConfig()) == expected


def test_a_dateline_garbled_by_invisible_characters_is_still_a_dateline() -> None:
    from copydesk.relate import has_dateline

    assert has_dateline(f"MANCH\u00adESTER (APA) - {STORY[0]}")
    assert has_dateline(f"GEN\u200bEVA (CNS) - {STORY[0]}")
    assert not has_dateline(f"{MENU}\nGEN\u00adEVA (CNS) - {STORY[0]}")


def test_yesterday_that_opens_the_sentence_before_a_passage_still_dates_it() -> None:
    """A reprint turns "On Thursday, <sentence>" into "Yesterday, <sentence>": the words that
    differ open the sentence, so the exact passage starts after them; the sentence still says
    which side is older."""
    story = _story(0, 1, 2, 3)
    wire = Article("a", "On Thursday, " + story[0].lower() + story[1:])
    page = Article("b", "Yesterday, " + story[0].lower() + story[1:])
    pair = _pair(wire, page)
    assert pair is not None and (pair.origin, pair.origin_reason) == ("a", "time_words")
    swapped = _pair(Article("a", page.text), Article("b", wire.text))
    assert swapped is not None and (swapped.origin, swapped.origin_reason) == ("b", "time_words")


@pytest.mark.parametrize("notice", [
    "Northern Counties League results: Friday 26 March (corrected)",
    "CORRECTED-House prices rise 1.2% in November",
    "(Corrects figure in paragraph 2)",
    "Correction: an earlier version of this story gave the wrong date.",
    "This article was amended on 4 July 2017 to correct a figure.",
])
def test_a_correction_notice_marks_the_later_reissue(notice: str) -> None:
    story = _story(0, 1, 2, 3)
    first = Article("a", story)
    corrected = Article("b", notice + "\n" + story if not notice.startswith("(") else story + "\n" + notice)
    pair = _pair(first, corrected)
    assert pair is not None and (pair.origin, pair.origin_reason) == ("a", "correction")
    swapped = _pair(Article("a", corrected.text), Article("b", first.text))
    assert swapped is not None and (swapped.origin, swapped.origin_reason) == ("b", "correction")


def test_a_correction_word_in_running_text_or_in_furniture_is_not_a_notice() -> None:
    from copydesk.relate import has_correction

    story = _story(0, 1, 2, 3)
    for text in (story, "Corrected figures show the deficit was smaller than thought.\n" + story,
                 story + "\nThe bank said the error had been corrected."):
        assert not has_correction(prepare(Article("a", text)), text)
    # a line set aside as furniture (another page's corrected headline in a list) is not
    text = "CORRECTED: Weather forecast for London\n" + story
    p = prepare(Article("a", text))
    assert has_correction(p, text)
    p.boiler[p.line_first[0]:p.line_first[1]] = True
    assert not has_correction(p, text)
def _has_dateline_split(text: str) -> bool:
    """has_dateline as first written (the first 32 lines, split)."""
    from copydesk.prepare import _DATELINE
    for n, line in enumerate(text.split("\n", 40)[:40]):
        if len(line.split()) >= 8:
            return bool(_DATELINE.match(line))
        if n > 30:
            break
    return False


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["", "Home | News", "GENEVA (CNS) - " + STORY[0], STORY[1], "a b c d e f g h",
                                 "LONDON (AP) - one two", "\n"]), max_size=40))
def test_has_dateline_reads_the_first_lines_as_split_does(lines: list[str]) -> None:
    from copydesk.relate import has_dateline
    text = "\n".join(lines)
    assert has_dateline(text) == _has_dateline_split(text)


def _is_reuse_sorted(al: object, text_a: str, text_b: str, cfg: RelateConfig) -> bool:
    """is_reuse as first written: every passage in order of length."""
    from copydesk.relate import _only_a_quotation
    passages = al.passages  # type: ignore[attr-defined]
    sizes = [min(p.a_end - p.a_start, p.b_end - p.b_start) for p in passages]
    longest = max(sizes, default=0)
    floors = longest >= cfg.min_reuse_chars and sum(sizes) >= cfg.min_total_chars
    whole = max(al.coverage_a, al.coverage_b) >= cfg.short_whole and longest >= cfg.short_min_chars  # type: ignore[attr-defined]
    if not (floors or whole):
        return False
    need = cfg.short_min_chars if whole else cfg.min_reuse_chars
    for n in sorted(range(len(sizes)), key=lambda n: -sizes[n]):
        if sizes[n] < need:
            return False
        p = passages[n]
        if not (_only_a_quotation(text_a, p.a_start, p.a_end) and _only_a_quotation(text_b, p.b_start, p.b_end)):
            return True
    return False


_QUOTED = '"The plan will cost more than anyone expected and deliver less," the minister said.'


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 200)), max_size=5), st.floats(0, 1),
       st.integers(1, 120), st.integers(1, 60))
def test_is_reuse_as_the_sorted_reading(passages: list[tuple[int, int]], cover: float, floor: int,
                                        short: int) -> None:
    from copydesk.align import Alignment
    from copydesk.records import Passage
    pieces = [_QUOTED, STORY[0], _QUOTED + " " + STORY[1], "\n" + _QUOTED]
    text = "\n".join(pieces)
    at = [text.index(p) for p in pieces]
    ps = tuple(Passage(at[k], min(at[k] + n, len(text)), at[k], min(at[k] + n, len(text))) for k, n in passages)
    al = Alignment(np.zeros((len(ps), 4), np.int64), ps, cover, cover / 2)
    cfg = RelateConfig(min_reuse_chars=floor, short_min_chars=short)
    assert is_reuse(al, text, text, cfg) == _is_reuse_sorted(al, text, text, cfg)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["alpha", "beta", "Gamma", "delta", "2024", "(c)", "—", "\n"]), max_size=30),
       st.lists(st.sampled_from(["alpha", "beta", "Gamma", "delta", "2024", "(c)", "—", "\n"]), max_size=30))
def test_same_content_keys_is_array_equal_of_the_content_keys(xs: list[str], ys: list[str]) -> None:
    from copydesk.relate import _content_keys, _same_content_keys

    a = prepare(Article("a", "Share this\n" + " ".join(xs) + "\nComments"))
    b = prepare(Article("b", " ".join(ys) + "\nFollow us"))
    for x, y in ((a, b), (a, a), (b, a)):
        assert _same_content_keys(x, y) == np.array_equal(_content_keys(x), _content_keys(y))


_DATE_PARTS = ["2017", "-", "07", "04", "T", "09", ":", "00", "Z", "+02:00", "+00:00", " ", "13", "0001", "9999",
               "31", "12", "00", ".5", "4 July", "July 4,", "Tue,", "x", "\u0663", "\u00a0", "W01", "-1"]


@pytest.mark.filterwarnings("ignore:tzname")  # dateutil on the odd forms
@settings(max_examples=500, deadline=None)
@given(st.one_of(st.none(), st.lists(st.sampled_from(_DATE_PARTS), max_size=7).map("".join), st.text(max_size=12)))
def test_usable_date_is_the_reference(value: str | None) -> None:
    # the ISO fast path says what parse_date says (or raises what it raises)
    from copydesk.relate import usable_date, usable_date_reference

    try:
        want: object = usable_date_reference(value)
    except (OverflowError, ValueError) as err:
        want = type(err)
    try:
        got: object = usable_date(value)
    except (OverflowError, ValueError) as err:
        got = type(err)
    assert got == want


@pytest.mark.parametrize("reworded_only", [False, True])
def test_judge_with_the_paraphrase_stage_found_beforehand_is_judge(reworded_only: bool) -> None:
    """``paired`` (BatchSentences.paraphrase_many, one call a chunk) gives the verdicts judge
    reaches by searching each pair itself: reworded copies, copies of a story with other text
    around it, partial copies, unrelated stories."""
    from copydesk.align import align_batch
    from copydesk.config import ParaphraseConfig
    from copydesk.paraphrase import BatchSentences
    from copydesk.prepare_batch import prepare_batch
    from copydesk.relate import judge
    from test_paraphrase import INDEPENDENT, LIGHT, SOURCE
    texts = [SOURCE, LIGHT, INDEPENDENT, SOURCE + "\n\n" + _story(0, 1), _story(0, 1, 2, 3), _story(0, 2, 3),
             LIGHT + "\n\n" + _story(1, 2), SOURCE + "\n\n" + " ".join(OTHER)]
    batch = prepare_batch([Article(f"a{n}", t) for n, t in enumerate(texts)])
    left = np.array([x for x in range(len(texts)) for y in range(x + 1, len(texts))], np.int64)
    right = np.array([y for x in range(len(texts)) for y in range(x + 1, len(texts))], np.int64)
    aligned = align_batch(batch, left, right, kinds=True)
    cfg = ParaphraseConfig()
    table = BatchSentences(batch, cfg.min_words)
    found = table.paraphrase_many(left, right, [al.spans for al in aligned], cfg)
    verdicts = []
    for x, y, al, f in zip(left.tolist(), right.tolist(), aligned, found, strict=True):
        a, b = batch.prepared(x), batch.prepared(y)
        args = (a, b, al, texts[x], texts[y])
        want = judge(*args, paraphrase=cfg, reworded_only=reworded_only, marked=True)
        got = judge(*args, paraphrase=cfg, reworded_only=reworded_only, marked=True, paired=f)
        assert got == want
        verdicts.append(want if isinstance(want, str) else want.relation)
    assert len(set(verdicts)) > 1
    # pairs with sentence spans outside the exact passages, and with all of them inside
    assert any(n for _, n in found) and any(len(s) and not n for s, n in found)
