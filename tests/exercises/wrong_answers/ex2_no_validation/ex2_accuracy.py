"""Deliberately wrong answer to Exercise 2.

The mistake: does not check its arguments.
"""

import math
from statistics import NormalDist


def samples_needed(decimals, confidence=0.95):
    p = math.pi / 4
    half_width = 0.5 * 10.0**-decimals
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    sigma_one = 4 * math.sqrt(p * (1 - p))
    return max(1, math.ceil((z * sigma_one / half_width) ** 2))
