"""Side-by-side timing: interleaved rounds, kept seconds, the statistic, worker warm-up."""

from __future__ import annotations

import pytest

from raycourse.measurement import (
    Rounds,
    SideBySide,
    measure_checked,
    measure_side_by_side,
    warm_up_workers,
)
from raycourse.plausibility import speedup_above_cpus


class FakeClock:
    """A clock that only the jobs move: timings become exact and load-free."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_rounds_interleave_with_a_rotating_order():
    clock, calls = FakeClock(), []
    jobs = {
        name: (lambda name=name: (calls.append(name), clock.advance(1.0)))
        for name in ("a", "b", "c")
    }
    result = measure_side_by_side(jobs, rounds=4, warm_up=False, clock=clock)
    assert calls == list("abcbcacababc")
    assert result.num_rounds == 4


def test_warm_up_calls_each_job_once_untimed():
    clock, calls = FakeClock(), []
    durations = iter([50.0, 1.0, 1.0])  # the first, untimed call is the slow one

    def job():
        calls.append("a")
        clock.advance(next(durations))

    result = measure_side_by_side({"a": job}, rounds=2, clock=clock)
    assert len(calls) == 3
    assert result.rounds["a"].seconds == (1.0, 1.0)


def test_every_round_is_kept_and_the_statistic_is_reported():
    clock = FakeClock()
    per_round = {"serial": iter([2.0, 3.0, 2.5]), "ray": iter([1.0, 4.0, 1.2])}
    jobs = {name: (lambda it=it: clock.advance(next(it))) for name, it in per_round.items()}
    median = measure_side_by_side(jobs, rounds=3, warm_up=False, clock=clock)
    assert median.rounds["serial"].seconds == pytest.approx((2.0, 3.0, 2.5))
    assert median.rounds["ray"].seconds == pytest.approx((1.0, 4.0, 1.2))
    assert median.seconds("serial") == pytest.approx(2.5)
    assert median.seconds("ray") == pytest.approx(1.2)
    assert median.ratio("serial", "ray") == pytest.approx(2.5 / 1.2)
    best = SideBySide(median.rounds, statistic="best")
    assert best.seconds("ray") == 1.0
    assert median.spread == pytest.approx((4.0 - 1.0) / 1.2)


def test_min_seconds_averages_repeated_calls():
    clock = FakeClock()
    result = measure_side_by_side(
        {"fast": lambda: clock.advance(0.01)},
        rounds=1,
        min_seconds=0.1,
        warm_up=False,
        clock=clock,
    )
    assert result.seconds("fast") == pytest.approx(0.01)


def test_spread_of_rounds():
    assert Rounds("a", (1.0, 1.0, 1.0)).spread == 0
    assert Rounds("a", (1.0, 2.0, 4.0)).spread == pytest.approx(1.5)
    # Five rounds: the slowest is left out, the median is of all five.
    assert Rounds("a", (1.0, 1.2, 9.0, 1.1, 2.0)).spread == pytest.approx((2.0 - 1.0) / 1.2)
    assert Rounds("a", (3.0,)).best == 3.0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"jobs": {}}, ValueError),
        ({"jobs": {"a": 1}}, TypeError),
        ({"rounds": 0}, ValueError),
        ({"rounds": 2.0}, TypeError),
        ({"min_seconds": -1}, ValueError),
        ({"statistic": "mean"}, ValueError),
        ({"warm_up": "yes"}, TypeError),
        ({"clock": 3}, TypeError),
    ],
)
def test_bad_arguments_are_named(kwargs, error):
    arguments = {"jobs": {"a": lambda: None}} | kwargs
    jobs = arguments.pop("jobs")
    name = next(iter(kwargs))
    with pytest.raises(error, match=name.rstrip("s") if name == "jobs" else name):
        measure_side_by_side(jobs, **arguments)


def test_rounds_reject_bad_seconds():
    with pytest.raises(ValueError, match="seconds"):
        Rounds("a", ())
    with pytest.raises(ValueError, match="positive"):
        Rounds("a", (1.0, 0.0))
    with pytest.raises(KeyError, match="nope"):
        SideBySide({"a": Rounds("a", (1.0,))}).seconds("nope")


def test_warm_up_starts_one_worker_per_cpu(ray_session):
    pids = warm_up_workers(ray_session.num_cpus)
    assert len(pids) == ray_session.num_cpus


def test_warm_up_rejects_bad_arguments(ray_session):
    with pytest.raises(ValueError, match="num_workers"):
        warm_up_workers(0)
    with pytest.raises(ValueError, match="seconds"):
        warm_up_workers(1, seconds=0)


def scripted_jobs(clock, per_round):
    """Jobs whose calls take the given seconds in turn (warm-up call included)."""
    streams = {name: iter(seconds) for name, seconds in per_round.items()}
    return {name: (lambda it=it: clock.advance(next(it))) for name, it in streams.items()}


def speedup_rule(result):
    return speedup_above_cpus(result.ratio("serial", "ray"), 2)


def test_measure_checked_remeasures_until_the_rules_hold():
    clock = FakeClock()
    # Warm-up, then 3 rounds per attempt. Attempt 1: a speed-up of 4 on 2 CPUs.
    per_round = {
        "serial": [9, 4.0, 4.0, 4.0, 9, 2.0, 2.0, 2.0],
        "ray": [9, 1.0, 1.0, 1.0, 9, 1.1, 1.1, 1.1],
    }
    figure = measure_checked(
        scripted_jobs(clock, per_round),
        name="speed-up",
        rules=[speedup_rule],
        rounds=3,
        clock=clock,
    )
    assert figure.attempts == 2 and not figure.flagged
    assert figure.value.ratio("serial", "ray") == pytest.approx(2 / 1.1)
    assert figure.earlier[0][0].rule == "speed-up above the number of CPUs"


def test_measure_checked_flags_a_wide_spread_and_keeps_the_rounds():
    clock = FakeClock()
    per_round = {"serial": [9, 1.0, 2.0, 1.0] * 2, "ray": [9, 1.0, 1.0, 1.0] * 2}
    figure = measure_checked(
        scripted_jobs(clock, per_round), name="speed-up", rounds=3, max_attempts=2, clock=clock
    )
    assert figure.flagged and figure.attempts == 2
    assert [b.rule for b in figure.breaches] == ["spread between rounds too wide"]
    assert figure.value.rounds["serial"].seconds == pytest.approx((1.0, 2.0, 1.0))
    assert figure.spread == pytest.approx(1.0)
    with pytest.raises(TypeError, match=r"rules\[0\]"):
        measure_checked({"a": lambda: None}, name="x", rules=[3])


def test_measure_checked_checks_the_spread_of_steady_candidates_only():
    per_round = {"serial": [9, 1.0, 2.0, 1.0], "ray": [9, 1.0, 1.0, 1.0]}
    clock = FakeClock()
    figure = measure_checked(
        scripted_jobs(clock, per_round), name="x", rounds=3, steady=["ray"], clock=clock
    )
    assert figure.attempts == 1 and not figure.flagged and figure.spread == 0.0
    clock = FakeClock()
    figure = measure_checked(
        scripted_jobs(clock, per_round),
        name="x",
        rounds=3,
        steady=["serial"],
        max_attempts=1,
        clock=clock,
    )
    assert [b.rule for b in figure.breaches] == ["spread between rounds too wide"]
    for steady, error, match in (
        ("ray", TypeError, "steady"),
        ([], ValueError, "steady"),
        (["nope"], ValueError, "nope"),
        ([1], TypeError, r"steady\[0\]"),
    ):
        with pytest.raises(error, match=match):
            measure_checked({"ray": lambda: None}, name="x", steady=steady)
