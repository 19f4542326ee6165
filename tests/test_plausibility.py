"""Plausibility rules on synthetic timings, re-measuring, the note and the build record.

Every timing here is made up, so each verdict is exact and independent of the machine.
"""

from __future__ import annotations

import json

import pytest

from raycourse.figure_notes import NOTE_CLASS, disturbed_note, disturbed_note_html
from raycourse.plausibility import (
    EXECUTION_ENV_VAR,
    FIGURE_LOG_ENV_VAR,
    PAGE_ENV_VAR,
    CheckedFigure,
    RuleBreach,
    crossover_far_from_prediction,
    measure_until_plausible,
    predicted_crossover,
    ray_slower_far_above_crossover,
    speedup_above_cpus,
    spread_too_wide,
)


@pytest.mark.parametrize(("speedup", "flagged"), [(1.9, False), (2.2, False), (2.21, True)])
def test_speedup_above_cpus(speedup, flagged):
    breach = speedup_above_cpus(speedup, 2)
    assert (breach is not None) is flagged
    if flagged:
        assert "2.21 on 2 CPUs" in breach.detail


def test_speedup_margin_is_a_parameter():
    assert speedup_above_cpus(2.05, 2, margin=0.0) is not None
    with pytest.raises(ValueError, match="speedup"):
        speedup_above_cpus(0, 2)
    with pytest.raises(TypeError, match="cpus"):
        speedup_above_cpus(1.5, 2.0)


@pytest.mark.parametrize(
    ("n", "serial", "ray", "crossover", "flagged"),
    [
        (10**8, 1.0, 1.2, 10**6, True),  # 100 times the crossover and Ray lost
        (10**8, 1.0, 0.6, 10**6, False),  # Ray won
        (10**7, 1.0, 1.2, 10**6, True),  # exactly 10 times
        (9 * 10**6, 1.0, 1.2, 10**6, False),  # not far enough above
        (10**8, 1.0, 1.2, None, False),  # no crossover, nothing to compare with
    ],
)
def test_ray_slower_far_above_crossover(n, serial, ray, crossover, flagged):
    breach = ray_slower_far_above_crossover(n, serial, ray, crossover)
    assert (breach is not None) is flagged


@pytest.mark.parametrize(
    ("seconds", "flagged"),
    [
        ([1.0, 1.1, 1.05], False),
        ([1.0, 1.0, 1.49], False),
        ([1.0, 1.0, 1.51], True),
        # From five rounds on, one slow round changes neither best nor median: forgiven.
        ([1.0, 1.0, 9.0, 1.0, 1.0], False),
        ([1.0, 9.0, 1.0, 9.0, 1.0], True),
        ([1.0, 1.0, 1.0, 1.6, 9.0], True),
    ],
)
def test_spread_too_wide(seconds, flagged):
    assert (spread_too_wide(seconds) is not None) is flagged


def test_spread_rejects_empty_and_non_positive():
    with pytest.raises(ValueError, match="at least one"):
        spread_too_wide([])
    with pytest.raises(ValueError, match="seconds"):
        spread_too_wide([1.0, -1.0])


def test_predicted_crossover():
    # 1 ms overhead, 100 M darts/s: 100,000 darts of work equal the overhead;
    # on 2 CPUs the tasks save half the work, so they win from twice that.
    assert predicted_crossover(1e-3, 1e8, 2) == pytest.approx(2e5)
    assert predicted_crossover(1e-3, 1e8, 1) == float("inf")


@pytest.mark.parametrize(
    ("measured", "flagged"),
    [(2e5, False), (2e6, False), (2.1e6, True), (2e4, False), (1.9e4, True), (None, True)],
)
def test_crossover_far_from_prediction(measured, flagged):
    breach = crossover_far_from_prediction(
        measured, overhead_seconds=1e-3, darts_per_second=1e8, cpus=2
    )
    assert (breach is not None) is flagged


def test_no_crossover_on_one_cpu_is_expected():
    assert (
        crossover_far_from_prediction(None, overhead_seconds=1e-3, darts_per_second=1e8, cpus=1)
        is None
    )
    with pytest.raises(ValueError, match="tolerance"):
        crossover_far_from_prediction(
            1e5, overhead_seconds=1e-3, darts_per_second=1e8, cpus=2, tolerance=0.5
        )


def scripted(speedups):
    """A measurement that returns the given speed-ups in turn, and the calls made."""
    values = iter(speedups)
    calls = []

    def measure():
        calls.append(None)
        return next(values)

    return measure, calls


def check_speedup(value):
    return [speedup_above_cpus(value, 2)]


def checked(speedups, max_attempts=3):
    measure, calls = scripted(speedups)
    figure = measure_until_plausible(
        measure,
        check_speedup,
        name="speed-up on 2 CPUs",
        rounds=3,
        spread=lambda value: 0.1,
        max_attempts=max_attempts,
    )
    return figure, calls


def test_a_plausible_figure_is_measured_once():
    figure, calls = checked([1.8, 5.0])
    assert len(calls) == 1
    assert (figure.value, figure.attempts) == (1.8, 1)
    assert not figure.flagged and not figure.remeasured


def test_a_broken_figure_is_measured_again_and_kept_when_it_recovers():
    figure, calls = checked([3.0, 1.9, 5.0])
    assert len(calls) == 2
    assert figure.value == 1.9
    assert figure.remeasured and not figure.flagged
    assert figure.earlier[0][0].rule == "speed-up above the number of CPUs"


def test_a_figure_that_stays_broken_is_flagged_and_published_as_measured():
    figure, calls = checked([3.0, 4.0, 3.5, 1.0])
    assert len(calls) == 3  # bounded: never the fourth, plausible one
    assert len(figure.earlier) == 2 and figure.attempts == 3
    assert figure.value == 3.5  # not clamped to 2.2, not replaced
    assert figure.flagged
    assert [b.rule for b in figure.breaches] == ["speed-up above the number of CPUs"]


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="measure"):
        measure_until_plausible(3, check_speedup, name="x", rounds=1, spread=lambda v: 0)
    with pytest.raises(ValueError, match="name"):
        measure_until_plausible(lambda: 1, check_speedup, name="", rounds=1, spread=lambda v: 0)
    with pytest.raises(ValueError, match="max_attempts"):
        checked([1.0], max_attempts=0)


def flagged_figure():
    return CheckedFigure(
        name="speed-up on 2 CPUs",
        value=3.5,
        attempts=3,
        breaches=(RuleBreach("speed-up above the number of CPUs", "a speed-up of 3.50 on 2 CPUs"),),
        rounds=5,
        spread=0.42,
    )


def test_the_note_names_rule_rounds_and_spread():
    html = disturbed_note_html(flagged_figure())
    assert f'class="admonition warning {NOTE_CLASS}"' in html
    assert "speed-up above the number of CPUs" in html
    assert "3 times, 5 rounds each" in html
    assert "42%" in html
    assert disturbed_note(flagged_figure(), flagged_figure()).data.count(NOTE_CLASS) == 2


def test_a_plausible_figure_has_no_note_and_its_lesson_stands():
    figure, _ = checked([1.8])
    assert disturbed_note_html(figure) == ""
    assert disturbed_note(figure).data == ""
    assert figure.conclusion("tasks pay off") == "tasks pay off"


def test_a_flagged_figure_does_not_carry_the_lesson():
    figure = flagged_figure()
    assert "disturbed" in figure.conclusion("tasks pay off")
    assert figure.conclusion("tasks pay off", "no lesson here") == "no lesson here"
    with pytest.raises(TypeError, match="figure"):
        disturbed_note_html(3.5)


def test_checked_figures_are_recorded_while_the_site_is_built(tmp_path, monkeypatch):
    log = tmp_path / "figure-checks.jsonl"
    monkeypatch.setenv(FIGURE_LOG_ENV_VAR, str(log))
    monkeypatch.setenv(PAGE_ENV_VAR, "book/performance")
    monkeypatch.setenv(EXECUTION_ENV_VAR, "run-1")
    checked([3.0, 1.9])
    checked([3.0, 3.0, 3.0])
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(e["page"], e["execution"], e["attempts"], e["flagged"]) for e in lines] == [
        ("book/performance", "run-1", 2, False),
        ("book/performance", "run-1", 3, True),
    ]
    assert lines[1]["rules"] == ["speed-up above the number of CPUs"]


def test_nothing_is_recorded_outside_a_build(tmp_path, monkeypatch):
    monkeypatch.delenv(FIGURE_LOG_ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    checked([3.0, 3.0, 3.0])
    assert list(tmp_path.iterdir()) == []
