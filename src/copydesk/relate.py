"""Relate: name the relation of an aligned pair and decide its origin.

Relations follow what a copy editor did (FORMATS.md), read off the alignment:

* ``duplicate`` — the word keys outside boilerplate are identical (case, accents,
  punctuation, whitespace and OCR-confusable glyphs aside); ``duplicate_similarity`` below 1
  also admits token sequences that similar;
* ``near_duplicate`` — both sides are almost all shared (both coverages high);
* ``contained`` — one side is almost all inside the other;
* ``partial`` — both keep substantial text of their own.

The origin comes from publication dates when they differ; otherwise from the text: in a
``contained`` pair the containing article is taken as the source (a copy desk condenses and
trims far more often than it pads).  Anything else is undecidable and left ``None``.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Indel

from .align import Alignment
from .config import RelateConfig
from .prepare import Prepared
from .records import Pair

_QUOTES = "\"'“”‘’«»„"


def is_reuse(al: Alignment, text_a: str, text_b: str, cfg: RelateConfig) -> bool:
    """Is this alignment real reuse?  Needs one passage of ``min_reuse_chars`` and
    ``min_total_chars`` in all (stock phrases of ten or twelve words recur by chance in a big
    corpus); a single quotation that both articles quote does not count (an article quoting
    a paragraph of the other one is an excerpt, and does)."""
    if al.longest_chars < cfg.min_reuse_chars or al.total_chars < cfg.min_total_chars:
        return False
    only = al.passages[0] if len(al.passages) == 1 else None
    return not (only and _only_a_quotation(text_a, only.a_start, only.a_end)
                and _only_a_quotation(text_b, only.b_start, only.b_end))


def _only_a_quotation(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` one quotation and nothing else (a press-release sentence quoted
    by two unrelated stories)?  True when it opens with a quotation mark (or just after one)
    and that quotation closes within the last few characters of the passage."""
    head = text[max(0, start - 1):start + 1]
    if not any(q in head for q in _QUOTES):
        return False
    close = min((i for i in (text.find(q, start + 1, end + 3) for q in _QUOTES) if i >= 0), default=-1)
    return close >= end - 3


def _content_keys(p: Prepared) -> np.ndarray:
    return p.tokens.hash[~p.boiler]


def relation(a: Prepared, b: Prepared, al: Alignment, cfg: RelateConfig) -> str:
    """The relation of a pair known to be reuse."""
    ca, cb = al.coverage_a, al.coverage_b
    if ca >= cfg.near_duplicate and cb >= cfg.near_duplicate:
        ka, kb = _content_keys(a), _content_keys(b)
        if np.array_equal(ka, kb):
            return "duplicate"
        if cfg.duplicate_similarity < 1 and Indel.normalized_similarity(ka.tolist(), kb.tolist()) >= cfg.duplicate_similarity:
            return "duplicate"
        return "near_duplicate"
    if ca >= cfg.contained or cb >= cfg.contained:
        return "contained"
    return "partial"


@lru_cache(maxsize=1 << 16)
def parse_date(value: str | None) -> datetime | date | None:
    """An ISO 8601 date or datetime, or None when absent or unreadable (cached: families
    compare each member's date many times)."""
    if not value:
        return None
    try:
        if len(value) <= 10:
            return date.fromisoformat(value)
        d = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return d.replace(tzinfo=None)
    except ValueError:
        return None


def date_order(x: str | None, y: str | None) -> int:
    """-1 if x is earlier, 1 if y is earlier, 0 if equal, unknown or not comparable
    (a bare date and a datetime on the same day)."""
    dx, dy = parse_date(x), parse_date(y)
    if dx is None or dy is None:
        return 0
    if isinstance(dx, datetime) != isinstance(dy, datetime):
        dx = dx.date() if isinstance(dx, datetime) else dx
        dy = dy.date() if isinstance(dy, datetime) else dy
    return -1 if dx < dy else (1 if dy < dx else 0)


def origin(a: Prepared, b: Prepared, rel: str, al: Alignment) -> tuple[str | None, str | None]:
    """(origin id, reason) of a related pair."""
    o = date_order(a.date, b.date)
    if o:
        return (a.id if o < 0 else b.id), "date"
    if rel == "contained":
        # the side with low coverage holds the other: it is taken as the source
        return (b.id if al.coverage_a >= al.coverage_b else a.id), "containment"
    return None, None


def relate(a: Prepared, b: Prepared, al: Alignment, text_a: str, text_b: str,
           config: RelateConfig | None = None) -> Pair | None:
    """The :class:`Pair` record for an aligned pair, or None when it is not reuse.
    ``a.id < b.id`` is required (FORMATS.md orders pairs)."""
    cfg = config or RelateConfig()
    if a.id > b.id:
        raise ValueError("relate() expects a.id < b.id")
    if not is_reuse(al, text_a, text_b, cfg):
        return None
    rel = relation(a, b, al, cfg)
    org, why = origin(a, b, rel, al)
    return Pair(a.id, b.id, rel, org, al.coverage_a, al.coverage_b, al.passages, why)
