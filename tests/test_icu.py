"""segmenter="icu": dense text cut into ICU's words, everything else tokenized as before.

Needs PyICU (the ``icu`` extra, installed by the ``test`` extra); without it these tests are
skipped with a message, but on CI (``CI=true``), where ``pip install -e .[test]`` installs it,
its absence is a failure.  The tests of what happens without ICU run everywhere.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

import copydesk
from copydesk import MissingDependency, PrepareConfig, ScanConfig
from copydesk.cli import main
from copydesk.errors import ConfigError
from copydesk.prepare_batch import _codepoints, prepare_batch
from copydesk.textnorm import (
    TOKENIZER_NAME_ICU,
    is_dense,
    is_mark,
    tokenize,
    tokenize_docs,
    tokenize_reference,
)
from multilingual import ARTICLES, STORIES
from test_textnorm import FIELDS, _assert_same, script_texts, texts

try:
    import icu
except ImportError:
    icu = None

_REASON = "PyICU is not installed (pip install 'copydesk[icu]'; the test extra installs it)"
if icu is None and os.environ.get("CI", "").strip().lower() == "true":
    pytest.fail(f"{_REASON}; CI=true requires it", pytrace=False)
needs_icu = pytest.mark.skipif(icu is None, reason=_REASON)

ICU = ScanConfig(prepare=PrepareConfig(segmenter="icu"))
DENSE_LANGS = ("zh", "ja", "th")


def _icu_words(text: str) -> list[str]:
    """ICU's words of ``text``, cut independently of copydesk: in UTF-16, as ICU counts."""
    bi = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    bi.setText(text)
    data = text.encode("utf-16-le", "surrogatepass")
    at = [0, *bi]
    return [data[2 * a:2 * b].decode("utf-16-le", "surrogatepass") for a, b in zip(at, at[1:], strict=False)]


def _breaks(text: str) -> set[int]:
    from copydesk.segment import word_breaks

    return set(word_breaks(text).tolist())


# --- without ICU -----------------------------------------------------------------------


def test_unknown_segmenter_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="segmenter must be one of chars, icu"):
        PrepareConfig(segmenter="jieba")


def test_missing_icu_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "icu", None)  # import icu -> ImportError
    for call in (lambda: tokenize("plain English", "icu"),
                 lambda: copydesk.scan(ARTICLES[:3], config=ICU),
                 lambda: copydesk.compare(ARTICLES[0], ARTICLES[1], ICU)):
        with pytest.raises(MissingDependency, match=re.escape("pip install 'copydesk[icu]'")):
            call()
    # the default needs nothing
    assert len(tokenize("新华社北京电")) == 6
    # the command line: one line, exit 2, before the scan starts
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": a.id, "text": a.text}, ensure_ascii=False) + "\n"
                              for a in ARTICLES[:3]), encoding="utf-8")
    monkeypatch.setattr("copydesk.api.scan_batches", lambda *a, **k: pytest.fail("the scan started"))
    assert main(["scan", str(corpus), "--out", str(tmp_path / "out"), "--quiet",
                 "--segmenter", "icu"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'copydesk[icu]'" in err[0], err
    assert not (tmp_path / "out").exists()


# --- tokens ----------------------------------------------------------------------------


@needs_icu
@pytest.mark.parametrize("lang", DENSE_LANGS)
def test_dense_tokens_are_icu_words_at_exact_offsets(lang: str) -> None:
    story = next(s for s in STORIES if s.lang == lang)
    for text in (story.original().text, story.reprint().text):
        toks = tokenize(text, "icu")
        spans, at = {}, 0  # ICU's words by the offset of each of their characters
        for w in _icu_words(text):
            for i in range(at, at + len(w)):
                spans[i] = (at, at + len(w))
            at += len(w)
        assert at == len(text)
        got = []
        for s, e in zip(toks.start.tolist(), toks.end.tolist(), strict=True):
            if not is_dense(text[s]):
                continue
            ws, we = spans[s]
            if all(is_dense(c) or is_mark(c) for c in text[ws:we]):
                assert (s, e) == (ws, we), (text[s:e], text[ws:we])
            else:  # ICU's "ก.ค" (an abbreviation): tokens never span punctuation
                assert ws <= s < e <= we and not any(map(is_dense, text[e:we].split(".")[0]))
            got.append(text[s:e])
        assert sum(len(w) > 1 for w in got) > len(got) / 4, "words, not characters"
        assert len(toks) < len(tokenize(text))


@needs_icu
def test_offsets_beyond_the_bmp() -> None:
    """ICU counts UTF-16 units: an emoji (two units) before or inside dense text moves its
    words by one Python offset, not two."""
    base = "新华社广州7月3日电 受持续强降雨影响"
    plain = tokenize(base, "icu")
    words = [base[s:e] for s, e in zip(plain.start.tolist(), plain.end.tolist(), strict=True)]
    assert "新华社" in words and "降雨" in words
    for prefix in ("😀", "👍🏽 ", "\U00020000\U0001F600x ", "a😀b😀c\n"):
        text = prefix + base
        toks = tokenize(text, "icu")
        got = toks.start[-len(plain):]
        np.testing.assert_array_equal(got, plain.start + len(prefix))
        np.testing.assert_array_equal(toks.end[-len(plain):], plain.end + len(prefix))
        np.testing.assert_array_equal(toks.hash[-len(plain):], plain.hash)
        assert [text[s:e] for s, e in zip(got.tolist(), toks.end[-len(plain):].tolist(), strict=True)] == words
    text = "北京😀上海的天气😀😀广州"
    toks = tokenize(text, "icu")
    got = [text[s:e] for s, e in zip(toks.start.tolist(), toks.end.tolist(), strict=True)]
    assert "".join(got) == text.replace("😀", "")
    assert all(w and "😀" not in w for w in got)
    _assert_same(toks, tokenize_reference(text, _breaks(text)))
    assert sorted(_breaks("😀新华社")) == [1, 4]  # code points, not UTF-16 units (2, 5)
    assert int(toks.weight.sum()) == len(text)   # the emoji are counted, in a token's weight


@needs_icu
@settings(max_examples=200, deadline=None)
@given(script_texts)
def test_icu_tokens_match_the_reference(text: str) -> None:
    toks = tokenize(text, "icu")
    _assert_same(toks, tokenize_reference(text, _breaks(text)))
    for s, e in zip(toks.start.tolist(), toks.end.tolist(), strict=True):
        assert text[s:e] and not any(c.isspace() for c in text[s:e])


@needs_icu
@settings(max_examples=100, deadline=None)
@given(texts)
def test_text_of_spaced_scripts_tokenizes_alike(text: str) -> None:
    if any(map(is_dense, text)):
        return
    _assert_same(tokenize(text, "icu"), tokenize(text))


@needs_icu
def test_batches_match_the_reference_document_by_document() -> None:
    docs = ["", "Plain English, “quoted” — and 😀.", STORIES[0].original().text, "新华社😀北京\n电",
            "กรุงเทพฯ 3 ก.ค. ฝนตกหนัก\n\nEnglish again", "a", "北", "東京都のテキスト。コーヒー"]
    cps, doc_cp, joined = _codepoints(docs)
    out = tokenize_docs(cps, doc_cp, "icu", joined)
    chars = tokenize_docs(cps, doc_cp)
    want = [tokenize_reference(d, _breaks(d)) for d in docs]
    assert out[6].tolist() == np.cumsum([0] + [len(t) for t in want]).tolist()
    for f, name in enumerate(FIELDS):
        np.testing.assert_array_equal(out[f], np.concatenate([getattr(t, name) for t in want]),
                                      err_msg=name)
    # per line: the token counts follow the words; the rest is as with "chars"
    assert out[12].sum() == len(out[0])
    for f in range(7, 12):
        np.testing.assert_array_equal(out[f], chars[f])


@needs_icu
def test_english_batches_are_identical() -> None:
    arts = [copydesk.Article(f"e{i}", t, title="Heavy rain") for i, t in enumerate(
        ["Heavy rain\nLONDON (Reuters) - It rained “all day” — 2017.", "Caf\u00e9 au lait",
         "Emoji 😀 and ½ and ﬁnal", ""])]
    for a, b in zip(_batch_arrays(prepare_batch(arts)),
                    _batch_arrays(prepare_batch(arts, ICU.prepare)), strict=True):
        np.testing.assert_array_equal(a, b)
    for text in ("Latin-1 only: café", "curly “quotes” — dash", "Русский текст, ελληνικά, عربي"):
        cps, doc_cp, joined = _codepoints([text])
        for x, y in zip(tokenize_docs(cps, doc_cp), tokenize_docs(cps, doc_cp, "icu", joined),
                        strict=True):
            assert x is y or np.array_equal(x, y)


def _batch_arrays(batch: object) -> list[np.ndarray]:
    return [getattr(batch, n) for n in ("start", "end", "hash", "weight", "line", "digit",
                                         "boiler", "tok_first", "line_base", "line_first",
                                         "title_key")]


# --- scans -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[copydesk.ScanResult, Path]:
    if icu is None:
        pytest.skip(_REASON)
    out = tmp_path_factory.mktemp("icu") / "out"
    return copydesk.scan(ARTICLES, out=out, config=ICU), out


@needs_icu
@pytest.mark.parametrize("lang", [s.lang for s in STORIES])
def test_scan_with_icu_finds_each_reprint_and_nothing_else(
        scanned: tuple[copydesk.ScanResult, Path], lang: str) -> None:
    result, _ = scanned
    mine = [p for p in result.pairs if p.a.startswith(lang + "-") or p.b.startswith(lang + "-")]
    assert [(p.a, p.b) for p in mine] == [(f"{lang}-original", f"{lang}-reprint")]
    assert mine[0].relation in ("contained", "near_duplicate")
    assert mine[0].origin == f"{lang}-original"
    assert mine[0].coverage_b > 0.75


@needs_icu
def test_scan_with_icu_records_the_segmenter(scanned: tuple[copydesk.ScanResult, Path]) -> None:
    result, out = scanned
    assert len(result.pairs) == len(STORIES)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["config"]["prepare"]["segmenter"] == "icu"
    tok = run["tokenizer"]
    assert tok["name"] == TOKENIZER_NAME_ICU and tok["segmenter"] == "icu"
    assert tok["icu_version"] == icu.ICU_VERSION and tok["pyicu_version"] == icu.VERSION


@needs_icu
@pytest.mark.parametrize("lang", DENSE_LANGS)
def test_compare_with_icu(lang: str) -> None:
    story = next(s for s in STORIES if s.lang == lang)
    pair = copydesk.compare(story.reprint(), story.original(), ICU)
    assert pair.relation in ("contained", "near_duplicate")
    for x in (story.original(), story.reprint()):
        assert copydesk.compare(x, story.other(), ICU).relation == "unrelated"
    for p in pair.passages:  # passages start and end on whole words
        text = story.reprint().text
        assert text[p.b_start].isalnum() and not text[p.b_end - 1].isspace()


@needs_icu
def test_cli_segmenter_option(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    arts = [a for a in ARTICLES if a.id.split("-")[0] in ("zh", "th")]
    corpus.write_text("".join(json.dumps({"id": a.id, "text": a.text, "date": a.date},
                                         ensure_ascii=False) + "\n" for a in arts), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["scan", str(corpus), "--out", str(out), "--quiet", "--workers", "1",
                 "--segmenter", "icu"]) == 0
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["tokenizer"]["segmenter"] == "icu"
    pairs = [json.loads(x) for x in (out / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted((p["a"], p["b"]) for p in pairs) == [("th-original", "th-reprint"),
                                                       ("zh-original", "zh-reprint")]
