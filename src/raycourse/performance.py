"""Measure how fast darts fly: side-by-side timings, and what an empty task or actor call costs.

Used by ``benchmarks/bench.py`` (``make bench``), the performance and actors pages. Every
timing here is made by :mod:`raycourse.measurement`: the jobs take turns,
round after round, every round is kept, and each job's figure is the median
(or best) of its rounds, with their spread.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import ray

from ._checks import check_int, check_positive_real, check_seed
from .kernel import CHUNK
from .measurement import (
    SideBySide,
    Statistic,
    measure_checked,
    measure_side_by_side,
    warm_up_workers,
)
from .plausibility import CheckedFigure
from .session import start_ray

__all__ = [
    "CallCosts",
    "TaskOverhead",
    "draw_raw",
    "measure_call_costs",
    "measure_task_overhead",
    "time_side_by_side",
]


def draw_raw(num_words: int, *, seed: int | None = None) -> None:
    """Draw ``num_words`` raw 64-bit words from NumPy's default bit generator.

    The words come in blocks of :data:`raycourse.kernel.CHUNK` from
    ``numpy.random.default_rng(seed).bit_generator.random_raw`` and are thrown
    away: the time this takes bounds any NumPy kernel that spends one such
    word per dart.

    Parameters
    ----------
    num_words : int
        Words to draw, ``>= 1``.
    seed : int or None, optional
        Seed of the generator.
    """
    num_words = check_int("num_words", num_words)
    bit_generator = np.random.default_rng(check_seed(seed)).bit_generator
    full, rest = divmod(num_words, CHUNK)
    for _ in range(full):
        bit_generator.random_raw(CHUNK)
    if rest:
        bit_generator.random_raw(rest)


def time_side_by_side(
    jobs: Mapping[str, Callable[[], object]],
    *,
    rounds: int = 5,
    min_seconds: float = 0.0,
    statistic: Statistic = "median",
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """Return each job's seconds per call, timed in turns by :mod:`raycourse.measurement`.

    A shorthand for :func:`raycourse.measurement.measure_side_by_side` (one
    untimed warm-up call per job, then interleaved, rotating rounds) that keeps
    only the reported figure of each job. Use the engine itself, or
    :func:`raycourse.measurement.measure_checked`, where the spread between
    rounds or a plausibility verdict is needed.

    Parameters
    ----------
    jobs : mapping of str to callable
        Zero-argument callables, by name.
    rounds : int, optional
        Rounds; each calls every job.
    min_seconds : float, optional
        Within a round a job is called again and again until this much time
        has passed, and the round's figure is the mean per call.
    statistic : {"median", "best"}, optional
        The median or the fastest of the rounds.
    clock : callable, optional
        Returns seconds; tests pass a fake clock.

    Returns
    -------
    dict of str to float
        Seconds per call, by job name.

    Raises
    ------
    TypeError
        If a job is not callable.
    ValueError
        If ``jobs`` is empty, ``rounds < 1``, ``min_seconds < 0`` or
        ``statistic`` is unknown.
    """
    result = measure_side_by_side(
        jobs, rounds=rounds, min_seconds=min_seconds, statistic=statistic, clock=clock
    )
    return {name: result.seconds(name) for name in result.rounds}


@dataclass(frozen=True)
class TaskOverhead:
    """What one Ray task costs beyond its own work, measured side by side in rounds.

    Attributes
    ----------
    figure : CheckedFigure of SideBySide
        The rounds of the two jobs (``"round trip"``: one empty task at a time;
        ``"batch"``: ``batch`` empty tasks submitted at once) with their
        plausibility verdict.
    batch : int
        Empty tasks per call of the ``"batch"`` job.
    """

    figure: CheckedFigure[SideBySide]
    batch: int

    @property
    def round_trip(self) -> float:
        """Seconds from ``.remote()`` to the value of an empty task, one at a time (median)."""
        return self.figure.value.seconds("round trip")

    @property
    def per_task(self) -> float:
        """Seconds per empty task when many are submitted at once and collected together."""
        return self.figure.value.seconds("batch") / self.batch


@ray.remote
def _empty_task() -> None:
    return None


def measure_task_overhead(
    *,
    rounds: int = 5,
    batch: int = 1000,
    min_seconds: float = 0.1,
    max_attempts: int = 3,
) -> TaskOverhead:
    """Measure Ray's per-task overhead with empty tasks (Ray must be running).

    Every Ray worker is started first (:func:`raycourse.measurement.warm_up_workers`);
    then one empty task at a time and a batch of empty tasks are timed in
    turns (:func:`raycourse.measurement.measure_checked`, medians), and
    measured again while the rounds disagree.

    Parameters
    ----------
    rounds : int, optional
        Rounds of each job.
    batch : int, optional
        Empty tasks submitted together; its time over ``batch`` is the per-task cost.
    min_seconds : float, optional
        A round repeats a job for at least this long (the mean per call counts).
    max_attempts : int, optional
        Measurements at most.

    Returns
    -------
    TaskOverhead

    Raises
    ------
    RuntimeError
        If Ray is not running in this process.
    """
    batch = check_int("batch", batch)
    if not ray.is_initialized():
        raise RuntimeError("Ray is not running; call raycourse.start_ray() first")
    warm_up_workers()
    figure = measure_checked(
        {
            "round trip": lambda: ray.get(_empty_task.remote()),
            "batch": lambda: ray.get([_empty_task.remote() for _ in range(batch)]),
        },
        name="task overhead",
        rounds=rounds,
        min_seconds=min_seconds,
        statistic="median",
        max_attempts=max_attempts,
    )
    return TaskOverhead(figure=figure, batch=batch)


@dataclass(frozen=True)
class CallCosts:
    """What Ray's building blocks cost on this machine, in seconds (medians of rounds).

    Attributes
    ----------
    figure : CheckedFigure of SideBySide
        The rounds of the three jobs (``"task"``, ``"actor call"``,
        ``"actor start"``), timed side by side, with their plausibility verdict.
    """

    figure: CheckedFigure[SideBySide]

    @property
    def task(self) -> float:
        """Submit a task that does nothing and wait for its result."""
        return self.figure.value.seconds("task")

    @property
    def actor_call(self) -> float:
        """Call a method of a running actor that does nothing and wait for it."""
        return self.figure.value.seconds("actor call")

    @property
    def actor_start(self) -> float:
        """Create an actor and wait until its first method call returns."""
        return self.figure.value.seconds("actor start")

    @property
    def rounds(self) -> int:
        """Rounds per job in the published measurement."""
        return self.figure.rounds


@ray.remote(num_cpus=0)
class _NoopActor:
    def noop(self) -> None:
        return None


def measure_call_costs(
    *, rounds: int = 5, min_seconds: float = 0.05, max_attempts: int = 3
) -> CallCosts:
    """Time a no-op task, a no-op actor call and an actor start, side by side.

    Each is a full round trip from the driver: submit, run, return the result.
    Every Ray worker is started first; the three jobs then take turns, round
    after round (:func:`raycourse.measurement.measure_checked`, medians), and
    are measured again while their rounds disagree.

    Parameters
    ----------
    rounds, min_seconds, max_attempts
        As for :func:`measure_task_overhead`.

    Returns
    -------
    CallCosts
    """
    rounds = check_int("rounds", rounds)
    min_seconds = check_positive_real("min_seconds", min_seconds, allow_zero=True)
    start_ray()
    warm_up_workers()
    actor = _NoopActor.remote()

    def start_one() -> None:
        fresh = _NoopActor.remote()
        ray.get(fresh.noop.remote())
        ray.kill(fresh)

    try:
        figure = measure_checked(
            {
                "task": lambda: ray.get(_empty_task.remote()),
                "actor call": lambda: ray.get(actor.noop.remote()),
                "actor start": start_one,
            },
            name="task and actor round trips",
            rounds=rounds,
            min_seconds=min_seconds,
            statistic="median",
            max_attempts=max_attempts,
        )
    finally:
        ray.kill(actor)
    return CallCosts(figure=figure)
