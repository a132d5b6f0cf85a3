"""Frozen per-stage parameters.  Every value has a documented default; impossible settings
are rejected at construction with a hint (datasketch-style), and the resolved values of a run
are recorded in ``run.json``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import ConfigError


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise ConfigError(msg)


@dataclass(frozen=True, kw_only=True)
class FurnitureConfig:
    """Corpus furniture (see :mod:`copydesk.furniture`): lines that recur across articles
    which otherwise share nothing."""

    #: a line is judged when this many articles carry it ...
    min_docs: int = 6
    #: ... or this many of one site (``source``, else the URL's host)
    site_min_docs: int = 3
    #: it is furniture when, for the median carrier, at least this share of the rest of its
    #: text is found in no other carrier (versions of one story share nearly all of it)
    own_share: float = 0.3
    #: and it is masked in each carrier whose own share is at least this (0: in every carrier;
    #: passages still take in furniture both texts carry right beside them)
    carrier_share: float = 0.0
    #: lines carried by more articles are judged on this many of them
    sample: int = 64
    rounds: int = 3
    #: mask lines that give another article's headline (and its teaser below it)
    links: bool = True
    #: also group every line by its first and by its last words; off, only short lines are
    #: (captions with another credit, a chain's footer naming each masthead): common
    #: openings of paragraphs ("The Prime Minister said") would group unrelated lines
    by_ends: bool = False

    def __post_init__(self) -> None:
        _check(self.min_docs >= 2 and self.site_min_docs >= 2,
               "furniture min_docs and site_min_docs must be >= 2 (a line in one article is never shared furniture)")
        _check(0 < self.own_share <= 1 and 0 <= self.carrier_share <= 1, "furniture shares must be in [0, 1]")
        _check(self.sample >= 3 and self.rounds >= 1, "furniture sample must be >= 3 and rounds >= 1")


#: the segmenters of dense scripts (see :attr:`PrepareConfig.segmenter`)
SEGMENTERS = ("chars", "icu")


@dataclass(frozen=True, kw_only=True)
class PrepareConfig:
    """Tokenizing and boilerplate masking."""

    #: lines this short (in word tokens) are tested against the furniture patterns
    #: (bylines, "Share this article", copyright lines)
    boiler_line_max_tokens: int = 12
    #: mask lines matching common web-furniture patterns ("Published: ...", "Comments", ...)
    boiler_patterns: bool = True
    furniture: FurnitureConfig = field(default_factory=FurnitureConfig)
    #: how text of scripts written without spaces (Chinese, Japanese, Thai, ...) is cut into
    #: tokens: ``"chars"``, a token per character (keys of character n-grams; no dependency),
    #: or ``"icu"``, a token per word found by ICU's dictionary word breaker (the ``icu``
    #: extra: ``pip install 'copydesk[icu]'``).  Other scripts are tokenized alike by both
    segmenter: str = "chars"

    def __post_init__(self) -> None:
        _check(self.boiler_line_max_tokens >= 0, "boiler_line_max_tokens must be >= 0")
        _check(self.segmenter in SEGMENTERS,
               f"segmenter must be one of {', '.join(SEGMENTERS)} (got {self.segmenter!r})")


@dataclass(frozen=True, kw_only=True)
class FingerprintConfig:
    """Shingles and winnowed passage fingerprints (Schleimer et al. 2003)."""

    k: int = 5          #: words per shingle
    window: int = 6     #: winnowing window, in shingles
    #: MinHash bands per sentence of the sentence signatures that find reworded reuse (see
    #: copydesk.sentence_keys; 0: off) ...
    sentence_bands: int = 2
    #: ... for sentences with at least this many distinct content words
    sentence_min_words: int = 6

    def __post_init__(self) -> None:
        _check(1 <= self.k <= 16, "k (words per shingle) must be between 1 and 16")
        _check(1 <= self.window <= 64, "window must be between 1 and 64")
        _check(0 <= self.sentence_bands <= 4, "sentence_bands must be between 0 and 4")
        _check(self.sentence_min_words >= 2, "sentence_min_words must be >= 2")


@dataclass(frozen=True, kw_only=True)
class CandidateConfig:
    """Candidate pairs from shared fingerprints."""

    #: a pair needs this many shared fingerprints to be aligned
    min_shared: int = 3
    #: ... but only this many when one article has fewer than ``short_doc_fps`` fingerprints
    short_min_shared: int = 2
    short_doc_fps: int = 40
    #: a fingerprint shared by more articles than this links them through representatives
    #: instead of all pairs (nothing is dropped: see candidates.py)
    bucket_cap: int = 8
    #: two shared fingerprints this close (in tokens, on both sides) show a shared passage;
    #: a pair needs such a couple unless it shares ``strong_shared`` fingerprints (0: off)
    colocated_within: int = 24
    colocated_drift: int = 8      #: how far off the diagonal the second may lie (tokens)
    strong_shared: int = 4
    #: ... or shares sentence signatures (copydesk.sentence_keys) of this many distinct
    #: sentences on both sides: a reworded story
    min_shared_sentences: int = 2

    def __post_init__(self) -> None:
        _check(self.min_shared >= 1 and self.short_min_shared >= 1, "min_shared must be >= 1")
        _check(self.bucket_cap >= 2, "bucket_cap must be >= 2")
        _check(self.colocated_within >= 0 and self.colocated_drift >= 0,
               "colocated_within and colocated_drift must be >= 0")
        _check(self.strong_shared >= self.min_shared, "strong_shared must be >= min_shared")
        _check(self.min_shared_sentences >= 1, "min_shared_sentences must be >= 1")


@dataclass(frozen=True, kw_only=True)
class AlignConfig:
    """Anchor-based alignment."""

    anchor_k: int = 3            #: words per alignment anchor
    max_gap_chars: int = 60      #: passages merge across edits this small (on both sides)
    min_passage_chars: int = 40  #: shorter aligned runs are dropped
    max_anchor_repeat: int = 4   #: anchors repeated more often than this in a text are ignored

    def __post_init__(self) -> None:
        _check(1 <= self.anchor_k <= 8, "anchor_k must be between 1 and 8")
        _check(self.max_gap_chars >= 0, "max_gap_chars must be >= 0")
        _check(self.min_passage_chars >= 1, "min_passage_chars must be >= 1")
        _check(self.max_anchor_repeat >= 1, "max_anchor_repeat must be >= 1")


@dataclass(frozen=True, kw_only=True)
class RelateConfig:
    """Relation and origin."""

    near_duplicate: float = 0.80  #: both coverages at least this: near_duplicate (see relate._whole_rewrite)
    contained: float = 0.70       #: one coverage at least this: contained
    min_reuse_chars: int = 80     #: a pair needs a passage at least this long to be related
    min_total_chars: int = 120    #: ... and this many shared characters in all (~20 words)
    #: ... unless one side is carried almost whole (at least this coverage) by a passage of
    #: at least ``short_min_chars``: the floors scale with a short article
    short_whole: float = 0.8
    short_min_chars: int = 40
    duplicate_similarity: float = 1.0  #: token-sequence similarity for a duplicate (1 = identical)

    def __post_init__(self) -> None:
        _check(0 < self.contained <= 1 and 0 < self.near_duplicate <= 1,
               "coverage thresholds must be in (0, 1]")
        _check(self.min_reuse_chars >= 1, "min_reuse_chars must be >= 1")
        _check(self.min_total_chars >= 0, "min_total_chars must be >= 0")
        _check(0 < self.duplicate_similarity <= 1, "duplicate_similarity must be in (0, 1]")


@dataclass(frozen=True, kw_only=True)
class ParaphraseConfig:
    """Reworded sentences paired in order (see :mod:`copydesk.paraphrase`)."""

    enabled: bool = True
    min_words: int = 4            #: sentences with fewer content words are left out
    min_similarity: float = 0.5   #: Dice of two sentences' content words to pair them
    min_sentences: int = 3        #: a pairing needs this many sentence pairs ...
    min_run: int = 2              #: ... this many of them adjacent on both sides ...
    min_share: float = 0.3        #: ... and this share of the shorter text's sentences
    #: pairings whose differing words are at least this share slots (numbers, names) are
    #: template instances
    max_slot_edits: float = 0.5
    #: a pair with one side at least this much inside exact passages is not searched (next
    #: to nothing is left to pair on that side)
    max_exact_coverage: float = 0.95

    def __post_init__(self) -> None:
        _check(self.min_words >= 1, "paraphrase min_words must be >= 1")
        _check(0 < self.min_similarity <= 1, "paraphrase min_similarity must be in (0, 1]")
        _check(self.min_sentences >= 1 and self.min_run >= 1, "paraphrase min_sentences and min_run must be >= 1")
        _check(0 <= self.min_share <= 1 and 0 < self.max_slot_edits <= 1,
               "paraphrase min_share and max_slot_edits must be in [0, 1]")
        _check(0 < self.max_exact_coverage <= 1, "paraphrase max_exact_coverage must be in (0, 1]")


@dataclass(frozen=True, kw_only=True)
class SemanticConfig:
    """The optional semantic stage (``scan --semantic``, see :mod:`copydesk.semantic`):
    article embeddings propose candidate pairs that share too few fingerprints, sentence
    embeddings pair sentences reworded beyond the lexical paraphrase rule."""

    enabled: bool = False
    #: nearest neighbours of each article looked up in the embedding index
    neighbours: int = 10
    #: two articles closer than this (cosine of their openings) are a candidate, and
    #: reworded sentences count as reuse only between articles this close as wholes
    min_article_cosine: float = 0.75
    #: a text at most this share of the other's length (body tokens) may be its summary: a
    #: summary condenses (a rewrite of the whole story keeps about its length) ...
    max_summary_length: float = 0.5
    #: ... and is compared with the whole source, which also carries what the summary left
    #: out, so the two are less close as wholes: such a pair needs this cosine only ...
    min_summary_cosine: float = 0.7
    #: ... but then nearly all the summary's facts must be its source's (at least this share,
    #: and at least ``min_facts`` of them): a summary chooses among its source's facts and
    #: adds none, while a story of its own on the subject (a follow-up, another outlet's
    #: report) brings its own
    min_summary_fact_share: float = 0.7
    #: ... and a summary restates its source in mostly its source's words: at least this
    #: share of its distinct content words occur there.  Two reports of one subject share
    #: its names and stock words, about a third of the shorter one's; a summary of the story
    #: or of a rewrite of it keeps nearly half of them or more
    min_summary_word_share: float = 0.4
    #: a sentence pair counts as reworded when its cosine reaches this ...
    min_sentence_cosine: float = 0.55
    #: ... and the two sentences share at least this Dice share of their content words (an
    #: embedding alone matches sentences of one subject; a reworded sentence keeps some words)
    min_shared_words: float = 0.25
    #: a pairing needs this many sentences of the shorter text ...
    min_sentences: int = 2
    #: ... and this share of them (a rewrite carries over a good part of its source, though
    #: a heavy rewrite rewords most sentences beyond what a sentence embedding pairs; an
    #: independent report of the same event shares a few facts: see ``min_fact_share``)
    min_share: float = 0.2
    #: a rewrite or a summary keeps the facts of what it rewrites: at least this share of the
    #: shorter text's facts (figures, and names: capitalised words not opening a sentence)
    #: occur in the other text.  An independent report of the same event brings its own
    #: (other speakers, other figures); a template's instances differ in exactly these
    min_fact_share: float = 0.6
    #: ... tested when the shorter text has at least this many distinct facts
    min_facts: int = 5
    #: once the pairing shows a rewrite, sentences left unpaired that are each other's
    #: nearest (cosine at least this, a content word shared) are counted as reworded in
    #: coverage (not as evidence): a heavy rewrite rewords each sentence, further than the
    #: evidence thresholds above admit, and a whole story rewritten is a near-duplicate
    min_mutual_cosine: float = 0.4

    def __post_init__(self) -> None:
        _check(self.neighbours >= 1, "semantic neighbours must be >= 1")
        for name in ("min_article_cosine", "max_summary_length", "min_summary_cosine", "min_summary_fact_share",
                     "min_summary_word_share", "min_sentence_cosine", "min_shared_words", "min_share", "min_fact_share",
                     "min_mutual_cosine"):
            _check(0 <= getattr(self, name) <= 1, f"semantic {name} must be in [0, 1]")
        _check(self.min_sentences >= 1 and self.min_facts >= 1, "semantic min_sentences and min_facts must be >= 1")


@dataclass(frozen=True, kw_only=True)
class FamilyConfig:
    """Reuse families."""

    #: two groups merge only if at least this share of their cross pairs are related; stops
    #: one shared quotation from chaining two stories together
    min_link_density: float = 0.5
    #: members of a family up to this size that were never compared are aligned once (0: off)
    complete_max_members: int = 64

    def __post_init__(self) -> None:
        _check(0 < self.min_link_density <= 1, "min_link_density must be in (0, 1]")
        _check(self.complete_max_members >= 0, "complete_max_members must be >= 0")


@dataclass(frozen=True, kw_only=True)
class ScanConfig:
    """All stage parameters of one run."""

    prepare: PrepareConfig = field(default_factory=PrepareConfig)
    fingerprint: FingerprintConfig = field(default_factory=FingerprintConfig)
    candidates: CandidateConfig = field(default_factory=CandidateConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    paraphrase: ParaphraseConfig = field(default_factory=ParaphraseConfig)
    semantic: SemanticConfig = field(default_factory=SemanticConfig)
    relate: RelateConfig = field(default_factory=RelateConfig)
    families: FamilyConfig = field(default_factory=FamilyConfig)
    workers: int = 2
    batch_size: int = 2000

    def __post_init__(self) -> None:
        _check(self.workers >= 1, "workers must be >= 1")
        _check(self.batch_size >= 1, "batch_size must be >= 1")

    @property
    def guaranteed_tokens(self) -> int:
        """Any passage shared word for word over at least this many tokens yields
        ``min_shared`` common winnowed fingerprints, so it is always a candidate."""
        return self.candidates.min_shared * self.fingerprint.window + self.fingerprint.k - 1

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["guaranteed_tokens"] = self.guaranteed_tokens
        return d
