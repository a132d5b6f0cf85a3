"""A bounded load on a running service: ``clients`` threads read pages and API routes in
turn for ``seconds`` (and one writer adds articles when given a token), recording each
request's status and latency.  The load test (tests/service/test_load.py) and the benchmark
(bench/serve.py) both run it.  Needs httpx (the test extra)."""

from __future__ import annotations

import itertools
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class LoadReport:
    seconds: float
    #: per endpoint name: latencies (s) of the requests that succeeded
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    #: what went wrong: "name: status or exception"
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + len(self.errors)

    def table(self) -> list[dict[str, Any]]:
        """Per endpoint: requests, requests/s, p50 and p95 latency (ms)."""
        rows = []
        for name, lat in sorted(self.latencies.items()):
            q = statistics.quantiles(lat, n=20) if len(lat) >= 2 else [lat[0]] * 19
            rows.append({"endpoint": name, "requests": len(lat),
                         "per_s": len(lat) / self.seconds,
                         "p50_ms": 1000 * statistics.median(lat), "p95_ms": 1000 * q[18]})
        return rows


Reader = tuple[str, str]  # (endpoint name, path)


def run_load(base: str, reads: Sequence[Reader], *, clients: int = 4, seconds: float = 3.0,
             token: str | None = None,
             new_article: Callable[[int], dict[str, Any]] | None = None) -> LoadReport:
    """``clients`` threads GET ``reads`` round-robin (each from another start) for
    ``seconds``; with ``token`` and ``new_article``, one more thread POSTs
    ``/api/articles`` (one article per request) meanwhile.  A status >= 400 or an exception
    is an error."""
    import httpx

    report = LoadReport(seconds)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def record(name: str, started: float, status: int | None, problem: str = "") -> None:
        took = time.perf_counter() - started
        with lock:
            if status is not None and status < 400:
                report.latencies[name].append(took)
            else:
                report.errors.append(f"{name}: {status or problem}")

    def reader(n: int) -> None:
        order = itertools.islice(itertools.cycle(reads), n, None)
        with httpx.Client(base_url=base, timeout=30) as client:
            for name, path in order:
                if time.monotonic() >= stop:
                    return
                t = time.perf_counter()
                try:
                    status = client.get(path).status_code
                except httpx.HTTPError as e:
                    record(name, t, None, type(e).__name__)
                else:
                    record(name, t, status)

    def writer() -> None:
        assert new_article is not None
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, timeout=30, headers=headers) as client:
            for n in itertools.count():
                if time.monotonic() >= stop:
                    return
                t = time.perf_counter()
                try:
                    status = client.post("/api/articles",
                                         json={"articles": [new_article(n)]}).status_code
                except httpx.HTTPError as e:
                    record("POST /api/articles", t, None, type(e).__name__)
                else:
                    record("POST /api/articles", t, status)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(clients)]
    if token and new_article is not None:
        threads.append(threading.Thread(target=writer))
    began = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    report.seconds = time.monotonic() - began
    return report


def mixed_reads(store: Any, *, limit: int = 20) -> list[Reader]:
    """Pages and API routes of ``store``'s first families, pairs and articles."""
    from urllib.parse import quote, urlencode

    fams, _ = store.families(limit=limit)
    reads: list[Reader] = [("GET /", "/"), ("GET /families", "/families"),
                           ("GET /api/stats", "/api/stats"),
                           ("GET /api/families", "/api/families?limit=20")]
    for f in fams[:limit]:
        fid = quote(f.family, safe="")
        reads += [("GET /families/{id}", f"/families/{fid}"),
                  ("GET /api/families/{id}", f"/api/families/{fid}")]
        m = quote(f.members[0], safe="")
        reads += [("GET /articles/{id}", f"/articles/{m}"),
                  ("GET /api/articles/{id}", f"/api/articles/{m}")]
        for p in store.pairs_of(f.members[0])[:1]:
            q = urlencode({"a": p.a, "b": p.b})
            reads += [("GET /pairs", f"/pairs?{q}"), ("GET /api/pairs", f"/api/pairs?{q}")]
    return reads
