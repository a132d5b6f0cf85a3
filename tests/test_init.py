"""The package's import: the cyclic collector is held off during it and left as it was."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("enabled", [True, False])
def test_import_leaves_the_collector_as_it_found_it(enabled: bool) -> None:
    code = ("import gc\n"
            f"{'gc.enable()' if enabled else 'gc.disable()'}\n"
            "import copydesk\n"
            f"assert gc.isenabled() is {enabled}, gc.isenabled()\n"
            "assert copydesk.scan and copydesk.Article\n")
    subprocess.run([sys.executable, "-c", code], check=True)

