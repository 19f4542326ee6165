"""The pi kernel: count the darts that land inside the unit circle.

Dart ``i`` always gets the same random bits from ``seed``, whichever process
throws it, so any split of the darts into ranges gives the same count: the
serial and the parallel estimates are one calculation, bit for bit. Each dart
is a point of a ``2**32 x 2**32`` grid over ``[-1, 1)^2`` and the inside test
is exact. The Performance page explains the design, its speed and its bias.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import check_int, check_seed

__all__ = [
    "CHUNK",
    "GRID_BIAS",
    "GRID_POINTS_INSIDE",
    "SPREAD_PER_DART",
    "STREAM_BLOCK",
    "count_inside_range",
    "estimate_pi",
]

#: Darts per vectorised step: a chunk's buffers (18 bytes per dart, 576 KiB)
#: fit in a 1 MiB L2 cache.
CHUNK = 2**15

#: Darts per random stream, the unit of reproducibility.
STREAM_BLOCK = 2**22

#: Grid points ``(x, y)``, ``-2**31 <= x, y < 2**31``, with ``x*x + y*y < 2**62``
#: (counted once, exactly).
GRID_POINTS_INSIDE = 14_488_038_916_154_045_361

#: Expected estimate minus pi, ``GRID_POINTS_INSIDE / 2**62 - pi``.
GRID_BIAS = -4.3438e-14

#: Standard deviation of ``4 * hit`` for one dart: an estimate from ``N`` darts
#: has standard error ``SPREAD_PER_DART / sqrt(N)``, about ``1.642 / sqrt(N)``.
SPREAD_PER_DART = 4.0 * math.sqrt(math.pi / 4 * (1.0 - math.pi / 4))

# The circle has radius 2**15 cells; a cell reaches sqrt(2) cells from its
# corner and float32 errs by a few 2**-8: a margin of 2 cells is safe.
_SURELY_INSIDE = np.float32(2**15 - 2)
_SURELY_OUTSIDE = np.float32(2**15 + 2)
_RADIUS_SQUARED = np.uint64(2**62)
_REFINE_EVERY = 32  # chunks whose near darts are decided together
_GOLDEN_GAMMA = np.uint64(0x9E37_79B9_7F4A_7C15)
_MIX_1 = np.uint64(0xBF58_476D_1CE4_E5B9)
_MIX_2 = np.uint64(0x94D0_49BB_1331_11EB)


def _splitmix64(key: int, index: np.ndarray) -> np.ndarray:
    """Words ``index`` of the counter-based SplitMix64 stream keyed by ``key`` (uint64)."""
    # uint64 array arithmetic wraps modulo 2**64, as SplitMix64 needs.
    state = np.asarray(index, dtype=np.uint64) + np.uint64(1)
    state *= _GOLDEN_GAMMA
    state += np.uint64(key)
    state ^= state >> np.uint64(30)
    state *= _MIX_1
    state ^= state >> np.uint64(27)
    state *= _MIX_2
    state ^= state >> np.uint64(31)
    return state


def _refinement_key(seed_sequence: np.random.SeedSequence) -> int:
    """The refinement-stream key of a block: 64 bits of its seed's child ``(*key, 1)``."""
    child = np.random.SeedSequence(
        seed_sequence.entropy,
        spawn_key=(*seed_sequence.spawn_key, 1),
        pool_size=seed_sequence.pool_size,
    )
    return int(child.generate_state(1, np.uint64)[0])


def _count_exact(halves: np.ndarray, low: np.ndarray) -> int:
    """Count exactly the darts with upper halves ``halves`` (int32) and lower words ``low``."""
    low = low.view(np.int64)
    coords = halves.view(np.int16).astype(np.int64).reshape(-1, 2)
    coords <<= 16
    coords[:, 0] |= low & 0xFFFF
    coords[:, 1] |= (low >> 16) & 0xFFFF
    np.multiply(coords, coords, out=coords)
    # Each square is at most 2**62, their sum at most 2**63: exact in uint64.
    squares = coords.view(np.uint64)
    return int(np.count_nonzero(squares[:, 0] + squares[:, 1] < _RADIUS_SQUARED))


def _classify_chunk(
    halves: np.ndarray,
    coords: np.ndarray,
    moduli: np.ndarray,
    inside: np.ndarray,
    near: np.ndarray,
) -> tuple[int, np.ndarray]:
    """Return how many darts of one chunk are surely inside, and which are near.

    ``halves`` holds one dart per int32: its upper halves (x_hi, y_hi), two
    int16 side by side. ``coords``, ``moduli``, ``inside`` and ``near`` are
    scratch buffers, reused from chunk to chunk.
    """
    # Convert (x_hi, y_hi) pairs to float32, exactly: 16 bits fit in 24.
    np.copyto(coords, halves.view(np.int16), casting="same_kind")
    # |x + iy| = sqrt(x*x + y*y), in one vectorised pass over the pairs.
    np.absolute(coords.view(np.complex64), out=moduli)
    surely_inside = int(np.count_nonzero(np.less(moduli, _SURELY_INSIDE, out=inside)))
    # Near: not surely inside, not surely outside. About 1.9 in 10,000 darts.
    np.less(moduli, _SURELY_OUTSIDE, out=near)
    np.not_equal(near, inside, out=near)
    return surely_inside, np.flatnonzero(near)


def _count_darts(bit_generator: np.random.BitGenerator, key: int, first: int, count: int) -> int:
    """Hits among ``count`` darts from ``first`` of a block whose stream is at their word."""
    skip = first % 2  # dart first - 1 shares the first word: don't count it
    end = skip + count
    size = min(end, CHUNK)
    coords = np.empty(2 * size, dtype=np.float32)
    moduli = np.empty(size, dtype=np.float32)
    inside_mask = np.empty(size, dtype=np.bool_)
    near_mask = np.empty(size, dtype=np.bool_)
    inside = 0
    near_halves: list[np.ndarray] = []
    near_index: list[np.ndarray] = []
    position = chunks = 0
    while position < end:
        take = min(CHUNK, end - position)
        # An odd last chunk draws a whole word and leaves its second dart unused.
        halves = bit_generator.random_raw((take + 1) // 2).view(np.int32)
        lead = skip if position == 0 else 0
        darts = halves[lead:take]
        n = take - lead
        surely, near = _classify_chunk(
            darts, coords[: 2 * n], moduli[:n], inside_mask[:n], near_mask[:n]
        )
        inside += surely
        if near.size:
            near_halves.append(darts[near])
            near_index.append(near + (first - skip + position + lead))
        position += take
        chunks += 1
        if near_halves and (chunks % _REFINE_EVERY == 0 or position == end):
            low = _splitmix64(key, np.concatenate(near_index))
            inside += _count_exact(np.concatenate(near_halves), low)
            near_halves.clear()
            near_index.clear()
    return inside


def _root_seed(seed: int | None) -> int:
    """``seed`` checked, or fresh entropy from the operating system when it is None."""
    seed = check_seed(seed)
    return int(np.random.SeedSequence().entropy) if seed is None else seed


def count_inside_range(seed: int, start: int, stop: int) -> int:
    """Count the hits among the darts numbered ``start`` to ``stop - 1``.

    Parameters
    ----------
    seed : int
        Seed of the run, ``>= 0``.
    start, stop : int
        Half-open range of dart numbers, ``0 <= start <= stop``.

    Returns
    -------
    int
        Darts of the range inside the circle: the same total for any partition.
    """
    seed = check_int("seed", seed, minimum=0)
    start = check_int("start", start, minimum=0)
    stop = check_int("stop", stop, minimum=start)
    inside = 0
    position = start
    while position < stop:
        block, offset = divmod(position, STREAM_BLOCK)
        take = min(stop - position, STREAM_BLOCK - offset)
        main = np.random.SeedSequence(seed, spawn_key=(block,))
        bit_generator = np.random.PCG64(main)
        if offset > 1:
            bit_generator.advance(offset // 2)  # skip the words other ranges use
        inside += _count_darts(bit_generator, _refinement_key(main), offset, take)
        position += take
    return inside


def estimate_pi(num_samples: int, *, seed: int | None = None) -> float:
    """Estimate pi on one core: ``4 * inside / num_samples`` for ``num_samples`` darts.

    Parameters
    ----------
    num_samples : int
        Number of darts, ``>= 1``; memory use does not grow with it.
    seed : int or None, optional
        Seed ``>= 0``: the same seed gives the same estimate, here and in
        :func:`raycourse.estimate_pi_parallel`. ``None`` draws fresh entropy.

    Raises
    ------
    TypeError, ValueError
        If ``num_samples`` is not an integer ``>= 1`` or ``seed`` not one ``>= 0``.

    Examples
    --------
    >>> estimate_pi(1_000_000, seed=7) == estimate_pi(1_000_000, seed=7)
    True
    """
    num_samples = check_int("num_samples", num_samples)
    return 4 * count_inside_range(_root_seed(seed), 0, num_samples) / num_samples
