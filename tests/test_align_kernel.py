"""align_kernel: the anchor index's sort and layout against numpy."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.align_kernel import anchor_index, anchor_index_docs, same_words, sort_by_hash
from copydesk.fingerprint import shingles, valid_shingles

hashes = st.lists(st.one_of(st.integers(0, 5), st.integers(0, 2**64 - 1),
                            st.integers(0, 2**20 - 1).map(lambda x: x << 44)), max_size=300)


@settings(max_examples=200, deadline=None)
@given(hashes)
def test_sort_by_hash_is_a_stable_sort(values: list[int]) -> None:
    sh = np.asarray(values, np.uint64)
    pos = np.arange(len(sh), dtype=np.int64) * 3
    out_sh, out_pos = np.empty_like(sh), np.empty_like(pos)
    sort_by_hash(sh, pos, out_sh, out_pos)
    order = np.argsort(sh, kind="stable")
    assert out_sh.tolist() == sh[order].tolist()
    assert out_pos.tolist() == pos[order].tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), max_size=40), max_size=6), st.integers(1, 4), st.randoms())
def test_anchor_index_docs_matches_numpy(docs: list[list[int]], k: int, rnd) -> None:
    h = np.asarray([x for d in docs for x in d], np.uint64)
    boiler = np.asarray([rnd.random() < 0.1 for _ in range(len(h))], np.bool_)
    tok_first = np.concatenate(([0], np.cumsum([len(d) for d in docs]))).astype(np.int64)
    pos, ss, cnt, first = anchor_index_docs(h, boiler, tok_first, k)
    for d in range(len(docs)):
        a, b = tok_first[d], tok_first[d + 1]
        sh = shingles(h[a:b], k)
        valid = np.flatnonzero(valid_shingles(boiler[a:b], k))
        order = np.argsort(sh[valid], kind="stable")
        want_pos, want_sh = valid[order], sh[valid][order]
        _, inv, counts = np.unique(want_sh, return_inverse=True, return_counts=True)
        got = slice(first[d], first[d + 1])
        assert pos[got].tolist() == want_pos.tolist()
        assert ss[got].tolist() == want_sh.tolist()
        assert cnt[got].tolist() == counts[inv].tolist()
        single = anchor_index(h[a:b], boiler[a:b], k)
        assert [x.tolist() for x in single] == [pos[got].tolist(), ss[got].tolist(), cnt[got].tolist()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=20), st.lists(st.integers(0, 3), min_size=1, max_size=20),
       st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20), st.integers(0, 20)),
                max_size=6))
def test_same_words_is_array_equal(a: list[int], b: list[int], raw: list[tuple[int, int, int, int]]) -> None:
    ha, hb = np.array(a, np.uint64), np.array(b, np.uint64)
    spans = np.array([[min(s, e, len(a)), min(max(s, e), len(a)), min(t, f, len(b)), min(max(t, f), len(b))]
                      for s, e, t, f in raw], np.int64).reshape(-1, 4)
    want = [np.array_equal(ha[s0:s1], hb[t0:t1]) for s0, s1, t0, t1 in spans.tolist()]
    assert same_words(ha, hb, spans).tolist() == want
