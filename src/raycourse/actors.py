"""The Actors lesson's actors: one collects the tasks' progress, one keeps an estimate's darts."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import ray

from ._checks import check_int
from .kernel import STREAM_BLOCK, _root_seed, count_inside_range
from .parallel import count_inside_task, default_block_size, open_bar, split_range
from .session import start_ray

__all__ = [
    "CumulativeEstimator",
    "EstimateSnapshot",
    "ProgressActor",
    "ProgressReport",
    "ProgressRun",
    "count_inside_reporting_task",
    "estimate_pi_with_progress",
]


@dataclass(frozen=True)
class ProgressReport:
    """What a :class:`ProgressActor` knows: darts thrown of all, tasks done of all, reports."""

    darts_done: int
    total_darts: int
    tasks_done: int
    total_tasks: int
    reports: int


@ray.remote(num_cpus=0)
class ProgressActor:
    """Collects progress reports from the tasks of one estimate."""

    def __init__(self, total_darts: int, total_tasks: int) -> None:
        self.total_darts = total_darts
        self.total_tasks = total_tasks
        self.done_per_task: dict[int, int] = {}
        self.tasks_done = 0
        self.reports = 0

    def report(self, task_index: int, darts_done: int) -> None:
        """Task ``task_index`` has thrown ``darts_done`` of its darts so far."""
        self.done_per_task[task_index] = darts_done
        self.reports += 1

    def finish(self, task_index: int, darts_done: int) -> None:
        """Task ``task_index`` is done; it threw ``darts_done`` darts in all."""
        self.report(task_index, darts_done)
        self.tasks_done += 1

    def progress(self) -> ProgressReport:
        """Everything reported so far."""
        return ProgressReport(
            darts_done=sum(self.done_per_task.values()),
            total_darts=self.total_darts,
            tasks_done=self.tasks_done,
            total_tasks=self.total_tasks,
            reports=self.reports,
        )


@ray.remote
def count_inside_reporting_task(
    seed: int,
    start: int,
    stop: int,
    progress: ray.actor.ActorHandle,
    task_index: int,
) -> int:
    """Count the hits among darts ``start`` to ``stop - 1``; report progress."""
    inside = 0
    for chunk_start in range(start, stop, STREAM_BLOCK):
        chunk_stop = min(chunk_start + STREAM_BLOCK, stop)
        inside += count_inside_range(seed, chunk_start, chunk_stop)
        if chunk_stop < stop:
            # Fire and forget: the task does not wait for the actor.
            progress.report.remote(task_index, chunk_stop - start)
    # Wait for the last report only, so that the actor's totals are complete
    # by the time the driver sees this task finish.
    ray.get(progress.finish.remote(task_index, stop - start))
    return inside


@dataclass(frozen=True)
class ProgressRun:
    """The outcome of :func:`estimate_pi_with_progress`.

    Attributes
    ----------
    estimate : float
        Equal to ``estimate_pi(num_samples, seed=seed)``.
    final : ProgressReport
        The actor's last report.
    history : tuple of (float, int)
        At each poll: seconds since the tasks were submitted, darts done.
    actor_start : float
        Seconds from creating the actor to its first reply, before the tasks.
    """

    estimate: float
    final: ProgressReport
    history: tuple[tuple[float, int], ...]
    actor_start: float

    @property
    def polls(self) -> int:
        """How often the driver asked the actor for progress while tasks ran."""
        return len(self.history)


def estimate_pi_with_progress(
    num_samples: int,
    *,
    seed: int | None = None,
    block_size: int | None = None,
    progress_bar: bool = False,
) -> ProgressRun:
    """Estimate pi with Ray tasks that report their progress to an actor.

    Each task reports every :data:`~raycourse.kernel.STREAM_BLOCK` darts, and the
    driver asks the actor for the total every tenth of a second.

    Parameters
    ----------
    num_samples, seed, block_size
        As in :func:`raycourse.estimate_pi_parallel`.
    progress_bar : bool, optional
        Show a progress bar that moves with the darts thrown.

    Returns
    -------
    ProgressRun

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or is out of range.
    """
    num_samples = check_int("num_samples", num_samples)
    seed = _root_seed(seed)
    if block_size is None:
        block_size = default_block_size(num_samples)
    if not isinstance(progress_bar, bool):
        raise TypeError(f"progress_bar must be True or False, got {progress_bar!r}")
    blocks = split_range(num_samples, block_size)
    start_ray()
    bar = open_bar(num_samples, "darts", unit="darts", unit_scale=True) if progress_bar else None
    run = _count_with_progress(seed, blocks, bar)
    if bar is not None:
        bar.update(run.final.darts_done - bar.n)
        bar.close()
    return run


def _count_with_progress(seed, blocks, bar):
    """Run the tasks of ``blocks``; poll their actor every tenth of a second."""
    created = time.perf_counter()
    progress = ProgressActor.remote(blocks[-1][1], len(blocks))
    # Its first reply means the actor's process is up: the clock of the
    # estimate starts after that, and the start is a figure of its own.
    ray.get(progress.progress.remote())
    began = time.perf_counter()
    refs = [
        count_inside_reporting_task.remote(seed, a, b, progress, i)
        for i, (a, b) in enumerate(blocks)
    ]
    history = []
    pending = refs
    while pending:
        _, pending = ray.wait(pending, num_returns=len(pending), timeout=0.1)
        report = ray.get(progress.progress.remote())
        history.append((time.perf_counter() - began, report.darts_done))
        if bar is not None:
            bar.update(report.darts_done - bar.n)
    inside = sum(ray.get(refs))
    final = ray.get(progress.progress.remote())
    ray.kill(progress)
    return ProgressRun(4 * inside / final.total_darts, final, tuple(history), began - created)


@dataclass(frozen=True)
class EstimateSnapshot:
    """The darts a :class:`CumulativeEstimator` has thrown so far, and how many hit."""

    darts: int
    inside: int

    @property
    def estimate(self) -> float:
        """``4 * inside / darts``."""
        return 4 * self.inside / self.darts

    @property
    def standard_error(self) -> float:
        """Estimated standard error of :attr:`estimate`, ``4 * sqrt(p (1 - p) / darts)``."""
        p = self.inside / self.darts
        return 4 * math.sqrt(p * (1 - p) / self.darts)


@ray.remote(num_cpus=0)
class CumulativeEstimator:
    """An estimate of pi that keeps its darts and improves on request.

    Tasks throw the darts, in parallel; the actor only remembers where the
    last call stopped and how many darts hit.
    """

    def __init__(self, seed: int | None = None) -> None:
        self.seed = _root_seed(seed)
        self.darts = 0
        self.inside = 0

    def add_darts(self, num_darts: int, block_size: int = 2**24) -> EstimateSnapshot:
        """Throw the next ``num_darts`` darts; return the refined estimate."""
        start = self.darts
        refs = [
            count_inside_task.remote(self.seed, start + a, start + b)
            for a, b in split_range(num_darts, block_size)
        ]
        self.inside += sum(ray.get(refs))
        self.darts = start + num_darts
        return self.snapshot()

    def snapshot(self) -> EstimateSnapshot:
        """The darts and hits so far."""
        return EstimateSnapshot(darts=self.darts, inside=self.inside)
