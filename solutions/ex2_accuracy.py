"""Exercise 2, reference solution: how many darts make an estimate reliable.

One estimate from ``N`` darts is ``4 * inside / N`` where ``inside`` is binomial
with success probability ``p = pi / 4``. Its standard deviation is
``4 * sqrt(p * (1 - p) / N)``, and by the normal approximation it lies within
``z`` standard deviations of pi with probability ``confidence`` when
``z = Phi^-1((1 + confidence) / 2)`` (two-sided: the estimate can miss on
either side). Asking for ``decimals`` correct decimals means missing pi by at
most half a unit in the last place, ``0.5 * 10**-decimals``.
"""

from __future__ import annotations

import math
import numbers
from statistics import NormalDist

__all__ = ["samples_needed"]

#: Probability that one dart lands inside the circle.
P_INSIDE = math.pi / 4


def samples_needed(decimals: int, confidence: float = 0.95) -> int:
    """Return the fewest darts whose estimate of pi is right to ``decimals`` places.

    Parameters
    ----------
    decimals : int
        Correct decimal places wanted, ``>= 0``: the estimate must lie within
        ``0.5 * 10**-decimals`` of pi.
    confidence : float, optional
        Probability of that, strictly between 0 and 1.

    Returns
    -------
    int
        The smallest ``N`` with ``z * 4 * sqrt(p * (1 - p) / N) <= half_width``.

    Raises
    ------
    TypeError
        If ``decimals`` is not an integer (booleans included).
    ValueError
        If ``decimals < 0`` or ``confidence`` is not strictly between 0 and 1.

    Examples
    --------
    >>> samples_needed(2)
    414381
    """
    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral):
        raise TypeError(
            f"decimals must be an integer, got {decimals!r} ({type(decimals).__name__})"
        )
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals!r}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")

    half_width = 0.5 * 10.0 ** -int(decimals)
    z = NormalDist().inv_cdf((1.0 + confidence) / 2.0)
    spread_per_dart = 4.0 * math.sqrt(P_INSIDE * (1.0 - P_INSIDE))

    def reliable(n: int) -> bool:
        return z * spread_per_dart / math.sqrt(n) <= half_width

    # Solve z * spread / sqrt(N) <= half_width for N, then step past rounding
    # errors so that N is exactly the smallest count that qualifies.
    n = max(1, math.ceil((z * spread_per_dart / half_width) ** 2))
    while n > 1 and reliable(n - 1):
        n -= 1
    while not reliable(n):
        n += 1
    return n
