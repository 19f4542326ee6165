"""A slow, plain reference of the kernel's darts, in exact Python integers.

It follows the scheme of the :mod:`raycourse.kernel` docstring literally, one
dart at a time, without floating point and without the kernel's shortcut: it
reads the lower halves of *every* dart from the refinement stream, where the
kernel reads them only for darts near the circle. Counts must agree exactly.
"""

from __future__ import annotations

import numpy as np

MASK_64 = 2**64 - 1
RADIUS_SQUARED = 2**62


def splitmix64(key: int, index: int) -> int:
    """Word ``index`` of the SplitMix64 stream with seed ``key`` (Steele, Lea, Flood 2014)."""
    z = (key + (index + 1) * 0x9E37_79B9_7F4A_7C15) & MASK_64
    z = ((z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9) & MASK_64
    z = ((z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB) & MASK_64
    return z ^ (z >> 31)


def signed16(bits: int) -> int:
    """The 16 bits ``bits`` read as a two's complement integer."""
    return bits - (bits >> 15 << 16)


def dart(word: int, half: int, low: int) -> tuple[int, int]:
    """The 32-bit coordinates (X, Y) of the dart in half ``half`` of main ``word``.

    ``low`` is the dart's refinement word: its bits 0-15 and 16-31 are the
    lower halves of X and Y.
    """
    upper = word >> (32 * half)
    x_hi, y_hi = signed16(upper & 0xFFFF), signed16(upper >> 16 & 0xFFFF)
    return x_hi * 2**16 + (low & 0xFFFF), y_hi * 2**16 + (low >> 16 & 0xFFFF)


def inside(x: int, y: int) -> bool:
    """The kernel's test: strictly inside the circle of radius 2**31."""
    return x * x + y * y < RADIUS_SQUARED


def hits(words: list[int], key: int, first: int, count: int) -> list[int]:
    """1 or 0 for each of darts ``first .. first + count - 1`` of a block.

    ``words`` are the block's main-stream words from word ``first // 2`` on,
    ``key`` its refinement key.
    """
    base = first // 2
    return [
        int(inside(*dart(words[d // 2 - base], d % 2, splitmix64(key, d))))
        for d in range(first, first + count)
    ]


def block_key(seed: int, block: int) -> int:
    """The refinement key of stream block ``block``: 64 bits of its seed's child 1."""
    child = np.random.SeedSequence(seed, spawn_key=(block, 1))
    return int(child.generate_state(1, np.uint64)[0])


def range_count(seed: int, start: int, stop: int, block_size: int) -> int:
    """Hits among darts ``start .. stop - 1`` of the run, block by block."""
    total = 0
    position = start
    while position < stop:
        block, first = divmod(position, block_size)
        last = min(stop - block * block_size, block_size)  # block's darts first .. last - 1
        bit_generator = np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,)))
        bit_generator.advance(first // 2)
        words = bit_generator.random_raw((last + 1) // 2 - first // 2).tolist()
        total += sum(hits(words, block_key(seed, block), first, last - first))
        position = block * block_size + last
    return total
