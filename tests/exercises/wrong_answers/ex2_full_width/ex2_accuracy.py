"""Deliberately wrong answer to Exercise 2.

The mistake: asks for 10**-decimals instead of half a unit in the last place.
"""

import math
import numbers
from statistics import NormalDist


def samples_needed(decimals, confidence=0.95):
    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral):
        raise TypeError(f"decimals must be an integer, got {decimals!r}")
    if decimals < 0 or not 0 < confidence < 1:
        raise ValueError(f"bad decimals={decimals!r} or confidence={confidence!r}")
    p = math.pi / 4
    half_width = 10.0**-decimals
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    sigma_one = 4 * math.sqrt(p * (1 - p))
    return max(1, math.ceil((z * sigma_one / half_width) ** 2))
