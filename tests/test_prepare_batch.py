"""prepare_batch: batch kernels against per-article ``prepare`` and ``fingerprint`` (exactly)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.config import FingerprintConfig, PrepareConfig
from copydesk.fingerprint import outside_boilerplate, selected
from copydesk.prepare import Prepared, prepare
from copydesk.prepare_batch import (
    Batch,
    figures_reference,
    fingerprint_batch,
    line_keys,
    line_rows,
    line_rows_reference,
    line_starts,
    prepare_batch,
    row_line_keys,
    row_line_keys_reference,
    sentence_ends_reference,
    token_flags,
)
from copydesk.records import Article
from copydesk.spill import group_order, hash_partition
from textgen import paragraph, words

CONFIGS = [PrepareConfig(), PrepareConfig(boiler_patterns=False)]
CONFIG_IDS = ["patterns", "no-patterns"]

FURNITURE = [
    "Published: 2017-07-04", "Published: 2017-07-04 13:18", "Last Updated: 2017-07-04 13:29",
    "first published 4 July", "Posted by admin", "Modified", "Comments", "comment:",
    "Advertisement", "Story continues below", "Read more: storms across Europe",
    "Related stories", "Related content:", "Share this article", "Share on Facebook",
    "Report an error", "Follow us on Twitter", "Click here", "Subscribe now", "Sign up",
    "Tags: storm, coast", "Archive photo", "File picture", "Photo: Reuters",
    "Image credit: AP", "(Photo by Jan Nowak)", "Copyright 2005 X. All rights reserved.",
    "© 2021 Daily Planet", "(c) 2019 The Herald", "All rights reserved", "-- Reuters",
    "By Anna Kowal", "BY ANNA KOWAL and JAN NOWAK", "by Anna Kowal.", "From our correspondent",
    "By then it had rained.", "4 July 2017", "July 4, 2017", "2017-07-04", "2017-07-04T13:18:00",
    "04 Jul 2017", "Comments from the minister were not immediately available, his office said.",
]
LABELS = ["Markets", "World", "UK News", "Sport!", "Opinion.", '"Quoted"', "Top stories”",
          "Tech", "World?", "Live", "News » Europe", "Weather - Today"]
DATELINES = [
    "LONDON (Reuters) - ", "NEW YORK, Mar. 4 (GNA) - ", "PARIS (AFP) — ", "BEIRUT – ",
    "WASHINGTON -- ", "ST. LOUIS - ", "O'HARE (AP) - ", "LONDON - ", "  LONDON (Reuters) - ",
    "\tBERLIN (dpa) — ", "NEW YORK, Sept. 12 (AP) – ", "A CORUNA (EFE) - ",
    # near misses
    "London (Reuters) - ", "LONDON (Reuters)- ", "L - ", "LONDON (Reuters) -", "LONDON: ",
    "U.S. - ", "A - ", "ÉCOLE (AFP) - ", "LONDON (Reuters)\u00a0- ",
]
NOISE = [
    "", " ", "   ", "\t", "...", "— – -", "!!! ???", "“ ” ‘ ’", "- - -", ". , ; ! ? -- ...",
    "😀 🎉", "😀word 🎉", "\x00", "a\x00b", "café naïve Zürich", "Gronkjær’s", "ﬁnance ﬂow",
    "\u2028", "x\u2029y", "\x85", "\u00a0", "\u00a0\u00a0Markets\u00a0", "\x1c\x1d", "\x0b\x0c",
    "1 2 3", "2004", "Ｆｕｌｌ ｗｉｄｔｈ", "İstanbul", "ß straße", "ΣΊΣΥΦΟΣ", "日本語 のテキスト",
    "\u200b\u00ad", "\ufeff", "’", "A", "a b", "LONDON", "LONDON (Reuters)",
]


#: lines in scripts without spaces, and with folds of their own (see test_textnorm)
SCRIPT_LINES = [
    "新华社北京7月4日电（记者王小明）国家统计局今天发布数据。", "上半年GDP增长5.5%。", "责任编辑：李华",
    "「北京」", "東京都は4日、新しい計画を発表した。", "（共同）", "ภาษาไทยที่ไม่มีการเว้นวรรค",
    "กรุงเทพฯ ๔ ก.ค.", "ـأهلاً بكم في القاهرة ٢٠١٧", "علـــى مدرسة", "İstanbul'da KIZ",
    "Straße STRASSE", "Ωμέγα ΣΟΦΟΣ", "Москва — ёлка", "서울에서 열린 회의",
]
_DENSE_ALPHABET = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质信具土美教育" "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอฮะาำิีึืุูเแโใไ่้๊๋็์" "。，、「」！？：（）"


def script_line(rng: random.Random, n: int) -> str:
    """``n`` random characters of Chinese and Thai with their punctuation, run together."""
    return "".join(rng.choice(_DENSE_ALPHABET) for _ in range(n))


def _decorate(rng: random.Random, line: str) -> str:
    """Random leading/trailing whitespace around a line."""
    pads = ["", "", "", " ", "  ", "\t", "\u00a0", " \t "]
    return rng.choice(pads) + line + rng.choice(pads)


def make_article(rng: random.Random, n: int) -> Article:
    """An article exercising the prepare rules: furniture, labels, datelines, titles, noise."""
    kind = rng.random()
    if kind < 0.06:  # very short, fewer than 5 tokens
        text = " ".join(words(rng, rng.randint(0, 4))) or rng.choice(NOISE[4:])
        lines = [text]
    elif kind < 0.1:  # only whitespace-separated punctuation
        lines = [" ".join(rng.choice(".,;:!?-—–()[]\"'“”…*/") * rng.randint(1, 3)
                          for _ in range(rng.randint(1, 30)))]
    else:
        lines = []
        for _ in range(rng.randint(0, 3)):  # furniture and labels above the body
            lines.append(rng.choice(FURNITURE + LABELS + NOISE))
        nbody = rng.randint(0, 4)
        body = [paragraph(rng, rng.choice([3, 6, 7, 8, 9, 15, 30]), rng.randint(2, 12))
                for _ in range(nbody)]
        if body and rng.random() < 0.2:
            body.append(body[0])  # repeated text: repeated fingerprints
        for i, para in enumerate(body):
            if rng.random() < 0.5 and (i == 0 or rng.random() < 0.3):
                para = rng.choice(DATELINES) + para
            lines.append(para)
            for _ in range(rng.choice([0, 0, 1, 2])):  # furniture and noise between paragraphs
                lines.append(rng.choice(FURNITURE + LABELS + NOISE))
        for _ in range(rng.randint(0, 3)):  # and below it
            lines.append(rng.choice(FURNITURE + LABELS + NOISE))
        lines = [_decorate(rng, x) if rng.random() < 0.3 else x for x in lines]
    r = rng.random()
    if r < 0.15:
        title = None
    elif r < 0.25:
        title = rng.choice(["", "   ", "!!!", "😀"])
    elif r < 0.6 and lines:  # a line of the article, maybe in another case or spacing
        title = rng.choice(lines)
        title = rng.choice([title, title.upper(), title.lower(), " ".join(title.split())])
    else:
        title = " ".join(words(rng, rng.randint(1, 6)))
    nl = "\r\n" if rng.random() < 0.2 else "\n"
    text = nl.join(lines)
    if rng.random() < 0.1:
        text = rng.choice(["\n", "\r\n", "  \n\n", "\t"]) + text + rng.choice(["\n", " ", "\n\n"])
    date = rng.choice([None, "2017-07-04"])
    return Article(f"doc{n}", text, title=title, date=date)


def make_articles(seed: int, n: int) -> list[Article]:
    rng = random.Random(seed)
    return [make_article(rng, i) for i in range(n)]


def make_script_article(rng: random.Random, n: int) -> Article:
    """An article mixing lines of every script with the furniture the rules look for."""
    lines = []
    for _ in range(rng.randint(1, 8)):
        r = rng.random()
        if r < 0.4:
            lines.append(script_line(rng, rng.choice([1, 3, 4, 5, 11, 12, 13, 40, 200])))
        elif r < 0.7:
            lines.append(rng.choice(SCRIPT_LINES))
        elif r < 0.85:
            lines.append(rng.choice(FURNITURE + LABELS + NOISE + DATELINES))
        else:
            lines.append(paragraph(rng, rng.randint(3, 20)) + script_line(rng, rng.randint(0, 9)))
    title = rng.choice([None, rng.choice(lines), script_line(rng, 6)])
    return Article(f"s{n}", "\n".join(lines), title=title)


def assert_same_prepared(got: Prepared, want: Prepared) -> None:
    assert (got.id, got.date) == (want.id, want.date)
    for name in ("start", "end", "hash", "weight", "line", "digit"):
        g, w = getattr(got.tokens, name), getattr(want.tokens, name)
        assert g.dtype == w.dtype, name
        assert np.array_equal(g, w), name
    for name in ("boiler", "line_first"):
        g, w = getattr(got, name), getattr(want, name)
        assert g.dtype == w.dtype, name
        assert np.array_equal(g, w), name


def check_batch(articles: list[Article], cfg: PrepareConfig) -> tuple[Batch, list[Prepared]]:
    """prepare_batch equals prepare for every article; returns both."""
    batch = prepare_batch(articles, cfg)
    assert len(batch) == len(articles)
    assert batch.texts == [a.text for a in articles]
    # a token's global line (line_first) is its article's line base plus its line (line_keys)
    doc = np.repeat(np.arange(len(articles)), np.diff(batch.tok_first))
    line = np.repeat(np.arange(len(batch.line_first) - 1), np.diff(batch.line_first))
    assert np.array_equal(batch.line_base[doc] + batch.line, line)
    want = [prepare(a, cfg) for a in articles]
    for d, (a, w) in enumerate(zip(articles, want, strict=True)):
        try:
            assert_same_prepared(batch.prepared(d), w)
        except AssertionError as err:
            raise AssertionError(f"doc {d}: text={a.text!r} title={a.title!r}: {err}") from None
    return batch, want


def check_fingerprints(batch: Batch, want: list[Prepared], fcfg: FingerprintConfig) -> None:
    hashes, positions, fp_first = fingerprint_batch(batch, fcfg)
    assert len(fp_first) == len(batch) + 1 and fp_first[0] == 0
    assert fp_first[-1] == len(hashes) == len(positions)
    for d, p in enumerate(want):
        a, b = int(fp_first[d]), int(fp_first[d + 1])
        h, pos = outside_boilerplate(*selected(p.tokens.hash, fcfg), p.boiler, fcfg.k)
        got = list(zip(hashes[a:b].tolist(), positions[a:b].tolist(), strict=True))
        assert sorted(got) == sorted(zip(h.tolist(), pos.tolist(), strict=True)), f"doc {d}"
        assert len(set(hashes[a:b].tolist())) == b - a  # distinct per document
        assert positions[a:b].tolist() == sorted(positions[a:b].tolist())  # in position order


@pytest.mark.parametrize("cfg", CONFIGS, ids=CONFIG_IDS)
@pytest.mark.parametrize("size", [1, 2, 7, 60])
def test_batch_matches_prepare(cfg: PrepareConfig, size: int) -> None:
    articles = make_articles(1000 + size, 120)
    for at in range(0, len(articles), size):
        chunk = articles[at:at + size]
        batch, want = check_batch(chunk, cfg)
        check_fingerprints(batch, want, FingerprintConfig())


@pytest.mark.parametrize("fcfg", [FingerprintConfig(k=1, window=1), FingerprintConfig(k=2, window=3),
                                  FingerprintConfig(k=3, window=8), FingerprintConfig(k=8, window=2)],
                         ids=lambda c: f"k{c.k}w{c.window}")
def test_fingerprints_other_configs(fcfg: FingerprintConfig) -> None:
    articles = make_articles(7, 80)
    for cfg in CONFIGS:
        batch, want = check_batch(articles, cfg)
        check_fingerprints(batch, want, fcfg)


@pytest.mark.parametrize("cfg", CONFIGS, ids=CONFIG_IDS)
def test_batch_matches_prepare_all_scripts(cfg: PrepareConfig) -> None:
    rng = random.Random(17)
    articles = [make_script_article(rng, i) for i in range(80)]
    batch, want = check_batch(articles, cfg)
    check_fingerprints(batch, want, FingerprintConfig())
    assert sum(len(p.tokens) > 100 for p in want) > 10


def test_rules_fire_in_generated_articles() -> None:
    """The generator really exercises the rules (else the comparison proves little)."""
    articles = make_articles(1060, 120)
    full = [prepare(a) for a in articles]
    bare = [prepare(a, PrepareConfig(boiler_patterns=False)) for a in articles]
    assert sum(p.boiler.any() for p in full) > 40
    assert sum(p.boiler.any() for p in bare) > 5  # title lines only
    assert sum(not p.boiler.any() for p in full) > 5
    assert sum(len(p.tokens) < 5 for p in full) > 3


def test_dateline_and_edge_rules_in_batch() -> None:
    """Hand-made cases for each rule, in one batch, and the expected masks."""
    body = paragraph(random.Random(3), 20)
    arts = [
        Article("a", f"Markets\n\nLONDON (Reuters) - {body}\nWorld"),
        Article("b", f"NEW YORK, Mar. 4 (GNA) - {body}\r\nComments\r\n"),
        Article("c", f"{body}\nLONDON (Reuters) - {body}"),  # not on the first body line
        # five tokens: too long for a section label, so only the title rule masks it
        Article("d", f"Storm Hits The Northern Coast\n{body}", title="storm hits the northern coast"),
        Article("e", f"Storm Hits The Northern Coast\n{body}", title=None),
        Article("f", "Comments"),
        Article("g", ". , ; ! ?"),
        Article("h", ""),
        # a menu is not the story's first line: the dateline below it is masked
        Article("i", f"News | Politics | Business | Money | Sport | Life & Style | Travel\nLONDON (Reuters) - {body}"),
    ]
    for cfg in CONFIGS:
        batch, want = check_batch(arts, cfg)
        check_fingerprints(batch, want, FingerprintConfig())
    batch = prepare_batch(arts)
    masked = [batch.prepared(d).boiler.sum() for d in range(len(arts))]
    assert masked[0] == 1 + 2 + 1  # Markets, LONDON (Reuters), World
    assert masked[1] == 6  # NEW YORK, Mar. 4 (GNA), Comments
    assert masked[2] == 0
    assert masked[3] == 5 and masked[4] == 0
    assert masked[5] == 1 and masked[6] == 0 and masked[7] == 0
    assert masked[8] == 2


_LINE = st.one_of(
    st.sampled_from(FURNITURE + LABELS + NOISE + SCRIPT_LINES),
    st.text(alphabet=st.sampled_from(list(_DENSE_ALPHABET[::7] + " \t.A1")), max_size=30),
    st.builds(lambda d, w: d + " ".join(w), st.sampled_from(DATELINES),
              st.lists(st.sampled_from(["storm", "hit", "the", "coast", "2017", "Mr.", "x"]),
                       min_size=0, max_size=14)),
    st.text(alphabet=st.sampled_from(list("aB1 .\t-–()\u00a0é’😀\x00\r:,©LONDN")), max_size=30),
)
_ARTICLE = st.tuples(st.lists(_LINE, max_size=10), st.sampled_from(["\n", "\r\n"]),
                     st.one_of(st.none(), _LINE))


@settings(max_examples=60, deadline=None)
@given(st.lists(_ARTICLE, min_size=1, max_size=6), st.sampled_from(CONFIGS))
def test_batch_matches_prepare_property(items: list[tuple[list[str], str, str | None]],
                                        cfg: PrepareConfig) -> None:
    articles = [Article(str(n), nl.join(lines), title=title)
                for n, (lines, nl, title) in enumerate(items)]
    batch, want = check_batch(articles, cfg)
    check_fingerprints(batch, want, FingerprintConfig(k=2, window=3))


@pytest.mark.parametrize("parts", [1, 2, 16, 64])
def test_winnowed_fingerprints_spread_evenly_over_partitions(parts: int) -> None:
    """Fingerprints are window minima (small values): partitions must still be even."""
    rng = np.random.default_rng(parts)
    toks = rng.integers(0, 2**63, 60_000, dtype=np.int64).astype(np.uint64)
    batch_h = np.concatenate([selected(toks[i:i + 600])[1] for i in range(0, len(toks), 600)])
    part = hash_partition(batch_h, parts)
    assert part.min() >= 0 and part.max() < parts
    counts = np.bincount(part, minlength=parts)
    assert counts.max() <= 1.5 * len(batch_h) / parts + 50
    order, bounds = group_order(part, parts)
    assert np.array_equal(part[order], np.sort(part)) and bounds[-1] == len(batch_h)



@pytest.mark.parametrize("cfg", CONFIGS, ids=CONFIG_IDS)
def test_dateline_search_ends_at_a_token_that_ends_a_sentence(cfg: PrepareConfig) -> None:
    """Thai is written without spaces: the first line's last chunk holds several tokens, and
    ``prepare`` and ``prepare_batch`` both read the last token (a hypothesis-found case)."""
    text = "1\u0e081\u0e081\u0e081\u0e08.\nLONDON (Reuters) - storm storm storm"
    check_batch([Article("0", text)], cfg)


@pytest.mark.parametrize("size", [1, 7, 60])
def test_row_line_keys_is_the_reference(size: int) -> None:
    batch = prepare_batch(make_articles(3000 + size, size))
    fh, fp, first = fingerprint_batch(batch)
    keys = line_keys(batch)
    fast = row_line_keys(batch, first, fp, keys)
    assert fast.dtype == np.uint32 and len(fast) == len(fh)
    assert np.array_equal(fast, row_line_keys_reference(batch, first, fp, keys))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([0, 0, 1, 2, 3, 7, 40]), max_size=12), st.integers(0, 3), st.integers(0, 2**32 - 1))
def test_line_keys_two_lanes_equal_one_chain_per_line(lens: list[int], offset: int, seed: int) -> None:
    from copydesk.prepare_batch import _line_keys_only, _line_keys_two_lanes
    line_first = np.concatenate(([offset], offset + np.cumsum(lens, dtype=np.int64))).astype(np.int64)
    hashes = np.random.default_rng(seed).integers(0, 2**63, int(line_first[-1]) + 2, dtype=np.int64).astype(np.uint64)
    assert _line_keys_two_lanes(hashes, line_first).tolist() == _line_keys_only(hashes, line_first).tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 4)), max_size=40))
def test_by_doc_then_key_is_lexsort(rows: list[tuple[int, int]]) -> None:
    from copydesk.prepare_batch import _by_doc_then_key
    doc = np.cumsum([d for d, _ in rows], dtype=np.int64)  # ascending, as line_rows has it
    key = np.array([k for _, k in rows], np.uint64)
    assert _by_doc_then_key(doc, key).tolist() == np.lexsort((key, doc)).tolist()


def _same(x: object, y: object) -> bool:
    """Equal nested tuples of arrays: same dtypes, shapes and values."""
    if isinstance(x, tuple):
        return isinstance(y, tuple) and len(x) == len(y) and all(_same(a, b) for a, b in zip(x, y, strict=True))
    assert isinstance(x, np.ndarray) and isinstance(y, np.ndarray)
    return x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y)


@pytest.mark.parametrize("size", [1, 7, 60, 300])
def test_line_rows_is_the_reference(size: int) -> None:
    rng = random.Random(size)
    articles = make_articles(5000 + size, size) + [make_script_article(rng, n) for n in range(size // 3)]
    batch = prepare_batch(articles)
    assert _same(line_rows(batch), line_rows_reference(batch))
    assert _same(line_rows(batch, line_keys(batch)), line_rows_reference(batch))


@settings(max_examples=100, deadline=None)
@given(st.lists(_ARTICLE, min_size=1, max_size=6), st.booleans())
def test_line_rows_is_the_reference_property(items: list[tuple[list[str], str, str | None]], repeat: bool) -> None:
    articles = [Article(str(n), nl.join(lines + lines[:2] if repeat else lines), title=title)  # repeated lines
                for n, (lines, nl, title) in enumerate(items)]
    batch = prepare_batch(articles)
    assert _same(line_rows(batch), line_rows_reference(batch))


@pytest.mark.parametrize("size", [1, 7, 60, 300])
def test_token_flags_are_the_references(size: int) -> None:
    from copydesk.prepare_batch import _figures, _sentence_ends
    rng = random.Random(size)
    articles = make_articles(6000 + size, size) + [make_script_article(rng, n) for n in range(size // 3)]
    batch = prepare_batch(articles)
    cps, doc_cp, args = batch.cps, batch.doc_cp, (batch.tok_first, batch.start, batch.end)
    sent, fig = token_flags(cps, doc_cp, *args, batch.digit)
    assert sent.tolist() == sentence_ends_reference(batch) == _sentence_ends(cps, doc_cp, *args).tolist()
    assert fig.tolist() == figures_reference(batch) == _figures(cps, doc_cp, *args, batch.digit).tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("aZ7.!?\"')]\u201d\u2019\u00bb\u201c(U.S") + ["\u4e2d", "\U0001F600", "\u00e9"]),
                        min_size=1, max_size=7), min_size=1, max_size=30),
       st.sampled_from([" ", "\n", "  "]))
def test_token_flags_are_the_references_at_any_chunk_end(chunks: list[str], sep: str) -> None:
    # chunks ending in closers, stops, letters, a dense letter or a character beyond the BMP
    from copydesk.prepare_batch import _sentence_ends
    batch = prepare_batch([Article("a", sep.join(chunks)), Article("b", " ".join(reversed(chunks)))])
    cps, doc_cp, args = batch.cps, batch.doc_cp, (batch.tok_first, batch.start, batch.end)
    sent, fig = token_flags(cps, doc_cp, *args, batch.digit)
    assert sent.tolist() == sentence_ends_reference(batch) == _sentence_ends(cps, doc_cp, *args).tolist()
    assert fig.tolist() == figures_reference(batch)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=8),
       st.lists(st.tuples(st.integers(0, 7), st.integers(-1, 40)), max_size=10), st.randoms())
def test_mask_heads_is_the_numpy_form(counts: list[int], hits: list[tuple[int, int]], rnd: random.Random) -> None:
    # the dateline heads of several lines masked in one kernel call, as line by line with numpy
    from copydesk.prepare_batch import _mask_heads
    line_first = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    start = np.array(sorted(rnd.randrange(40) for _ in range(int(line_first[-1]))), np.int32)
    boiler = np.array([rnd.random() < 0.2 for _ in range(len(start))], np.bool_)
    hits = [(ln % len(counts), cut) for ln, cut in hits]
    want = boiler.copy()
    for ln, cut in hits:
        a, b = int(line_first[ln]), int(line_first[ln + 1])
        want[a:b] |= start[a:b] < cut
    _mask_heads(boiler, start, line_first, np.array([h[0] for h in hits], np.int64),
                np.array([h[1] for h in hits], np.int64))
    assert boiler.tolist() == want.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), max_size=70), st.integers(0, 7))
def test_figure_positions_is_flatnonzero(flags: list[bool], skip: int) -> None:
    from copydesk.prepare_batch import figure_positions
    figure = np.array(flags, np.bool_)[skip:]  # (any start: the kernel reads eight flags at a time)
    assert figure_positions(np.ascontiguousarray(figure)).tolist() == np.flatnonzero(figure).tolist()


@pytest.mark.parametrize("seed", range(4))
def test_line_starts_are_each_articles_own(seed: int) -> None:
    """line_starts = each article's line starts less its first token, one after the other
    (empty articles and one-line ones among them), as Batch.prepared gives them."""
    rng = random.Random(seed)
    texts = ["", paragraph(rng), "\n".join(paragraph(rng) for _ in range(rng.randint(2, 6))), " ",
             *("\n\n".join(paragraph(rng) for _ in range(rng.randint(1, 4))) for _ in range(8))]
    rng.shuffle(texts)
    batch = prepare_batch([Article(f"a{n}", t) for n, t in enumerate(texts)], PrepareConfig())
    got = line_starts(batch.line_first, batch.tok_first, batch.line_base)
    want = [(batch.line_first[batch.line_base[d]:batch.line_base[d + 1] + 1] - batch.tok_first[d]).astype(np.int32)
            for d in range(len(texts))]
    assert got.dtype == np.int32 and np.array_equal(got, np.concatenate(want))
    for d, w in enumerate(want):
        assert np.array_equal(batch.prepared(d).line_first, w) and batch.prepared(d).line_first.dtype == np.int32
