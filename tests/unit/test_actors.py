"""The actors of the Actors lesson: progress reports and a cumulative estimate."""

from __future__ import annotations

import math
import time

import pytest
import ray
from bokeh.models import Step, Whisker

from raycourse import actors, estimate_pi
from raycourse.actors import (
    CumulativeEstimator,
    EstimateSnapshot,
    ProgressActor,
    ProgressReport,
    ProgressRun,
    estimate_pi_with_progress,
)
from raycourse.figures import progress_figure, refinement_figure
from raycourse.kernel import STREAM_BLOCK

pytestmark = pytest.mark.usefixtures("ray_session")


def test_progress_actor_keeps_the_latest_report_of_each_task():
    actor = ProgressActor.remote(100, 2)
    ray.get(
        [
            actor.report.remote(0, 10),
            actor.report.remote(0, 30),  # cumulative: replaces the 10
            actor.report.remote(1, 5),
        ]
    )
    assert ray.get(actor.progress.remote()) == ProgressReport(35, 100, 0, 2, 3)
    ray.get(actor.finish.remote(0, 50))
    assert ray.get(actor.progress.remote()) == ProgressReport(55, 100, 1, 2, 4)
    ray.kill(actor)


@pytest.mark.slow
def test_progress_accounts_for_every_dart_and_report():
    num_samples, block_size, report_every = 50_000_000, 20_000_000, STREAM_BLOCK
    run = estimate_pi_with_progress(num_samples, seed=3, block_size=block_size)
    final = run.final
    assert final.darts_done == final.total_darts == num_samples
    assert final.tasks_done == final.total_tasks == 3
    # One report per stream block of darts, the last one of each task included.
    blocks = [20_000_000, 20_000_000, 10_000_000]
    assert final.reports == sum(math.ceil(size / report_every) for size in blocks)
    assert run.estimate == estimate_pi(num_samples, seed=3)
    seen = [darts for _, darts in run.history]
    assert seen == sorted(seen) and seen[-1] <= num_samples
    times = [seconds for seconds, _ in run.history]
    assert times == sorted(times) and run.polls == len(run.history) >= 1


START_DELAY = 2.0


@pytest.mark.slow
def test_the_actor_starts_before_the_clock(monkeypatch):
    delay = START_DELAY

    # Defined here, not at module level, so that Ray ships the class by value:
    # its workers cannot import this test module.
    class SlowToStart(ProgressActor.__ray_metadata__.modified_class):
        def __init__(self, total_darts: int, total_tasks: int) -> None:
            time.sleep(delay)
            super().__init__(total_darts, total_tasks)

    monkeypatch.setattr(actors, "ProgressActor", ray.remote(num_cpus=0)(SlowToStart))
    run = estimate_pi_with_progress(2**22, seed=5, block_size=2**21)
    assert run.actor_start >= START_DELAY
    # The clock starts once the actor has answered: the first poll comes one
    # poll interval after the tasks were submitted, not after the actor's start.
    assert run.history[0][0] < START_DELAY
    assert run.estimate == estimate_pi(2**22, seed=5)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"num_samples": 0}, ValueError),
        ({"num_samples": 10, "block_size": 0}, ValueError),
        ({"num_samples": 10, "seed": -1}, ValueError),
        ({"num_samples": 10.0}, TypeError),
    ],
)
def test_progress_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        estimate_pi_with_progress(**kwargs)


@pytest.mark.slow
def test_cumulative_estimator_keeps_its_darts_across_calls():
    estimator = CumulativeEstimator.remote(seed=11)
    other = CumulativeEstimator.remote(seed=11)
    total = 0
    for num_darts in (1_000_000, 3_000_001, 2**22):
        snapshot = ray.get(estimator.add_darts.remote(num_darts, 1_500_000))
        total += num_darts
        assert snapshot.darts == total
        # The same darts as one estimate of all of them, whatever the calls.
        assert snapshot.estimate == estimate_pi(total, seed=11)
    assert ray.get(other.snapshot.remote()) == EstimateSnapshot(darts=0, inside=0)
    assert ray.get(other.add_darts.remote(total)).estimate == snapshot.estimate
    ray.kill(estimator)
    ray.kill(other)


def test_snapshot_standard_error():
    snapshot = EstimateSnapshot(darts=1_000_000, inside=785_398)
    p = 0.785398
    assert snapshot.estimate == pytest.approx(3.141592)
    assert snapshot.standard_error == pytest.approx(4 * math.sqrt(p * (1 - p) / 1_000_000))
    assert snapshot.standard_error == pytest.approx(1.642 / 1000, rel=1e-3)


RUN = ProgressRun(
    estimate=3.14,
    final=ProgressReport(100, 100, 2, 2, 6),
    history=((0.1, 20), (0.2, 60), (0.3, 100)),
    actor_start=0.5,
)


def test_progress_figure():
    fig = progress_figure(RUN)
    steps = [r for r in fig.renderers if isinstance(r.glyph, Step)]
    assert len(steps) == 1
    data = steps[0].data_source.data
    assert list(data["seconds"]) == [0.0, 0.1, 0.2, 0.3]
    assert list(data["darts"]) == [0, 20, 60, 100]
    assert list(data["percent"]) == [0.0, 20.0, 60.0, 100.0]
    assert "100 darts, 2 tasks, 3 polls" in fig.title.text
    with pytest.raises(TypeError, match="ProgressRun"):
        progress_figure({"history": []})


def test_refinement_figure():
    snapshots = [EstimateSnapshot(100, 78), EstimateSnapshot(400, 315)]
    fig = refinement_figure(snapshots)
    whiskers = [item for item in fig.center if isinstance(item, Whisker)]
    assert len(whiskers) == 1
    data = whiskers[0].source.data
    assert list(data["darts"]) == [100, 400]
    assert list(data["estimate"]) == [3.12, 3.15]
    for s, low, high in zip(snapshots, data["lower"], data["upper"], strict=True):
        assert low == pytest.approx(s.estimate - 2 * s.standard_error)
        assert high == pytest.approx(s.estimate + 2 * s.standard_error)
    assert fig.x_scale.__class__.__name__ == "LogScale"
    with pytest.raises(ValueError, match="at least one"):
        refinement_figure([])
    with pytest.raises(TypeError, match="EstimateSnapshot"):
        refinement_figure([3.14])
