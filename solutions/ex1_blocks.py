"""Exercise 1, reference solution: estimate pi in blocks, one Ray task per block.

The darts are split into blocks of at most ``block_size``; each block is counted
by its own Ray task from its own random stream, so a task never holds more than
one block's coordinates, and the blocks run in parallel on the cluster's CPUs.
"""

from __future__ import annotations

import numbers

import numpy as np
import ray

__all__ = ["count_inside_block", "estimate_pi_in_blocks"]


@ray.remote
def count_inside_block(stream: np.random.SeedSequence, num_darts: int) -> int:
    """Ray task: throw ``num_darts`` darts at [-1, 1] x [-1, 1] and count the hits.

    Parameters
    ----------
    stream : numpy.random.SeedSequence
        Seeds this block's own random stream.
    num_darts : int
        Darts in the block. The task holds two arrays of this length, so its
        memory grows with the block, never with the whole run.

    Returns
    -------
    int
        Darts inside the circle of radius 1.
    """
    rng = np.random.default_rng(stream)
    x = rng.uniform(-1.0, 1.0, num_darts)
    y = rng.uniform(-1.0, 1.0, num_darts)
    # Square in place: no extra arrays beyond x and y and the final mask.
    np.multiply(x, x, out=x)
    np.multiply(y, y, out=y)
    np.add(x, y, out=x)
    return int(np.count_nonzero(x <= 1.0))


def _check_count(name: str, value: object) -> int:
    """Return ``value`` if it is an integer ``>= 1``; booleans are not counts."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value!r}")
    return int(value)


def estimate_pi_in_blocks(
    num_samples: int, block_size: int = 1_000_000, *, seed: int | None = None
) -> float:
    """Estimate pi from ``num_samples`` darts counted in blocks by parallel Ray tasks.

    Parameters
    ----------
    num_samples : int
        Darts in all, ``>= 1``.
    block_size : int, optional
        Most darts one task throws, ``>= 1``. There are
        ``ceil(num_samples / block_size)`` blocks; the last takes the remainder.
    seed : int or None, optional
        Seed of the run. Block ``k`` draws from the ``k``-th child of
        ``SeedSequence(seed)``: the same seed gives the same estimate.
        ``None`` draws fresh entropy.

    Returns
    -------
    float
        ``4 * inside / num_samples``.

    Raises
    ------
    TypeError
        If ``num_samples`` or ``block_size`` is not an integer (booleans included).
    ValueError
        If ``num_samples`` or ``block_size`` is less than 1.

    Notes
    -----
    Start Ray first (``raycourse.start_ray()``). The driver launches every task
    before it waits for any, and only the tasks' integer counts travel back.
    """
    num_samples = _check_count("num_samples", num_samples)
    block_size = _check_count("block_size", block_size)
    sizes = [min(block_size, num_samples - start) for start in range(0, num_samples, block_size)]
    streams = np.random.SeedSequence(seed).spawn(len(sizes))
    refs = [
        count_inside_block.remote(stream, size) for stream, size in zip(streams, sizes, strict=True)
    ]
    inside = sum(ray.get(refs))
    return 4 * inside / num_samples
