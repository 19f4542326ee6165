"""Deliberately wrong answer to Exercise 1.

The mistake: every block draws from the same stream.
"""

import numbers

import numpy as np
import ray


@ray.remote
def count_block(stream, num_darts):
    rng = np.random.default_rng(stream)
    x = rng.random(num_darts)
    y = rng.random(num_darts)
    return int(np.count_nonzero(x * x + y * y <= 1.0))


def check(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value!r}")
    return int(value)


def estimate_pi_in_blocks(num_samples, block_size=1_000_000, *, seed=None):
    num_samples = check("num_samples", num_samples)
    block_size = check("block_size", block_size)
    sizes = [min(block_size, num_samples - start) for start in range(0, num_samples, block_size)]
    root = np.random.SeedSequence(seed)
    refs = [count_block.remote(root, size) for size in sizes]
    inside = sum(ray.get(refs))
    return 4 * inside / num_samples
