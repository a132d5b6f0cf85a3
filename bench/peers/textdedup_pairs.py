"""Turn text-dedup's MinHash clusters into copydesk-format pairs (not timed by the benchmark).

``python -m text_dedup.minhash ... --idx_column id --debug`` writes ``OUTPUT/uf.pkl``: its
union-find over the LSH candidate edges, keyed by corpus id.  Every cluster of n articles
becomes its n*(n-1)/2 pairs in ``OUT/pairs.jsonl`` (relation ``near_duplicate``, origin null),
which is how recall = "both articles of a gold pair land in one cluster" is scored.
Must run with the Python that has text-dedup installed (the pickle holds its UnionFind class).

    python bench/peers/textdedup_pairs.py TEXTDEDUP_OUTPUT/uf.pkl --out OUT
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
import sys
from collections import defaultdict
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("uf", type=Path, help="uf.pkl written by text_dedup.minhash --debug")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    with args.uf.open("rb") as handle:
        uf = pickle.load(handle)  # noqa: S301 - our own benchmark output
    clusters: dict[str, list[str]] = defaultdict(list)
    for node in list(uf.parent):
        clusters[str(uf.find(node))].append(str(node))

    args.out.mkdir(parents=True, exist_ok=True)
    n_pairs = 0
    sizes = [len(m) for m in clusters.values() if len(m) > 1]
    with (args.out / "pairs.jsonl").open("w", encoding="utf-8") as out:
        for members in clusters.values():
            for a, b in itertools.combinations(sorted(set(members)), 2):
                out.write(
                    json.dumps({"a": a, "b": b, "relation": "near_duplicate", "origin": None})
                    + "\n"
                )
                n_pairs += 1
    print(
        f"text-dedup: {len(sizes)} clusters of 2+ (largest {max(sizes, default=0)}), {n_pairs} pairs",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
