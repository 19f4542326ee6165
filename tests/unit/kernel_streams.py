"""The kernel's stream blocks driven from a NumPy generator: test-only views of its internals.

The package exposes only ranges of darts (``count_inside_range``); these
helpers let the tests check a stream block against NumPy's own generators
and the reference kernel.
"""

from __future__ import annotations

import numpy as np

from raycourse.kernel import _count_darts, _refinement_key


def stream_generator(seed: int, index: int) -> np.random.Generator:
    """Main stream of stream block ``index``: child ``index`` of ``SeedSequence(seed)``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(index,))))


def count_inside(
    generator: np.random.Generator, num_darts: int, *, refine: np.random.SeedSequence | None = None
) -> int:
    """Hits among ``num_darts`` darts from ``generator``'s position (one word per two darts).

    The refinement stream is keyed by ``refine``, by default the child ``spawn_key + (1,)`` of
    the generator's own seed, so that ``count_inside(stream_generator(s, k), n)`` counts the
    first ``n`` darts of stream block ``k``.
    """
    if refine is None:
        refine = generator.bit_generator.seed_seq
    return _count_darts(generator.bit_generator, _refinement_key(refine), 0, num_darts)
