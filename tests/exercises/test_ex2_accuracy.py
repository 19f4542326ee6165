"""Grader for Exercise 2: ``samples_needed(decimals, confidence=0.95)``.

The expected counts are worked out here from the rule itself: the smallest N
with ``z * 4 * sqrt(p * (1 - p) / N) <= 0.5 * 10**-decimals``, ``p = pi / 4``
and ``z = Phi^-1((1 + confidence) / 2)`` from SciPy's ``special.ndtri``.
Answers may differ from the exact real-number bound only where floating point
cannot tell (a relative 1e-13, which matters for six decimals and beyond).
"""

from __future__ import annotations

import math
import numbers

import pytest
from grading import call_text, expect_raises, fail
from scipy import special

EXERCISE = "ex2_accuracy"

P_INSIDE = math.pi / 4
RELATIVE_SLACK = 1e-13


def bound(decimals: int, confidence: float) -> float:
    """The real-valued N at which the normal approximation just meets the target."""
    z = special.ndtri((1 + confidence) / 2)
    half_width = 0.5 * 10.0**-decimals
    return (z * 4 * math.sqrt(P_INSIDE * (1 - P_INSIDE)) / half_width) ** 2


def check(answer, decimals: int, *args, **kwargs) -> None:
    confidence = kwargs.get("confidence", args[0] if args else 0.95)
    call = call_text(answer.samples_needed, decimals, *args, **kwargs)
    result = answer.samples_needed(decimals, *args, **kwargs)
    if isinstance(result, bool) or not isinstance(result, numbers.Integral):
        fail(f"{call}: expected an int, got {result!r} ({type(result).__name__})")
    exact = bound(decimals, confidence)
    low = max(1, math.ceil(exact * (1 - RELATIVE_SLACK)))
    high = max(1, math.ceil(exact * (1 + RELATIVE_SLACK)))
    if not low <= result <= high:
        expected = f"{low:,}" if low == high else f"{low:,} to {high:,}"
        # Say what N is for, not how to compute it: the formula is the exercise.
        fail(
            f"{call}: expected {expected} (the smallest N whose estimate lies within "
            f"{0.5 * 10.0**-decimals:g} of pi with probability {confidence:g}, by the normal "
            f"approximation), got {result:,}"
        )


@pytest.mark.parametrize("confidence", [0.5, 0.9, 0.95, 0.99])
@pytest.mark.parametrize("decimals", [0, 1, 2, 3, 4, 6])
def test_smallest_reliable_n(answer, decimals, confidence):
    check(answer, decimals, confidence)


def test_confidence_as_keyword(answer):
    check(answer, 3, confidence=0.999)


def test_default_confidence_is_95_percent(answer):
    check(answer, 2)


@pytest.mark.parametrize("decimals", [2.0, "3", None], ids=["float", "str", "None"])
def test_rejects_non_integer_decimals(answer, decimals):
    expect_raises(TypeError, answer.samples_needed, decimals)


@pytest.mark.parametrize(
    ("decimals", "confidence"), [(-1, 0.95), (2, 0.0), (2, 1.0), (2, 1.5), (2, -0.2)]
)
def test_rejects_values_out_of_range(answer, decimals, confidence):
    expect_raises(ValueError, answer.samples_needed, decimals, confidence)
