"""The lesson's first, readable estimate: the one the Tasks page shows.

It is deliberately plain: it holds all ``2 * num_samples`` coordinates in
memory at once (16 bytes per dart, plus a mask). :func:`raycourse.estimate_pi`
computes the same kind of estimate in fixed-size chunks and is much faster.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_int

__all__ = ["estimate_pi_plain"]


# plain-estimate-start
def estimate_pi_plain(num_samples: int, rng: np.random.Generator) -> float:
    """Estimate pi from ``num_samples`` darts thrown at [-1, 1] x [-1, 1]."""
    num_samples = check_int("num_samples", num_samples)
    x = rng.uniform(-1.0, 1.0, num_samples)
    y = rng.uniform(-1.0, 1.0, num_samples)
    inside = x * x + y * y <= 1.0  # True where the dart hit the circle
    return 4.0 * np.count_nonzero(inside) / num_samples


# plain-estimate-end
