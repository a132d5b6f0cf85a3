"""Candidate pairs from article embeddings: each article's nearest neighbours.

An article's embedding is that of the opening of its body lines (lines of at least
``_BODY_WORDS`` tokens outside boilerplate: navigation, bylines and captions are short) —
which a rewrite keeps in substance even when it rewords it.  Pairs of
articles whose cosine reaches the threshold become candidates; alignment then decides, like
any candidate.

Up to :data:`EXACT_UP_TO` articles the neighbours are found exactly (a blocked matrix
product); beyond, in a usearch HNSW index (int8 vectors) built single-threaded in the order
of the articles' id hashes, so that the answer does not depend on the input order, and
searched on the scan's workers (a query reads the finished graph only).
"""

from __future__ import annotations

import numpy as np

from ..prepare import Prepared
from ..prepare_batch import Batch

_BODY_WORDS = 8
#: corpora up to this many articles are searched exactly
EXACT_UP_TO = 5_000
_BLOCK = 1024


def pairs_reference(vectors: np.ndarray, k: int, min_cosine: float) -> np.ndarray:
    """Codes ``i << 32 | j`` (i < j) of the pairs where one is among the other's ``k``
    nearest (by cosine of normalized rows, ties by number) and the cosine reaches
    ``min_cosine``: plain numpy, one query at a time (the specification)."""
    out = set()
    v = vectors.astype(np.float32)
    for i in range(len(v)):
        sims = v @ v[i]
        sims[i] = -np.inf
        order = np.lexsort((np.arange(len(v)), -sims))[:k]
        out.update((min(i, j) << 32) | max(i, j) for j in order.tolist() if sims[j] >= min_cosine)
    return np.array(sorted(out), np.int64)


def exact_pairs(vectors: np.ndarray, k: int, min_cosine: float) -> np.ndarray:
    """:func:`pairs_reference` in blocks of matrix products (ties at the k-th place, as
    between identical articles, broken by the partition rather than by number)."""
    v = np.ascontiguousarray(vectors, np.float32)
    n = len(v)
    kk = min(k, n - 1)
    if kk <= 0:
        return np.zeros(0, np.int64)
    found = []
    for lo in range(0, n, _BLOCK):
        sims = v[lo:lo + _BLOCK] @ v.T
        rows = np.arange(lo, min(lo + _BLOCK, n))
        sims[rows - lo, rows] = -np.inf
        part = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        vals = np.take_along_axis(sims, part, axis=1)
        r, c = np.nonzero(vals >= min_cosine)
        i, j = rows[r].astype(np.int64), part[r, c].astype(np.int64)
        found.append(np.minimum(i, j) << 32 | np.maximum(i, j))
    return np.unique(np.concatenate(found))


def approximate_pairs(vectors: np.ndarray, k: int, min_cosine: float, order: np.ndarray,
                      threads: int = 1) -> np.ndarray:
    """The same pairs from a usearch HNSW index (approximate), built in ``order`` on one
    thread (the graph depends on the order of insertion) and searched on ``threads``
    (each query only reads the finished graph: the answer is the same on any number)."""
    from usearch.index import Index

    v = np.ascontiguousarray(vectors, np.float32)
    # int8 vectors and small beams: the build is the cost of the stage, and a pair the graph
    # misses is one candidate less, not a wrong answer
    index = Index(ndim=v.shape[1], metric="cos", dtype="i8", connectivity=8, expansion_add=16,
                  expansion_search=16)
    index.add(order.astype(np.uint64), v[order], threads=1)
    hits = index.search(v, min(k + 1, len(v)), threads=threads)
    keys = np.asarray(hits.keys, np.int64).reshape(len(v), -1)
    cos = 1.0 - np.asarray(hits.distances, np.float64).reshape(len(v), -1)
    rows = np.repeat(np.arange(len(v), dtype=np.int64), keys.shape[1])
    keys, cos = keys.ravel(), cos.ravel()
    ok = (keys != rows) & (keys >= 0) & (keys < len(v)) & (cos >= min_cosine)
    a, b = rows[ok], keys[ok]
    return np.unique(np.minimum(a, b) << 32 | np.maximum(a, b))


def neighbour_pairs(vectors: np.ndarray, k: int, min_cosine: float, rank: np.ndarray | None = None,
                    threads: int = 1) -> np.ndarray:
    """Candidate codes from the article embeddings ``vectors`` (rows by article number);
    ``rank`` orders the insertion into the approximate index (default: by number), which is
    searched on ``threads``."""
    if len(vectors) < 2:
        return np.zeros(0, np.int64)
    if len(vectors) <= EXACT_UP_TO:
        return exact_pairs(vectors, k, min_cosine)
    order = np.argsort(rank, kind="stable") if rank is not None else np.arange(len(vectors))
    return approximate_pairs(vectors, k, min_cosine, order, threads)


#: tokens of an article's body read for its embedding: its opening
ARTICLE_TOKENS = 300


def article_dtype(dim: int) -> np.dtype:
    """The semantic stage's row of an article: its embedding (``float16``) and the length of
    its body in tokens (a summary is told by its length against its source's)."""
    return np.dtype([("vector", np.float16, (dim,)), ("tokens", np.int32)])


def embed_batch(batch: Batch) -> np.ndarray:
    """The semantic rows (:func:`article_dtype`) of a prepared batch of articles: the
    embedding of the first :data:`ARTICLE_TOKENS` tokens of their body lines (outside
    boilerplate, on lines of at least ``_BODY_WORDS`` tokens; all tokens when an article has
    no such line), and how many tokens those lines hold."""
    from .vectors import embed_tokens

    nd = len(batch.ids)
    ntok = np.diff(batch.tok_first)
    doc = np.repeat(np.arange(nd), ntok)
    line_len = np.diff(batch.line_first)
    body = ~batch.boiler & (np.repeat(line_len, line_len) >= _BODY_WORDS)
    has_body = np.bincount(doc[body], minlength=nd) > 0
    idx = np.flatnonzero(body | ~has_body[doc])
    d = doc[idx]
    lengths = np.bincount(d, minlength=nd)
    starts = np.concatenate(([0], np.cumsum(lengths)))
    keep = (np.arange(len(idx)) - starts[d]) < ARTICLE_TOKENS
    idx, d = idx[keep], d[keep]
    first = np.concatenate(([0], np.cumsum(np.bincount(d, minlength=nd)))).astype(np.int64)
    vectors = embed_tokens(batch.texts, d, batch.start[idx], batch.end[idx], first)
    out = np.zeros(nd, article_dtype(vectors.shape[1]))
    out["vector"] = vectors
    out["tokens"] = lengths
    return out


def body_tokens(p: Prepared) -> np.ndarray:
    """Positions of one article's body tokens, as :func:`embed_batch` reads them."""
    line_len = np.diff(p.line_first)
    body = ~p.boiler & (np.repeat(line_len, line_len) >= _BODY_WORDS)
    return np.flatnonzero(body) if body.any() else np.arange(len(p.tokens.hash))


def article_vector(p: Prepared, text: str) -> np.ndarray:
    """One article's embedding, as :func:`embed_batch` gives it."""
    from .vectors import embed_tokens

    t = p.tokens
    idx = body_tokens(p)[:ARTICLE_TOKENS].astype(np.int64)
    return embed_tokens([text], np.zeros(len(idx), np.int64), t.start[idx], t.end[idx],
                        np.array([0, len(idx)], np.int64))[0]


def summary_shaped(shorter: np.ndarray | int, longer: np.ndarray | int, max_length: float) -> np.ndarray | bool:
    """Whether a text of ``shorter`` body tokens may be a summary of one of ``longer``: it
    is at most ``max_length`` times as long (a summary condenses; a rewrite of the whole
    story keeps about its length)."""
    return np.asarray(shorter) <= max_length * np.asarray(longer)


def close_pairs(codes: np.ndarray, rows: np.ndarray, min_cosine: float, min_summary_cosine: float,
                max_summary_length: float) -> np.ndarray:
    """The pairs among ``codes`` (of article numbers into the semantic ``rows``) whose
    embeddings are close enough: a cosine of at least ``min_cosine``, or of at least
    ``min_summary_cosine`` when one text is summary-shaped against the other
    (:func:`summary_shaped`).  A summary keeps only the story's substance, so against the
    whole source it is further than a rewrite of the whole story: the source's embedding
    also carries what the summary left out."""
    if not len(codes):
        return codes
    i, j = codes >> 32, codes & 0xFFFFFFFF
    v = rows["vector"]
    cos = np.einsum("ij,ij->i", v[i].astype(np.float32), v[j].astype(np.float32))
    n = rows["tokens"].astype(np.int64)
    short, long = np.minimum(n[i], n[j]), np.maximum(n[i], n[j])
    ok = (cos >= min_cosine) | ((cos >= min_summary_cosine) & summary_shaped(short, long, max_summary_length))
    return codes[ok]
