"""copydesk — find where news text was reused.

    >>> import copydesk
    >>> result = copydesk.scan(["corpus.jsonl"], out="results/")      # doctest: +SKIP
    >>> copydesk.compare(article_a, article_b).relation                  # doctest: +SKIP
    >>> copydesk.dedup(["corpus.jsonl"], out="deduped.jsonl")             # doctest: +SKIP
"""

from __future__ import annotations

import gc as _gc

__version__ = "0.1.0"

# Importing the package (numpy, numba and its typing registries, the kernels' dispatchers:
# hundreds of thousands of objects) would set off the cyclic collector's passes over
# everything made so far, again and again: it is held off until the imports are done
# (about 30 ms of every command's start-up).
_collecting = _gc.isenabled()
_gc.disable()
try:
    from .api import compare, scan  # noqa: E402
    from .config import (  # noqa: E402
        AlignConfig,
        CandidateConfig,
        FamilyConfig,
        FingerprintConfig,
        ParaphraseConfig,
        PrepareConfig,
        RelateConfig,
        ScanConfig,
    )
    from .dedup import DedupResult, dedup  # noqa: E402
    from .errors import (  # noqa: E402
        ConfigError,
        CopydeskError,
        InputError,
        MissingDependency,
        OutputError,
    )
    from .plan import ScanResult  # noqa: E402
    from .records import Article, Family, Pair, Passage, Reject  # noqa: E402
finally:
    if _collecting:
        _gc.enable()

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .store import Index


def __getattr__(name: str) -> object:
    # the persistent index (SQLite, the report's summaries) is imported when first used:
    # a scan does not need it, and importing it took a tenth of the command's start-up
    if name == "Index":
        from .store import Index

        return Index
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "AlignConfig", "Article", "CandidateConfig", "ConfigError", "CopydeskError", "DedupResult",
    "Family", "FamilyConfig", "FingerprintConfig", "Index", "InputError", "MissingDependency",
    "OutputError", "Pair", "ParaphraseConfig", "Passage", "PrepareConfig", "Reject", "RelateConfig", "ScanConfig",
    "ScanResult", "__version__", "compare", "dedup", "scan",
]
