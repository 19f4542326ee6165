from __future__ import annotations

import locale

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from raycourse import str_large_n


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0"), (999, "999"), (1_000, "1,000"), (1_000_000, "1,000,000"), (-12345, "-12,345")],
)
def test_thousands_separators(n, text):
    assert str_large_n(n) == text


def test_padding_right_aligns():
    assert str_large_n(10_000, padding=9) == "   10,000"
    assert str_large_n(10_000, padding=2) == "10,000"


def test_numpy_integers():
    assert str_large_n(np.int64(1234567)) == "1,234,567"


def test_independent_of_locale():
    previous = locale.setlocale(locale.LC_NUMERIC)
    try:
        for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "C"):
            try:
                locale.setlocale(locale.LC_NUMERIC, name)
            except locale.Error:
                continue
            assert str_large_n(1_000_000) == "1,000,000"
    finally:
        locale.setlocale(locale.LC_NUMERIC, previous)


@given(st.integers(min_value=0, max_value=10**30))
def test_round_trips(n):
    text = str_large_n(n)
    assert int(text.replace(",", "")) == n
    assert all(len(group) == 3 for group in text.split(",")[1:])
