"""report.build through the demo: every pair has a page whose highlighted passages are
exactly the characters pairs.jsonl gives; family pages and the index link them."""

from __future__ import annotations

import re
from pathlib import Path

from copydesk.report.names import family_file, pair_file
from reportpages import parse, read_jsonl

SAFE_NAME = re.compile(r"^[a-z0-9-]+\.html$")


def test_every_pair_has_a_page_with_its_passages(demo_results: Path,
                                                 demo_texts: dict[str, str]) -> None:
    pairs = read_jsonl(demo_results / "pairs.jsonl")
    assert pairs
    report = demo_results / "report"
    assert len(list((report / "pairs").iterdir())) == len(pairs)
    for p in pairs:
        page = parse(report / pair_file(p["a"], p["b"]))
        for side in ("a", "b"):
            text = demo_texts[p[side]]
            shown = [(x["start"], x["end"], x["text"]) for x in page.passages if x["side"] == side]
            want = sorted((q[f"{side}_start"], q[f"{side}_end"]) for q in p["passages"])
            assert sorted((s, e) for s, e, _ in shown) == want
            for start, end, content in shown:
                assert content == text[start:end]


def test_pair_page_states_relation_origin_and_links_passages(demo_results: Path) -> None:
    p = max(read_jsonl(demo_results / "pairs.jsonl"), key=lambda r: len(r["passages"]))
    path = demo_results / "report" / pair_file(p["a"], p["b"])
    html = path.read_text(encoding="utf-8")
    page = parse(path)
    text = " ".join(page.text)
    assert p["relation"] in text and "origin_reason" in text
    if p["origin"]:
        assert p["origin"] in text
    n = len(p["passages"])
    ids = {a.get("id") for _, a in page.tags}
    hrefs = {a.get("href") for t, a in page.tags if t == "a"}
    for k in range(1, n + 1):
        assert f"passage-{k}" in ids
    assert f"#passage-{n}" in hrefs and "#passage-1" in hrefs
    assert "next passage" in html and ("previous passage" in html) == (n > 1)
    assert "../index.html" in hrefs


def test_edits_are_marked_with_tags_not_colour_alone(demo_results: Path) -> None:
    tags = set()
    for path in (demo_results / "report" / "pairs").iterdir():
        for t, a in parse(path).tags:
            if t in ("mark", "del", "ins"):
                assert a.get("title"), "every edit mark says what it is"
                tags.add(t)
    assert {"mark", "del", "ins"} <= tags  # the demo has changed, removed and added words


def test_family_pages_and_index(demo_results: Path) -> None:
    report = demo_results / "report"
    families = read_jsonl(demo_results / "families.jsonl")
    index = parse(report / "index.html")
    index_links = {a.get("href") for t, a in index.tags if t == "a"}
    for f in families:
        assert family_file(f["family"]) in index_links
        page = parse(report / family_file(f["family"]))
        text = " ".join(page.text)
        for m in f["members"]:
            assert m in text
        timeline = [a for t, a in page.tags if t == "li"]
        assert len(timeline) == len(f["members"])
        if f["origin"]:  # the origin comes first on the timeline
            assert timeline[0].get("class") == "origin"
            assert text.index(f["origin"], text.index("Timeline")) < text.index(
                next(m for m in f["members"] if m != f["origin"]), text.index("Timeline"))
    assert all(SAFE_NAME.match(p.name) for p in (report / "pairs").iterdir())
    assert all(SAFE_NAME.match(p.name) for p in (report / "families").iterdir())


def test_pages_are_self_contained(demo_results: Path) -> None:
    pages = list((demo_results / "report").rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        html = path.read_text(encoding="utf-8")
        page = parse(path)
        csp = [a for t, a in page.tags if t == "meta"
               and (a.get("http-equiv") or "").lower() == "content-security-policy"]
        assert len(csp) == 1
        policy = csp[0]["content"] or ""
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert not any(t in ("script", "link", "iframe", "img", "object", "embed")
                       for t, _ in page.tags)
        for _, attrs in page.tags:
            for name, value in attrs.items():
                assert not name.startswith("on"), f"event handler in {path.name}"
                if name in ("href", "src", "action"):
                    assert value and not re.match(r"^\s*(https?:|//|javascript:|data:)", value)
        assert "@import" not in html and "url(" not in html
        assert "http://" not in html.split("<main", 1)[0]  # the head loads nothing


def test_relative_links_resolve(demo_results: Path) -> None:
    report = demo_results / "report"
    for path in report.rglob("*.html"):
        for t, a in parse(path).tags:
            href = a.get("href") if t == "a" else None
            if href and not href.startswith("#"):
                assert (path.parent / href.split("#")[0]).resolve().is_file(), (path, href)
