"""The single-process kernel: exact counts, reproducibility, bounded memory."""

from __future__ import annotations

import itertools
import math
import tracemalloc

import kernel_reference
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kernel_streams import count_inside, stream_generator

from raycourse.kernel import (
    CHUNK,
    SPREAD_PER_DART,
    STREAM_BLOCK,
    _refinement_key,
    _splitmix64,
    count_inside_range,
    estimate_pi,
)

STANDARD_ERROR_ONE_DART = 4 * math.sqrt(math.pi / 4 * (1 - math.pi / 4))  # about 1.642


def test_spread_per_dart():
    assert pytest.approx(STANDARD_ERROR_ONE_DART, rel=1e-12) == SPREAD_PER_DART
    assert abs(SPREAD_PER_DART - 1.642) < 5e-4


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


@pytest.mark.parametrize("n", [0, 1, 2, 3, CHUNK - 3, CHUNK, 2 * CHUNK + 5])
def test_count_inside_draws_one_word_per_two_darts(n):
    counted = np.random.Generator(np.random.PCG64(9))
    count_inside(counted, n)
    skipped = np.random.PCG64(9)
    skipped.advance(-(-n // 2))
    assert counted.bit_generator.state == skipped.state


def test_count_inside_matches_a_direct_reference():
    # Darts from the start of the stream of PCG64(3), lower halves keyed by
    # the child (1,) of its seed, as count_inside's default says.
    n = 100_001
    words = np.random.PCG64(3).random_raw((n + 1) // 2).tolist()
    key = int(np.random.SeedSequence(3, spawn_key=(1,)).generate_state(1, np.uint64)[0])
    expected = sum(kernel_reference.hits(words, key, 0, n))
    assert count_inside(np.random.Generator(np.random.PCG64(3)), n) == expected


def test_count_inside_uses_the_given_refinement_seed():
    n = 300_000  # about 57 near darts: a different key changes some of them
    refine = np.random.SeedSequence(2024)
    words = np.random.PCG64(3).random_raw(n // 2).tolist()
    key = int(refine.spawn(2)[1].generate_state(1, np.uint64)[0])
    expected = sum(kernel_reference.hits(words, key, 0, n))
    assert count_inside(np.random.Generator(np.random.PCG64(3)), n, refine=refine) == expected
    assert count_inside(np.random.Generator(np.random.PCG64(3)), n) != expected


@pytest.mark.parametrize(
    ("start", "stop"),
    [(0, 1), (1, 2), (12_345, 40_001), (STREAM_BLOCK - 1_001, STREAM_BLOCK + 2_000)],
)
def test_range_matches_the_reference(start, stop):
    seed = 13
    expected = kernel_reference.range_count(seed, start, stop, STREAM_BLOCK)
    assert count_inside_range(seed, start, stop) == expected


def test_count_inside_by_default_counts_the_start_of_a_stream_block():
    seed, n = 5, 2 * CHUNK + 3
    block = count_inside_range(seed, STREAM_BLOCK, STREAM_BLOCK + n)
    assert count_inside(stream_generator(seed, 1), n) == block


def test_splitmix64_matches_published_values():
    # The first words of SplitMix64 seeded with 0, as in Vigna's reference C code.
    expected = [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC]
    assert _splitmix64(0, np.arange(4)).tolist() == expected
    assert [kernel_reference.splitmix64(0, i) for i in range(4)] == expected
    index = np.array([0, 1, 2**40, 2**63 + 5], dtype=np.uint64)
    key = 2**64 - 7
    assert _splitmix64(key, index).tolist() == [
        kernel_reference.splitmix64(key, i) for i in index.tolist()
    ]


def test_refinement_key_is_child_one_of_the_stream_seed():
    parent = np.random.SeedSequence(42).spawn(3)[2]
    child = parent.spawn(2)[1]
    assert _refinement_key(parent) == int(child.generate_state(1, np.uint64)[0])


def test_streams_are_spawned_children():
    seed = 42
    spawned = np.random.SeedSequence(42).spawn(3)[2]
    direct = np.random.Generator(np.random.PCG64(spawned)).bit_generator.random_raw(4)
    assert list(stream_generator(seed, 2).bit_generator.random_raw(4)) == list(direct)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=3 * STREAM_BLOCK),
    cuts=st.lists(st.floats(min_value=0, max_value=1), max_size=4),
)
def test_any_partition_gives_the_same_count(n, cuts):
    seed = 7
    bounds = sorted({0, n, *(int(c * n) for c in cuts)})
    pieces = sum(count_inside_range(seed, a, b) for a, b in itertools.pairwise(bounds))
    assert pieces == count_inside_range(seed, 0, n)


def test_estimate_is_the_whole_range_count():
    n = STREAM_BLOCK + 12_345
    assert estimate_pi(n, seed=1) == 4 * count_inside_range(1, 0, n) / n


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
        count_inside_range(0, start, stop)
