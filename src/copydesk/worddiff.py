"""Word-level edit detail inside aligned passages (the "align" stage's last step).

A passage says *where* two articles share text; this module says *how* the words differ
inside it, for the side-by-side view of ``copydesk compare``: which words were kept, which
were changed (``"Raqqa"`` → ``"Raqa"``), which were only in a (``removed``) and which only
in b (``added``).

Words are whitespace-separated tokens of the original text.  They are compared after a
light normalization (Unicode NFKD, non-alphanumerics dropped, case folded), so a respelled
accent, a changed comma or a capital letter never breaks a kept run.  The alignment of the
two word lists is a word-level Levenshtein edit script (``rapidfuzz.distance.Levenshtein``,
which accepts lists of hashable items); :func:`word_diff_reference` does the same with
:class:`difflib.SequenceMatcher` and serves as a simple reference in differential tests.

Every :class:`Edit` carries character offsets into the *original* texts, so what is shown
is exactly what the user supplied.  The edits of one passage tile it: read in order, their
ranges cover each word of both sides exactly once.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Levenshtein

from copydesk.records import Passage

__all__ = [
    "Edit",
    "EditOp",
    "Word",
    "diff_pair",
    "normalize_word",
    "passage_words",
    "word_diff",
    "word_diff_reference",
]

EditOp = Literal["kept", "changed", "added", "removed"]

# Opcode tags (rapidfuzz and difflib use the same names) -> what a copy editor did.
_OP_FOR_TAG: dict[str, EditOp] = {
    "equal": "kept",
    "replace": "changed",
    "insert": "added",  # words only in b
    "delete": "removed",  # words only in a
}

_WORD_RE = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Edit:
    """One run of words with the same fate; offsets into the original texts, end exclusive.

    ``added`` has an empty a range and ``removed`` an empty b range, placed where the
    missing words would be (at the start of the next word on that side, or at the end of
    the last one).
    """

    op: EditOp
    a_start: int
    a_end: int
    b_start: int
    b_end: int


@dataclass(frozen=True, slots=True)
class Word:
    """A whitespace-separated token: its original offsets and its comparison key."""

    start: int
    end: int
    key: str


def normalize_word(token: str) -> str:
    """Comparison key of a token: NFKD, alphanumerics only, case folded.

    ``"Raqqa,"`` and ``"raqqa"`` get the same key, and so do ``"Café"`` and ``"cafe"``.
    Punctuation-only tokens (``"—"``) get the empty key, so they match one another.
    """
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(ch for ch in decomposed if ch.isalnum()).casefold()


def passage_words(text: str, start: int, end: int) -> list[Word]:
    """The words of ``text[start:end]`` (clipped to the text) with absolute offsets."""
    start = _clip(start, text)
    end = max(start, _clip(end, text))
    return [Word(m.start(), m.end(), normalize_word(m.group()))
            for m in _WORD_RE.finditer(text, start, end)]


def word_diff(text_a: str, text_b: str, passage: Passage) -> list[Edit]:
    """Word-level edits inside one passage, from a word-level Levenshtein alignment.

    ``replace`` blocks become ``changed``, ``insert`` (only in b) ``added`` and ``delete``
    (only in a) ``removed``; adjacent edits with the same op are merged.
    """
    words_a = passage_words(text_a, passage.a_start, passage.a_end)
    words_b = passage_words(text_b, passage.b_start, passage.b_end)
    keys_a = [w.key for w in words_a]
    keys_b = [w.key for w in words_b]
    opcodes = ((op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
               for op in Levenshtein.opcodes(keys_a, keys_b))
    return _edits_from_opcodes(opcodes, words_a, words_b,
                               _clip(passage.a_start, text_a), _clip(passage.b_start, text_b))


def word_diff_reference(text_a: str, text_b: str, passage: Passage) -> list[Edit]:
    """The same as :func:`word_diff` with :mod:`difflib`; slow, simple, for tests.

    It may break ties differently (and ``SequenceMatcher`` is not a minimal edit script),
    so only the invariants of the result — not its exact edits — are comparable.
    """
    words_a = passage_words(text_a, passage.a_start, passage.a_end)
    words_b = passage_words(text_b, passage.b_start, passage.b_end)
    matcher = difflib.SequenceMatcher(None, [w.key for w in words_a],
                                      [w.key for w in words_b], autojunk=False)
    return _edits_from_opcodes(matcher.get_opcodes(), words_a, words_b,
                               _clip(passage.a_start, text_a), _clip(passage.b_start, text_b))


def diff_pair(text_a: str, text_b: str, passages: Iterable[Passage]) -> list[list[Edit]]:
    """:func:`word_diff` for each passage of a pair, in the given order."""
    return [word_diff(text_a, text_b, p) for p in passages]


def _edits_from_opcodes(opcodes: Iterable[tuple[str, int, int, int, int]],
                        words_a: Sequence[Word], words_b: Sequence[Word],
                        a_origin: int, b_origin: int) -> list[Edit]:
    """Turn word-index opcodes into merged character-offset edits."""
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if i1 == i2 and j1 == j2:
            continue
        a_start, a_end = _char_range(words_a, i1, i2, a_origin)
        b_start, b_end = _char_range(words_b, j1, j2, b_origin)
        edit = Edit(_OP_FOR_TAG[tag], a_start, a_end, b_start, b_end)
        if edits and edits[-1].op == edit.op:
            last = edits[-1]
            edit = Edit(edit.op, last.a_start, edit.a_end, last.b_start, edit.b_end)
            edits[-1] = edit
        else:
            edits.append(edit)
    return edits


def _char_range(words: Sequence[Word], i1: int, i2: int, fallback: int) -> tuple[int, int]:
    """Character range of ``words[i1:i2]``; an empty range at the insertion point if empty."""
    if i1 < i2:
        return words[i1].start, words[i2 - 1].end
    if i1 < len(words):
        pos = words[i1].start
    elif words:
        pos = words[-1].end
    else:
        pos = fallback
    return pos, pos


def _clip(offset: int, text: str) -> int:
    """``offset`` clipped to ``[0, len(text)]``."""
    return max(0, min(offset, len(text)))
