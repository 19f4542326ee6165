"""Rules any reader would apply to a timing, and re-measuring until a figure obeys them.

Each rule is a small function that returns a :class:`RuleBreach` naming the
rule and the numbers that broke it, or None. :func:`measure_until_plausible`
measures a figure, applies its rules, and measures again (a bounded number of
times) while a rule is broken. A figure that still breaks one is published as
measured, flagged: never dropped, clamped or replaced by a number the build
did not measure.

While the site is built, the site extension names a log file in
``RAYCOURSE_FIGURE_LOG`` and the page being executed in ``RAYCOURSE_PAGE``;
every checked figure then adds one JSON line to that log, from which the
reproducibility page counts the re-measured and flagged figures of each page.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ._checks import check_int, check_positive_real

__all__ = [
    "EXECUTION_ENV_VAR",
    "FIGURE_LOG_ENV_VAR",
    "PAGE_ENV_VAR",
    "CheckedFigure",
    "RuleBreach",
    "crossover_far_from_prediction",
    "measure_until_plausible",
    "predicted_crossover",
    "ray_slower_far_above_crossover",
    "round_spread",
    "speedup_above_cpus",
    "spread_too_wide",
]

FIGURE_LOG_ENV_VAR = "RAYCOURSE_FIGURE_LOG"
PAGE_ENV_VAR = "RAYCOURSE_PAGE"
EXECUTION_ENV_VAR = "RAYCOURSE_EXECUTION_ID"

#: A speed-up may exceed the CPU count by this fraction before it is implausible.
SPEEDUP_MARGIN = 0.10
#: "Far above the crossover": this many times the measured crossover N.
FAR_ABOVE_CROSSOVER = 10.0
#: Rounds of one candidate may differ by this fraction of their median. Rounds
#: of a millisecond job on a shared virtual machine with nothing else running
#: differ by up to about 40%; a disturbed round is several times slower.
MAX_SPREAD = 0.50
#: From this many rounds on, the slowest is left out of the spread: neither the
#: best nor the median of five or more rounds depends on its value.
TRIM_FROM_ROUNDS = 5
#: A measured crossover may lie this many times above or below the predicted one.
CROSSOVER_TOLERANCE = 10.0

M = TypeVar("M")


@dataclass(frozen=True)
class RuleBreach:
    """A broken plausibility rule.

    Attributes
    ----------
    rule : str
        The rule's name, as a reader would state it.
    detail : str
        The numbers that broke it, as a sentence fragment.
    """

    rule: str
    detail: str


def speedup_above_cpus(
    speedup: float, cpus: int, *, margin: float = SPEEDUP_MARGIN
) -> RuleBreach | None:
    """Flag a speed-up over one core above the number of CPUs (plus ``margin``).

    ``cpus`` cores can do at most ``cpus`` times the work of one; a larger
    ratio means the one-core run was slowed by something else.
    """
    speedup = check_positive_real("speedup", speedup)
    cpus = check_int("cpus", cpus)
    margin = check_positive_real("margin", margin, allow_zero=True)
    if speedup <= cpus * (1 + margin):
        return None
    return RuleBreach(
        "speed-up above the number of CPUs",
        f"a speed-up of {speedup:.2f} on {cpus} CPU{'s' if cpus > 1 else ''}",
    )


def ray_slower_far_above_crossover(
    num_samples: int,
    serial_seconds: float,
    ray_seconds: float,
    crossover_n: float | None,
    *,
    factor: float = FAR_ABOVE_CROSSOVER,
) -> RuleBreach | None:
    """Flag Ray slower than one core at ``num_samples >= factor * crossover_n``.

    Far above the crossover the task overhead is a small part of the work, so
    tasks on several cores must win. No crossover (None) leaves nothing to check.
    """
    num_samples = check_int("num_samples", num_samples)
    serial_seconds = check_positive_real("serial_seconds", serial_seconds)
    ray_seconds = check_positive_real("ray_seconds", ray_seconds)
    factor = check_positive_real("factor", factor)
    if crossover_n is None:
        return None
    crossover_n = check_positive_real("crossover_n", crossover_n)
    if num_samples < factor * crossover_n or ray_seconds <= serial_seconds:
        return None
    return RuleBreach(
        "Ray slower than one core far above the crossover",
        f"at N = {num_samples:,}, {num_samples / crossover_n:,.0f} times the crossover, "
        f"Ray took {ray_seconds:.3g} s against {serial_seconds:.3g} s on one core",
    )


def round_spread(seconds: Iterable[float]) -> float:
    """Return how far rounds of one job disagree, as a fraction of their median.

    ``(slowest - fastest) / median``, where from :data:`TRIM_FROM_ROUNDS` rounds
    on the slowest is the second slowest: one disturbed round changes neither
    the best nor the median. 0 for a single round.
    """
    values = sorted(check_positive_real("seconds", value) for value in seconds)
    if not values:
        raise ValueError("seconds must hold at least one round, got none")
    median = statistics.median(values)
    if len(values) >= TRIM_FROM_ROUNDS:
        values = values[:-1]
    return (values[-1] - values[0]) / median


def spread_too_wide(
    seconds: Iterable[float], *, max_fraction: float = MAX_SPREAD, name: str = "the figure"
) -> RuleBreach | None:
    """Flag rounds whose :func:`round_spread` exceeds ``max_fraction``.

    Rounds of the same code on an undisturbed machine agree closely; a wide
    spread means something else took the CPUs during some of them.
    """
    max_fraction = check_positive_real("max_fraction", max_fraction)
    spread = round_spread(seconds)
    if spread <= max_fraction:
        return None
    return RuleBreach(
        "spread between rounds too wide",
        f"the rounds of {name} differed by {spread:.0%} of their median "
        f"(at most {max_fraction:.0%} expected)",
    )


def predicted_crossover(overhead_seconds: float, darts_per_second: float, cpus: int) -> float:
    """Return the N where ``cpus`` tasks start to beat one core, from a simple model.

    One core takes ``N / rate``; ``cpus`` tasks take ``overhead + N / (rate * cpus)``.
    They are equal at ``N = overhead * rate * cpus / (cpus - 1)``; with one CPU,
    tasks never win and the result is infinite.
    """
    overhead_seconds = check_positive_real("overhead_seconds", overhead_seconds)
    darts_per_second = check_positive_real("darts_per_second", darts_per_second)
    cpus = check_int("cpus", cpus)
    if cpus == 1:
        return float("inf")
    return overhead_seconds * darts_per_second * cpus / (cpus - 1)


def crossover_far_from_prediction(
    crossover_n: float | None,
    *,
    overhead_seconds: float,
    darts_per_second: float,
    cpus: int,
    tolerance: float = CROSSOVER_TOLERANCE,
) -> RuleBreach | None:
    """Flag a measured crossover more than ``tolerance`` times off :func:`predicted_crossover`.

    The model leaves out sending arguments and collecting results, so only an
    order-of-magnitude disagreement says that the sweep was disturbed. A missing
    crossover (None) is a breach when the model predicts one.
    """
    tolerance = check_positive_real("tolerance", tolerance)
    if tolerance < 1:
        raise ValueError(f"tolerance must be >= 1, got {tolerance!r}")
    predicted = predicted_crossover(overhead_seconds, darts_per_second, cpus)
    if crossover_n is None:
        if predicted == float("inf"):
            return None
        return RuleBreach(
            "crossover far from the prediction",
            f"no crossover was measured, where task overhead and kernel speed predict "
            f"one at N = {predicted:,.0f}",
        )
    crossover_n = check_positive_real("crossover_n", crossover_n)
    if predicted / tolerance <= crossover_n <= predicted * tolerance:
        return None
    return RuleBreach(
        "crossover far from the prediction",
        f"the crossover measured at N = {crossover_n:,.0f} is more than {tolerance:g} times "
        f"off the N = {predicted:,.0f} that task overhead and kernel speed predict",
    )


@dataclass(frozen=True)
class CheckedFigure(Generic[M]):
    """A measured figure with the verdict of its plausibility rules.

    Attributes
    ----------
    name : str
        What the figure is, in a few words ("speed-up on 2 CPUs").
    value : object
        The last measurement, as measured.
    attempts : int
        How many times it was measured (1: the first measurement was plausible).
    breaches : tuple of RuleBreach
        The rules the published (last) measurement breaks; empty if plausible.
    rounds : int
        Rounds per candidate in each measurement.
    spread : float
        Widest spread between rounds in the last measurement.
    earlier : tuple of tuple of RuleBreach
        The breaches of each earlier measurement, in order.
    """

    name: str
    value: M
    attempts: int
    breaches: tuple[RuleBreach, ...]
    rounds: int
    spread: float
    earlier: tuple[tuple[RuleBreach, ...], ...] = ()

    @property
    def flagged(self) -> bool:
        """True if the published measurement still breaks a rule."""
        return bool(self.breaches)

    @property
    def remeasured(self) -> bool:
        """True if the figure was measured more than once."""
        return self.attempts > 1

    def conclusion(self, lesson: str, caveat: str | None = None) -> str:
        """Return ``lesson`` if the figure is plausible, else a caveat for the prose.

        A page glues this where it would draw its lesson from the figure, so a
        disturbed figure is never used to make the lesson's point.
        """
        if not self.flagged:
            return lesson
        if caveat is not None:
            return caveat
        return (
            f"this build's {self.name} was disturbed (see the note beside it), "
            "so it says nothing about the method"
        )


def measure_until_plausible(
    measure: Callable[[], M],
    check: Callable[[M], Iterable[RuleBreach | None]],
    *,
    name: str,
    rounds: Callable[[M], int] | int,
    spread: Callable[[M], float],
    max_attempts: int = 3,
) -> CheckedFigure[M]:
    """Measure a figure, and measure again while it breaks a rule (at most ``max_attempts``).

    Parameters
    ----------
    measure : callable
        Takes no argument and returns a fresh measurement.
    check : callable
        Takes a measurement and returns the result of each rule (None when kept).
    name : str
        What the figure is, for the note and the build record.
    rounds : int or callable
        Rounds per candidate (or a function of the measurement that returns it).
    spread : callable
        Returns the widest spread between rounds of a measurement.
    max_attempts : int, optional
        Measurements at most, ``>= 1``.

    Returns
    -------
    CheckedFigure
        The last measurement with its verdict. While the site is built it is
        also recorded in the build's figure log.
    """
    for argument, value in (("measure", measure), ("check", check), ("spread", spread)):
        if not callable(value):
            raise TypeError(f"{argument} must be callable, got {value!r}")
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    max_attempts = check_int("max_attempts", max_attempts)
    earlier: list[tuple[RuleBreach, ...]] = []
    for attempt in range(1, max_attempts + 1):
        value = measure()
        breaches = tuple(b for b in check(value) if b is not None)
        if not breaches or attempt == max_attempts:
            break
        earlier.append(breaches)
    figure = CheckedFigure(
        name=name,
        value=value,
        attempts=attempt,
        breaches=breaches,
        rounds=check_int("rounds", rounds(value) if callable(rounds) else rounds),
        spread=float(spread(value)),
        earlier=tuple(earlier),
    )
    _record_figure(figure)
    return figure


def _record_figure(figure: CheckedFigure) -> None:
    """Append ``figure``'s verdict to the build's figure log, if a build named one."""
    path = os.environ.get(FIGURE_LOG_ENV_VAR)
    if not path:
        return
    line = {
        "page": os.environ.get(PAGE_ENV_VAR, ""),
        "execution": os.environ.get(EXECUTION_ENV_VAR, ""),
        "time": time.time(),
        "figure": figure.name,
        "attempts": figure.attempts,
        "flagged": figure.flagged,
        "rules": [breach.rule for breach in figure.breaches],
        "rounds": figure.rounds,
        "spread": figure.spread,
    }
    # One short append per line: lines from one kernel never interleave.
    with open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps(line) + "\n")
