"""The timing harness: records, sweeps and their columns."""

from __future__ import annotations

import math
import statistics

import pytest

from raycourse import sweep_sizes, sweep_trials
from raycourse.kernel import estimate_pi
from raycourse.timing import TimingRecord, TimingSweep, time_trials


def test_serial_record_fields():
    record = time_trials(10_000, 5, seed=3)
    assert (record.trials, record.num_samples, record.use_ray) == (5, 10_000, False)
    assert record.seconds > 0
    assert record.error_pct == pytest.approx(100 * abs(record.mean - math.pi) / math.pi)
    assert 0 < record.stdev < 0.1


def test_statistics_match_the_individual_estimates():
    import numpy as np

    seeds = [int(s) for s in np.random.SeedSequence(8).generate_state(4, np.uint64)]
    estimates = [estimate_pi(20_000, seed=s) for s in seeds]
    record = time_trials(20_000, 4, seed=8)
    assert record.mean == pytest.approx(statistics.fmean(estimates))
    assert record.stdev == pytest.approx(statistics.stdev(estimates))


def test_single_trial_has_zero_spread():
    assert time_trials(1_000, 1, seed=0).stdev == 0.0


@pytest.mark.usefixtures("ray_session")
def test_ray_trials_give_the_serial_estimates():
    serial = time_trials(50_000, 6, seed=12)
    parallel = time_trials(50_000, 6, seed=12, use_ray=True)
    assert parallel.use_ray
    assert (parallel.mean, parallel.stdev) == (serial.mean, serial.stdev)


def test_sweeps_turn_records_into_columns():
    sweep = sweep_sizes([1_000, 10_000], trials=3, seed=1)
    columns = sweep.columns()
    assert columns["num_samples"] == [1_000, 10_000]
    assert columns["trials"] == [3, 3]
    assert set(columns) == {
        "trials",
        "num_samples",
        "seconds",
        "mean",
        "stdev",
        "error_pct",
        "use_ray",
    }
    assert len(sweep) == 2
    assert [row["N"] for row in sweep.table()] == ["1,000", "10,000"]


def test_trials_sweep():
    sweep = sweep_trials(5_000, [2, 4, 6], seed=2)
    assert sweep.columns()["trials"] == [2, 4, 6]
    assert all(isinstance(r, TimingRecord) for r in sweep)


def test_empty_sweep_has_empty_columns():
    assert TimingSweep().columns()["mean"] == []
