"""plan: the furniture mask of a batch, line by line against token by token."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.furniture import CodeSet, pair_codes
from copydesk.plan import mask_furniture, mask_furniture_reference
from copydesk.prepare_batch import line_keys, prepare_batch
from copydesk.records import Article
from textgen import paragraph

_LINES = ["Share this article", "Photo: Jane Smith/Reuters", "READ MORE: Council votes on budget", "",
          "Advertisement", "By Tom Jones, Political Editor"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(_LINES), st.integers(0, 50).map(lambda s: paragraph(random.Random(s), 5 + s % 20))),
                         max_size=8), min_size=1, max_size=5),
       st.integers(0, 2**32 - 1), st.floats(0.0, 1.0), st.booleans())
def test_mask_furniture_by_line_is_by_token(docs: list[list[str]], seed: int, share: float, as_set: bool) -> None:
    arts = [Article(f"a{n}", "\n".join(lines)) for n, lines in enumerate(docs)]
    numbers = np.arange(10, 10 + len(arts), dtype=np.int64)
    fast, ref = prepare_batch(arts), prepare_batch(arts)
    keys = line_keys(fast)
    doc_of = np.repeat(numbers, np.diff(fast.line_base))
    pick = np.random.default_rng(seed).random(len(keys)) < share
    codes = np.unique(np.concatenate((pair_codes(doc_of[pick], keys[pick]), np.array([12345], np.uint64))))
    mask_furniture(fast, numbers, CodeSet(codes) if as_set else codes)
    mask_furniture_reference(ref, numbers, CodeSet(codes) if as_set else codes)
    assert fast.boiler.tolist() == ref.boiler.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=8), max_size=20))
def test_id_hashes_are_hash_id(ids: list[str]) -> None:
    from copydesk.plan import hash_id, id_hashes

    got = id_hashes(ids)
    assert got.dtype == np.uint64 and got.tolist() == [hash_id(i) for i in ids]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=60), st.integers(0, 3))
def test_rank_of_hashes_is_the_argsort_of_the_argsort(hashes: list[int], repeat: int) -> None:
    from copydesk.plan import rank_of_hashes

    h = np.array(hashes + hashes[:repeat], np.uint64)  # (some repeated: ties keep their order)
    assert rank_of_hashes(h).tolist() == np.argsort(np.argsort(h, kind="stable"), kind="stable").tolist()
