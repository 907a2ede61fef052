"""The Merkle tree is RFC 9162's: the published test vectors, and a naive implementation of
the RFC's recursive definitions for every size up to 20."""

import hashlib

import pytest

from consultation.ledger import merkle

# Certificate Transparency test data (RFC 6962/9162 reference leaves and roots).
LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
HASHES = [merkle.leaf_hash(leaf) for leaf in LEAVES]


def test_roots_of_the_reference_trees():
    for size in range(len(LEAVES) + 1):
        assert merkle.root(HASHES[:size]).hex() == ROOTS[size]


def test_reference_inclusion_and_consistency_proofs():
    assert [p.hex() for p in merkle.inclusion_proof(HASHES, 5)] == [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]
    assert [p.hex() for p in merkle.consistency_proof(HASHES, 2)] == [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]


# --- RFC 9162 §2.1, written as the RFC states it (slow, obviously right) ----------------------


def _mth(hashes):
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return hashlib.sha256(b"\x01" + _mth(hashes[:k]) + _mth(hashes[k:])).digest()


def _path(m, hashes):
    if len(hashes) == 1:
        return []
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    if m < k:
        return _path(m, hashes[:k]) + [_mth(hashes[k:])]
    return _path(m - k, hashes[k:]) + [_mth(hashes[:k])]


def _subproof(m, hashes, b):
    n = len(hashes)
    if m == n:
        return [] if b else [_mth(hashes)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return _subproof(m, hashes[:k], b) + [_mth(hashes[k:])]
    return _subproof(m - k, hashes[k:], False) + [_mth(hashes[:k])]


LEAF_HASHES = [merkle.leaf_hash(f"entrée {n}".encode()) for n in range(20)]


@pytest.mark.parametrize("size", range(1, 21))
def test_root_and_proofs_agree_with_the_rfc_definitions(size):
    hashes = LEAF_HASHES[:size]
    root = merkle.root(hashes)
    assert root == _mth(hashes)
    for index in range(size):
        proof = merkle.inclusion_proof(hashes, index)
        assert proof == _path(index, hashes)
        assert merkle.verify_inclusion(index, size, hashes[index], proof, root)
    for first in range(1, size + 1):
        proof = merkle.consistency_proof(hashes, first)
        assert proof == _subproof(first, hashes, True)
        assert merkle.verify_consistency(first, size, _mth(hashes[:first]), root, proof)


@pytest.mark.parametrize("size", range(2, 21))
def test_wrong_proofs_are_refused(size):
    hashes = LEAF_HASHES[:size]
    root = merkle.root(hashes)
    for index in range(size):
        proof = merkle.inclusion_proof(hashes, index)
        other = (index + 1) % size
        assert not merkle.verify_inclusion(other, size, hashes[index], proof, root)
        assert not merkle.verify_inclusion(index, size, hashes[other], proof, root)
        assert not merkle.verify_inclusion(
            index, size, hashes[index], proof, merkle.root(hashes[:-1])
        )
        assert not merkle.verify_inclusion(index, index, hashes[index], proof, root)
        if proof:
            bad = [bytes(32)] + proof[1:]
            assert not merkle.verify_inclusion(index, size, hashes[index], bad, root)
    for first in range(1, size):
        proof = merkle.consistency_proof(hashes, first)
        old_root = merkle.root(hashes[:first])
        assert not merkle.verify_consistency(first, size, bytes(32), root, proof)
        assert not merkle.verify_consistency(first, size, old_root, bytes(32), proof)
        assert not merkle.verify_consistency(first, size, old_root, root, proof[:-1])


def test_the_frontier_gives_every_root_and_extends_from_any_size():
    frontier: list[bytes] = []
    for size, digest in enumerate(LEAF_HASHES):
        frontier = merkle.frontier_append(frontier, size, digest)
        assert merkle.frontier_root(frontier) == _mth(LEAF_HASHES[: size + 1])
        assert len(frontier) == bin(size + 1).count("1")
        assert merkle.unpack(merkle.pack(frontier)) == frontier
    assert merkle.frontier_root([]) == merkle.EMPTY_ROOT
