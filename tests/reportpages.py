"""Helpers of the report's and the web service's tests: JSON Lines, and a parser that reads
the marked-up passages back out of a pair page (the service renders the report's pages)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


class PageParser(HTMLParser):
    """Collects the shared passages of a pair page (``div.ptext``: side, range, text
    content), every tag with its attributes, and the text outside tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.passages: list[dict[str, Any]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._depth = 0  # > 0 inside a div.ptext

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if self._depth:
            self._depth += tag not in ("br", "wbr")
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


def parse(path: Path) -> PageParser:
    p = PageParser()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p
