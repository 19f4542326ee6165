"""Grader for Exercise 3: ``crossover_n`` and ``min_task_samples``.

The timing data are made up so that each rule gives a number that a slip in
the rule would change: times whose logarithms cross midway between two sizes
a hundred times apart (linear interpolation in N lands elsewhere), time
differences that cross elsewhere than their log ratio, a curve that crosses
twice (the first crossing counts). ``min_task_samples`` is checked against the
smallest n worked out in exact rational arithmetic on the given floats, on
inputs where floating point cannot blur the answer (dyadic values, or bounds
far from a whole number).
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction

import pytest
from grading import call_text, expect_raises, fail

EXERCISE = "ex3_crossover"

E = math.e


def check_crossover(answer, ns, serial, ray, expected) -> None:
    call = call_text(answer.crossover_n, ns, serial, ray)
    result = answer.crossover_n(ns, serial, ray)
    if expected is None:
        if result is not None:
            fail(f"{call}: expected None (Ray is slower at every N), got {result!r}")
        return
    if isinstance(result, bool) or not isinstance(result, numbers.Real):
        fail(
            f"{call}: expected a number close to {expected:,.6g} (the first crossing), "
            f"got {result!r}"
        )
    if not math.isclose(result, expected, rel_tol=1e-9):
        fail(f"{call}: expected {expected:,.6g} (the first crossing), got {result:,.6g}")


def test_crossover_interpolates_in_log_n(answer):
    """d = +1 at N = 100 and -1 at N = 10,000: the crossover is at N = 1,000."""
    check_crossover(answer, [100, 10_000], [1.0, 1.0], [E, 1 / E], 1_000.0)


def test_crossover_uses_the_log_of_the_time_ratio(answer):
    """Ray 2x slower at N = 1,000 and 2x faster at N = 100,000: crossover at 10,000.

    The differences in seconds (+1 s, -2 s) would put it at 10**(11/3) instead.
    """
    check_crossover(answer, [1_000, 100_000], [1.0, 4.0], [2.0, 2.0], 10_000.0)


def test_crossover_between_the_right_pair_of_points(answer):
    """The sign changes three times; the first crossing, between 1,000 and 10,000, counts."""
    ns = [100, 1_000, 10_000, 100_000, 1_000_000]
    serial = [1.0] * 5
    ray = [E**2, E, 1 / E, E, 1 / E]
    check_crossover(answer, ns, serial, ray, 10**3.5)


def test_crossover_between_unevenly_spaced_points(answer):
    """d falls from log 3 to -log 1.5 between N = 20,000 and 80,000."""
    ns = [5_000, 20_000, 80_000, 320_000]
    serial = [0.01, 0.04, 0.16, 0.64]
    ray = [0.05, 0.12, 0.16 / 1.5, 0.2]
    d_lo, d_hi = math.log(3), -math.log(1.5)
    fraction = d_lo / (d_lo - d_hi)
    expected = math.exp(math.log(20_000) + fraction * (math.log(80_000) - math.log(20_000)))
    check_crossover(answer, ns, serial, ray, expected)


def test_crossover_at_a_measured_point(answer):
    """Equal times at N = 1,000 (d = 0 is not positive): the crossover is 1,000 itself."""
    check_crossover(answer, [10, 1_000, 100_000], [1.0, 2.0, 4.0], [3.0, 2.0, 1.0], 1_000.0)


def test_crossover_is_first_n_when_ray_is_never_slower(answer):
    check_crossover(answer, [10, 100, 1_000], [1.0, 2.0, 3.0], [0.5, 1.0, 1.0], 10.0)


def test_crossover_is_first_n_when_times_tie_at_first(answer):
    """d[0] = 0 counts as "not slower", even when the times stay equal throughout."""
    check_crossover(answer, [10, 100], [1.0, 2.0], [1.0, 2.0], 10.0)


def test_crossover_is_none_when_ray_is_always_slower(answer):
    check_crossover(answer, [10, 100, 1_000], [1.0, 2.0, 3.0], [2.0, 2.5, 3.1], None)


def test_crossover_with_a_single_point(answer):
    check_crossover(answer, [500], [1.0], [2.0], None)
    check_crossover(answer, [500], [2.0], [1.0], 500.0)


@pytest.mark.parametrize(
    ("ns", "serial", "ray"),
    [
        ([], [], []),
        ([10, 100], [1.0], [1.0, 2.0]),
        ([10, 100], [1.0, 2.0], [1.0]),
        ([10], [1.0, 2.0], [1.0, 2.0]),
    ],
    ids=["empty", "short-serial", "short-ray", "short-ns"],
)
def test_crossover_rejects_empty_or_mismatched_inputs(answer, ns, serial, ray):
    expect_raises(ValueError, answer.crossover_n, ns, serial, ray)


def smallest_task(overhead: float, rate: float, fraction: float) -> int:
    """Exact smallest n >= 1 with overhead / (overhead + n / rate) <= fraction."""
    o, r, f = Fraction(overhead), Fraction(rate), Fraction(fraction)
    # o / (o + n / r) <= f  <=>  n >= r * o * (1 - f) / f
    return max(1, math.ceil(r * o * (1 - f) / f))


def check_min_task(answer, overhead, rate, *args) -> None:
    fraction = args[0] if args else 0.1
    call = call_text(answer.min_task_samples, overhead, rate, *args)
    result = answer.min_task_samples(overhead, rate, *args)
    if isinstance(result, bool) or not isinstance(result, numbers.Integral):
        fail(f"{call}: expected an int, got {result!r} ({type(result).__name__})")
    expected = smallest_task(overhead, rate, fraction)
    if result != expected:
        fail(
            f"{call}: expected {expected:,} (the smallest n >= 1 with {overhead!r} / "
            f"({overhead!r} + n / {rate!r}) <= {fraction!r}), got {result:,}"
        )


@pytest.mark.parametrize(
    ("overhead", "rate", "fraction"),
    [
        (0.5, 6.0, 0.25),  # bound exactly 9: 9 meets it with equality
        (2.0**-10, 2.0**20, 0.5),  # bound exactly 1,024
        (0.001, 1e8, 0.15),
        (0.00073, 1.9e8, 0.07),
        (0.0004, 3e7, 0.35),
    ],
)
def test_min_task_samples(answer, overhead, rate, fraction):
    check_min_task(answer, overhead, rate, fraction)


def test_min_task_samples_default_fraction_is_10_percent(answer):
    check_min_task(answer, 0.001234567, 1.7e8)


@pytest.mark.parametrize(
    ("overhead", "rate", "fraction"), [(0.0, 1e8, 0.1), (1e-12, 10.0, 0.5)], ids=["zero", "tiny"]
)
def test_min_task_samples_is_at_least_one(answer, overhead, rate, fraction):
    check_min_task(answer, overhead, rate, fraction)


@pytest.mark.parametrize(
    ("overhead", "rate", "fraction"),
    [
        (-0.001, 1e8, 0.1),
        (0.001, 0.0, 0.1),
        (0.001, -1e8, 0.1),
        (0.001, 1e8, 0.0),
        (0.001, 1e8, 1.0),
        (0.001, 1e8, 1.5),
        (0.001, 1e8, -0.1),
    ],
)
def test_min_task_samples_rejects_bad_values(answer, overhead, rate, fraction):
    expect_raises(ValueError, answer.min_task_samples, overhead, rate, fraction)
