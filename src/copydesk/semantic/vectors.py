"""Text embeddings built from copydesk's own tokens, a word vector each.

The model's embedding of a text is the mean of its subword tokens' vectors; normalized, that
is the normalized *sum*, which splits over words.  So each distinct word (copydesk's tokens,
keyed by their exact characters) is run through the model's tokenizer once per process, as
a word on its own, and its subword vectors summed into a word vector;
an article or a sentence is then the sum of its words' vectors, a gather over token arrays
that a compiled kernel does in batches.  (Run whole, the model's byte-pair tokenizer is
quadratic in the length of a text without spaces split off, and it tokenizes every repeat
of a word again.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numba as nb
import numpy as np

from ..textnorm import codepoints
from .encoder import Encoder, encoder


class WordVectors:
    """A growing table of word vectors, by token key (one per process)."""

    def __init__(self, model: Encoder) -> None:
        self.model = model
        self.keys = np.zeros(0, np.uint64)    # sorted
        self.rows = np.zeros(0, np.int64)     # row in table of each key
        self._buffer = np.zeros((1024, model.vectors.shape[1]), np.float32)
        self.size = 0

    @property
    def table(self) -> np.ndarray:
        """The word vectors, a row per word seen (a view)."""
        return self._buffer[:self.size]

    def lookup(self, hashes: np.ndarray, spelling: Callable[[np.ndarray], list[str]]) -> np.ndarray:
        """Rows in :attr:`table` of the token keys ``hashes``; ``spelling(positions)`` gives
        the words at positions of ``hashes`` not seen before."""
        uniq, first = np.unique(hashes, return_index=True)
        at = np.searchsorted(self.keys, uniq)
        known = (at < len(self.keys)) & (self.keys[np.minimum(at, len(self.keys) - 1)] == uniq) \
            if len(self.keys) else np.zeros(len(uniq), np.bool_)
        if not known.all():
            new = np.flatnonzero(~known)
            vecs = self.model.word_vectors(spelling(first[new]))
            rows = self.size + np.arange(len(new), dtype=np.int64)
            if self.size + len(new) > len(self._buffer):  # grow by doubling: each batch adds words
                grown = np.zeros((max(2 * len(self._buffer), self.size + len(new)), self._buffer.shape[1]), np.float32)
                grown[:self.size] = self._buffer[:self.size]
                self._buffer = grown
            self._buffer[self.size:self.size + len(new)] = vecs
            self.size += len(new)
            keys = np.concatenate((self.keys, uniq[new]))
            allrows = np.concatenate((self.rows, rows))
            order = np.argsort(keys, kind="stable")
            self.keys, self.rows = keys[order], allrows[order]
        return self.rows[np.searchsorted(self.keys, hashes)]


_WORDS: dict[int, WordVectors] = {}


def word_vectors() -> WordVectors:
    """This process's table of word vectors."""
    if 0 not in _WORDS:
        _WORDS[0] = WordVectors(encoder())
    return _WORDS[0]


@nb.njit(cache=True, nogil=True)
def _sum_rows(first, idx, table, normalize):  # pragma: no cover - jit
    n = len(first) - 1
    out = np.zeros((n, table.shape[1]), np.float32)
    for d in range(n):
        for t in range(first[d], first[d + 1]):
            r = idx[t]
            for c in range(table.shape[1]):
                out[d, c] += table[r, c]
        if not normalize:
            continue
        s = 0.0
        for c in range(table.shape[1]):
            s += out[d, c] * out[d, c]
        if s > 0:
            s = np.sqrt(s)
            for c in range(table.shape[1]):
                out[d, c] /= s
    return out


def sum_rows(first: np.ndarray, idx: np.ndarray, table: np.ndarray, *, normalize: bool = True) -> np.ndarray:
    """Sums (normalized, by default) of the table rows ``idx[first[d]:first[d + 1]]`` for
    each d (zeros for an empty group); compiled :func:`sum_rows_reference`."""
    return _sum_rows(np.asarray(first, np.int64), np.asarray(idx, np.int64), np.ascontiguousarray(table, np.float32),
                     normalize)


def sum_rows_reference(first: np.ndarray, idx: np.ndarray, table: np.ndarray, *, normalize: bool = True) -> np.ndarray:
    """:func:`sum_rows` in numpy (the specification)."""
    out = np.zeros((len(first) - 1, table.shape[1]), np.float32)
    for d in range(len(first) - 1):
        v = table[idx[first[d]:first[d + 1]]].sum(axis=0)
        norm = float(np.linalg.norm(v))
        out[d] = v / norm if normalize and norm > 0 else v
    return out


@nb.njit(cache=True, nogil=True)
def _surface_keys(cps, base, start, end):  # pragma: no cover - jit
    out = np.empty(len(start), np.uint64)
    for t in range(len(start)):
        h = np.uint64(0xCBF29CE484222325)
        for i in range(base[t] + start[t], base[t] + end[t]):
            h = (h ^ np.uint64(cps[i])) * np.uint64(0x100000001B3)
        out[t] = h
    return out


def surface_keys(texts: Sequence[str], owner: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """A key per token (of text ``owner[t]``, characters ``start[t]:end[t]``) from its exact
    characters (FNV-1a): the token keys of the tokenizer fold spellings together for matching
    (case, accents, OCR confusions), which a word vector must not (the model's vocabulary
    tells "Bill" the name from "bill")."""
    if not len(start):
        return np.zeros(0, np.uint64)
    used = np.unique(owner)
    lengths = np.array([len(texts[o]) for o in used.tolist()], np.int64)
    offset = np.zeros(len(texts), np.int64)
    offset[used] = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    cps = np.concatenate([codepoints(texts[o]).astype(np.uint32) for o in used.tolist()])
    return _surface_keys(cps, offset[owner], np.asarray(start, np.int64), np.asarray(end, np.int64))


def surface_keys_reference(texts: Sequence[str], owner: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """:func:`surface_keys` in Python (the specification)."""
    out = []
    for o, a, b in zip(owner.tolist(), start.tolist(), end.tolist(), strict=True):
        h = 0xCBF29CE484222325
        for ch in texts[o][a:b]:
            h = ((h ^ ord(ch)) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
        out.append(h)
    return np.array(out, np.uint64)


def embed_tokens(texts: Sequence[str], owner: np.ndarray, start: np.ndarray, end: np.ndarray,
                 first: np.ndarray) -> np.ndarray:
    """Normalized embeddings of groups of tokens: token t is ``texts[owner[t]][start[t]:end[t]]``
    and group g the tokens ``first[g]:first[g + 1]``.  A word's vector depends on its
    characters only, never on which spelling a process met first."""
    words = word_vectors()
    if not len(start):
        return np.zeros((len(first) - 1, words.table.shape[1]), np.float32)
    keys = surface_keys(texts, owner, start, end)
    rows = words.lookup(keys, lambda pos: [texts[o][a:b] for o, a, b in
                                           zip(owner[pos].tolist(), start[pos].tolist(), end[pos].tolist(),
                                               strict=True)])
    return sum_rows(first, rows, words.table)
