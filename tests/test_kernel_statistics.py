"""The fast kernel is an exact, unbiased dart counter.

Whatever the kernel does to be fast, it must count exactly the grid points
that the module docstring of :mod:`raycourse.kernel` defines, one 64-bit word
per dart, and its estimates must scatter around pi as binomial counts do.
"""

from __future__ import annotations

import math
from decimal import Decimal, getcontext
from math import isqrt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from raycourse import count_inside, estimate_pi
from raycourse.kernel import CHUNK, GRID_BIAS, GRID_POINTS_INSIDE, STREAM_BLOCK

SPREAD_PER_DART = 4 * math.sqrt(math.pi / 4 * (1 - math.pi / 4))  # about 1.642
RADIUS_SQUARED = 2**62
# Sizes that end part-way through a chunk or a stream block.
ODD_SIZES = [1, 2, 7, CHUNK - 1, CHUNK + 1, 2 * CHUNK + 12_345, STREAM_BLOCK + 3]


def coordinates(word: int) -> tuple[int, int]:
    """The dart of one 64-bit word: its two halves as signed 32-bit integers."""
    low, high = word & 0xFFFF_FFFF, word >> 32
    return low - (low >> 31 << 32), high - (high >> 31 << 32)


def hits(words: np.ndarray) -> np.ndarray:
    """Reference: 1 for each word whose dart is inside, in Python integers."""
    return np.array(
        [int(x * x + y * y < RADIUS_SQUARED) for x, y in map(coordinates, words.tolist())],
        dtype=np.int64,
    )


def word(x: int, y: int) -> int:
    """The 64-bit word whose dart is ``(x, y)``."""
    return (x & 0xFFFF_FFFF) | (y & 0xFFFF_FFFF) << 32


def kernel_count(words: list[int]) -> int:
    """Count with the kernel's chunk routine, the fast path and its recheck."""
    from raycourse.kernel import _count_chunk

    array = np.array(words, dtype=np.uint64)
    n = len(array)
    return _count_chunk(
        array,
        np.empty(2 * n, np.float32),
        np.empty(n, np.float32),
        np.empty(n, np.bool_),
    )


def test_reference_reads_halves_as_signed_coordinates():
    assert coordinates(word(-(2**31), 5)) == (-(2**31), 5)
    assert coordinates(word(2**31 - 1, -1)) == (2**31 - 1, -1)


def test_every_prefix_counts_exactly_its_own_darts():
    # Dart k is the k-th word of the stream: the count of the first n darts is
    # the running total of the reference hits, whatever n is.
    words = np.random.PCG64(21).random_raw(3 * CHUNK + 5)
    running = np.concatenate([[0], np.cumsum(hits(words))])
    for n in [0, 1, 2, 3, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 7, 3 * CHUNK + 5]:
        generator = np.random.Generator(np.random.PCG64(21))
        assert count_inside(generator, n) == running[n], n


@pytest.mark.parametrize("n", ODD_SIZES)
def test_exactly_n_words_are_drawn(n):
    generator = np.random.Generator(np.random.PCG64(8))
    count_inside(generator, n)
    expected = np.random.PCG64(8)
    expected.advance(n)
    assert generator.bit_generator.state == expected.state
    # The next draw is the (n+1)-th word: nothing was drawn ahead and kept.
    assert generator.bit_generator.random_raw() == expected.random_raw()


@pytest.mark.parametrize("n", ODD_SIZES)
def test_estimate_counts_n_darts(n):
    value = estimate_pi(n, seed=3)
    inside = value * n / 4
    assert inside == round(inside)
    assert 0 <= inside <= n


def boundary_words() -> list[int]:
    """Darts on both sides of the circle within one grid step, and the corners."""
    rng = np.random.default_rng(0)
    words = []
    for x in rng.integers(-(2**31), 2**31, size=300).tolist():
        y = isqrt(RADIUS_SQUARED - 1 - x * x)  # the highest grid point inside
        for sign in (1, -1):
            words.append(word(x, sign * y))  # inside, by less than one step
            if y + 1 < 2**31:
                words.append(word(x, sign * (y + 1)))  # outside, just
    extremes = [-(2**31), 0, 2**31 - 1]
    words += [word(a, b) for a in extremes for b in extremes]
    return words


def test_darts_at_the_boundary_are_counted_exactly():
    words = boundary_words()
    expected = int(hits(np.array(words, dtype=np.uint64)).sum())
    assert kernel_count(words) == expected


def test_boundary_darts_need_the_exact_recheck():
    # Single precision cannot tell these darts apart: without the recheck the
    # kernel would miscount them, so this exercises it.
    words = np.array(boundary_words(), dtype=np.uint64)
    pairs = words.view(np.int32).astype(np.float32).view(np.complex64)
    float_count = int(np.count_nonzero(np.abs(pairs) < np.float32(2.0**31)))
    assert float_count != int(hits(words).sum())


@settings(max_examples=60, deadline=None)
@given(arrays(np.uint64, st.integers(min_value=1, max_value=300)))
def test_any_words_are_counted_like_the_reference(words):
    assert kernel_count(words.tolist()) == int(hits(words).sum())


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
