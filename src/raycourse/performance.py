"""Measure how fast darts fly: side-by-side timings, and what an empty task or actor call costs.

Used by ``benchmarks/bench.py`` (``make bench``), the performance and actors pages. On
a shared or busy machine single timings are noisy, so every comparison here
is made side by side: the jobs take turns, round after round, and each job's
figure is the median of its rounds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import ray

from ._checks import check_int, check_positive_real, check_seed
from .kernel import CHUNK
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
) -> dict[str, float]:
    """Return the median wall-clock seconds per call of each job, timed in turns.

    Parameters
    ----------
    jobs : mapping of str to callable
        Zero-argument callables, by name.
    rounds : int, optional
        Each round calls every job once, in order; the median over rounds is
        what a job costs.
    min_seconds : float, optional
        Within a round a job is called again and again until this much time
        has passed, and the round's figure is the mean per call: set it for
        jobs that take microseconds.

    Returns
    -------
    dict of str to float
        Median seconds per call, by job name.

    Raises
    ------
    TypeError
        If a job is not callable.
    ValueError
        If ``jobs`` is empty, ``rounds < 1`` or ``min_seconds < 0``.
    """
    if not jobs:
        raise ValueError("jobs must name at least one callable, got an empty mapping")
    for name, job in jobs.items():
        if not callable(job):
            raise TypeError(f"jobs[{name!r}] must be callable, got {job!r}")
    rounds = check_int("rounds", rounds)
    min_seconds = check_positive_real("min_seconds", min_seconds, allow_zero=True)
    samples: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(rounds):
        for name, job in jobs.items():
            calls = 0
            start = time.perf_counter()
            while True:
                job()
                calls += 1
                elapsed = time.perf_counter() - start
                if elapsed >= min_seconds:
                    break
            samples[name].append(elapsed / calls)
    return {name: statistics.median(values) for name, values in samples.items()}


@dataclass(frozen=True)
class TaskOverhead:
    """What one Ray task costs beyond its own work.

    Attributes
    ----------
    round_trip : float
        Seconds from ``.remote()`` to the value of an empty task, one at a time.
    per_task : float
        Seconds per empty task when many are submitted at once and collected
        together: the cost that many small tasks add to a parallel run.
    """

    round_trip: float
    per_task: float


@ray.remote
def _empty_task() -> None:
    return None


def measure_task_overhead(*, round_trips: int = 200, batch: int = 2000) -> TaskOverhead:
    """Measure Ray's per-task overhead with empty tasks (Ray must be running).

    Parameters
    ----------
    round_trips : int, optional
        Empty tasks run one after another; the median is the round trip.
    batch : int, optional
        Empty tasks submitted together; the total time over ``batch`` is the
        per-task cost.

    Returns
    -------
    TaskOverhead

    Raises
    ------
    RuntimeError
        If Ray is not running in this process.
    """
    round_trips = check_int("round_trips", round_trips)
    batch = check_int("batch", batch)
    if not ray.is_initialized():
        raise RuntimeError("Ray is not running; call raycourse.start_ray() first")
    ray.get([_empty_task.remote() for _ in range(batch)])  # warm the workers
    round_trip = _median_seconds(lambda: ray.get(_empty_task.remote()), round_trips)
    start = time.perf_counter()
    ray.get([_empty_task.remote() for _ in range(batch)])
    per_task = (time.perf_counter() - start) / batch
    return TaskOverhead(round_trip=round_trip, per_task=per_task)


@dataclass(frozen=True)
class CallCosts:
    """What Ray's building blocks cost on this machine, in seconds (medians).

    Attributes
    ----------
    task : float
        Submit a task that does nothing and wait for its result.
    actor_call : float
        Call a method of a running actor that does nothing and wait for it.
    actor_start : float
        Create an actor and wait until its first method call returns.
    repeats : int
        Round trips timed for ``task`` and ``actor_call``.
    starts : int
        Actors started for ``actor_start``.
    """

    task: float
    actor_call: float
    actor_start: float
    repeats: int
    starts: int


@ray.remote(num_cpus=0)
class _NoopActor:
    def noop(self) -> None:
        return None


def _median_seconds(call, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure_call_costs(*, repeats: int = 200, starts: int = 3) -> CallCosts:
    """Time a no-op task, a no-op actor call and an actor start, one at a time.

    Each is a full round trip from the driver: submit, run, return the result.
    Medians keep the numbers robust to a busy machine. Warm-up rounds run
    first, so worker processes already exist for the task and call timings;
    the task's is :func:`measure_task_overhead`'s round trip.

    Parameters
    ----------
    repeats : int, optional
        Round trips per kind (tasks and actor calls).
    starts : int, optional
        Actors to create for the start-up time.

    Returns
    -------
    CallCosts
    """
    repeats = check_int("repeats", repeats)
    starts = check_int("starts", starts)
    start_ray()
    task = measure_task_overhead(round_trips=repeats, batch=10).round_trip
    actor = _NoopActor.remote()
    for _ in range(10):
        ray.get(actor.noop.remote())
    actor_call = _median_seconds(lambda: ray.get(actor.noop.remote()), repeats)
    ray.kill(actor)

    def start_one() -> None:
        fresh = _NoopActor.remote()
        ray.get(fresh.noop.remote())
        ray.kill(fresh)

    actor_start = _median_seconds(start_one, starts)
    return CallCosts(
        task=task, actor_call=actor_call, actor_start=actor_start, repeats=repeats, starts=starts
    )
