"""The mojibake check of decoded text."""

from __future__ import annotations

import pytest

from copydesk.read.text import mojibake

GOOD = [
    "plain ASCII news text",
    "Le café de Zürich a ouvert à l'été; «bienvenue», dit-il — 10 € l'entrée.",
    "Zażółć gęślą jaźń. Ærøskøbing. Ñandú. İstanbul’da “haber”.",
    "Москва и Київ; 東京で会議。",
    "Ã alone, or a currency sign ¤ and ÿ",
]


@pytest.mark.parametrize("text", GOOD)
def test_real_text_is_not_mojibake(text: str) -> None:
    assert mojibake(text) is None


@pytest.mark.parametrize("text", GOOD[1:3])
def test_double_decoded_text_is_mojibake(text: str) -> None:
    broken = text.encode("utf-8").decode("cp1252", errors="replace")
    reason = mojibake(broken)
    assert reason is not None and reason.startswith("mojibake: ")


def test_one_odd_run_in_long_text_is_not_enough() -> None:
    assert mojibake("café " * 50 + "Ã©") is None
    assert mojibake("Ã© and Ã¨") is not None
