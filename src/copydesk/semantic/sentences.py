"""Sentences reworded beyond the lexical rule, paired by their embeddings.

A heavy rewrite or a summary keeps a story's facts sentence by sentence in other words and
order; the content words two such sentences share are too few for the lexical rule of
:mod:`copydesk.paraphrase`.  Here a sentence pair counts when its embeddings are close
(cosine ≥ ``min_sentence_cosine``) *and* it still shares some content words (Dice ≥
``min_shared_words``): an embedding alone finds sentences of one subject, which two
outlets' own reports of one event are full of.  Sentences are paired one to one, best
first, in any order (a rewrite reorders paragraphs), and the pairing is evidence of reuse
only when at least ``min_sentences`` sentences, and ``min_share`` of the shorter text's,
are paired, and the two articles as wholes are close (cosine of their openings at least
``min_article_cosine``: a rewrite is of the whole story; an independent report of the event
shares some facts and takes its own angle; for a summary and its source, see
:func:`is_summary`) — and not when what differs is mostly figures and names (a template's
slots).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..config import ParaphraseConfig, SemanticConfig
from ..paraphrase import Sentences, _inside, cached_sentences, mostly_slots, pair_spans, similarity
from ..prepare import Prepared
from .merged import window_pairs
from .neighbours import article_vector, body_tokens, summary_shaped
from .vectors import embed_tokens


@lru_cache(maxsize=512)
def _sentence_vectors(p: Prepared, text: str, min_words: int) -> np.ndarray:
    # Prepared compares by identity: an article in many pairs of a chunk is embedded once
    s = cached_sentences(p, text, min_words)
    t = p.tokens
    lengths = (s.last - s.first).astype(np.int64)
    first = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    idx = (np.repeat(s.first - first[:-1], lengths) + np.arange(first[-1])).astype(np.int64)
    return embed_tokens([text], np.zeros(len(idx), np.int64), t.start[idx], t.end[idx], first)


@lru_cache(maxsize=512)
def _article_vector(p: Prepared, text: str) -> np.ndarray:
    return article_vector(p, text)


def one_to_one(score: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Sentence pairs (rows i, j) among the allowed ones, best score first, each sentence at
    most once (ties by position)."""
    i, j = np.nonzero(ok)
    if not len(i):
        return np.zeros((0, 2), np.int64)
    order = np.lexsort((j, i, -score[i, j]))
    used_i: set[int] = set()
    used_j: set[int] = set()
    out = []
    for x, y in zip(i[order].tolist(), j[order].tolist(), strict=True):
        if x not in used_i and y not in used_j:
            used_i.add(x)
            used_j.add(y)
            out.append((x, y))
    out.sort()
    return np.array(out, np.int64).reshape(-1, 2)


@lru_cache(maxsize=512)
def _body_length(p: Prepared) -> int:
    return len(body_tokens(p))


def is_summary(a: Prepared, b: Prepared, share: float, facts: int, config: SemanticConfig) -> bool:
    """Whether one text may be a summary of the other as far as length and facts tell: it is
    summary-shaped (:func:`.neighbours.summary_shaped`) and at least
    ``min_summary_fact_share`` of its ``facts`` (at least ``min_facts``) occur in the other
    (``share``, from :func:`fact_share`).  A summary chooses among its source's facts and
    adds none; a story of its own on the subject, even a short one, brings its own."""
    la, lb = _body_length(a), _body_length(b)
    return (bool(summary_shaped(min(la, lb), max(la, lb), config.max_summary_length))
            and facts >= config.min_facts and share >= config.min_summary_fact_share)


def facts_found(x: Sentences, y: Sentences) -> tuple[float, int]:
    """(share of ``x``'s distinct facts found among ``y``'s words, how many facts ``x`` has)."""
    facts = np.unique(x.keys[x.digit])
    if not len(facts):
        return 0.0, 0
    return float(np.isin(facts, y.keys).mean()), len(facts)


def fact_share(x: Sentences, y: Sentences) -> tuple[float, int]:
    """(share of the shorter text's distinct facts found among the other's words, how many
    facts it has).  Facts are the words the tokenizer marks as template slots: figures, and
    capitalised words that do not open a sentence (names); the shorter text is the one with
    fewer content words.  A rewrite or a summary reports its source's facts in other words,
    so nearly all of its own occur there; so does a copy, while a report of the same event
    written on its own brings facts of its own."""
    if int(x.size.sum()) > int(y.size.sum()):
        x, y = y, x
    return facts_found(x, y)


def words_found(x: Sentences, y: Sentences) -> float:
    """Share of ``x``'s distinct content words found among ``y``'s."""
    words = np.unique(x.keys)
    return float(np.isin(words, y.keys).mean()) if len(words) else 0.0


def restates(a: Prepared, b: Prepared, sa: Sentences, sb: Sentences, config: SemanticConfig) -> bool:
    """Whether a text summary-shaped against the other (:func:`.neighbours.summary_shaped`)
    says what it says mostly in the other's words (``min_summary_word_share`` of its
    distinct content words; the shorter is the one with fewer content words); texts of
    about one length are not tested here.  A summary restates its source, and keeps its
    words where it keeps its facts; a short report of its own on the subject shares the
    subject's names and stock words and brings its own for the rest."""
    la, lb = _body_length(a), _body_length(b)
    if not summary_shaped(min(la, lb), max(la, lb), config.max_summary_length):
        return True
    x, y = (sa, sb) if int(sa.size.sum()) <= int(sb.size.sum()) else (sb, sa)
    return words_found(x, y) >= config.min_summary_word_share


def keeps_facts_both_ways(a: Prepared, b: Prepared, sa: Sentences, sb: Sentences, config: SemanticConfig) -> bool:
    """Whether two texts of about the same length (neither summary-shaped against the
    other) each keep the other's facts (``min_fact_share`` of each side's, when it has at
    least ``min_facts``).  A rewrite of the whole story keeps its length and its facts,
    so its source's facts are found in it as much as its own are found in the source; two
    reports of one event of about one length share the event's facts, and each brings as
    many of its own (the longer one's are not found in the shorter).  A summary keeps only
    part of its source's facts: it is tested one way (:func:`is_summary`)."""
    la, lb = _body_length(a), _body_length(b)
    if summary_shaped(min(la, lb), max(la, lb), config.max_summary_length):
        return True
    for x, y in ((sa, sb), (sb, sa)):
        share, facts = facts_found(x, y)
        if facts >= config.min_facts and share < config.min_fact_share:
            return False
    return True


def semantic_spans(a: Prepared, b: Prepared, text_a: str, text_b: str, config: SemanticConfig,
                   paraphrase: ParaphraseConfig | None = None, exact: np.ndarray | None = None) -> np.ndarray:
    """Token spans ``[as, ae, bs, be)`` of the sentences of ``a`` and ``b`` paired as
    rewrites of each other, or none when the pairing is not evidence of reuse.  Sentences
    are paired one to one or one to a run (:mod:`.merged`); when the pairs outside the
    ``exact`` passages (token spans) alone show a rewrite, mutual nearest sentences are
    added for coverage (:func:`mutual_pairs`)."""
    pc = paraphrase or ParaphraseConfig()
    none = np.zeros((0, 4), np.int64)
    sa: Sentences = cached_sentences(a, text_a, pc.min_words)
    sb: Sentences = cached_sentences(b, text_b, pc.min_words)
    shorter = min(len(sa.first), len(sb.first))
    if shorter < config.min_sentences:
        return none
    share, facts = fact_share(sa, sb)
    if facts >= config.min_facts and share < config.min_fact_share:
        return none  # the same subject, other facts: a report of its own, or a template's instance
    if not keeps_facts_both_ways(a, b, sa, sb, config):
        return none  # one length, facts of its own on each side: two reports of one event
    if not restates(a, b, sa, sb, config):
        return none  # a short text in words of its own: a report on the subject, no summary
    close = float(_article_vector(a, text_a) @ _article_vector(b, text_b))
    if close < config.min_article_cosine and not (close >= config.min_summary_cosine
                                                   and is_summary(a, b, share, facts, config)):
        return none  # sentences of one subject in two stories that differ as wholes
    va, vb = _sentence_vectors(a, text_a, pc.min_words), _sentence_vectors(b, text_b, pc.min_words)
    cos = va @ vb.T
    dice, slots = similarity(sa, sb)
    pairs = one_to_one(cos, (cos >= config.min_sentence_cosine) & (dice >= config.min_shared_words))
    used_a = np.zeros(len(sa.first), np.bool_)
    used_b = np.zeros(len(sb.first), np.bool_)
    used_a[pairs[:, 0]] = used_b[pairs[:, 1]] = True
    merged = window_pairs(sa, va, sb, vb, used_a, used_b, min_cosine=config.min_sentence_cosine,
                          min_dice=config.min_shared_words, min_fact_share=config.min_fact_share)
    found = len(pairs) + int(merged[:, 4].sum())  # a split sentence counts in coverage only
    if found < config.min_sentences or found < config.min_share * shorter:
        return none
    if len(pairs) and mostly_slots(sa, sb, pairs, dice, slots, pc.max_slot_edits):
        return none
    if exact is not None and len(exact):
        # text aligned word for word shows reuse, not a rewrite: a story that keeps some
        # paragraphs of another and adds its own on the subject is no whole-story rewrite
        out_a, out_b = ~_inside(sa, exact, 0), ~_inside(sb, exact, 2)
        found = (int((out_a[pairs[:, 0]] & out_b[pairs[:, 1]]).sum())
                 + sum(int(out_a[a0:a1].all() and out_b[b0:b1].all()) for a0, a1, b0, b1, c in merged.tolist() if c))
    if found >= config.min_sentences and found >= config.min_share * shorter:
        pairs = np.concatenate((pairs, mutual_pairs(cos, dice, used_a, used_b, config.min_mutual_cosine)))
    spans = np.concatenate((pair_spans(sa, sb, pairs), window_spans(sa, sb, merged)))
    return spans[np.lexsort((spans[:, 2], spans[:, 0]))]


def mutual_pairs(cos: np.ndarray, dice: np.ndarray, used_a: np.ndarray, used_b: np.ndarray,
                 min_cosine: float) -> np.ndarray:
    """Sentence pairs, among those not ``used`` yet, that are each other's closest by cosine,
    reach ``min_cosine`` and share a content word.  Only asked once the pairing has shown
    the two texts to be a rewrite one of the other: there, a sentence and its mutual nearest
    sentence are one sentence reworded further than the rule for evidence admits (a heavy
    rewrite rewords every sentence), so they count in coverage; as evidence, they would
    not (sentences of one subject are each other's nearest too)."""
    ia, ib = np.flatnonzero(~used_a), np.flatnonzero(~used_b)
    if not len(ia) or not len(ib):
        return np.zeros((0, 2), np.int64)
    sub = cos[np.ix_(ia, ib)]
    best_b = sub.argmax(axis=1)
    best_a = sub.argmax(axis=0)
    rows = np.flatnonzero(best_a[best_b] == np.arange(len(ia)))
    i, j = ia[rows], ib[best_b[rows]]
    ok = (cos[i, j] >= min_cosine) & (dice[i, j] > 0)
    return np.stack([i[ok], j[ok]], axis=1).astype(np.int64).reshape(-1, 2)


def window_spans(sa: Sentences, sb: Sentences, merged: np.ndarray) -> np.ndarray:
    """Token spans ``[as, ae, bs, be)`` of sentence ranges ``[a0, a1, b0, b1)`` (more
    columns ignored)."""
    if not len(merged):
        return np.zeros((0, 4), np.int64)
    return np.stack([sa.first[merged[:, 0]], sa.last[merged[:, 1] - 1], sb.first[merged[:, 2]],
                     sb.last[merged[:, 3] - 1]], axis=1).astype(np.int64)
