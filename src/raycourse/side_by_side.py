"""Time candidates side by side, once, and say how busy the machine was meanwhile.

Candidates take turns in rotating order, so a busy moment hurts all alike; every round is
kept, and a figure is a candidate's best round. Nothing is measured again because of its
value: a figure taken while others held a real share of the CPUs, or one that no idle
machine can produce, carries a note.
"""

from __future__ import annotations

import html
import math
import os
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import ray

from ._checks import check_int, check_positive_real
from .cpu_share import OthersShare
from .formatting import html_table

__all__ = ["NOTE_CLASS", "SideBySide", "measure_side_by_side", "warm_up_workers"]

#: The HTML class of the note beside a disturbed figure (site checks count it).
NOTE_CLASS = "disturbed-figure"
#: Share of the machine's CPUs taken by others above which a figure gets a note.
BUSY_SHARE = 0.10


@dataclass(frozen=True)
class SideBySide:
    """The rounds of several candidates timed in turns, and how busy the machine was.

    Attributes
    ----------
    rounds : dict of str to tuple of float
        Every candidate's seconds per call, one per round, by name.
    others_share : float or None
        Share of the CPU time that other programs took meanwhile; None if unknown.
    cpus : int
        CPUs of the machine.
    speedup : tuple of (str, str) or None
        ``(one core, all cores)``, whose ratio cannot exceed ``cpus`` on an idle machine.
    """

    rounds: dict[str, tuple[float, ...]]
    others_share: float | None = None
    cpus: int = 1
    speedup: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        for name, seconds in self.rounds.items():
            if not seconds or any(not math.isfinite(s) or s <= 0 for s in seconds):
                raise ValueError(f"seconds of {name!r} must be positive, got {seconds!r}")

    def best(self, name: str) -> float:
        """Return candidate ``name``'s fastest round, the least disturbed cost of a call."""
        return min(self.rounds[name])

    def spread(self, name: str) -> float:
        """Return how far ``name``'s rounds disagree: ``(slowest - fastest) / fastest``."""
        return max(self.rounds[name]) / self.best(name) - 1

    def ratio(self, slower: str, faster: str) -> float:
        """Return ``best(slower) / best(faster)``: how many times faster ``faster`` is."""
        return self.best(slower) / self.best(faster)

    @property
    def num_rounds(self) -> int:
        """Rounds per candidate."""
        return len(next(iter(self.rounds.values())))

    @property
    def disturbed(self) -> bool:
        """Whether other programs took a real share of the CPUs during the rounds."""
        return self.others_share is not None and self.others_share >= BUSY_SHARE

    @property
    def impossible(self) -> bool:
        """Whether the speed-up exceeds the CPU count, which no undisturbed run can do."""
        return self.speedup is not None and self.ratio(*self.speedup) > self.cpus

    def note(self) -> str:
        """Return the HTML note for a disturbed or impossible figure, or ``""``."""
        reasons = []
        if self.disturbed:
            reasons.append(
                f"other programs took {self.others_share:.0%} of this machine's "
                f"{self.cpus} CPUs while it was measured"
            )
        if self.impossible:
            one, many = self.speedup
            reasons.append(
                f"{many!r} came out {self.ratio(one, many):.1f} times faster than {one!r} on "
                f"{self.cpus} CPUs, more than the CPUs allow, so a round of {one!r} was slowed"
            )
        if not reasons:
            return ""
        text = html.escape("; ".join(reasons))
        return f'<p class="{NOTE_CLASS}"><strong>Disturbed figure:</strong> {text}.</p>'

    def _summaries(self) -> list[dict[str, str]]:
        """Each candidate's best round, median round and spread, formatted."""
        return [
            {
                "candidate": name,
                "best": _seconds(self.best(name)),
                "median": _seconds(statistics.median(seconds)),
                "spread": f"{self.spread(name):.0%}",
            }
            for name, seconds in self.rounds.items()
        ]

    def __str__(self) -> str:
        lines = [
            f"{row['candidate']}: best {row['best']}, median {row['median']}, "
            f"spread {row['spread']} over {self.num_rounds} rounds"
            for row in self._summaries()
        ]
        if self.others_share is not None:
            lines.append(f"others took {self.others_share:.0%} of {self.cpus} CPUs meanwhile")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        share = "unknown" if self.others_share is None else f"{self.others_share:.0%}"
        caption = f"{self.num_rounds} rounds side by side; others took {share} of {self.cpus} CPUs"
        return html_table(self._summaries(), caption=caption) + self.note()


def _seconds(value: float) -> str:
    """Seconds with a unit that keeps three significant figures."""
    if value >= 1:
        return f"{value:.2f} s"
    return f"{value * 1e3:.3g} ms" if value >= 1e-3 else f"{value * 1e6:.3g} µs"


def measure_side_by_side(
    jobs: Mapping[str, Callable[[], object]],
    *,
    budget: float = 1.5,
    rounds: int | None = None,
    min_seconds: float = 0.0,
    speedup: tuple[str, str] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> SideBySide:
    """Time ``jobs`` in interleaved rounds within a time budget and keep every round.

    Each job is first called once, untimed; then each round calls every job, in
    an order that rotates (A B C, B C A, C A B, ...).

    Parameters
    ----------
    jobs : mapping of str to callable
        Zero-argument callables, by name.
    budget : float, optional
        Seconds the rounds may take, roughly: it sets the rounds, 3 to 9.
    rounds : int or None, optional
        Rounds to take, whatever the budget.
    min_seconds : float, optional
        Repeat a job within a round for this long and take the mean per call.
    speedup : tuple of (str, str) or None, optional
        ``(one core, all cores)``: flag a speed-up above the CPU count.
    clock : callable, optional
        Returns seconds; tests pass a fake clock.

    Returns
    -------
    SideBySide

    Raises
    ------
    TypeError, ValueError
        If ``jobs`` is empty or holds a non-callable, or an option is out of range.
    """
    if not jobs:
        raise ValueError("jobs must name at least one callable, got an empty mapping")
    for name, job in jobs.items():
        if not callable(job):
            raise TypeError(f"jobs[{name!r}] must be callable, got {job!r}")
    budget = check_positive_real("budget", budget)
    if rounds is not None:
        rounds = check_int("rounds", rounds)
    min_seconds = check_positive_real("min_seconds", min_seconds, allow_zero=True)
    if speedup is not None and (len(speedup) != 2 or not set(speedup) <= set(jobs)):
        raise ValueError(f"speedup must name two of the jobs {list(jobs)}, got {speedup!r}")

    def seconds_per_call(job: Callable[[], object]) -> float:
        calls, start = 0, clock()
        while True:
            job()
            calls += 1
            if (elapsed := clock() - start) >= min_seconds:
                return elapsed / calls

    names = list(jobs)
    first_call = sum(seconds_per_call(jobs[name]) for name in names)
    if rounds is None:
        rounds = min(9, max(3, int(budget / first_call)))
    samples: dict[str, list[float]] = {name: [] for name in names}
    with OthersShare() as others:
        for index in range(rounds):
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                samples[name].append(seconds_per_call(jobs[name]))
    return SideBySide(
        rounds={name: tuple(samples[name]) for name in names},
        others_share=others.share,
        cpus=os.cpu_count() or 1,
        speedup=None if speedup is None else tuple(speedup),
    )


@ray.remote(num_cpus=1)
def _hold_a_cpu(seconds: float) -> int:
    # Sleeping keeps the CPU slot reserved, so Ray must start another worker
    # for each concurrent task, without burning the CPU it is about to time.
    time.sleep(seconds)
    return os.getpid()


def warm_up_workers(num_workers: int | None = None) -> set[int]:
    """Start every Ray worker process a measurement will use, before timing it.

    Runs ``num_workers`` (by default one per CPU) one-CPU tasks at once, each
    holding its CPU a quarter of a second, so that Ray starts a worker for each;
    if fewer answered, it tries again with tasks twice as long, five times at most.

    Returns
    -------
    set of int
        Process ids of the workers that ran the last attempt's tasks.

    Raises
    ------
    RuntimeError
        If Ray is not running, or the workers never ran at once.
    """
    if not ray.is_initialized():
        raise RuntimeError("Ray is not running; call ray.init() first")
    if num_workers is None:
        num_workers = int(ray.cluster_resources().get("CPU", 1))
    num_workers = check_int("num_workers", num_workers)
    seconds = 0.25
    for _ in range(5):
        pids = set(ray.get([_hold_a_cpu.remote(seconds) for _ in range(num_workers)]))
        if len(pids) >= num_workers:
            return pids
        seconds *= 2
    raise RuntimeError(f"only {len(pids)} of {num_workers} Ray workers ran at once after 5 tries")
