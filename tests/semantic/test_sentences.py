"""Sentences paired by embeddings: rewrites are paired, a report of the same event is not."""

from __future__ import annotations

import numpy as np
from semantic_texts import OTHER, REWRITE, SOURCE

from copydesk.config import SemanticConfig
from copydesk.prepare import prepare
from copydesk.records import Article
from copydesk.semantic.sentences import one_to_one, semantic_spans


def _pair(x: str, y: str) -> np.ndarray:
    a, b = Article("a", x), Article("b", y)
    return semantic_spans(prepare(a), prepare(b), a.text, b.text, SemanticConfig(enabled=True))


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
