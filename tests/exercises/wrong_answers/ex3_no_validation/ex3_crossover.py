"""Deliberately wrong answer to Exercise 3.

The mistake: does not check its arguments.
"""

import math


def crossover_n(ns, serial_seconds, ray_seconds):
    d = [math.log(r) - math.log(s) for s, r in zip(serial_seconds, ray_seconds, strict=False)]
    if d[0] <= 0:
        return float(ns[0])
    for i in range(1, len(d)):
        if d[i] <= 0:
            t = d[i - 1] / (d[i - 1] - d[i])
            return math.exp(math.log(ns[i - 1]) + t * (math.log(ns[i]) - math.log(ns[i - 1])))
    return None


def min_task_samples(overhead_seconds, samples_per_second, max_overhead_fraction=0.1):
    f = max_overhead_fraction
    n = max(1, math.ceil(samples_per_second * overhead_seconds * (1 - f) / f))
    while n > 1 and overhead_seconds / (overhead_seconds + (n - 1) / samples_per_second) <= f:
        n -= 1
    return n
