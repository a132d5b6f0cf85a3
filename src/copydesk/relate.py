"""Relate: name the relation of an aligned pair and decide its origin.

Relations follow what a copy editor did (FORMATS.md), read off the alignment:

* ``duplicate`` — the word keys outside boilerplate are identical (case, accents,
  punctuation, whitespace and OCR-confusable glyphs aside); ``duplicate_similarity`` below 1
  also admits token sequences that similar;
* ``near_duplicate`` — both sides are almost all shared (both coverages high), or the whole
  story is reworded at about its length (:func:`_whole_rewrite`);
* ``contained`` — one side is almost all inside the other;
* ``partial`` — both keep substantial text of their own.

The origin comes from publication dates when they differ; otherwise from the text where it
is clear (time words, a wire dateline, a correction notice: see :func:`origin`), and failing
that, in a ``contained`` pair the containing article is taken as the source (a copy desk
condenses and trims far more often than it pads).  Anything else is undecidable and left
``None``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import pairwise

import numpy as np
from rapidfuzz.distance import Indel

from .align import Alignment
from .config import ParaphraseConfig, RelateConfig, SemanticConfig
from .edit_bound import same_content
from .edits import MIN_SLOT_EDITS, edits_at_most, only_slips, template_pair, time_words
from .furniture import SHORT_LINE_CHARS
from .paraphrase import Sentences, mark_kinds, paraphrase_spans, with_paraphrases
from .prepare import _DATELINE, Prepared
from .records import Pair
from .relate_kernel import READ_ENDS, YES, leftover_lines
from .setops import unique

_QUOTES = "\"'“”‘’«»„"
_QUOTE_SET = frozenset(_QUOTES)
_ATTRIBUTION_CHARS = 60
_CLOSING_PUNCT = ",.?!…;:"


def is_reuse(al: Alignment, text_a: str, text_b: str, cfg: RelateConfig) -> bool:
    """Is this alignment real reuse?  Needs one passage of ``min_reuse_chars`` and
    ``min_total_chars`` in all (stock phrases of ten or twelve words recur by chance in a big
    corpus) — or, for a short article, that it is carried almost whole (the floors scale with
    the shorter article: a one-sentence brief inside a roundup is reuse); a single quotation
    that both articles quote, with or without its attribution, does not count (an article
    quoting a paragraph of the other one is an excerpt, and does).  Nor is a shared quotation
    the one long passage a pair needs: beside a scrap of a stock photo caption it is still
    only a quotation."""
    passages = al.passages
    # what longest_chars takes (the fields unpacked: faster than by name, ~37k calls a scan)
    sizes = [min(a1 - a0, b1 - b0) for a0, a1, b0, b1, _ in passages]
    longest = max(sizes, default=0)
    floors = longest >= cfg.min_reuse_chars and sum(sizes) >= cfg.min_total_chars
    whole = max(al.coverage_a, al.coverage_b) >= cfg.short_whole and longest >= cfg.short_min_chars
    if not (floors or whole):
        return False
    need = cfg.short_min_chars if whole else cfg.min_reuse_chars
    if longest < need or not sizes:
        return False
    # the longest passages first: the first long enough that is not a shared quotation
    # decides (the first longest alone, most often, before any sorting)
    n = sizes.index(longest)
    p = passages[n]
    if not (_only_a_quotation(text_a, p.a_start, p.a_end) and _only_a_quotation(text_b, p.b_start, p.b_end)):
        return True
    for n in sorted(range(len(sizes)), key=lambda n: -sizes[n]):
        if sizes[n] < need:
            return False
        p = passages[n]
        if not (_only_a_quotation(text_a, p.a_start, p.a_end) and _only_a_quotation(text_b, p.b_start, p.b_end)):
            return True
    return False


def _only_a_quotation(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` one quotation and nothing else (a press-release sentence quoted
    by two unrelated stories)?  True when it opens with a quotation mark (or just after one)
    and that quotation closes within the last few characters of the passage, or is followed
    only by its attribution ('..." the economist said.').  A word or two of the paragraph
    before or after, which word-by-word extension can take in by chance ("says."), is
    ignored."""
    cut = text.rfind("\n", start, min(end, start + 40))
    if cut >= 0 and len(text[start:cut].split()) <= 2:
        start = cut + 1
        while start < end and text[start].isspace():
            start += 1
    if _QUOTE_SET.isdisjoint(text[max(0, start - 1):start + 1]):
        return False
    close = min((i for i in (text.find(q, start + 1, end + 3) for q in _QUOTES) if i >= 0), default=-1)
    if close < 0 or text[close - 1] not in _CLOSING_PUNCT:
        return False  # a quotation ends in punctuation ('…such," she said'); else the mark opens another
    if close >= end - 3:
        return True
    attribution, _, spill = text[close + 1:end].partition("\n")
    return (len(attribution) <= _ATTRIBUTION_CHARS and not any(q in attribution for q in _QUOTES)
            and len(spill.split()) <= 2)


def _content_keys(p: Prepared) -> np.ndarray:
    return p.tokens.hash[~p.boiler]


def _same_content_keys(a: Prepared, b: Prepared) -> bool:
    """``np.array_equal(_content_keys(a), _content_keys(b))`` in one compiled call, without
    gathering the keys (:func:`copydesk.edit_bound.same_content` over the whole texts)."""
    whole = np.array([[0, len(a.boiler), 0, len(b.boiler)]], np.int64)
    return bool(same_content(np.ascontiguousarray(a.tokens.hash, np.uint64), a.boiler,
                             np.ascontiguousarray(b.tokens.hash, np.uint64), b.boiler, whole)[0])


def _same_but_short_lines(a: Prepared, b: Prepared, spans: np.ndarray, text_a: str, text_b: str) -> bool:
    """Are the two texts the same story word for word, apart from slips (OCR misreadings, a
    dropped letter: :func:`copydesk.edits.only_slips`) and whole lines that only one side
    has and that are page furniture by their shape (a caption with its credit, a byline, a
    list entry, a changed headline: short, and not a sentence)?  Every passage is the same
    words on both sides, in the same order, and what lies outside the passages is such
    lines."""
    if not len(spans):
        return False
    # in order of a start (a stable sort), and then in order on b too: on the few rows of
    # a pair's passages in Python, not numpy
    rows = spans.tolist()
    order = sorted(range(len(rows)), key=lambda n: rows[n][0])
    if any(rows[y][2] < rows[x][2] for x, y in pairwise(order)):
        return False
    if order != list(range(len(rows))):
        spans = spans[order]
    # the cheap test of the lines left over first: it fails far more often than not
    return (_only_furniture_lines_left(a, spans[:, 0], spans[:, 1], text_a)
            and _only_furniture_lines_left(b, spans[:, 2], spans[:, 3], text_b)
            and only_slips(a, b, spans, text_a, text_b))


_CLOSERS = "\"'”’»)]"
_STOPS = (".", "!", "?", "…", "。", "！", "？")


def _only_furniture_lines_left(p: Prepared, starts: np.ndarray, ends: np.ndarray, text: str) -> bool:
    """Are the content words outside the token spans ``[starts, ends)`` whole short lines
    that are not sentences (compiled: :func:`copydesk.relate_kernel.leftover_lines`;
    :func:`_only_furniture_lines_left_reference` is the specification)?"""
    t = p.tokens
    verdict, line_ends = leftover_lines(p.boiler, t.line, t.weight, t.end, np.ascontiguousarray(starts, np.int64),
                                        np.ascontiguousarray(ends, np.int64), SHORT_LINE_CHARS)
    if verdict != READ_ENDS:
        return verdict == YES
    return not any(_is_sentence(text[e - 1:_line_end(text, e)]) for e in line_ends.tolist())


def _only_furniture_lines_left_reference(p: Prepared, starts: np.ndarray, ends: np.ndarray, text: str) -> bool:
    n = len(p.boiler)
    inside = np.zeros(n + 1, np.int64)
    np.add.at(inside, starts, 1)
    np.add.at(inside, ends, -1)
    covered = np.cumsum(inside[:n]) > 0
    content = ~p.boiler
    left = content & ~covered
    if not left.any():
        return True
    line = p.tokens.line
    lines = unique(line[left])
    on = np.isin(line, lines) & content
    if (on & covered).any():   # a line partly in a passage: an edit, not a leftover line
        return False
    weight = np.bincount(line[on], weights=p.tokens.weight[on])
    if weight[lines].max() > SHORT_LINE_CHARS:
        return False
    last = np.flatnonzero(on)
    ends_at = {int(ln): int(e) for ln, e in zip(line[last].tolist(), p.tokens.end[last].tolist(), strict=True)}
    return not any(_is_sentence(text[e - 1:_line_end(text, e)]) for e in ends_at.values())


def _line_end(text: str, at: int) -> int:
    nl = text.find("\n", at)
    return len(text) if nl < 0 else nl


def _is_sentence(line_end: str) -> bool:
    """Does a line that ends so end a sentence (its last character, before closing quotes
    and brackets, is sentence punctuation)?"""
    return line_end.rstrip().rstrip(_CLOSERS).endswith(_STOPS)


def relation(a: Prepared, b: Prepared, al: Alignment, cfg: RelateConfig,
             text_a: str | None = None, text_b: str | None = None) -> str:
    """The relation of a pair known to be reuse (given the texts, a pair that differs only by
    leftover furniture lines is a ``duplicate``: see :func:`_same_but_short_lines`)."""
    ca, cb = al.coverage_a, al.coverage_b
    if ca >= cfg.near_duplicate and cb >= cfg.near_duplicate:
        if _same_content_keys(a, b) or (text_a is not None and text_b is not None
                                         and _same_but_short_lines(a, b, al.spans, text_a, text_b)):
            return "duplicate"
        if cfg.duplicate_similarity < 1 and Indel.normalized_similarity(
                _content_keys(a).tolist(), _content_keys(b).tolist()) >= cfg.duplicate_similarity:
            return "duplicate"
        return "near_duplicate"
    if ca >= cfg.contained and cb >= cfg.contained and _whole_rewrite(al, cfg):
        return "near_duplicate"
    if ca >= cfg.contained or cb >= cfg.contained:
        return "contained"
    return "partial"


def _whole_rewrite(al: Alignment, cfg: RelateConfig) -> bool:
    """Is a pair whose coverages both reach ``contained`` a rewrite of the whole story?  So
    when most of the shared text is reworded sentences (passages of kind ``paraphrase``) and
    neither text is shorter than ``near_duplicate`` of the other (outside furniture: the
    covered characters over the coverage).  Reworded sentences are paired one by one where
    their words or embeddings show it, and a rewriter's other sentences are left out, so a
    rewrite's coverage falls short of a copy's; ``contained`` (a condensed, trimmed or
    excerpted text) needs one side shorter than the other, which a rewrite of about the
    same length is not."""
    covered_a = covered_b = reworded = 0
    for p in al.passages:
        covered_a += p.a_end - p.a_start
        covered_b += p.b_end - p.b_start
        if p.kind == "paraphrase":
            reworded += p.a_end - p.a_start
    if 2 * reworded < covered_a or not covered_a or not covered_b:
        return False
    la, lb = covered_a / al.coverage_a, covered_b / al.coverage_b
    return min(la, lb) >= cfg.near_duplicate * max(la, lb)


@lru_cache(maxsize=1 << 16)
def parse_date(value: str | None) -> datetime | date | None:
    """A publication date: ISO 8601 first, then the common other forms ("4 July 2017",
    "July 4, 2017", RFC 2822 e-mail headers) through python-dateutil.  A time with an offset
    is converted to UTC; None when absent or unreadable (cached: families compare each
    member's date many times)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        if len(value) <= 10 and value[:4].isdigit():
            return date.fromisoformat(value)
        d = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        d = _parse_other(value)
        if d is None:
            return None
        if isinstance(d, date) and not isinstance(d, datetime):
            return d
    if d.tzinfo is not None:
        d = d.astimezone(UTC)
    return d.replace(tzinfo=None)


def _parse_other(value: str) -> datetime | date | None:
    try:
        d = _dateutil().parse(value, default=_NO_TIME)
    except (ValueError, OverflowError, TypeError):
        return None
    if d.year == _NO_TIME.year:  # no year in it ("5", "Tuesday"): not a publication date
        return None
    has_time = d.hour or d.minute or d.second or ":" in value
    return d if has_time else d.date()


_NO_TIME = datetime(1, 1, 1)


@lru_cache(maxsize=1)
def _dateutil():  # type: ignore[no-untyped-def]
    from dateutil import parser
    return parser


def usable_date(value: str | None) -> bool | None:
    """None when there is no date, else whether it can be read (:func:`parse_date` gives
    one; :func:`usable_date_reference`).  An ISO 8601 date, or date and time without an
    offset, is read here at once: no :func:`parse_date` call and no cache entry for the
    usual case, where most dates of a corpus are distinct (a time offset, anything else:
    :func:`parse_date` decides)."""
    if not value or not value.strip():
        return None
    v = value.strip()
    try:
        if len(v) <= 10 and v[:4].isdigit():
            date.fromisoformat(v)
            return True
        if datetime.fromisoformat(v.replace("Z", "+00:00")).tzinfo is None:
            return True
    except ValueError:
        pass
    return parse_date(value) is not None


def usable_date_reference(value: str | None) -> bool | None:
    """:func:`usable_date` by :func:`parse_date` alone."""
    if not value or not value.strip():
        return None
    return parse_date(value) is not None


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


@lru_cache(maxsize=1 << 10)
def has_dateline(text: str) -> bool:
    """Does the text open as a wire copy does, its first line of ``_BODY_WORDS`` starting
    with a dateline ("GENEVA (CNS) - ")?  A web page that opens with its menu does not,
    even when the story below keeps the dateline: as evidence of origin, a wire copy is
    older than an outlet's page of it.  (Cached: a chunk's pairs ask it of the same article
    again and again.)"""
    at = 0
    for _ in range(32):  # the first 32 lines (no copy of the rest of the text)
        nl = text.find("\n", at)
        line = text[at:] if nl < 0 else text[at:nl]
        if len(line.split()) >= _BODY_WORDS:
            return bool(_DATELINE.match(line))
        if nl < 0:
            break
        at = nl + 1
    return False


_BODY_WORDS = 8

#: a correction notice of the article itself: a headline marked "CORRECTED-" / "CORRECTED:"
#: or ending "(corrected)", a wire's "(Corrects figure in paragraph 2)", a web page's
#: "Correction: ..." or "This article was corrected / amended on ..."
_CORRECTION = re.compile(
    r"^\W{0,3}(?:CORRECTED\b|Corrected\s*[-:]|\(\s*Corrects?\b|CORRECTIONS?\b|Corrections?\s*[-:(]"
    r"|(?:This|An earlier version of this) (?:article|story|report) (?:was|has been) (?:corrected|amended)\b)"
    r"|\((?:corrected|CORRECTED)\)\W{0,3}$")


def has_correction(p: Prepared, text: str) -> bool:
    """Does the article carry a correction notice of its own (:data:`_CORRECTION`, on a line
    that is not set aside as furniture: a "Most read" list of another page's corrected
    headline is not)?  A corrected re-issue is later than the copy it corrects."""
    if "orrect" not in text and "ORRECT" not in text:
        return False
    for n, line in enumerate(text.split("\n")):
        if _CORRECTION.search(line.strip()):
            lo, hi = int(p.line_first[n]), int(p.line_first[n + 1]) if n + 1 < len(p.line_first) else len(p.boiler)
            if hi > lo and 2 * int(p.boiler[lo:hi].sum()) < hi - lo:
                return True
    return False




def origin(a: Prepared, b: Prepared, rel: str, al: Alignment, text_a: str = "", text_b: str = "",
           older: int = 0, *, order: int | None = None) -> tuple[str | None, str | None]:
    """(origin id, reason) of a related pair: publication dates when both are usable and
    differ (``date``); else evidence from the text where it is clear: "on <weekday>" against
    "yesterday" in the same place (``time_words``), a wire dateline on one side only
    (``dateline``), a correction notice on one side only, which is the later re-issue
    (``correction``), one side containing the other (``containment``).  Conflicting or absent
    evidence gives None: a wrong origin is worse than none.  ``older``: the time words of the
    passages (:func:`copydesk.edits.time_words`); ``order``: ``date_order(a.date, b.date)``
    when the caller has it already."""
    o = date_order(a.date, b.date) if order is None else order
    if o:
        return (a.id if o < 0 else b.id), "date"
    votes: list[tuple[int, str]] = []
    if older:
        votes.append((1 if older > 0 else -1, "time_words"))
    da, db = has_dateline(text_a), has_dateline(text_b)
    if da != db:
        votes.append((1 if da else -1, "dateline"))
    ca, cb = has_correction(a, text_a), has_correction(b, text_b)
    if ca != cb:
        votes.append((-1 if ca else 1, "correction"))
    if votes:
        if len({v for v, _ in votes}) > 1:
            return None, None
        return (a.id if votes[0][0] > 0 else b.id), votes[0][1]
    if rel == "contained":
        # the side with low coverage holds the other: it is taken as the source
        return (b.id if al.coverage_a >= al.coverage_b else a.id), "containment"
    return None, None


def relate(a: Prepared, b: Prepared, al: Alignment, text_a: str, text_b: str,
           config: RelateConfig | None = None, *, paraphrase: ParaphraseConfig | None = None) -> Pair | None:
    """The :class:`Pair` record for an aligned pair, or None when it is not reuse (see
    :func:`judge` for why).  ``a.id < b.id`` is required (FORMATS.md orders pairs)."""
    pair = judge(a, b, al, text_a, text_b, config, paraphrase=paraphrase)
    return pair if isinstance(pair, Pair) else None


def judge(a: Prepared, b: Prepared, al: Alignment, text_a: str, text_b: str,
          config: RelateConfig | None = None, *, paraphrase: ParaphraseConfig | None = None,
          semantic: SemanticConfig | None = None, reworded_only: bool = False,
          sentences: tuple[Callable[[], Sentences], Callable[[], Sentences]] | None = None,
          marked: bool = False, paired: tuple[np.ndarray, int] | None = None) -> Pair | str:
    """The :class:`Pair` record for an aligned pair, or why it is not reuse: ``"unrelated"``
    (too little shared, or one shared quotation) or ``"template"`` (the same skeleton with
    other figures and names: see :mod:`copydesk.edits`).  With ``paraphrase`` (enabled),
    reworded sentences paired in order (:mod:`copydesk.paraphrase`) count as reused text
    too: they become passages of kind ``paraphrase`` and count in coverage.  With ``semantic``
    (enabled; ``scan --semantic``), a pair that is not reuse so far is searched once more for
    sentences rewritten beyond that rule (:mod:`copydesk.semantic.sentences`).
    ``reworded_only``: the pair was proposed by the semantic stage alone — the fingerprints
    found too little shared text to propose it — so it is reuse only through reworded
    sentences; exact passages alone (a template's skeleton, a stock sentence) do not make
    it one.  ``sentences``: where to get the sentences of ``a`` and ``b``
    (:class:`copydesk.paraphrase.BatchSentences`) when the paraphrase stage needs them, else
    each text is split on its own.  ``marked``: the passages of ``al`` are marked already
    (``align_batch(..., kinds=True)``).  ``paired``: what the paraphrase stage finds in this
    pair, when it is known already (:meth:`copydesk.paraphrase.BatchSentences.paraphrase_many`:
    the sentence spans, and how many of them lie outside the exact passages)."""
    cfg = config or RelateConfig()
    if a.id > b.id:
        raise ValueError("relate() expects a.id < b.id")
    if not marked:
        al = mark_kinds(a, b, al)
    exact = al.spans
    checked = False  # the exact passages were tested for a template
    reuse = is_reuse(al, text_a, text_b, cfg)  # of ``al`` until reworded sentences are added
    if reuse:
        checked = True
        # fewer than MIN_SLOT_EDITS edits: no template (and no diff needed)
        if edits_at_most(a, b, exact) >= MIN_SLOT_EDITS and template_pair(a, b, exact, text_a, text_b):
            return "template"
    # sentences reworded between the exact passages cannot change the relation of a pair
    # that is near-duplicate on exact passages alone, and there is next to nothing left to
    # pair when one side is almost all inside them (a trimmed or condensed copy)
    near = min(al.coverage_a, al.coverage_b) >= cfg.near_duplicate
    if reworded_only and near and reuse:
        # verbatim text the fingerprints did not propose (a template's instances, or copies
        # whose shared text is masked): nothing reworded to judge here; set aside, it is
        # compared like any pair where the other rules compare it (family completion)
        return "unrelated"
    settled = near or (paraphrase is not None and max(al.coverage_a, al.coverage_b) >= paraphrase.max_exact_coverage)
    settled = settled and not reworded_only
    reworded = False
    if paraphrase is not None and paraphrase.enabled and not settled:
        if paired is None:
            sa, sb = (sentences[0](), sentences[1]()) if sentences is not None else (None, None)
            spans, outside = paraphrase_spans(a, b, text_a, text_b, paraphrase, sa=sa, sb=sb, exact=exact), -1
        else:
            spans, outside = paired
        if len(spans):
            # (with none outside the exact passages, with_paraphrases gives ``al`` back)
            al, reworded = (with_paraphrases(a, b, al, spans) if outside else al), True
    if (semantic is not None and semantic.enabled and not settled
            and not (reworded or not reworded_only and reuse)):
        from .semantic.sentences import semantic_spans

        spans = semantic_spans(a, b, text_a, text_b, semantic, paraphrase, exact=al.spans)
        if len(spans):
            al, reworded = with_paraphrases(a, b, al, spans), True
    if reworded:
        reuse = is_reuse(al, text_a, text_b, cfg)
    if (reworded_only and not reworded) or not reuse:
        return "unrelated"
    # reuse through reworded sentences: exact pieces may still be a template's
    if not checked and len(exact) and template_pair(a, b, exact, text_a, text_b):
        return "unrelated"
    # the text must decide: time words
    order = date_order(a.date, b.date)
    older = time_words(a, b, exact, text_a, text_b) if len(exact) and not order else 0
    rel = relation(a, b, al, cfg, text_a, text_b)
    org, why = origin(a, b, rel, al, text_a, text_b, older, order=order)
    return Pair(a.id, b.id, rel, org, al.coverage_a, al.coverage_b, al.passages, why)
