"""The HTML pages: the report's pair and family views, an article's links, search by
pasting or uploading, and browsing one page of families at a time."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from fastapi.testclient import TestClient
from servicepages import Page

from copydesk.records import Family
from copydesk.service import ResultsStore, create_app

HTML = {"accept": "text/html"}


def test_pair_page_aligns_the_stored_passages(client: TestClient,
                                              demo_store: ResultsStore) -> None:
    pair = max((p for f in demo_store.families(limit=100)[0] for m in f.members
                for p in demo_store.pairs_of(m)), key=lambda p: len(p.passages))
    r = client.get("/pairs", params={"a": pair.b, "b": pair.a})  # either order
    page = Page(r.text)
    assert len(page.passages) == 2 * len(pair.passages)
    for x in page.passages:
        side = getattr(pair, x["side"])
        assert x["text"] == demo_store.article(side).text[x["start"]:x["end"]]
    links = page.links()
    assert "#passage-2" in links  # next/previous passage anchors
    fam = demo_store.family_of(pair.a)
    assert f"/families/{quote(fam.family, safe='')}" in links
    assert f"/articles/{quote(pair.a, safe='')}" in links  # each side links to its article
    assert "origin_reason" in page.shown and pair.relation in page.shown


def test_family_page_is_a_timeline(client: TestClient, demo_store: ResultsStore) -> None:
    fam = demo_store.families(limit=1)[0][0]
    page = Page(client.get(f"/families/{quote(fam.family, safe='')}").text)
    assert "Timeline" in page.shown and "of its text shared" in page.shown
    compares = [h for h in page.links() if h.startswith("/pairs?")]
    assert compares
    for href in compares:
        q = parse_qs(urlsplit(href).query)
        assert demo_store.pair(q["a"][0], q["b"][0]) is not None
        assert client.get(href).status_code == 200
    members = [h for h in page.links() if h.startswith("/articles/")]
    assert {client.get(h).status_code for h in members} == {200}
    items = [a.get("class") for t, a in page.tags if t == "li"]
    assert items[0] == "origin"  # the origin first


def test_article_page_sorts_sources_and_copies(client: TestClient,
                                               demo_store: ResultsStore) -> None:
    fam = demo_store.families(limit=1)[0][0]
    origin = client.get(f"/articles/{quote(fam.origin, safe='')}").text
    page = Page(origin)
    assert "Taken by others (this article is the origin)" in page.shown
    copies = {p.a if p.b == fam.origin else p.b for p in demo_store.pairs_of(fam.origin)
              if p.origin == fam.origin}
    for other in copies:
        assert f"/articles/{quote(other, safe='')}" in page.links()
    assert demo_store.article(fam.origin).text.strip()[:40] in page.shown
    copy = next(iter(copies))
    assert "Taken from" in Page(client.get(f"/articles/{quote(copy, safe='')}").text).shown


def test_search_by_paste_and_by_upload(client: TestClient, demo_store: ResultsStore) -> None:
    fam = demo_store.families(limit=1)[0][0]
    text = demo_store.article(fam.origin).text
    home = Page(client.get("/").text)
    assert ("form", {"class": "query", "method": "post", "action": "/search",
                     "enctype": "multipart/form-data"}) in home.tags
    posted = client.post("/search", data={"text": text, "title": "mine"},
                         follow_redirects=False)
    assert posted.status_code == 303
    hits = Page(client.get(posted.headers["location"]).text)
    assert f"/articles/{quote(fam.origin, safe='')}" in hits.links()
    compares = [h for h in hits.links() if "/compare?" in h]
    assert compares
    side = Page(client.get(compares[0]).text)
    assert side.passages and all(x["text"] for x in side.passages)
    uploaded = client.post("/search", files={"file": ("story.txt", text.encode("utf-8"),
                                                      "text/plain")})
    assert uploaded.status_code == 200 and f"/articles/{quote(fam.origin, safe='')}" in \
        Page(uploaded.text).links()
    empty = client.post("/search", data={"text": "   "}, headers=HTML)
    assert empty.status_code == 400 and "paste a text" in empty.text
    assert client.get("/search/expired0000", headers=HTML).status_code == 404


class Counting(ResultsStore):
    """Records what browse asks the store for."""

    calls: list[dict[str, Any]]

    def families(self, **kw: Any) -> tuple[list[Family], int]:
        self.calls.append(kw)
        return super().families(**kw)


def test_browse_asks_for_one_page_and_pages(demo_folder: Any, demo_store: ResultsStore) -> None:
    store = Counting(demo_folder)
    store.calls = []
    total = demo_store.stats()["families"]
    with TestClient(create_app(store)) as c:
        r = c.get("/families", params={"limit": 1, "offset": 1})
        assert store.calls == [{"offset": 1, "limit": 1, "outlet": None, "date_from": None,
                                "date_to": None, "relation": None, "min_size": 2}]
        page = Page(r.text)
        assert f"Families 2–2 of {total}" in page.shown
        assert "/families?limit=1" in page.links()  # previous: offset 0
        assert any("offset=2" in h for h in page.links()) == (total > 2)
        outlet = demo_store.outlets()[0]
        c.get("/families", params={"outlet": outlet, "relation": "contained",
                                   "date_from": "2000-01-01"})
        assert store.calls[-1]["outlet"] == outlet and store.calls[-1]["relation"] == "contained"
        selects = [a for t, a in Page(c.get("/families", params={"outlet": outlet}).text).tags
                   if t == "option" and "selected" in a]
        assert {"value": outlet, "selected": None} in selects
        assert c.get("/families", params={"relation": "bogus"}, headers=HTML).status_code == 400


def test_unknown_pages_are_404(client: TestClient) -> None:
    for path in ("/articles/nope", "/families/nope", "/pairs?a=x&b=y", "/nowhere"):
        r = client.get(path, headers=HTML)
        assert r.status_code == 404 and "<h1>404" in r.text
        assert client.get(path).json()["error"]
