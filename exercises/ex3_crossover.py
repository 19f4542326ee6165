"""Exercise 3: when does Ray's per-task overhead stop dominating?

Write ``crossover_n`` and ``min_task_samples`` below. Check your answers with
this exercise's tests alone::

    .venv/bin/pytest tests/exercises -k ex3

``.venv/bin/pytest tests/exercises`` checks every exercise; it starts Ray once, for
Exercises 1 and 4. Exercises 2 and 3 need no Ray and are checked in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["crossover_n", "min_task_samples"]


def crossover_n(
    ns: Sequence[float], serial_seconds: Sequence[float], ray_seconds: Sequence[float]
) -> float | None:
    """Return the first N at which the Ray time curve drops to the serial one.

    The rules, with ``d = log(ray_seconds) - log(serial_seconds)`` at each N
    (``ns`` is increasing):

    - Return ``ns[0]`` if ``d[0] <= 0`` (Ray is no slower from the start).
    - Return ``None`` if ``d > 0`` at every N (Ray never catches up).
    - Otherwise find the first point where Ray is no slower, the smallest ``i``
      with ``d[i] <= 0`` (so ``d[i - 1] > 0``), and return the N where ``d``
      crosses zero between ``ns[i - 1]`` and ``ns[i]``, interpolating ``d``
      linearly in ``log N`` (not in N). This is the first crossing: if the
      curves cross again at larger N, those later crossings do not count.
    - Raise ``ValueError`` if the inputs are empty or differ in length.

    Parameters
    ----------
    ns : sequence of float
        Problem sizes, increasing.
    serial_seconds, ray_seconds : sequence of float
        Times measured at each size without and with Ray.

    Returns
    -------
    float or None
        The first crossover N.
    """
    raise NotImplementedError("find the first d <= 0, then interpolate d linearly in log N")


def min_task_samples(
    overhead_seconds: float, samples_per_second: float, max_overhead_fraction: float = 0.1
) -> int:
    """Return the fewest darts per task for which the overhead stays a small share.

    The rules:

    - A task of ``n`` darts spends the share
      ``overhead_seconds / (overhead_seconds + n / samples_per_second)`` of its
      time on overhead.
    - Return the smallest ``n >= 1`` whose share is at most
      ``max_overhead_fraction``.
    - Raise ``ValueError`` for a negative overhead, a rate <= 0, or a fraction
      not strictly between 0 and 1.

    Parameters
    ----------
    overhead_seconds : float
        Cost of one task beyond its work, ``>= 0``.
    samples_per_second : float
        Darts one core throws per second, ``> 0``.
    max_overhead_fraction : float, optional
        Largest acceptable share of overhead, in (0, 1).

    Returns
    -------
    int
        Darts per task.
    """
    raise NotImplementedError("solve overhead / (overhead + n / rate) <= fraction for the least n")
