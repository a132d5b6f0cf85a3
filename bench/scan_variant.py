"""One scan of ``CORPUS`` into ``OUT`` through :func:`copydesk.api.scan`, with the default
configuration or one of ``bench/stage_costs.py``'s variants (run by it, in the venv of the
revision being timed; an earlier revision runs ``default`` only).

    python bench/scan_variant.py {default,no-sentence-keys,no-paraphrase,verbatim-only} CORPUS OUT
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from copydesk.api import scan
from copydesk.config import ScanConfig


def config(variant: str) -> ScanConfig:
    cfg = ScanConfig()
    if variant in ("no-sentence-keys", "verbatim-only"):
        cfg = dataclasses.replace(cfg, fingerprint=dataclasses.replace(cfg.fingerprint, sentence_bands=0))
    if variant in ("no-paraphrase", "verbatim-only"):
        cfg = dataclasses.replace(cfg, paraphrase=dataclasses.replace(cfg.paraphrase, enabled=False))
    elif variant not in ("default", "no-sentence-keys"):
        raise SystemExit(f"scan_variant.py: unknown variant {variant!r}")
    return cfg


if __name__ == "__main__":
    variant, corpus, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    scan([corpus], out=out, config=config(variant))
