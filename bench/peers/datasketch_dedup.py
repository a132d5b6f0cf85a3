"""Near-duplicate detection with datasketch, written the way a typical user would.

Reads a JSON Lines corpus (``id``, ``text``), builds one MinHash per article from its word
5-shingles (128 permutations), inserts every signature into a ``MinHashLSH`` (Jaccard threshold
0.8) and queries each article back.  Every candidate pair the index returns is written to
``OUT/pairs.jsonl`` as a copydesk-format line (relation ``near_duplicate``, origin null) so
that ``copydesk eval`` / ``evaluate.py`` can score it.

Single process, as in the datasketch documentation examples.

    python bench/peers/datasketch_dedup.py corpus.jsonl --out OUT
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+")


def shingles(text: str, k: int) -> set[bytes]:
    """Lower-cased word k-shingles of ``text`` as UTF-8 bytes."""
    words = WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--shingle", type=int, default=5, help="words per shingle")
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--threshold", type=float, default=0.8)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    signatures: dict[str, MinHash] = {}
    with args.corpus.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            doc_id = str(record["id"])
            minhash = MinHash(num_perm=args.num_perm)
            minhash.update_batch(list(shingles(record["text"], args.shingle)))
            lsh.insert(doc_id, minhash)
            signatures[doc_id] = minhash
    hashed = time.perf_counter()

    pairs: set[tuple[str, str]] = set()
    for doc_id, minhash in signatures.items():
        for other in lsh.query(minhash):
            if other != doc_id:
                pairs.add((doc_id, other) if doc_id < other else (other, doc_id))
    done = time.perf_counter()

    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "pairs.jsonl").open("w", encoding="utf-8") as out:
        for a, b in sorted(pairs):
            out.write(
                json.dumps({"a": a, "b": b, "relation": "near_duplicate", "origin": None}) + "\n"
            )
    print(
        f"datasketch: {len(signatures)} docs, {len(pairs)} pairs; "
        f"minhash+insert {hashed - start:.1f} s, query {done - hashed:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
