"""The pi kernel: count darts that land inside the unit circle.

Darts are numbered ``0, 1, 2, ...``. Dart ``i`` belongs to *stream block*
``k = i // STREAM_BLOCK`` and is dart ``d = i % STREAM_BLOCK`` of that block. Each
block has two sources of randomness, both derived from
``numpy.random.SeedSequence(seed)``:

- the *main stream*, a PCG64 generator seeded with the block's ``k``-th child
  (exactly what ``SeedSequence(seed).spawn(k + 1)[k]`` returns), and
- the *refinement stream*, SplitMix64 keyed by 64 bits that the child of that
  child with spawn key ``(k, 1)`` generates. SplitMix64 is counter-based: its
  word number ``d`` is computed directly, without computing the words before.

Because the dart's index, not the process that happens to throw it, picks the
random bits, any split of the darts into ranges gives the same count: the
serial estimate and the parallel one in :mod:`raycourse.parallel` are the same
calculation, bit for bit.

**Coordinates.** A dart's coordinates are signed 32-bit integers ``X`` and
``Y`` in ``[-2**31, 2**31)``: a point on a grid of spacing ``2**-31`` over the
square ``[-1, 1) x [-1, 1)``, scaled by ``2**31``. The dart is inside when
``X*X + Y*Y < 2**62``, and that test is decided exactly: the count is the
number of grid points strictly inside the circle, never a floating-point
approximation of it. Each coordinate is split into its upper and lower 16 bits,
``X = x_hi * 2**16 + x_lo`` with ``-2**15 <= x_hi < 2**15`` and
``0 <= x_lo < 2**16``, and the two halves come from different streams:

- *Upper halves, two darts per main-stream word.* Word ``j`` of the main
  stream holds darts ``2j`` and ``2j + 1`` of the block: bits 0-15 and 16-31
  are ``x_hi`` and ``y_hi`` of dart ``2j``, bits 32-47 and 48-63 those of dart
  ``2j + 1``, each read as a signed 16-bit integer. So ``n`` darts from the
  start of a block draw ``ceil(n / 2)`` words.
- *Lower halves, only when they matter.* The upper halves put the dart in a
  cell ``[x_hi, x_hi + 1) x [y_hi, y_hi + 1)`` of side ``2**16`` grid steps.
  Whenever the corner ``(x_hi, y_hi)`` is further than 2 cell sides (more than
  the cell's diagonal) from the circle of radius ``2**15`` cells, the whole
  cell is inside or outside, and so is the dart, whatever its lower halves.
  Only the other darts, *near* the circle (about 1.9 in 10,000), need
  ``x_lo`` and ``y_lo``: they are bits 0-15 and 16-31 of word ``d`` of the
  block's refinement stream, and the exact test decides.

Every dart is therefore a uniform point of the ``2**32 x 2**32`` grid,
independent of the others: its lower halves are fixed by its number whether
or not they are ever computed. The estimator is exactly the grid estimator
below.

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
working buffers stay in a core's L2 cache. Drawing half a 64-bit word per dart
halves the time spent in the generator, whose rate bounds any kernel that
spends a whole word on each dart. A chunk then costs a few passes: convert the
16-bit upper halves to ``float32`` (exactly), take the modulus of each
``(x_hi, y_hi)`` pair viewed as a ``complex64`` number, and compare it with
``2**15 - 2`` (surely inside) and ``2**15 + 2`` (surely outside). Single
precision puts the modulus within a few units of ``2**-8`` of the true
distance of the corner, far inside the slack ``2 - sqrt(2)`` that the margin
leaves beyond the cell's diagonal, so no dart is misjudged; and since a near
dart's lower halves depend only on its index, which darts the float test calls
near cannot change the count either. The near darts of many chunks are then
decided together with exact 64-bit integer arithmetic. Bit positions are read
through NumPy views, which follow the machine's byte order: little-endian on
every platform this course runs on (x86-64, ARM64).
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
    "refinement_key",
    "root_entropy",
    "splitmix64",
    "stream_generator",
]

#: Darts handled per vectorised step. The buffers of a chunk (the 64-bit
#: draws, half a word per dart, the float32 upper halves, the moduli and two
#: masks: 18 bytes per dart, 576 KiB) fit in a 1 MiB L2 cache, and the chunk
#: is long enough that the fixed cost of a NumPy call is small beside the work
#: it does.
CHUNK = 2**15

#: Darts per random stream. A stream block is the unit of reproducibility.
STREAM_BLOCK = 2**22

#: The number ``G`` of grid points ``(x, y)``, ``-2**31 <= x, y < 2**31``,
#: with ``x*x + y*y < 2**62``: ``4 * Q + 4 * (2**31 - 1) + 1`` where ``Q`` sums
#: ``isqrt(2**62 - 1 - x*x)`` over ``x = 1 .. 2**31 - 1`` (computed once, exactly).
GRID_POINTS_INSIDE = 14_488_038_916_154_045_361

#: Expected estimate minus pi, ``GRID_POINTS_INSIDE / 2**62 - pi``.
GRID_BIAS = -4.3438e-14

# The circle has radius 2**15 cells. A cell reaches at most sqrt(2) cells from
# its corner, and float32 moves the corner's modulus by a few ulps (2**-8
# each): a margin of 2 cells leaves 0.58 cells, 150 ulps, to spare.
_SURELY_INSIDE = np.float32(2**15 - 2)
_SURELY_OUTSIDE = np.float32(2**15 + 2)
_RADIUS_SQUARED = np.uint64(2**62)
# Near darts of this many chunks are decided together (about 200 of them).
_REFINE_EVERY = 32
# The spawn key entry, after the block's, of the refinement stream's seed.
_REFINE_CHILD = 1

_GOLDEN_GAMMA = np.uint64(0x9E37_79B9_7F4A_7C15)
_MIX_1 = np.uint64(0xBF58_476D_1CE4_E5B9)
_MIX_2 = np.uint64(0x94D0_49BB_1331_11EB)


def splitmix64(key: int, index: np.ndarray) -> np.ndarray:
    """Return words ``index`` of the SplitMix64 stream seeded with ``key``.

    SplitMix64 (Steele, Lea and Flood, 2014) adds a fixed odd constant to its
    64-bit state for each word and returns a bijective mix of the new state, so
    word ``i`` is ``mix(key + (i + 1) * 0x9E3779B97F4A7C15)``, all modulo
    ``2**64``: any word can be computed on its own.

    Parameters
    ----------
    key : int
        The seed, ``0 <= key < 2**64``.
    index : numpy.ndarray
        Word numbers, non-negative integers.

    Returns
    -------
    numpy.ndarray
        The words, ``uint64``, one per entry of ``index``.
    """
    # Array arithmetic on uint64 wraps modulo 2**64, as SplitMix64 needs.
    state = np.asarray(index, dtype=np.uint64) + np.uint64(1)
    state *= _GOLDEN_GAMMA
    state += np.uint64(key)
    state ^= state >> np.uint64(30)
    state *= _MIX_1
    state ^= state >> np.uint64(27)
    state *= _MIX_2
    state ^= state >> np.uint64(31)
    return state


def refinement_key(seed_sequence: np.random.SeedSequence) -> int:
    """Return the refinement-stream key that belongs to a main stream's seed.

    It is 64 bits generated by the child of ``seed_sequence`` with spawn key
    ``seed_sequence.spawn_key + (1,)``: for stream block ``k`` of the root
    entropy ``e``, ``SeedSequence(e, spawn_key=(k, 1))``.
    """
    if not isinstance(seed_sequence, np.random.SeedSequence):
        raise TypeError(f"seed_sequence must be a numpy.random.SeedSequence, got {seed_sequence!r}")
    child = np.random.SeedSequence(
        seed_sequence.entropy,
        spawn_key=(*seed_sequence.spawn_key, _REFINE_CHILD),
        pool_size=seed_sequence.pool_size,
    )
    return int(child.generate_state(1, np.uint64)[0])


def _count_exact(halves: np.ndarray, low: np.ndarray) -> int:
    """Count darts inside the circle, exactly.

    ``halves`` holds each dart's upper halves ``(x_hi, y_hi)`` as one int32
    (two int16), ``low`` its refinement word, whose bits 0-15 and 16-31 are
    ``x_lo`` and ``y_lo``.
    """
    low = low.view(np.int64)
    coords = halves.view(np.int16).astype(np.int64).reshape(-1, 2)
    # X = x_hi * 2**16 + x_lo: the lower 16 bits of the shifted x_hi are zero.
    coords <<= 16
    coords[:, 0] |= low & 0xFFFF
    coords[:, 1] |= (low >> 16) & 0xFFFF
    np.multiply(coords, coords, out=coords)
    # Each square is at most 2**62, their sum at most 2**63: exact in uint64.
    squares = coords.view(np.uint64)
    return int(np.count_nonzero(squares[:, 0] + squares[:, 1] < _RADIUS_SQUARED))


# fast-chunk-start
def _classify_chunk(
    halves: np.ndarray,
    coords: np.ndarray,
    moduli: np.ndarray,
    inside: np.ndarray,
    near: np.ndarray,
) -> tuple[int, np.ndarray]:
    """Return how many darts of one chunk are surely inside, and which are near.

    ``halves`` holds one dart per int32: its upper halves (x_hi, y_hi), two
    int16 side by side. ``coords`` (float32, two per dart), ``moduli``
    (float32) and the masks ``inside`` and ``near`` (bool) are scratch buffers
    of the matching sizes.
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
    # fast-chunk-end


def _count_darts(bit_generator: np.random.BitGenerator, key: int, first: int, count: int) -> int:
    """Count the hits among darts ``first`` to ``first + count - 1`` of a block.

    ``bit_generator`` is the block's main stream, positioned at word
    ``first // 2`` (the word that holds dart ``first``); ``key`` is the
    block's refinement key.
    """
    skip = first % 2  # dart first - 1 shares the first word: don't count it
    end = skip + count  # darts covered by the words drawn, the skipped one included
    size = min(end, CHUNK)
    # Allocated once per call and reused by every chunk.
    coords = np.empty(2 * size, dtype=np.float32)
    moduli = np.empty(size, dtype=np.float32)
    inside_mask = np.empty(size, dtype=np.bool_)
    near_mask = np.empty(size, dtype=np.bool_)
    inside = 0
    near_halves: list[np.ndarray] = []
    near_index: list[np.ndarray] = []
    position = 0  # darts covered so far, the skipped one included
    chunks = 0
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
            low = splitmix64(key, np.concatenate(near_index))
            inside += _count_exact(np.concatenate(near_halves), low)
            near_halves.clear()
            near_index.clear()
    return inside


def count_inside(
    generator: np.random.Generator,
    num_darts: int,
    *,
    refine: np.random.SeedSequence | None = None,
) -> int:
    """Throw ``num_darts`` darts at the square and count the hits.

    The darts are darts ``0`` to ``num_darts - 1`` of a stream block (see the
    module docstring) whose main stream is ``generator``, from its current
    position, and whose refinement stream is keyed by ``refine``.

    Parameters
    ----------
    generator : numpy.random.Generator
        Main stream; exactly ``ceil(num_darts / 2)`` 64-bit words are drawn
        from its bit generator, one per two darts.
    num_darts : int
        Number of darts, ``>= 0``.
    refine : numpy.random.SeedSequence, optional
        Seeds the refinement stream (see :func:`refinement_key`). By default
        the child ``spawn_key + (1,)`` of the generator's own seed sequence,
        so that ``count_inside(stream_generator(e, k), n)`` counts the first
        ``n`` darts of stream block ``k``, as :func:`count_inside_range` does.
        The refinement words are numbered from the first dart of each call:
        calls that continue one generator's stream should each pass their own
        ``refine``.

    Returns
    -------
    int
        How many darts landed inside the circle of radius 1 (see the module
        docstring for the exact test).

    Raises
    ------
    TypeError
        If ``generator`` is not a ``numpy.random.Generator``, ``num_darts``
        is not an integer, or ``refine`` is not a ``SeedSequence`` (nor given
        by the generator's own seed).
    ValueError
        If ``num_darts`` is negative.
    """
    if not isinstance(generator, np.random.Generator):
        raise TypeError(f"generator must be a numpy.random.Generator, got {generator!r}")
    num_darts = check_int("num_darts", num_darts, minimum=0)
    if refine is None:
        refine = getattr(generator.bit_generator, "seed_seq", None)
        if not isinstance(refine, np.random.SeedSequence):
            raise TypeError(
                f"refine must be given: the generator's seed {refine!r} is not a SeedSequence"
            )
    elif not isinstance(refine, np.random.SeedSequence):
        raise TypeError(f"refine must be a numpy.random.SeedSequence, got {refine!r}")
    return _count_darts(generator.bit_generator, refinement_key(refine), 0, num_darts)


def root_entropy(seed: int | None) -> int:
    """Return the entropy of ``SeedSequence(seed)``: fresh entropy when ``seed`` is None."""
    return int(np.random.SeedSequence(check_seed(seed)).entropy)


def stream_generator(entropy: int, index: int) -> np.random.Generator:
    """Return the main-stream generator of stream block ``index`` for the root ``entropy``.

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
        main = np.random.SeedSequence(entropy, spawn_key=(block,))
        bit_generator = np.random.PCG64(main)
        if offset > 1:
            # Skip the words of this stream that other ranges use.
            bit_generator.advance(offset // 2)
        inside += _count_darts(bit_generator, refinement_key(main), offset, take)
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
