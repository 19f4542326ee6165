"""Ray tasks compute the same estimate as one core, whatever the split.

The same estimate on a one-CPU Ray is checked where a second Ray runs anyway:
``tests/unit/test_no_leftover_ray.py`` joins a one-CPU head node.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raycourse import estimate_pi, estimate_pi_parallel
from raycourse.kernel import STREAM_BLOCK
from raycourse.parallel import LOCAL_THRESHOLD, default_block_size, split_range

pytestmark = pytest.mark.usefixtures("ray_session")


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=2 * STREAM_BLOCK + 10),
    block_size=st.integers(min_value=1, max_value=3 * STREAM_BLOCK),
    seed=st.integers(min_value=0, max_value=2**64),
)
def test_parallel_equals_serial_exactly(n, block_size, seed):
    # Keep the task count modest: each task costs about a millisecond.
    block_size = max(block_size, -(-n // 64))
    assert estimate_pi_parallel(n, seed=seed, block_size=block_size) == estimate_pi(n, seed=seed)


@pytest.mark.parametrize(
    "n", [1, 1_000, LOCAL_THRESHOLD - 1, LOCAL_THRESHOLD, 3 * STREAM_BLOCK + 7]
)
def test_default_path_equals_serial(n):
    assert estimate_pi_parallel(n, seed=99) == estimate_pi(n, seed=99)


def test_same_seed_same_value_different_seed_different_value():
    n = 2 * STREAM_BLOCK
    assert estimate_pi_parallel(n, seed=1) == estimate_pi_parallel(n, seed=1, block_size=77_777)
    assert estimate_pi_parallel(n, seed=1) != estimate_pi_parallel(n, seed=2)


def test_split_range_covers_every_dart_once():
    blocks = split_range(10, 3)
    assert blocks == [(0, 3), (3, 6), (6, 9), (9, 10)]
    assert len(split_range(1_000_001, 1_000)) == 1_001


@pytest.mark.parametrize("n", [1, 10**6, 10**8, 10**10])
def test_default_block_size_depends_on_n_only(n):
    size = default_block_size(n)
    assert STREAM_BLOCK <= size <= 2**26
    assert len(split_range(n, size)) >= 1
