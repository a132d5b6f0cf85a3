"""Checks of decoded text shared by the readers that decode bytes themselves (pages, ``.txt``).

:func:`mojibake` recognises UTF-8 that was decoded as Latin-1 / Windows-1252 somewhere
upstream (``cafÃ©`` for ``café``, ``â€™`` for ``’``): each run of non-ASCII characters is
encoded back to the 8-bit charset and, if those bytes are valid UTF-8 standing for fewer
characters, the run is mojibake.  Genuine accented text almost never passes that test (an
``é`` alone is the byte 0xE9, not UTF-8), so a text is judged mojibake only when at least two
runs and at least half of all its non-ASCII runs do.  (The same reasoning as ftfy's, cut to
the one case that matters for news text.)
"""

from __future__ import annotations

import re

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _repaired(run: str) -> str | None:
    for charset in ("cp1252", "latin-1"):
        try:
            fixed = run.encode(charset).decode("utf-8")
        except UnicodeError:
            continue
        if fixed != run:
            return fixed
    return None


def mojibake(text: str) -> str | None:
    """A reject reason if ``text`` looks like double-decoded UTF-8, else None."""
    if text.isascii():
        return None
    runs = bad = 0
    example: tuple[str, str] | None = None
    for match in _NON_ASCII_RUN.finditer(text):
        runs += 1
        fixed = _repaired(match.group())
        if fixed is not None:
            bad += 1
            example = example or (match.group(), fixed)
    if example is None or bad < 2 or 2 * bad < runs:
        return None
    return (f"mojibake: UTF-8 text decoded as Latin-1 upstream "
            f"({example[0]!r} stands for {example[1]!r})")
