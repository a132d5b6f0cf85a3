"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The benchmark kit beside the repository (``../shared``: ``data/``, ``tools/``).

    A user's clone has no such folder, so tests that need it are skipped there; on CI
    (``CI=true``) they must run, so a missing kit fails instead.
    """
    path = REPO_ROOT.parent / "shared"
    if not path.is_dir():
        reason = f"benchmark kit not found at {path} (the ../shared folder beside the repository)"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{reason}; CI=true requires it", pytrace=False)
        pytest.skip(reason)
    return path
