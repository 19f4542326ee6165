"""The fast kernel is an exact, unbiased dart counter.

Whatever the kernel does to be fast, it must count exactly the grid points
that the module docstring of :mod:`raycourse.kernel` defines (two darts per
64-bit word of the main stream, lower halves from the refinement stream), and
its estimates must scatter around pi as binomial counts do.
"""

from __future__ import annotations

import math
from decimal import Decimal, getcontext
from math import isqrt

import kernel_reference
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from kernel_streams import count_inside
from scipy import stats

from raycourse.kernel import CHUNK, GRID_BIAS, GRID_POINTS_INSIDE, STREAM_BLOCK, estimate_pi

SPREAD_PER_DART = 4 * math.sqrt(math.pi / 4 * (1 - math.pi / 4))  # about 1.642
RADIUS_SQUARED = 2**62
# Sizes that end part-way through a word, a chunk or a stream block.
ODD_SIZES = [1, 2, 7, CHUNK - 1, CHUNK + 1, 2 * CHUNK + 12_345, STREAM_BLOCK + 3]
KEY = 0x0123_4567_89AB_CDEF  # a refinement key for hand-made darts


class WordSource:
    """A stand-in main stream that hands out given words and records the draws."""

    def __init__(self, words: list[int]) -> None:
        self.words = np.array(words, dtype=np.uint64)
        self.drawn = 0

    def random_raw(self, size: int) -> np.ndarray:
        out = self.words[self.drawn : self.drawn + size]
        assert len(out) == size, "drew past the end of the stream"
        self.drawn += size
        return out.copy()


def kernel_count(words: list[int], first: int, count: int) -> int:
    """Count darts ``first .. first + count - 1`` with the kernel, from given words.

    ``words`` start at the word that holds dart ``first``; exactly the words
    that hold the darts must be drawn.
    """
    from raycourse.kernel import _count_darts

    source = WordSource(words)
    inside = _count_darts(source, KEY, first, count)
    assert source.drawn == (first + count + 1) // 2 - first // 2
    return inside


def pack(x_hi: int, y_hi: int) -> int:
    """The 32 bits that hold a dart's upper halves."""
    return (x_hi & 0xFFFF) | (y_hi & 0xFFFF) << 16


def words_of(corners: list[tuple[int, int]]) -> list[int]:
    """Main-stream words whose darts have the given upper halves, two per word."""
    halves = [pack(x, y) for x, y in corners] + [0] * (len(corners) % 2)
    return [low | high << 32 for low, high in zip(halves[0::2], halves[1::2], strict=True)]


def test_reference_reads_halves_as_signed_coordinates():
    word = pack(-(2**15), 5) | pack(2**15 - 1, -1) << 32
    assert kernel_reference.dart(word, 0, 0) == (-(2**31), 5 * 2**16)
    assert kernel_reference.dart(word, 1, 0xFFFF_FFFF) == (2**31 - 1, -1)


def test_every_prefix_counts_exactly_its_own_darts():
    # Dart k is half k % 2 of word k // 2 of the stream: the count of the
    # first n darts is the running total of the reference hits, whatever n is.
    total = 3 * CHUNK + 5
    words = np.random.PCG64(21).random_raw((total + 1) // 2).tolist()
    seed = np.random.SeedSequence(21, spawn_key=(1,))
    key = int(seed.generate_state(1, np.uint64)[0])
    running = np.concatenate([[0], np.cumsum(kernel_reference.hits(words, key, 0, total))])
    for n in [0, 1, 2, 3, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 7, 3 * CHUNK + 5]:
        generator = np.random.Generator(np.random.PCG64(21))
        assert count_inside(generator, n) == running[n], n


@pytest.mark.parametrize("n", ODD_SIZES)
def test_exactly_ceil_half_n_words_are_drawn(n):
    generator = np.random.Generator(np.random.PCG64(8))
    count_inside(generator, n)
    expected = np.random.PCG64(8)
    expected.advance((n + 1) // 2)
    assert generator.bit_generator.state == expected.state
    # The next draw is the next word: nothing was drawn ahead and kept.
    assert generator.bit_generator.random_raw() == expected.random_raw()


@pytest.mark.parametrize("n", ODD_SIZES)
def test_estimate_counts_n_darts(n):
    value = estimate_pi(n, seed=3)
    inside = value * n / 4
    assert inside == round(inside)
    assert 0 <= inside <= n


def circle_darts() -> list[tuple[int, int]]:
    """Darts on both sides of the circle within one grid step."""
    rng = np.random.default_rng(0)
    darts = []
    for x in rng.integers(-(2**31), 2**31, size=300).tolist():
        y = isqrt(RADIUS_SQUARED - 1 - x * x)  # the highest grid point inside
        for sign in (1, -1):
            darts.append((x, sign * y))  # inside, by less than one step
            if y + 1 < 2**31:
                darts.append((x, sign * (y + 1)))  # outside, just
    return darts


def boundary_darts() -> list[tuple[int, int]]:
    """The darts of :func:`circle_darts` and the corners and centre of the square."""
    extremes = [-(2**31), 0, 2**31 - 1]
    return circle_darts() + [(a, b) for a in extremes for b in extremes]


def test_darts_at_the_boundary_are_counted_exactly():
    # The exact stage on its own, fed the darts' halves as the kernel splits them.
    from raycourse.kernel import _count_exact

    darts = boundary_darts()
    halves = np.array([pack(x >> 16, y >> 16) for x, y in darts], dtype=np.uint32)
    low = np.array([(x & 0xFFFF) | (y & 0xFFFF) << 16 for x, y in darts], dtype=np.uint64)
    expected = sum(kernel_reference.inside(x, y) for x, y in darts)
    assert _count_exact(halves.view(np.int32), low) == expected


def test_boundary_darts_need_the_exact_stage():
    # Single precision cannot tell these darts apart, even from all 32 bits of
    # their coordinates: without the exact stage the kernel would miscount.
    darts = circle_darts()
    pairs = np.array(darts, dtype=np.float32).view(np.complex64)
    float_count = int(np.count_nonzero(np.abs(pairs) < np.float32(2.0**31)))
    assert float_count != sum(kernel_reference.inside(x, y) for x, y in darts)
    # And the fast pass hands every one of them on as near.
    from raycourse.kernel import _classify_chunk

    halves = np.array([pack(x >> 16, y >> 16) for x, y in darts], dtype=np.uint32).view(np.int32)
    n = len(halves)
    surely_inside, near = _classify_chunk(
        halves,
        np.empty(2 * n, np.float32),
        np.empty(n, np.float32),
        np.empty(n, np.bool_),
        np.empty(n, np.bool_),
    )
    assert surely_inside == 0
    assert near.tolist() == list(range(n))


def test_the_fast_pass_never_misjudges_a_cell():
    # Every corner (x_hi, y_hi) within 5 cells of the circle, for every x_hi:
    # a cell called surely inside must lie wholly inside, one not called near
    # (nor inside) wholly outside, whatever the lower halves.
    from raycourse.kernel import _classify_chunk

    x = np.arange(-(2**15), 2**15, dtype=np.int64)
    edge = np.array([isqrt(2**30 - v * v) for v in x.tolist()], dtype=np.int64)
    offsets = np.arange(-5, 6, dtype=np.int64)
    xs = np.repeat(x, 2 * len(offsets))
    ys = np.concatenate([edge[:, None] + offsets, -edge[:, None] - offsets], axis=1).ravel()
    keep = (ys >= -(2**15)) & (ys < 2**15)
    xs, ys = xs[keep], ys[keep]
    halves = ((xs & 0xFFFF) | (ys & 0xFFFF) << 16).astype(np.uint32).view(np.int32)
    n = len(halves)
    inside, near = np.empty(n, np.bool_), np.empty(n, np.bool_)
    _, near_index = _classify_chunk(
        halves, np.empty(2 * n, np.float32), np.empty(n, np.float32), inside, near
    )
    outside = ~inside
    outside[near_index] = False

    def squares(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Squares of the smallest and largest |X| whose upper half is ``v``."""
        low, high = v * 2**16, v * 2**16 + (2**16 - 1)
        smallest = np.where((low <= 0) & (high >= 0), 0, np.minimum(abs(low), abs(high)))
        largest = np.maximum(abs(low), abs(high))
        return (smallest * smallest).astype(np.uint64), (largest * largest).astype(np.uint64)

    (x_near, x_far), (y_near, y_far) = squares(xs), squares(ys)
    farthest, nearest = x_far + y_far, x_near + y_near
    assert np.all(farthest[inside] < RADIUS_SQUARED)
    assert np.all(nearest[outside] >= RADIUS_SQUARED)
    # The window reaches past the margin on both sides.
    assert inside.any() and outside.any() and len(near_index) < n


@settings(max_examples=60, deadline=None)
@given(
    words=arrays(np.uint64, st.integers(min_value=1, max_value=300)),
    first=st.integers(min_value=0, max_value=2**21),
    odd=st.booleans(),
)
def test_any_words_are_counted_like_the_reference(words, first, odd):
    words = words.tolist()
    count = 2 * len(words) - (first % 2) - int(odd and len(words) > 1)
    expected = sum(kernel_reference.hits(words, KEY, first, count))
    assert kernel_count(words, first, count) == expected


# Darts whose cells straddle the circle or come within a few cells of it: the
# darts the exact stage decides. Random words almost never produce them.
near_corners = st.lists(
    st.tuples(st.integers(-(2**15), 2**15 - 1), st.integers(-3, 3), st.booleans()).map(
        lambda t: (t[0], (1 if t[2] else -1) * (isqrt(2**30 - t[0] ** 2) + t[1]))
    ),
    min_size=1,
    max_size=400,
)


@settings(max_examples=60, deadline=None)
@given(corners=near_corners, first=st.integers(min_value=0, max_value=2**21))
def test_near_darts_are_counted_like_the_reference(corners, first):
    corners = [(x, max(-(2**15), min(y, 2**15 - 1))) for x, y in corners]
    words = words_of(([(0, 0)] if first % 2 else []) + corners)
    count = len(corners)
    expected = sum(kernel_reference.hits(words, KEY, first, count))
    assert kernel_count(words, first, count) == expected


def test_a_whole_chunk_of_near_darts_is_counted_exactly():
    # Thousands of near darts, more than one chunk of them, against the reference.
    rng = np.random.default_rng(5)
    corners = []
    for x in rng.integers(-(2**15), 2**15, size=CHUNK + 999).tolist():
        y = isqrt(2**30 - x * x) + int(rng.integers(-2, 3))
        corners.append((x, max(-(2**15), min(y, 2**15 - 1)) * int(rng.choice([-1, 1]))))
    words = words_of(corners)
    expected = sum(kernel_reference.hits(words, KEY, 0, len(corners)))
    assert kernel_count(words, 0, len(corners)) == expected


@pytest.fixture(scope="module")
def many_estimates():
    """One estimate of 100,000 darts for each of 1,000 seeds."""
    n = 100_000
    return n, np.array([estimate_pi(n, seed=seed) for seed in range(1_000)])


def test_mean_over_seeds_is_pi_within_standard_errors(many_estimates):
    n, estimates = many_estimates
    standard_error = SPREAD_PER_DART / math.sqrt(n * len(estimates))
    assert abs(estimates.mean() - math.pi) < 4 * standard_error


def test_spread_over_seeds_is_binomial(many_estimates):
    n, estimates = many_estimates
    sigma = SPREAD_PER_DART / math.sqrt(n)
    k = len(estimates)
    # (k - 1) s^2 / sigma^2 is chi-squared with k - 1 degrees of freedom.
    statistic = (k - 1) * estimates.var(ddof=1) / sigma**2
    assert 1e-4 < stats.chi2.cdf(statistic, k - 1) < 1 - 1e-4
    assert estimates.std(ddof=1) == pytest.approx(sigma, rel=0.1)


def test_one_large_estimate_is_within_standard_errors():
    n = 2 * STREAM_BLOCK + 999
    assert abs(estimate_pi(n, seed=77) - math.pi) < 4 * SPREAD_PER_DART / math.sqrt(n)


def test_grid_bias_matches_the_grid_count():
    getcontext().prec = 50
    pi = Decimal("3.14159265358979323846264338327950288419716939937510")
    bias = Decimal(GRID_POINTS_INSIDE) / Decimal(2**62) - pi
    assert float(bias) == pytest.approx(GRID_BIAS, rel=1e-4)
    # Within the elementary bound stated in the kernel's docstring.
    assert abs(GRID_BIAS) < math.sqrt(2) * math.pi / 2**31 < 2.1e-9


@pytest.mark.parametrize("radius", [1, 2, 5, 64, 1000])
def test_grid_count_formula_matches_brute_force(radius):
    # The formula used for GRID_POINTS_INSIDE, checked on small circles.
    quarter = sum(isqrt(radius * radius - 1 - x * x) for x in range(1, radius))
    formula = 4 * quarter + 4 * (radius - 1) + 1
    grid = range(-radius, radius)
    brute = sum(1 for x in grid for y in grid if x * x + y * y < radius * radius)
    assert formula == brute
