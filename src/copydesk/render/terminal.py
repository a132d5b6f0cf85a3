"""Side-by-side explanation of one related pair for a terminal (``copydesk compare A B``).

The output has a header (ids, titles, dates, relation, origin, coverage, passage count),
then one side-by-side view per shared passage — a in the left column, b in the right — with
the word-level edits of :mod:`copydesk.worddiff` marked: kept words plain, changed words
yellow, words only in a (removed) red, words only in b (added) green.  Without colour the
same meaning is carried by diff-style markers, ``[~changed~]``, ``[-removed-]`` and
``{+added+}``, so the explanation survives a pipe, a log file or a colour-blind reader.
Between passages a note says how much unshared text lies between them on each side.

The columns re-synchronise at the start of every kept run, so kept text lines up on both
sides and edits are read next to their counterpart.  Widths are *visible* widths: ANSI codes
count for nothing, East Asian wide characters for two, combining marks for zero, and control
characters in the user's text are neutralised so they cannot move the cursor or inject
escape sequences.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from copydesk.errors import ConfigError
from copydesk.records import Article, Pair, Passage
from copydesk.worddiff import Edit, EditOp, diff_pair, passage_words

__all__ = ["render_pair", "should_color", "visible_width"]

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_COLOR: dict[EditOp, str] = {"changed": "\x1b[33m", "removed": "\x1b[31m", "added": "\x1b[32m"}
_MARKERS: dict[EditOp, tuple[str, str]] = {
    "changed": ("[~", "~]"),
    "removed": ("[-", "-]"),
    "added": ("{+", "+}"),
}
_SEP = " | "
_MIN_COLUMN = 12
_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# A newline after sentence-final punctuation (or a blank line) ends a paragraph: keep it
# as a line break in the column.  A bare newline is hard wrapping and is ignored.
_SENTENCE_END = tuple(".!?:\"'”’»)")


def should_color(stream: IO[Any] | Any) -> bool:
    """Whether to write ANSI colours to ``stream``.

    Only to a terminal, never when ``NO_COLOR`` is set to a non-empty value
    (https://no-color.org) or when ``TERM=dumb``.
    """
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    if isatty is None:
        return False
    try:
        return bool(isatty())
    except (ValueError, OSError):  # closed or detached stream
        return False


def visible_width(s: str) -> int:
    """Columns ``s`` takes on a terminal: ANSI codes 0, wide characters 2, combining marks 0."""
    return sum(_char_width(ch) for ch in _ANSI_RE.sub("", s))


def render_pair(a: Article, b: Article, pair: Pair, *, color: bool, width: int = 100) -> str:
    """Explain ``pair`` between articles ``a`` and ``b`` as text for a terminal.

    ``a`` and ``b`` may be given in either order; they are matched to ``pair.a`` and
    ``pair.b`` by id.  ``width`` is the total width of the side-by-side view (each column
    gets half, at least a few characters).  ANSI colour codes are used only when ``color``.
    """
    if (a.id, b.id) == (pair.b, pair.a) and pair.a != pair.b:
        a, b = b, a
    elif (a.id, b.id) != (pair.a, pair.b):
        raise ConfigError(f"articles {a.id!r} and {b.id!r} do not match pair "
                          f"({pair.a!r}, {pair.b!r}); pass the pair's own articles")
    col = max(_MIN_COLUMN, (width - len(_SEP)) // 2)
    style = _Style(color)
    out = _header(a, b, pair, style)
    if not pair.passages:
        out.append("")
        out.append("(no shared passages)")
        return "\n".join(out) + "\n"

    all_edits = diff_pair(a.text, b.text, pair.passages)
    prev: Passage | None = None
    for number, (passage, edits) in enumerate(zip(pair.passages, all_edits, strict=True), 1):
        note = _gap_note(a.text, b.text, prev, passage)
        if note:
            out.append("")
            out.append(style.dim(note))
        out.append("")
        out.append(style.bold(_passage_title(number, len(pair.passages), passage, edits,
                                             a.text, b.text)))
        out.extend(_side_by_side(a, b, edits, col, style))
        prev = passage
    note = _gap_note(a.text, b.text, prev, None)
    if note:
        out.append("")
        out.append(style.dim(note))
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- header


def _header(a: Article, b: Article, pair: Pair, style: _Style) -> list[str]:
    """Ids, titles, dates, relation, origin, coverage and passage count."""
    lines = [f"{style.bold(side + ':')} {_describe(article)}"
             for side, article in (("a", a), ("b", b))]
    if pair.origin is None:
        origin = "undecided"
    else:
        side = "a" if pair.origin == a.id else "b" if pair.origin == b.id else "?"
        origin = f"{_printable(pair.origin)} ({side})"
    if pair.origin_reason:
        origin += f" — {_printable(pair.origin_reason)}"
    lines.append(f"{style.bold('relation:')} {_printable(pair.relation)} · "
                 f"{style.bold('origin:')} {origin}")
    n = len(pair.passages)
    lines.append(f"{style.bold('coverage:')} a {pair.coverage_a * 100:.1f} % · "
                 f"b {pair.coverage_b * 100:.1f} % · {n} passage{'' if n == 1 else 's'}")
    return lines


def _describe(article: Article) -> str:
    """One line naming an article: id, title, date, source, length."""
    parts = [_printable(article.id)]
    if article.title:
        parts.append(f"“{_printable(' '.join(article.title.split()))}”")
    parts.extend(_printable(v) for v in (article.date, article.source) if v)
    parts.append(f"{len(article.text):,} characters")
    return " · ".join(parts)


def _passage_title(number: int, total: int, passage: Passage, edits: Sequence[Edit],
                   text_a: str, text_b: str) -> str:
    """``passage 2 of 3 · a 120–560 · b 30–470 · kept 45 words, changed 3/2, ...``."""
    counts: dict[str, tuple[int, int]] = {}
    for e in edits:
        na = len(passage_words(text_a, e.a_start, e.a_end))
        nb = len(passage_words(text_b, e.b_start, e.b_end))
        ca, cb = counts.get(e.op, (0, 0))
        counts[e.op] = (ca + na, cb + nb)
    summary = []
    if "kept" in counts:
        summary.append(f"kept {counts['kept'][0]}")
    if "changed" in counts:
        summary.append(f"changed {counts['changed'][0]}→{counts['changed'][1]}")
    if "removed" in counts:
        summary.append(f"only in a {counts['removed'][0]}")
    if "added" in counts:
        summary.append(f"only in b {counts['added'][1]}")
    words = f" · words: {', '.join(summary)}" if summary else ""
    return (f"passage {number} of {total} · a {passage.a_start}–{passage.a_end} · "
            f"b {passage.b_start}–{passage.b_end}{words}")


def _gap_note(text_a: str, text_b: str, prev: Passage | None, cur: Passage | None) -> str | None:
    """How much unshared text lies before, between or after passages, on each side."""
    sides = []
    for name, text, start, end in (
        ("a", text_a, prev.a_end if prev else 0, cur.a_start if cur else len(text_a)),
        ("b", text_b, prev.b_end if prev else 0, cur.b_start if cur else len(text_b)),
    ):
        if end < start:
            sides.append(f"in {name} this passage comes {start - end:,} characters "
                         "before the previous one ends (moved text)")
            continue
        n = len(text[start:end].strip())
        sides.append(f"{n:,} character{'' if n == 1 else 's'} only in {name}" if n
                     else f"nothing in {name}")
    if prev is None or cur is None:
        if all(s.startswith("nothing") for s in sides):
            return None
        where = "before the first passage" if prev is None else "after the last passage"
        return f"… {where}: {' · '.join(sides)} …"
    return f"… {' · '.join(sides)} …"


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True, slots=True)
class _Piece:
    """A unit of a column line: display text (no escapes yet) and its edit op."""

    text: str
    op: EditOp


@dataclass(frozen=True, slots=True)
class _Token:
    """A word to flow into a column; ``br`` asks for a line break before it."""

    text: str
    op: EditOp
    br: bool


class _Style:
    """Applies ANSI codes when colour is on; otherwise leaves text alone."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def bold(self, s: str) -> str:
        return f"{_BOLD}{s}{_RESET}" if self.color else s

    def dim(self, s: str) -> str:
        return f"\x1b[2m{s}{_RESET}" if self.color else s

    def piece(self, p: _Piece) -> str:
        code = _COLOR.get(p.op) if self.color else None
        return f"{code}{p.text}{_RESET}" if code else p.text


def _side_by_side(a: Article, b: Article, edits: Sequence[Edit], col: int,
                  style: _Style) -> list[str]:
    """Two aligned columns; each block starts at a kept run so kept text lines up."""
    blocks: list[list[Edit]] = []
    for e in edits:
        if not blocks or e.op == "kept":
            blocks.append([])
        blocks[-1].append(e)

    rows = [(_fit(f"a: {_printable(a.id)}", col), _fit(f"b: {_printable(b.id)}", col)),
            ("-" * col, "-" * col)]
    out = [_join(left, right, col) for left, right in rows]
    prev_a: int | None = None
    prev_b: int | None = None
    for block in blocks:
        tokens_a, prev_a = _tokens(a.text, block, "a", prev_a, style.color)
        tokens_b, prev_b = _tokens(b.text, block, "b", prev_b, style.color)
        lines_a = _flow(tokens_a, col)
        lines_b = _flow(tokens_b, col)
        for i in range(max(len(lines_a), len(lines_b))):
            left = _render_line(lines_a[i] if i < len(lines_a) else [], style)
            right = _render_line(lines_b[i] if i < len(lines_b) else [], style)
            out.append(_join(left, right, col))
    return out


def _tokens(text: str, block: Sequence[Edit], side: str, prev_end: int | None,
            color: bool) -> tuple[list[_Token], int | None]:
    """Words of one side of a block, with plain-text markers when there is no colour."""
    tokens: list[_Token] = []
    for e in block:
        start, end = (e.a_start, e.a_end) if side == "a" else (e.b_start, e.b_end)
        # Words made only of format characters (a stray zero-width space) show as nothing.
        words = [(w, shown) for w in passage_words(text, start, end)
                 if (shown := _printable(text[w.start:w.end]))]
        for k, (w, shown) in enumerate(words):
            if not color and e.op != "kept":
                opening, closing = _MARKERS[e.op]
                shown = (opening if k == 0 else "") + shown
                shown += closing if k == len(words) - 1 else ""
            br = prev_end is not None and _paragraph_break(text, prev_end, w.start)
            tokens.append(_Token(shown, e.op, br))
            prev_end = w.end
    return tokens, prev_end


def _paragraph_break(text: str, prev_end: int, start: int) -> bool:
    """Whether the whitespace before a word ends a paragraph (see ``_SENTENCE_END``)."""
    gap = text[prev_end:start].replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in gap:
        return False
    return gap.count("\n") >= 2 or text[prev_end - 1:prev_end].endswith(_SENTENCE_END)


def _flow(tokens: Sequence[_Token], col: int) -> list[list[_Piece]]:
    """Greedy word wrap into lines of at most ``col`` visible columns."""
    lines: list[list[_Piece]] = []
    line: list[_Piece] = []
    used = 0
    for tok in tokens:
        if tok.br and line:
            lines.append(line)
            line, used = [], 0
        for chunk in _hard_break(tok.text, col):
            w = visible_width(chunk)
            if line and used + 1 + w > col:
                lines.append(line)
                line, used = [], 0
            used += w + (1 if line else 0)
            line.append(_Piece(chunk, tok.op))
    if line:
        lines.append(line)
    return lines


def _hard_break(word: str, col: int) -> list[str]:
    """Split a word wider than a column into column-wide chunks (URLs, long compounds)."""
    if visible_width(word) <= col:
        return [word]
    chunks: list[str] = []
    cur, used = "", 0
    for ch in word:
        w = _char_width(ch)
        if cur and used + w > col:
            chunks.append(cur)
            cur, used = "", 0
        cur += ch
        used += w
    if cur:
        chunks.append(cur)
    return chunks


def _render_line(pieces: Sequence[_Piece], style: _Style) -> str:
    """Pieces joined by single spaces, each styled on its own so colours never leak."""
    return " ".join(style.piece(p) for p in pieces)


def _join(left: str, right: str, col: int) -> str:
    """``left | right`` with both columns padded to ``col`` visible columns."""
    return _pad(left, col) + _SEP + _pad(right, col)


def _pad(s: str, col: int) -> str:
    """Right-pad ``s`` with spaces to ``col`` visible columns."""
    return s + " " * max(0, col - visible_width(s))


def _fit(s: str, col: int) -> str:
    """Truncate ``s`` to ``col`` visible columns, marking the cut with an ellipsis."""
    if visible_width(s) <= col:
        return s
    out, used = "", 0
    for ch in s:
        w = _char_width(ch)
        if used + w > col - 1:
            break
        out += ch
        used += w
    return out + "…"


def _printable(s: str) -> str:
    """User text made safe for a terminal: controls become ``?``, format characters go."""
    out = []
    for ch in s:
        cat = unicodedata.category(ch)
        if cat == "Cc":
            out.append("?")
        elif cat != "Cf":
            out.append(ch)
    return "".join(out)


def _char_width(ch: str) -> int:
    """Terminal columns of one character (wcwidth-like, without the dependency)."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
