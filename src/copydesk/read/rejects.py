"""The reject log: every input record that could not be used, with where it was and why.

A bad record is never fatal and never silently lost (DESIGN.md, step 1): readers hand each one
to a :class:`RejectLog`, which counts it by reason and writes ``rejects.jsonl`` at the end.

Records that are not articles by nature — a crawl's request and metadata records, images and
style sheets, redirects — are not rejects: they are *skipped*, counted by reason
(:meth:`RejectLog.skip`, in the summary and ``run.json``) but not written one by one.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..records import Reject

#: longest ``raw`` kept per reject, in characters; keeps the log small when whole files fail
MAX_RAW = 2000


@dataclass(frozen=True, slots=True)
class Skip:
    """An input record that is not an article by nature (e.g. a WARC ``request`` record),
    counted by ``reason`` and otherwise ignored."""

    where: str
    reason: str


def reason_category(reason: str) -> str:
    """``"malformed JSON: Expecting value at column 5"`` -> ``"malformed JSON"``."""
    return reason.partition(":")[0].strip()


class RejectLog:
    """Collects :class:`Reject` records (in arrival order) and counts them by reason category.

    ``raw`` is truncated to ``max_raw`` characters on :meth:`add`, so memory stays bounded by
    the number of rejects, not by the size of the bad records.
    """

    def __init__(self, *, max_raw: int = MAX_RAW) -> None:
        if max_raw < 0:
            raise ValueError("max_raw must be >= 0")
        self.max_raw = max_raw
        self._rejects: list[Reject] = []
        self._by_reason: Counter[str] = Counter()
        self._skipped: Counter[str] = Counter()

    def add(self, reject: Reject) -> None:
        """Record one reject."""
        if reject.raw is not None and len(reject.raw) > self.max_raw:
            reject = dataclasses.replace(reject, raw=reject.raw[: self.max_raw])
        self._rejects.append(reject)
        self._by_reason[reason_category(reject.reason)] += 1

    def skip(self, skip: Skip) -> None:
        """Count one record that is not an article by nature."""
        self._skipped[reason_category(skip.reason)] += 1

    @property
    def skipped(self) -> int:
        """Number of records skipped."""
        return sum(self._skipped.values())

    def skipped_by_reason(self) -> dict[str, int]:
        """Skipped records per reason, most frequent first (ties by name)."""
        return dict(sorted(self._skipped.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def count(self) -> int:
        """Number of rejects recorded."""
        return len(self._rejects)

    def by_reason(self) -> dict[str, int]:
        """Reject counts per reason category, most frequent first (ties by name)."""
        return dict(sorted(self._by_reason.items(), key=lambda kv: (-kv[1], kv[0])))

    def __len__(self) -> int:
        return len(self._rejects)

    def __iter__(self) -> Iterator[Reject]:
        return iter(self._rejects)

    def __repr__(self) -> str:
        return f"RejectLog(count={self.count}, by_reason={self.by_reason()})"

    def write(self, path: str | Path) -> Path:
        """Write ``rejects.jsonl`` at ``path`` (one :meth:`Reject.to_dict` per line; an empty
        file when there are no rejects) and return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A lone surrogate (an id from a JSON "\ud800" escape) cannot be encoded; backslashreplace
        # writes it as the JSON escape \ud800 again, so the line stays valid and round-trips.
        with path.open("w", encoding="utf-8", errors="backslashreplace", newline="\n") as out:
            for reject in self._rejects:
                record = reject.to_dict()
                if record["raw"] is not None:
                    record["raw"] = record["raw"][: self.max_raw]
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return path
