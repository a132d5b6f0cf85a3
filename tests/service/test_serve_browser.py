"""The web UI in a real browser (Debian's chromium through Playwright) on the seeds example
(the AFP web story and its print version): the highlighted spans on both sides of the pair
page are the passages of the pair's JSON, the family page shows its timeline, nothing is
fetched from elsewhere and no script runs.  Skipped when chromium, playwright or the
benchmark kit is missing locally; under CI=true a missing one fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

import copydesk
from copydesk.config import ScanConfig
from copydesk.service import ResultsStore, create_app
from copydesk.service.server import running
from needs import missing

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "serve"


@pytest.fixture(scope="module")
def seeds_base(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    corpus = shared_dir / "data" / "seeds" / "corpus.jsonl"
    if not corpus.is_file():
        missing(f"the seeds example is not at {corpus}")
    out = tmp_path_factory.mktemp("serve-seeds") / "results"
    copydesk.scan([corpus], out=out, config=ScanConfig(workers=1))
    with running(create_app(ResultsStore(out), name="seeds")) as base:
        yield base


@pytest.fixture()
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def _page(browser: Any, base: str) -> tuple[Any, Any, list[str], list[str]]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(base):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return context, page, outside, errors


def test_pair_page_highlights_the_shared_text(browser: Any, seeds_base: str,
                                              artifacts: Path) -> None:
    import httpx

    data = httpx.get(f"{seeds_base}/api/pairs", params={"a": "print", "b": "afp-web"}).json()
    pair, texts = data["pair"], {data["a"]["id"]: data["a"]["text"],
                                 data["b"]["id"]: data["b"]["text"]}
    assert pair["relation"] == "contained" and pair["origin"] == "afp-web"
    context, page, outside, errors = _page(browser, seeds_base)
    page.goto(f"{seeds_base}/pairs?a=afp-web&b=print")
    spans = page.eval_on_selector_all(
        ".ptext", "els => els.map(e => [e.dataset.side, +e.dataset.start, +e.dataset.end,"
                  " e.textContent, getComputedStyle(e).backgroundColor])")
    assert len(spans) == 2 * len(pair["passages"])
    expected = {(side, q[f"{side}_start"], q[f"{side}_end"])
                for q in pair["passages"] for side in ("a", "b")}
    assert {(side, start, end) for side, start, end, _, _ in spans} == expected
    for side, start, end, content, background in spans:
        assert content == texts[pair[side]][start:end]  # the highlighted text is the passage
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # styled: the CSS loaded
    tops = page.eval_on_selector_all(".passage .row", "rows => rows.map(r => "
                                     "[...r.children].map(c => c.getBoundingClientRect().top))")
    assert tops and all(abs(a - b) < 1 for a, b in tops)  # aligned with its counterpart
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.click("a[rel=next]")
    assert urlsplit(page.url).fragment == "passage-2"
    page.screenshot(path=str(artifacts / "pair.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.eval_on_selector(".pn", "e => getComputedStyle(e).display") == "none"
    assert not outside, outside
    assert not errors, errors  # a CSP violation would show here
    assert (artifacts / "pair.png").stat().st_size > 10_000
    context.close()


def test_family_and_search_pages(browser: Any, seeds_base: str, artifacts: Path) -> None:
    context, page, outside, errors = _page(browser, seeds_base)
    page.goto(f"{seeds_base}/families")
    page.click("table a.id >> nth=0")
    assert "/families/" in page.url
    members = page.eval_on_selector_all("ol.timeline li", "els => els.map(e => e.className)")
    assert members == ["origin", ""]
    assert "afp-web" in page.inner_text("ol.timeline li.origin")
    page.screenshot(path=str(artifacts / "family.png"), full_page=True)
    page.goto(f"{seeds_base}/articles/{quote('print', safe='')}")
    text = page.inner_text("main")
    assert "Taken from" in text and "afp-web" in text
    page.goto(seeds_base + "/")
    page.fill("#text", httpx_text(seeds_base))
    page.click("button[type=submit]")
    assert "/search/" in page.url and "afp-web" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "search.png"), full_page=True)
    assert not outside, outside
    assert not errors, errors
    context.close()


def httpx_text(base: str) -> str:
    import httpx

    return httpx.get(f"{base}/api/articles/print").json()["article"]["text"]
