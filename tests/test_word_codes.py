"""Word keys as strings for rapidfuzz: the same codes as the plain dict, the same opcodes as lists."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from copydesk.word_codes import (
    HASH_MODULUS,
    word_codes,
    word_codes_reference,
    word_opcodes,
    word_strings,
)

#: keys of a small vocabulary: big and small, and pairs that differ by multiples of the hash
#: modulus (rapidfuzz takes those for the same item, as Python's hash does)
_VOCAB = [0, 1, 7, 2**63 + 5, 2**64 - 1, HASH_MODULUS, HASH_MODULUS + 7, 3 * HASH_MODULUS + 1, 1 << 62,
          0x9E3779B97F4A7C15, 12345678901234567890]

words = st.lists(st.integers(0, len(_VOCAB) - 1), max_size=60).map(lambda w: np.array([_VOCAB[i] for i in w], np.uint64))
keys = st.lists(st.integers(0, 2**64 - 1), max_size=60).map(lambda w: np.array(w, np.uint64))


@settings(max_examples=300, deadline=None)
@given(st.one_of(words, keys), st.one_of(words, keys))
def test_word_codes_fast_equals_reference(x: np.ndarray, y: np.ndarray) -> None:
    assert word_codes(x, y).tolist() == word_codes_reference(x, y).tolist()


@settings(max_examples=500, deadline=None)
@given(words, words, st.lists(st.tuples(st.integers(0, 60), st.integers(-1, len(_VOCAB) - 1)), max_size=8),
       st.booleans())
def test_word_opcodes_are_the_opcodes_of_the_lists(x: np.ndarray, z: np.ndarray, edits: list[tuple[int, int]],
                                                   unrelated: bool) -> None:
    y = z.tolist() if unrelated else x.tolist()
    for at, word in edits:  # -1 drops a word, else replaces or inserts one
        at = min(at, len(y))
        if word < 0:
            del y[at:at + 1]
        elif at % 2:
            y.insert(at, _VOCAB[word])
        else:
            y[at:at + 1] = [_VOCAB[word]]
    ya = np.array(y, np.uint64)
    assert list(word_opcodes(x, ya)) == list(Levenshtein.opcodes(x.tolist(), y))


def test_too_many_words_stay_lists() -> None:
    x = np.arange(40_000, dtype=np.uint64)
    y = x[::-1].copy()
    sx, sy = word_strings(x, y)
    assert sx == x.tolist() and sy == y.tolist()
    sx, sy = word_strings(x[:3], y[:2])
    assert isinstance(sx, str) and (len(sx), len(sy)) == (3, 2)
