"""Shared test text: made-up words and paragraphs, and one short news story."""

from __future__ import annotations

import random

_SYL = ["ba", "ker", "lo", "mi", "tan", "sor", "vel", "du", "rin", "pa", "gos", "the", "na",
        "wil", "fer", "cu", "den", "jo", "mar", "sti", "pe", "quo", "zan", "hal"]


def words(rng: random.Random, n: int) -> list[str]:
    """``n`` made-up words (no real-language stock phrases to match by chance)."""
    return ["".join(rng.choice(_SYL) for _ in range(rng.randint(1, 3))) for _ in range(n)]


def paragraph(rng: random.Random, n: int = 30, comma_every: int = 9) -> str:
    """A sentence-like paragraph of ``n`` made-up words."""
    w = words(rng, n)
    w[0] = w[0].capitalize()
    for i in range(comma_every - 2, n - 1, comma_every):
        w[i] += ","
    return " ".join(w) + "."

STORY = [
    "US-backed forces have penetrated the heavily fortified heart of the jihadist bastion of "
    "Raqqa for the first time, in a key milestone in the war against the group in Syria.",
    "Air strikes by the coalition punched two holes in the mediaeval wall surrounding the Old "
    "City of Raqqa on Tuesday, allowing fighters to breach the defences, officials said.",
    "The breach marks a significant advance for the fighters, who entered the city last month "
    "after a months-long campaign to surround it from the north, east and west.",
    "Aid groups warned that tens of thousands of civilians remain trapped inside the city with "
    "little food, water or medicine as the fighting moves closer to its centre.",
    "The United Nations said on Monday it was deeply concerned about the fate of the civilians "
    "and called on all sides to open safe corridors out of the besieged districts.",
    "Residents who fled last week described bodies lying in the streets and snipers firing at "
    "anyone who tried to reach the river, the only way out of the old quarter.",
]
