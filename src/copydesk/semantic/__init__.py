"""The optional semantic stage (``scan --semantic``, extra ``copydesk[semantic]``).

Reworded reuse that keeps too few runs of identical words — a heavy rewrite, a summary —
shares too few fingerprints to become a candidate, and too few content words sentence by
sentence for the lexical paraphrase rule (:mod:`copydesk.paraphrase`).  This stage adds:

1. :mod:`.neighbours` — an embedding of each article's opening
   (:mod:`.encoder`: static token embeddings shipped in a wheel, mean-pooled), and its
   nearest neighbours in an approximate-nearest-neighbour index (usearch): close pairs are
   candidates, whatever their fingerprints;
2. :mod:`.sentences` — in alignment, sentences paired one to one by embedding cosine *and*
   shared content words, kept only when several sentences of the shorter text are paired
   (one subject in common is not reuse; see there).

Everything runs on the CPU; nothing is downloaded.
"""

from .encoder import Encoder, encoder, require_semantic

__all__ = ["Encoder", "encoder", "require_semantic"]
