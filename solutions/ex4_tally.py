"""Exercise 4, reference solution: a tally actor that the tasks of an estimate report to.

The counts of the blocks travel from the tasks straight to the actor; the
driver only starts the tasks, waits for them, and asks the actor for its
estimate at the end.
"""

from __future__ import annotations

import numbers

import numpy as np
import ray

__all__ = ["DartTally", "count_and_record", "estimate_pi_with_tally"]


def _check_count(name: str, value: object, minimum: int) -> int:
    """Return ``value`` if it is an integer ``>= minimum``; booleans are not counts."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


@ray.remote(num_cpus=0)
class DartTally:
    """A running tally of darts: hits and throws summed over every record."""

    def __init__(self) -> None:
        self.inside = 0
        self.darts = 0

    def record(self, inside: int, darts: int) -> None:
        """Add one block's counts: ``inside`` hits among ``darts`` darts."""
        inside = _check_count("inside", inside, 0)
        darts = _check_count("darts", darts, 1)
        if inside > darts:
            raise ValueError(f"inside must be <= darts ({darts}), got {inside!r}")
        self.inside += inside
        self.darts += darts

    def totals(self) -> tuple[int, int]:
        """Return ``(inside, darts)`` over every record so far."""
        return self.inside, self.darts

    def estimate(self) -> float:
        """Return ``4 * inside / darts`` over every record so far."""
        if self.darts == 0:
            raise ValueError("the tally holds no darts yet: record some first")
        return 4 * self.inside / self.darts


@ray.remote
def count_and_record(stream: np.random.SeedSequence, num_darts: int, tally) -> None:
    """Ray task: count the hits among ``num_darts`` darts and record them in ``tally``."""
    rng = np.random.default_rng(stream)
    x = rng.uniform(-1.0, 1.0, num_darts)
    y = rng.uniform(-1.0, 1.0, num_darts)
    inside = int(np.count_nonzero(x * x + y * y <= 1.0))
    # Wait until the tally has the record, so that a finished task means a
    # recorded block. This waits for one short call to a running actor, made
    # by this task itself, not for other tasks; and Ray lends this task's CPU
    # to other tasks while it waits.
    ray.get(tally.record.remote(inside, num_darts))


def estimate_pi_with_tally(
    tally, num_samples: int, block_size: int = 1_000_000, *, seed: int | None = None
) -> float:
    """Throw ``num_samples`` darts in parallel tasks that report to ``tally``.

    Returns the tally's estimate over all the darts it holds after this call.
    """
    num_samples = _check_count("num_samples", num_samples, 1)
    block_size = _check_count("block_size", block_size, 1)
    sizes = [min(block_size, num_samples - start) for start in range(0, num_samples, block_size)]
    streams = np.random.SeedSequence(seed).spawn(len(sizes))
    ray.get(
        [
            count_and_record.remote(stream, size, tally)
            for stream, size in zip(streams, sizes, strict=True)
        ]
    )
    return ray.get(tally.estimate.remote())
