"""The view of one pair: both texts cut into rows, each shared passage beside its
counterpart, with the word-level edits of :mod:`copydesk.worddiff` inside it.

Pure data, no HTML: the static report and the web UI render the same rows.  Every character
of both texts is in exactly one place of the view (a passage shared by two rows on one side
is shown in each), so a side read top to bottom holds the whole article: the unshared text
of a side sits above the passage that follows it in that side's reading order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..records import Article, Pair, Passage
from ..worddiff import Edit, EditOp, diff_pair


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text of one side; ``op`` is None for text between marked words, or the
    fate of the words (an empty ``text`` marks where words of the other side are missing)."""

    text: str
    op: EditOp | None = None


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a passage: its character range and its text cut into segments."""

    start: int
    end: int
    segments: tuple[Segment, ...]


@dataclass(slots=True)
class PassageRow:
    """A shared passage, the unshared text above it on each side, and its word counts."""

    number: int
    a: Side
    b: Side
    before_a: str = ""
    before_b: str = ""
    words: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(slots=True)
class PairView:
    """A pair with its articles and its rows (passages in a's order)."""

    pair: Pair
    a: Article
    b: Article
    rows: list[PassageRow]
    after_a: str = ""
    after_b: str = ""
    moved: bool = False  # b holds the passages in another order than a


def side_segments(text: str, start: int, end: int, edits: Sequence[Edit],
                  side: str) -> tuple[Segment, ...]:
    """``text[start:end]`` cut at the edits of one side; the texts joined equal it."""
    out: list[Segment] = []
    cursor = start
    for e in edits:
        s, t = (e.a_start, e.a_end) if side == "a" else (e.b_start, e.b_end)
        s, t = max(s, cursor), min(max(t, s), end)
        if s > cursor:
            out.append(Segment(text[cursor:s]))
        if e.op != "kept" or t > s:
            out.append(Segment(text[s:t], e.op))
        cursor = max(cursor, t)
    if cursor < end:
        out.append(Segment(text[cursor:end]))
    return tuple(out)


def _word_counts(a: str, b: str, edits: Sequence[Edit]) -> dict[str, tuple[int, int]]:
    """Words of each side by fate (whitespace-separated, as :mod:`copydesk.worddiff`)."""
    counts: dict[str, tuple[int, int]] = {}
    for e in edits:
        na = len(a[e.a_start:e.a_end].split())
        nb = len(b[e.b_start:e.b_end].split())
        ca, cb = counts.get(e.op, (0, 0))
        counts[e.op] = (ca + na, cb + nb)
    return counts


def _unshared(length: int, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The complement of ``ranges`` in ``[0, length)``."""
    out, cursor = [], 0
    for s, e in sorted(ranges):
        if s > cursor:
            out.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < length:
        out.append((cursor, length))
    return out


def _place(text: str, starts: Sequence[int], ranges: Sequence[tuple[int, int]]) -> tuple[list[str], str]:
    """Unshared text of one side, put above the row whose passage follows it on that side
    (rows given by their start on this side), or after the last row."""
    before = [""] * len(starts)
    order = sorted(range(len(starts)), key=lambda i: (starts[i], i))
    after = ""
    for s, e in _unshared(len(text), ranges):
        row = next((i for i in order if starts[i] >= e), None)
        if row is None:
            after += text[s:e]
        else:
            before[row] += text[s:e]
    return before, after


def pair_view(pair: Pair, a: Article, b: Article) -> PairView:
    """The rows of ``pair`` between its articles ``a`` and ``b`` (matched by id)."""
    if (a.id, b.id) != (pair.a, pair.b):
        a, b = b, a
    passages: list[Passage] = sorted(pair.passages, key=lambda p: (p.a_start, p.b_start))
    edits = diff_pair(a.text, b.text, passages)
    rows = [PassageRow(n, Side(p.a_start, p.a_end, side_segments(a.text, p.a_start, p.a_end, e, "a")),
                       Side(p.b_start, p.b_end, side_segments(b.text, p.b_start, p.b_end, e, "b")),
                       words=_word_counts(a.text, b.text, e))
            for n, (p, e) in enumerate(zip(passages, edits, strict=True), 1)]
    before_a, after_a = _place(a.text, [p.a_start for p in passages],
                               [(p.a_start, p.a_end) for p in passages])
    before_b, after_b = _place(b.text, [p.b_start for p in passages],
                               [(p.b_start, p.b_end) for p in passages])
    for row, ga, gb in zip(rows, before_a, before_b, strict=True):
        row.before_a, row.before_b = ga, gb
    b_starts = [p.b_start for p in passages]
    return PairView(pair, a, b, rows, after_a, after_b, moved=b_starts != sorted(b_starts))
