"""``python -m copydesk``."""

from .cli import run

run()
