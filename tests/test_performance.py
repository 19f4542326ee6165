"""Measurement helpers behind `make bench` and the performance page."""

from __future__ import annotations

import time

import numpy as np
import pytest

from raycourse.kernel import CHUNK
from raycourse.performance import (
    TaskOverhead,
    draw_raw,
    measure_task_overhead,
    time_side_by_side,
)


@pytest.mark.parametrize("n", [1, CHUNK - 1, CHUNK, 2 * CHUNK + 3])
def test_draw_raw_draws_exactly_n_words(n, monkeypatch):
    drawn = []
    real = np.random.default_rng

    def recording_rng(seed):
        generator = real(seed)
        bit_generator = generator.bit_generator

        class Recorder:
            def random_raw(self, size):
                drawn.append(size)
                return bit_generator.random_raw(size)

        class Wrapper:
            pass

        wrapper = Wrapper()
        wrapper.bit_generator = Recorder()
        return wrapper

    monkeypatch.setattr(np.random, "default_rng", recording_rng)
    draw_raw(n, seed=1)
    assert sum(drawn) == n
    assert max(drawn) <= CHUNK


def test_time_side_by_side_warms_up_then_takes_turns_in_rotating_order():
    calls = []
    medians = time_side_by_side(
        {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, rounds=3
    )
    # One untimed call each, then rounds a b, b a, a b: the engine's order.
    assert calls == ["a", "b", "a", "b", "b", "a", "a", "b"]
    assert set(medians) == {"a", "b"}
    assert all(value > 0 for value in medians.values())


@pytest.mark.parametrize(("statistic", "expected"), [("best", 1.0), ("median", 3.0)])
def test_time_side_by_side_reports_the_engines_statistic(statistic, expected):
    # A fake clock: each call of the job advances it by the next duration.
    durations = iter([9.0, 1.0, 3.0, 4.0])  # the first is the untimed warm-up
    now = [0.0]

    def job():
        now[0] += next(durations)

    seconds = time_side_by_side({"job": job}, rounds=3, statistic=statistic, clock=lambda: now[0])
    assert seconds == {"job": expected}


def test_time_side_by_side_repeats_quick_jobs():
    calls = []
    medians = time_side_by_side({"quick": lambda: calls.append(1)}, rounds=2, min_seconds=0.01)
    assert len(calls) > 2
    assert medians["quick"] < 0.01


def test_time_side_by_side_measures_time():
    medians = time_side_by_side({"sleep": lambda: time.sleep(0.02)}, rounds=3)
    assert 0.015 < medians["sleep"] < 0.2


@pytest.mark.parametrize(
    ("jobs", "options", "error"),
    [
        ({}, {}, ValueError),
        ({"x": 1}, {}, TypeError),
        ({"x": print}, {"rounds": 0}, ValueError),
        ({"x": print}, {"min_seconds": -1.0}, ValueError),
        ({"x": print}, {"statistic": "mean"}, ValueError),
    ],
)
def test_time_side_by_side_rejects_bad_input(jobs, options, error):
    with pytest.raises(error):
        time_side_by_side(jobs, **options)


@pytest.mark.usefixtures("ray_session")
def test_task_overhead_is_measured_side_by_side():
    cost = measure_task_overhead(rounds=3, batch=50, min_seconds=0.0, max_attempts=1)
    assert isinstance(cost, TaskOverhead)
    assert 0 < cost.per_task < 1.0
    assert 0 < cost.round_trip < 1.0
    rounds = cost.figure.value.rounds
    assert set(rounds) == {"round trip", "batch"}
    assert all(len(r.seconds) == 3 for r in rounds.values())
    assert cost.per_task == rounds["batch"].median / 50
    assert cost.round_trip == rounds["round trip"].median
