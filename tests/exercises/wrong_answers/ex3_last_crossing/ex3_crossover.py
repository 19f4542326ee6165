"""Deliberately wrong answer to Exercise 3.

The mistake: takes the last crossing rather than the first.
"""

import math


def crossover_n(ns, serial_seconds, ray_seconds):
    if not ns or not len(ns) == len(serial_seconds) == len(ray_seconds):
        raise ValueError("ns, serial_seconds and ray_seconds must be non-empty and equally long")
    d = [math.log(r) - math.log(s) for s, r in zip(serial_seconds, ray_seconds, strict=True)]
    if d[0] <= 0:
        return float(ns[0])
    for i in range(len(d) - 1, 0, -1):
        if d[i] <= 0 < d[i - 1]:
            t = d[i - 1] / (d[i - 1] - d[i])
            return math.exp(math.log(ns[i - 1]) + t * (math.log(ns[i]) - math.log(ns[i - 1])))
    return None


def min_task_samples(overhead_seconds, samples_per_second, max_overhead_fraction=0.1):
    if overhead_seconds < 0 or samples_per_second <= 0:
        raise ValueError("overhead_seconds must be >= 0 and samples_per_second > 0")
    if not 0 < max_overhead_fraction < 1:
        raise ValueError("max_overhead_fraction must lie in (0, 1)")
    f = max_overhead_fraction
    n = max(1, math.ceil(samples_per_second * overhead_seconds * (1 - f) / f))
    while n > 1 and overhead_seconds / (overhead_seconds + (n - 1) / samples_per_second) <= f:
        n -= 1
    return n
