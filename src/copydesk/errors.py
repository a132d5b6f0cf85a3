"""copydesk's exception tree, documented in one place.

    CopydeskError            base of everything copydesk raises on purpose
    ├── ConfigError          an impossible or invalid option (CLI exit status 2)
    ├── InputError           an input file that cannot be read at all (missing, unknown format)
    │   └── NotAnIndex       a file given as an index is no copydesk index, or one of another
    │                        format version (CLI exit status 2)
    ├── IndexBusy            another process is adding to the index (CLI exit 1)
    ├── MissingDependency    an optional extra is not installed (message names the extra)
    └── OutputError          results or temporary files cannot be written (disk full, ...);
                             nothing half-written is left under the final name (CLI exit 1)

Bad *records* inside a readable input are never exceptions: readers turn them into
:class:`copydesk.records.Reject` entries and the run goes on.
"""

from __future__ import annotations


class CopydeskError(Exception):
    """Base class; ``str(err)`` is a one-line message fit for a user."""


class ConfigError(CopydeskError, ValueError):
    """An option has an impossible value; the message says what to do instead."""


class InputError(CopydeskError):
    """An input path cannot be read as a corpus."""


class NotAnIndex(InputError):
    """A path given as an index is not a copydesk index (or an index of a format version
    this release cannot read)."""


class IndexBusy(CopydeskError):
    """Another process holds the index's write lock (an ``index add`` is running)."""


class MissingDependency(CopydeskError, ImportError):
    """An optional dependency is missing; the message gives the pip command."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(f"{package} is needed for this; install it with: pip install 'copydesk[{extra}]'")
        self.package = package
        self.extra = extra


class OutputError(CopydeskError):
    """Writing failed part way (a full disk, a lost mount); the message says what to do.
    Whatever was being written has been removed: no result that looks complete is left."""
