"""Sentences that merge or split others: one sentence against a run of the other text's.

A summary condenses: one of its sentences often draws on two or three neighbouring sentences
of its source ("X happened. It followed Y." → "X happened after Y."); a rewrite may split a
long sentence in two.  Against any single one of those sentences the merged sentence shares
too few content words for the one-to-one rule of :mod:`.sentences`, though it shares them
with their union.  Here a sentence is compared with each run (*window*) of two or three
consecutive sentences of the other text as if the run were one sentence — its content words
the union of theirs, its embedding the normalized sum of theirs — under the same thresholds
as a single sentence (``min_sentence_cosine``, ``min_shared_words``), and two more
conditions that say the run is really merged and not one sentence padded with neighbours:

* every sentence of the run shares a content word with the merged sentence (each
  contributed);
* the merged sentence's facts (figures, names) occur in the run (a summary keeps its
  source's facts; a sentence of another report of the event brings its own).

Each sentence takes part in one match at most (see :func:`window_pairs`), so the matches
and the one-to-one pairs never overlap.
"""

from __future__ import annotations

import numpy as np

from ..paraphrase import Sentences

#: longest run of consecutive sentences one sentence is compared with
MAX_WINDOW = 3


def _keys_of(s: Sentences, i: int) -> np.ndarray:
    return s.keys[s.sent == i]


def window_matches(sx: Sentences, vx: np.ndarray, sy: Sentences, vy: np.ndarray, free_x: np.ndarray,
                   free_y: np.ndarray, *, min_cosine: float, min_dice: float,
                   min_fact_share: float) -> list[tuple[float, int, int, int, bool]]:
    """Candidate matches ``(cosine, i, start, stop, all_facts)``: sentence ``i`` of ``x``
    (among ``free_x``) against the run ``start:stop`` of ``y`` (2 to :data:`MAX_WINDOW` free
    sentences) that pass the thresholds (see the module); ``all_facts``: every fact of the
    sentence occurs in the run."""
    ny = len(sy.first)
    out: list[tuple[float, int, int, int, bool]] = []
    if ny < 2 or not free_x.any():
        return out
    runs = [(s, s + w) for w in range(2, MAX_WINDOW + 1) for s in range(ny - w + 1) if free_y[s:s + w].all()]
    if not runs:
        return out
    union = [np.unique(sy.keys[(sy.sent >= s) & (sy.sent < e)]) for s, e in runs]
    merged = np.stack([vy[s:e].sum(axis=0) for s, e in runs])
    merged /= np.maximum(np.linalg.norm(merged, axis=1, keepdims=True), 1e-12)
    cos = vx @ merged.T
    for i in np.flatnonzero(free_x).tolist():
        kx = _keys_of(sx, i)
        facts = np.unique(sx.keys[(sx.sent == i) & sx.digit])
        for r in np.flatnonzero(cos[i] >= min_cosine).tolist():
            s, e = runs[r]
            shared = np.isin(kx, union[r])
            if 2 * int(shared.sum()) < min_dice * (len(kx) + len(union[r])):
                continue
            if not all(np.isin(kx, _keys_of(sy, m)).any() for m in range(s, e)):
                continue  # a run padded with a neighbour that adds nothing to this sentence
            found = float(np.isin(facts, union[r]).mean()) if len(facts) else 1.0
            if found < min_fact_share:
                continue
            out.append((float(cos[i, r]), i, s, e, found == 1.0))
    return out


def window_pairs(sa: Sentences, va: np.ndarray, sb: Sentences, vb: np.ndarray, used_a: np.ndarray,
                 used_b: np.ndarray, *, min_cosine: float, min_dice: float,
                 min_fact_share: float) -> np.ndarray:
    """Sentence ranges ``[a0, a1, b0, b1)`` (in sentence numbers) matched one sentence to a
    run, in either direction, best cosine first, each sentence in one match at most and none
    of those ``used_a`` / ``used_b`` already (updated in place); a fifth column is 1 for a
    *condensing* match — a sentence of the shorter text (fewer content words) carrying all
    its facts from a run of the longer, as a summary's sentence does — else 0 (a long
    sentence split in a rewrite, or a condensed one that names something the run does not)."""
    kw = dict(min_cosine=min_cosine, min_dice=min_dice, min_fact_share=min_fact_share)
    a_shorter = int(sa.size.sum()) <= int(sb.size.sum())
    found = [(c, i, i + 1, s, e, full and a_shorter)
             for c, i, s, e, full in window_matches(sa, va, sb, vb, ~used_a, ~used_b, **kw)]
    found += [(c, s, e, j, j + 1, full and not a_shorter)
              for c, j, s, e, full in window_matches(sb, vb, sa, va, ~used_b, ~used_a, **kw)]
    found.sort(key=lambda m: (-m[0], m[1], m[3]))
    out = []
    for _, a0, a1, b0, b1, condensing in found:
        if used_a[a0:a1].any() or used_b[b0:b1].any():
            continue
        used_a[a0:a1] = True
        used_b[b0:b1] = True
        out.append((a0, a1, b0, b1, int(condensing)))
    out.sort()
    return np.array(out, np.int64).reshape(-1, 5)
