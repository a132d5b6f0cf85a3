"""``--parquet --partitioned``: the pairs and families as folders of Parquet part files
(``pairs/``, ``families/``), written by the executors.

The rows are the driver's (the rounds of :func:`copydesk.plan.relate_and_group` end there):
they go to the executors as Arrow batches and each task writes its part, about
:data:`ROWS_PER_FILE` rows, sorted.  Which rows go to which file depends only on the rows
(their rank in id order), so two runs write the same content; the part files' names are
Spark's own (a job id in each).  The schemas are those of ``pairs.parquet``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ...records import Family, Pair
from ...write import families_table, pairs_table

#: rows per part file
ROWS_PER_FILE = 250_000


def write_partitioned(spark: Any, folder: Path, pairs: list[Pair], families: list[Family], *,
                      rows_per_file: int | None = None) -> dict[str, int]:
    """Write ``folder/pairs`` and ``folder/families``, about ``rows_per_file`` (default
    :data:`ROWS_PER_FILE`) rows per file; returns the number of part files asked for of each
    (empty results still give one, empty, file)."""
    import pyarrow as pa

    rows_per_file = rows_per_file or ROWS_PER_FILE
    made = {}
    for name, table, keys in (("pairs", pairs_table(pairs), ["a", "b"]),
                              ("families", families_table(families), ["family"])):
        rows = table.num_rows
        n = max(1, -(-rows // rows_per_file))
        cols = [table.column(k).to_pylist() for k in keys]
        order = sorted(range(rows), key=lambda i: tuple(c[i] for c in cols))
        file = np.empty(rows, np.int32)
        file[order] = np.arange(rows) * n // max(1, rows)
        frame = spark.createDataFrame(table.append_column("_file", pa.array(file)))
        (frame.repartition(n, "_file").sortWithinPartitions(*keys).drop("_file")
         .write.mode("error").parquet(folder.joinpath(name).resolve().as_uri()))
        made[name] = n
    return made
