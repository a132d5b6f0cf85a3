"""Fixtures of the service tests: the bundled demo scanned once, its store and app, and a
writable store (the persistent index's stand-in) for the endpoints that add."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import copydesk
from copydesk.config import ScanConfig
from copydesk.records import Article
from copydesk.service import ResultsStore

DEMO = Path(copydesk.__file__).parent / "demo" / "demo.jsonl"
TOKEN = "s3cret-Token-42"


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serve-demo") / "results"
    copydesk.scan([DEMO], out=out, config=ScanConfig(workers=1))
    return out


@pytest.fixture(scope="session")
def demo_store(demo_folder: Path) -> ResultsStore:
    return ResultsStore(demo_folder)


class WritableStore(ResultsStore):
    """A results folder that accepts new articles (kept in memory, paired with nothing):
    what the persistent index will do, enough to test the token and a writer under load."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.added: list[str] = []
        self._write = threading.Lock()

    def add(self, articles: list[Article]) -> dict[str, Any]:
        with self._write:
            for a in articles:
                self._articles[a.id] = a
                self.added.append(a.id)
        return {"added": len(articles), "articles": len(self._articles)}


@pytest.fixture()
def writable_store(demo_folder: Path) -> WritableStore:
    return WritableStore(demo_folder)


@pytest.fixture()
def client(demo_store: ResultsStore) -> Any:
    from fastapi.testclient import TestClient

    from copydesk.service import create_app

    with TestClient(create_app(demo_store, token=TOKEN)) as c:
        yield c
