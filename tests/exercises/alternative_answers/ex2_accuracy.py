"""A correct answer to Exercise 2, written unlike the reference solution.

It searches for N directly on the probability 2 * Phi(h / sd(N)) - 1 instead of
solving for N. The grader must accept it.
"""

import math
from statistics import NormalDist


def samples_needed(decimals, confidence=0.95):
    if not isinstance(decimals, int) or isinstance(decimals, bool):
        raise TypeError(f"decimals must be an int, got {decimals!r}")
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    p = math.pi / 4
    h = 0.5 / 10**decimals
    z = NormalDist().inv_cdf(0.5 + confidence / 2)

    def good(n):
        return 4 * math.sqrt(p * (1 - p) / n) * z <= h

    high = 1
    while not good(high):
        high *= 2
    low = high // 2  # good(low) is False (or low == 0)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if good(middle) else (middle, high)
    return high
