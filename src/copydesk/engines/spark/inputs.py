"""Inputs named by URI, read by Spark itself (:class:`copydesk.read.remote.Remote`).

1. **listing** (driver) — each URI is listed through Hadoop's ``FileSystem`` (the cluster's
   connectors and credentials: ``hdfs://``, ``s3a://``, ``gs://``, ``file://``): a file, a
   folder (recursively, sorted by path, hidden files skipped with a reject as in a local
   folder) or a glob (its matches sorted, as a shell would give them).  A URI that cannot be
   listed (missing, or a scheme without its connector) is one :class:`InputError` line.
2. **reading** (executors) — the files' bytes are read by Spark (``binaryFile``) and cut into
   the scan's batches by :func:`copydesk.read.file_batches`: the local readers' code, so the
   same records are rejected for the same reasons, named ``file:line``.
3. **numbering** (driver) — the batches are counted per file and given their numbers in input
   order, so pass 1 (:mod:`.prepare`) numbers the articles exactly as for local files.

A file is read whole by one task (Spark's ``binaryFile`` holds at most 2 GB): shard big
corpora into many files.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...errors import InputError
from ...read import RejectLog, file_batches
from ...read.remote import Remote, local_name
from ...records import Reject

#: what the reading stage gives per file: its batches, its read-level rejects, why it failed,
#: and that it was read
JOB, REJECT, FATAL, READ = 0, 1, 2, 3
READ_SCHEMA = "file int, seq int, kind byte, blob binary"
_GLOB = re.compile(r"[*?\[{]")


@dataclass(slots=True)
class Listing:
    """The files of the remote inputs: (Hadoop path, name in rejects, found in a folder, size
    in bytes) in input order, and the rejects of skipped files, each after the files listed
    before it (by position in ``files``)."""

    files: list[tuple[str, str, bool, int]] = field(default_factory=list)
    skipped: list[tuple[int, Reject]] = field(default_factory=list)
    by_input: list[range] = field(default_factory=list)  #: each Remote's files


def java_message(err: BaseException) -> str:
    """The first line of a Java exception's message, without its class name."""
    java = getattr(err, "java_exception", None)
    text = str(java.getMessage() if java is not None and java.getMessage() else err)
    line = text.strip().splitlines()[0] if text.strip() else type(err).__name__
    return re.sub(r"^[\w.$]+(Exception|Error): ", "", line)


def list_inputs(spark: Any, remotes: Sequence[Remote]) -> Listing:
    """List every remote input on the driver (see the module's docstring)."""
    out = Listing()
    for remote in remotes:
        start = len(out.files)
        try:
            _list(spark, remote.uri, out)
        except InputError:
            raise
        except Exception as err:  # Py4JJavaError: a missing file, a scheme without connector
            why = java_message(err)
            if "FileSystem for scheme" in why or "FileSystem not found" in why or \
                    re.search(r"Class \S+FileSystem not found", why):
                why += f"; {remote.uri.split(':', 1)[0]}:// needs its Hadoop connector (and credentials) on Spark's classpath"
            raise InputError(f"{remote.uri}: Spark cannot read it ({why})") from None
        out.by_input.append(range(start, len(out.files)))
    return out


def _list(spark: Any, uri: str, out: Listing) -> None:
    sc = spark.sparkContext
    hadoop = sc._jvm.org.apache.hadoop.fs
    path = hadoop.Path(uri)
    fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
    found = fs.globStatus(path)
    if found is None or len(found) == 0:
        what = "no file matches" if _GLOB.search(uri) else "no such file or directory"
        raise InputError(f"{uri}: {what}")
    for status in sorted(found, key=lambda s: s.getPath().toString()):
        top = status.getPath().toString()
        if not status.isDirectory():
            out.files.append((top, local_name(top), False, int(status.getLen())))
            continue
        listed = fs.listFiles(status.getPath(), True)
        inside = []
        while listed.hasNext():
            found = listed.next()
            inside.append((found.getPath().toString(), int(found.getLen())))
        for name, size in sorted(inside, key=lambda p: p[0][len(top):]):
            rel = name[len(top):].lstrip("/")
            if any(part.startswith(".") for part in rel.split("/")):
                out.skipped.append((len(out.files), Reject(local_name(name), "skipped: hidden file", None, None)))
            else:
                out.files.append((name, local_name(name), True, size))


def read_files(batches: Iterator[Any], names: dict[str, tuple[int, str, bool]], size: int,
               remotes: Sequence[Remote], owner: Sequence[int]) -> Iterator[Any]:
    """mapInArrow body (executors): binaryFile rows (path, content) in, each file's batches
    (pickled), read-level rejects and failure out, numbered in the file's order."""
    import pyarrow as pa

    for rb in batches:
        paths, contents = rb.column("path").to_pylist(), rb.column("content").to_pylist()
        for path, content in zip(paths, contents, strict=True):
            file, name, listed = names[path]
            remote = remotes[owner[file]]
            log = RejectLog()
            rows: list[tuple[int, int, bytes]] = []
            try:
                for job in file_batches(name, content or b"", size=size, rejects=log, listed=listed,
                                        fields=remote.fields, format=remote.format):
                    rows.append((len(rows), JOB, pickle.dumps(job, protocol=5)))
            except InputError as err:
                rows = [(0, FATAL, str(err).encode())]
            rows += [(len(rows) + n, REJECT, pickle.dumps(r, protocol=5)) for n, r in enumerate(log)]
            rows.append((len(rows), READ, b""))
            yield pa.RecordBatch.from_arrays(
                    [pa.array([file] * len(rows), pa.int32()), pa.array([r[0] for r in rows], pa.int32()),
                     pa.array([r[1] for r in rows], pa.int8()), pa.array([r[2] for r in rows], pa.binary())],
                    names=["file", "seq", "kind", "blob"])


@dataclass(slots=True)
class Read:
    """The remote inputs as read: per file, how many batches it gave (numbered ``seq`` 0, 1,
    ... in the file's order), each input's files, the read-level rejects in input order, and
    what Spark holds (persisted until :meth:`release`)."""

    batches: list[int]
    by_input: list[range]
    rejects: list[Reject]
    frame: Any = None

    def jobs(self) -> Any:
        """The DataFrame of batches: file, seq, blob (a pickled batch)."""
        from pyspark.sql import functions as F

        return self.frame.where(F.col("kind") == JOB).select("file", "seq", "blob")

    def release(self) -> None:
        if self.frame is not None:
            self.frame.unpersist()


def read_inputs(spark: Any, remotes: Sequence[Remote], size: int) -> Read:
    """Read every remote input with Spark; the batches stay on the executors (persisted)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    listing = list_inputs(spark, remotes)
    owner = [n for n, files in enumerate(listing.by_input) for _ in files]
    names = {path: (n, name, listed) for n, (path, name, listed, _) in enumerate(listing.files)}
    counts = [0] * len(listing.files)
    rejects: list[tuple[int, int, Reject]] = [(at, -1, r) for at, r in listing.skipped]
    for n, (_, name, listed, length) in enumerate(listing.files):
        if not length:  # Spark's file sources skip empty files: judged here, by the same code
            log = RejectLog()
            remote = remotes[owner[n]]
            list(file_batches(name, b"", size=size, rejects=log, listed=listed, fields=remote.fields,
                              format=remote.format))
            rejects += [(n, k, r) for k, r in enumerate(log)]
    full = [p for p, _, _, length in listing.files if length]
    if not full:
        return Read(counts, listing.by_input, [r for _, _, r in sorted(rejects, key=lambda r: r[:2])])
    try:
        raw = spark.read.format("binaryFile").load(full)
        frame = raw.select("path", "content").mapInArrow(
            lambda it: read_files(it, names, size, remotes, owner), READ_SCHEMA)
        frame = frame.persist(StorageLevel.MEMORY_AND_DISK)
        books = frame.select("file", "seq", "kind",
                             F.when(F.col("kind") != JOB, F.col("blob")).alias("blob")).toArrow()
    except Exception as err:
        if type(err).__name__ == "PythonException":  # copydesk's own code failed: not the input
            raise
        raise InputError(f"{remotes[0].uri if len(remotes) == 1 else 'an input URI'}: "
                         f"Spark cannot read it ({java_message(err)})") from None
    rows = sorted(zip(*(books.column(c).to_pylist() for c in ("file", "seq", "kind", "blob")), strict=True))
    seen = {n for n, f in enumerate(listing.files) if not f[3]}
    for file, seq, kind, blob in rows:
        if kind == FATAL:
            frame.unpersist()
            raise InputError(blob.decode())
        if kind == JOB:
            counts[file] += 1
        elif kind == REJECT:
            rejects.append((file, seq, pickle.loads(blob)))
        seen.add(file)
    for n, (_, name, _, _) in enumerate(listing.files):
        if n not in seen:  # never expected: Spark's listing left a file out
            rejects.append((n, 0, Reject(name, "unreadable file: Spark did not read it", None, None)))
    rejects.sort(key=lambda r: r[:2])
    return Read(counts, listing.by_input, [r for _, _, r in rejects], frame)
