"""What the tamper-evident record costs at RN×10: Merkle root, inclusion and consistency proofs
over 1.6 million leaves (1.5 M votes + 85 k contributions + edits and moderation), in memory.

The API serves a proof by reading the consultation's leaf hashes (32 bytes each) and hashing the
subtrees beside the path; appends and checkpoints cost O(log n) through the stored frontier.

    .venv/bin/python bench/ledger.py [--leaves 1600000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from consultation.ledger import merkle  # noqa: E402


def timed(label: str, function, *args):
    start = time.perf_counter()
    result = function(*args)
    print(f"{label:<48} {time.perf_counter() - start:8.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaves", type=int, default=1_600_000)
    n = parser.parse_args().leaves
    leaves = [hashlib.sha256(os.urandom(16)).digest() for _ in range(n)]
    print(f"{n:,} leaves")
    root = timed("root (whole tree)", merkle.root, leaves)

    def frontier_all():
        frontier: list[bytes] = []
        for size, leaf in enumerate(leaves):
            frontier = merkle.frontier_append(frontier, size, leaf)
        return merkle.frontier_root(frontier)

    assert timed("frontier appends, one by one (all leaves)", frontier_all) == root
    index = n // 3
    proof = timed("inclusion proof of one entry", merkle.inclusion_proof, leaves, index)
    assert merkle.verify_inclusion(index, n, leaves[index], proof, root)
    first = n - 3600
    old_root = merkle.root(leaves[:first])
    consistency = timed(
        "consistency proof (an hour's growth)", merkle.consistency_proof, leaves, first
    )
    assert merkle.verify_consistency(first, n, old_root, root, consistency)
    print(f"proof sizes: inclusion {len(proof)} hashes, consistency {len(consistency)} hashes")


if __name__ == "__main__":
    main()
