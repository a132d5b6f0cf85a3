"""What a test needs from the machine: skipped with the reason in a user's clone, a failure
under CI (``CI=true``), whose set-up installs everything."""

from __future__ import annotations

import os

import pytest


def missing(reason: str) -> None:
    """Skip (or, under CI, fail) the current test because ``reason``."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason}; CI=true requires it (.ci/run installs it)", pytrace=False)
    pytest.skip(reason)
