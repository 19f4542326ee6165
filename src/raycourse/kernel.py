"""The pi kernel: count darts that land inside the unit circle.

Darts are numbered ``0, 1, 2, ...``. Dart ``i`` belongs to *stream block*
``i // STREAM_BLOCK``, and every stream block draws from its own PCG64 stream,
the ``k``-th child of ``numpy.random.SeedSequence(seed)`` (exactly what
``SeedSequence(seed).spawn(k + 1)[k]`` returns). Because the dart's index, not
the process that happens to throw it, picks the stream, any split of the darts
into ranges gives the same count: the serial estimate and the parallel one in
:mod:`raycourse.parallel` are the same calculation, bit for bit.

**Coordinates.** Each dart costs one 64-bit draw, read as two signed 32-bit
integers ``x`` and ``y`` in ``[-2**31, 2**31)``: a point on a grid of spacing
``2**-31`` over the square ``[-1, 1) x [-1, 1)``, scaled by ``2**31``. The dart
is inside when ``x*x + y*y < 2**62``, and that test is decided exactly: the
count is the number of grid points strictly inside the circle, never a
floating-point approximation of it.

**Bias.** The expected estimate is ``G / 2**62``, where ``G`` is the number of
grid points inside the circle of radius ``2**31``. Each such point's unit cell
lies within radius ``2**31 + 1/sqrt(2)`` and the cells cover radius
``2**31 - 1/sqrt(2)``, so ``|G - pi * 2**62| <= sqrt(2) * pi * 2**31 + pi / 2``
and the bias is below ``sqrt(2) * pi / 2**31 < 2.1e-9``. Counting ``G`` exactly
(:data:`GRID_POINTS_INSIDE`) puts it at ``-4.3e-14`` (:data:`GRID_BIAS`). The
standard error ``1.642 / sqrt(N)`` is still ``5e-8`` at ``N = 10**15`` darts,
almost two weeks of work for both cores of the machines this course runs on,
and would shrink to the size of the bias only after ``10**27`` darts.

**Speed.** The darts are thrown in chunks of :data:`CHUNK`, sized so that the
working buffers stay in a core's L2 cache. A chunk costs four passes after the
draws: convert the 32-bit integers to ``float32``, take the modulus of each
``(x, y)`` pair viewed as a ``complex64`` number, and count the moduli below
``2**31 * (1 - 2**-20)`` (surely inside) and below ``2**31 * (1 + 2**-20)``.
Single precision moves a modulus by at most about ``2**-22`` of itself (a
rounding of each coordinate and a few in the modulus, ``2**-24`` each), so
only darts between the two bounds, about three in a million, can be misjudged;
they are rechecked with exact 64-bit integer arithmetic. Float32 halves the
bytes each pass moves compared with float64 or 64-bit integers, and the
modulus replaces two squares and a sum over interleaved pairs.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_int, check_seed

__all__ = [
    "CHUNK",
    "GRID_BIAS",
    "GRID_POINTS_INSIDE",
    "STREAM_BLOCK",
    "count_inside",
    "count_inside_range",
    "estimate_pi",
    "root_entropy",
    "stream_generator",
]

#: Darts handled per vectorised step. The buffers of a chunk (the 64-bit
#: draws, their float32 coordinates, the moduli and a mask: 21 bytes per dart,
#: 672 KiB) fit in a 1 MiB L2 cache, and the chunk is long enough that the
#: fixed cost of a NumPy call is small beside the work it does.
CHUNK = 2**15

#: Darts per random stream. A stream block is the unit of reproducibility.
STREAM_BLOCK = 2**22

#: The number ``G`` of grid points ``(x, y)``, ``-2**31 <= x, y < 2**31``,
#: with ``x*x + y*y < 2**62``: ``4 * Q + 4 * (2**31 - 1) + 1`` where ``Q`` sums
#: ``isqrt(2**62 - 1 - x*x)`` over ``x = 1 .. 2**31 - 1`` (computed once, exactly).
GRID_POINTS_INSIDE = 14_488_038_916_154_045_361

#: Expected estimate minus pi, ``GRID_POINTS_INSIDE / 2**62 - pi``.
GRID_BIAS = -4.3438e-14

_RADIUS = 2.0**31
# The float32 modulus is within 2**-22 of the true one (one rounding of each
# coordinate, at most three ulps in the modulus): a margin of 2**-20 is four
# times that, and both bounds are exact float32 numbers.
_SURELY_INSIDE = np.float32(_RADIUS * (1 - 2.0**-20))
_SURELY_OUTSIDE = np.float32(_RADIUS * (1 + 2.0**-20))
_RADIUS_SQUARED = np.uint64(2**62)


def _count_exact(words: np.ndarray) -> int:
    """Count the darts of ``words`` inside the circle with exact integer arithmetic."""
    coords = words.view(np.int32).astype(np.int64)
    np.multiply(coords, coords, out=coords)
    # Each square is at most 2**62, their sum at most 2**63: exact in uint64.
    squares = coords.view(np.uint64)
    return int(np.count_nonzero(squares[0::2] + squares[1::2] < _RADIUS_SQUARED))


# fast-chunk-start
def _count_chunk(
    words: np.ndarray, coords: np.ndarray, moduli: np.ndarray, below: np.ndarray
) -> int:
    """Count the darts of one chunk of 64-bit ``words`` inside the circle.

    ``coords`` (float32, two per word), ``moduli`` (float32) and ``below``
    (bool, one per word) are scratch buffers of the matching sizes.
    """
    # Each word is two signed 32-bit coordinates: (x, y) pairs, side by side.
    np.copyto(coords, words.view(np.int32), casting="same_kind")
    # |x + iy| = sqrt(x*x + y*y), in one vectorised pass over the pairs.
    np.absolute(coords.view(np.complex64), out=moduli)
    inside = int(np.count_nonzero(np.less(moduli, _SURELY_INSIDE, out=below)))
    if np.count_nonzero(np.less(moduli, _SURELY_OUTSIDE, out=below)) > inside:
        # A few darts lie too close to the circle for float32: decide exactly.
        near = (moduli >= _SURELY_INSIDE) & (moduli < _SURELY_OUTSIDE)
        inside += _count_exact(words[near])
    return inside
    # fast-chunk-end


def count_inside(generator: np.random.Generator, num_darts: int) -> int:
    """Throw ``num_darts`` darts at the square and count the hits.

    Parameters
    ----------
    generator : numpy.random.Generator
        Source of randomness; exactly ``num_darts`` 64-bit words are drawn
        from its bit generator, one per dart.
    num_darts : int
        Number of darts, ``>= 0``.

    Returns
    -------
    int
        How many darts landed inside the circle of radius 1 (see the module
        docstring for the exact test).

    Raises
    ------
    TypeError
        If ``generator`` is not a ``numpy.random.Generator`` or ``num_darts``
        is not an integer.
    ValueError
        If ``num_darts`` is negative.
    """
    if not isinstance(generator, np.random.Generator):
        raise TypeError(f"generator must be a numpy.random.Generator, got {generator!r}")
    num_darts = check_int("num_darts", num_darts, minimum=0)
    bit_generator = generator.bit_generator
    size = min(num_darts, CHUNK)
    # Allocated once per call and reused by every chunk.
    coords = np.empty(2 * size, dtype=np.float32)
    moduli = np.empty(size, dtype=np.float32)
    below = np.empty(size, dtype=np.bool_)
    inside = 0
    remaining = num_darts
    while remaining >= size > 0:
        inside += _count_chunk(bit_generator.random_raw(size), coords, moduli, below)
        remaining -= size
    if remaining:
        inside += _count_chunk(
            bit_generator.random_raw(remaining),
            coords[: 2 * remaining],
            moduli[:remaining],
            below[:remaining],
        )
    return inside


def root_entropy(seed: int | None) -> int:
    """Return the entropy of ``SeedSequence(seed)``: fresh entropy when ``seed`` is None."""
    return int(np.random.SeedSequence(check_seed(seed)).entropy)


def stream_generator(entropy: int, index: int) -> np.random.Generator:
    """Return the generator of stream block ``index`` for the root ``entropy``.

    It is the ``index``-th child that ``SeedSequence(entropy).spawn`` would
    produce, built directly so that no other stream has to be spawned first.
    """
    child = np.random.SeedSequence(entropy, spawn_key=(index,))
    return np.random.Generator(np.random.PCG64(child))


def count_inside_range(entropy: int, start: int, stop: int) -> int:
    """Count the hits among the darts numbered ``start`` to ``stop - 1``.

    Parameters
    ----------
    entropy : int
        Root entropy of the run, from :func:`root_entropy`.
    start, stop : int
        Half-open range of dart indices, ``0 <= start <= stop``.

    Returns
    -------
    int
        Darts of the range inside the quarter circle. Summing this over any
        partition of ``range(0, N)`` gives the same total.
    """
    start = check_int("start", start, minimum=0)
    stop = check_int("stop", stop, minimum=start)
    inside = 0
    position = start
    while position < stop:
        block, offset = divmod(position, STREAM_BLOCK)
        take = min(stop - position, STREAM_BLOCK - offset)
        generator = stream_generator(entropy, block)
        if offset:
            # Skip the darts of this stream that another range throws.
            generator.bit_generator.advance(offset)
        inside += count_inside(generator, take)
        position += take
    return inside


def estimate_pi(num_samples: int, *, seed: int | None = None) -> float:
    """Estimate pi from ``num_samples`` darts on one core.

    Parameters
    ----------
    num_samples : int
        Number of darts, ``>= 1``. Memory use does not grow with it: the darts
        are thrown in chunks of :data:`CHUNK`.
    seed : int or None, optional
        Non-negative seed. The same seed gives the same estimate, here and in
        :func:`raycourse.estimate_pi_parallel`. ``None`` draws fresh entropy.

    Returns
    -------
    float
        ``4 * inside / num_samples``.

    Raises
    ------
    TypeError
        If ``num_samples`` or ``seed`` is not an integer (booleans included).
    ValueError
        If ``num_samples < 1`` or ``seed < 0``.

    Examples
    --------
    >>> estimate_pi(1_000_000, seed=7) == estimate_pi(1_000_000, seed=7)
    True
    """
    num_samples = check_int("num_samples", num_samples)
    entropy = root_entropy(seed)
    return 4 * count_inside_range(entropy, 0, num_samples) / num_samples
