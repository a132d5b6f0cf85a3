"""Field maps: exports that name their fields differently read exactly like the standard names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import copydesk
from copydesk.config import ScanConfig
from copydesk.errors import ConfigError, InputError
from copydesk.read import FieldMap, RejectLog, read_corpus
from textgen import STORY

MAP = FieldMap(id="doc_id", text="body", title="headline", date="published", source="outlet")
RENAME = {"id": "doc_id", "text": "body", "title": "headline", "date": "published", "source": "outlet"}


def corpus() -> list[dict[str, object]]:
    return [
        {"id": "web", "text": "\n".join(STORY), "title": "Raqqa", "date": "2017-07-04", "source": "AFP"},
        {"id": "print", "text": "\n".join(STORY[:4]), "date": "2017-07-05", "url": "http://p.example"},
        {"id": "other", "text": "A different story about the weather, with nothing reused at all."},
        {"id": "web", "text": "a repeated id"},
        {"id": 7, "text": ""},
        {"text": "no id"},
    ]


def write(path: Path, records: list[dict[str, object]], rename: dict[str, str] | None = None) -> Path:
    rename = rename or {}
    path.write_text("".join(json.dumps({rename.get(k, k): v for k, v in r.items()}) + "\n"
                            for r in records), encoding="utf-8")
    return path


def test_a_field_cannot_fill_two_article_fields() -> None:
    with pytest.raises(ConfigError, match="'body' is mapped to two"):
        FieldMap(text="body", title="body")
    with pytest.raises(ConfigError, match="non-empty"):
        FieldMap(id=" ")
    assert FieldMap().identity and not MAP.identity


def test_mapped_json_lines_read_like_standard_ones(tmp_path: Path) -> None:
    plain = write(tmp_path / "std.jsonl", corpus())
    mapped = write(tmp_path / "alt.jsonl", corpus(), RENAME)
    want_log, got_log = RejectLog(), RejectLog()
    want = list(read_corpus([plain], rejects=want_log))
    got = list(read_corpus([mapped], rejects=got_log, fields=MAP))
    assert got == want and [a.extra for a in got] == [a.extra for a in want]
    assert [(r.where.replace("alt.jsonl", "std.jsonl"), r.reason.replace("alt.jsonl", "std.jsonl"), r.id)
            for r in got_log] == [(r.where, r.reason, r.id) for r in want_log]
    assert len(want) == 3 and want_log.count == 3


def test_displaced_standard_field_is_kept_in_extra(tmp_path: Path) -> None:
    path = write(tmp_path / "c.jsonl", [{"id": 1, "doc_id": "a", "text": "x", "body": "y"}])
    (art,) = read_corpus([path], rejects=RejectLog(), fields=FieldMap(id="doc_id", text="body"))
    assert (art.id, art.text, art.extra) == ("a", "y", {"id": 1, "text": "x"})


def test_mapped_csv(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("doc_id,body,headline\na,some text,A title\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs columns id and text"):
        read_corpus([path], rejects=RejectLog())
    (art,) = read_corpus([path], rejects=RejectLog(), fields=MAP)
    assert (art.id, art.text, art.title) == ("a", "some text", "A title")


@pytest.mark.parametrize("workers", [1, 2])
def test_mapped_scan_gives_the_same_results(tmp_path: Path, workers: int) -> None:
    """A mapped file takes the general path (no raw blocks); the outcome is the same."""
    plain = write(tmp_path / "std.jsonl", corpus())
    mapped = write(tmp_path / "alt.jsonl", corpus(), RENAME)
    cfg = ScanConfig(workers=workers)
    want = copydesk.scan([plain], config=cfg)
    got = copydesk.scan([mapped], config=cfg, fields=MAP)
    assert [p.to_dict() for p in got.pairs] == [p.to_dict() for p in want.pairs]
    assert [(p.a, p.b, p.relation, p.origin) for p in want.pairs] == [("print", "web", "contained", "web")]
    assert [f.to_dict() for f in got.families] == [f.to_dict() for f in want.families]
    assert [(r.where.replace("alt.jsonl", "std.jsonl"), r.reason.replace("alt.jsonl", "std.jsonl"))
            for r in got.rejects] == [(r.where, r.reason) for r in want.rejects]
