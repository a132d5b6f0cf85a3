"""The scan pipeline's entry points, kept under their earlier name: the stage plan is
:mod:`copydesk.plan` and the local engine that runs it :mod:`copydesk.engines.local`."""

from .engines.local import keep_freed_heap, scan_articles, scan_batches, spill_prefix
from .plan import Progress, ScanResult, hash_id, mask_furniture, site_of

__all__ = ["Progress", "ScanResult", "hash_id", "keep_freed_heap", "mask_furniture", "scan_articles",
           "scan_batches", "site_of", "spill_prefix"]
