"""The same pi estimate as Ray tasks: a thin layer over :mod:`raycourse.kernel`."""

from __future__ import annotations

import math

import ray

from ._checks import check_int, check_seed
from .kernel import STREAM_BLOCK, _root_seed, count_inside_range, estimate_pi
from .progress import as_completed
from .session import start_ray

__all__ = [
    "LOCAL_THRESHOLD",
    "count_blocks",
    "count_inside_task",
    "default_block_size",
    "estimate_pi_parallel",
    "split_range",
]

#: Below this many darts one core finishes before Ray's task overhead pays
#: off, so :func:`estimate_pi_parallel` computes locally (same value). On a
#: two-core machine a task's round trip costs about a millisecond and one
#: core throws a million darts in about two, so one task per core starts to
#: win at a few million darts (``make bench`` measures the crossover). The
#: threshold sits above that, where noise on a busy machine does not make Ray
#: the slower path, and it is twice :data:`~raycourse.kernel.STREAM_BLOCK`,
#: so the smallest parallel run is already two tasks.
LOCAL_THRESHOLD = 2**23

_MIN_BLOCK = STREAM_BLOCK
_MAX_BLOCK = 2**26
# Each task costs the workers a millisecond or two beyond its darts: at
# N = 4 x 10**8 on two cores, 8 tasks reach a speedup of about 1.9 where 16
# reach about 1.8. The block-size cap keeps large runs finely divided.
_TARGET_BLOCKS = 8


@ray.remote
def count_inside_task(seed: int, start: int, stop: int) -> int:
    """Ray task: hits among darts ``start`` to ``stop - 1`` (see :func:`count_inside_range`)."""
    return count_inside_range(seed, start, stop)


def default_block_size(num_samples: int) -> int:
    """Darts per task when none is given: about 8 tasks, 4 to 67 million darts each.

    It depends on ``num_samples`` only, never on the number of workers.
    """
    num_samples = check_int("num_samples", num_samples)
    return min(max(math.ceil(num_samples / _TARGET_BLOCKS), _MIN_BLOCK), _MAX_BLOCK)


def split_range(num_samples: int, block_size: int) -> list[tuple[int, int]]:
    """Split ``range(num_samples)`` into ``(start, stop)`` blocks of ``block_size``.

    The last block takes the remainder: ``ceil(num_samples / block_size)``
    blocks in all.
    """
    num_samples = check_int("num_samples", num_samples)
    block_size = check_int("block_size", block_size)
    return [
        (start, min(start + block_size, num_samples)) for start in range(0, num_samples, block_size)
    ]


def estimate_pi_parallel(
    num_samples: int,
    *,
    seed: int | None = None,
    block_size: int | None = None,
    progress: bool = False,
) -> float:
    """Estimate pi from ``num_samples`` darts thrown by Ray tasks.

    The result equals ``estimate_pi(num_samples, seed=seed)`` exactly, for any
    ``block_size``, any number of workers and any order of completion: the
    darts' random streams are fixed by their indices (see
    :mod:`raycourse.kernel`), and tasks only decide who throws them.

    Parameters
    ----------
    num_samples, seed
        As in :func:`raycourse.estimate_pi`; the value is ``4 * inside / num_samples``.
    block_size : int, optional
        Darts per task, ``>= 1``. By default :func:`default_block_size`; then
        runs smaller than :data:`LOCAL_THRESHOLD` darts are computed in this
        process, where Ray's overhead would cost more than it saves.
    progress : bool, optional
        One progress bar while the blocks finish (off by default, so a loop
        of estimates shows none; see :mod:`raycourse.progress`).

    Raises
    ------
    TypeError, ValueError
        For a bad ``num_samples`` or ``seed`` (as :func:`raycourse.estimate_pi`),
        a ``block_size`` that is not an integer ``>= 1``, or a ``progress`` that is
        not a bool.
    """
    num_samples = check_int("num_samples", num_samples)
    seed = check_seed(seed)
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got {progress!r}")
    if block_size is None:
        if num_samples < LOCAL_THRESHOLD:
            return estimate_pi(num_samples, seed=seed)
        block_size = default_block_size(num_samples)
    blocks = split_range(num_samples, block_size)
    seed = _root_seed(seed)
    if not ray.is_initialized():
        # Only when needed: describing a running session costs a GCS query.
        start_ray()
    return 4 * count_blocks(seed, blocks, progress=progress) / num_samples


def count_blocks(
    seed: int, blocks: list[tuple[int, int]], *, progress: bool = False, description: str = "blocks"
) -> int:
    """Hits among the darts of ``blocks``, one :func:`count_inside_task` per block."""
    refs = [count_inside_task.remote(seed, start, stop) for start, stop in blocks]
    return sum(count for _, count in as_completed(refs, progress=progress, description=description))
