"""The static report in a real browser (Debian's chromium through Playwright), opened from
``file://`` with every other request blocked: the highlighted passages are the characters
pairs.jsonl gives, nothing is fetched, the skip link comes first on Tab, print hides the
navigation.  Skipped when chromium or playwright is missing locally; CI (``CI=true``)
installs both (.ci/run), so there a missing one fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from copydesk.report.names import pair_file
from reportpages import read_jsonl


def test_pair_page_in_a_browser(browser: Any, demo_results: Path, demo_texts: dict[str, str],
                                tmp_path: Path) -> None:
    pair = max(read_jsonl(demo_results / "pairs.jsonl"), key=lambda p: len(p["passages"]))
    page_path = demo_results / "report" / pair_file(pair["a"], pair["b"])
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    blocked: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(page_path.as_uri())
    spans = page.eval_on_selector_all(
        ".ptext", "els => els.map(e => [e.dataset.side, +e.dataset.start, +e.dataset.end,"
                  " e.textContent])")
    assert len(spans) == 2 * len(pair["passages"])
    for side, start, end, content in spans:
        assert content == demo_texts[pair[side]][start:end]
    # each passage sits beside its counterpart: same row, same top
    tops = page.eval_on_selector_all(".passage .row", "rows => rows.map(r => "
                                     "[...r.children].map(c => c.getBoundingClientRect().top))")
    assert all(abs(a - b) < 1 for a, b in tops)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.screenshot(path=str(tmp_path / "pair.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.eval_on_selector(".pn", "e => getComputedStyle(e).display") == "none"
    assert not blocked, blocked
    assert not errors, errors  # a CSP violation or a broken resource would show here
    assert (tmp_path / "pair.png").stat().st_size > 10_000
    context.close()
