"""Output that is never half-written.

A results folder (or a dedup file) is first written under a hidden temporary name *beside*
its destination — same folder, so same file system — and renamed into place only when
complete.  A crash, Ctrl-C, SIGTERM or a full disk therefore leaves either the previous
complete results or nothing; never a mix of two runs, never a truncated file under the final
name.  The staging name is created before the scan starts, which is also the check that the
destination is writable (a probe is the only honest check: ``os.access`` says yes to root on a
read-only file system).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import ConfigError, OutputError

#: every name a scan writes into its results folder; a folder holding anything else is not
#: replaced (it may be the user's own folder, given by mistake)
RESULT_FILES = frozenset({"pairs.jsonl", "families.jsonl", "rejects.jsonl", "run.json",
                          "pairs.parquet", "boilerplate.jsonl", "report",
                          "pairs", "families"})  # the last two: --parquet --partitioned
#: what the HTML report folder holds (``report`` in a results folder, or ``copydesk report
#: --out``): its index, and folders of pages
REPORT_FILES = frozenset({"index.html", "families", "pairs"})
#: the report's page folders hold pages only
_PAGE_DIRS = frozenset({"families", "pairs"})
PARTIAL = ".partial-"
PROBE_PREFIX = ".copydesk-probe-"


def _why(err: OSError) -> str:
    return err.strerror or str(err)


def check_writable_dir(path: Path, what: str) -> None:
    """Raise :class:`ConfigError` unless ``path`` is a folder in which a file can be created."""
    if not path.is_dir():
        raise ConfigError(f"{what} {path} is not a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=f"{PROBE_PREFIX}{os.getpid()}-", dir=path)
    except OSError as e:
        raise ConfigError(f"{what} {path} is not writable ({_why(e)})") from None
    os.close(fd)
    os.unlink(probe)


def check_results_dir(out: Path) -> None:
    """``out`` may be new, an empty folder, or an earlier results folder (only the files a
    scan writes), which a new run replaces as a whole.  Anything else is refused."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ConfigError(f"--out {out} is a file; give a folder for the results")
    stranger = _stranger(out, RESULT_FILES)
    if stranger is None and (out / "report").is_dir():
        inner = _stranger(out / "report", REPORT_FILES, _PAGE_DIRS)
        stranger = inner and f"report/{inner}"
    if stranger:
        raise ConfigError(f"--out {out} holds files a scan did not write ({stranger}, ...); "
                          "give a new or empty folder, or an earlier results folder")


def check_report_dir(out: Path) -> None:
    """Like :func:`check_results_dir` for the folder of an HTML report."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ConfigError(f"--out {out} is a file; give a folder for the report")
    stranger = _stranger(out, REPORT_FILES, _PAGE_DIRS)
    if stranger:
        raise ConfigError(f"--out {out} holds files a report did not write ({stranger}, ...); "
                          "give a new or empty folder, or an earlier report folder")


def _stranger(folder: Path, allowed: frozenset[str], pages: frozenset[str] = frozenset()) -> str | None:
    """The first entry of ``folder`` (a results or report folder) that copydesk did not
    write, as a path relative to it; page folders of a report (``pages``) may hold only
    ``.html``, the Parquet folders of a results folder only Spark's part files."""
    try:
        names = sorted(p.name for p in folder.iterdir())
        strangers = [n for n in names if n not in allowed]
        if not strangers:
            for sub in sorted(_PAGE_DIRS & allowed & set(names)):
                if not (folder / sub).is_dir():
                    return sub
                ok = _page if sub in pages else _part_file
                strangers += [f"{sub}/{p.name}" for p in sorted((folder / sub).iterdir()) if not ok(p)]
    except OSError as e:
        raise ConfigError(f"--out {folder} cannot be read ({_why(e)})") from None
    return strangers[0] if strangers else None


def _page(p: Path) -> bool:
    return p.name.endswith(".html") and p.is_file()


def _part_file(p: Path) -> bool:
    """What Spark writes into a Parquet folder: part files, their checksums, ``_SUCCESS``."""
    name = p.name.removeprefix(".").removesuffix(".crc")
    return p.is_file() and (name.startswith("part-") and name.endswith(".parquet") or name == "_SUCCESS")


def staging_prefix(dest: Path) -> str:
    """The hidden name of what is staged for ``dest``, with this process's id: a signal can
    land between creating a temporary entry and the ``try`` that removes it, so after an
    interruption :func:`sweep` removes this process's own leftovers by name."""
    return f".{dest.name}{PARTIAL}{os.getpid()}-"


def sweep(folder: Path, prefix: str) -> None:
    """Remove the entries of ``folder`` whose names start with ``prefix`` (best effort)."""
    try:
        entries = [p for p in folder.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return
    for p in entries:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _plain_mode(path: Path, mode: int) -> None:
    """mkstemp/mkdtemp create private (0600/0700) entries; results get the usual mode."""
    os.chmod(path, mode & ~_umask())


def _make_parent(path: Path, what: str) -> Path:
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"{what} {path}: cannot create {parent} ({_why(e)})") from None
    return parent


@contextlib.contextmanager
def staged_dir(out: Path) -> Iterator[Path]:
    """Yield an empty hidden folder beside ``out``; on success it replaces ``out`` (an
    earlier results folder is swapped out and removed), on any exception it is removed."""
    parent = _make_parent(out, "--out")
    try:
        stage = Path(tempfile.mkdtemp(prefix=staging_prefix(out), dir=parent))
    except OSError as e:
        raise ConfigError(f"--out {out}: cannot write in {parent} ({_why(e)})") from None
    try:
        _plain_mode(stage, 0o777)
        yield stage
        _replace_dir(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _replace_dir(stage: Path, out: Path) -> None:
    try:
        os.rename(stage, out)  # out absent or an empty folder: one atomic step
        return
    except OSError as e:
        if e.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
    # out holds an earlier run: move it aside, move the new set in, then drop the old one
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, old)
    try:
        os.rename(stage, out)
    except BaseException:
        os.rename(old, out)  # put the earlier results back
        raise
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def staged_files(paths: Iterable[Path]) -> Iterator[list[Path]]:
    """Yield a hidden temporary path beside each of ``paths``; on success each replaces its
    destination (in the order given), on any exception all are removed.  The temporary
    files are created at once, so an unwritable destination fails before any work."""
    dests = list(paths)
    temps: list[Path] = []
    try:
        for path in dests:
            parent = _make_parent(path, "--out")
            try:
                fd, name = tempfile.mkstemp(prefix=staging_prefix(path), dir=parent)
            except OSError as e:
                raise ConfigError(f"--out {path}: cannot write in {parent} ({_why(e)})") from None
            os.close(fd)
            temps.append(Path(name))
            _plain_mode(temps[-1], 0o666)
        yield list(temps)
        for temp, path in zip(temps, dests, strict=True):
            os.replace(temp, path)
    except BaseException:
        for temp in temps:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        raise


def output_error(err: OSError, doing: str) -> OutputError:
    """A one-line :class:`OutputError` for an OS error met while ``doing`` something."""
    where = f" ({err.filename})" if err.filename else ""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"no space left on device while {doing}{where}; nothing was kept — "
                           "free some space (or point --tmp at a bigger disk) and run again")
    return OutputError(f"{_why(err)} while {doing}{where}; nothing was kept")
