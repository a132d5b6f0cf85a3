"""Shared pytest fixtures."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


#: Debian's chromium, driven by Playwright (which cannot download its own browser here)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless chromium for the browser tests of the report and of the web service."""
    from needs import missing

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install playwright; it is in the test extra)")
    chromium = shutil.which("chromium") or ("/usr/bin/chromium"
                                            if Path("/usr/bin/chromium").exists() else None)
    if chromium is None:
        missing("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
