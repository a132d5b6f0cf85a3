"""textnorm: the numba tokenizer against its plain-Python specification, and folding rules."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.textnorm import (
    OCR_SKELETON,
    Tokens,
    fold_char,
    is_dense,
    is_mark,
    segments,
    tokenize,
    tokenize_reference,
)

FIELDS = ("start", "end", "hash", "weight", "line", "digit")

#: pieces that exercise every folding rule: plain ASCII, precomposed and NFKD-decomposed
#: accents, ligatures, curly quotes, NBSP, soft hyphen, zero-width space, emoji (beyond the
#: BMP), newlines, punctuation-only chunks, digits and OCR-confusable glyphs
PIECES = [
    "the", "Minister", "said", "RAQQA", "Raqa", "café", "cafe\u0301", "Gronkjær", "gronkjaer",
    "\ufb01nal", "\ufb02ag", "“quoted”", "‘single’", "don’t", "\u00a0", "wo\u00adrd",
    "zero\u200bwidth", "\u200b", "😀", "👍🏽", "\n", "\n\n", " ", "\t", "—", "–", "...", "(",
    ")", "!?", "«»", "2017-07-04", "13:18", "1,000", "42", "rnodern", "modern", "l1I",
    "Ⅻ", "½", "Ǆ", "ß", "İ", "ﬀ", "\r\n", "\u2028", "\u3000", "-", "•",
]
#: text of the scripts written without spaces, and of scripts with folds of their own: Chinese
#: with CJK punctuation and Latin inside, Japanese with kana, long marks, half-width katakana
#: and voicing marks (precomposed and combining), Thai and Lao with vowel and tone marks,
#: Khmer, Myanmar, Arabic with harakat, tatweel, alef variants and Arabic-Indic digits,
#: Persian, Hebrew points, Turkish, Greek, Cyrillic, Korean (which uses spaces)
SCRIPT_PIECES = [
    "新华社北京7月4日电", "国家统计局", "，", "。", "「北京」", "GDP增长5.5%。", "2017年", "中華民國",
    "東京都", "のテキスト", "コーヒー", "ｶﾀｶﾅ", "が", "か\u3099", "々", "〇", "㍿", "（株）",
    "ภาษาไทย", "ที่", "ไม่มี", "๒๕๖๐", "ພາສາລາວ", "ភាសាខ្មែរ", "မြန်မာ", "ـ", "أهلاً",
    "إسلام", "آمن", "ٱلله", "مدرسة", "مدرسه", "على", "علي", "٢٠١٧", "ﻻ", "کتاب", "ی",
    "שָׁלוֹם", "İstanbul", "ISTANBUL", "ılık", "Ωμέγα", "ΣΟΦΟΣ", "ёлка", "Ёлка", "서울에서",
    "\u200c", "\u200d", "\ufe0f", "\u0301", "\U00020000",
]

texts = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from([" ", "\n"]),
                           st.text(st.characters(codec="utf-8"), max_size=6)),
                 max_size=40).map("".join)

#: mixed-script text: the pieces above run together without spaces, or with them
script_texts = st.lists(st.one_of(st.sampled_from(SCRIPT_PIECES), st.sampled_from(PIECES),
                                  st.sampled_from([" ", "\n", ""]),
                                  st.text(st.characters(min_codepoint=0x0600, max_codepoint=0x0FFF),
                                          max_size=4),
                                  st.text(st.characters(min_codepoint=0x3000, max_codepoint=0x9FFF),
                                          max_size=4)),
                        max_size=40).map("".join)

def _assert_same(a: Tokens, b: Tokens) -> None:
    for name in FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y, err_msg=name)


def _key(word: str) -> int:
    t = tokenize(word)
    assert len(t) == 1, word
    return int(t.hash[0])


@settings(max_examples=300, deadline=None)
@given(texts)
def test_tokenize_matches_reference(text: str) -> None:
    _assert_same(tokenize(text), tokenize_reference(text))


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=80))
def test_tokenize_matches_reference_on_any_text(text: str) -> None:
    _assert_same(tokenize(text), tokenize_reference(text))


@settings(max_examples=300, deadline=None)
@given(script_texts)
def test_tokenize_matches_reference_on_all_scripts(text: str) -> None:
    _assert_same(tokenize(text), tokenize_reference(text))


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, script_texts))
def test_token_invariants(text: str) -> None:
    t = tokenize(text)
    non_space = sum(not c.isspace() for c in text)
    if len(t):
        # every non-space character is accounted for by exactly one token
        assert int(t.weight.sum()) == non_space
    assert np.all(t.start < t.end)
    assert np.all(t.end[:-1] <= t.start[1:])
    assert np.all(np.diff(t.line) >= 0)
    for s, e, ln in zip(t.start.tolist(), t.end.tolist(), t.line.tolist(), strict=True):
        chunk = text[s:e]
        assert chunk and not any(c.isspace() for c in chunk)
        dense = [is_dense(c) for c in chunk]
        if any(dense):
            # a dense letter is a token of its own (with its marks and trailing punctuation
            # folding to nothing)
            assert sum(dense) == 1 and dense[0], chunk
            assert len(fold_char(chunk[0])) == len("".join(map(fold_char, chunk))), chunk
        else:
            # a token of other letters is a maximal non-space run, or ends at a dense letter
            assert s == 0 or text[s - 1].isspace() or not fold_char(text[s - 1]) or is_dense(text[s - 1])
            assert e == len(text) or text[e].isspace() or is_dense(text[e])
        assert text[:s].count("\n") == ln


@settings(max_examples=200, deadline=None)
@given(script_texts)
def test_segments_tile_each_chunk(text: str) -> None:
    for m in re.finditer(r"\S+", text):
        segs = segments(text, m.start(), m.end())
        assert segs[0][0] == m.start() and segs[-1][1] == m.end()
        assert all(a < b for a, b in segs)
        assert all(x[1] == y[0] for x, y in zip(segs, segs[1:], strict=False))
        if not any(map(is_dense, m.group())):
            assert segs == [(m.start(), m.end())]


def test_empty_and_blank_text() -> None:
    for text in ("", "   \n\t", "— ... !!", "😀"):
        t = tokenize(text)
        assert len(t) == 0
        _assert_same(t, tokenize_reference(text))


def test_punctuation_adds_to_neighbouring_token_weight() -> None:
    t = tokenize("— Hello , world !")
    assert t.weight.tolist() == [1 + 5 + 1, 5 + 1]
    assert t.start.tolist() == [2, 10]


def test_line_numbers_and_digits() -> None:
    t = tokenize("one two\nthree 2017\n\nfour")
    assert t.line.tolist() == [0, 0, 1, 1, 3]
    assert t.digit.tolist() == [False, False, False, True, False]


@pytest.mark.parametrize(("a", "b"), [
    ("Café", "CAFE\u0301"),          # precomposed vs decomposed accent, any case
    ("café", "cafe"),                # accents fold away
    ("\ufb01nal", "final"),          # ligature
    ("wo\u00adrd", "word"),          # soft hyphen inside a word
    ("zero\u200bwidth", "zerowidth"),  # zero-width space inside a word
    ("“Hello”", "\"hello\""),        # curly and straight quotes
    ("don’t", "don't"),
    ("well-known", "wellknown"),
    ("modern", "rnodern"),           # OCR: m -> nn, rn -> nn
    ("modern", "modem"),             # OCR: rn reads as m
    ("clean", "dean"),               # OCR: cl reads as d
    ("Ill", "1l1"),                  # OCR: l / 1 / I
    ("boot", "8oot"),
    ("أحمد", "احمد"),                # Arabic: hamza on alef (and under, and madda) folds away
    ("إسلام", "اسلام"),
    ("آمن", "امن"),
    ("ٱلله", "الله"),                # alef wasla
    ("علـــى", "علي"),               # tatweel dropped, alef maqsura -> yeh
    ("مدرسةٌ", "مدرسه"),             # harakat dropped, teh marbuta -> heh
    ("کتاب", "كتاب"),                # Persian keheh -> kaf
    ("\ufefb", "لا"),                # presentation-form ligature (NFKD)
    ("٢٠١٧", "2017"),                # Arabic-Indic digits
    ("۲۰۱۷", "2017"),                # Persian digits
    ("๒๕๖๐", "2560"),                # Thai digits
    ("２０１７", "2017"),               # full-width digits
    ("İSTANBUL", "istanbul"),        # Turkish dotted capital I
    ("ISTANBUL", "İstanbul"),
    ("KIZ", "kız"),                  # Turkish dotless i
    ("ılık", "ILIK"),
    ("Straße", "STRASSE"),           # German sharp s, and its capital
    ("\u1e9e", "ss"),
    ("ΣΟΦΟΣ", "σοφος"),              # Greek final sigma
    ("Ωμέγα", "ΩΜΕΓΑ"),              # Greek tonos
    ("Ёлка", "елка"),                # Cyrillic yo
    ("ＡＢＣ", "abc"),                 # full-width Latin
    ("שָׁלוֹם", "שלום"),               # Hebrew points
])
def test_equal_keys(a: str, b: str) -> None:
    assert _key(a) == _key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Gronkjær", "gronkjaer"),  # æ is a letter of its own, not a ligature of a+e
    ("Raqqa", "Raqa"),
    ("Tuesday", "yesterday"),
    ("2017", "2018"),
    ("مدرسة", "مدرسين"),
    ("Москва", "Mockba"),  # Cyrillic letters are not Latin look-alikes
    ("σοφος", "sofos"),
])
def test_different_keys(a: str, b: str) -> None:
    assert _key(a) != _key(b)


@pytest.mark.parametrize(("text", "tokens"), [
    ("新华社北京7月4日电", ["新", "华", "社", "北", "京", "7", "月", "4", "日", "电"]),
    ("上半年GDP增长5.5%。", ["上", "半", "年", "GDP", "增", "长", "5.5%。"]),
    ("「北京」和上海", ["北", "京", "和", "上", "海"]),
    ("東京のコーヒー", ["東", "京", "の", "コ", "ー", "ヒ", "ー"]),
    ("ｶﾀｶﾅ", ["ｶ", "ﾀ", "ｶ", "ﾅ"]),
    ("か\u3099き", ["か\u3099", "き"]),           # a combining voicing mark stays with its kana
    ("ภาษาไทยที่ดี", ["ภ", "า", "ษ", "า", "ไ", "ท", "ย", "ที่", "ดี"]),  # Thai vowel and tone marks too
    ("한국어 텍스트", ["한국어", "텍스트"]),          # Korean is written with spaces
    ("Hello, 世界!", ["Hello,", "世", "界"]),   # "!" only adds to the weight of 界
])
def test_dense_scripts_are_cut_into_characters(text: str, tokens: list[str]) -> None:
    t = tokenize(text)
    got = [text[a:b] for a, b in zip(t.start.tolist(), t.end.tolist(), strict=True)]
    assert got == tokens
    _assert_same(t, tokenize_reference(text))
    assert int(t.weight.sum()) == sum(not c.isspace() for c in text)


def test_punctuation_after_a_dense_letter_adds_to_its_weight() -> None:
    t = tokenize("「北京」，GDP")
    assert t.weight.tolist() == [2, 3, 3]  # 「北 / 京」， / GDP
    assert t.start.tolist() == [1, 2, 5]


def test_fold_char_drops_non_alphanumerics_and_astral_characters() -> None:
    for c in "“”‘’\"'—–-.,;:!?()\u00ad\u200b😀":
        assert fold_char(c) == ""
    assert fold_char("É") == fold_char("e")


def test_ocr_skeleton_is_idempotent() -> None:
    # every class representative maps to itself, so glyphs of one class get one key
    # (a mapping such as 8 -> b while b -> ll would split the b/8/h class)
    for src, dst in OCR_SKELETON.items():
        assert not any(c in OCR_SKELETON for c in dst), (src, dst)


def test_digit_flag_survives_ocr_skeleton() -> None:
    # the skeleton turns 0/1/5/8 into letters; the digit flag is about the characters
    t = tokenize("10 1985 2017 ² lol 8oot?")
    assert t.digit.tolist() == [True, True, True, True, False, True]
    assert tokenize_reference("10 1985 2017 ² lol 8oot?").digit.tolist() == t.digit.tolist()


def test_cached_fold_tables_equal_freshly_built_ones() -> None:
    from copydesk.textnorm import _build_fold_tables, fold_tables

    for cached, fresh in zip(fold_tables(), _build_fold_tables(), strict=True):
        assert np.array_equal(cached, fresh)


def test_hash_tables_compose_the_key_hash() -> None:
    from copydesk.textnorm import HASH_BASE, fold_tables, hash_tables, key_hash, splitmix64

    flags, value, mult = hash_tables()
    is_space, _, _, _, is_digit, dense, mark = fold_tables()
    mask = (1 << 64) - 1
    h = 0
    key = ""
    for c in "a M\u00e6\ufb03 7\ufdfa\u00adß北ที่\u0301":
        cp = ord(c)
        f = fold_char(c)
        assert bool(flags[cp] & 1) == bool(is_space[cp]) and bool(flags[cp] & 2) == bool(is_digit[cp])
        assert bool(flags[cp] & 8) == bool(dense[cp]) == is_dense(c)
        assert bool(flags[cp] & 16) == bool(mark[cp]) == is_mark(c)
        assert bool(flags[cp] & 4) == bool(f)
        assert int(mult[cp]) == pow(HASH_BASE, len(f), 1 << 64)
        h = (h * int(mult[cp]) + int(value[cp])) & mask
        key += f
    assert splitmix64(h) == key_hash(key)
    assert len(key) > 12  # the ligatures and the long Arabic ligature fold to several characters


@pytest.mark.parametrize(("text", "dtype"), [("", np.uint8), ("plain", np.uint8), ("caf\u00e9\u00ff", np.uint8),
                                             ("\u2014dash\u0100", np.uint16), ("lone \ud800 half", np.uint16),
                                             ("smile \U0001F600 \u2014", np.uint32)])
def test_codepoints_narrowest_type_same_values(text: str, dtype: type) -> None:
    from copydesk.textnorm import codepoints

    cps = codepoints(text)
    assert cps.dtype == dtype
    assert cps.tolist() == [ord(c) for c in text]
    assert tokenize(text).hash.tolist() == tokenize_reference(text).hash.tolist()


@pytest.mark.parametrize("piece", ["a", "a\u2019", "\u2019a", "北", "a北", "ก"])
def test_many_short_documents_fit_the_token_capacity(piece: str) -> None:
    """A batch of one-word documents has about a token per character: more than half its
    length (an odd-length document has (n + 1) // 2 chunks), so the bound must count the
    documents too."""
    from copydesk.textnorm import codepoints, token_capacity, tokenize_docs

    docs = [piece] * 41
    joined = "".join(docs)
    cps = codepoints(joined)
    doc_cp = np.arange(0, len(joined) + 1, len(piece))
    out = tokenize_docs(cps, doc_cp)
    want = [tokenize_reference(d) for d in docs]
    assert out[6].tolist() == np.cumsum([0] + [len(t) for t in want]).tolist()
    assert out[2].tolist() == [h for t in want for h in t.hash.tolist()]
    assert len(out[0]) <= token_capacity(cps, len(docs), dense=is_dense(piece[-1]) or is_dense(piece[0]))


def test_dense_letters_lie_where_the_kernel_looks_for_them() -> None:
    """The kernel skips the dense check of a document without a code point in the two bands
    of ``_DENSE_LOW``/``_DENSE_HIGH``: every dense letter must lie in them, and the
    punctuation of English text (curly quotes, dashes, the euro sign) outside."""
    from copydesk import textnorm

    flags = textnorm.hash_tables()[0]
    cps = np.arange(len(flags))
    band = ((cps >= textnorm._DENSE_LOW) & (cps < textnorm._DENSE_LOW + textnorm._DENSE_LOW_SPAN)
            | (cps >= textnorm._DENSE_HIGH))
    assert not np.any((flags & 8).astype(bool) & ~band)
    assert not band[[ord(c) for c in "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u20ac\u2122"]].any()
