"""Plain-text inputs: a directory of .txt files and single .txt files."""

from __future__ import annotations

from pathlib import Path

import pytest

from copydesk.read import RejectLog, read_corpus
from copydesk.records import Article, Reject


def read(*paths: str | Path) -> tuple[list[Article], list[Reject]]:
    log = RejectLog()
    articles = list(read_corpus(paths, rejects=log))
    return articles, list(log)


def put(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def test_directory_recursive_sorted_ids(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    put(root / "b.txt", "Bee")
    put(root / "2024" / "05" / "afp-1.txt", "Deep")
    put(root / "a.txt", "Ay")
    put(root / "2024" / "z.TXT", "Upper-case suffix")
    notes = put(root / "notes.md", "not a .txt file: listed as skipped")
    (root / "dir.txt").mkdir()  # a directory named like a file is not an article
    articles, rejects = read(root)
    assert [(r.where, r.reason.partition(" (")[0]) for r in rejects] == [
        (str(notes), "skipped: unknown file type")]
    assert "(.md)" in rejects[0].reason
    assert [a.id for a in articles] == ["2024/05/afp-1", "2024/z", "a", "b"]
    assert [a.text for a in articles] == ["Deep", "Upper-case suffix", "Ay", "Bee"]
    assert all(a.title is None and a.extra == {} for a in articles)


def test_text_is_exact_file_content(tmp_path: Path) -> None:
    content = "Headline\r\n\r\nBody\u00a0text — “quoted”.\n  \n"
    put(tmp_path / "d" / "x.txt", content)
    (article,), _ = read(tmp_path / "d")
    assert article.text == content  # no newline translation: offsets stay true


def test_bom_is_dropped(tmp_path: Path) -> None:
    put(tmp_path / "d" / "x.txt", b"\xef\xbb\xbfHello")
    (article,), _ = read(tmp_path / "d")
    assert article.text == "Hello"


def test_not_utf8_file_rejected_others_read(tmp_path: Path) -> None:
    root = tmp_path / "d"
    put(root / "a.txt", "fine")
    bad = put(root / "b.txt", b"caf\xe9 au lait")
    put(root / "c.txt", "also fine")
    articles, rejects = read(root)
    assert [a.id for a in articles] == ["a", "c"]
    (reject,) = rejects
    assert reject.where == str(bad)
    assert reject.reason == "not valid UTF-8: byte 0xe9 at offset 3"
    assert reject.id == "b"
    assert reject.raw == "caf\ufffd au lait"


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n"])
def test_empty_file_rejected(tmp_path: Path, content: bytes) -> None:
    path = put(tmp_path / "d" / "blank.txt", content)
    articles, rejects = read(tmp_path / "d")
    assert articles == []
    reason = "empty file" if content == b"" else "empty text"
    assert [(r.where, r.reason, r.id) for r in rejects] == [(str(path), reason, "blank")]


def test_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    assert read(tmp_path / "d") == ([], [])


def test_single_txt_file_id_is_stem(tmp_path: Path) -> None:
    path = put(tmp_path / "web-version.txt", "Story")
    (article,), rejects = read(path)
    assert (article.id, article.text) == ("web-version", "Story")
    assert rejects == []


def test_single_txt_file_not_utf8(tmp_path: Path) -> None:
    path = put(tmp_path / "print.txt", b"\x80\x81")
    articles, rejects = read(path)
    assert articles == []
    assert [(r.where, r.id) for r in rejects] == [(str(path), "print")]
    assert rejects[0].reason.startswith("not valid UTF-8")


def test_duplicate_id_between_directory_and_file(tmp_path: Path) -> None:
    put(tmp_path / "d" / "story.txt", "first")
    later = put(tmp_path / "other" / "story.txt", "second")
    articles, rejects = read(tmp_path / "d", later)
    assert [(a.id, a.text) for a in articles] == [("story", "first")]
    assert [(r.where, r.reason, r.id, r.raw) for r in rejects] == [
        (str(later), f"duplicate id: first seen at {tmp_path / 'd' / 'story.txt'}", "story", "second")]


def test_unreadable_file_in_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put(tmp_path / "d" / "a.txt", "fine")
    locked = put(tmp_path / "d" / "b.txt", "secret")
    put(tmp_path / "d" / "c.txt", "also fine")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == locked:  # chmod is no test when running as root
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    articles, rejects = read(tmp_path / "d")
    assert [a.id for a in articles] == ["a", "c"]
    assert [(r.where, r.reason, r.id) for r in rejects] == [
        (str(locked), "unreadable file: Permission denied", "b")]
