"""The plain estimate of the Performance page: right on average, clear about bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from raycourse import estimate_pi_plain


def test_estimate_lies_within_the_standard_error() -> None:
    n = 1_000_000
    estimate = estimate_pi_plain(n, np.random.default_rng(12))
    # Four standard errors of one estimate (1.642 / sqrt(N)): fails by chance about once in 15,000.
    assert abs(estimate - math.pi) < 4 * 1.642 / math.sqrt(n)


def test_same_generator_state_gives_the_same_estimate() -> None:
    first = estimate_pi_plain(10_000, np.random.default_rng(3))
    assert estimate_pi_plain(10_000, np.random.default_rng(3)) == first
    assert estimate_pi_plain(np.int64(10_000), np.random.default_rng(3)) == first


@pytest.mark.parametrize(
    ("num_samples", "error", "message"),
    [
        (1.5, TypeError, r"num_samples must be an integer, got 1.5"),
        (True, TypeError, "num_samples must be an integer, got True"),
        ("10", TypeError, "num_samples must be an integer, got '10'"),
        (0, ValueError, "num_samples must be >= 1, got 0"),
        (-5, ValueError, "num_samples must be >= 1, got -5"),
    ],
)
def test_bad_counts_are_refused_by_name(num_samples, error, message) -> None:
    with pytest.raises(error, match=message):
        estimate_pi_plain(num_samples, np.random.default_rng(0))
