"""The JSON API: the data of every page, described by OpenAPI, with clean 4xx errors and
the token on the one route that writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient
from servicepages import TOKEN, WritableStore

from copydesk.service import ResultsStore, create_app


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_openapi_describes_every_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/stats", "/api/articles/{article_id}", "/api/pairs", "/api/families",
                 "/api/families/{family_id}", "/api/query", "/api/articles"):
        assert path in paths, path
    assert set(paths["/api/articles"]) == {"post"}
    assert "PairOut" in spec["components"]["schemas"]
    assert not any(p.startswith("/families") or p == "/" for p in paths)  # pages stay out
    assert client.get("/docs").status_code == 404  # Swagger UI would load script from a CDN


def test_pair_is_the_stored_pair(client: TestClient, demo_folder: Path) -> None:
    p = _rows(demo_folder / "pairs.jsonl")[0]
    for a, b in ((p["a"], p["b"]), (p["b"], p["a"])):
        got = client.get("/api/pairs", params={"a": a, "b": b})
        assert got.status_code == 200
        data = got.json()
        assert {k: data["pair"][k] for k in p} == p
        assert data["a"]["id"] == p["a"] and data["b"]["id"] == p["b"]
        for q in data["pair"]["passages"]:
            assert q["a_end"] <= len(data["a"]["text"]) and q["b_end"] <= len(data["b"]["text"])
    missing = client.get("/api/pairs", params={"a": p["a"], "b": "nope"})
    assert missing.status_code == 404 and "nope" in missing.json()["error"]
    assert client.get("/api/pairs", params={"a": p["a"]}).json() == {"error": "b: Field required"}


def test_article_lists_every_pair_with_its_role(client: TestClient,
                                                demo_store: ResultsStore) -> None:
    fams, _ = demo_store.families(limit=1)
    origin = fams[0].origin
    data = client.get(f"/api/articles/{quote(origin, safe='')}").json()
    assert data["article"]["id"] == origin and data["family"]["family"] == fams[0].family
    assert len(data["pairs"]) == len(demo_store.pairs_of(origin))
    for link in data["pairs"]:
        p = link["pair"]
        expected = ("undecided" if p["origin"] is None else
                    "copy" if p["origin"] == origin else "source")
        assert link["role"] == expected
    shares = [x["share"] for x in data["pairs"]]
    assert shares == sorted(shares, reverse=True)
    assert client.get("/api/articles/nope").status_code == 404


def test_family_and_family_pages(client: TestClient, demo_store: ResultsStore) -> None:
    fams, total = demo_store.families(limit=100)
    listed = client.get("/api/families", params={"limit": 2, "offset": 1}).json()
    assert listed["total"] == total and [f["family"] for f in listed["families"]] == \
        [f.family for f in fams[1:3]]
    f = fams[0]
    data = client.get(f"/api/families/{quote(f.family, safe='')}").json()
    assert data["family"]["members"] == list(f.members)
    assert data["members"][0]["is_origin"] and data["members"][0]["article"]["id"] == f.origin
    assert {m["article"]["id"] for m in data["members"]} == set(f.members)
    for m in data["members"][1:]:
        assert m["parent"] in f.members and 0 < m["coverage"] <= 1
    assert client.get("/api/families/nope").json() == {"error": "no family with id 'nope'"}
    assert client.get("/api/families", params={"relation": "copied"}).status_code == 400
    assert client.get("/api/families", params={"date_to": "yesterday-ish"}).status_code == 400
    assert client.get("/api/families", params={"limit": 100000}).status_code == 422
    assert client.get("/api/families", params={"offset": -1}).status_code == 422


def test_query(client: TestClient, demo_store: ResultsStore) -> None:
    fams, _ = demo_store.families(limit=1)
    text = demo_store.article(fams[0].origin).text
    got = client.post("/api/query", json={"text": text, "title": "pasted", "top": 3})
    assert got.status_code == 200
    data = got.json()
    assert data["article"]["length"] == len(text) and 0 < len(data["hits"]) <= 3
    assert data["hits"][0]["share"] == 1.0  # best first: all of the pasted text is shared
    assert any(h["other"]["id"] == fams[0].origin and h["pair"]["relation"] == "duplicate"
               for h in data["hits"])
    assert client.post("/api/query", json={"text": ""}).status_code == 422
    assert client.post("/api/query", json={"text": "x", "extra": 1}).status_code == 422
    bad = client.post("/api/query", content=b"{not json", headers={"content-type":
                                                                   "application/json"})
    assert bad.status_code == 400 and bad.json() == {"error": "the request body is not valid JSON"}


def test_adding_needs_the_token(demo_folder: Path, demo_store: ResultsStore) -> None:
    body = {"articles": [{"id": "new-1", "text": "A new story about nothing in particular."}]}
    with TestClient(create_app(demo_store)) as c:  # no token: adding disabled
        r = c.post("/api/articles", json=body, headers={"Authorization": "Bearer anything"})
        assert r.status_code == 403 and "--token" in r.json()["error"]
    with TestClient(create_app(demo_store, token=TOKEN)) as c:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            r = c.post("/api/articles", json=body, headers=headers)
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        # an unauthorized request is refused before its body is even looked at
        assert c.post("/api/articles", content=b"{").status_code == 401
        r = c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 403 and r.json() == {"error": "this source is a scan results "
                                                     "folder; serve an index to add"}
    store = WritableStore(demo_folder)
    with TestClient(create_app(store, token=TOKEN)) as c:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        r = c.post("/api/articles", json=body, headers=auth)
        assert r.status_code == 200 and r.json()["added"] == 1 and store.added == ["new-1"]
        assert c.get("/api/articles/new-1").json()["article"]["text"] == body["articles"][0]["text"]
        twice = {"articles": body["articles"] * 2}
        assert c.post("/api/articles", json=twice, headers=auth).status_code == 400
        assert c.post("/api/articles", json={"articles": []}, headers=auth).status_code == 422


def test_stats(client: TestClient, demo_store: ResultsStore) -> None:
    assert client.get("/api/stats").json() == demo_store.stats()
