"""Exercise 2: how many darts give a reliable estimate to a given number of decimals?

Write ``samples_needed`` below. Check your answer with
this exercise's tests alone::

    .venv/bin/pytest tests/exercises -k ex2

``.venv/bin/pytest tests/exercises`` checks every exercise; it starts Ray once, for
Exercises 1 and 4. Exercises 2 and 3 need no Ray and are checked in seconds.
"""

from __future__ import annotations

__all__ = ["samples_needed"]


def samples_needed(decimals: int, confidence: float = 0.95) -> int:
    """Return the fewest darts whose estimate of pi is right to ``decimals`` places.

    The rules:

    - "Right to ``decimals`` places" means within ``0.5 * 10**-decimals`` of
      pi: within 0.00005 of pi for four places.
    - Return the smallest ``N``, an ``int``, such that one estimate from ``N``
      darts lies that close to pi with probability at least ``confidence``.
      The estimate may miss on either side.
    - Work it out with the normal approximation to the number of darts
      inside (``statistics.NormalDist`` has the normal distribution's
      quantiles); throw no darts.
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
    raise NotImplementedError("find the smallest N from the normal approximation")
