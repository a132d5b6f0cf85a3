"""Static sentence embeddings on the CPU, from weights that ship inside a PyPI package.

The model is WordLlama's ``l2_supercat`` (MIT licence; token embeddings distilled from large
language models, 256 dimensions, 16 MB, in the ``wordllama`` wheel together with its
tokenizer).  A text's embedding is the mean of its tokens' vectors, normalized: no network
and no neural network at run time, so it costs a tokenizer pass and a gather.  Only the
files of the package are used (its own loader looks for the tokenizer on the model hub).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import MissingDependency

#: the model's file names inside the wordllama package
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_WEIGHTS = "weights/l2_supercat_256.safetensors"
DIMENSIONS = 256
#: subword tokens of a text read at most (an article's embedding is its opening)
MAX_TOKENS = 512

INSTALL_HINT = "the semantic stage needs its extra: pip install 'copydesk[semantic]'"


def require_semantic() -> None:
    """Raise :class:`MissingDependency` (one line) unless the semantic extra is installed."""
    try:
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
        import usearch  # noqa: F401
        import wordllama  # noqa: F401
    except ImportError:
        raise MissingDependency("the semantic stage (wordllama, usearch)", "semantic") from None


class Encoder:
    """Mean-pooled, normalized token embeddings of texts (``float32``, ``DIMENSIONS`` wide)."""

    def __init__(self, max_tokens: int = MAX_TOKENS) -> None:
        require_semantic()
        # the scan already runs a process per core: the tokenizer's own threads would only
        # compete with them (and must not be started before a fork)
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import wordllama
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        root = Path(wordllama.__file__).parent
        try:
            self.tokenizer: Any = Tokenizer.from_file(str(root / _TOKENIZER))
            weights = load_file(str(root / _WEIGHTS))
        except Exception:  # a wordllama release that moved its files
            raise MissingDependency(f"wordllama 0.4 (with {_WEIGHTS})", "semantic") from None
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_tokens)
        self.vectors = np.ascontiguousarray(weights["embedding.weight"], np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One normalized row per text (zeros for a text without tokens)."""
        out = np.zeros((len(texts), self.vectors.shape[1]), np.float32)
        if not len(texts):
            return out
        encoded = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encoded), np.int64, len(encoded))
        if not lengths.sum():
            return out
        ids = np.concatenate([np.asarray(e.ids, np.int64) for e in encoded if len(e.ids)])
        np.clip(ids, 0, len(self.vectors) - 1, out=ids)
        rows = self.vectors[ids]
        has = lengths > 0
        starts = np.concatenate(([0], np.cumsum(lengths[has])[:-1]))
        sums = np.add.reduceat(rows, starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        out[has] = sums / np.maximum(norms, 1e-12)
        return out


    def word_vectors(self, words: Sequence[str]) -> np.ndarray:
        """Per word (each tokenized on its own, as after a space), the sum of its subword
        vectors; a word the tokenizer gives nothing for is a zero row."""
        out = np.zeros((len(words), self.vectors.shape[1]), np.float32)
        if not len(words):
            return out
        encoded = self.tokenizer.encode_batch([[w] for w in words], is_pretokenized=True,
                                              add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encoded), np.int64, len(encoded))
        has = lengths > 0
        if not has.any():
            return out
        ids = np.concatenate([np.asarray(e.ids, np.int64) for e in encoded if len(e.ids)])
        np.clip(ids, 0, len(self.vectors) - 1, out=ids)
        starts = np.concatenate(([0], np.cumsum(lengths[has])[:-1]))
        out[has] = np.add.reduceat(self.vectors[ids], starts, axis=0)
        return out


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    """The process's encoder (loaded once: about 0.1 s)."""
    return Encoder()
