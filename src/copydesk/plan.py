"""The stage plan of a scan: what each stage computes, whoever runs it.

prepare → fingerprint → corpus furniture → candidate join → align and relate → families.

Every function here is pure over records and numpy arrays: it reads no spill, starts no
process and keeps no state.  The runners — the local engine (:mod:`copydesk.engines.local`,
a process pool over spills on disk), the Spark engine (:mod:`copydesk.engines.spark`) and
the persistent index (:mod:`copydesk.store`) — decide where the data lives and how the work
is spread, and call these for the answers, so that every runner gives the same ones.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from .align import Alignment, align_batch
from .candidates import BigBuckets, Candidates, expand_through_representatives
from .config import FamilyConfig, ScanConfig
from .families import families as make_families
from .families import refresh_families
from .furniture import (
    SHORT_LINE_CHARS,
    CodeSet,
    Furniture,
    Spawn,
    learn,
    link_lines,
    pair_codes,
    run_here,
    stable_argsort_u64,
)
from .join_kernel import bucket_pairs, common_rows, evidence, evidence_rows, kept_rows
from .paraphrase import BatchSentences
from .prepare import Prepared
from .prepare_batch import (
    fingerprint_batch,
    line_keys,
    line_rows,
    prepare_batch,
    row_line_keys,
    token_line_keys,
)
from .records import Article, Family, Pair, Reject
from .relate import judge, usable_date
from .sentence_keys import (
    SENTENCE_BIT,
    partitioned_rows,
    sentence_evidence,
    sentence_keys,
    with_sentence_keys,
)
from .setops import union1d, unique

#: progress(stage, done, total) — called as work advances; total may be None
Progress = Callable[[str, int, int | None], None]

#: the token position of a sentence-signature row carries this bit (see copydesk.sentence_keys)
SENTENCE_ROW = SENTENCE_BIT


@dataclass(slots=True)
class ScanResult:
    """Everything a scan found, plus the books of the run."""

    pairs: list[Pair]
    families: list[Family]
    rejects: list[Reject] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    config: ScanConfig = field(default_factory=ScanConfig)
    #: what the corpus furniture rule set aside (``boilerplate.jsonl``), one record per line
    boilerplate: list[dict[str, Any]] = field(default_factory=list)
    #: the articles in scan order, and the furniture masked in them (codes of article number
    #: and line, see copydesk.furniture): what ``compare --corpus`` needs to judge one pair
    #: as the scan did
    ids: list[str] = field(default_factory=list)
    furniture: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))

    def summary(self) -> dict[str, Any]:
        by_rel: dict[str, int] = {}
        for p in self.pairs:
            by_rel[p.relation] = by_rel.get(p.relation, 0) + 1
        return {"articles": self.stats.get("articles", 0), "pairs": len(self.pairs),
                "pairs_by_relation": by_rel, "families": len(self.families),
                "rejected": len(self.rejects)}


def hash_id(s: str) -> int:
    """A stable 64-bit hash of a string (BLAKE2b; Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def id_hashes(ids: Sequence[str]) -> np.ndarray:
    """:func:`hash_id` of each id (uint64): the digests joined and read as little-endian
    words at once (1.29 -> 0.83 ms for 2,000 ids)."""
    b2 = hashlib.blake2b
    digests = b"".join([b2(i.encode("utf-8", "surrogatepass"), digest_size=8).digest() for i in ids])
    return np.frombuffer(digests, "<u8").astype(np.uint64)


def id_rank(ids: Sequence[str]) -> np.ndarray:
    """An order-independent rank per document (from a hash of its id)."""
    return rank_of_hashes(id_hashes(ids))


def rank_of_hashes(h: np.ndarray) -> np.ndarray:
    """:func:`id_rank` of the ids whose :func:`id_hashes` are ``h`` (a runner may hash the
    ids where it reads them)."""
    # (the rank of each is its place in the stable order: the order inverted, not sorted again)
    order = stable_argsort_u64(np.asarray(h, np.uint64))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return rank


def site_of(article: Article) -> str | None:
    """The site an article was published on: its ``source``, else its URL's host."""
    if article.source:
        return article.source.strip().casefold() or None
    if article.url:
        host = urlsplit(article.url.strip()).hostname
        if host:
            return host.removeprefix("www.")
    return None


# -- 1. prepare and fingerprint (per batch of articles) -------------------------------------
@dataclass(slots=True)
class BatchRows:
    """What preparing one batch of articles gives the later stages, articles numbered by
    their index in the batch: fingerprint rows (hash, article, token position — with
    :data:`SENTENCE_ROW` set on sentence signatures —, low bits of the line's key), the
    line rows and link candidates of :func:`copydesk.prepare_batch.line_rows`, the headline
    keys (and article) of headlines of 3+ words, the token count and each article's number
    of winnowed fingerprints."""

    h: np.ndarray
    doc: np.ndarray
    pos: np.ndarray
    line_key: np.ndarray
    lines: tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]
    titles: tuple[np.ndarray, np.ndarray]
    tokens: int
    nfp: np.ndarray
    #: the articles' semantic rows (embedding and body length, see
    #: :func:`copydesk.semantic.neighbours.article_dtype`) with the semantic stage, else None
    vectors: np.ndarray | None = None
    #: with ``parts`` (see :func:`fingerprint_rows`): partition p's rows are
    #: ``[bounds[p]:bounds[p + 1]]``
    bounds: np.ndarray | None = None


def fingerprint_rows(arts: Sequence[Article], cfg: ScanConfig, *, parts: int | None = None,
                     slot0: int = 0) -> BatchRows:
    """Prepare and fingerprint a batch of articles (stage 1, done once per article).  With
    ``parts`` (a power of two), the fingerprint rows come grouped by hash partition, as
    :func:`copydesk.spill.partition_rows` groups them, ``bounds`` set, and each row's
    ``doc`` is ``slot0 +`` its article's index (one compiled pass:
    :func:`copydesk.sentence_keys.partitioned_rows`)."""
    batch = prepare_batch(list(arts), cfg.prepare)
    fh, fp, first = fingerprint_batch(batch, cfg.fingerprint)
    nfp = np.diff(first)  # winnowed fingerprints only: the short-article rule counts these
    fc = cfg.fingerprint
    sk = sentence_keys(batch, bands=fc.sentence_bands, min_words=fc.sentence_min_words)
    keys = line_keys(batch)
    bounds = None
    if parts is not None:
        fh, doc, pos, lk, bounds = partitioned_rows(batch, fh, fp, first, *sk, keys, slot0=slot0, parts=parts)
    else:
        fh, fp, first, is_sentence = with_sentence_keys(fh, fp, first, *sk, flag=True)
        doc = np.repeat(np.arange(len(arts), dtype=np.uint32), np.diff(first))
        if slot0:
            doc += np.uint32(slot0)
        lk = row_line_keys(batch, first, fp, keys)  # the key of each fingerprint's line (low 32 bits)
        pos = fp.astype(np.uint32)
        pos[is_sentence] |= SENTENCE_ROW
    vectors = None
    if cfg.semantic.enabled:
        from .semantic.neighbours import embed_batch

        vectors = embed_batch(batch)
    return BatchRows(fh, doc, pos, lk, line_rows(batch, keys), titles_of(batch, arts),
                     len(batch.hash), nfp, vectors, bounds)


def titles_of(batch: Any, arts: Sequence[Article]) -> tuple[np.ndarray, np.ndarray]:
    """(keys, article index) of the batch's headlines of at least three words."""
    words = np.array([len((a.title or "").split()) for a in arts], np.int64)
    ok = (words >= 3) & (batch.title_key != 0)
    return batch.title_key[ok], np.flatnonzero(ok)


# -- 2. corpus furniture (over the line rows of every article) ------------------------------
def learn_furniture(rows: tuple[np.ndarray, ...], links: tuple[np.ndarray, ...] | None,
                    titles: tuple[np.ndarray, np.ndarray] | None, cfg: ScanConfig,
                    rank: np.ndarray | None = None,
                    link_rows: tuple[np.ndarray, ...] | None = None, spawn: Spawn | None = None) -> Furniture:
    """The corpus furniture: ``rows`` are the line rows of all articles (key, marks, article
    number, site number, weight, line), ``links`` their link candidates (article, line, key,
    sub-keys) and ``titles`` the headline keys (key, article) — see
    :func:`copydesk.prepare_batch.line_rows`; ``rank`` (:func:`id_rank` of the articles)
    makes every choice among carriers independent of the order articles were read in.

    A runner may pass only the rows each rule needs (:mod:`copydesk.furniture_rows`):
    ``rows`` those of :func:`~copydesk.furniture_rows.learn_rows`, ``links`` and
    ``link_rows`` (rows as ``rows``) those of :func:`~copydesk.furniture_rows.link_rows`;
    the answer is the same.  ``spawn`` (see :data:`copydesk.furniture.Spawn`): where the link
    rule and some passes of :func:`~copydesk.furniture.learn` run meanwhile."""
    key, marks, doc, site, weight, line = rows
    linked = None
    if links is not None and titles is not None and cfg.prepare.furniture.links:
        lkey, lmarks, ldoc, _, lweight, lline = rows if link_rows is None else link_rows
        linked = (spawn or run_here)(lambda: link_lines(titles[0], titles[1], links, ldoc, lline, lkey, lmarks,
                                                        lweight, rank=rank))
    furniture = learn(key, marks, doc, site, weight, line, cfg.prepare.furniture, rank=rank, spawn=spawn)
    if linked is not None:
        found = linked()
        furniture.links = int(len(found[0]))
        furniture.codes = union1d(furniture.codes, found[0])
        furniture.docs = union1d(furniture.docs, found[1])
        furniture.link_records = found[2]
    return furniture


def mask_furniture(batch: Any, docs: np.ndarray, codes: np.ndarray | CodeSet) -> None:
    """Mask, in place, the lines of a batch (of articles numbered ``docs``) that the corpus
    furniture rule set aside (``codes`` from :func:`copydesk.furniture.learn`).  (A passage
    that could extend over furniture both texts carry — a wire agency's copyright line under
    two unrelated stories — made pairs of its own; it does not.)"""
    if not len(codes) or not len(batch.line_first) > 1:
        return
    # a (article, line key) code per line, not per token: every token of a line shares both
    doc_of = np.repeat(np.asarray(docs, np.int64), np.diff(batch.line_base))
    codes = codes if isinstance(codes, CodeSet) else CodeSet(codes)
    hit = codes.contains(pair_codes(doc_of, line_keys(batch)))
    if hit.any():
        batch.boiler |= np.repeat(hit, np.diff(batch.line_first))


def mask_furniture_reference(batch: Any, docs: np.ndarray, codes: np.ndarray | CodeSet) -> None:
    """:func:`mask_furniture` token by token."""
    if not len(codes) or not len(batch.line_first) > 1:
        return
    keys = token_line_keys(batch)
    doc_of = np.repeat(np.asarray(docs, np.int64), np.diff(batch.tok_first))
    codes = codes if isinstance(codes, CodeSet) else CodeSet(codes)
    hit = codes.contains(pair_codes(doc_of, keys))
    batch.boiler |= hit


# -- 3. candidate join (per hash partition of the fingerprint rows) -------------------------
def common_sentences(h: np.ndarray, sentence: np.ndarray, cap: int) -> np.ndarray:
    """Rows of sentence signatures shared by more than ``cap`` articles: an author's bio or
    another furniture sentence the corpus rule did not catch, or a story syndicated so widely
    that its fingerprints find it anyway.  They are dropped rather than linked through
    representatives, so only a few articles reworded alike become candidates this way (a
    key is in a row once per article).  Compiled (keys counted in a hash table);
    :func:`common_sentences_reference` is the specification."""
    at = np.flatnonzero(sentence)
    if not len(at):
        return np.zeros(len(h), np.bool_)
    return common_rows(np.ascontiguousarray(h, np.uint64), at, cap)


def common_sentences_reference(h: np.ndarray, sentence: np.ndarray, cap: int) -> np.ndarray:
    """:func:`common_sentences` with ``np.unique``."""
    out = np.zeros(len(h), np.bool_)
    at = np.flatnonzero(sentence)
    if len(at):
        _, inv, cnt = np.unique(h[at], return_inverse=True, return_counts=True)
        out[at[cnt[inv] > cap]] = True
    return out


def join_rows(h: np.ndarray, doc: np.ndarray, pos: np.ndarray, line_key: np.ndarray,
              rank: np.ndarray, furniture: CodeSet, has_furniture: np.ndarray,
              cfg: ScanConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray, BigBuckets | None, int]:
    """The (pair, shared fingerprint) rows of one hash partition of the fingerprint rows
    (articles by number; -1: an article dropped, e.g. a repeated id): (pair codes, left and
    right positions, big buckets, fingerprint rows joined).  Rows in furniture, and sentence
    rows of signatures too common (:func:`common_sentences`), are dropped first, in one
    compiled pass (:func:`copydesk.join_kernel.kept_rows`); :func:`join_rows_reference`
    drops them in numpy steps."""
    if getattr(furniture, "table", None) is None:  # (a union of code sets: probed set by set)
        return join_rows_reference(h, doc, pos, line_key, rank, furniture, has_furniture, cfg)
    cap = cfg.candidates.bucket_cap
    h, doc, pos = kept_rows(h, doc, pos, line_key, has_furniture, furniture, cap)
    return (*bucket_pairs(h, doc, pos, rank, cap), len(h))


def join_rows_reference(h: np.ndarray, doc: np.ndarray, pos: np.ndarray, line_key: np.ndarray,
                        rank: np.ndarray, furniture: CodeSet, has_furniture: np.ndarray,
                        cfg: ScanConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray, BigBuckets | None, int]:
    """:func:`join_rows` with the rows dropped in numpy steps."""
    ok = doc >= 0
    if len(furniture):
        # (doc -1, an article dropped, reads the last flag: when that is False, as the local
        # engine makes it, no clipped copy of the rows and no second mask are needed)
        some = np.flatnonzero(has_furniture[doc] if not has_furniture[-1] else
                              has_furniture[np.maximum(doc, 0)] & ok)
        ok[some] &= ~furniture.contains(pair_codes(doc[some], line_key[some]))
    sentence = pos >= SENTENCE_ROW  # the bit stays on: pair_evidence counts these apart
    if sentence.any():
        ok &= ~common_sentences(h, sentence & ok, cfg.candidates.bucket_cap)
    if not ok.all():
        doc, h, pos = doc[ok], h[ok], pos[ok]
    return (*bucket_pairs(h, doc.astype(np.uint32), pos, rank, cfg.candidates.bucket_cap), len(h))


def pair_evidence(c: np.ndarray, left: np.ndarray, right: np.ndarray,
                  cfg: ScanConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pair codes, shared fingerprints, co-located?) of the pairs among the rows of
    :func:`join_rows` (all the rows of each pair together) sharing enough to be candidates,
    sorted by code.  One compiled pass over fingerprint and sentence rows together
    (:func:`copydesk.join_kernel.evidence_rows`); :func:`pair_evidence_reference` counts
    them apart."""
    cc = cfg.candidates
    return evidence_rows(c, left, right, within=cc.colocated_within, drift=cc.colocated_drift,
                         min_count=min(cc.min_shared, cc.short_min_shared), min_sentences=cc.min_shared_sentences,
                         strong=max(cc.strong_shared, cc.min_shared))


def pair_evidence_reference(c: np.ndarray, left: np.ndarray, right: np.ndarray,
                            cfg: ScanConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`pair_evidence` with the fingerprint rows and the sentence rows split and
    judged apart (:func:`copydesk.join_kernel.evidence`,
    :func:`copydesk.sentence_keys.sentence_evidence`), in no particular order."""
    cc = cfg.candidates
    sentence = left >= SENTENCE_ROW
    if not sentence.any():
        return evidence(c, left, right, within=cc.colocated_within,
                        drift=cc.colocated_drift, min_count=min(cc.min_shared, cc.short_min_shared))
    codes, counts, colo = evidence(c[~sentence], left[~sentence], right[~sentence], within=cc.colocated_within,
                                   drift=cc.colocated_drift, min_count=min(cc.min_shared, cc.short_min_shared))
    extra = sentence_evidence(c[sentence], left[sentence] & ~SENTENCE_ROW, right[sentence] & ~SENTENCE_ROW,
                              min_sentences=cc.min_shared_sentences)
    if not len(extra):
        return codes, counts, colo
    # a pair with reworded sentences in common is a candidate whatever its fingerprints
    codes = np.concatenate((codes, extra))
    counts = np.concatenate((counts, np.full(len(extra), max(cc.strong_shared, cc.min_shared), np.int64)))
    colo = np.concatenate((colo, np.ones(len(extra), np.bool_)))
    order = np.lexsort((-counts, codes))
    first = np.concatenate(([True], codes[order][1:] != codes[order][:-1]))
    keep = order[first]
    return codes[keep], counts[keep], colo[keep]


def semantic_candidates(vectors: np.ndarray, site: np.ndarray, rank: np.ndarray, codes: np.ndarray,
                        cfg: ScanConfig) -> np.ndarray:
    """Codes of the article pairs the semantic stage proposes (nearest neighbours by
    embedding, close enough as wholes or as a summary and its source: see
    :func:`copydesk.semantic.neighbours.close_pairs`) that are not among the candidates
    ``codes`` already; ``vectors`` are the articles' semantic rows.  Two articles of one
    site (``site`` numbers, -1 unknown) are not proposed: an outlet's routine reports (a
    template's instances, a recurring column) resemble each other as wholes by design, and an
    outlet updating its own story keeps its words, which fingerprints find."""
    from .semantic.neighbours import close_pairs, neighbour_pairs

    sc = cfg.semantic
    found = neighbour_pairs(vectors["vector"], sc.neighbours, min(sc.min_article_cosine, sc.min_summary_cosine), rank,
                            threads=cfg.workers)
    found = found[~np.isin(found, codes)]
    sa, sb = site[found >> 32], site[found & 0xFFFFFFFF]
    found = found[(sa < 0) | (sa != sb)]
    return close_pairs(found, vectors, sc.min_article_cosine, sc.min_summary_cosine, sc.max_summary_length)


# -- 4. align and relate (per chunk of candidate pairs) -------------------------------------
def align_pairs(arts: Sequence[Article], docs: np.ndarray, codes: np.ndarray,
                furniture: np.ndarray | CodeSet, cfg: ScanConfig,
                reworded: CodeSet | None = None) -> tuple[list[Pair], np.ndarray]:
    """Align and relate candidate pairs (codes ``left << 32 | right`` of article numbers);
    ``arts`` are the articles numbered ``docs`` (sorted), which hold every article of the
    codes.  ``reworded`` holds the codes only the semantic stage proposed: those pairs are
    reuse only through reworded sentences (see :func:`copydesk.relate.judge`).  Returns the
    related pairs and the codes of the pairs set aside as template instances (a runner that
    keeps verdicts, the index, needs to know which)."""
    batch = prepare_batch(list(arts), cfg.prepare)
    mask_furniture(batch, docs, furniture)
    x = np.searchsorted(docs, codes >> 32)
    y = np.searchsorted(docs, codes & 0xFFFFFFFF)
    swap = np.array([batch.ids[i] > batch.ids[j] for i, j in zip(x.tolist(), y.tolist(), strict=True)], np.bool_)
    left, right = np.where(swap, y, x), np.where(swap, x, y)  # relate wants a.id < b.id
    prepared: dict[int, Prepared] = {}

    def get(n: int) -> Prepared:
        if n not in prepared:
            prepared[n] = batch.prepared(n)
        return prepared[n]

    reworded_only = (reworded.contains(codes.astype(np.uint64)) if reworded is not None and len(reworded)
                     else np.zeros(len(codes), np.bool_))
    only = reworded_only.tolist()
    aligned = align_batch(batch, left, right, cfg.align, kinds=True)
    # the paraphrase stage splits most articles of a chunk into sentences: those of the pairs
    # it may see in one pass (any other on its own if asked for)
    table = None
    paired: list[tuple[np.ndarray, int] | None] = [None] * len(codes)
    if cfg.paraphrase.enabled and len(codes):
        unsettled = unsettled_pairs(aligned, reworded_only, cfg)
        table = BatchSentences(batch, cfg.paraphrase.min_words,
                               unsettled_docs(aligned, left, right, reworded_only, cfg, len(batch.ids), unsettled))
        # what the paraphrase stage finds in the pairs judge may hand to it, in one call
        open_ = np.flatnonzero(unsettled)
        found = table.paraphrase_many(left[open_], right[open_], [aligned[p].spans for p in open_.tolist()],
                                      cfg.paraphrase)
        for p, f in zip(open_.tolist(), found, strict=True):
            paired[p] = f
    out: list[Pair] = []
    templates: list[int] = []
    for k, (i, j, o, al, f) in enumerate(zip(left.tolist(), right.tolist(), only, aligned, paired, strict=True)):
        pair = judge(get(i), get(j), al, batch.texts[i], batch.texts[j], cfg.relate,
                     paraphrase=cfg.paraphrase, semantic=cfg.semantic, reworded_only=o,
                     sentences=None if table is None or f is not None else (partial(table.of, i), partial(table.of, j)),
                     marked=True, paired=f)
        if isinstance(pair, Pair):
            out.append(pair)
        elif pair == "template":
            templates.append(k)
    return out, np.asarray(codes, np.int64)[templates]


def unsettled_docs(aligned: Sequence[Alignment], left: np.ndarray, right: np.ndarray, reworded_only: np.ndarray,
                   cfg: ScanConfig, ndocs: int, unsettled: np.ndarray | None = None) -> np.ndarray:
    """Per article of a chunk (``ndocs``): is it in a pair (``left[p]``, ``right[p]``, aligned
    ``aligned[p]``) that :func:`copydesk.relate.judge` may hand to the paraphrase stage, one
    not settled on its exact passages (neither near-duplicate on them nor covered beyond
    ``max_exact_coverage`` on a side) or proposed by the semantic stage alone?  A superset
    is enough: only these are split into sentences in the batch's pass.  ``unsettled``: those
    pairs (:func:`unsettled_pairs`), when known already."""
    open_ = unsettled_pairs(aligned, reworded_only, cfg) if unsettled is None else unsettled
    want = np.zeros(ndocs, np.bool_)
    want[left[open_]] = True
    want[right[open_]] = True
    return want


def unsettled_pairs(aligned: Sequence[Alignment], reworded_only: np.ndarray, cfg: ScanConfig) -> np.ndarray:
    """Per pair (aligned ``aligned[p]``): may :func:`copydesk.relate.judge` hand it to the
    paraphrase stage?  So when it is not settled on its exact passages (neither
    near-duplicate on them nor covered beyond ``max_exact_coverage`` on a side), or was
    proposed by the semantic stage alone (a superset: judge may decide a pair before)."""
    ca = np.fromiter((al.coverage_a for al in aligned), np.float64, len(aligned))
    cb = np.fromiter((al.coverage_b for al in aligned), np.float64, len(aligned))
    settled = ((np.minimum(ca, cb) >= cfg.relate.near_duplicate)
               | (np.maximum(ca, cb) >= cfg.paraphrase.max_exact_coverage))
    return ~settled | reworded_only


#: align(codes, stage) -> related pairs: how a runner aligns a set of candidate pairs
Aligner = Callable[[np.ndarray, str], list[Pair]]


@dataclass(slots=True)
class Related:
    """The pairs and families of a scan, and the counts of how they were found."""

    pairs: list[Pair]
    families: list[Family]
    second_round: int
    completion: int


#: group(pairs, dates by id, config) -> families: how a runner clusters the related pairs
Grouper = Callable[[list[Pair], dict[str, str | None], FamilyConfig], list[Family]]


def relate_and_group(codes: np.ndarray, cands: Candidates, ids: Sequence[str],
                     dates: Sequence[str | None], align: Aligner, cfg: ScanConfig,
                     group: Grouper = make_families, reworded: np.ndarray | None = None) -> Related:
    """Stages 4 and 5: align the candidates; when big buckets were linked through
    representatives, align the members of each related representative's bucket too; group
    the related pairs into families (``group``: :func:`copydesk.families.families` or a
    runner's equivalent) and compare once each family member never compared.

    ``reworded``: the candidates only the semantic stage proposed.  The ``align`` stage
    judges them as reworded reuse only (``align`` passes them to :func:`align_pairs`); one
    it sets aside counts as not yet compared, so that family completion compares it like
    any other pair of members."""
    index = {i: n for n, i in enumerate(ids)}
    by_id = dict(zip(ids, dates, strict=True))
    pairs = align(codes, "align")
    aligned = codes
    if reworded is not None and len(reworded):
        aligned = np.setdiff1d(codes, np.setdiff1d(reworded, pair_codes_of(pairs, index)))
    extra = np.zeros(0, np.int64)
    if len(cands.big_buckets):
        extra = expand_through_representatives(cands, pair_codes_of(pairs, index))
        extra = extra[~np.isin(extra, aligned)]
        pairs += align(extra, "align+")
        aligned = union1d(aligned, extra)
    fams = group(pairs, by_id, cfg.families)
    missing = uncompared_members(fams, index, aligned, cfg.families.complete_max_members)
    found = align(missing, "families")
    if found:
        pairs += found
        fams = refresh_families(fams, pairs, found, by_id, cfg.families)
    pairs.sort(key=attrgetter("b"))  # two stable sorts on plain strings: (a, b) order,
    pairs.sort(key=attrgetter("a"))  # faster than one sort on tuples
    return Related(pairs, fams, int(len(extra)), int(len(missing)))


def pair_codes_of(pairs: Sequence[Pair], index: dict[str, int]) -> np.ndarray:
    """Codes ``min << 32 | max`` of the article numbers (``index`` by id) of ``pairs``."""
    ab = np.array([(index[p.a], index[p.b]) for p in pairs], np.int64).reshape(-1, 2)
    return np.minimum(ab[:, 0], ab[:, 1]) << 32 | np.maximum(ab[:, 0], ab[:, 1])


def uncompared_members(fams: list[Family], index: dict[str, int], aligned: np.ndarray,
                       max_members: int) -> np.ndarray:
    """Codes of member pairs of each family (up to ``max_members``) never aligned: a copy of
    a copy may share too few fingerprints with the original to be a candidate, yet a
    family is close to a clique, so its members deserve one comparison each."""
    out = []
    for f in fams:
        if len(f.members) > max_members:
            continue
        ix = sorted(index[m] for m in f.members)
        out += [x << 32 | y for n, x in enumerate(ix) for y in ix[n + 1:]]
    codes = unique(np.asarray(out, np.int64))
    return codes[~np.isin(codes, aligned)]


# -- the books ------------------------------------------------------------------------------
def date_counts(dates: Sequence[str | None]) -> dict[str, int]:
    """How many articles have no date, and how many a date that cannot be read."""
    seen = Counter(dates)
    usable = {d: usable_date(d) for d in seen}
    return {"dates_missing": sum(n for d, n in seen.items() if usable[d] is None),
            "dates_unusable": sum(n for d, n in seen.items() if usable[d] is False)}


#: :func:`date_flags` values
DATE_USABLE, DATE_MISSING, DATE_UNUSABLE = 0, 1, 2


def date_flags(dates: Sequence[str | None]) -> np.ndarray:
    """Per date: :data:`DATE_USABLE`, :data:`DATE_MISSING` or :data:`DATE_UNUSABLE` (int8),
    what :func:`date_counts` counts, kept by a runner that counts again later."""
    usable = {d: usable_date(d) for d in set(dates)}
    code = {d: DATE_MISSING if u is None else DATE_UNUSABLE if u is False else DATE_USABLE
            for d, u in usable.items()}
    return np.fromiter((code[d] for d in dates), np.int8, len(dates))


def date_counts_of(flags: np.ndarray) -> dict[str, int]:
    """:func:`date_counts` of the dates whose :func:`date_flags` are ``flags``."""
    return {"dates_missing": int(np.count_nonzero(flags == DATE_MISSING)),
            "dates_unusable": int(np.count_nonzero(flags == DATE_UNUSABLE))}


def _furniture_why(carriers: int, sites: int, chars: int) -> str:
    if carriers == 2 and sites == 1:
        return ("recurs in 2 articles of one site whose other text is their own, beside the same "
                "furniture in both (an author's bio)")
    if chars <= 2 * SHORT_LINE_CHARS and carriers < 3:
        return ("a short line that opens or ends like lines recurring in articles whose other text "
                "is their own (a caption with another credit)")
    return f"recurs in {carriers} articles ({sites} sites) whose other text is their own"


def furniture_records(furniture: Furniture, get: Callable[[int], Article],
                      line: Callable[[int, int], tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """The audit records of the corpus furniture: the text of each learned line (from one
    article that carries it, ``get(number)``, or ``line(number, line index)``: that
    article's id and that line, e.g. from a cache), how many articles carry it, in how many
    it was masked, on how many sites, and why."""
    example = line or (lambda doc, ln: example_line(get(doc), ln))
    out = []
    order = np.lexsort((furniture.keys, -furniture.masked))
    for n in order.tolist():
        art_id, text = example(int(furniture.example_doc[n]), int(furniture.example_line[n]))
        masked, carriers, sites = (int(x[n]) for x in (furniture.masked, furniture.carriers, furniture.sites))
        out.append({"text": text, "articles": carriers, "masked_in": masked, "sites": sites,
                    "example": art_id, "why": _furniture_why(carriers, sites, len(text))})
    for doc, ln, count, _, why in sorted(furniture.link_records, key=lambda r: -r[2]):
        art_id, text = example(int(doc), int(ln))
        out.append({"text": text, "articles": count, "masked_in": count,
                    "sites": None, "example": art_id, "why": why})
    return out


def example_line(art: Article, ln: int) -> tuple[str, str]:
    """An article's id and its line ``ln`` ("\n"-separated; empty past the last)."""
    lines = art.text.split("\n")
    return art.id, lines[ln] if ln < len(lines) else ""
