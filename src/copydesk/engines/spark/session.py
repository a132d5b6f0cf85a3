"""Getting a Spark session: pyspark is an optional extra, imported only here and in the
stage modules, and a session made by copydesk is quiet and bounded."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from ...errors import ConfigError, MissingDependency


def require_pyspark() -> None:
    """Fail in one line (with the install hint) when pyspark is missing."""
    try:
        import pyspark  # noqa: F401
        import pyspark.sql  # noqa: F401
    except ImportError:
        raise MissingDependency("pyspark (the Spark engine)", "spark") from None


def check_partitions(partitions: int) -> None:
    """Hash partitions must be a power of two (see :func:`copydesk.spill.hash_partition`)."""
    if partitions < 1 or partitions & (partitions - 1):
        raise ConfigError(f"--partitions must be a power of two (1, 2, 4, ... 64, ...), not {partitions}")


def _java_home() -> None:
    """Point JAVA_HOME at the ``java`` on PATH when it is not set (Spark's launcher wants it)."""
    if os.environ.get("JAVA_HOME"):
        return
    java = shutil.which("java")
    if java is None:
        raise ConfigError("the Spark engine needs Java 17 or later: no java on PATH "
                          "(install a JDK, or set JAVA_HOME)")
    os.environ["JAVA_HOME"] = str(Path(java).resolve().parent.parent)


def new_session(master: str | None = None, *, partitions: int = 64,
                memory: str | None = None, app: str = "copydesk") -> Any:
    """A Spark session for a scan: ``master`` (default ``local[*]``), the web UI off, log
    level WARN, as many shuffle partitions as hash partitions (adaptive execution coalesces
    the small shuffles of the components), Arrow batches for the Python stages.  ``memory``: the driver's heap (in local mode the executors live in it too)."""
    require_pyspark()
    _java_home()
    from pyspark.sql import SparkSession

    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[*]"  # not under spark-submit, which sets the master itself
    builder = SparkSession.builder.appName(app)
    if master is not None:
        builder = builder.master(master)
    builder = (builder
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(partitions))
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "50000")
               .config("spark.python.worker.reuse", "true")
               .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=WARN"))
    if master is not None and master.startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        # local mode: the Python workers are this interpreter (with copydesk importable)
        os.environ["PYSPARK_PYTHON"] = sys.executable
    if memory:
        builder = builder.config("spark.driver.memory", memory)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("WARN")
    return session


class ShuffleMeter:
    """Shuffle bytes written per phase of a scan, from Spark's status store (the data behind
    its web UI and REST API, kept with the UI off too): :meth:`mark` books the stages that
    ran since the previous mark under a phase's name.  Best effort: the store is Spark's
    internal API, so a Spark without it gives no numbers rather than an error."""

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self.by_phase: dict[str, int] = {}
        self.broken = False
        self.seen = {s for s, _ in self._stages()}

    def _stages(self) -> list[tuple[tuple[int, int], int]]:
        if self.broken:
            return []
        try:
            sc = self.spark.sparkContext
            jvm = sc._jvm
            seq = sc._jsc.sc().statusStore().stageList(
                jvm.java.util.ArrayList(), False, False, sc._gateway.new_array(jvm.double, 0),
                jvm.java.util.ArrayList())
            out = []
            for i in range(seq.length()):
                s = seq.apply(i)
                out.append(((int(s.stageId()), int(s.attemptId())), int(s.shuffleWriteBytes())))
            return out
        except Exception:  # not this Spark's internal API: no numbers
            self.broken = True
            return []

    def mark(self, phase: str) -> None:
        """Book the shuffle bytes of the stages finished since the last mark under ``phase``."""
        if self.broken:
            return
        new = [(k, b) for k, b in self._stages() if k not in self.seen]
        self.seen.update(k for k, _ in new)
        self.by_phase[phase] = self.by_phase.get(phase, 0) + sum(b for _, b in new)
