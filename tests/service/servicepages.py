"""Helpers of the service tests: the marked-up passages and links read back out of a page."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class Page(HTMLParser):
    """Passages (``div.ptext``: side, range, text content), every tag with its attributes,
    and the text outside tags."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.passages: list[dict[str, Any]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._depth = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if self._depth:
            self._depth += 1
        elif tag == "div" and "ptext" in (a.get("class") or "").split():
            self._depth = 1
            self.passages.append({"side": a["data-side"], "start": int(a["data-start"] or 0),
                                  "end": int(a["data-end"] or 0), "text": ""})

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._depth:
            self.passages[-1]["text"] += data

    def links(self) -> list[str]:
        return [a["href"] or "" for t, a in self.tags if t == "a" and a.get("href")]

    @property
    def shown(self) -> str:
        return "".join(self.text)
