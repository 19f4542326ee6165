"""Where the browser's darts land: the dart board's JavaScript generator in NumPy.

``src/raycourse/dart_board_assets/generator.js`` draws each coordinate from a
panel's seed, the round and the dart's counter through MurmurHash3's 32-bit
finaliser. This module computes the same coordinates, bit for bit, so that the
tests know exactly which darts a run of the animation throws.
"""

from __future__ import annotations

import numpy as np

GOLDEN = 0x9E3779B9  # odd multiplier: successive counters map to well-spread keys
MASK32 = 0xFFFFFFFF


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, as ``fmix32`` in ``generator.js``."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def dart_positions(
    seed: int, num_darts: int, *, round_number: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Return the ``x`` and ``y`` of the first ``num_darts`` darts of a panel's round.

    ``seed`` is a panel's 32-bit seed; ``round_number`` counts the panel's runs
    (Reset and a replay after a finished run each move to the next round).
    Coordinates are in ``[-1, 1)``.
    """
    start = np.array([(seed + round_number * GOLDEN) & MASK32], dtype=np.uint32)
    key = fmix32(start)[0]
    counters = np.arange(2 * num_darts, dtype=np.uint32)
    words = fmix32(key + counters * np.uint32(GOLDEN))
    coordinates = words / 4294967296.0 * 2.0 - 1.0
    return coordinates[0::2], coordinates[1::2]
