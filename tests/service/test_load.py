"""A bounded load: the real server (uvicorn on a free loopback port), parallel clients
reading pages and the API for a few seconds while one writer adds articles: no errors."""

from __future__ import annotations

from pathlib import Path

from servicepages import TOKEN, WritableStore

from copydesk.service import ResultsStore, create_app
from copydesk.service.load import mixed_reads, run_load
from copydesk.service.server import running

CLIENTS = 6
SECONDS = 3.0


def test_parallel_reads_without_errors(demo_store: ResultsStore) -> None:
    reads = mixed_reads(demo_store)
    with running(create_app(demo_store)) as base:
        report = run_load(base, reads, clients=CLIENTS, seconds=SECONDS)
    assert not report.errors, report.errors[:5]
    assert report.requests >= CLIENTS * 5  # it really ran
    names = {name for name, _ in reads}
    assert set(report.latencies) == names  # every endpoint was read


def test_reads_while_one_writer_adds(demo_folder: Path) -> None:
    store = WritableStore(demo_folder)
    reads = mixed_reads(store)

    def article(n: int) -> dict[str, str]:
        return {"id": f"load-{n}", "text": f"Article number {n} written during the load test."}

    with running(create_app(store, token=TOKEN)) as base:
        report = run_load(base, reads, clients=CLIENTS, seconds=SECONDS, token=TOKEN,
                          new_article=article)
    assert not report.errors, report.errors[:5]
    added = report.latencies["POST /api/articles"]
    assert added and len(store.added) == len(added)
    assert store.article(f"load-{len(added) - 1}") is not None
