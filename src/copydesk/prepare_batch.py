"""Prepare and fingerprint a whole batch of articles in a few kernel calls.

:func:`~copydesk.prepare.prepare` (one article at a time) is the specification; this module
computes exactly the same tokens, boilerplate mask and line hashes for many articles at once,
as flat arrays, so the per-article cost is a few array slices instead of dozens of small
numpy calls.  Only the furniture and dateline regular expressions stay in Python, and they
run on the few lines a kernel picks out (short lines; lines that start like a dateline).

Layout of a :class:`Batch`: tokens of all articles end to end (``tok_first[d]`` is article
d's first token; ``start``/``end`` are offsets into its own text), lines likewise
(``line_base[d]``), and ``line_first`` the global first token of every line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numba as nb
import numpy as np

from .config import FingerprintConfig, PrepareConfig
from .fingerprint import _POWERS, winnow_into
from .furniture_prefilter import may_be_furniture, surely_furniture
from .prepare import (
    _BODY_MIN_TOKENS,
    _DATELINE,
    _EDGE_MAX_TOKENS,
    Prepared,
    _is_furniture,
)
from .records import Article
from .textnorm import (
    _DIGIT,
    _KEY,
    Tokens,
    _mix,
    codepoints,
    fold_char,
    has_digit,
    hash_tables,
    tokenize_docs,
)

_SENTENCE_END = np.array([ord(c) for c in '.!?"”'], np.uint32)
_CAPS = np.array([ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"], np.uint32)
_DATELINE_NEXT = np.array([ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ.' "], np.uint32)


@dataclass(slots=True, eq=False)
class Batch:
    """Prepared articles as flat arrays (see the module docstring)."""

    ids: list[str]
    dates: list[str | None]
    texts: list[str]
    start: np.ndarray
    end: np.ndarray
    hash: np.ndarray
    weight: np.ndarray
    line: np.ndarray
    digit: np.ndarray
    boiler: np.ndarray
    tok_first: np.ndarray   # int64 (ndocs + 1)
    line_base: np.ndarray   # int64 (ndocs + 1)
    line_first: np.ndarray  # int64 (nlines + 1), global token index
    title_key: np.ndarray | None = None  # uint64 per article: its title as a line key (0: none)
    sent_end: np.ndarray | None = None   # bool per token: its chunk ends a sentence ("left.", "no?\"")
    cps: np.ndarray | None = None        # the code points of the texts, joined
    doc_cp: np.ndarray | None = None     # int64 (ndocs + 1): where each text starts in ``cps``
    figure: np.ndarray | None = None     # bool per token: a figure ("42", "4C", "£5.7bn"; see _figures)
    #: int32: article d's line starts relative to its first token, lines ``line_base[d]`` to
    #: ``line_base[d + 1]`` inclusive, at ``line_base[d] + d`` (built at the first prepared())
    line_rel: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def prepared(self, d: int) -> Prepared:
        """Article ``d`` as a :class:`Prepared` (views into the batch arrays)."""
        tok_first, line_base = self.tok_first, self.line_base
        a, b = int(tok_first[d]), int(tok_first[d + 1])
        la, lb = int(line_base[d]) + d, int(line_base[d + 1]) + d
        if self.line_rel is None:
            self.line_rel = line_starts(self.line_first, tok_first, line_base)
        return Prepared(self.ids[d], self.dates[d],
                        Tokens(self.start[a:b], self.end[a:b], self.hash[a:b], self.weight[a:b],
                               self.line[a:b], self.digit[a:b]),
                        self.boiler[a:b], self.line_rel[la:lb + 1])


def line_starts(line_first: np.ndarray, tok_first: np.ndarray, line_base: np.ndarray) -> np.ndarray:
    """Every article's ``(line_first[line_base[d]:line_base[d + 1] + 1] - tok_first[d])``
    as int32, one after the other (article d's at ``line_base[d] + d``): what
    :meth:`Batch.prepared` gives as an article's ``line_first``, computed for the whole
    batch at once."""
    ndocs = len(tok_first) - 1
    sizes = np.diff(line_base) + 1
    doc = np.repeat(np.arange(ndocs, dtype=np.int64), sizes)
    at = np.arange(len(doc), dtype=np.int64) - doc  # position p of article d reads line p - d
    return (line_first[at] - tok_first[doc]).astype(np.int32)


@nb.njit(cache=True, nogil=True)
def _mask_lines(boiler, line_first, hit):  # pragma: no cover - jit
    for ln in range(len(hit)):
        if hit[ln]:
            boiler[line_first[ln]:line_first[ln + 1]] = True


@nb.njit(cache=True, nogil=True)
def _mask_heads(boiler, start, line_first, lines, cut):  # pragma: no cover - jit
    """Mask the tokens of line ``lines[k]`` that start before offset ``cut[k]`` (its
    dateline), for every k: ``boiler[a:b] |= start[a:b] < cut[k]`` in one call rather
    than three numpy operations a line."""
    for k in range(len(lines)):
        ln = lines[k]
        for t in range(line_first[ln], line_first[ln + 1]):
            if start[t] < cut[k]:
                boiler[t] = True


def _line_flags(lines: np.ndarray, nlines: int) -> np.ndarray:
    flags = np.zeros(nlines, np.bool_)
    flags[lines] = True
    return flags


@nb.njit(cache=True, nogil=True)
def _in(c, table):  # pragma: no cover - jit
    for x in table:  # noqa: SIM110 - numba
        if x == c:
            return True
    return False


@nb.njit(cache=True, nogil=True)
def _title_and_edges(hashes, boiler, tok_first, line_base, line_first, counts, line_last,
                     title_hash, title_first, edges, sentence_end):  # pragma: no cover - jit
    """Mask lines equal to the article's title and short label lines above or below the body
    (the same rules as ``prepare``)."""
    for d in range(len(tok_first) - 1):
        la, lb = line_base[d], line_base[d + 1]
        ta, tb = title_first[d], title_first[d + 1]
        nk = tb - ta
        if nk > 0:
            for ln in range(la, lb):
                if counts[ln] != nk:
                    continue
                a = line_first[ln]
                same = True
                for t in range(nk):
                    if hashes[a + t] != title_hash[ta + t]:
                        same = False
                        break
                if same:
                    boiler[a:a + nk] = True
        if not edges:
            continue
        first_body = -1
        last_body = -1
        for ln in range(la, lb):
            if counts[ln] >= _BODY_MIN_TOKENS:
                if first_body < 0:
                    first_body = ln
                last_body = ln
        if first_body < 0:
            continue
        for ln in range(la, lb):
            if counts[ln] == 0 or counts[ln] > _EDGE_MAX_TOKENS or first_body <= ln <= last_body:
                continue
            if not _in(line_last[ln], sentence_end):
                boiler[line_first[ln]:line_first[ln + 1]] = True


@nb.njit(cache=True, nogil=True)
def _dateline_lines(boiler, line_base, line_first, counts, c0, c1, caps, nxt, sent_end):  # pragma: no cover - jit
    """Lines ``prepare`` would test for a dateline, narrowed to those that start like one
    (a capital letter, then a capital, '.', "'" or a space): up to the first body paragraph,
    a line of ``_BODY_MIN_TOKENS`` that ends a sentence (a menu or a caption with its credit
    above the story is not one)."""
    out = np.empty(len(counts), np.int64)
    m = 0
    for d in range(len(line_base) - 1):
        for ln in range(line_base[d], line_base[d + 1]):
            if counts[ln] == 0:
                continue
            a, b = line_first[ln], line_first[ln + 1]
            if boiler[a:b].all():
                continue
            if _in(c0[ln], caps) and _in(c1[ln], nxt):
                out[m] = ln
                m += 1
            if b - a >= _BODY_MIN_TOKENS and sent_end[b - 1]:
                break
    return out[:m]


def _codepoints(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, str]:
    joined = "".join(texts)
    cps = codepoints(joined)
    doc_cp = np.zeros(len(texts) + 1, np.int64)
    np.cumsum([len(t) for t in texts], out=doc_cp[1:])
    return cps, doc_cp, joined


#: per BMP code point: may a chunk that ends with it end a sentence (``.``, ``!``, ``?`` or a
#: closing quote or bracket that :func:`_ends_sentence_at` looks past)?  Most chunks end
#: with a letter: one load rules them out (a constant of the kernels that read it)
_MAY_END = np.zeros(0x10000, np.bool_)
_MAY_END[[ord(c) for c in ".!?\"')]\u201d\u2019\u00bb"]] = True


@nb.njit(cache=True, nogil=True, inline="always")
def _may_end_sentence(cps, e):  # pragma: no cover - jit
    """False when the chunk ending at ``cps[e]`` cannot end a sentence (its last character
    is none that :func:`_ends_sentence_at` accepts or looks past)."""
    c = cps[np.uint64(e)]
    return c < 0x10000 and _MAY_END[np.uint64(c)]


@nb.njit(cache=True, nogil=True, inline="always")
def _ends_sentence_at(cps, s, e):  # pragma: no cover - jit
    """Does the chunk ``cps[s:e + 1]`` end a sentence (see :func:`_sentence_ends`)?"""
    u = np.uint64
    c = cps[u(e)]
    while e > s and (c == 34 or c == 39 or c == 0x201D or c == 0x2019 or c == 41 or c == 93 or c == 0xBB):
        e -= 1
        c = cps[u(e)]
    if c == 33 or c == 63:
        return True
    if c == 46:
        n = e - s + 1
        return n > 4 or (n >= 3 and cps[u(e - 2)] != 46 and not (n <= 4 and 65 <= cps[u(s)] <= 90))
    return False


@nb.njit(cache=True, nogil=True)
def _sentence_ends(cps, doc_cp, tok_first, start, end):  # pragma: no cover - jit
    """Per token: does its chunk end a sentence?  Its last character (closing quotes and
    brackets aside) is ``.``, ``!`` or ``?``, and it is not a short abbreviation ("Mr.",
    "St.": at most four characters and capitalised) or initials ("U.S.").  Used by the sentence
    signatures and by :func:`copydesk.paraphrase.sentences`; plain-Python specification:
    :func:`sentence_ends_reference`."""
    u = np.uint64  # unsigned indexes: numba emits no negative-index wraparound code for them
    out = np.zeros(len(start), np.bool_)
    for d in range(len(tok_first) - 1):
        base = doc_cp[u(d)]
        for t in range(tok_first[u(d)], tok_first[u(d + 1)]):
            e = base + end[u(t)] - 1
            if _may_end_sentence(cps, e) and _ends_sentence_at(cps, base + start[u(t)], e):
                out[u(t)] = True  # (a store only when true: 10.5 -> 6.2 ms a batch in _token_flags)
    return out


@nb.njit(cache=True, nogil=True)
def _first_is_digit(cps, at, end, flags):  # pragma: no cover - jit
    """Per span ``[at, end)`` of ``cps``: does its first character that folds to something
    fold to a digit?"""
    out = np.zeros(len(at), np.bool_)
    key = np.uint8(_KEY)
    dig = np.uint8(_DIGIT)
    for n in range(len(at)):
        for i in range(at[n], end[n]):
            c = cps[i]
            if c < len(flags) and flags[c] & key:
                out[n] = (flags[c] & dig) != 0
                break
    return out


def _figures(cps: np.ndarray, doc_cp: np.ndarray, tok_first: np.ndarray, start: np.ndarray, end: np.ndarray,
             digit: np.ndarray) -> np.ndarray:
    """Per token: is it a figure — its first character that folds to something folds to a
    digit ("42", "4C", "(39F)", "£5.7bn")?  A word in which a scanner took a letter for a
    digit ("leve1", "c0uncil") is not one.  Only tokens with a digit are looked at.
    Plain-Python specification: :func:`figures_reference`."""
    out = np.zeros(len(start), np.bool_)
    t = np.flatnonzero(digit)
    if len(t):
        base = np.asarray(doc_cp, np.int64)[np.searchsorted(tok_first, t, "right") - 1]
        out[t] = _first_is_digit(cps, base + start[t], base + end[t], hash_tables()[0])
    return out


@nb.njit(cache=True, nogil=True)
def _token_flags(cps, doc_cp, tok_first, start, end, digit, flags):  # pragma: no cover - jit
    """:func:`_sentence_ends` and :func:`_figures` in one pass over the tokens: (does the
    token end a sentence, is it a figure)."""
    u = np.uint64  # unsigned indexes: numba emits no negative-index wraparound code for them
    n = len(start)
    sent = np.zeros(n, np.bool_)
    fig = np.zeros(n, np.bool_)
    key = np.uint8(_KEY)
    dig = np.uint8(_DIGIT)
    nflags = len(flags)
    for d in range(len(tok_first) - 1):
        base = doc_cp[u(d)]
        for t in range(tok_first[u(d)], tok_first[u(d + 1)]):
            s = base + start[u(t)]
            stop = base + end[u(t)]
            if _may_end_sentence(cps, stop - 1) and _ends_sentence_at(cps, s, stop - 1):
                sent[u(t)] = True  # (a store only when true: an unconditional store of the test is slower)
            if digit[u(t)]:
                for i in range(s, stop):
                    x = cps[u(i)]
                    if x < nflags and flags[u(x)] & key:
                        fig[u(t)] = (flags[u(x)] & dig) != 0
                        break
    return sent, fig


def token_flags(cps: np.ndarray, doc_cp: np.ndarray, tok_first: np.ndarray, start: np.ndarray, end: np.ndarray,
                digit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per token: does it end a sentence (:func:`_sentence_ends`), is it a figure
    (:func:`_figures`)?  One compiled pass; those two are the reference."""
    return _token_flags(cps, np.asarray(doc_cp, np.int64), tok_first, start, end, digit, hash_tables()[0])


def figures_reference(batch: Batch) -> list[bool]:
    """Plain-Python specification of :func:`_figures` over a batch's texts."""
    out = []
    for d, text in enumerate(batch.texts):
        for t in range(int(batch.tok_first[d]), int(batch.tok_first[d + 1])):
            first = next((c for c in text[int(batch.start[t]):int(batch.end[t])] if fold_char(c)), "")
            out.append(bool(first) and has_digit(first))
    return out


def sentence_ends_reference(batch: Batch) -> list[bool]:
    """Plain-Python specification of :func:`_sentence_ends` over a batch's texts."""
    closers = "\"')]\u201d\u2019\u00bb"
    out = []
    for d, text in enumerate(batch.texts):
        for t in range(int(batch.tok_first[d]), int(batch.tok_first[d + 1])):
            s, e = int(batch.start[t]), int(batch.end[t]) - 1
            while e > s and text[e] in closers:
                e -= 1
            n = e - s + 1
            c = text[e]
            out.append(c in "!?" or (c == "." and (n > 4 or (n >= 3 and text[e - 2] != "."
                                                              and not (n <= 4 and "A" <= text[s] <= "Z")))))
    return out


def prepare_batch(articles: Sequence[Article], config: PrepareConfig | None = None) -> Batch:
    """:func:`~copydesk.prepare.prepare` for every article of ``articles`` at once."""
    cfg = config or PrepareConfig()
    texts = [a.text for a in articles]
    cps, doc_cp, joined = _codepoints(texts)
    (start, end, hashes, weight, line, digit, tok_first, line_start, c0, c1, line_last,
     line_base, counts) = tokenize_docs(cps, doc_cp, cfg.segmenter, joined)
    nlines = int(line_base[-1])
    line_first = np.zeros(nlines + 1, np.int64)
    np.cumsum(counts, out=line_first[1:])
    boiler = np.zeros(len(start), np.bool_)

    if cfg.boiler_patterns:
        short = np.flatnonzero((counts > 0) & (counts <= cfg.boiler_line_max_tokens))
        if len(short):
            doc_of_line = np.repeat(np.arange(len(texts)), np.diff(line_base))
            at = doc_cp[:-1][doc_of_line] + line_start
            line_end = np.empty(nlines, np.int64)
            line_end[:-1] = at[1:] - 1
            line_end[line_base[1:] - 1] = doc_cp[1:]   # the last line of each document
            # only the lines that may be furniture and are not surely furniture are cut out
            # and matched (furniture_prefilter looks at their code points)
            short = short[may_be_furniture(cps, at[short], line_end[short])]
            sure = surely_furniture(cps, at[short], line_end[short])
            ask = short[~sure]
            lines = map(joined.__getitem__, map(slice, at[ask].tolist(), line_end[ask].tolist()))
            hit = np.fromiter(map(_is_furniture, lines, counts[ask].tolist()), np.bool_, len(ask))
            found = np.concatenate((short[sure], ask[hit]))
            if len(found):
                _mask_lines(boiler, line_first, _line_flags(found, nlines))

    titles = [a.title or "" for a in articles]
    tcps, tdoc, tjoined = _codepoints(titles)
    title_tok = tokenize_docs(tcps, tdoc, cfg.segmenter, tjoined)
    _title_and_edges(hashes, boiler, tok_first, line_base, line_first, counts, line_last,
                     title_tok[2], title_tok[6], cfg.boiler_patterns, _SENTENCE_END)

    sent_end, figure = token_flags(cps, doc_cp, tok_first, start, end, digit)
    if cfg.boiler_patterns:
        cand = _dateline_lines(boiler, line_base, line_first, counts, c0, c1, _CAPS, _DATELINE_NEXT, sent_end)
        docs = np.searchsorted(line_base, cand, side="right") - 1
        hits: list[int] = []
        cuts: list[int] = []
        for ln, d, ls in zip(cand.tolist(), docs.tolist(), line_start[cand].tolist(), strict=True):
            text = texts[d]
            e = text.find("\n", ls)
            m = _DATELINE.match(text[ls:] if e < 0 else text[ls:e])
            if m:
                hits.append(ln)
                cuts.append(ls + m.end())
        if hits:
            _mask_heads(boiler, start, line_first, np.array(hits, np.int64), np.array(cuts, np.int64))

    title_key = _line_keys_only(title_tok[2], title_tok[6])
    return Batch([a.id for a in articles], [a.date for a in articles], texts, start, end, hashes,
                 weight, line, digit, boiler, tok_first, line_base, line_first,
                 title_key=title_key, sent_end=sent_end, cps=cps, doc_cp=doc_cp, figure=figure)


@nb.njit(cache=True, nogil=True)
def _fingerprint_docs(hashes, boiler, tok_first, k, window, powers):  # pragma: no cover - jit
    """Per document: its distinct winnowed fingerprints outside boilerplate, in order of
    first occurrence, each with that token position (the set ``outside_boilerplate`` gives).
    Winnowing by ``fingerprint.winnow_into``; repeats are dropped with a small
    open-addressing hash set."""
    ndocs = len(tok_first) - 1
    longest = 0
    for d in range(ndocs):
        longest = max(longest, tok_first[d + 1] - tok_first[d])
    out_h = np.empty(len(hashes) + 1, np.uint64)
    out_p = np.empty(len(hashes) + 1, np.uint32)
    fp_first = np.zeros(ndocs + 1, np.int64)
    sh = np.empty(longest + 1, np.uint64)
    sel = np.empty(longest + 1, np.int64)
    spos = np.empty((2, longest + 1), np.int64)
    sval = np.empty((2, longest + 1), np.uint64)
    size = 16
    while size < 2 * longest:
        size *= 2
    table = np.zeros(size, np.uint64)
    used = np.zeros(size, np.bool_)
    m = 0
    for d in range(ndocs):
        a = tok_first[d]
        n = tok_first[d + 1] - a - k + 1
        nsel = winnow_into(hashes, a, n, k, window, powers, sh, sel, spos, sval)
        mask = size - 1
        while mask + 1 > 16 and (mask + 1) // 2 >= 2 * n:
            mask = (mask + 1) // 2 - 1
        used[:mask + 1] = False
        for j in range(nsel):
            best = sel[np.uint64(j)]
            ok = True
            for t in range(best, best + k):
                if boiler[np.uint64(a + t)]:
                    ok = False
                    break
            if not ok:
                continue
            x = sh[np.uint64(best)]
            slot = x & np.uint64(mask)
            while used[slot] and table[slot] != x:
                slot = (slot + np.uint64(1)) & np.uint64(mask)
            if used[slot]:
                continue
            used[slot] = True
            table[slot] = x
            out_h[np.uint64(m)] = x
            out_p[np.uint64(m)] = best
            m += 1
        fp_first[d + 1] = m
    return out_h[:m], out_p[:m], fp_first


def fingerprint_batch(batch: Batch, config: FingerprintConfig | None = None
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fingerprints, token positions, per-article offsets ``fp_first``) of a batch:
    article d's are ``[fp_first[d]:fp_first[d + 1]]`` — the fingerprints
    ``outside_boilerplate(*selected(...))`` gives, in order of position."""
    cfg = config or FingerprintConfig()
    return _fingerprint_docs(batch.hash, batch.boiler, batch.tok_first, cfg.k, cfg.window, _POWERS)


@nb.njit(cache=True, nogil=True)
def _line_keys_only(hashes, line_first):  # pragma: no cover - jit
    """Per line: its key, a hash of all its tokens (0 for an empty line)."""
    nlines = len(line_first) - 1
    key = np.zeros(nlines, np.uint64)
    for ln in range(nlines):
        a, b = line_first[ln], line_first[ln + 1]
        if b <= a:
            continue
        acc = np.uint64(0x51ED2701)
        for i in range(a, b):
            acc = _mix(acc ^ hashes[i])
        key[ln] = acc if acc != 0 else np.uint64(1)
    return key


@nb.njit(cache=True, nogil=True, inline="always")
def _finish_lines(hashes, line_first, key, ln, end, at, acc):  # pragma: no cover - jit
    """:func:`_line_keys_only` of lines ``ln..end-1``, line ``ln`` hashed up to token ``at``
    already (state ``acc``)."""
    seed = np.uint64(0x51ED2701)
    while ln < end:
        for i in range(at, line_first[ln + 1]):
            acc = _mix(acc ^ hashes[i])
        if line_first[ln + 1] > line_first[ln]:
            key[ln] = acc if acc != 0 else np.uint64(1)
        ln += 1
        if ln < end:
            at = line_first[ln]
            acc = seed


@nb.njit(cache=True, nogil=True)
def _line_keys_two_lanes(hashes, line_first):  # pragma: no cover - jit
    """:func:`_line_keys_only`, twice as fast: a line's key is a chain of dependent
    multiplications, so two halves of the lines (by tokens) are hashed side by side, a token
    of each per step, and the processor overlaps the two chains."""
    nlines = len(line_first) - 1
    key = np.zeros(nlines, np.uint64)
    if nlines == 0:
        return key
    seed = np.uint64(0x51ED2701)
    mid = min(np.searchsorted(line_first, line_first[0] + (line_first[nlines] - line_first[0]) // 2), nlines)
    la, lb = 0, mid  # lane a: lines [0, mid); lane b: lines [mid, nlines)
    ta = line_first[0]
    tb = line_first[mid]
    ca = cb = seed
    while la < mid and lb < nlines:
        if ta < line_first[la + 1]:
            ca = _mix(ca ^ hashes[ta])
            ta += 1
        else:
            if line_first[la + 1] > line_first[la]:
                key[la] = ca if ca != 0 else np.uint64(1)
            la += 1
            ca = seed
            ta = line_first[la]
        if tb < line_first[lb + 1]:
            cb = _mix(cb ^ hashes[tb])
            tb += 1
        else:
            if line_first[lb + 1] > line_first[lb]:
                key[lb] = cb if cb != 0 else np.uint64(1)
            lb += 1
            cb = seed
            tb = line_first[min(lb, nlines)]
    _finish_lines(hashes, line_first, key, la, mid, ta, ca)
    _finish_lines(hashes, line_first, key, lb, nlines, tb, cb)
    return key


@nb.njit(cache=True, nogil=True)
def _line_keys_kernel(key, hashes, boiler, weight, figure, line_first, ends):  # pragma: no cover - jit
    """Per line (``key``: its key, :func:`_line_keys_only`): the hashes of its first and of its last
    ``ends`` tokens (a line edited in one place keeps one of them), two min-hashes of its
    3-word shingles, the two smallest hashes of its figures (``figure``: per token; 0 where
    it has fewer),
    the keys of the line with up to two words cut at either end (short lines only) and the
    characters of its tokens outside boilerplate."""
    nlines = len(line_first) - 1
    head = np.zeros(nlines, np.uint64)
    tail = np.zeros(nlines, np.uint64)
    mins = np.zeros((nlines, 2), np.uint64)
    figs = np.zeros((nlines, 2), np.uint64)
    subs = np.zeros((nlines, 9), np.uint64)
    w = np.zeros(nlines, np.int64)
    seed0 = np.uint64(0x9E3779B97F4A7C15)
    seed1 = np.uint64(0x3C6EF372FE94F82A)
    for ln in range(nlines):
        a, b = line_first[ln], line_first[ln + 1]
        if b <= a:
            continue
        h = np.uint64(0x2545F491)
        for i in range(a, min(b, a + ends)):
            h = _mix(h ^ hashes[i])
        head[ln] = h
        t = np.uint64(0x7F4A7C15)
        for i in range(max(a, b - ends), b):
            t = _mix(t ^ hashes[i])
        tail[ln] = t
        # two min-hashes of the line's 3-word shingles: an OCR-noisy copy of the line keeps
        # one of them with good odds even when both of its ends changed
        best0 = np.uint64(0xFFFFFFFFFFFFFFFF)
        best1 = np.uint64(0xFFFFFFFFFFFFFFFF)
        for i in range(a, max(a + 1, b - 2)):
            x = hashes[i]
            if i + 2 < b:  # token hashes are well mixed: rotations tell their places apart
                x ^= (hashes[i + 1] << np.uint64(21) | hashes[i + 1] >> np.uint64(43)) ^ \
                    (hashes[i + 2] << np.uint64(42) | hashes[i + 2] >> np.uint64(22))
            y0 = _mix(x ^ seed0)
            y1 = _mix(x ^ seed1)
            if y0 < best0:
                best0 = y0
            if y1 < best1:
                best1 = y1
        mins[ln, 0] = best0
        mins[ln, 1] = best1
        # the two smallest hashes of its figures (0: none): a copy of the line keeps most of
        # its figures (a condensed one some, a scanned one nearly all: keys are OCR
        # skeletons), so the two lines share one of them; an instance of a template the line
        # is part of has figures of its own
        f0 = np.uint64(0xFFFFFFFFFFFFFFFF)
        f1 = np.uint64(0xFFFFFFFFFFFFFFFF)
        for i in range(a, b):
            if not boiler[i]:
                w[ln] += weight[i]
            if figure[i]:
                y = _mix(hashes[i] ^ seed0) | np.uint64(1)  # never 0, in 32 bits too
                if y < f0:
                    f1 = f0
                    f0 = y
                elif f0 < y < f1:
                    f1 = y
        if f0 != np.uint64(0xFFFFFFFFFFFFFFFF):
            figs[ln, 0] = f0
        if f1 != np.uint64(0xFFFFFFFFFFFFFFFF):
            figs[ln, 1] = f1
        # a short line with up to two words cut at either end ("1.", "READ MORE:",
        # "(update)"): keys to compare with the corpus's headlines
        if b - a <= LINK_MAX_TOKENS:
            for i in range(3):
                acc = np.uint64(0x51ED2701)
                for t2 in range(a + i, b):
                    acc = _mix(acc ^ hashes[t2])
                    cut = b - 1 - t2
                    if cut <= 2 and t2 + 1 - (a + i) >= 2:
                        subs[ln, 3 * i + cut] = acc if acc != 0 else np.uint64(1)
    return key, head, tail, mins, figs, subs, w


#: tokens at each end of a line that identify it when the line was edited elsewhere
LINE_ENDS = 5
#: a line this short may be a link: another article's headline
LINK_MAX_TOKENS = 24


def line_rows(batch: Batch, keys: np.ndarray | None = None) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """One row per distinct (article, line key) of a batch, for the corpus furniture rule
    (:mod:`copydesk.furniture`): (key, its *marks* — hashes of its first words, of its last
    words and two min-hashes of its 3-word shingles, by which an edited or OCR-noisy copy of
    the line is still recognised, then the two smallest hashes of its figures, 0 where it
    has fewer
    (n x 6) —, article index in the batch, weight outside
    boilerplate, index of the line in its article); and for each short line, candidates for
    a link to another article: (article, line index, key, the keys of the line with up to
    two words cut at either end (n x 9), 0 where not formed).  ``keys``: the batch's
    :func:`line_keys`, when known.  One compiled pass (:func:`_line_rows_kernel`);
    :func:`line_rows_reference` is the specification."""
    keys = line_keys(batch) if keys is None else keys
    return _line_rows_kernel(keys, batch.hash, batch.boiler, batch.weight, batch.figure, batch.line_first,
                             batch.line_base, LINE_ENDS, LINK_MAX_TOKENS)


@nb.njit(cache=True, nogil=True)
def figure_positions(figure):  # pragma: no cover - jit
    """``np.flatnonzero(figure)`` (a bool per token, few true), eight flags at a time."""
    u = np.uint64
    n = len(figure)
    f8 = figure.view(np.uint8)
    nw = n // 8
    f64 = f8[:nw * 8].view(np.uint64)
    out = np.empty(n + 1, np.int64)
    m = 0
    for w in range(nw):
        if f64[u(w)]:
            for j in range(8 * w, 8 * w + 8):
                out[u(m)] = j
                m += np.int64(f8[u(j)] != 0)
    for j in range(8 * nw, n):
        out[u(m)] = j
        m += np.int64(f8[u(j)] != 0)
    return out[:m]


@nb.njit(cache=True, nogil=True)
def _line_rows_kernel(key, hashes, boiler, weight, figure, line_first, line_base, ends,
                      link_max):  # pragma: no cover - jit
    """:func:`line_rows_reference` in one pass over the lines: per line the marks of
    :func:`_line_keys_kernel` (its min-hash loop without a branch, the weight summed in a
    register, its figures taken from :func:`figure_positions` rather than tested token by
    token: 30.9 -> 27.7 ms per 12,000 articles), written straight to the rows of the lines
    kept; an article's rows ordered by key with an insertion sort (stable, as
    ``_by_doc_then_key``) and a repeated key's rows merged (weights added)."""
    u = np.uint64
    ndocs = len(line_base) - 1
    nlines = len(line_first) - 1
    full = np.uint64(0xFFFFFFFFFFFFFFFF)
    seed0 = np.uint64(0x9E3779B97F4A7C15)
    seed1 = np.uint64(0x3C6EF372FE94F82A)
    nlink = 0
    for ln in range(nlines):
        n = line_first[u(ln + 1)] - line_first[u(ln)]
        nlink += np.int64(2 <= n <= link_max and key[u(ln)] != 0)
    r_key = np.empty(nlines, np.uint64)
    r_marks = np.empty((nlines, 6), np.uint32)
    r_doc = np.empty(nlines, np.int32)
    r_w = np.empty(nlines, np.int32)
    r_line = np.empty(nlines, np.int32)
    l_doc = np.empty(nlink, np.int32)
    l_line = np.empty(nlink, np.int32)
    l_key = np.empty(nlink, np.uint64)
    l_subs = np.zeros((nlink, 9), np.uint64)
    longest = 0
    for d in range(ndocs):
        longest = max(longest, line_base[u(d + 1)] - line_base[u(d)])
    # one article's kept lines: key, marks, weight, line; then their order by key
    s_key = np.empty(longest, np.uint64)
    s_marks = np.empty((longest, 6), np.uint64)
    s_w = np.empty(longest, np.int64)
    s_line = np.empty(longest, np.int64)
    order = np.empty(longest, np.int64)
    fig_at = figure_positions(figure)  # the figures, in order: the lines take theirs in turn
    nf = 0
    m = 0
    nl = 0
    for d in range(ndocs):
        la = line_base[u(d)]
        ns = 0
        for ln in range(la, line_base[u(d + 1)]):
            a, b = line_first[u(ln)], line_first[u(ln + 1)]
            k = key[u(ln)]
            if b <= a or k == 0:
                while nf < len(fig_at) and fig_at[u(nf)] < b:  # (its figures: passed)
                    nf += 1
                continue
            ww = 0
            f0 = full
            f1 = full
            for i in range(a, b):
                ww += np.int64(weight[u(i)]) * (1 - np.int64(boiler[u(i)]))
            while nf < len(fig_at) and fig_at[u(nf)] < b:  # the line's figures
                y = _mix(hashes[u(fig_at[u(nf)])] ^ seed0) | np.uint64(1)  # never 0, in 32 bits too
                nf += 1
                if y < f0:
                    f1 = f0
                    f0 = y
                elif f0 < y < f1:
                    f1 = y
            if b - a <= link_max and b - a >= 2:
                l_doc[u(nl)] = d
                l_line[u(nl)] = ln - la
                l_key[u(nl)] = k
                for i in range(3):
                    acc = np.uint64(0x51ED2701)
                    for t2 in range(a + i, b):
                        acc = _mix(acc ^ hashes[u(t2)])
                        cut = b - 1 - t2
                        if cut <= 2 and t2 + 1 - (a + i) >= 2:
                            l_subs[u(nl), u(3 * i + cut)] = acc if acc != 0 else np.uint64(1)
                nl += 1
            if ww <= 0:
                continue
            h = np.uint64(0x2545F491)
            for i in range(a, min(b, a + ends)):
                h = _mix(h ^ hashes[u(i)])
            t = np.uint64(0x7F4A7C15)
            for i in range(max(a, b - ends), b):
                t = _mix(t ^ hashes[u(i)])
            best0 = full
            best1 = full
            if b - a < 3:
                x = hashes[u(a)]
                best0 = _mix(x ^ seed0)
                best1 = _mix(x ^ seed1)
            else:
                for i in range(a, b - 2):
                    # token hashes are well mixed: rotations tell their places apart
                    x = hashes[u(i)] ^ (hashes[u(i + 1)] << np.uint64(21) | hashes[u(i + 1)] >> np.uint64(43)) ^ \
                        (hashes[u(i + 2)] << np.uint64(42) | hashes[u(i + 2)] >> np.uint64(22))
                    best0 = min(best0, _mix(x ^ seed0))
                    best1 = min(best1, _mix(x ^ seed1))
            s_key[u(ns)] = k
            s_marks[u(ns), 0] = h
            s_marks[u(ns), 1] = t
            s_marks[u(ns), 2] = best0
            s_marks[u(ns), 3] = best1
            s_marks[u(ns), 4] = f0 if f0 != full else np.uint64(0)
            s_marks[u(ns), 5] = f1 if f1 != full else np.uint64(0)
            s_w[u(ns)] = ww
            s_line[u(ns)] = ln - la
            ns += 1
        for x in range(ns):  # stable insertion sort by key
            y = x
            while y > 0 and s_key[u(order[u(y - 1)])] > s_key[u(x)]:
                order[u(y)] = order[u(y - 1)]
                y -= 1
            order[u(y)] = x
        x = 0
        while x < ns:  # a line repeated within an article: one row, weights added
            o = order[u(x)]
            k = s_key[u(o)]
            ww = s_w[u(o)]
            y = x + 1
            while y < ns and s_key[u(order[u(y)])] == k:
                ww += s_w[u(order[u(y)])]
                y += 1
            r_key[u(m)] = k
            for c in range(6):
                r_marks[u(m), u(c)] = np.uint32(s_marks[u(o), u(c)] & np.uint64(0xFFFFFFFF))
            r_doc[u(m)] = d
            r_w[u(m)] = np.int32(ww)
            r_line[u(m)] = s_line[u(o)]
            m += 1
            x = y
    return ((r_key[:m].copy(), r_marks[:m].copy(), r_doc[:m].copy(), r_w[:m].copy(), r_line[:m].copy()),
            (l_doc, l_line, l_key, l_subs))


def line_rows_reference(batch: Batch, keys: np.ndarray | None = None) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """:func:`line_rows` with numpy, from the per-line arrays of :func:`_line_keys_kernel`."""
    keys = line_keys(batch) if keys is None else keys
    key, head, tail, mins, figs, subs, w = _line_keys_kernel(keys, batch.hash, batch.boiler, batch.weight,
                                                             batch.figure, batch.line_first, LINE_ENDS)
    head = np.stack([head, tail, mins[:, 0], mins[:, 1], figs[:, 0], figs[:, 1]], axis=1)
    short = subs.any(axis=1)
    doc = np.repeat(np.arange(len(batch), dtype=np.int64), np.diff(batch.line_base))
    local = np.arange(len(key), dtype=np.int64) - batch.line_base[doc]
    keep = (w > 0) & (key != 0)
    link = short & (key != 0)  # a link line may be masked already ("READ MORE: ...")
    links = (doc[link], local[link], key[link], subs[link])
    key, head, doc, w, local = key[keep], head[keep], doc[keep], w[keep], local[keep]
    order = _by_doc_then_key(doc, key)  # stable: the first line of a repeated key comes first
    key, head, doc, w, local = (x[order] for x in (key, head, doc, w, local))
    first = np.ones(len(key), np.bool_)
    first[1:] = (key[1:] != key[:-1]) | (doc[1:] != doc[:-1])
    if not first.all():  # a line repeated within an article: one row, weights added
        grp = np.cumsum(first) - 1
        w = np.bincount(grp, weights=w).astype(np.int64)
        key, head, doc, local = key[first], head[first], doc[first], local[first]
    # compact rows: the parent keeps one per line of the corpus until furniture is learned
    # (marks are compared for equality only; 32 bits are plenty within a line's carriers)
    return (key, head.astype(np.uint32), doc.astype(np.int32), w.astype(np.int32),
            local.astype(np.int32)), (links[0].astype(np.int32), links[1].astype(np.int32), *links[2:])



@nb.njit(cache=True, nogil=True)
def _by_doc_then_key(doc, key):  # pragma: no cover - jit
    """``np.lexsort((key, doc))`` for ``doc`` in ascending order (rows of one article
    together): a stable insertion sort by key within each article's few rows."""
    n = len(doc)
    order = np.arange(n)
    s = 0
    while s < n:
        e = s + 1
        while e < n and doc[e] == doc[s]:
            e += 1
        for x in range(s + 1, e):
            y = x
            v = order[x]
            while y > s and key[order[y - 1]] > key[v]:
                order[y] = order[y - 1]
                y -= 1
            order[y] = v
        s = e
    return order


def line_keys(batch: Batch) -> np.ndarray:
    """The key of every line of a batch (see :func:`line_rows`), by global line number
    (``line_base[d] + line`` of a token of article ``d``)."""
    return _line_keys_two_lanes(batch.hash, batch.line_first)


@nb.njit(cache=True, nogil=True)
def _row_line_keys(first, pos, tok_first, line_base, line, keys):  # pragma: no cover - jit
    out = np.empty(len(pos), np.uint32)
    for d in range(len(first) - 1):
        t0 = tok_first[d]
        l0 = line_base[d]
        for r in range(first[d], first[d + 1]):
            out[r] = np.uint32(keys[l0 + line[t0 + pos[r]]] & np.uint64(0xFFFFFFFF))
    return out


def row_line_keys(batch: Batch, first: np.ndarray, pos: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The low 32 bits of the key of the line of each row (``pos``: a token position in its
    article; article d's rows are ``[first[d]:first[d + 1]]``; ``keys``: :func:`line_keys`),
    in one compiled pass; :func:`row_line_keys_reference` is the specification."""
    return _row_line_keys(np.asarray(first, np.int64), np.ascontiguousarray(pos), batch.tok_first, batch.line_base,
                          batch.line, keys)


def row_line_keys_reference(batch: Batch, first: np.ndarray, pos: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """:func:`row_line_keys` with numpy takes."""
    doc = np.repeat(np.arange(len(first) - 1), np.diff(first))
    return keys[batch.line_base[doc] + batch.line[batch.tok_first[doc] + pos]].astype(np.uint32)


def token_line_keys(batch: Batch) -> np.ndarray:
    """The line key of every token's line (see :func:`line_rows`)."""
    return np.repeat(line_keys(batch), np.diff(batch.line_first))
