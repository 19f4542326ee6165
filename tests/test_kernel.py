"""The single-process kernel: exact counts, reproducibility, bounded memory."""

from __future__ import annotations

import itertools
import math
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raycourse import count_inside, count_inside_range, estimate_pi
from raycourse.kernel import CHUNK, STREAM_BLOCK, root_entropy, stream_generator

STANDARD_ERROR_ONE_DART = 4 * math.sqrt(math.pi / 4 * (1 - math.pi / 4))  # about 1.642


def test_same_seed_same_value():
    assert estimate_pi(123_457, seed=11) == estimate_pi(123_457, seed=11)


def test_different_seeds_differ():
    assert estimate_pi(100_000, seed=1) != estimate_pi(100_000, seed=2)


def test_unseeded_runs_differ():
    assert estimate_pi(100_000) != estimate_pi(100_000)


@pytest.mark.parametrize("n", [1, 2, 3, 999, CHUNK - 1, CHUNK + 1, 3 * CHUNK + 17])
def test_result_is_four_times_a_whole_count_over_n(n):
    value = estimate_pi(n, seed=5)
    inside = value * n / 4
    assert inside == pytest.approx(round(inside), abs=1e-6)
    assert 0 <= round(inside) <= n


def test_accuracy_within_standard_error():
    n = 4_000_000
    tolerance = 4 * STANDARD_ERROR_ONE_DART / math.sqrt(n)
    assert abs(estimate_pi(n, seed=2024) - math.pi) < tolerance


def test_count_inside_draws_exactly_one_word_per_dart():
    for n in (0, 1, CHUNK - 3, CHUNK, 2 * CHUNK + 5):
        counted = np.random.Generator(np.random.PCG64(9))
        count_inside(counted, n)
        skipped = np.random.PCG64(9)
        skipped.advance(n)
        assert counted.bit_generator.state == skipped.state, n


def test_count_inside_matches_a_direct_reference():
    generator = np.random.Generator(np.random.PCG64(3))
    words = np.random.PCG64(3).random_raw(10_000)
    x = (words >> np.uint64(33)).astype(object)
    y = (words & np.uint64(2**31 - 1)).astype(object)
    expected = sum(1 for a, b in zip(x, y, strict=True) if a * a + b * b < 2**62)
    assert count_inside(generator, 10_000) == expected


def test_count_inside_rejects_global_state():
    with pytest.raises(TypeError, match="generator"):
        count_inside(np.random, 10)


def test_streams_are_spawned_children():
    entropy = root_entropy(42)
    spawned = np.random.SeedSequence(42).spawn(3)[2]
    direct = np.random.Generator(np.random.PCG64(spawned)).bit_generator.random_raw(4)
    assert list(stream_generator(entropy, 2).bit_generator.random_raw(4)) == list(direct)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=3 * STREAM_BLOCK),
    cuts=st.lists(st.floats(min_value=0, max_value=1), max_size=4),
)
def test_any_partition_gives_the_same_count(n, cuts):
    entropy = root_entropy(7)
    bounds = sorted({0, n, *(int(c * n) for c in cuts)})
    pieces = sum(count_inside_range(entropy, a, b) for a, b in itertools.pairwise(bounds))
    assert pieces == count_inside_range(entropy, 0, n)


def test_estimate_is_the_whole_range_count():
    n = STREAM_BLOCK + 12_345
    assert estimate_pi(n, seed=1) == 4 * count_inside_range(root_entropy(1), 0, n) / n


def test_memory_does_not_grow_with_n():
    tracemalloc.start()
    try:
        estimate_pi(50_000_000, seed=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The plain formulation would hold 16 bytes per dart: 800 MB here.
    assert peak < 4 * 2**20, f"peak traced memory {peak:,} bytes"


@pytest.mark.parametrize(("start", "stop"), [(-1, 5), (5, 4)])
def test_range_rejects_bad_bounds(start, stop):
    with pytest.raises(ValueError, match=r"start|stop"):
        count_inside_range(root_entropy(0), start, stop)
