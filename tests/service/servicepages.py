"""Helpers of the service tests: the marked-up passages and links read back out of a page,
and a writable store."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from copydesk.records import Article
from copydesk.service import ResultsStore
from reportpages import PageParser

#: the token of the test apps (the tests look for it in logs)
TOKEN = "s3cret-Token-42"


class Page(PageParser):
    """A served page, parsed as the report's pages are (see ``reportpages``), with its links
    and shown text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.feed(html)
        self.close()

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
