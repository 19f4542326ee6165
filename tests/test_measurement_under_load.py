"""The measuring engine while a CPU hog, started and stopped here, keeps cores busy.

What a test can promise on a shared machine, and what it cannot:

* Under a hog, a real measurement may come out plausible or not: the verdict
  depends on the load, so the first test asserts only what holds either way.
  The figure is measured at most ``max_attempts`` times, the published value
  is the last measurement itself (not clamped, not replaced), and the note
  appears exactly when the figure is flagged.
* That the rules fire under a hog is shown with a hog the measured job cannot
  escape: the job and eight hog processes are pinned to one CPU, and the hogs
  run in alternate rounds only (stopped with SIGSTOP in between). In a hogged
  round the job gets at most a ninth of its CPU, however idle the machine is;
  other load on that CPU only makes the hogged rounds slower still, until it
  outnumbers the hogs several times over (see ``HOGS_PER_CPU``).
* That an undisturbed figure raises no flag is a claim about an idle machine,
  which `make test` cannot count on; it is tested exactly, on made-up timings,
  in ``test_plausibility.py`` and ``test_measurement.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from raycourse import estimate_pi, estimate_pi_parallel
from raycourse.figure_notes import NOTE_CLASS, disturbed_note_html
from raycourse.measurement import measure_side_by_side, warm_up_workers
from raycourse.plausibility import measure_until_plausible, speedup_above_cpus, spread_too_wide

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs CPU affinity"),
]

# A busy loop that ends by itself even if the test is killed before it stops it.
HOG = (
    "import sys, time\n"
    "end = time.monotonic() + float(sys.argv[1])\n"
    "while time.monotonic() < end: pass\n"
)
HOG_SECONDS = 120
HOGS_PER_CPU = 8


def start_hogs(count: int, cpu: int | None = None) -> list[subprocess.Popen]:
    hogs = [subprocess.Popen([sys.executable, "-c", HOG, str(HOG_SECONDS)]) for _ in range(count)]
    if cpu is not None:
        for hog in hogs:
            os.sched_setaffinity(hog.pid, {cpu})
    return hogs


def stop_hogs(hogs: list[subprocess.Popen]) -> None:
    for hog in hogs:
        os.kill(hog.pid, signal.SIGKILL)
        hog.wait(timeout=10)


@pytest.fixture
def one_hog_per_cpu() -> Iterator[list[subprocess.Popen]]:
    hogs = start_hogs(os.cpu_count() or 1)
    try:
        yield hogs
    finally:
        stop_hogs(hogs)


def test_under_a_hog_a_figure_is_plausible_or_flagged_with_its_note(ray_session, one_hog_per_cpu):
    assert all(hog.poll() is None for hog in one_hog_per_cpu), "the hog must be running"
    cpus = ray_session.num_cpus
    n = 2 * 10**7
    warm_up_workers(cpus)
    measured = []

    def measure():
        result = measure_side_by_side(
            {
                "one core": lambda: estimate_pi(n, seed=1),
                "tasks": lambda: estimate_pi_parallel(n, seed=1, block_size=-(-n // cpus)),
            },
            rounds=3,
        )
        measured.append(result)
        return result

    def check(result):
        return [
            speedup_above_cpus(result.ratio("one core", "tasks"), cpus),
            *(spread_too_wide(r.seconds, name=name) for name, r in result.rounds.items()),
        ]

    figure = measure_until_plausible(
        measure,
        check,
        name=f"speed-up on {cpus} CPUs",
        rounds=lambda r: r.num_rounds,
        spread=lambda r: r.spread,
        max_attempts=2,
    )
    assert 1 <= figure.attempts == len(measured) <= 2
    assert figure.value is measured[-1]
    assert figure.spread == measured[-1].spread
    assert figure.flagged == bool([b for b in check(figure.value) if b is not None])
    assert (NOTE_CLASS in disturbed_note_html(figure)) == figure.flagged


def test_a_hog_on_the_measured_cpu_makes_the_spread_rule_fire_and_the_note_appear():
    cpu = min(os.sched_getaffinity(0))
    own_cpus = os.sched_getaffinity(0)
    hogs = start_hogs(HOGS_PER_CPU, cpu)
    round_index = [0]

    def kernel_with_hog_in_alternate_rounds():
        hogged = round_index[0] % 2 == 1
        round_index[0] += 1
        for hog in hogs:
            os.kill(hog.pid, signal.SIGCONT if hogged else signal.SIGSTOP)
        estimate_pi(2 * 10**7, seed=2)

    try:
        os.sched_setaffinity(0, {cpu})
        for hog in hogs:
            os.kill(hog.pid, signal.SIGSTOP)

        def measure():
            round_index[0] = 0
            return measure_side_by_side(
                {"kernel": kernel_with_hog_in_alternate_rounds}, rounds=5, warm_up=False
            )

        figure = measure_until_plausible(
            measure,
            lambda r: [spread_too_wide(r.rounds["kernel"].seconds, name="the kernel")],
            name="one-core time",
            rounds=5,
            spread=lambda r: r.spread,
            max_attempts=2,
        )
    finally:
        os.sched_setaffinity(0, own_cpus)
        for hog in hogs:
            os.kill(hog.pid, signal.SIGCONT)
        stop_hogs(hogs)
    seconds = figure.value.rounds["kernel"].seconds
    quiet, hogged = seconds[0::2], seconds[1::2]
    # The hog, not other load, slowed the rounds: each hogged round is the slower.
    assert min(hogged) > max(quiet), f"quiet rounds {quiet}, hogged rounds {hogged}"
    assert figure.attempts == 2
    assert figure.flagged, f"rounds {seconds}"
    assert [b.rule for b in figure.breaches] == ["spread between rounds too wide"]
    note = disturbed_note_html(figure)
    assert NOTE_CLASS in note and "2 times, 5 rounds each" in note
