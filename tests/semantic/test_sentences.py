"""Sentences paired by embeddings: rewrites are paired, a report of the same event is not."""

from __future__ import annotations

import numpy as np
from semantic_texts import OTHER, REPORT, REWRITE, SOURCE, SUMMARY

from copydesk.config import SemanticConfig
from copydesk.paraphrase import sentences
from copydesk.prepare import prepare
from copydesk.records import Article
from copydesk.semantic.sentences import (
    fact_share,
    is_summary,
    keeps_facts_both_ways,
    one_to_one,
    restates,
    semantic_spans,
    words_found,
)


def _pair(x: str, y: str, config: SemanticConfig | None = None) -> np.ndarray:
    a, b = Article("a", x), Article("b", y)
    return semantic_spans(prepare(a), prepare(b), a.text, b.text, config or SemanticConfig(enabled=True))


def test_a_rewrite_is_paired_sentence_by_sentence() -> None:
    spans = _pair(SOURCE, REWRITE)
    assert len(spans) >= 3


def test_a_story_on_a_neighbouring_subject_is_not() -> None:
    assert not len(_pair(SOURCE, OTHER))


def test_one_to_one_takes_the_best_first_and_each_sentence_once() -> None:
    score = np.array([[0.9, 0.8], [0.85, 0.1]])
    ok = score > 0.5
    assert one_to_one(score, ok).tolist() == [[0, 0]]  # (1, 0) and (0, 1) reuse a sentence
    score = np.array([[0.9, 0.8], [0.85, 0.7]])
    assert one_to_one(score, score > 0.5).tolist() == [[0, 0], [1, 1]]
    assert one_to_one(score, np.zeros_like(score, bool)).shape == (0, 2)


def _facts(x: str, y: str) -> tuple[float, int]:
    a, b = Article("a", x), Article("b", y)
    return fact_share(sentences(prepare(a), x), sentences(prepare(b), y))


def test_a_rewrite_keeps_the_facts_of_its_source() -> None:
    share, facts = _facts(SOURCE, REWRITE)
    assert facts >= 5 and share >= SemanticConfig().min_fact_share


def test_a_report_of_the_same_event_brings_facts_of_its_own() -> None:
    share, facts = _facts(SOURCE, REPORT)
    assert facts >= 5 and share < SemanticConfig().min_fact_share
    assert not len(_pair(SOURCE, REPORT))


def test_fact_share_is_measured_on_the_shorter_text() -> None:
    # the rewrite is the shorter: its facts are all in the source, whatever the source adds
    longer = SOURCE + "\nFinance minister Erik Dahl, Lars Berg and Nils Ek met in Uppsala on 3 May."
    assert _facts(longer, REWRITE)[0] == _facts(REWRITE, longer)[0] >= _facts(SOURCE, REWRITE)[0] - 1e-9


def test_a_template_instance_with_other_figures_is_not_a_rewrite() -> None:
    one = "\n".join(f"Shares in Norbank rose {n}% to {n + 10} crowns on Monday, and Eastbank gained {n + 1}% to {n + 20}."
                    for n in (3, 5, 7))
    two = "\n".join(f"Shares in Westbank rose {n}% to {n + 10} crowns on Monday, and Southbank gained {n + 1}% to {n + 20}."
                    for n in (11, 13, 17))
    share, facts = _facts(one, two)
    assert facts >= 5 and share < SemanticConfig().min_fact_share
    assert not len(_pair(one, two))


def _is_summary(x: str, y: str) -> bool:
    a, b = Article("a", x), Article("b", y)
    return is_summary(prepare(a), prepare(b), *_facts(x, y), SemanticConfig())


def test_a_summary_is_short_and_keeps_its_sources_facts() -> None:
    assert _is_summary(SOURCE, SUMMARY) and _is_summary(SUMMARY, SOURCE)
    assert not _is_summary(SOURCE, REWRITE)  # a rewrite of the whole story keeps its length
    # as short, but with facts of its own: a story of its own on the subject
    own = "\n".join(REPORT.splitlines()[:2])
    assert not _is_summary(SOURCE, own)


def test_a_summary_is_compared_at_the_summary_cosine() -> None:
    # the whole-story cosine out of reach: only a summary can pass, at its own threshold
    strict = SemanticConfig(enabled=True, min_article_cosine=1.0, min_summary_cosine=0.5)
    assert len(_pair(SOURCE, SUMMARY, strict)) >= 2
    assert not len(_pair(SOURCE, REWRITE, strict))
    assert not len(_pair(SOURCE, SUMMARY, SemanticConfig(enabled=True, min_article_cosine=1.0,
                                                         min_summary_cosine=1.0)))


def _both_ways(x: str, y: str) -> bool:
    a, b = Article("a", x), Article("b", y)
    pa, pb = prepare(a), prepare(b)
    return keeps_facts_both_ways(pa, pb, sentences(pa, x), sentences(pb, y), SemanticConfig())


#: as long as SOURCE, and each of its own facts is one of SOURCE's, so the one-way test
#: (on the text with fewer content words) passes: but it leaves out most of SOURCE's facts
#: and tells the day from another angle
FOLLOW_UP = """The central bank said on Thursday that it would publish the minutes of its meeting in a fortnight, as is usual.
The bank's board met for two days, and the decision was taken by a majority of its members after a long debate.
Some members had wanted to wait for more figures on wages and on spending in the shops before they acted.
Most households are expected to feel the change only slowly, as many have loans on fixed terms for several years.
The next meeting of the board is due in six weeks, when the bank will also publish its report on the banks."""


def test_texts_of_one_length_must_keep_each_others_facts() -> None:
    assert _both_ways(SOURCE, REWRITE) and _both_ways(REWRITE, SOURCE)
    share, facts = _facts(SOURCE, FOLLOW_UP)  # one way, from the text with fewer words: passes
    assert facts < 5 or share >= SemanticConfig().min_fact_share
    assert not _both_ways(SOURCE, FOLLOW_UP) and not _both_ways(FOLLOW_UP, SOURCE)
    assert not len(_pair(SOURCE, FOLLOW_UP))
    assert _both_ways(SOURCE, SUMMARY)  # a summary is tested one way only (is_summary)


#: summary-shaped against SOURCE and on its subject (its bank, its governor), but in words
#: of its own: a short profile of the governor, no restatement of the story
PROFILE = """Anna Lindqvist has led the central bank for six years, after a career teaching economics.
Colleagues call the governor cautious and plain-spoken; she cycles to work whatever the weather."""


def _restates(x: str, y: str) -> bool:
    pa, pb = prepare(Article("a", x)), prepare(Article("b", y))
    return restates(pa, pb, sentences(pa, x), sentences(pb, y), SemanticConfig())


def test_a_summary_restates_its_source_in_its_words() -> None:
    assert _restates(SOURCE, SUMMARY) and _restates(SUMMARY, SOURCE)
    assert not _restates(SOURCE, PROFILE) and not _restates(PROFILE, SOURCE)
    assert _restates(SOURCE, REWRITE)  # one length: tested by keeps_facts_both_ways instead
    share = words_found(sentences(prepare(Article("p", PROFILE)), PROFILE),
                        sentences(prepare(Article("s", SOURCE)), SOURCE))
    assert 0 < share < SemanticConfig().min_summary_word_share
    assert not len(_pair(SOURCE, PROFILE))
