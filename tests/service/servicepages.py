"""Helpers of the service tests: the marked-up passages and links read back out of a page,
and a writable store."""

from __future__ import annotations

import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from copydesk.records import Article
from copydesk.service import ResultsStore

#: the token of the test apps (the tests look for it in logs)
TOKEN = "s3cret-Token-42"


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


class WritableStore(ResultsStore):
    """A results folder that accepts new articles (kept in memory, paired with nothing):
    what the persistent index will do, enough to test the token and a writer under load."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.added: list[str] = []
        self._write = threading.Lock()

    def add(self, articles: list[Article]) -> dict[str, Any]:
        with self._write:
            for a in articles:
                self._articles[a.id] = a
                self.added.append(a.id)
        return {"added": len(articles), "articles": len(self._articles)}
