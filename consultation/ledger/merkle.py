"""The Merkle tree of a consultation's record, hashed as RFC 9162 (CT 2.0) §2.1 defines it.

Pure functions over leaf hashes (32-byte `bytes`), no database:

- `leaf_hash(leaf) = SHA-256(0x00 || leaf)`, `node_hash(left, right) = SHA-256(0x01 || left ||
  right)`; the two prefixes keep a leaf from ever passing for a node.
- `root(hashes)` is MTH (§2.1.1): the empty tree hashes to SHA-256(""); a tree of n > 1 leaves
  splits at k, the largest power of two smaller than n, into MTH(D[0:k]) and MTH(D[k:n]).
- `inclusion_proof` / `verify_inclusion`: PATH and its check (§2.1.3.1, §2.1.3.2).
- `consistency_proof` / `verify_consistency`: PROOF and its check (§2.1.4.1, §2.1.4.2).
- a *frontier* is the list of the roots of the perfect subtrees a tree of n leaves is made of
  (one per bit set in n, largest first): enough to compute the root and to append leaves,
  so that a checkpoint extends the previous checkpoint's frontier with the new leaves only.

Cost: `root` hashes each node once (2n hashes); a proof hashes each leaf of the tree at most
once (the subtrees beside the path), so the work is linear in the tree size, never quadratic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    """SHA-256(0x00 || leaf)."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than `n` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(hashes: Sequence[bytes]) -> bytes:
    """MTH of the leaves whose hashes are `hashes`, level by level (an odd node moves up
    unchanged, which gives the same tree as RFC 9162's split at the largest power of two)."""
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def inclusion_proof(hashes: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, D[n]) for the tree of the leaves `hashes` (n = len(hashes))."""
    if not 0 <= index < len(hashes):
        raise ValueError("index outside the tree")
    return _path(hashes, index, 0, len(hashes))


def _path(hashes: Sequence[bytes], m: int, lo: int, hi: int) -> list[bytes]:
    n = hi - lo
    if n == 1:
        return []
    k = split_point(n)
    if m < k:
        return _path(hashes, m, lo, lo + k) + [root(hashes[lo + k : hi])]
    return _path(hashes, m - k, lo + k, hi) + [root(hashes[lo : lo + k])]


def consistency_proof(hashes: Sequence[bytes], first: int) -> list[bytes]:
    """PROOF(first, D[n]): that the tree of the first `first` leaves is a prefix of the tree
    of all `hashes`. Empty when first == n; 0 < first <= n."""
    if not 0 < first <= len(hashes):
        raise ValueError("first size outside the tree")
    return _subproof(hashes, first, 0, len(hashes), True)


def _subproof(hashes: Sequence[bytes], m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if whole else [root(hashes[lo:hi])]
    k = split_point(n)
    if m <= k:
        return _subproof(hashes, m, lo, lo + k, whole) + [root(hashes[lo + k : hi])]
    return _subproof(hashes, m - k, lo + k, hi, False) + [root(hashes[lo : lo + k])]


def verify_inclusion(
    index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """Whether `proof` shows the leaf hash `leaf` at `index` in the tree of `tree_size` leaves
    whose root is `root_hash` (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < tree_size:
        return False
    fn, sn, r = index, tree_size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether `proof` shows the tree of `first` leaves with root `first_root` to be a prefix
    of the tree of `second` leaves with root `second_root` (RFC 9162 §2.1.4.2)."""
    if not 0 < first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old root is a node of the path
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


# --- Frontier -------------------------------------------------------------------------------


def frontier_append(frontier: list[bytes], size: int, leaf: bytes) -> list[bytes]:
    """The frontier of the tree of `size` + 1 leaves, from that of `size` leaves and the new
    leaf hash: like adding one to a binary counter, equal subtrees merge."""
    frontier = [*frontier, leaf]
    while size & 1:
        right = frontier.pop()
        left = frontier.pop()
        frontier.append(node_hash(left, right))
        size >>= 1
    return frontier


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """MTH of the tree whose frontier this is: the subtrees folded from the right."""
    if not frontier:
        return EMPTY_ROOT
    result = frontier[-1]
    for subtree in reversed(frontier[:-1]):
        result = node_hash(subtree, result)
    return result


def pack(hashes: Sequence[bytes]) -> bytes:
    """Hashes concatenated, for storage."""
    return b"".join(hashes)


def unpack(packed: bytes | None) -> list[bytes]:
    """The hashes `pack` concatenated."""
    packed = packed or b""
    return [packed[i : i + HASH_SIZE] for i in range(0, len(packed), HASH_SIZE)]
