"""Time repeated estimates, serially or as Ray tasks, and collect the results."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np
import ray

from ._checks import check_int, check_seed
from .formatting import html_table
from .kernel import estimate_pi
from .parallel import estimate_pi_task
from .session import start_ray

__all__ = ["TimingRecord", "TimingSweep", "sweep_sizes", "sweep_trials", "time_trials"]


@dataclass(frozen=True)
class TimingRecord:
    """The outcome of ``trials`` estimates of ``num_samples`` darts each.

    Attributes
    ----------
    trials : int
        Number of independent estimates.
    num_samples : int
        Darts per estimate.
    seconds : float
        Wall-clock time for all the trials.
    mean : float
        Mean of the estimates.
    stdev : float
        Sample standard deviation of the estimates (0 for a single trial).
    error_pct : float
        ``100 * |mean - pi| / pi``.
    use_ray : bool
        Whether the trials ran as Ray tasks.
    """

    trials: int
    num_samples: int
    seconds: float
    mean: float
    stdev: float
    error_pct: float
    use_ray: bool


def time_trials(
    num_samples: int,
    trials: int,
    *,
    use_ray: bool = False,
    seed: int | None = None,
) -> TimingRecord:
    """Run ``trials`` estimates of ``num_samples`` darts and time them.

    Serially, the trials run one after another in this process; with
    ``use_ray=True`` each trial is a Ray task (:data:`estimate_pi_task`) and all
    run at once across the cluster's CPUs.

    Parameters
    ----------
    num_samples : int
        Darts per estimate, ``>= 1``.
    trials : int
        Number of estimates, ``>= 1``.
    use_ray : bool, optional
        Run the trials as Ray tasks (Ray is started if needed).
    seed : int or None, optional
        Seed for the whole run; each trial gets its own seed derived from it,
        so serial and Ray runs with the same seed produce the same estimates.

    Returns
    -------
    TimingRecord
    """
    num_samples = check_int("num_samples", num_samples)
    trials = check_int("trials", trials)
    if not isinstance(use_ray, bool):
        raise TypeError(f"use_ray must be a bool, got {use_ray!r}")
    seed = check_seed(seed)
    trial_seeds = [int(s) for s in np.random.SeedSequence(seed).generate_state(trials, np.uint64)]
    if use_ray:
        start_ray()
    start = time.perf_counter()
    if use_ray:
        refs = [estimate_pi_task.remote(num_samples, seed=s) for s in trial_seeds]
        estimates = ray.get(refs)
    else:
        estimates = [estimate_pi(num_samples, seed=s) for s in trial_seeds]
    seconds = time.perf_counter() - start
    mean = statistics.fmean(estimates)
    stdev = statistics.stdev(estimates) if trials > 1 else 0.0
    return TimingRecord(
        trials=trials,
        num_samples=num_samples,
        seconds=seconds,
        mean=mean,
        stdev=stdev,
        error_pct=100 * abs(mean - math.pi) / math.pi,
        use_ray=use_ray,
    )


class TimingSweep:
    """An ordered collection of :class:`TimingRecord`, ready for plotting.

    Parameters
    ----------
    records : iterable of TimingRecord
        The measurements, in sweep order.
    """

    def __init__(self, records: Iterable[TimingRecord] = ()) -> None:
        self.records: list[TimingRecord] = []
        for record in records:
            self.append(record)

    def append(self, record: TimingRecord) -> None:
        """Add one measurement."""
        if not isinstance(record, TimingRecord):
            raise TypeError(f"record must be a TimingRecord, got {record!r}")
        self.records.append(record)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self):
        return iter(self.records)

    def columns(self) -> dict[str, list]:
        """Return one list per :class:`TimingRecord` field (for a ``ColumnDataSource``)."""
        names = [field.name for field in fields(TimingRecord)]
        rows = [asdict(record) for record in self.records]
        return {name: [row[name] for row in rows] for name in names}

    def table(self) -> list[dict[str, str]]:
        """Rows of formatted strings for display: N, trials, seconds, mean, stdev, error."""
        return [
            {
                "N": f"{r.num_samples:,}",
                "trials": f"{r.trials:,}",
                "seconds": f"{r.seconds:.3f}",
                "mean": f"{r.mean:.6f}",
                "stdev": f"{r.stdev:.6f}",
                "error %": f"{r.error_pct:.4f}",
            }
            for r in self.records
        ]

    def _repr_html_(self) -> str:
        """Show the sweep as a table in Jupyter and in the built pages."""
        if not self.records:
            return "<p>(no measurements)</p>"
        how = "Ray tasks" if all(r.use_ray for r in self.records) else "no Ray"
        return html_table(self.table(), caption=how)


def sweep_sizes(
    sizes: Sequence[int], trials: int, *, use_ray: bool = False, seed: int | None = None
) -> TimingSweep:
    """Time ``trials`` estimates at each size in ``sizes``."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
        raise ValueError(f"sizes must be a non-empty sequence of integers, got {sizes!r}")
    return TimingSweep(time_trials(n, trials, use_ray=use_ray, seed=seed) for n in sizes)


def sweep_trials(
    num_samples: int, trials: Sequence[int], *, use_ray: bool = False, seed: int | None = None
) -> TimingSweep:
    """Time estimates of ``num_samples`` darts for each trial count in ``trials``."""
    if isinstance(trials, (str, bytes)) or not isinstance(trials, Sequence) or not trials:
        raise ValueError(f"trials must be a non-empty sequence of integers, got {trials!r}")
    return TimingSweep(time_trials(num_samples, t, use_ray=use_ray, seed=seed) for t in trials)
