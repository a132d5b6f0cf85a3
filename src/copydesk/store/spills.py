"""An add's temporary spill folder, and the sweep of those a killed add left behind.

The folder is named after the index (a hash of its resolved path) and the adding process,
``copydesk-index-<index>-<pid>-<random>``, so that the next add of the same index, once it
holds the index's write lock, can tell the folders of earlier adds of this index from
everything else in the temporary folder.  An add creates its folder only after taking the
write lock and removes it before releasing it, so while a process holds the lock no other
live add of this index has a folder; a folder whose process is still alive (a recycled
process id, or the index reached through another path) is left alone all the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

PREFIX = "copydesk-index-"


def index_tag(index: Path) -> str:
    """A short, stable name for the index at ``index`` (its resolved path, hashed)."""
    raw = str(Path(index).resolve()).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(raw, digest_size=6).hexdigest()


def spill_prefix(index: Path) -> str:
    """Name prefix of this process's spill folder for an add to ``index``."""
    return f"{PREFIX}{index_tag(index)}-{os.getpid()}-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return True
    return True


def sweep_stale(folder: Path, index: Path) -> list[Path]:
    """Remove from ``folder`` the spill folders of earlier adds of ``index`` whose process
    is gone (call it holding the index's write lock); returns what was removed."""
    head = f"{PREFIX}{index_tag(index)}-"
    removed = []
    try:
        entries = [p for p in Path(folder).iterdir() if p.name.startswith(head)]
    except OSError:
        return removed
    for p in entries:
        pid = p.name[len(head):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()
        removed.append(p)
    return removed
