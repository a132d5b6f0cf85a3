"""End to end: a small crawl and a folder of saved news pages, built here, give the same pairs
through ``copydesk scan`` as the equivalent JSON Lines."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from webpages import news_page, request, response, warcinfo, write_warc

from copydesk.cli import main
from textgen import STORY, paragraph

PRINT = [p.replace("Raqqa", "Raqa").replace("on Tuesday", "yesterday") for p in STORY[:4]]
PRINT.insert(2, "\"This is a decisive moment for the battle,\" a coalition spokesman told the paper.")
OTHER = [paragraph(random.Random(7), 40) for _ in range(4)]

#: id, URL, site, title, date, paragraphs
STORIES = [
    ("web", "https://www.afp.example/world/raqqa-wall", "AFP", "Forces breach Raqqa old city wall",
     "2017-07-04T10:15:00+02:00", STORY),
    ("reprint", "https://herald.example/news/raqqa", "The Herald", "Raqqa wall breached by US-backed forces",
     "2017-07-04T18:30:00+02:00", STORY),
    ("print", "https://print.example/2017/07/05/raqa", "The Print Edition", "Raqa: fighters breach the wall",
     "2017-07-05", PRINT),
    ("other", "https://weather.example/today", "Weather Desk", "Forecast for the week",
     "2017-07-03", OTHER),
]


def _scan(args: list[str], out: Path) -> list[dict]:
    assert main(["scan", *args, "--out", str(out), "--quiet"]) == 0
    return [json.loads(x) for x in (out / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]


def _texts(out: Path, corpus: dict[str, str], name: dict[str, str] | None = None) -> set[tuple]:
    """Each pair (ids renamed by ``name``) with its reused passages as text: offsets differ, as
    a page's text starts with its headline."""
    name = name or {i: i for i in corpus}
    found = set()
    for line in (out / "pairs.jsonl").read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        a, b = p["a"], p["b"]
        passages = tuple((corpus[a][q["a_start"]:q["a_end"]], corpus[b][q["b_start"]:q["b_end"]])
                         for q in p["passages"])
        if name[a] > name[b]:
            a, b, passages = b, a, tuple((y, x) for x, y in passages)
        found.add((name[a], name[b], p["relation"], name.get(p["origin"]), passages))
    return found


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("web")
    pages = {sid: news_page(title, paras, site=site, canonical=url, published=date).encode()
             for sid, url, site, title, date, paras in STORIES}
    folder = root / "pages"
    folder.mkdir()
    for sid, data in pages.items():
        (folder / f"{sid}.html").write_bytes(data)
    records = [warcinfo()]
    for sid, url, *_ in STORIES:
        records += [request(url), response(url, pages[sid])]
    write_warc(root / "crawl.warc.gz", records)
    with (root / "corpus.jsonl").open("w", encoding="utf-8") as f:
        for sid, url, site, title, date, paras in STORIES:
            f.write(json.dumps({"id": sid, "text": "\n".join(paras), "title": title, "date": date,
                                "source": site, "url": url}) + "\n")
    return {"folder": folder, "warc": root / "crawl.warc.gz", "jsonl": root / "corpus.jsonl", "root": root}


def test_crawl_and_pages_give_the_pairs_of_json_lines(inputs: dict[str, Path]) -> None:
    root = inputs["root"]
    want = _scan([str(inputs["jsonl"])], root / "out-jsonl")
    assert {(p["a"], p["b"], p["relation"], p["origin"]) for p in want} == {
        ("reprint", "web", "duplicate", "web"), ("print", "web", "contained", "web"),
        ("print", "reprint", "contained", "reprint")}
    jsonl_texts = {json.loads(x)["id"]: json.loads(x)["text"]
                   for x in inputs["jsonl"].read_text(encoding="utf-8").splitlines()}
    expected = _texts(root / "out-jsonl", jsonl_texts)
    assert all(passages for *_, passages in expected)

    _scan([str(inputs["folder"]), "--workers", "2"], root / "out-folder")
    page_texts = {sid: f"{title}\n" + "\n".join(paras) for sid, _, _, title, _, paras in STORIES}
    assert _texts(root / "out-folder", page_texts) == expected

    _scan([str(inputs["warc"]), "--workers", "2"], root / "out-warc")
    by_url = {url: sid for sid, url, *_ in STORIES}
    assert _texts(root / "out-warc", {url: page_texts[sid] for url, sid in by_url.items()},
                  by_url) == expected
    run = json.loads((root / "out-warc" / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["articles"] == 4 and run["counts"]["rejected"] == 0
    assert run["counts"]["skipped_by_reason"] == {"WARC request record": 4, "WARC warcinfo record": 1}
