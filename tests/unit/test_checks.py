"""Bad input is rejected at the public boundary with a message naming it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import raycourse
from raycourse import estimate_pi

not_integers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.complex_numbers(),
)


@given(value=not_integers)
def test_estimate_pi_rejects_non_integers(value):
    if value is None:
        value = 1.5
    with pytest.raises(TypeError, match="num_samples"):
        estimate_pi(value)


@given(value=st.integers(max_value=0))
def test_estimate_pi_rejects_counts_below_one(value):
    with pytest.raises(ValueError, match=rf"num_samples.*{value}"):
        estimate_pi(value)


@pytest.mark.parametrize("value", [True, False, 1e6, math.nan, "1000", np.float64(10.0)])
def test_messages_name_the_value(value):
    with pytest.raises(TypeError) as info:
        estimate_pi(value)
    assert "num_samples" in str(info.value)
    assert repr(value) in str(info.value)


def test_numpy_integers_are_accepted():
    assert estimate_pi(np.int64(1_000), seed=np.uint32(3)) == estimate_pi(1_000, seed=3)


@given(seed=st.one_of(st.integers(max_value=-1), st.floats(), st.booleans(), st.text(max_size=3)))
def test_bad_seeds_are_rejected(seed):
    with pytest.raises((TypeError, ValueError), match="seed"):
        estimate_pi(10, seed=seed)


@pytest.mark.parametrize("block_size", [0, -5])
def test_parallel_rejects_bad_block_size(block_size):
    with pytest.raises(ValueError, match="block_size"):
        raycourse.estimate_pi_parallel(100, block_size=block_size)


@pytest.mark.parametrize("block_size", [1.5, "10", True])
def test_parallel_rejects_non_integer_block_size(block_size):
    with pytest.raises(TypeError, match="block_size"):
        raycourse.estimate_pi_parallel(100, block_size=block_size)
