"""The semantic stage's tests need its extra; a user's clone may not have it installed."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _semantic_extra() -> None:
    try:
        from copydesk.semantic import require_semantic

        require_semantic()
    except ImportError as e:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{e}; CI=true installs the test extra, which includes it", pytrace=False)
        pytest.skip(str(e))
