"""Prepare: tokens with offsets and the boilerplate mask of each article.

:func:`prepare` (per article) masks, line by line, what an article shows on its own: lines
that look like web furniture ("Published: ...", "Comments", "Share this article", "Archive
photo", copyright lines, short bylines), a line repeating the article's own headline, short
section labels above or below the body, and a leading dateline ("LONDON (AP) - ").
Furniture that only the corpus reveals (lines recurring on articles that otherwise share
nothing) is learned by :mod:`copydesk.furniture`.

Masked tokens are excluded from fingerprints, from passages and from coverage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .config import PrepareConfig
from .records import Article
from .textnorm import Tokens, tokenize

_FURNITURE = re.compile(
    r"""^\W*(?:
        (?:first\s+)?published\b | posted\b | (?:last\s+)?updated\b | modified\b
      | comments?\W*$ | advertisement\W*$ | story\s+continues\s+below | read\s+more\b
      | related\s+(?:stories|articles|links|content)\W*$ | share\s+(?:this|on)\b
      | report\s+an\s+error | follow\s+us\b | click\s+here\b | subscribe\b | sign\s+up\b
      | tags?\s*: | (?:file|archive|stock)\s+(?:picture|photo|image)\W*$
      | (?:photo|picture|image)\s*(?:credit)?\s*: | \(?photo\b
      | copyright\b | ©
      | all\s+rights\s+reserved
      | -+\s*\w+\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_RIGHTS = re.compile(r"all rights reserved|^\s*\(c\)\s", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*(?:by|from)\s+\S", re.IGNORECASE)
_DATE_LINE = re.compile(r"^\W*(?:\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}[\sT\d:]*)\W*$")
#: invisible format characters (Unicode Cf: soft hyphen, zero-width space and joiners,
#: direction marks, word joiner, BOM) that a page may scatter inside words
INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
#: "LONDON - ", "NEW YORK, Mar. 4 (GNA) - ", "PARIS (Reuters) — " (also "MANCH\u00adESTER")
_DATELINE = re.compile(
    rf"^\s*[A-Z][A-Z.' {INVISIBLE}]{{1,30}}[A-Z.](?:,\s*[A-Z][a-z{INVISIBLE}]{{2,8}}\.?\s+\d{{1,2}})?"
    r"(?:\s*\([^)\n]{1,40}\))?\s*[-–—]{1,2}\s+"
)
_BYLINE_MAX_TOKENS = 6
_BODY_MIN_TOKENS = 8   # a line this long is body text, not furniture
_EDGE_MAX_TOKENS = 4   # section labels above or below the body are at most this long


@dataclass(slots=True, eq=False)
class Prepared:
    """An article ready for fingerprinting and alignment."""

    id: str
    date: str | None
    tokens: Tokens
    boiler: np.ndarray       # bool per token: masked as boilerplate
    line_first: np.ndarray   # int32 first token index of each line (len = lines + 1)

    @property
    def content_weight(self) -> int:
        """Non-space characters outside boilerplate (the denominator of coverage)."""
        return int(self.tokens.weight[~self.boiler].sum())


@lru_cache(maxsize=1 << 16)
def _is_furniture(line: str, ntokens: int) -> bool:
    """Is this short line page furniture (a pure function of the line, cached: "Comments",
    "File picture" and the like recur in every other article)?"""
    if _FURNITURE.match(line) or _DATE_LINE.match(line) or _has_rights(line):
        return True
    return ntokens <= _BYLINE_MAX_TOKENS and bool(_BYLINE.match(line)) and not line.rstrip().endswith(".")


def _has_rights(line: str) -> bool:
    """``_RIGHTS.search(line)``, the search skipped for an ASCII line that holds neither
    "all rights reserved" nor "(c)" in any case (what it needs to match; a search costs
    about 1.4 us a line, most short lines are not furniture)."""
    if line.isascii():
        low = line.lower()
        if "all rights reserved" not in low and "(c)" not in low:
            return False
    return _RIGHTS.search(line) is not None


def _mask_edges(lines: list[str], counts: np.ndarray, nonempty: np.ndarray, line_first: np.ndarray,
                boiler: np.ndarray) -> None:
    """Very short lines without sentence punctuation before the first or after the last
    body paragraph are page furniture (section labels such as "Markets", "World")."""
    body = nonempty[counts[nonempty] >= _BODY_MIN_TOKENS]
    if not len(body):
        return
    edge = nonempty[((nonempty < body[0]) | (nonempty > body[-1])) & (counts[nonempty] <= _EDGE_MAX_TOKENS)]
    for ln in edge.tolist():
        if not lines[ln].rstrip().endswith((".", "!", "?", '"', "”")):
            boiler[line_first[ln]:line_first[ln + 1]] = True


def _ends_sentence(line: str) -> bool:
    """Does the line's last chunk end a sentence (as ``prepare_batch.sentence_ends_reference``
    says of a chunk)?"""
    chunk = line.split()[-1] if line.split() else ""
    e = len(chunk) - 1
    while e > 0 and chunk[e] in "\"')]\u201d\u2019\u00bb":
        e -= 1
    if e < 0:
        return False
    n, c = e + 1, chunk[e]
    return c in "!?" or (c == "." and (n > 4 or (n >= 3 and chunk[e - 2] != "." and not (n <= 4 and "A" <= chunk[0] <= "Z"))))


def _mask_dateline(text: str, lines: list[str], nonempty: list[int], line_first: np.ndarray, toks: Tokens,
                   boiler: np.ndarray) -> None:
    """Mask a leading dateline ("LONDON (Reuters) - ") of the first body paragraph: the first
    line of ``_BODY_MIN_TOKENS`` that ends a sentence (not a menu, nor a caption with its
    credit)."""
    for ln in nonempty:
        a, b = int(line_first[ln]), int(line_first[ln + 1])
        if boiler[a:b].all():
            continue
        m = _DATELINE.match(lines[ln])
        if m:
            line_start = int(toks.start[a]) - (len(lines[ln]) - len(lines[ln].lstrip()))
            boiler[a:b] |= toks.start[a:b] < line_start + m.end()
        # the line's last token ends a sentence (a token, not the line's last chunk: in a
        # script written without spaces, a chunk holds several tokens)
        if b - a >= _BODY_MIN_TOKENS and _ends_sentence(text[int(toks.start[b - 1]):int(toks.end[b - 1])]):
            return


def prepare(article: Article, config: PrepareConfig | None = None) -> Prepared:
    """Tokenize one article and mask the boilerplate it shows on its own."""
    cfg = config or PrepareConfig()
    text = article.text
    toks = tokenize(text, cfg.segmenter)
    counts = np.bincount(toks.line, minlength=text.count("\n") + 1)
    line_first = np.zeros(len(counts) + 1, np.int32)
    np.cumsum(counts, out=line_first[1:])
    boiler = np.zeros(len(toks), dtype=np.bool_)
    lines = text.split("\n")
    nonempty = np.flatnonzero(counts > 0)
    if cfg.boiler_patterns:
        short = nonempty[counts[nonempty] <= cfg.boiler_line_max_tokens]
        for ln in short.tolist():
            if _is_furniture(lines[ln], int(counts[ln])):
                boiler[line_first[ln]:line_first[ln + 1]] = True
    if article.title:
        key = tokenize(article.title, cfg.segmenter).hash
        if len(key):
            for ln in np.flatnonzero(counts == len(key)).tolist():
                a = int(line_first[ln])
                if np.array_equal(toks.hash[a:a + len(key)], key):
                    boiler[a:a + len(key)] = True
    if cfg.boiler_patterns:
        _mask_edges(lines, counts, nonempty, line_first, boiler)
        _mask_dateline(text, lines, nonempty.tolist(), line_first, toks, boiler)
    return Prepared(article.id, article.date, toks, boiler, line_first)
