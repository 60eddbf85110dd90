"""Identifier shapes: staff ids in three formats, numeric ids and pseudonymous tokens."""

from __future__ import annotations

import uuid

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_MASK = np.uint64((1 << 36) - 1)


def staff_ids(n: int, fmt: str, rng: np.random.Generator) -> pa.Array:
    """``numeric`` ("1000234"), ``prefixed`` ("MP-004231") or ``uuid``; unique, in random order."""
    if fmt == "uuid":
        raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
        return pa.array([str(uuid.UUID(bytes=bytes(r), version=4)) for r in raw])
    if fmt == "prefixed":
        nums = rng.choice(np.arange(1, max(999_999, n + 1)), size=n, replace=False)
        return pa.array([f"MP-{x:06d}" for x in nums])
    nums = rng.choice(np.arange(1_000_000, 1_000_000 + max(900_000, 2 * n)), size=n, replace=False)
    return as_text(nums)


def as_text(values: np.ndarray, prefix: str = "") -> pa.Array:
    """Integers as strings, optionally prefixed (vectorised)."""
    text = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, text, "") if prefix else text


def token_ints(values: np.ndarray) -> np.ndarray:
    """Scramble integers below 2**36 into 11-digit pseudonyms.

    Xor-shifts and odd multiplications modulo 2**36 are invertible, so distinct inputs
    stay distinct while neighbours look unrelated.
    """
    x = np.asarray(values, dtype=np.int64).astype(np.uint64) & _MASK
    with np.errstate(over="ignore"):
        x ^= x >> np.uint64(17)
        x = (x * np.uint64(0x9E3779B1)) & _MASK
        x ^= x >> np.uint64(13)
        x = (x * np.uint64(0x85EBCA77)) & _MASK
        x ^= x >> np.uint64(16)
    return x.astype(np.int64) + 10_000_000_000


def tokens(values: np.ndarray) -> pa.Array:
    return as_text(token_ints(values))


# Disjoint ranges of the pseudonym space: case parties, members of the public, staff phones.
PARTY_BASE = 1_000
PUBLIC_BASE = 2_000_000_000
STAFF_PHONE_BASE = 5_000_000_000
EXTERNAL_BASE = 6_000_000_000
