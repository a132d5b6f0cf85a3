"""A pair only the semantic stage proposed is reuse only through reworded sentences."""

from __future__ import annotations

from semantic_texts import OTHER, REWRITE, SOURCE

from copydesk.align import align
from copydesk.config import AlignConfig, ParaphraseConfig, SemanticConfig
from copydesk.prepare import prepare
from copydesk.records import Article, Pair
from copydesk.relate import judge

SHARED = ("The committee published its annual report on the regional water supply, which found that "
          "leaking pipes lost a fifth of all treated water before it reached a single household.")


def _judge(x: str, y: str, *, reworded_only: bool) -> Pair | str:
    a, b = Article("a", x), Article("b", y)
    pa, pb = prepare(a), prepare(b)
    al = align(pa, pb, AlignConfig())
    return judge(pa, pb, al, x, y, paraphrase=ParaphraseConfig(), semantic=SemanticConfig(enabled=True),
                 reworded_only=reworded_only)


def test_exact_text_alone_does_not_make_a_semantic_candidate_reuse() -> None:
    x, y = SOURCE + "\n" + SHARED, OTHER + "\n" + SHARED
    assert isinstance(_judge(x, y, reworded_only=False), Pair)  # a candidate of the fingerprints: reuse
    assert _judge(x, y, reworded_only=True) == "unrelated"


def test_a_rewrite_proposed_by_the_semantic_stage_is_reuse() -> None:
    pair = _judge(SOURCE, REWRITE, reworded_only=True)
    assert isinstance(pair, Pair) and any(p.kind == "paraphrase" for p in pair.passages)


def test_a_verbatim_copy_proposed_by_the_semantic_stage_is_set_aside() -> None:
    # nothing reworded to judge: left to the rules that compare any pair (family completion),
    # not typed by the sentences a furniture line or a slip leaves to pair
    copy = SOURCE.replace("Opposition politicians accused", "Opposition leaders accused")
    assert isinstance(_judge(SOURCE, copy, reworded_only=False), Pair)
    assert _judge(SOURCE, copy, reworded_only=True) == "unrelated"
