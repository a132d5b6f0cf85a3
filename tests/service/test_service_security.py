"""Safety of the service: loopback by default, security headers on every answer, hostile
data shown as text, bodies capped, errors without internals, the token never logged."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from servicepages import TOKEN, Page, WritableStore

import copydesk
from copydesk.cli import _parser
from copydesk.config import ScanConfig
from copydesk.records import Article
from copydesk.service import ResultsStore, create_app
from copydesk.service.server import DEFAULT_HOST, log_config, running

SCRIPT = "<script>alert(1)</script>"


def test_loopback_unless_told_otherwise() -> None:
    args = _parser().parse_args(["serve", "results"])
    assert args.host == DEFAULT_HOST == "127.0.0.1" and args.token is None
    assert _parser().parse_args(["serve", "r", "--host", "0.0.0.0"]).host == "0.0.0.0"


def _assert_headers(r: httpx.Response) -> None:
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "style-src 'self'" in csp
    assert "script" not in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_every_answer_has_the_headers(client: TestClient, demo_store: ResultsStore) -> None:
    fam = demo_store.families(limit=1)[0][0]
    paths = ["/", "/families", f"/families/{quote(fam.family)}", "/static/style.css",
             "/api/stats", "/openapi.json", "/api/families/nope", "/nowhere",
             f"/articles/{quote(fam.members[0])}"]
    for path in paths:
        _assert_headers(client.get(path))
    _assert_headers(client.post("/api/query", content=b"{"))
    _assert_headers(client.post("/api/articles", json={}))
    css = client.get("/static/style.css")
    assert css.headers["content-type"].startswith("text/css") and ".ptext" in css.text
    home = Page(client.get("/").text)
    assert ("link", {"rel": "stylesheet", "href": "/static/style.css"}) in home.tags
    assert not any(t in ("style", "script") for t, _ in home.tags)
    assert not any("style" in a for _, a in home.tags)  # no inline style attribute either


def _hostile() -> list[Article]:
    story = ("Officials said the bridge over the river would close for repairs next month. "
             "Engineers found cracks in two of its supports during a routine inspection. "
             "Traffic will be diverted through the old town centre for about six weeks. ")
    body = f"{SCRIPT} {story * 3} <img src=x onerror=alert(2)> &amp; \"q\" 'single'"
    return [Article(SCRIPT, body, title=SCRIPT, date="2024-01-01", source="<i>Wire</i>",
                    url="javascript:alert(3)"),
            Article(f"{SCRIPT}-copy' onmouseover='x", body[: len(body) * 3 // 4],
                    title="<style>body{display:none}</style>", date="2024-01-02",
                    source=SCRIPT)]


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> ResultsStore:
    out = tmp_path_factory.mktemp("hostile") / "results"
    arts = _hostile()
    copydesk.scan(arts, out=out, config=ScanConfig(workers=1))
    return ResultsStore(out, arts)


def test_hostile_data_is_shown_as_text(hostile_store: ResultsStore) -> None:
    arts = _hostile()
    fams, _ = hostile_store.families()
    assert len(fams) == 1
    pair = hostile_store.pairs_of(arts[0].id)[0]
    with TestClient(create_app(hostile_store)) as c:
        pages = ["/", "/families", f"/families/{quote(fams[0].family, safe='')}",
                 f"/articles/{quote(arts[0].id, safe='')}",
                 f"/articles/{quote(arts[1].id, safe='')}",
                 "/pairs?" + httpx.QueryParams({"a": pair.a, "b": pair.b}).__str__(),
                 f"/articles/{quote(SCRIPT + 'missing', safe='')}"]
        for path in pages:
            r = c.get(path, headers={"accept": "text/html"})
            assert r.headers["content-type"].startswith("text/html"), path
            html = r.text
            assert "<script" not in html.lower() and "<img" not in html.lower(), path
            assert "<i>" not in html and "<style" not in html.lower(), path
            page = Page(html)
            for tag, attrs in page.tags:
                assert tag not in ("script", "img", "style", "iframe"), (path, tag)
                assert not any(name.startswith("on") for name in attrs), (path, attrs)
                assert not (attrs.get("href") or "").lower().startswith("javascript:"), path
            assert SCRIPT in page.shown or path == "/", path
        pair_page = Page(c.get("/pairs", params={"a": pair.a, "b": pair.b}).text)
        texts = {a.id: a.text for a in arts}
        assert pair_page.passages
        for x in pair_page.passages:
            assert x["text"] == texts[getattr(pair, x["side"])][x["start"]:x["end"]]
        # the JSON API gives the data as it is (JSON strings are not markup)
        assert c.get(f"/api/articles/{quote(arts[0].id, safe='')}").json()["article"]["title"] \
            == SCRIPT


def test_bodies_are_capped(demo_store: ResultsStore) -> None:
    with TestClient(create_app(demo_store, max_body=1000)) as c:
        big = c.post("/api/query", json={"text": "x" * 2000})
        assert big.status_code == 413
        assert big.json() == {"error": "request body over 1,000 bytes"}
        _assert_headers(big)

        def chunks() -> Any:  # no Content-Length: counted as it arrives
            for _ in range(5):
                yield b'{"text": "' + b"y" * 400

        streamed = c.post("/api/query", content=chunks(),
                          headers={"content-type": "application/json"})
        assert streamed.status_code == 413 and "error" in streamed.json()
        form = c.post("/search", files={"file": ("a.txt", b"z" * 5000, "text/plain")})
        assert form.status_code == 413
        assert c.post("/api/query", json={"text": "small"}).status_code == 200


class Exploding(ResultsStore):
    def stats(self) -> dict[str, Any]:
        raise RuntimeError("secret internals /etc/passwd")


def test_unexpected_errors_say_nothing_inside(demo_folder: Path,
                                              caplog: pytest.LogCaptureFixture) -> None:
    store = Exploding(demo_folder)
    with TestClient(create_app(store, name="demo"), raise_server_exceptions=False) as c, \
            caplog.at_level(logging.ERROR, logger="copydesk.service"):
        for headers in ({}, {"accept": "text/html"}):
            r = c.get("/api/stats", headers=headers)
            assert r.status_code == 500 and r.json() == \
                {"error": "internal error: the server's log has the details"}
            _assert_headers(r)
        page = c.get("/", headers={"accept": "text/html"})
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        for body in (r.text, page.text):
            assert "secret internals" not in body and "Traceback" not in body
            assert "RuntimeError" not in body
    assert "secret internals" in caplog.text  # the server's log has it


def test_token_never_logged(demo_folder: Path) -> None:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record) + repr(record.args) + repr(record.__dict__))

    handler = Keep(logging.DEBUG)
    # every server-side logger (the client's own, httpx's, are not the server's logs)
    names = ["uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "copydesk",
             "copydesk.service", "fastapi", "starlette"]
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    config = log_config()
    for lg in config["loggers"].values():
        lg["level"] = "DEBUG"
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    try:
        store = WritableStore(demo_folder)
        with running(create_app(store, token=TOKEN), log_config=config) as base:
            # the access log (configured by log_config) must carry the requests too
            for lg in loggers:
                if handler not in lg.handlers:
                    lg.addHandler(handler)
            auth = {"Authorization": f"Bearer {TOKEN}"}
            with httpx.Client(base_url=base, headers=auth) as c:
                ok = c.post("/api/articles", json={"articles": [{"id": "n", "text": "t"}]})
                assert ok.status_code == 200
                assert c.get("/api/stats").status_code == 200
                assert c.post("/api/articles", content=b"{bad", headers={
                    "content-type": "application/json"}).status_code == 400
            with httpx.Client(base_url=base) as c:
                wrong = c.post("/api/articles", json={}, headers={
                    "Authorization": f"Bearer {TOKEN}x"})
                assert wrong.status_code == 401 and TOKEN not in wrong.text
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)
    logged = "\n".join(records)
    assert "POST /api/articles" in logged  # the requests were logged ...
    assert TOKEN not in logged  # ... and the token was not
