"""The Spark session the engine tests share."""

from __future__ import annotations

import os

import pytest


def _need_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        reason = "pyspark is not installed (pip install 'copydesk[spark]')"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{reason}; CI=true requires it", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def spark():
    """One small local[2] session for all the tests (quiet, 1 GB heap)."""
    _need_pyspark()
    from copydesk.engines.spark import new_session

    session = new_session("local[2]", partitions=8, memory="1g", app="copydesk-tests")
    yield session
    session.stop()
