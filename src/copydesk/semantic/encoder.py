"""Static sentence embeddings on the CPU, from weights that ship inside a PyPI package.

The model is WordLlama's ``l2_supercat`` (MIT licence; token embeddings distilled from large
language models, 256 dimensions, 16 MB, in the ``wordllama`` wheel together with its
tokenizer).  A text's embedding is the mean of its tokens' vectors, normalized (see :mod:`.vectors`):
no network and no neural network at run time.  Only the
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
    """The model: its tokenizer and its token vectors (``float32``, ``DIMENSIONS`` wide)."""

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

    def word_vectors(self, words: Sequence[str]) -> np.ndarray:
        """Per word (each tokenized on its own, as after a space), the sum of its subword
        vectors; a word the tokenizer gives nothing for is a zero row."""
        if not len(words):
            return np.zeros((0, self.vectors.shape[1]), np.float32)
        encoded = self.tokenizer.encode_batch([[w] for w in words], is_pretokenized=True,
                                              add_special_tokens=False)
        return self._sums(encoded, normalize=False)

    def _sums(self, encoded: list[Any], *, normalize: bool) -> np.ndarray:
        """Per encoding, the sum of its tokens' vectors (normalized or not)."""
        from .vectors import sum_rows

        lengths = np.fromiter((len(e.ids) for e in encoded), np.int64, len(encoded))
        first = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        ids = np.fromiter((i for e in encoded for i in e.ids), np.int64, int(first[-1]))
        np.clip(ids, 0, len(self.vectors) - 1, out=ids)
        return sum_rows(first, ids, self.vectors, normalize=normalize)


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    """The process's encoder (loaded once: about 0.1 s)."""
    return Encoder()
