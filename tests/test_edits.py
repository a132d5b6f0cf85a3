"""Edits inside passages: template instances are not reuse, a re-issue is; time words
tell which side is older."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from copydesk.align import align
from copydesk.edits import (
    _edited_regions,
    _regions,
    boundary_edits,
    is_template_pair,
    slip_kind,
    summarize,
    template_pair,
    time_words,
)
from copydesk.prepare import prepare
from copydesk.records import Article
from copydesk.relate import judge

SKELETON = ("The winning numbers in {day}'s Midweek Millions draw were {n1}, {n2}, {n3}, {n4}, {n5} and {n6}. "
            "The bonus ball was {b}.\n\nThere was no jackpot winner, and the {pot} prize rolls over to the "
            "next draw, when it is expected to reach {next}.\n\nPlayers matching five numbers plus the bonus "
            "ball win {p5b}; five numbers win {p5}. Ticket holders have 180 days to claim their prizes.")
DRAW_1 = dict(day="Tuesday", n1=9, n2=11, n3=24, n4=25, n5=32, n6=38, b=4, pot="£5.9m", next="£8.1m",
              p5b="£51,521", p5="£2,157")
DRAW_2 = dict(day="Saturday", n1=7, n2=21, n3=23, n4=28, n5=34, n6=44, b=12, pot="£3.6m", next="£6.2m",
              p5b="£85,744", p5="£1,382")


def _judge(a: Article, b: Article) -> object:
    pa, pb = prepare(a), prepare(b)
    return judge(pa, pb, align(pa, pb), a.text, b.text)


def test_two_instances_of_a_template_are_not_reuse() -> None:
    a = Article("a", SKELETON.format(**DRAW_1))
    b = Article("b", SKELETON.format(**DRAW_2))
    assert _judge(a, b) == "template"


def test_a_reissue_and_a_correction_of_one_instance_are_reuse() -> None:
    a = Article("a", SKELETON.format(**DRAW_1))
    same = Article("b", SKELETON.format(**DRAW_1))
    fixed = Article("c", "CORRECTED\n\n" + SKELETON.format(**{**DRAW_1, "p5": "£2,517"}))
    assert _judge(a, same).relation == "duplicate"  # type: ignore[union-attr]
    assert _judge(a, fixed).relation in ("duplicate", "near_duplicate")  # type: ignore[union-attr]


TRAFFIC = ("Drivers on the {road} {way} are facing delays of around {delay} minutes between junctions {j1} and {j2} "
           "after {cause}.\n\nOn the {road2}, {lanes} closed near {town} for {work}. {rail} services between "
           "{t1} and {t2} are running up to {late} minutes late.\n\nListen for updates every 20 minutes, or "
           "check the latest conditions before you set off.")
JAM_1 = dict(road="M5", way="westbound", delay=20, j1=17, j2=18, cause="emergency repairs to the carriageway",
             road2="A30", lanes="one lane is", town="Stanley", work="resurfacing work", rail="Westline Trains",
             t1="Elmley", t2="Ingleton", late=15)
JAM_2 = dict(road="M5", way="southbound", delay=90, j1=16, j2=17, cause="a fuel spillage", road2="A38",
             lanes="two lanes are", town="Dunstead", work="gas main work", rail="Midland Express", t1="Holcombe",
             t2="Kelbury", late=30)


def test_a_short_template_whose_passages_stop_at_its_slots_is_not_reuse() -> None:
    """Two instances of a short template share one fixed line and a skeleton sentence with
    two slot edits inside it; the passage stops at the next slot ("junctions | 17" against
    "| 16"): that edge is a slot edit too, so the skeleton shows enough of them."""
    a = Article("a", TRAFFIC.format(**JAM_1))
    b = Article("b", TRAFFIC.format(**JAM_2))
    pa, pb = prepare(a), prepare(b)
    spans = align(pa, pb).spans
    assert boundary_edits(pa, pb, spans, a.text, b.text)[1] >= 1
    assert _judge(a, b) == "template"
    fixed = Article("c", TRAFFIC.format(**{**JAM_1, "late": 25}))  # a correction of one figure
    assert _judge(a, fixed) != "template"


def test_a_passage_that_ends_with_its_sentence_or_at_a_respelling_stops_at_no_slot() -> None:
    story = ("Officials in Raqqa said the coalition would keep up its strikes on the city. The offensive "
             "reached the Old City on Tuesday, where fighters have held out since June last year.")
    for other in (story.replace("Raqqa said", "Raqa said"),          # a respelling at the edge
                  story.replace("The offensive", "Our reporter adds that the offensive")):  # a new sentence
        pa, pb = prepare(Article("a", story)), prepare(Article("b", other))
        spans = align(pa, pb).spans
        assert boundary_edits(pa, pb, spans, story, other)[1] == 0


def test_respellings_are_not_slots() -> None:
    text = ("Forces loyal to the government of Raqqa province said the offensive on Tuesday had "
            "reached the Old City, where Islamic State fighters have held out since June. Officials "
            "in Raqqa said the coalition would keep up its strikes on Raqqa and around Tabqa.")
    a = Article("a", text)
    b = Article("b", text.replace("Raqqa", "Raqa").replace("Tabqa", "Tabka"))
    pa, pb = prepare(a), prepare(b)
    s = summarize(pa, pb, align(pa, pb).spans, a.text, b.text)
    assert s.edits >= 2 and s.slot_edits == 0 and not is_template_pair(s)


def test_weekday_against_yesterday_names_the_older_side() -> None:
    text = ("GENEVA (CNS) - The World Health Organisation said {when} that it would send a further "
            "200 doctors to the region, as the number of cases reported in the past week rose to "
            "more than 1,400 and aid agencies warned of shortages of clean water and medicine.")
    wire = Article("wire", text.format(when="on Tuesday"))
    paper = Article("paper", text.format(when="yesterday").removeprefix("GENEVA (CNS) - "))
    pair = _judge(paper, wire)
    assert pair.origin == "wire" and pair.origin_reason in ("time_words", "dateline")  # type: ignore[union-attr]
    pa, pb = prepare(paper), prepare(wire)
    assert summarize(pa, pb, align(pa, pb).spans, paper.text, wire.text).older == -1


def test_slip_kinds() -> None:
    assert slip_kind("cleorly", "clearly") == "ocr"          # look-alike glyphs
    assert slip_kind("children'5", "children's") == "ocr"
    assert slip_kind("Blairwill", "Blair will") == "ocr"    # run together
    assert slip_kind("dunki- ng", "dunking") == "ocr"
    assert slip_kind("Shefield", "Sheffield") == "letters"  # a respelling, or a dropped letter
    assert slip_kind("organisation", "organization") == "letters"
    assert slip_kind("$6bn", "$5bn") is None                # a figure changed
    assert slip_kind("very worried", "deeply concerned") is None


def test_a_noisy_copy_is_a_duplicate_a_respelled_one_is_not() -> None:
    """Scanner noise does not change what was reused; a copy desk's respellings do."""
    from copydesk.records import Pair
    from copydesk.relate import relate

    text = ("The regional council said on Tuesday that it would close three libraries and a "
            "swimming pool next year to save money, despite protests from residents and staff.\n"
            "A spokesman said the decision had been clearly explained to the people of Sheffield "
            "and that the children's services would not be affected by the closures.")
    noisy = text.replace("clearly", "cleorly").replace("children's", "children'5").replace("would close", "wouldclose")
    respelled = text.replace("Sheffield", "Shefield").replace("council", "Council").replace("save money", "save mony")

    def rel(x: str, y: str) -> str:
        pa, pb = prepare(Article("a", x)), prepare(Article("b", y))
        pair = relate(pa, pb, align(pa, pb), x, y)
        assert isinstance(pair, Pair)
        return pair.relation

    assert rel(text, noisy) == "duplicate"
    assert rel(text, respelled) == "near_duplicate"


_WORDS = ["the", "council", "said", "on", "Tuesday", "Monday", "yesterday", "42", "1,400", "Smith", "Jones",
          "water", "report", "rose", "by", "7", "Raqqa", "Raqa", "organisation", "organization"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=60),
       st.lists(st.tuples(st.integers(0, 59), st.sampled_from([*_WORDS, ""])), max_size=15),
       st.lists(st.integers(0, 60), max_size=4))
def test_template_pair_and_time_words_as_summarize_says(words: list[str], edits: list[tuple[int, str]],
                                                         cuts: list[int]) -> None:
    other = list(words)
    for at, word in edits:  # replace, drop ("") or insert words
        at = min(at, len(other))
        if word and at % 2:
            other.insert(at, word)
        elif at < len(other):
            other[at:at + 1] = [word] if word else []
    x, y = " ".join(words), " ".join(other)
    pa, pb = prepare(Article("a", x)), prepare(Article("b", y))
    na, nb = len(pa.tokens.hash), len(pb.tokens.hash)
    bounds = sorted({0, *(c for c in cuts if c < min(na, nb))})  # passages cut at the same places
    spans = np.array([[s, e, s, f] for s, e, f in zip(bounds, bounds[1:] + [na], bounds[1:] + [nb], strict=True)
                      if e > s and f > s], np.int64).reshape(-1, 4)
    s = summarize(pa, pb, spans, x, y)
    assert template_pair(pa, pb, spans, x, y) == is_template_pair(s)
    assert template_pair(pa, pb, spans, x, y, min_slot_edits=1, max_mean_run=3.0) == \
        is_template_pair(s, min_slot_edits=1, max_mean_run=3.0)
    assert time_words(pa, pb, spans) == s.older


@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(-1, 4)), max_size=6),
       st.lists(st.integers(0, 4), max_size=40), st.booleans())
def test_edited_regions_are_the_regions_of_the_opcodes(x: list[int], edits: list[tuple[int, int]], z: list[int],
                                                       unrelated: bool) -> None:
    y = list(z) if unrelated else list(x)
    for at, word in edits:  # -1 drops a word, else replaces or inserts one
        at = min(at, len(y))
        if word < 0:
            del y[at:at + 1]
        elif at % 2:
            y.insert(at, word)
        else:
            y[at:at + 1] = [word]
    got = _edited_regions(np.array(x, np.uint64), np.array(y, np.uint64))
    assert got == _regions(Levenshtein.opcodes(x, y))


def _one_edit(x: str, y: str) -> bool:
    """Is the single edited region between ``x`` and ``y`` a slot?"""
    from copydesk.edits import _slot

    pa, pb = prepare(Article("a", x)), prepare(Article("b", y))
    ha, hb = pa.tokens.hash.tolist(), pb.tokens.hash.tolist()
    (sa, ea, sb, eb, _), = [r for r in _regions(Levenshtein.opcodes(ha, hb)) if not r[4]]
    return _slot(pa, x, sa, ea, pb, y, sb, eb)


def test_a_figure_re_expressed_is_no_slot_another_figure_is() -> None:
    say = "Shares in the firm rose {} in early trading on the news."
    assert not _one_edit(say.format("1pc"), say.format("1%"))
    assert not _one_edit(say.format("by 7.4 billion"), say.format("by 7.4bn"))
    assert _one_edit(say.format("1pc"), say.format("2pc"))
    assert _one_edit(say.format("by 7.4 billion"), say.format("by 7.9bn"))


def test_a_slot_filled_with_more_words_is_one_slot_edit() -> None:
    say = "Prices were highest in {}, at £242,243, and lowest in the north east of the country."
    x, y = say.format("Scotland"), say.format("Northern Ireland")
    assert _one_edit(x, y)  # one region: the insert and the replace beside it
    pa, pb = prepare(Article("a", x)), prepare(Article("b", y))
    s = summarize(pa, pb, align(pa, pb).spans, x, y)
    assert (s.edits, s.slot_edits) == (1, 1)


def test_an_ocr_slip_keeps_the_glyphs_another_word_does_not() -> None:
    say = "The council said {} plans would be published in the spring after a review."
    assert not _one_edit("The plans for the town.", "The plans fcr the town.")  # o read as c
    assert not _one_edit(say.format("its annual"), say.format("its onnual"))   # a read as o
    assert not _one_edit(say.format("its annual"), say.format("its annuel"))   # a read as e
    assert _one_edit(say.format("its annual"), say.format("its revised"))


WEATHER = ("{town} will see {sky} on Tuesday, with maximum temperatures of {hi} and overnight lows of {lo}.\n\n"
           "Winds will be {wind} and {force}, gusting up to {gust} mph on exposed coasts. There is a 45% chance "
           "of rain in the afternoon.\n\nSunrise is at {up} and sunset at {down}. The outlook for Wednesday is "
           "{next}, with temperatures little changed.")
SKY_1 = dict(town="Ashmouth", sky="heavy cloud with outbreaks of drizzle spreading from the west through the morning", hi="26C (79F)", lo="14C (57F)", wind="south-westerly",
             force="strong", gust=36, up="6:35", down="18:43", next="thundery downpours")
SKY_2 = dict(town="Ashmouth", sky="sunshine and scattered showers, some of them heavy and thundery by the evening", hi="17C (63F)", lo="9C (48F)",
             wind="north-westerly", force="moderate", gust=54, up="5:05", down="18:04", next="fog patches clearing")


def test_a_template_whose_slots_are_words_and_figures_is_not_reuse() -> None:
    """Weather reports: the slots hold figures, and words (the sky, the wind's force): a
    passage that stops at "morning | on Tuesday" against "evening | on Tuesday" has met a
    slot as much as one that stops at a figure; most slots are still values."""
    a, b = Article("a", WEATHER.format(**SKY_1)), Article("b", WEATHER.format(**SKY_2))
    pa, pb = prepare(a), prepare(b)
    edits, slots, values = boundary_edits(pa, pb, align(pa, pb).spans, a.text, b.text)
    assert edits == slots == 1 and values == 0  # "morning | on Tuesday" against "evening | on Tuesday"
    assert _judge(a, b) == "template"
    fixed = Article("c", WEATHER.format(**{**SKY_1, "gust": 38}))  # a correction of one figure
    assert _judge(a, fixed) != "template"


def test_a_rewrite_that_swaps_words_but_keeps_the_figures_is_no_template() -> None:
    """A copy desk's rewording replaces words by other words (synonyms), which look like
    slots; but a template's slots are mostly values (figures, names), and a rewrite keeps
    its figures: the figures re-expressed ("$3.8m" -> "3.8 million dollars") are no slots."""
    x = ("Krispy Kreme Doughnuts have taken a dunking on Wall Street after the firm revealed it would have to "
         "restate its profits by $3.8m to $4.9m. Shares fell to close at $10.48 on the news, and the revelation "
         "comes just a month after the firm said it was facing an inquiry into its accounts.")
    y = ("Krispy Kreme Doughnuts saw its shares dunked on Wall Street after the company disclosed it would need to "
         "restate its profits by 3.8 million to 4.9 million dollars. Shares fell to close at 10.48 dollars, and the "
         "disclosure comes only a month after the company said it was under an inquiry into its accounts.")
    pa, pb = prepare(Article("a", x)), prepare(Article("b", y))
    s = summarize(pa, pb, align(pa, pb).spans, x, y)
    assert s.slot_edits >= 3 and s.value_edits * 2 < s.slot_edits and not is_template_pair(s)
    assert not template_pair(pa, pb, align(pa, pb).spans, x, y)
