"""Time candidates side by side, in interleaved rounds, and keep every round.

A single wall-clock timing on a shared machine measures the machine as much as
the code. Here the candidates (one core against Ray tasks, say) take turns,
round after round, so a busy moment hurts all of them alike; every round's
seconds are kept, and a figure is the best or the median of its rounds with
the spread beside it. Before anything is timed, the jobs run once untimed and,
for Ray, every worker process the measurement will use is started.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import ray

from ._checks import check_int, check_items, check_positive_real
from .plausibility import (
    MAX_SPREAD,
    CheckedFigure,
    RuleBreach,
    measure_until_plausible,
    round_spread,
    spread_too_wide,
)

__all__ = [
    "Rounds",
    "SideBySide",
    "measure_checked",
    "measure_side_by_side",
    "warm_up_workers",
]

Statistic = Literal["best", "median"]
_STATISTICS = ("best", "median")


@dataclass(frozen=True)
class Rounds:
    """One candidate's seconds per call, one value per round, in round order.

    Attributes
    ----------
    name : str
        The candidate's name.
    seconds : tuple of float
        Seconds per call in each round.
    """

    name: str
    seconds: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.seconds:
            raise ValueError(f"seconds of {self.name!r} must hold at least one round, got ()")
        if any(not math.isfinite(s) or s <= 0 for s in self.seconds):
            raise ValueError(f"seconds of {self.name!r} must be positive, got {self.seconds!r}")

    @property
    def best(self) -> float:
        """The fastest round: the least disturbed estimate of what the call costs."""
        return min(self.seconds)

    @property
    def median(self) -> float:
        """The median round."""
        return statistics.median(self.seconds)

    @property
    def spread(self) -> float:
        """How far the rounds disagree (:func:`~raycourse.plausibility.round_spread`)."""
        return round_spread(self.seconds)


@dataclass(frozen=True)
class SideBySide:
    """The rounds of several candidates timed in turns, and the statistic to report.

    Attributes
    ----------
    rounds : dict of str to Rounds
        Every candidate's rounds, by name, in the order they were timed.
    statistic : {"best", "median"}
        What :meth:`seconds` reports for a candidate.
    """

    rounds: dict[str, Rounds]
    statistic: Statistic = "median"

    def seconds(self, name: str) -> float:
        """Return the reported seconds per call of candidate ``name``."""
        if name not in self.rounds:
            raise KeyError(f"no candidate named {name!r}; have {list(self.rounds)}")
        candidate = self.rounds[name]
        return candidate.best if self.statistic == "best" else candidate.median

    def ratio(self, slower: str, faster: str) -> float:
        """Return ``seconds(slower) / seconds(faster)``: a speed-up of ``faster``."""
        return self.seconds(slower) / self.seconds(faster)

    @property
    def num_rounds(self) -> int:
        """Rounds per candidate."""
        return len(next(iter(self.rounds.values())).seconds)

    @property
    def spread(self) -> float:
        """The widest spread of any candidate (see :attr:`Rounds.spread`)."""
        return max(candidate.spread for candidate in self.rounds.values())


def measure_side_by_side(
    jobs: Mapping[str, Callable[[], object]],
    *,
    rounds: int = 5,
    min_seconds: float = 0.0,
    statistic: Statistic = "median",
    warm_up: bool = True,
    clock: Callable[[], float] = time.perf_counter,
) -> SideBySide:
    """Time ``jobs`` in interleaved rounds and keep every round's seconds per call.

    Each round calls every job; the order rotates from round to round (A B C,
    B C A, C A B, ...) so no job always runs right after the same neighbour.

    Parameters
    ----------
    jobs : mapping of str to callable
        Zero-argument callables, by name.
    rounds : int, optional
        Rounds, ``>= 1``.
    min_seconds : float, optional
        Within a round a job is called again and again until this much time
        has passed, and the round's figure is the mean per call: set it for
        jobs that take microseconds.
    statistic : {"best", "median"}, optional
        What :meth:`SideBySide.seconds` reports.
    warm_up : bool, optional
        Call every job once, untimed, before the first round (imports, caches,
        Ray's first submission). Ray workers are started by
        :func:`warm_up_workers`, which the caller runs once per session.
    clock : callable, optional
        Returns seconds; tests pass a fake clock.

    Returns
    -------
    SideBySide

    Raises
    ------
    TypeError
        If a job or ``clock`` is not callable.
    ValueError
        If ``jobs`` is empty, ``rounds < 1``, ``min_seconds < 0`` or
        ``statistic`` is unknown.
    """
    if not jobs:
        raise ValueError("jobs must name at least one callable, got an empty mapping")
    for name, job in jobs.items():
        if not callable(job):
            raise TypeError(f"jobs[{name!r}] must be callable, got {job!r}")
    if not callable(clock):
        raise TypeError(f"clock must be callable, got {clock!r}")
    rounds = check_int("rounds", rounds)
    min_seconds = check_positive_real("min_seconds", min_seconds, allow_zero=True)
    if statistic not in _STATISTICS:
        raise ValueError(f"statistic must be one of {_STATISTICS}, got {statistic!r}")
    if not isinstance(warm_up, bool):
        raise TypeError(f"warm_up must be a bool, got {warm_up!r}")
    names = list(jobs)
    if warm_up:
        for name in names:
            jobs[name]()
    samples: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(_seconds_per_call(jobs[name], min_seconds, clock))
    return SideBySide(
        rounds={name: Rounds(name, tuple(samples[name])) for name in names},
        statistic=statistic,
    )


def measure_checked(
    jobs: Mapping[str, Callable[[], object]],
    *,
    name: str,
    rules: Sequence[Callable[[SideBySide], RuleBreach | None]] = (),
    rounds: int = 5,
    min_seconds: float = 0.0,
    statistic: Statistic = "median",
    max_spread: float = MAX_SPREAD,
    steady: Sequence[str] | None = None,
    max_attempts: int = 3,
    clock: Callable[[], float] = time.perf_counter,
) -> CheckedFigure[SideBySide]:
    """Time ``jobs`` side by side, check the result, and measure again while a rule breaks.

    The rounds of every candidate named in ``steady`` must agree within
    ``max_spread`` (:func:`~raycourse.plausibility.spread_too_wide`), and each
    of ``rules`` (functions of the :class:`SideBySide` that return a breach or
    None) must hold.

    Parameters
    ----------
    jobs, rounds, min_seconds, statistic, clock
        As for :func:`measure_side_by_side`.
    name : str
        What the figure is, for the note and the build record.
    rules : sequence of callable, optional
        Further plausibility rules.
    max_spread : float, optional
        Largest ``(slowest - fastest) / median`` allowed for a steady candidate.
    steady : sequence of str, optional
        The candidates whose rounds must agree; all of them if None. Leave out
        a candidate whose rounds vary on an idle machine as well.
    max_attempts : int, optional
        Measurements at most.

    Returns
    -------
    CheckedFigure
        Its ``value`` is the last :class:`SideBySide` measured.
    """
    for index, rule in enumerate(rules):
        if not callable(rule):
            raise TypeError(f"rules[{index}] must be callable, got {rule!r}")
    if isinstance(steady, str):
        raise TypeError(f"steady must be a sequence of candidate names, got {steady!r}")
    steady = list(jobs) if steady is None else check_items("steady", steady, str)
    if unknown := [label for label in steady if label not in jobs]:
        raise ValueError(f"steady names candidates that are not in jobs: {unknown!r}")

    def measure() -> SideBySide:
        return measure_side_by_side(
            jobs, rounds=rounds, min_seconds=min_seconds, statistic=statistic, clock=clock
        )

    def check(result: SideBySide) -> list[RuleBreach | None]:
        spreads = [
            spread_too_wide(result.rounds[label].seconds, max_fraction=max_spread, name=label)
            for label in steady
        ]
        return spreads + [rule(result) for rule in rules]

    return measure_until_plausible(
        measure,
        check,
        name=name,
        rounds=lambda result: result.num_rounds,
        spread=lambda result: max(result.rounds[label].spread for label in steady),
        max_attempts=max_attempts,
    )


def _seconds_per_call(job: Callable[[], object], min_seconds: float, clock) -> float:
    calls = 0
    start = clock()
    while True:
        job()
        calls += 1
        elapsed = clock() - start
        if elapsed >= min_seconds:
            return elapsed / calls


@ray.remote(num_cpus=1)
def _hold_a_cpu(seconds: float) -> int:
    # Sleeping keeps the CPU slot reserved, so Ray must start another worker
    # for each concurrent task, without burning the CPU it is about to time.
    time.sleep(seconds)
    return os.getpid()


def warm_up_workers(
    num_workers: int | None = None, *, seconds: float = 0.25, max_attempts: int = 5
) -> set[int]:
    """Start every Ray worker process a measurement will use, before timing it.

    Runs ``num_workers`` one-CPU tasks at once, each holding its CPU for
    ``seconds``, so that they overlap and Ray has to start one worker process
    for each. When fewer distinct workers answered (a worker took longer to
    start than the tasks lasted), it tries again with tasks twice as long.

    Parameters
    ----------
    num_workers : int or None, optional
        Workers to start; by default one per CPU of the Ray cluster.
    seconds : float, optional
        How long each warm-up task holds its CPU in the first attempt.
    max_attempts : int, optional
        Attempts before giving up.

    Returns
    -------
    set of int
        Process ids of the workers that ran warm-up tasks in the last attempt.

    Raises
    ------
    RuntimeError
        If Ray is not running, or ``num_workers`` distinct workers never ran
        at once within ``max_attempts`` attempts.
    """
    if not ray.is_initialized():
        raise RuntimeError("Ray is not running; call raycourse.start_ray() first")
    if num_workers is None:
        num_workers = int(ray.cluster_resources().get("CPU", 1))
    num_workers = check_int("num_workers", num_workers)
    seconds = check_positive_real("seconds", seconds)
    max_attempts = check_int("max_attempts", max_attempts)
    for _ in range(max_attempts):
        pids = set(ray.get([_hold_a_cpu.remote(seconds) for _ in range(num_workers)]))
        if len(pids) >= num_workers:
            return pids
        seconds *= 2
    raise RuntimeError(
        f"only {len(pids)} of {num_workers} Ray workers ran at once after {max_attempts} "
        "warm-up attempts"
    )
