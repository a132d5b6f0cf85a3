"""One sentence against a run of the other text's: a summary's sentence merges its source's."""

from __future__ import annotations

import numpy as np
from semantic_texts import SOURCE

from copydesk.config import SemanticConfig
from copydesk.paraphrase import sentences
from copydesk.prepare import prepare
from copydesk.records import Article
from copydesk.semantic.merged import window_pairs
from copydesk.semantic.sentences import _sentence_vectors, mutual_pairs, semantic_spans

#: the first two sentences of SOURCE condensed into one, its facts all from them
MERGED = ("Governor Anna Lindqvist blamed dearer food and energy as the central bank raised "
          "its main rate by half a point to 4.5%, its first increase in three years.")
#: the same, naming a fact the run does not have
MERGED_NEW_FACT = ("Governor Anna Lindqvist told Parliament in Uppsala that dearer food and energy made "
                   "the central bank raise its main rate by half a point to 4.5%.")


def _windows(x: str, y: str) -> np.ndarray:
    a, b = Article("a", x), Article("b", y)
    pa, pb = prepare(a), prepare(b)
    sa, sb = sentences(pa, x), sentences(pb, y)
    va, vb = _sentence_vectors(pa, x, 4), _sentence_vectors(pb, y, 4)
    cfg = SemanticConfig()
    return window_pairs(sa, va, sb, vb, np.zeros(len(sa.first), bool), np.zeros(len(sb.first), bool),
                        min_cosine=cfg.min_sentence_cosine, min_dice=cfg.min_shared_words,
                        min_fact_share=cfg.min_fact_share)


def test_a_sentence_merging_two_is_matched_with_their_run() -> None:
    found = _windows(SOURCE, MERGED)
    assert found.tolist() == [[0, 2, 0, 1, 1]]  # sentences 0-1 of the source, condensing


def test_the_match_is_the_same_from_either_side() -> None:
    assert _windows(MERGED, SOURCE).tolist() == [[0, 1, 0, 2, 1]]


def test_a_merged_sentence_with_a_fact_of_its_own_does_not_condense() -> None:
    assert not _windows(SOURCE, MERGED_NEW_FACT)[:, 4].any()


def test_sentences_already_used_are_not_matched_again() -> None:
    a, b = Article("a", SOURCE), Article("b", MERGED)
    pa, pb = prepare(a), prepare(b)
    sa, sb = sentences(pa, SOURCE), sentences(pb, MERGED)
    used_a = np.zeros(len(sa.first), bool)
    used_a[1] = True
    got = window_pairs(sa, _sentence_vectors(pa, SOURCE, 4), sb, _sentence_vectors(pb, MERGED, 4), used_a,
                       np.zeros(len(sb.first), bool), min_cosine=0.55, min_dice=0.25, min_fact_share=0.6)
    assert not len(got)


def test_mutual_pairs_are_each_others_nearest_and_share_a_word() -> None:
    cos = np.array([[0.9, 0.5, 0.1], [0.45, 0.42, 0.3], [0.1, 0.2, 0.35]])
    dice = np.array([[0.5, 0.1, 0.0], [0.1, 0.2, 0.0], [0.0, 0.0, 0.0]])
    free = np.zeros(3, bool)
    # 0-0 is mutual; 1's nearest is 0 (taken by 0); 2-2 is mutual but below the floor
    assert mutual_pairs(cos, dice, free, free.copy(), 0.4).tolist() == [[0, 0]]
    used = np.array([True, False, False])
    assert mutual_pairs(cos, dice, used, used.copy(), 0.4).tolist() == [[1, 1]]
    assert mutual_pairs(cos, np.zeros_like(dice), used, used.copy(), 0.4).shape == (0, 2)


def test_exact_passages_do_not_make_a_rewrite() -> None:
    # the same evidence, but all of it inside text aligned word for word: no sentence is
    # added for coverage beyond the evidence itself
    from semantic_texts import REWRITE

    a, b = Article("a", SOURCE), Article("b", REWRITE)
    pa, pb = prepare(a), prepare(b)
    cfg = SemanticConfig(enabled=True)
    free = semantic_spans(pa, pb, a.text, b.text, cfg)
    whole = np.array([[0, len(pa.tokens.start), 0, len(pb.tokens.start)]], np.int64)
    fenced = semantic_spans(pa, pb, a.text, b.text, cfg, exact=whole)
    assert len(fenced) <= len(free)
