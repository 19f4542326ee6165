"""The lesson's first, readable estimate: the one the Tasks page shows.

It is deliberately plain: it holds all ``2 * num_samples`` coordinates in
memory at once (16 bytes per dart, plus a mask). :func:`raycourse.estimate_pi`
is an equivalent estimator that works in fixed-size chunks and is much faster.
"""

from __future__ import annotations

import numpy as np

__all__ = ["estimate_pi_plain"]


def estimate_pi_plain(num_samples: int, rng: np.random.Generator) -> float:
    """Estimate pi from ``num_samples`` darts thrown at [-1, 1] x [-1, 1]."""
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)):
        raise TypeError(f"num_samples must be an integer, got {num_samples!r}")
    if num_samples < 1:
        raise ValueError(f"num_samples must be at least 1, got {num_samples}")
    x = rng.uniform(-1.0, 1.0, num_samples)
    y = rng.uniform(-1.0, 1.0, num_samples)
    inside = x * x + y * y <= 1.0  # True where the dart hit the circle
    return 4.0 * np.count_nonzero(inside) / num_samples
