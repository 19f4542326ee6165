"""Exercise 2: how many darts give a reliable estimate to a given number of decimals?

Write ``samples_needed`` below. Check your answer with::

    pytest tests/exercises/test_ex2_accuracy.py
"""

from __future__ import annotations

__all__ = ["samples_needed"]


def samples_needed(decimals: int, confidence: float = 0.95) -> int:
    """Return the fewest darts whose estimate of pi is right to ``decimals`` places.

    The rules:

    - "Right to ``decimals`` places" means within ``0.5 * 10**-decimals`` of pi.
    - Use the normal approximation: an estimate from ``N`` darts has standard
      deviation ``4 * sqrt(p * (1 - p) / N)`` with ``p = pi / 4``, and lies
      within ``z`` standard deviations of pi with probability ``confidence``
      when ``z = Phi^-1((1 + confidence) / 2)``, the two-sided quantile of the
      standard normal distribution (``statistics.NormalDist().inv_cdf``).
    - Return the smallest such ``N``, an ``int``.
    - Raise ``TypeError`` if ``decimals`` is not an integer, ``ValueError`` if
      ``decimals < 0`` or ``confidence`` is not strictly between 0 and 1.

    Parameters
    ----------
    decimals : int
        Correct decimal places wanted, ``>= 0``.
    confidence : float, optional
        Probability that one estimate is that close, in (0, 1).

    Returns
    -------
    int
        The number of darts.
    """
    raise NotImplementedError("solve z * 4 * sqrt(p * (1 - p) / N) <= 0.5 * 10**-decimals for N")
