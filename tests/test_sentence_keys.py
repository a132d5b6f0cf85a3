"""Sentence signatures, the candidate route of reworded reuse (copydesk.sentence_keys)."""

from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.paraphrase import _TABLE_BITS, stop_keys, stop_mask
from copydesk.prepare_batch import (
    fingerprint_batch,
    line_keys,
    prepare_batch,
    sentence_ends_reference,
)
from copydesk.records import Article
from copydesk.sentence_keys import (
    partitioned_rows,
    partitioned_rows_reference,
    probe_table,
    sentence_evidence,
    sentence_evidence_reference,
    sentence_keys,
    sentence_keys_reference,
    with_sentence_keys,
    with_sentence_keys_reference,
)
from test_paraphrase import INDEPENDENT, LIGHT, SOURCE
from textgen import paragraph


def _keys(*texts: str) -> list[set[int]]:
    batch = prepare_batch([Article(str(n), t) for n, t in enumerate(texts)])
    h, _, first = sentence_keys(batch, bands=3, min_words=6)
    return [set(h[first[d]:first[d + 1]].tolist()) for d in range(len(texts))]


def test_a_reworded_story_shares_sentence_keys_an_independent_one_does_not() -> None:
    src, light, indep = _keys(SOURCE, LIGHT, INDEPENDENT)
    assert len(src & light) >= 4
    assert not src & indep


def test_other_figures_give_other_keys() -> None:
    a = "Shares in the mining group closed 14 pence higher at 512 pence after strong quarterly results.\n"
    b = "Shares in the mining group closed 21 pence higher at 498 pence after strong quarterly results.\n"
    x, y = _keys(a, b)
    assert x and y and not x & y
    assert _keys(a)[0] == _keys(a)[0]


def test_short_lines_are_not_signed() -> None:
    assert _keys("Visit our client portal for more news, pictures and video reports.\n") == [set()]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(2, 8), st.sampled_from([1, 12]))
def test_fast_equals_reference(seed: int, bands: int, min_words: int, min_line_tokens: int) -> None:
    rng = random.Random(seed)
    texts = ["\n\n".join(paragraph(rng) for _ in range(rng.randint(0, 5))) + rng.choice(["", " Mr. X left.", " U.S. up!"])
             for _ in range(rng.randint(1, 4))]
    batch = prepare_batch([Article(str(n), t) for n, t in enumerate(texts)])
    fast = sentence_keys(batch, bands=bands, min_words=min_words, min_line_tokens=min_line_tokens)
    ref = sentence_keys_reference(batch, bands=bands, min_words=min_words, min_line_tokens=min_line_tokens)
    for f, r in zip(fast, ref, strict=True):
        assert f.tolist() == r.tolist()
    assert batch.sent_end is not None and batch.sent_end.tolist() == sentence_ends_reference(batch)
    fh, fp, first = fingerprint_batch(batch)
    merged = with_sentence_keys(fh, fp, first, *fast)
    for f, r in zip(merged, with_sentence_keys_reference(fh, fp, first, *fast), strict=True):
        assert f.tolist() == r.tolist()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(2, 8), st.sampled_from([1, 2, 64]),
       st.integers(0, 2**32 - 1))
def test_partitioned_rows_are_the_steps_they_fuse(seed: int, bands: int, min_words: int, parts: int,
                                                  slot0: int) -> None:
    rng = random.Random(seed)
    texts = ["\n\n".join(paragraph(rng) for _ in range(rng.randint(0, 5)))
             + rng.choice(["", " Mr. X left.", " U.S. up!"]) for _ in range(rng.randint(1, 5))]
    texts += rng.sample(texts, rng.randint(0, len(texts)))  # repeated sentences, repeated articles
    batch = prepare_batch([Article(str(n), t) for n, t in enumerate(texts)])
    fh, fp, first = fingerprint_batch(batch)
    sk = sentence_keys(batch, bands=bands, min_words=min_words, min_line_tokens=rng.choice([1, 12]))
    keys = line_keys(batch)
    fast = partitioned_rows(batch, fh, fp, first, *sk, keys, slot0=slot0, parts=parts)
    ref = partitioned_rows_reference(batch, fh, fp, first, *sk, keys, slot0=slot0, parts=parts)
    for f, r in zip(fast, ref, strict=True):
        assert f.dtype == r.dtype and f.tolist() == r.tolist()


def _same_rows(batch: object, fh: np.ndarray, fp: np.ndarray, first: np.ndarray, sk: tuple[np.ndarray, ...],
               keys: np.ndarray, slot0: int, parts: int) -> None:
    fast = partitioned_rows(batch, fh, fp, first, *sk, keys, slot0=slot0, parts=parts)
    ref = partitioned_rows_reference(batch, fh, fp, first, *sk, keys, slot0=slot0, parts=parts)
    for f, r in zip(fast, ref, strict=True):
        assert f.dtype == r.dtype and f.tolist() == r.tolist()


@pytest.mark.parametrize("parts", [1, 2, 64, 256])
def test_partitioned_rows_edge_cases(parts: int) -> None:
    rng = random.Random(parts)
    story = "\n\n".join(paragraph(rng) for _ in range(4))
    texts = ["", story, "Too short.", story + "\n\n" + story, "", story]  # empty articles, a story twice in one
    batch = prepare_batch([Article(str(n), t) for n, t in enumerate(texts)])
    fh, fp, first = fingerprint_batch(batch)
    sk = sentence_keys(batch, bands=2, min_words=6)
    sh, _, sfirst = sk
    assert np.diff(first)[[0, 2, 4]].tolist() == [0, 0, 0]
    assert len(set(sh[sfirst[3]:sfirst[4]].tolist())) < sfirst[4] - sfirst[3]  # repeated keys in article 3
    keys = line_keys(batch)
    _same_rows(batch, fh, fp, first, sk, keys, 7, parts)
    none = (np.zeros(0, np.uint64), np.zeros(0, np.uint32), np.zeros(len(texts) + 1, np.int64))
    _same_rows(batch, fh, fp, first, none, keys, 0, parts)  # no sentence keys
    empty = prepare_batch([])
    _same_rows(empty, *fingerprint_batch(empty), sentence_keys(empty, bands=2, min_words=6), line_keys(empty), 0,
               parts)


def test_partitioned_rows_of_a_large_batch() -> None:
    """Partitions of thousands of rows each: every row written, in order, where the
    reference puts it (the scatter prefetches rows ahead of each partition's place, past
    the end of the columns at the last partition)."""
    rng = random.Random(5)
    texts = ["\n\n".join(paragraph(rng) for _ in range(rng.randint(1, 12))) for _ in range(300)]
    batch = prepare_batch([Article(str(n), t) for n, t in enumerate(texts)])
    fh, fp, first = fingerprint_batch(batch)
    assert len(fh) > 10000
    _same_rows(batch, fh, fp, first, sentence_keys(batch, bands=2, min_words=6), line_keys(batch), 2000, 64)


def test_rows_merge_article_by_article() -> None:
    fh = np.array([10, 11, 20], np.uint64)
    fp = np.array([0, 5, 1], np.uint32)
    first = np.array([0, 2, 3])
    sh = np.array([7, 7, 8, 9], np.uint64)   # article 0 repeats key 7 (kept once)
    sp = np.array([0, 9, 3, 2], np.uint32)
    sfirst = np.array([0, 2, 4])
    for merge in (with_sentence_keys, with_sentence_keys_reference):
        h, p, f = merge(fh, fp, first, sh, sp, sfirst)
        assert f.tolist() == [0, 3, 6]
        assert h.tolist() == [10, 11, 7, 20, 8, 9] and p.tolist() == [0, 5, 0, 1, 3, 2]


def test_sentence_evidence_needs_two_sentences_on_both_sides() -> None:
    codes = np.array([1, 1, 1, 2, 2, 3, 3], np.int64)
    left = np.array([0, 0, 10, 5, 5, 1, 2], np.uint32)   # pair 2: one sentence (three bands)
    right = np.array([3, 3, 20, 7, 7, 4, 4], np.uint32)  # pair 3: two on the left, one on the right
    assert sentence_evidence(codes, left, right, min_sentences=2).tolist() == [1]
    assert sentence_evidence(codes, left, right, min_sentences=1).tolist() == [1, 2, 3]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 5), st.integers(0, 5)), max_size=120),
       st.integers(1, 3))
def test_sentence_evidence_is_the_reference(rows: list[tuple[int, int, int]], min_sentences: int) -> None:
    codes = np.array([r[0] << 32 | r[0] + 1 for r in rows], np.int64)
    left = np.array([r[1] for r in rows], np.uint32)
    right = np.array([r[2] for r in rows], np.uint32)
    fast = sentence_evidence(codes, left, right, min_sentences=min_sentences)
    assert fast.dtype == np.int64
    assert fast.tolist() == sentence_evidence_reference(codes, left, right, min_sentences=min_sentences).tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["storm", "coast", "hit", "the", "of", "42", "7", "£5bn", "town", "Mr.",
                                          "left.", "rain", "rain", "42", "north", "sea", "wall", "x1"]),
                         min_size=0, max_size=40), min_size=1, max_size=8),
       st.integers(1, 4), st.integers(2, 8))
def test_fast_equals_reference_with_repeated_words_and_figures(lines: list[list[str]], bands: int,
                                                               min_words: int) -> None:
    """Sentences that repeat words and figures before and after their ``min_words``-th
    distinct content word (the kernel counts distinct words only that far)."""
    texts = ["\n".join(" ".join(words) for words in lines[n::2]) for n in range(2)]
    batch = prepare_batch([Article(str(n), t) for n, t in enumerate(texts) if t.strip()] or [Article("0", "x")])
    for min_line_tokens in (1, 12):
        fast = sentence_keys(batch, bands=bands, min_words=min_words, min_line_tokens=min_line_tokens)
        ref = sentence_keys_reference(batch, bands=bands, min_words=min_words, min_line_tokens=min_line_tokens)
        for f, r in zip(fast, ref, strict=True):
            assert f.tolist() == r.tolist()


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(200, 3000), st.integers(1, 4))
def test_a_run_on_sentence_of_figures_is_the_reference_and_is_fast(seed: int, words: int, bands: int) -> None:
    """A line of hundreds or thousands of words with no sentence end, many of them figures
    and repeated (a table flattened onto one line): the figures of a long sentence are
    found with a hash set (``_LONG_SENTENCE``), the same keys as word by word."""
    rng = random.Random(seed)
    vocab = [f"{rng.randrange(10**6)}" for _ in range(rng.randint(5, 400))] + ["shares", "rose", "the", "of", "bank"]
    text = " ".join(rng.choice(vocab) for _ in range(words)) + "\n" + " ".join(rng.choice(vocab) for _ in range(40))
    batch = prepare_batch([Article("0", text)])
    for min_words in (2, 6):
        fast = sentence_keys(batch, bands=bands, min_words=min_words)
        ref = sentence_keys_reference(batch, bands=bands, min_words=min_words)
        for f, r in zip(fast, ref, strict=True):
            assert f.tolist() == r.tolist()



def test_the_probe_table_finds_the_stopwords_and_only_them() -> None:
    """A key is a stopword exactly when its slot of :func:`probe_table` holds it (the keys
    put in the empty slots, 1 and 2, and the key 0 included)."""
    table = probe_table()
    rng = np.random.default_rng(7)
    keys = np.concatenate((stop_keys(), np.arange(0, 4, dtype=np.uint64), table[1:],
                           rng.integers(0, 2**64 - 1, 20_000, dtype=np.uint64, endpoint=True)))
    slot = ((keys * table[0]) >> np.uint64(64 - _TABLE_BITS)).astype(np.int64) + 1
    assert ((table[slot] == keys) == stop_mask(keys)).all()


def _synthetic_batch(rng: random.Random) -> SimpleNamespace:
    """A batch with the fields the sentence signatures read, made up token by token: words
    from a small pool (stopwords, the key 0, words alike in the top six bits that the
    distinct-word filter confuses), a word's digit flag drawn per token (a key first seen as
    a word, then as a figure, as "council" and "c0uncil" share one), boilerplate runs, empty
    and short lines, run-on lines of hundreds of words."""
    stops = stop_keys()
    pool = ([int(x) for x in rng.sample(list(stops), 3)] + [0]
            + [(rng.randrange(2) << 58) | rng.randrange(1 << 20) for _ in range(rng.randint(2, 12))]
            + [rng.randrange(1 << 64) for _ in range(rng.randint(1, 30))])
    hashes: list[int] = []
    digit: list[bool] = []
    boiler: list[bool] = []
    sent_end: list[bool] = []
    tok_first, line_base, line_first, line = [0], [0], [0], []
    for _ in range(rng.randint(1, 4)):
        for _ in range(rng.randint(0, 5)):
            n = rng.choice([0, rng.randint(1, 11), rng.randint(12, 60), rng.randint(250, 700)])
            p_end = rng.choice([0.0, 0.05, 0.2])
            mode = rng.choice(["none", "none", "all", "head", "runs"])
            head = rng.randint(0, n)
            for t in range(n):
                hashes.append(rng.choice(pool))
                digit.append(rng.random() < 0.2)
                sent_end.append(rng.random() < p_end)
                boiler.append(mode == "all" or (mode == "head" and t < head)
                              or (mode == "runs" and rng.random() < 0.3))
                line.append(len(line_first) - 1)
            line_first.append(len(hashes))
        tok_first.append(len(hashes))
        line_base.append(len(line_first) - 1)
    return SimpleNamespace(
        ids=[str(d) for d in range(len(tok_first) - 1)], hash=np.array(hashes, np.uint64),
        digit=np.array(digit, np.bool_), boiler=np.array(boiler, np.bool_), sent_end=np.array(sent_end, np.bool_),
        tok_first=np.array(tok_first, np.int64), line_base=np.array(line_base, np.int64),
        line_first=np.array(line_first, np.int64), line=np.array(line, np.int32))


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(2, 8), st.sampled_from([1, 4, 12]))
def test_fast_equals_reference_on_made_up_token_streams(seed: int, bands: int, min_words: int,
                                                        min_line_tokens: int) -> None:
    batch = _synthetic_batch(random.Random(seed))
    if not len(batch.hash):
        return
    fast = sentence_keys(batch, bands=bands, min_words=min_words, min_line_tokens=min_line_tokens)
    ref = sentence_keys_reference(batch, bands=bands, min_words=min_words, min_line_tokens=min_line_tokens)
    for f, r in zip(fast, ref, strict=True):
        assert f.tolist() == r.tolist()


def test_a_word_first_seen_without_a_digit_is_no_figure_in_a_long_sentence() -> None:
    """"c0uncil" has the key of "council" (the OCR skeleton) and a digit: in a sentence of
    hundreds of words (whose figures are found with a hash set) as in a short one, a key's first
    place decides whether it is a figure."""
    rng = random.Random(3)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8)) for _ in range(300)]
    for n in (10, 300):
        for pair in (("council", "c0uncil"), ("c0uncil", "council")):
            text = " ".join([pair[0], *words[:n], pair[1]]) + "\n"
            batch = prepare_batch([Article("0", text)])
            fast = sentence_keys(batch, bands=2, min_words=6)
            ref = sentence_keys_reference(batch, bands=2, min_words=6)
            for f, r in zip(fast, ref, strict=True):
                assert f.tolist() == r.tolist()
