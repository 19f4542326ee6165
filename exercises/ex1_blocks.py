"""Exercise 1: estimate pi in blocks, one Ray task per block.

Write ``estimate_pi_in_blocks`` below. Check your answer with
this exercise's tests alone::

    .venv/bin/pytest tests/exercises -k ex1

``.venv/bin/pytest tests/exercises`` checks every exercise; it starts Ray once, for
Exercises 1 and 4. Exercises 2 and 3 need no Ray and are checked in seconds.
"""

from __future__ import annotations

__all__ = ["estimate_pi_in_blocks"]


def estimate_pi_in_blocks(
    num_samples: int, block_size: int = 1_000_000, *, seed: int | None = None
) -> float:
    """Estimate pi from ``num_samples`` darts counted in blocks by parallel Ray tasks.

    The rules:

    - Throw exactly ``num_samples`` darts, split into
      ``ceil(num_samples / block_size)`` blocks of at most ``block_size`` darts
      each; the last block takes the remainder.
    - Count each block in its own Ray task (define an ``@ray.remote`` function),
      launch all the tasks, then collect their counts with ``ray.get`` in the
      driver. No ``ray.get`` inside a task.
    - Return ``4 * inside / num_samples``.
    - Each block draws from its own independent random stream: the same
      ``seed`` gives the same estimate, different seeds give different ones.
      (``numpy.random.SeedSequence(seed).spawn(k)`` makes ``k`` such streams.)
    - A task's memory grows with ``block_size``, never with ``num_samples``.
    - Raise ``TypeError`` if ``num_samples`` or ``block_size`` is not an integer
      (``True`` and ``1.0`` are not), and ``ValueError`` if either is < 1.

    Parameters
    ----------
    num_samples : int
        Darts in all, ``>= 1``.
    block_size : int, optional
        Most darts one task throws, ``>= 1``.
    seed : int or None, optional
        Seed of the run; ``None`` draws fresh entropy.

    Returns
    -------
    float
        The estimate of pi.
    """
    raise NotImplementedError("count each block in a @ray.remote task, then ray.get the counts")
