"""The side-by-side timing helper: rounds, budget, notes; exact with a fake clock."""

from __future__ import annotations

import pytest

from raycourse import side_by_side
from raycourse.side_by_side import NOTE_CLASS, SideBySide, measure_side_by_side


class FakeClock:
    """A clock that each job advances by its own cost."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def job(self, seconds: float, log: list[str], name: str):
        def run() -> None:
            log.append(name)
            self.now += seconds

        return run


def test_rounds_rotate_and_every_round_is_kept():
    clock, log = FakeClock(), []
    jobs = {name: clock.job(0.1, log, name) for name in "abc"}
    result = measure_side_by_side(jobs, rounds=3, clock=clock)
    # One untimed warm-up call each, then A B C, B C A, C A B.
    assert "".join(log) == "abc" + "abc" + "bca" + "cab"
    assert result.num_rounds == 3
    assert result.rounds["a"] == pytest.approx((0.1, 0.1, 0.1))


def test_budget_sets_the_number_of_rounds():
    clock, log = FakeClock(), []
    jobs = {"slow": clock.job(0.2, log, "s"), "fast": clock.job(0.05, log, "f")}
    # 0.25 s a round: a 1 s budget buys 4 rounds; a tiny one still 3, a huge one 9.
    assert measure_side_by_side(jobs, budget=1.0, clock=clock).num_rounds == 4
    assert measure_side_by_side(jobs, budget=0.01, clock=clock).num_rounds == 3
    assert measure_side_by_side(jobs, budget=100, clock=clock).num_rounds == 9


def test_min_seconds_reports_the_mean_per_call():
    clock, log = FakeClock(), []
    result = measure_side_by_side(
        {"tiny": clock.job(0.001, log, "t")}, rounds=2, min_seconds=0.01, clock=clock
    )
    assert result.best("tiny") == pytest.approx(0.001)
    assert len(log) > 20


def test_best_median_spread_and_ratio():
    timing = SideBySide(rounds={"one": (2.0, 3.0, 2.5), "ray": (1.0, 1.0, 1.5)})
    assert timing.best("one") == 2.0
    assert "median 2.50 s" in str(timing)
    assert timing.spread("one") == pytest.approx(0.5)
    assert timing.ratio("one", "ray") == 2.0


@pytest.mark.parametrize(
    ("share", "ratio", "noted"),
    [(0.0, 1.9, False), (None, 1.9, False), (0.3, 1.9, True), (0.0, 2.5, True)],
)
def test_note_only_for_a_busy_machine_or_an_impossible_speedup(share, ratio, noted):
    timing = SideBySide(
        rounds={"one": (ratio,), "ray": (1.0,)},
        others_share=share,
        cpus=2,
        speedup=("one", "ray"),
    )
    note = timing.note()
    assert bool(note) is noted
    assert (NOTE_CLASS in timing._repr_html_()) is noted
    if share:
        assert "30%" in note and "2 CPUs" in note


def test_the_measured_share_reaches_the_result(monkeypatch):
    class Busy:
        share = 0.42

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            return None

    monkeypatch.setattr(side_by_side, "OthersShare", Busy)
    clock, log = FakeClock(), []
    result = measure_side_by_side({"a": clock.job(0.1, log, "a")}, rounds=3, clock=clock)
    assert result.others_share == 0.42 and result.disturbed


@pytest.mark.parametrize(
    ("kwargs", "error", "names"),
    [
        ({"budget": 0}, ValueError, "budget"),
        ({"budget": "1"}, TypeError, "budget"),
        ({"rounds": 0}, ValueError, "rounds"),
        ({"min_seconds": -1}, ValueError, "min_seconds"),
        ({"speedup": ("a", "zzz")}, ValueError, "speedup"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, names):
    with pytest.raises(error, match=names):
        measure_side_by_side({"a": lambda: None}, **kwargs)


def test_bad_jobs_are_named():
    with pytest.raises(ValueError, match="jobs"):
        measure_side_by_side({})
    with pytest.raises(TypeError, match=r"jobs\['a'\]"):
        measure_side_by_side({"a": 3})
    with pytest.raises(KeyError, match="zzz"):
        SideBySide(rounds={"a": (1.0,)}).best("zzz")
    with pytest.raises(ValueError, match="positive"):
        SideBySide(rounds={"a": (0.0,)})


def test_warm_up_starts_one_worker_per_cpu(ray_session):
    pids = side_by_side.warm_up_workers(2)
    assert len(pids) == 2
