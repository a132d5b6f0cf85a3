"""A small corpus for the index tests: stories, their reprints and rewrites, unrelated
articles, and site furniture (a cookie line on every article of two outlets); and a copy of
an index file."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from copydesk import Article
from textgen import paragraph

COOKIE = ("We use cookies to make this site work and to understand what you read; manage your "
          "choices under Settings at any time")


def index_corpus(seed: int = 3, stories: int = 12, singles: int = 16) -> list[Article]:
    rng = random.Random(seed)
    out: list[Article] = []
    outlets = ["Herald", "Courier", "Gazette"]

    def page(text: str, outlet: str) -> str:
        return f"{COOKIE}\n{text}" if outlet != "Gazette" else text

    for s in range(stories):
        paras = [paragraph(rng, 35, comma_every=8) for _ in range(5)]
        src = outlets[s % 3]
        out.append(Article(f"s{s:02d}", page("\n\n".join(paras), src), f"Story number {s} told",
                           f"2021-01-{s + 1:02d}", src))
        out.append(Article(f"s{s:02d}-copy", page("\n\n".join(paras), outlets[(s + 1) % 3]), None,
                           f"2021-01-{s + 2:02d}", outlets[(s + 1) % 3]))
        if s % 2:
            out.append(Article(f"s{s:02d}-trim", "\n\n".join(paras[:2]), None, None, "Wire"))
    for u in range(singles):
        src = outlets[u % 3]
        out.append(Article(f"u{u:02d}", page("\n\n".join(paragraph(rng, 30) for _ in range(3)), src),
                           None, f"2021-02-{u + 1:02d}", src))
    return out


def copy_index(src: Path, dst: Path) -> Path:
    """A copy of an index (its WAL included), closed."""
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    a.backup(b)
    a.close()
    b.close()
    return dst
