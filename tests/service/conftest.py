"""Fixtures of the service tests: the bundled demo scanned once, its store and app, and a
writable store (the persistent index's stand-in) for the endpoints that add."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from servicepages import TOKEN, WritableStore

import copydesk
from copydesk.config import ScanConfig
from copydesk.service import ResultsStore

DEMO = Path(copydesk.__file__).parent / "demo" / "demo.jsonl"


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serve-demo") / "results"
    copydesk.scan([DEMO], out=out, config=ScanConfig(workers=1))
    return out


@pytest.fixture(scope="session")
def demo_store(demo_folder: Path) -> ResultsStore:
    return ResultsStore(demo_folder)


@pytest.fixture()
def writable_store(demo_folder: Path) -> WritableStore:
    return WritableStore(demo_folder)


@pytest.fixture()
def client(demo_store: ResultsStore) -> Any:
    from fastapi.testclient import TestClient

    from copydesk.service import create_app

    with TestClient(create_app(demo_store, token=TOKEN)) as c:
        yield c
