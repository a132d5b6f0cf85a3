"""Pasted or uploaded text compared with the store, and the last few queries kept so that
their results page can link to a side-by-side page of each hit (a pasted text is not
stored, so those pages are rebuilt from this small in-memory cache)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from ..records import Article, Pair
from .data import ReuseStore

#: the id a pasted text gets (renamed by the store if it holds that id)
PASTED_ID = "pasted"
#: queries kept for their compare pages (each holds its text: at most a few MB)
KEEP = 32


@dataclass(frozen=True, slots=True)
class Query:
    key: str
    article: Article
    pairs: list[Pair]

    def hit(self, other: str) -> Pair | None:
        """The pair of the pasted text with the stored article ``other``."""
        return next((p for p in self.pairs if other in (p.a, p.b)
                     and self.article.id in (p.a, p.b)), None)


def pasted(text: str, *, title: str | None = None, date: str | None = None,
           source: str | None = None) -> Article:
    return Article(PASTED_ID, text, title or None, date or None, source or None)


def decode_upload(data: bytes) -> str:
    """An uploaded text file: UTF-8 (a byte order mark dropped), else Latin-1 (every byte
    is a character: an upload is never refused for its encoding)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class QueryCache:
    """The last :data:`KEEP` queries by key (a hash of what was asked)."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._items: OrderedDict[str, Query] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key_of(article: Article, top: int) -> str:
        h = hashlib.sha256()
        for part in (article.text, article.title, article.date, article.source, str(top)):
            h.update((part or "").encode("utf-8", "surrogatepass") + b"\0")
        return h.hexdigest()[:20]

    def get(self, key: str) -> Query | None:
        with self._lock:
            q = self._items.get(key)
            if q is not None:
                self._items.move_to_end(key)
            return q

    def run(self, store: ReuseStore, article: Article, top: int = 10) -> Query:
        """The query's pairs, from the cache when the same text was asked recently."""
        key = self.key_of(article, top)
        cached = self.get(key)
        if cached is not None:
            return cached
        pairs = store.query(article, top=top)
        # the store renames the pasted text when it holds an article of that id
        named = {x for p in pairs for x in (p.a, p.b) if store.article(x) is None}
        if len(named) == 1 and article.id not in named:
            article = replace(article, id=named.pop())
        q = Query(key, article, pairs)
        with self._lock:
            self._items[key] = q
            while len(self._items) > self.keep:
                self._items.popitem(last=False)
        return q
