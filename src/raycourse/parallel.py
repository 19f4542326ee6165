"""The same pi estimate as Ray tasks: a thin layer over :mod:`raycourse.kernel`.

A call shows a progress bar only when asked (``progress=True``), so a loop of
calls prints nothing; the site build silences even those with tqdm's own
``TQDM_DISABLE`` switch.
"""

from __future__ import annotations

import math
import os
from typing import Any

import ray

from ._checks import check_int
from .kernel import STREAM_BLOCK, _root_seed, count_inside_range, estimate_pi
from .session import start_ray

__all__ = [
    "LOCAL_THRESHOLD",
    "count_blocks",
    "count_inside_task",
    "default_block_size",
    "estimate_pi_parallel",
    "open_bar",
    "split_range",
]

#: Below this many darts one core finishes before Ray's task overhead pays
#: off, so :func:`estimate_pi_parallel` computes locally (same value). One task
#: per core starts to win at a few million darts on two cores; the threshold
#: sits above that and is two stream blocks, so a parallel run has two tasks.
LOCAL_THRESHOLD = 2**23

_MIN_BLOCK, _MAX_BLOCK = STREAM_BLOCK, 2**26
# At N = 4e8 on two cores 8 tasks reach a speedup of about 1.9, 16 about 1.8.
_TARGET_BLOCKS = 8


@ray.remote
def count_inside_task(seed: int, start: int, stop: int) -> int:
    """Ray task: hits among darts ``start`` to ``stop - 1`` (see :func:`count_inside_range`)."""
    return count_inside_range(seed, start, stop)


def default_block_size(num_samples: int) -> int:
    """Darts per task when none is given: about 8 tasks, of ``2**22`` to ``2**26`` darts."""
    num_samples = check_int("num_samples", num_samples)
    return min(max(math.ceil(num_samples / _TARGET_BLOCKS), _MIN_BLOCK), _MAX_BLOCK)


def split_range(num_samples: int, block_size: int) -> list[tuple[int, int]]:
    """Split ``range(num_samples)`` into ``(start, stop)`` blocks; the last takes the rest."""
    num_samples = check_int("num_samples", num_samples)
    block_size = check_int("block_size", block_size)
    return [(a, min(a + block_size, num_samples)) for a in range(0, num_samples, block_size)]


def estimate_pi_parallel(
    num_samples: int,
    *,
    seed: int | None = None,
    block_size: int | None = None,
    progress: bool = False,
) -> float:
    """Estimate pi from ``num_samples`` darts thrown by Ray tasks.

    The result equals ``estimate_pi(num_samples, seed=seed)`` exactly, for any
    ``block_size``, number of workers and order of completion: the darts'
    random bits are fixed by their numbers, and tasks only decide who throws them.

    Parameters
    ----------
    num_samples, seed
        As in :func:`raycourse.estimate_pi`.
    block_size : int, optional
        Darts per task, ``>= 1``. By default :func:`default_block_size`, and
        runs below :data:`LOCAL_THRESHOLD` darts are computed in this process.
    progress : bool, optional
        Show a progress bar while the blocks finish.

    Raises
    ------
    TypeError, ValueError
        For a bad ``num_samples`` or ``seed``, a ``block_size`` that is not an
        integer ``>= 1``, or a ``progress`` that is not a bool.
    """
    num_samples = check_int("num_samples", num_samples)
    seed = _root_seed(seed)
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got {progress!r}")
    if block_size is None:
        if num_samples < LOCAL_THRESHOLD:
            return estimate_pi(num_samples, seed=seed)
        block_size = default_block_size(num_samples)
    blocks = split_range(num_samples, block_size)
    if not ray.is_initialized():
        start_ray()
    return 4 * count_blocks(seed, blocks, progress=progress) / num_samples


def count_blocks(
    seed: int, blocks: list[tuple[int, int]], *, progress: bool = False, description: str = "blocks"
) -> int:
    """Hits among the darts of ``blocks``, one :func:`count_inside_task` per block."""
    refs = [count_inside_task.remote(seed, start, stop) for start, stop in blocks]
    if not progress:
        return sum(ray.get(refs))
    bar = open_bar(len(refs), description, unit="task")
    inside = 0
    while refs:
        ready, refs = ray.wait(refs, num_returns=1)
        inside += ray.get(ready[0])
        bar.update(1)
    bar.close()
    return inside


def open_bar(total: int, description: str, *, unit: str = "it", unit_scale: bool = False) -> Any:
    """A tqdm bar of ``total`` steps (a widget in Jupyter), silent under ``TQDM_DISABLE``."""
    from tqdm.auto import tqdm  # imported here: choosing the bar inspects IPython

    # tqdm's notebook bar ignores TQDM_DISABLE unless `disable` says so.
    disable = os.environ.get("TQDM_DISABLE", "").strip().lower() in {"1", "true", "yes", "on"}
    return tqdm(total=total, desc=description, unit=unit, unit_scale=unit_scale, disable=disable)
