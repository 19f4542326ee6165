"""Exercise 3, reference solution: where Ray starts to pay off, and how big a task should be.

A Ray task costs a roughly fixed overhead (scheduling, serialising the
arguments and the result) on top of its work. For small ``N`` the overhead
dominates and one core wins; for large ``N`` the parallel work wins.
:func:`crossover_n` finds the ``N`` where the measured time curves cross;
:func:`min_task_samples` turns the overhead and the serial throughput into a
rule for the smallest task worth launching.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

__all__ = ["crossover_n", "min_task_samples"]


def _positive_floats(name: str, values: Sequence[float]) -> list[float]:
    """Return ``values`` as a list of floats, each finite and > 0 (logarithms need it)."""
    result = [float(value) for value in values]
    for value in result:
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must hold finite values > 0, got {value!r}")
    return result


def crossover_n(
    ns: Sequence[float], serial_seconds: Sequence[float], ray_seconds: Sequence[float]
) -> float | None:
    """Return the first N at which the Ray time curve drops to the serial one.

    With ``d = log(ray_seconds) - log(serial_seconds)`` at each N, the crossover
    is where ``d`` first reaches zero: at the first point where Ray is no
    slower (the smallest ``i`` with ``d[i] <= 0``), interpolated linearly in
    ``log N`` from the point before it (``d[i - 1] > 0``); time curves of this
    kind are close to straight lines on log-log axes. Later crossings, where
    the curves cross back and forth at larger N, do not count.

    Parameters
    ----------
    ns : sequence of float
        Problem sizes, increasing, all > 0.
    serial_seconds, ray_seconds : sequence of float
        Times measured at each size without and with Ray, all > 0.

    Returns
    -------
    float or None
        ``ns[0]`` if Ray is already no slower at the first size, ``None`` if
        it is slower at every size, otherwise the first crossing, interpolated.

    Raises
    ------
    ValueError
        If the sequences are empty, differ in length, or hold values <= 0.

    Examples
    --------
    >>> round(crossover_n([100, 10_000], [1.0, 1.0], [math.e, 1 / math.e]))
    1000
    """
    sizes = _positive_floats("ns", ns)
    serial = _positive_floats("serial_seconds", serial_seconds)
    parallel = _positive_floats("ray_seconds", ray_seconds)
    if not sizes:
        raise ValueError("ns must not be empty")
    if not len(sizes) == len(serial) == len(parallel):
        raise ValueError(
            "ns, serial_seconds and ray_seconds must have the same length, got "
            f"{len(sizes)}, {len(serial)} and {len(parallel)}"
        )
    d = [math.log(r) - math.log(s) for s, r in zip(serial, parallel, strict=True)]
    if d[0] <= 0:
        return sizes[0]
    for i in range(1, len(d)):
        if d[i] <= 0:
            # d[i - 1] > 0 >= d[i]: the straight line between them crosses zero here.
            fraction = d[i - 1] / (d[i - 1] - d[i])
            log_lo, log_hi = math.log(sizes[i - 1]), math.log(sizes[i])
            return math.exp(log_lo + fraction * (log_hi - log_lo))
    return None


def min_task_samples(
    overhead_seconds: float, samples_per_second: float, max_overhead_fraction: float = 0.1
) -> int:
    """Return the fewest darts per task for which the overhead stays a small share.

    A task of ``n`` darts takes ``overhead + n / samples_per_second`` seconds,
    of which the share ``overhead / (overhead + n / samples_per_second)`` is
    overhead. The result is the smallest ``n >= 1`` whose share is at most
    ``max_overhead_fraction``.

    Parameters
    ----------
    overhead_seconds : float
        Cost of one task beyond its work, ``>= 0``.
    samples_per_second : float
        Darts one core throws per second, ``> 0``.
    max_overhead_fraction : float, optional
        Largest acceptable share of overhead, strictly between 0 and 1.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``overhead_seconds < 0``, ``samples_per_second <= 0`` or
        ``max_overhead_fraction`` is not strictly between 0 and 1.

    Examples
    --------
    >>> min_task_samples(0.001, 1e8, 0.15)
    566667
    """
    for name, value in (
        ("overhead_seconds", overhead_seconds),
        ("samples_per_second", samples_per_second),
        ("max_overhead_fraction", max_overhead_fraction),
    ):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number, got {value!r}")
    if not (math.isfinite(overhead_seconds) and overhead_seconds >= 0):
        raise ValueError(f"overhead_seconds must be finite and >= 0, got {overhead_seconds!r}")
    if not (math.isfinite(samples_per_second) and samples_per_second > 0):
        raise ValueError(f"samples_per_second must be finite and > 0, got {samples_per_second!r}")
    if not 0.0 < max_overhead_fraction < 1.0:
        raise ValueError(f"max_overhead_fraction must lie in (0, 1), got {max_overhead_fraction!r}")

    def share(n: int) -> float:
        return overhead_seconds / (overhead_seconds + n / samples_per_second)

    # share(n) <= f  <=>  n >= rate * overhead * (1 - f) / f; then step past
    # rounding errors so that n is exactly the smallest that qualifies.
    f = max_overhead_fraction
    n = max(1, math.ceil(samples_per_second * overhead_seconds * (1 - f) / f))
    while n > 1 and share(n - 1) <= f:
        n -= 1
    while share(n) > f:
        n += 1
    return n
