"""Corpus furniture: lines recurring on articles that otherwise share nothing are masked;
syndicated text, which recurs together with the rest of its story, never is."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import copydesk
from copydesk.config import FurnitureConfig
from copydesk.furniture import (
    CodeMap,
    CodeSet,
    in_sorted,
    key_counts,
    key_counts_reference,
    learn,
    learn_lines,
    learn_reference,
    lexsort2,
    link_lines,
    link_targets,
    link_targets_reference,
    pair_codes,
    stable_argsort_u64,
)
from copydesk.prepare_batch import figures_reference, line_rows, prepare_batch
from copydesk.records import Article
from textgen import paragraph

COOKIE = ("We and our partners use cookies to personalise your experience, measure audiences "
          "and show you relevant advertising. By continuing you accept our cookie policy.")
FOOTER = "Northgate Post, part of Northgate Media Group. Terms, conditions and privacy notice apply here."


def _page(n: int, body: str, site: str) -> Article:
    return Article(f"{site}-{n:02d}", f"{COOKIE}\n\n{body}\n\n{FOOTER}", source=site)


def sentences(rng: random.Random, n: int) -> list[str]:
    return [paragraph(rng, rng.randint(14, 30)) for _ in range(n)]


def _story(seed: int, n: int = 8) -> str:
    return "\n\n".join(sentences(random.Random(seed), n))


def test_site_furniture_is_masked_and_syndication_is_not(tmp_path) -> None:
    wire = _story(999)
    pages = [_page(n, _story(n), "northgate") for n in range(6)]
    # the same wire story on six other sites, each with a furniture line of its own
    reprints = [Article(f"re-{n}", f"{wire}\n\nMore news from site {n} every day here.", source=f"site-{n}")
                for n in range(6)]
    result = copydesk.scan(pages + reprints, out=tmp_path)
    found = {(p.a, p.b) for p in result.pairs}
    # pages of one site that share only furniture are not pairs ...
    assert not any(a.startswith("northgate") and b.startswith("northgate") for a, b in found)
    # ... every pair of reprints is
    assert sum(a.startswith("re-") and b.startswith("re-") for a, b in found) == 15
    masked = {r["text"] for r in result.boilerplate}
    assert COOKIE in masked and FOOTER in masked
    assert not any(line in masked for line in wire.split("\n\n"))
    audit = (tmp_path / "boilerplate.jsonl").read_text()
    assert "cookies" in audit


def test_a_brief_carried_whole_by_other_sites_stories_is_not_furniture(tmp_path) -> None:
    """A site's one-paragraph brief, carried whole inside longer stories on other sites whose
    other text is their own, recurs like furniture; but furniture is set around an article's
    text, and here it is an article's whole text: a brief, and every pair with it is reuse.
    The same paragraph without the brief is furniture by the rule (the case it guards)."""
    rng = random.Random(21)
    brief = paragraph(rng, 60)
    carriers = [Article(f"story-{n}", "\n\n".join(sentences(rng, 3) + [brief] + sentences(rng, 3)),
                        source=site) for n, site in enumerate(["lantern", "lantern", "lantern", "post"])]
    alone = Article("brief", brief, source="sentinel")
    result = copydesk.scan([alone, *carriers], out=tmp_path / "with")
    assert {(p.a, p.b) for p in result.pairs if "brief" in (p.a, p.b)} == {
        tuple(sorted(("brief", c.id))) for c in carriers}
    assert brief not in {r["text"] for r in result.boilerplate}
    without = copydesk.scan(carriers, out=tmp_path / "without")
    assert brief in {r["text"] for r in without.boilerplate}


def test_a_page_that_is_only_its_sites_cookie_notice_leaves_it_furniture(tmp_path) -> None:
    """A page whose whole text is its site's cookie notice (a consent wall, no article) is
    no brief: the site carries the notice on every page, so it stays furniture and pages
    sharing only it are no pairs."""
    pages = [_page(n, _story(n), "northgate") for n in range(6)]
    wall = Article("northgate-wall", COOKIE, source="northgate")
    result = copydesk.scan([*pages, wall], out=tmp_path)
    assert COOKIE in {r["text"] for r in result.boilerplate}
    assert not result.pairs


def test_a_stock_caption_with_other_credits_is_furniture() -> None:
    """A short line that recurs on unrelated pages with another ending (a stock photo caption
    with each photographer's credit) is furniture; a long paragraph opening the same way is
    not."""
    rng = random.Random(11)
    caption = "The stadium on match day. Photo: "
    opening = "The Prime Minister said on Tuesday that "
    pages = [Article(f"p{n}", f"{caption}{site}\n\n{opening}{paragraph(rng, 30)}\n\n{_story(100 + n)}",
                     source=site)
             for n, site in enumerate(["Rex Features", "Getty Images", "Jo Hart", "PA", "AFP", "Reuters"])]
    key, marks, doc, weight, line = _rows(pages)
    furniture = learn(key, marks, doc, np.full(len(doc), -1), weight, line)  # sites unknown
    masked = {(d, n) for d, n in zip(doc.tolist(), line.tolist(), strict=True)
              if np.isin(pair_codes(np.array([d]), key[(doc == d) & (line == n)]), furniture.codes).all()}
    assert {(d, 0) for d in range(len(pages))} <= masked
    assert not any(n == 2 for _, n in masked)


def test_a_bio_under_two_pieces_of_one_site_is_furniture_a_shared_paragraph_is_not() -> None:
    """Two articles of one site are too few for the rule alone; a line only they carry is
    furniture when it sits in both beside furniture (an author's bio over the site's
    "Related stories"), and not when it is a paragraph of their stories."""
    bio, shared, bodies = _two_pieces_and_a_shared_paragraph(random.Random(12))
    texts = ["\n\n".join([COOKIE, *body, *([bio] if n < 2 else []), "Related stories", FOOTER])
             for n, body in enumerate(bodies)]
    masked = _masked_lines([Article(f"p{n}", t, source="northgate") for n, t in enumerate(texts)])
    assert bio in masked and FOOTER in masked
    assert shared not in masked


def test_a_bio_beside_other_furniture_on_each_page_is_furniture() -> None:
    """A page's furniture comes in one block, laid out differently from page to page: the
    bio sits under the body and over the newsletter prompt on one piece, under the prompt
    and over the footer on the other; the shared paragraph, inside two stories, is kept."""
    bio, shared, bodies = _two_pieces_and_a_shared_paragraph(random.Random(13))
    news = "Get the latest Northgate news straight to your inbox: sign up to our free daily newsletter today."
    blocks = [[bio, news, FOOTER], [news, bio, FOOTER]]  # beside the same line above or below in neither
    texts = ["\n\n".join([COOKIE, *body, *(blocks[n] if n < 2 else [news, FOOTER])]) for n, body in enumerate(bodies)]
    masked = _masked_lines([Article(f"p{n}", t, source="northgate") for n, t in enumerate(texts)])
    assert bio in masked and FOOTER in masked
    assert shared not in masked


def _two_pieces_and_a_shared_paragraph(rng: random.Random) -> tuple[str, str, list[list[str]]]:
    """An author's bio, a paragraph, and six story bodies of one site: the third and fourth
    share the paragraph (the bio goes under the first two)."""
    bio = ("Jo Hart covers the courts for the Northgate Post. She joined in 1998 after ten years "
           "at a regional news agency.")
    shared = paragraph(rng, 40)
    bodies = [sentences(rng, 5) for _ in range(6)]
    bodies[2].insert(2, shared)
    bodies[3].insert(3, shared)
    return bio, shared, bodies


def _masked_lines(pages: list[Article]) -> set[str]:
    """The lines of ``pages`` that the corpus furniture masks."""
    key, marks, doc, weight, line = _rows(pages)
    furniture = learn(key, marks, doc, np.zeros(len(doc), np.int64), weight, line)
    return {pages[d].text.split("\n")[n] for d, n in zip(doc.tolist(), line.tolist(), strict=True)
            if in_sorted(pair_codes(np.array([d]), key[(doc == d) & (line == n)]), furniture.codes).all()}


def _rows(articles: list[Article]) -> tuple[np.ndarray, ...]:
    (key, marks, doc, weight, line), _ = line_rows(prepare_batch(articles))
    return key, marks, doc, weight, line


def _report(rng: random.Random) -> list[str]:
    """An instance of a routine report: fixed words, figures of its own."""
    return [f"Maximum temperatures of {rng.randint(2, 30)}C ({rng.randint(35, 86)}F) are expected on "
            f"the coast tomorrow, with overnight lows of {rng.randint(-5, 12)}C inland.",
            f"Winds will be moderate, gusting up to {rng.randint(15, 65)} mph on exposed coasts, and there "
            f"is a {rng.randrange(10, 95, 5)}% chance of rain in the afternoon.",
            f"Sunrise is at {rng.randint(5, 8)}:{rng.randint(10, 59)} and sunset at {rng.randint(16, 21)}:"
            f"{rng.randint(10, 59)}, and the outlook for the weekend is much the same."]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(4, 12), st.integers(1, 3))
def test_learn_matches_reference(seed: int, ndocs: int, nsites: int) -> None:
    rng = random.Random(seed)
    shared = [sentences(rng, 1)[0] for _ in range(4)]
    # a story with figures, copied whole or with a figure changed; template instances
    story = [f"{s} It cost {rng.randint(2, 900)} million in {rng.randint(1990, 2020)}." for s in sentences(rng, 3)]
    arts = []
    for n in range(ndocs):
        kind = rng.random()
        if kind < 0.5:  # a page with a report of its own and shared lines: the rule's case
            lines = _report(rng) + rng.sample(shared, rng.randint(1, 3))
        elif kind >= 0.9:  # a brief: one shared line, its whole text
            lines = [rng.choice(shared)]
        else:
            lines = sentences(rng, rng.randint(1, 5)) + rng.sample(shared, rng.randint(0, 3))
        if 0.5 <= kind < 0.7:
            lines += [x.replace(" million", "0 million") if rng.random() < 0.3 else x for x in story]
        rng.shuffle(lines)
        arts.append(Article(f"d{n}", "\n".join(lines), source=f"s{n % nsites}"))
    key, marks, doc, weight, line = _rows(arts)
    site = doc % nsites
    cfg = FurnitureConfig(min_docs=3, site_min_docs=2, sample=5)
    fast = learn_lines(key, marks, doc, site, weight, line, cfg)
    ref = learn_reference(key, marks, doc, site, weight, line, cfg)
    want = np.unique(pair_codes(np.array([d for d, _ in ref], np.int64),
                                np.array([k for _, k in ref], np.uint64)))
    assert np.array_equal(fast.codes, want)
    # the carriers read off the sorted groups are every row of each key, as counted over all
    assert np.array_equal(fast.carriers, key_counts_reference(key, fast.keys))
    pairs = learn_lines(key, marks, doc, site, weight, line, cfg, two_of_a_site=True)
    assert np.array_equal(pairs.carriers, key_counts_reference(key, pairs.keys))
    # rows in another order are sorted first (a scan's come sorted, and are not): same answer
    order = np.random.default_rng(seed).permutation(len(key))
    again = learn_lines(key[order], marks[order], doc[order], site[order], weight[order], line[order], cfg)
    for name in ("codes", "keys", "carriers", "masked", "sites", "example_doc", "example_line", "docs"):
        assert np.array_equal(getattr(again, name), getattr(fast, name)), name


def test_a_site_of_routine_reports_still_has_its_furniture_learned(tmp_path) -> None:
    """Most pages of a site are instances of one report template (weather: the same
    skeleton, figures of their own).  Their skeleton lines are found on the other pages
    only with other figures: each instance is a report of its own, not a version of one
    story, so the cookie notice and footer they all carry are still furniture, and two
    pages sharing only furniture are no pair.  A story syndicated with edits (a figure
    changed in one copy, the copies condensed) still recurs with the rest of its story:
    never masked."""
    rng = random.Random(5)
    pages = [_page(n, "\n\n".join(_report(rng)), "northgate") for n in range(9)]
    pages += [_page(n, _story(300 + n, 4), "northgate") for n in range(9, 13)]
    wire = [f"{s} Officials put the cost at {rng.randint(2, 900)} million in {rng.randint(1990, 2020)}."
            for s in sentences(rng, 6)]
    reprints = []
    for n in range(6):
        text = wire[: 6 - n % 3]
        if n == 2:
            text = [text[0].replace(" million", ".5 million")] + text[1:]
        reprints.append(Article(f"re-{n}", "\n\n".join(text) + f"\n\nMore news from site {n} every day here.",
                                source=f"site-{n}"))
    key, marks, doc, weight, line = _rows(pages + reprints)
    site = np.where(doc < len(pages), 0, doc - len(pages) + 1)
    masked = learn_reference(key, marks, doc, site, weight, line)
    furniture = learn(key, marks, doc, site, weight, line)
    want = np.unique(pair_codes(np.array([d for d, _ in masked], np.int64), np.array([k for _, k in masked], np.uint64)))
    assert set(want.tolist()) <= set(furniture.codes.tolist())  # by whole lines, and by ends
    result = copydesk.scan(pages + reprints, out=tmp_path)
    found = {(p.a, p.b) for p in result.pairs}
    boiler = {r["text"] for r in result.boilerplate}
    assert COOKIE in boiler and FOOTER in boiler
    assert not any(a.startswith("northgate") and b.startswith("northgate") for a, b in found)
    assert not any(x in boiler for x in wire)
    assert sum(a.startswith("re-") and b.startswith("re-") for a, b in found) == 15


def test_figures_match_their_reference() -> None:
    texts = ["Temperatures of 4C (39F), winds of 42 mph, a 20% chance; £5.7bn, 1,000 and -6C.",
             "A scanner's leve1 and c0uncil are no figures; 'l997 is none, 8PI is one.\n\n2004 and 2005"]
    batch = prepare_batch([Article(str(n), t) for n, t in enumerate(texts)])
    assert batch.figure is not None and batch.figure.tolist() == figures_reference(batch)
    n = int(batch.tok_first[1])
    toks = [texts[0][s:e] for s, e in zip(batch.start[:n].tolist(), batch.end[:n].tolist(), strict=True)]
    figs = {t for t, f in zip(toks, batch.figure[:n].tolist(), strict=True) if f}
    assert figs == {"4C", "(39F),", "42", "20%", "£5.7bn,", "1,000", "-6C."}
    assert not batch.figure[n:n + 5].any()


def test_links_to_other_articles_are_masked() -> None:
    rng = random.Random(5)
    story = Article("story", "\n\n".join(sentences(rng, 6)), title="Minister resigns over expenses row")
    lede = story.text.split("\n\n")[0]
    page = Article("page", "\n\n".join(sentences(rng, 6))
                   + f"\n\nMost read\n1. Minister resigns over expenses row\n{lede}")
    arts = [story, page]
    batch = prepare_batch(arts)
    (key, marks, doc, weight, line), links = line_rows(batch)
    ok = batch.title_key != 0
    codes, docs, records = link_lines(batch.title_key[ok], np.flatnonzero(ok), links, doc, line, key, marks, weight)
    masked = set(zip(doc[np.isin(pair_codes(doc, key), codes)].tolist(),
                     line[np.isin(pair_codes(doc, key), codes)].tolist(), strict=True))
    lines = page.text.split("\n")
    assert {lines[n] for d, n in masked if d == 1} == {"1. Minister resigns over expenses row", lede}
    assert not any(d == 0 for d, _ in masked)  # the story keeps its own lede
    assert docs.tolist() == [1] and sorted(r[4].split()[0] for r in records) == ["gives", "repeats"]


def _link_masks(arts: list[Article]) -> set[tuple[int, str]]:
    batch = prepare_batch(arts)
    (key, marks, doc, weight, line), links = line_rows(batch)
    ok = batch.title_key != 0
    codes, _, _ = link_lines(batch.title_key[ok], np.flatnonzero(ok), links, doc, line, key, marks, weight)
    hit = np.isin(pair_codes(doc, key), codes)
    return {(d, arts[d].text.split("\n")[n]) for d, n in zip(doc[hit].tolist(), line[hit].tolist(), strict=True)}


def test_a_short_headline_on_an_untitled_page_is_a_link() -> None:
    """A headline of five words leaves some of its cut keys unformed (0); a page without a
    headline of its own (0 too) must not take it for its own headline."""
    rng = random.Random(8)
    story = Article("story", "\n\n".join(sentences(rng, 6)), title="Jones happy with Henson heroics")
    lede = story.text.split("\n\n")[0]
    roundup = Article("roundup", "\n\n".join(sentences(rng, 6)) + f"\n\nRelated\nJones happy with Henson heroics\n{lede}")
    assert _link_masks([story, roundup]) == {(1, "Jones happy with Henson heroics"), (1, lede)}


def test_a_teaser_of_any_version_of_a_linked_headline_is_masked() -> None:
    """Two stories carry one headline; the teaser repeats the lede of the one that is not
    first by id: it is still a teaser."""
    rng = random.Random(9)
    title = "Podcasters look to net money"
    first = Article("a-first", "\n\n".join(sentences(rng, 6)), title=title)
    other = Article("b-other", "\n\n".join(sentences(rng, 6)), title=title)
    lede = other.text.split("\n\n")[0]
    page = Article("c-page", "\n\n".join(sentences(rng, 6)) + f"\n\nRelated\n{title}\n{lede}")
    assert _link_masks([first, other, page]) == {(2, title), (2, lede)}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=200), st.lists(st.integers(0, 2**64 - 1), max_size=200))
def test_code_set_matches_binary_search(codes: list[int], probes: list[int]) -> None:
    table = np.unique(np.array(codes, np.uint64))
    values = np.array(probes + codes[:20], np.uint64)
    assert np.array_equal(CodeSet(table).contains(values), in_sorted(values, table))


def test_code_map_gives_the_first_number_of_each_code() -> None:
    codes = np.array([5, 9, 5, 2**63 + 1], np.uint64)
    m = CodeMap(codes, np.array([10, 11, 12, 13]))
    assert m.get(np.array([5, 9, 7, 2**63 + 1], np.uint64)).tolist() == [10, 11, -1, 13]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=120), st.lists(st.integers(0, 45), max_size=40))
def test_code_map_is_a_dict_of_the_first_number(codes: list[int], probes: list[int]) -> None:
    mixed = np.array(codes, np.uint64) * np.uint64(0x9E3779B97F4A7C15)  # (some share their low bits)
    first: dict[int, int] = {}
    for i, c in enumerate(mixed.tolist()):
        first.setdefault(c, i)
    m = CodeMap(mixed, np.arange(len(codes)))
    asked = np.array(probes, np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    assert len(m) == len(first)
    assert m.get(asked).tolist() == [first.get(c, -1) for c in asked.tolist()]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(-3, 300), max_size=60), st.booleans())
def test_stable_order_is_a_stable_argsort(values: list[int], distinct: bool) -> None:
    from copydesk.furniture import _stable_order

    v = np.array(sorted(set(values), key=lambda x: (x * 7919) % 101) if distinct else values, np.int64)
    assert _stable_order(v).tolist() == np.argsort(v, kind="stable").tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3)), max_size=80), st.booleans())
def test_lexsort2_is_lexsort(rows: list[tuple[int, int]], wide: bool) -> None:
    major = np.array([r[0] for r in rows], np.uint64) * (np.uint64(0x9E3779B97F4A7C15) if wide else np.uint64(1))
    minor = np.array([r[1] for r in rows], np.int64)
    assert np.array_equal(lexsort2(minor, major), np.lexsort((minor, major)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=300), st.integers(0, 3))
def test_stable_argsort_u64_is_numpys(values: list[int], skew: int) -> None:
    keys = np.array(values, np.uint64)
    if skew == 1:  # many equal keys
        keys = keys % np.uint64(5)
    elif skew == 2:  # all in one top-bits bucket: the merge-sort path
        keys = keys >> np.uint64(40)
    assert np.array_equal(stable_argsort_u64(keys), np.argsort(keys, kind="stable"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 12), max_size=60), st.sets(st.integers(0, 15), max_size=8))
def test_key_counts_equal_the_sorting_reference(rows: list[int], wanted: set[int]) -> None:
    key = np.array(rows, np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    keys = np.array(sorted(wanted), np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    keys = np.unique(keys)
    assert key_counts(key, keys).tolist() == key_counts_reference(key, keys).tolist()


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 40), st.integers(1, 9))
def test_link_targets_equal_the_reference(seed: int, n: int, width: int) -> None:
    rng = np.random.default_rng(seed)
    ndocs = 12
    keys = rng.integers(1, 40, ndocs).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)  # headlines (some shared)
    with_title = rng.random(ndocs) < 0.7
    title_doc = np.flatnonzero(with_title)
    titles = CodeMap(keys[title_doc], title_doc)
    own = np.zeros(ndocs, np.uint64)
    own[title_doc] = keys[title_doc]
    ldoc = rng.integers(0, ndocs, n).astype(np.int64)
    pool = np.concatenate([keys, np.zeros(4, np.uint64), rng.integers(1, 1 << 62, 4).astype(np.uint64)])
    subs = rng.choice(pool, (n, width))
    fast, ref = link_targets(ldoc, subs, own, titles), link_targets_reference(ldoc, subs, own, titles)
    assert fast[0].tolist() == ref[0].tolist() and fast[1].tolist() == ref[1].tolist()


def test_rows_of_equals_isin() -> None:
    from copydesk.furniture import rows_of

    rng = np.random.default_rng(5)
    for n, m, high in ((0, 3, 5), (10, 0, 5), (1000, 30, 100), (1000, 300, 50), (50, 5, 10_000)):
        doc = rng.integers(0, high, n)
        docs = np.unique(rng.integers(0, high, m))
        assert np.array_equal(rows_of(doc, docs), np.isin(doc, docs))
        assert np.array_equal(rows_of(doc.astype(np.int32), docs), np.isin(doc, docs))
    doc = np.array([-1, 0, 3, 2])  # numbers below 0: np.isin's answer
    assert np.array_equal(rows_of(doc, np.array([-1, 2])), np.isin(doc, np.array([-1, 2])))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(0, 9)), max_size=80))
def test_variant_carriers_are_those_of_groups_of_two_lines_or_more(rows: list[tuple[int, int, int]]) -> None:
    from copydesk.furniture import _variant_carriers

    cfg = FurnitureConfig()
    mix = np.uint64(0x9E3779B97F4A7C15)
    group = np.array([r[0] for r in rows], np.uint64) * mix
    key = np.array([r[1] for r in rows], np.uint64) * mix + np.uint64(1)
    doc = np.array([r[2] for r in rows], np.int64)
    by_group: dict[int, list[int]] = {}
    for i, g in enumerate(group.tolist()):
        by_group.setdefault(g, []).append(i)
    want = sorted({int(doc[i]) for ix in by_group.values()
                   if len(ix) >= min(cfg.min_docs, cfg.site_min_docs) and len({int(key[i]) for i in ix}) >= 2
                   for i in ix})
    assert _variant_carriers(group, key, doc, cfg).tolist() == want


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 60))
def test_pair_carriers_of_the_pass_by_whole_lines(seed: int, n: int) -> None:
    from copydesk.furniture import _pair_carriers, learn_lines

    rng = np.random.default_rng(seed)
    pairs = sorted({(int(d), int(k)) for d, k in zip(rng.integers(0, 12, n), rng.integers(1, 8, n), strict=True)})
    doc = np.array([p[0] for p in pairs], np.int64)
    key = np.array([p[1] for p in pairs], np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    site = rng.integers(-1, 2, 12)[doc] if len(doc) else np.zeros(0, np.int64)
    marks = rng.integers(0, 5, (len(doc), 6)).astype(np.uint32)
    weight, line = rng.integers(1, 100, len(doc)), np.arange(len(doc))
    got: list[np.ndarray] = []
    learn_lines(key, marks, doc, site, weight, line, FurnitureConfig(), pair_carriers=got)
    want = _pair_carriers(key, doc, site) if len(doc) else np.zeros(0, np.int64)
    assert (got[0] if got else np.zeros(0, np.int64)).tolist() == want.tolist()
