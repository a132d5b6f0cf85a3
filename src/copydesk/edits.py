"""What the edits inside a pair's passages say: template instances, and which side is older.

Inside each aligned passage the two token sequences are compared word by word
(Levenshtein opcodes from rapidfuzz).  Two readings of the edits are used by :mod:`relate`:

* **template instances** — routine reports written from one skeleton (market closes,
  lottery draws, results tables, company filings) share their words only between *slots*
  (figures, names, days) that differ.  The shared text then comes in short exact pieces
  separated by many slot edits (at least ``slot_share`` of all edits, and at least half of
  them values: figures, names); a re-issue of the same instance (same figures, or one
  corrected) keeps long exact runs.  A pair whose passages hold at least
  ``min_slot_edits`` slot edits and whose exact pieces average fewer than
  ``max_mean_run`` words is a template pair, not reuse.  A *slot* edit replaces a number,
  or words by different words (not a respelling or an OCR slip of them); OCR noise garbles
  words rather than replacing them.  A copy desk's rewording replaces words too (synonyms),
  but keeps the figures and names, so its edits are mostly not values: a template's slots
  are mostly values.  A passage that stops inside a sentence at two different words has
  met a slot too: the edges of the passages count (:func:`boundary_edits`).
* **time words** — a wire story says "on Tuesday"; the paper that reprints it the next
  day says "yesterday".  Where one side has a weekday and the other "yesterday" in the
  same place, the weekday side is the older text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from .align_kernel import same_words
from .edit_bound import LOOKAHEAD, common_affix, distance_totals, edits_upper, same_content
from .prepare import Prepared, _ends_sentence
from .textnorm import tokenize_reference
from .word_codes import word_opcodes


def _key(word: str) -> int:
    return int(tokenize_reference(word).hash[0])


_WEEKDAYS = frozenset(_key(d) for d in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                        "saturday", "sunday"))
_YESTERDAY = _key("yesterday")
_YESTERDAY_KEY = np.uint64(_YESTERDAY)


@dataclass(frozen=True, slots=True)
class EditSummary:
    matched: int        #: tokens in equal pieces
    pieces: int         #: equal pieces
    edits: int          #: non-equal pieces
    slot_edits: int     #: edits that change a number or a capitalised word
    older: int          #: +1: a says "on <weekday>" where b says "yesterday"; -1: the reverse
    value_edits: int = 0  #: slot edits that put a value (figure, name) in place of a value

    @property
    def mean_run(self) -> float:
        return self.matched / self.pieces if self.pieces else 0.0


def _kinds(p: Prepared, text: str, lo: int, hi: int) -> tuple[bool, str]:
    """(has a number, the text) of tokens ``lo:hi``."""
    t = p.tokens
    if hi <= lo:
        return False, ""
    return bool(t.digit[lo:hi].any()), text[int(t.start[lo]):int(t.end[hi - 1])]


def _slot(a: Prepared, text_a: str, sa: int, ea: int, b: Prepared, text_b: str, sb: int, eb: int) -> bool:
    """Does this edit fill a slot with another value: a number, or words replaced by
    different ones (a respelling or an OCR slip of the same words is not another value;
    words only added or only dropped are an edit, not a slot)?"""
    if ea <= sa or eb <= sb:
        return False
    da, xa = _kinds(a, text_a, sa, ea)
    db, xb = _kinds(b, text_b, sb, eb)
    if not (xa and xb):
        return False
    if da and db:  # "$7.4 billion" -> "$7.4bn", "1pc" -> "1%": the same value re-expressed
        return _digits(xa) != _digits(xb)
    x, y = xa.casefold(), xb.casefold()
    return max(Levenshtein.normalized_similarity(x, y), Levenshtein.normalized_similarity(_glyphs(x), _glyphs(y))) < _SAME_WORDS


#: letters an OCR engine reads one for another (round letters, thin strokes, ligatures):
#: a slip keeps the glyph's shape, another word does not.  Coarser than the tokenizer's
#: skeleton (:data:`copydesk.textnorm.OCR_SKELETON`) on round letters (a, e, o, c), which
#: it keeps apart, and without its n/u/r, h/b and m/w classes, under which short words
#: that are different values ("Monday", "Sunday") would look alike
_GLYPH_PAIRS = (("rn", "m"), ("cl", "d"), ("vv", "w"), ("li", "h"))
_GLYPH = str.maketrans("aeco0il1|!5", "ooooollllls")


def _glyphs(x: str) -> str:
    for two, one in _GLYPH_PAIRS:
        x = x.replace(two, one)
    return x.translate(_GLYPH)


def _values(a: Prepared, text_a: str, sa: int, ea: int, b: Prepared, text_b: str, sb: int, eb: int) -> bool:
    """Do both sides of an edit hold a value (a figure, or a capitalised word not opening
    its sentence)?"""
    return any(_value(a, text_a, t) for t in range(sa, ea)) and any(_value(b, text_b, t) for t in range(sb, eb))


def _digits(x: str) -> str:
    return "".join(c for c in x if c.isdigit())


_SAME_WORDS = 0.75

#: fewer slot edits than this never make a template pair
MIN_SLOT_EDITS = 3


def _regions(ops: object) -> list[tuple[int, int, int, int, bool]]:
    """Opcodes as alternating equal and edited regions (adjacent replace, insert and delete
    operations joined: "on Tuesday" -> "yesterday" is one edit)."""
    out: list[tuple[int, int, int, int, bool]] = []
    for op in ops:  # type: ignore[attr-defined]
        equal = op.tag == "equal"
        if out and not equal and not out[-1][4]:
            sa, _, sb, _, _ = out[-1]
            out[-1] = (sa, op.src_end, sb, op.dest_end, False)
        else:
            out.append((op.src_start, op.src_end, op.dest_start, op.dest_end, equal))
    return out


def summarize(a: Prepared, b: Prepared, spans: np.ndarray, text_a: str, text_b: str) -> EditSummary:
    """Word-level edits inside the passages (token spans ``[as, ae, bs, be)``)."""
    matched = pieces = edits = slots = values = 0
    older = 0
    ha, hb = a.tokens.hash, b.tokens.hash
    for a0, a1, b0, b1 in np.asarray(spans).tolist():
        if a1 - a0 == b1 - b0 and np.array_equal(ha[a0:a1], hb[b0:b1]):
            matched += a1 - a0  # copied word for word: no edits to read (most passages)
            pieces += 1
            continue
        # adjacent operations are one edit: "on Tuesday" -> "yesterday", "Scotland" ->
        # "Northern Ireland" (one slot filled with a value of another length)
        for sa, ea, sb, eb, equal in _regions(Levenshtein.opcodes(ha[a0:a1].tolist(), hb[b0:b1].tolist())):
            if equal:
                matched += ea - sa
                pieces += 1
                continue
            edits += 1
            if _slot(a, text_a, a0 + sa, a0 + ea, b, text_b, b0 + sb, b0 + eb):
                slots += 1
                values += _values(a, text_a, a0 + sa, a0 + ea, b, text_b, b0 + sb, b0 + eb)
            wa, wb = set(ha[a0 + sa:a0 + ea].tolist()), set(hb[b0 + sb:b0 + eb].tolist())
            if wa & _WEEKDAYS and _YESTERDAY in wb:
                older += 1
            elif wb & _WEEKDAYS and _YESTERDAY in wa:
                older -= 1
    be, bs, bv = boundary_edits(a, b, spans, text_a, text_b)
    return EditSummary(matched, pieces, edits + be, slots + bs, older, values + bv)


def boundary_edits(a: Prepared, b: Prepared, spans: np.ndarray, text_a: str, text_b: str) -> tuple[int, int, int]:
    """(edits, slot edits) where the passages stop inside a sentence on both sides, at
    words that differ: the token right after a passage's end (or right before its start)
    on each side.  A template's shared skeleton breaks off at its slots — "between junctions
    | 17 and 18" against "| 16 and 17" — so a slot that ends a passage is an edit of the
    skeleton as much as one inside it.  It is a slot edit when one word is not a respelling
    of the other (:func:`_slot`), and a slot with a value when both words are values (a
    figure, or a capitalised word not opening its sentence).  A passage that ends with its
    sentence, or with boilerplate, stops at no edit.  Returns (edits, slot edits, slot
    edits with values)."""
    ta, tb = a.tokens, b.tokens
    na, nb = len(ta.start), len(tb.start)
    seen: set[tuple[int, int]] = set()
    edits = slots = values = 0
    for a0, a1, b0, b1 in np.asarray(spans).tolist():
        for x, y, after in ((a1, b1, True), (a0 - 1, b0 - 1, False)):
            if not (0 <= x < na and 0 <= y < nb) or (x, y) in seen:
                continue
            seen.add((x, y))
            if a.boiler[x] or b.boiler[y] or ta.hash[x] == tb.hash[y]:
                continue
            # the passage's edge is inside a sentence on both sides
            if not (_mid_sentence(a, text_a, x if after else x + 1) and _mid_sentence(b, text_b, y if after else y + 1)):
                continue
            edits += 1
            if _slot(a, text_a, x, x + 1, b, text_b, y, y + 1):  # not a respelling
                slots += 1
                values += _value(a, text_a, x) and _value(b, text_b, y)
    return edits, slots, values


def _mid_sentence(p: Prepared, text: str, t: int) -> bool:
    """Is token ``t`` inside a sentence: on the line of the token before it, which does not
    end a sentence?"""
    t_ = p.tokens
    return 0 < t < len(t_.start) and t_.line[t] == t_.line[t - 1] and not _ends_sentence(
        text[int(t_.start[t - 1]):int(t_.end[t - 1])])


def _value(p: Prepared, text: str, t: int) -> bool:
    """Is token ``t`` a slot's value: a figure, or a capitalised word not opening its
    sentence?"""
    return bool(p.tokens.digit[t]) or (text[int(p.tokens.start[t])].isupper() and _mid_sentence(p, text, t))


def _edited_regions(x: np.ndarray, y: np.ndarray) -> list[tuple[int, int, int, int, bool]]:
    """``_regions(Levenshtein.opcodes(x.tolist(), y.tolist()))`` without the common prefix and
    suffix (``equal`` regions of their own there): rapidfuzz strips them before it computes
    the edits, so only the middle needs converting and comparing (as a string of word codes:
    :func:`copydesk.word_codes.word_opcodes`)."""
    pre, suf = common_affix(x, y)
    if pre == len(x) == len(y):
        return [(0, pre, 0, pre, True)] if pre else []
    out = [(0, pre, 0, pre, True)] if pre else []
    for sa, ea, sb, eb, equal in _regions(word_opcodes(x[pre:len(x) - suf], y[pre:len(y) - suf])):
        out.append((sa + pre, ea + pre, sb + pre, eb + pre, equal))
    if suf:
        out.append((len(x) - suf, len(x), len(y) - suf, len(y), True))
    return out


def template_pair(a: Prepared, b: Prepared, spans: np.ndarray, text_a: str, text_b: str, *,
                  min_slot_edits: int = MIN_SLOT_EDITS, max_mean_run: float = 10.0,
                  slot_share: float = 0.8) -> bool:
    """``is_template_pair(summarize(a, b, spans, text_a, text_b))``, stopping as soon as the
    answer is known: no opcodes when a greedy edit script (:mod:`copydesk.edit_bound`)
    shows there are too few edits or that the pieces are long; the slots of the edits read
    only when the pieces are short enough and there are edits enough, and only until too
    many edits are not slots."""
    ha, hb = a.tokens.hash, b.tokens.hash
    spans = np.ascontiguousarray(spans, np.int64).reshape(-1, 4)
    # edits <= distance <= bound, and pieces <= edits + one per passage: long runs for sure?
    bound, length = distance_totals(np.ascontiguousarray(ha, np.uint64), np.ascontiguousarray(hb, np.uint64),
                                    spans, LOOKAHEAD)
    if bound + 2 * len(spans) < min_slot_edits:
        return False
    kept = length - bound  # matched is at least this
    # kept / (bound + len(spans)) >= max_mean_run, compared exactly (as fractions)
    num, den = max_mean_run.as_integer_ratio()
    if kept > 0 and kept * den >= num * (bound + len(spans)):
        return False
    matched = pieces = edits = 0
    edited: list[tuple[int, int, Any]] = []
    for a0, a1, b0, b1, same in zip(*spans.T.tolist(), same_words(ha, hb, spans).tolist(), strict=True):
        if same:
            matched += a1 - a0
            pieces += 1
            continue
        regions = _regions(word_opcodes(ha[a0:a1], hb[b0:b1]))
        edited.append((a0, b0, regions))
        for sa, ea, _, _, equal in regions:
            if equal:
                matched += ea - sa
                pieces += 1
            else:
                edits += 1
    be, bs, values = boundary_edits(a, b, spans, text_a, text_b)
    edits += be
    if edits < min_slot_edits or not (matched / pieces if pieces else 0.0) < max_mean_run:
        return False
    need = max(min_slot_edits, slot_share * edits)
    other = be - bs  # edits that are not slots so far
    if edits - other < need:
        return False
    for a0, b0, regions in edited:
        for sa, ea, sb, eb, equal in regions:
            if equal:
                continue
            if not _slot(a, text_a, a0 + sa, a0 + ea, b, text_b, b0 + sb, b0 + eb):
                other += 1
                if edits - other < need:
                    return False
            else:
                values += _values(a, text_a, a0 + sa, a0 + ea, b, text_b, b0 + sb, b0 + eb)
    return 2 * values >= edits - other


def time_words(a: Prepared, b: Prepared, spans: np.ndarray, text_a: str = "", text_b: str = "") -> int:
    """``summarize(a, b, spans, ...).older`` alone: only a passage with "yesterday" on one
    side can say which side is older, so the others are not compared.  With the texts, each
    passage is read to the ends of the sentences it starts and ends in (:func:`sentence_span`):
    a reprint that turns "On Thursday, ..." into "Yesterday, ..." changes the words that open
    the sentence, so the exact passage starts after them."""
    older = 0
    ha, hb = a.tokens.hash, b.tokens.hash
    if not ((ha == _YESTERDAY_KEY).any() or (hb == _YESTERDAY_KEY).any()):
        return 0
    for a0, a1, b0, b1 in np.asarray(spans).tolist():
        if text_a and text_b:
            a0, a1 = sentence_span(a, text_a, a0, a1)
            b0, b1 = sentence_span(b, text_b, b0, b1)
        xa, xb = ha[a0:a1], hb[b0:b1]
        if not ((xa == _YESTERDAY_KEY).any() or (xb == _YESTERDAY_KEY).any()):
            continue
        if a1 - a0 == b1 - b0 and np.array_equal(xa, xb):
            continue
        for sa, ea, sb, eb, equal in _regions(word_opcodes(xa, xb)):
            if equal:
                continue
            wa, wb = set(xa[sa:ea].tolist()), set(xb[sb:eb].tolist())
            if wa & _WEEKDAYS and _YESTERDAY in wb:
                older += 1
            elif wb & _WEEKDAYS and _YESTERDAY in wa:
                older -= 1
    return older


def sentence_span(p: Prepared, text: str, lo: int, hi: int, limit: int = 80) -> tuple[int, int]:
    """Tokens ``lo:hi`` widened to the start of the sentence ``lo`` is in and the end of the
    sentence ``hi - 1`` is in: within the line, up to a token that ends a sentence (as
    :func:`copydesk.prepare._ends_sentence` reads one), at most ``limit`` tokens each way."""
    t = p.tokens
    n = len(t.start)
    if not 0 <= lo < hi <= n:
        return lo, hi
    line, start, end = t.line, t.start, t.end
    stop = max(0, lo - limit)
    while lo > stop and line[lo - 1] == line[lo] and not _ends_sentence(text[int(start[lo - 1]):int(end[lo - 1])]):
        lo -= 1
    stop = min(n, hi + limit)
    while hi < stop and line[hi] == line[hi - 1] and not _ends_sentence(text[int(start[hi - 1]):int(end[hi - 1])]):
        hi += 1
    return lo, hi


def edits_at_most(a: Prepared, b: Prepared, spans: np.ndarray) -> int:
    """A cheap upper bound on the edits :func:`summarize` would count (each edit changes at
    least one aligned position of passages of equal length; a passage's edge adds one where
    the words beside it differ, see :func:`boundary_edits`); passages of unequal length
    give no bound (a large number)."""
    return int(edits_upper(np.ascontiguousarray(a.tokens.hash, np.uint64),
                           np.ascontiguousarray(b.tokens.hash, np.uint64),
                           np.ascontiguousarray(spans, np.int64).reshape(-1, 4), 1 << 30))


def only_slips(a: Prepared, b: Prepared, spans: np.ndarray, text_a: str, text_b: str) -> bool:
    """Is every difference inside the passages (token spans ``[as, ae, bs, be)``, boilerplate
    aside) noise rather than an edit?  Noise garbles the same words: it keeps their letters
    (at least ``_SAME_WORDS`` similar, spaces and punctuation aside) and every figure.  An
    OCR copy shows its scanner's signature — look-alike glyphs swapped ("cleorly",
    "children'5", "whi1e"), words run together or split — in most of its differences; a
    copy desk's respellings ("Shefield", "organization", "Labor") are real edits and show
    none.  So: no difference that changes words, and at least as many OCR signatures as
    other letter changes."""
    signatures = other = 0
    spans = np.ascontiguousarray(spans, np.int64).reshape(-1, 4)
    # the passages whose words (boilerplate aside) are the same are skipped in one call
    differ = ~same_content(np.ascontiguousarray(a.tokens.hash, np.uint64), a.boiler,
                           np.ascontiguousarray(b.tokens.hash, np.uint64), b.boiler, spans)
    for a0, a1, b0, b1 in spans[differ].tolist():
        ia = np.arange(a0, a1)[~a.boiler[a0:a1]]
        ib = np.arange(b0, b1)[~b.boiler[b0:b1]]
        ha, hb = a.tokens.hash[ia], b.tokens.hash[ib]
        for sa, ea, sb, eb, equal in _edited_regions(ha, hb):
            if equal:
                continue
            if ea <= sa or eb <= sb:
                return False
            kind = slip_kind(text_a[int(a.tokens.start[ia[sa]]):int(a.tokens.end[ia[ea - 1]])],
                             text_b[int(b.tokens.start[ib[sb]]):int(b.tokens.end[ib[eb - 1]])])
            if kind is None:
                return False
            signatures += kind == "ocr"
            other += kind == "letters"
    return signatures >= other


#: glyphs a scanner confuses (casefolded), as unordered pairs
_LOOK_ALIKE = frozenset(frozenset(p) for p in ("ao", "ce", "eo", "co", "l1", "li", "i1", "l|", "i!", "s5",
                                               "o0", "b6", "g9", "gq", "tf", "hb", "nu", "uv", "nr", "z2"))


def slip_kind(x: str, y: str) -> str | None:
    """How two garbled spellings of the same words differ: ``"ocr"`` (only spaces and
    punctuation, or look-alike glyphs swapped), ``"letters"`` (other letter changes that
    keep the words and figures: one character, or most of the letters), or None (other
    words: an edit)."""
    x, y = x.casefold(), y.casefold()
    bare_x = "".join(c for c in x if c.isalnum())
    bare_y = "".join(c for c in y if c.isalnum())
    if bare_x == bare_y:
        return "ocr"
    if len(bare_x) == len(bare_y) and all(c == d or frozenset((c, d)) in _LOOK_ALIKE
                                          for c, d in zip(bare_x, bare_y, strict=True)):
        return "ocr"
    if _figures(x) != _figures(y):
        return None
    if Levenshtein.distance(bare_x, bare_y) > 1 and Levenshtein.normalized_similarity(bare_x, bare_y) < _SAME_WORDS:
        return None
    return "letters"


def _figures(text: str) -> list[str]:
    """The digits of each word of a text that has any (a glyph a scanner took for a digit
    was recognised before this is asked)."""
    return [d for d in ("".join(c for c in word if c.isdigit()) for word in text.split()) if d]


def is_template_pair(s: EditSummary, *, min_slot_edits: int = MIN_SLOT_EDITS, max_mean_run: float = 10.0,
                     slot_share: float = 0.8) -> bool:
    """Do the passages share only a skeleton whose slots differ (see the module docstring)?"""
    return (s.slot_edits >= min_slot_edits and s.slot_edits >= slot_share * s.edits
            and s.mean_run < max_mean_run and 2 * s.value_edits >= s.slot_edits)
