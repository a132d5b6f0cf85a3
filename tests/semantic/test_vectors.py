"""Word vectors and their compiled sums against the reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.semantic.encoder import encoder
from copydesk.semantic.vectors import (
    embed_tokens,
    sum_rows,
    sum_rows_reference,
    surface_keys,
    surface_keys_reference,
    word_vectors,
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=0, max_size=40), st.integers(1, 6), st.integers(0, 2**31))
def test_sum_rows_matches_reference(idx: list[int], groups: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    table = rng.standard_normal((21, 8)).astype(np.float32)
    cuts = np.sort(rng.integers(0, len(idx) + 1, groups - 1))
    first = np.concatenate(([0], cuts, [len(idx)])).astype(np.int64)
    got = sum_rows(first, np.array(idx, np.int64), table)
    want = sum_rows_reference(first, np.array(idx, np.int64), table)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_a_word_is_looked_up_once_and_its_vector_is_the_models() -> None:
    words = word_vectors()
    hashes = np.array([11, 22, 11, 33], np.uint64) + np.uint64(987654321)
    spelled: list[list[int]] = []

    def spelling(pos: np.ndarray) -> list[str]:
        spelled.append(pos.tolist())
        return [["market", "shares", "market", "fell"][p] for p in pos.tolist()]

    rows = words.lookup(hashes, spelling)
    assert rows[0] == rows[2] and len({*rows.tolist()}) == 3
    again = words.lookup(hashes[:2], spelling)
    assert again.tolist() == rows[:2].tolist() and len(spelled) == 1  # no new spelling asked
    np.testing.assert_allclose(words.table[rows[1]], encoder().word_vectors(["shares"])[0], rtol=1e-6)


def test_related_words_are_closer_than_unrelated_ones() -> None:
    v = encoder().word_vectors(["profits", "earnings", "giraffe"])
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    assert v[0] @ v[1] > v[0] @ v[2]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=5), st.integers(0, 2**31))
def test_surface_keys_match_reference(texts: list[str], seed: int) -> None:
    rng = np.random.default_rng(seed)
    owner = rng.integers(0, len(texts), 20)
    start = np.array([rng.integers(0, len(texts[o]) + 1) for o in owner.tolist()], np.int64)
    end = np.array([rng.integers(s, len(texts[o]) + 1) for o, s in zip(owner.tolist(), start.tolist(), strict=True)],
                   np.int64)
    assert surface_keys(texts, owner, start, end).tolist() == surface_keys_reference(texts, owner, start, end).tolist()


def test_a_words_vector_does_not_depend_on_what_was_seen_first() -> None:
    """'bill' and 'hill' share a token key (the OCR skeleton folds b and h); their vectors
    must not, and each word's vector is the same whichever came first."""
    texts = ["The bill", "the hill", "THE bill"]
    owner = np.array([0, 0, 1, 1, 2, 2])
    start = np.array([0, 4, 0, 4, 0, 4])
    end = np.array([3, 8, 3, 8, 3, 8])
    first = np.arange(7)
    v = embed_tokens(texts, owner, start, end, first)
    assert not np.allclose(v[1], v[3])                       # bill != hill
    assert not np.allclose(v[0], v[2])                       # The != the: the model tells them apart
    np.testing.assert_allclose(v[1], v[5], rtol=1e-6)       # Bill in two texts
    later = embed_tokens(texts, owner[::-1], start[::-1], end[::-1], first)  # met in another order
    np.testing.assert_allclose(later[::-1], v, rtol=1e-6)
    np.testing.assert_allclose(v[1], encoder().word_vectors(["bill"])[0] / np.linalg.norm(
        encoder().word_vectors(["bill"])[0]), rtol=1e-5)
