"""report.names: page names from any id are safe, distinct and stable."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from copydesk.report.names import family_file, pair_file, slug

NAME = re.compile(r"^(families|pairs)/[a-z0-9-]+\.html$")


def test_examples() -> None:
    assert slug("Wire/Quake 01 — été") == "wire-quake-01-ete"
    assert family_file("../../etc/passwd").startswith("families/etc-passwd-")
    assert family_file("A") != family_file("a")  # case-insensitive file systems
    assert pair_file("a", "b") != pair_file("b", "a")
    assert NAME.match(pair_file("日本語/記事", "..")), pair_file("日本語/記事", "..")


@given(st.text(), st.text())
def test_any_ids_give_safe_names(a: str, b: str) -> None:
    for name in (family_file(a), pair_file(a, b)):
        assert NAME.match(name)
        assert len(name) < 120
    assert pair_file(a, b) == pair_file(a, b)
