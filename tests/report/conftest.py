"""Fixtures of the report tests: the bundled demo scanned once, with its report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import copydesk
from copydesk.config import ScanConfig

DEMO = Path(copydesk.__file__).parent / "demo" / "demo.jsonl"


@pytest.fixture(scope="session")
def demo_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus scanned with ``report=True`` (results and ``report/``)."""
    out = tmp_path_factory.mktemp("report-demo") / "results"
    copydesk.scan([DEMO], out=out, config=ScanConfig(workers=1), report=True)
    return out


@pytest.fixture(scope="session")
def demo_texts() -> dict[str, str]:
    rows = [json.loads(x) for x in DEMO.read_text(encoding="utf-8").splitlines() if x.strip()]
    return {r["id"]: r["text"] for r in rows}
