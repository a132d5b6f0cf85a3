"""Hostile ids, titles and texts are shown as text: nothing the user supplied becomes
markup, and page names stay safe whatever the ids hold."""

from __future__ import annotations

import random
from pathlib import Path

import copydesk
from copydesk.config import ScanConfig
from copydesk.records import Article
from reportpages import parse, read_jsonl

SCRIPT = "<script>alert(1)</script>"
_SYL = ["ba", "ker", "lo", "mi", "tan", "sor", "vel", "du", "rin", "pa", "gos", "the", "na"]


def _paragraph(rng: random.Random, n: int = 40) -> str:
    w = ["".join(rng.choice(_SYL) for _ in range(rng.randint(1, 3))) for _ in range(n)]
    return " ".join(w).capitalize() + "."


def hostile_articles() -> list[Article]:
    rng = random.Random(7)
    story = [_paragraph(rng) for _ in range(5)]
    story[2] = f"{SCRIPT} {story[2]} <img src=x onerror=alert(2)> &amp; \"quoted\" 'single'"
    body = "\n\n".join(story)
    return [
        Article('<b>wire</b>/../"one"', body, title=SCRIPT, date="2024-01-01",
                source="<i>Wire</i>", url="javascript:alert(3)"),
        Article("копия/ü 2 ' onmouseover=alert(4)", SCRIPT + "\n\n" + "\n\n".join(story[:4]),
                title="<style>body{display:none}</style>", date="2024-01-02"),
    ]


def test_user_data_is_escaped(tmp_path: Path) -> None:
    out = tmp_path / "results"
    copydesk.scan(hostile_articles(), out=out, config=ScanConfig(workers=1), report=True)
    pairs = read_jsonl(out / "pairs.jsonl")
    assert len(pairs) == 1
    texts = {a.id: a.text for a in hostile_articles()}
    pages = list((out / "report").rglob("*.html"))
    assert len(pages) == 3  # index, one family, one pair
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html.lower()
        assert "<img" not in html.lower()
        assert "<b>" not in html and "<i>" not in html
        assert html.lower().count("<style") == 1  # the report's own, nothing of the user's
        page = parse(path)
        for tag, attrs in page.tags:
            assert not any(name.startswith("on") for name in attrs), (tag, attrs)
            assert tag not in ("script", "img")
            assert not (attrs.get("href") or "").startswith("javascript:")
        assert "".join(page.text).count("<b>wire</b>") >= 1
    pair_page = parse(next((out / "report" / "pairs").iterdir()))
    shown = "".join(pair_page.text)
    assert SCRIPT in shown and "<img src=x onerror=alert(2)>" in shown
    p = pairs[0]
    for x in pair_page.passages:
        side = p[x["side"]]
        assert x["text"] == texts[side][x["start"]:x["end"]]
