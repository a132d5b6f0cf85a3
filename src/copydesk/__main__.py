"""``python -m copydesk``."""

import sys

from .cli import main

sys.exit(main())
