"""align: passages in original characters, edit tolerance, splits and coverage."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.align import Alignment, align, align_batch, align_reference
from copydesk.config import AlignConfig
from copydesk.paraphrase import mark_kinds
from copydesk.prepare import Prepared, prepare
from copydesk.prepare_batch import prepare_batch
from copydesk.records import Article
from copydesk.textnorm import tokenize
from textgen import STORY as _FULL_STORY
from textgen import paragraph, words

STORY = _FULL_STORY[:4]


def _prep(id_: str, text: str, **kw: str) -> Prepared:
    return prepare(Article(id_, text, **kw))


def _key(text: str) -> list[int]:
    return tokenize(text).hash.tolist()


def check_alignment(al: Alignment, a: str, b: str) -> None:
    """Invariants every alignment satisfies."""
    assert 0.0 <= al.coverage_a <= 1.0 and 0.0 <= al.coverage_b <= 1.0
    assert len(al.spans) == len(al.passages)
    for p in al.passages:
        assert 0 <= p.a_start < p.a_end <= len(a)
        assert 0 <= p.b_start < p.b_end <= len(b)
        sa, sb = a[p.a_start:p.a_end], b[p.b_start:p.b_end]
        # passages start and end on word boundaries of the original text
        assert not sa[0].isspace() and not sa[-1].isspace()
        assert not sb[0].isspace() and not sb[-1].isspace()
        assert p.a_start == 0 or a[p.a_start - 1].isspace()
        assert p.b_start == 0 or b[p.b_start - 1].isspace()
        assert p.a_end == len(a) or a[p.a_end].isspace()
        assert p.b_end == len(b) or b[p.b_end].isspace()
        ka, kb = _key(sa), _key(sb)
        assert ka[0] == kb[0] and ka[-1] == kb[-1]
    for side in ("a", "b"):
        spans = sorted((getattr(p, f"{side}_start"), getattr(p, f"{side}_end"))
                       for p in al.passages)
        for (_, e), (s, _) in zip(spans, spans[1:], strict=False):
            assert e <= s, f"overlapping passages on side {side}"


def _mutate(rng: random.Random, paras: list[str]) -> list[str]:
    out = []
    for p in paras:
        r = rng.random()
        if r < 0.2:
            continue  # paragraph dropped
        w = p.split(" ")
        for _ in range(rng.randint(0, 4)):
            op, i = rng.random(), rng.randrange(len(w))
            if op < 0.4:
                w[i] = words(rng, 1)[0]          # a respelled word
            elif op < 0.7:
                del w[i:i + rng.randint(1, 12)]  # a cut
                if not w:
                    w = words(rng, 3)
            else:
                w[i:i] = words(rng, rng.randint(1, 15))  # an insertion
        out.append(" ".join(w))
        if r > 0.9:
            out.append(paragraph(rng, rng.randint(5, 40)))  # a new paragraph
    if len(out) > 2 and rng.random() < 0.3:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]  # paragraphs swapped
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.sampled_from(["\n\n", "\n", " "]))
def test_alignment_invariants_on_edited_copies(seed: int, n_paras: int, sep: str) -> None:
    rng = random.Random(seed)
    paras = [paragraph(rng, rng.randint(5, 60)) for _ in range(n_paras)]
    a = sep.join(paras)
    b = sep.join(_mutate(rng, paras)) or "nothing"
    if rng.random() < 0.3:
        b = "Comments\nBy Anna Kowal\n" + b + "\nShare this article"
    al = align(_prep("a", a), _prep("b", b))
    check_alignment(al, a, b)
    check_alignment(align(_prep("b", b), _prep("a", a)), b, a)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 5))
def test_self_alignment_is_one_full_passage(seed: int, n_paras: int) -> None:
    rng = random.Random(seed)
    body = "\n\n".join(paragraph(rng) for _ in range(n_paras))
    text = f"Published: 2017-07-04 13:18\nArchive photo\n\n{body}\n\nComments\nShare this article"
    p = _prep("a", text)
    al = align(p, p)
    check_alignment(al, text, text)
    start = text.index(body)
    end = start + len(body)
    assert [(x.a_start, x.a_end, x.b_start, x.b_end) for x in al.passages] == [
        (start, end, start, end)]
    assert al.coverage_a == 1.0 and al.coverage_b == 1.0




def test_small_edits_stay_one_passage() -> None:
    a = "\n\n".join(STORY)
    b = a.replace("Raqqa", "Raqa").replace("on Tuesday", "yesterday")
    assert b != a
    al = align(_prep("a", a), _prep("b", b))
    check_alignment(al, a, b)
    assert len(al.passages) == 1
    p = al.passages[0]
    assert (p.a_start, p.a_end, p.b_start, p.b_end) == (0, len(a), 0, len(b))
    assert al.coverage_a == 1.0 and al.coverage_b == 1.0


def test_dropped_middle_paragraph_splits_passage() -> None:
    a = "\n\n".join(STORY)
    b = "\n\n".join([STORY[0], STORY[1], STORY[3]])
    assert len(STORY[2]) > AlignConfig().max_gap_chars
    al = align(_prep("a", a), _prep("b", b))
    check_alignment(al, a, b)
    assert len(al.passages) == 2
    p, q = al.passages
    assert (p.a_start, p.b_start) == (0, 0)
    assert a[p.a_start:p.a_end] == b[p.b_start:p.b_end] == "\n\n".join(STORY[:2])
    assert a[q.a_start:q.a_end] == b[q.b_start:q.b_end] == STORY[3]
    assert al.coverage_b == 1.0 and 0.6 < al.coverage_a < 0.8


def test_dropped_short_phrase_is_bridged() -> None:
    a = "\n\n".join(STORY)
    b = a.replace(", officials said", "")
    al = align(_prep("a", a), _prep("b", b))
    assert len(al.passages) == 1


def test_boilerplate_between_paragraphs_is_not_aligned() -> None:
    a = f"{STORY[0]}\nArchive photo\n{STORY[1]}"
    al = align(_prep("a", a), _prep("b", a))
    check_alignment(al, a, a)
    assert [a[p.a_start:p.a_end] for p in al.passages] == [STORY[0], STORY[1]]
    assert al.coverage_a == 1.0


def test_unrelated_texts_have_no_passages() -> None:
    rng = random.Random(3)
    a, b = paragraph(rng, 80), paragraph(rng, 80)
    al = align(_prep("a", a), _prep("b", b))
    assert al.passages == () and al.coverage_a == 0.0 and al.coverage_b == 0.0
    assert al.longest_chars == 0


def test_short_shared_run_below_min_passage_is_dropped() -> None:
    rng = random.Random(4)
    shared = "the quick brown fox"
    a = f"{paragraph(rng)} {shared} {paragraph(rng)}"
    b = f"{paragraph(rng)} {shared} {paragraph(rng)}"
    assert align(_prep("a", a), _prep("b", b)).passages == ()
    al = align(_prep("a", a), _prep("b", b), AlignConfig(min_passage_chars=10))
    assert [a[p.a_start:p.a_end] for p in al.passages] == [shared]


def test_passages_point_into_original_text_with_odd_unicode() -> None:
    base = "\n\n".join(STORY[:2])
    a = "\u00a0\u00a0" + base
    b = base.replace("fortified", "forti\u00adfied").replace("first", "\ufb01rst").replace(
        " the ", "  THE  ")
    al = align(_prep("a", a), _prep("b", b))
    check_alignment(al, a, b)
    assert len(al.passages) == 1
    p = al.passages[0]
    assert a[p.a_start:p.a_end] == base
    assert b[p.b_start:p.b_end] == b


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.sampled_from(["\n\n", "\n", " "]),
       st.integers(1, 5), st.integers(1, 4))
def test_kernel_matches_reference(seed: int, n_paras: int, sep: str, anchor_k: int, repeat: int) -> None:
    """The compiled kernel returns exactly the reference's passages and coverage."""
    rng = random.Random(seed)
    paras = [paragraph(rng, rng.randint(5, 60)) for _ in range(n_paras)]
    a = sep.join(paras + paras[:1] if rng.random() < 0.2 else paras)  # sometimes repeated text
    b = sep.join(_mutate(rng, paras)) or "nothing"
    if rng.random() < 0.3:
        b = "Comments\nBy Anna Kowal\n" + b + "\nShare this article"
    cfg = AlignConfig(anchor_k=anchor_k, max_anchor_repeat=repeat, max_gap_chars=rng.choice([0, 20, 60]),
                      min_passage_chars=rng.choice([1, 40]))
    pa, pb = _prep("a", a), _prep("b", b)
    fast, ref = align(pa, pb, cfg), align_reference(pa, pb, cfg)
    assert fast.spans.tolist() == ref.spans.tolist()
    assert fast.passages == ref.passages
    assert (fast.coverage_a, fast.coverage_b) == (ref.coverage_a, ref.coverage_b)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.sampled_from([0, 20, 60]))
def test_align_batch_gives_the_same_alignment(seed: int, anchor_k: int, max_gap: int) -> None:
    """The scan's path (all pairs of a prepared batch in one kernel call) returns what align
    returns for every pair of the batch, in both orders."""
    rng = random.Random(seed)
    paras = [paragraph(rng, rng.randint(5, 40)) for _ in range(4)]
    texts = ["\n\n".join(_mutate(rng, paras)) or "nothing" for _ in range(4)] + ["x", "Comments\n" + paras[0]]
    arts = [Article(f"d{n}", t) for n, t in enumerate(texts)]
    cfg = AlignConfig(anchor_k=anchor_k, max_gap_chars=max_gap)
    batch = prepare_batch(arts)
    left, right = np.meshgrid(np.arange(len(arts)), np.arange(len(arts)))
    got = align_batch(batch, left.ravel(), right.ravel(), cfg)
    marked = align_batch(batch, left.ravel(), right.ravel(), cfg, kinds=True)
    for x, y, fast, kinds in zip(left.ravel().tolist(), right.ravel().tolist(), got, marked, strict=True):
        ref = align(batch.prepared(x), batch.prepared(y), cfg)
        assert fast.spans.tolist() == ref.spans.tolist()
        assert fast.passages == ref.passages
        assert (fast.coverage_a, fast.coverage_b) == (ref.coverage_a, ref.coverage_b)
        # passages marked in the batch call, as mark_kinds marks them pair by pair
        by_pair = mark_kinds(batch.prepared(x), batch.prepared(y), ref)
        assert kinds.spans.tolist() == by_pair.spans.tolist()
        assert kinds.passages == by_pair.passages
        assert (kinds.coverage_a, kinds.coverage_b) == (by_pair.coverage_a, by_pair.coverage_b)
