"""How many darts an estimate of pi needs to be right to a number of decimals."""

from __future__ import annotations

import math
from statistics import NormalDist

from ._checks import check_fraction, check_int

__all__ = ["SPREAD_PER_DART", "darts_for_decimals"]

#: Standard deviation of ``4 * hit`` for one dart, ``4 * sqrt(p * (1 - p))``
#: with ``p = pi / 4``: one estimate from ``N`` darts has standard error
#: ``SPREAD_PER_DART / sqrt(N)``, about ``1.642 / sqrt(N)``.
SPREAD_PER_DART = 4.0 * math.sqrt(math.pi / 4 * (1.0 - math.pi / 4))


def darts_for_decimals(decimals: int, *, confidence: float = 0.95) -> int:
    """Return the fewest darts whose estimate is right to ``decimals`` places.

    "Right to ``decimals`` places" means within ``0.5 * 10**-decimals`` of pi,
    with probability ``confidence`` under the normal approximation: the
    smallest ``N`` with ``z * SPREAD_PER_DART / sqrt(N) <= 0.5 * 10**-decimals``
    where ``z`` is the two-sided normal quantile of ``confidence``. It is the
    answer to the Tasks lesson's Exercise 2.

    Parameters
    ----------
    decimals : int
        Correct decimal places wanted, ``>= 0``.
    confidence : float, optional
        Probability of being that close, strictly between 0 and 1.

    Returns
    -------
    int
        The number of darts.

    Raises
    ------
    TypeError
        If ``decimals`` is not an integer or ``confidence`` not a real number.
    ValueError
        If ``decimals < 0`` or ``confidence`` is not strictly between 0 and 1.

    Examples
    --------
    >>> darts_for_decimals(2)
    414381
    """
    decimals = check_int("decimals", decimals, minimum=0)
    confidence = check_fraction("confidence", confidence)
    half_width = 0.5 * 10.0**-decimals
    z = NormalDist().inv_cdf((1.0 + confidence) / 2.0)

    def close_enough(n: int) -> bool:
        return z * SPREAD_PER_DART / math.sqrt(n) <= half_width

    # The closed form, then a step either way past floating-point rounding.
    n = max(1, math.ceil((z * SPREAD_PER_DART / half_width) ** 2))
    while n > 1 and close_enough(n - 1):
        n -= 1
    while not close_enough(n):
        n += 1
    return n
