"""store.examples: a refresh reads back only the furniture example lines it has not kept,
and what it keeps is what the audit records show."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from copydesk import Index
from copydesk.read import RejectLog, read_corpus
from copydesk.store import reader


def _kept(index: Path) -> set[tuple[int, int]]:
    db = sqlite3.connect(index)
    try:
        return {(n, ln) for n, ln in db.execute("SELECT n, line FROM example_lines")}
    finally:
        db.close()


def test_second_add_reads_only_new_example_lines(shared_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    arts = list(read_corpus([shared_dir / "data" / "dev-web" / "corpus.jsonl"], rejects=RejectLog()))
    ix = Index(tmp_path / "index.db", workers=2)
    ix.add(arts[: 2 * len(arts) // 3])
    before = _kept(tmp_path / "index.db")
    ix.export(tmp_path / "one")
    records = [json.loads(x) for x in (tmp_path / "one" / "boilerplate.jsonl").read_text().splitlines()]
    assert records and len(before) == len({(r["example"], r["text"]) for r in records}) > 0

    read_back: list[tuple[str, int]] = []
    line_of = reader.example_line

    def counting(art, ln):  # type: ignore[no-untyped-def]
        read_back.append((art.id, ln))
        return line_of(art, ln)

    monkeypatch.setattr(reader, "example_line", counting)
    ix.add(arts[2 * len(arts) // 3:])
    after = _kept(tmp_path / "index.db")
    ix.export(tmp_path / "two")
    records = [json.loads(x) for x in (tmp_path / "two" / "boilerplate.jsonl").read_text().splitlines()]
    assert len(after) == len({(r["example"], r["text"]) for r in records})
    fresh = after - before
    assert fresh and len(after & before) > 0  # both kinds happened
    # only the lines not kept were read back, each once
    assert len(read_back) == len(set(read_back)) == len(fresh)
    assert len(read_back) < len(records)
