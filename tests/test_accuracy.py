"""Exercise 2's answer as a library function."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from raycourse.accuracy import SPREAD_PER_DART, darts_for_decimals

SOLUTION = Path(__file__).parents[1] / "solutions" / "ex2_accuracy.py"


def test_spread_per_dart():
    assert abs(SPREAD_PER_DART - 1.642) < 5e-4


@pytest.mark.parametrize("decimals", range(6))
def test_is_the_smallest_n_that_is_close_enough(decimals):
    n = darts_for_decimals(decimals)
    half_width = 0.5 * 10.0**-decimals
    z = 1.959963984540054
    assert z * SPREAD_PER_DART / math.sqrt(n) <= half_width
    assert n == 1 or z * SPREAD_PER_DART / math.sqrt(n - 1) > half_width


def test_four_decimals_need_about_four_billion_darts():
    assert darts_for_decimals(4) == pytest.approx(4.14e9, rel=1e-3)
    assert darts_for_decimals(4, confidence=0.99) > darts_for_decimals(4)


@pytest.mark.skipif(not SOLUTION.is_file(), reason="no reference solution in this checkout")
@pytest.mark.parametrize("decimals", [0, 2, 4, 6])
def test_agrees_with_the_exercise_solution(decimals):
    spec = importlib.util.spec_from_file_location("ex2_solution", SOLUTION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert darts_for_decimals(decimals) == module.samples_needed(decimals)


@pytest.mark.parametrize(
    ("decimals", "confidence", "error"),
    [
        (-1, 0.95, ValueError),
        (2.0, 0.95, TypeError),
        (True, 0.95, TypeError),
        (2, 1.0, ValueError),
        (2, 0.0, ValueError),
    ],
)
def test_rejects_bad_input(decimals, confidence, error):
    with pytest.raises(error):
        darts_for_decimals(decimals, confidence=confidence)
