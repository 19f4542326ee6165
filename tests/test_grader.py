"""The exercise grader itself is tested: it must grade.

Each check runs the grader (``pytest tests/exercises``) in a subprocess on one
folder of answers and reads its JUnit XML report:

- the reference solutions pass every test, and so do correct answers written
  differently (``tests/exercises/alternative_answers``);
- the pristine stubs in ``exercises/`` fail every test, each with a
  "not attempted yet: edit exercises/<file>" message;
- every deliberately wrong answer in ``tests/exercises/wrong_answers/<case>``
  fails the tests listed for it below, with an "expected ..., got ..." message.

Subprocesses that need Ray join this session's Ray (``RAY_ADDRESS``) instead of
starting their own, and a wrong answer is graded only by the tests that must
catch it, which keeps the whole check to about a minute on two cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GRADER = REPO / "tests" / "exercises"
WRONG = GRADER / "wrong_answers"
#: Every graded exercise: one test file per exercise, ``test_<exercise>.py``.
EXERCISES = tuple(sorted(path.stem.removeprefix("test_") for path in GRADER.glob("test_ex*.py")))
#: The exercises with a correct answer written unlike the reference solution.
ALTERNATIVE = GRADER / "alternative_answers"

pytestmark = pytest.mark.slow

#: Each wrong answer, and the graded tests (by function name) that must reject it.
WRONG_CASES: dict[str, set[str]] = {
    "ex1_missing_factor_4": {"test_estimate_is_close_to_pi", "test_works_without_a_seed"},
    "ex1_shared_stream": {"test_blocks_draw_independent_streams"},
    "ex1_lost_remainder": {
        "test_estimate_is_close_to_pi",
        "test_throws_exactly_num_samples_darts",
        "test_one_task_per_block",
    },
    "ex1_extra_block": {"test_one_task_per_block"},
    "ex1_unweighted_mean": {"test_throws_exactly_num_samples_darts"},
    "ex1_ignored_seed": {"test_same_seed_gives_same_estimate"},
    "ex1_constant_seed": {"test_different_seeds_give_different_estimates"},
    "ex1_get_inside_task": {
        "test_no_ray_get_inside_a_task",
        "test_one_task_per_block",
        "test_blocks_run_in_parallel",
    },
    "ex1_serial_loop": {"test_blocks_run_in_parallel"},
    "ex1_whole_stream_per_task": {"test_task_memory_grows_with_block_size_not_num_samples"},
    "ex1_no_validation": {"test_rejects_non_integer_counts", "test_rejects_counts_below_one"},
    "ex2_one_sided": {"test_smallest_reliable_n", "test_default_confidence_is_95_percent"},
    "ex2_missing_factor_4": {"test_smallest_reliable_n", "test_confidence_as_keyword"},
    "ex2_full_width": {"test_smallest_reliable_n", "test_default_confidence_is_95_percent"},
    "ex2_off_by_one": {"test_smallest_reliable_n", "test_default_confidence_is_95_percent"},
    "ex2_no_validation": {"test_rejects_non_integer_decimals", "test_rejects_values_out_of_range"},
    "ex3_linear_n": {
        "test_crossover_interpolates_in_log_n",
        "test_crossover_between_unevenly_spaced_points",
    },
    "ex3_time_difference": {
        "test_crossover_interpolates_in_log_n",
        "test_crossover_uses_the_log_of_the_time_ratio",
    },
    "ex3_no_interpolation": {"test_crossover_interpolates_in_log_n"},
    "ex3_last_crossing": {"test_crossover_between_the_right_pair_of_points"},
    "ex3_strict_sign": {"test_crossover_is_first_n_when_times_tie_at_first"},
    "ex3_min_task_off_by_one": {"test_min_task_samples"},
    "ex3_min_task_zero": {"test_min_task_samples_is_at_least_one"},
    "ex3_no_validation": {
        "test_crossover_rejects_empty_or_mismatched_inputs",
        "test_min_task_samples_rejects_bad_values",
    },
    "ex4_plain_class": {"test_tally_is_a_ray_actor_class", "test_tally_adds_up_records"},
    "ex4_driver_records": {"test_tasks_record_not_the_driver"},
    "ex4_overwrites": {"test_tally_adds_up_records", "test_estimates_accumulate_over_calls"},
    "ex4_no_validation": {
        "test_record_rejects_non_integer_counts",
        "test_record_rejects_impossible_counts",
    },
    "ex4_lost_remainder": {"test_one_record_per_block", "test_estimate_is_close_to_pi"},
    "ex4_fresh_tally": {"test_one_record_per_block", "test_estimates_accumulate_over_calls"},
    "ex4_empty_estimate_zero": {"test_estimate_of_an_empty_tally_raises"},
}


@dataclass
class GraderRun:
    """What one grader run reported: per test id, its failure message or None."""

    command: list[str]
    output: str
    results: dict[str, str | None]

    def failures(self) -> dict[str, str]:
        return {name: message for name, message in self.results.items() if message is not None}

    def describe(self) -> str:
        return f"$ {' '.join(self.command)}\n{self.output[-3000:]}"


def function_name(test_id: str) -> str:
    """``test_ex1_blocks::test_one_task_per_block[7-2-4]`` -> ``test_one_task_per_block``."""
    return test_id.split("::")[-1].split("[", 1)[0]


def run_grader(answers: list[str], test_files: list[str], tmp: Path, *, select=()) -> GraderRun:
    """Run the grader on ``answers`` in a subprocess and parse its JUnit report."""
    report = tmp / "report.xml"
    command = [
        sys.executable,
        "-m",
        "pytest",
        *([str(GRADER / name) for name in test_files] or [str(GRADER)]),
        *answers,
        "-q",
        # Start-up time dominates a small run: skip what the grader does not use.
        "-p",
        "no:cacheprovider",
        "-p",
        "no:hypothesispytest",
        f"--confcutdir={GRADER}",
        f"--junitxml={report}",
    ]
    if select:
        command += ["-k", " or ".join(sorted(select))]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    if not report.exists():
        pytest.fail(f"the grader did not run:\n$ {' '.join(command)}\n{done.stdout}{done.stderr}")
    results: dict[str, str | None] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            problem = case.find("skipped")  # a skipped graded test counts as a failure
        test_id = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
        results[test_id] = None if problem is None else problem.get("message", "")
    return GraderRun(command, done.stdout + done.stderr, results)


@pytest.fixture(scope="module")
def ray_address(ray_session):
    """Let every grader subprocess join this test session's Ray instead of starting one."""
    saved = os.environ.get("RAY_ADDRESS")
    os.environ["RAY_ADDRESS"] = ray_session.address
    yield ray_session.address
    if saved is None:
        del os.environ["RAY_ADDRESS"]
    else:
        os.environ["RAY_ADDRESS"] = saved


@pytest.fixture(scope="module")
def wrong_runs(ray_address, tmp_path_factory) -> dict[str, GraderRun]:
    """Grade every wrong answer, two grader processes at a time."""

    def grade(case: str) -> GraderRun:
        exercise = next((WRONG / case).glob("ex*.py")).stem
        return run_grader(
            ["--answers", str(WRONG / case)],
            [f"test_{exercise}.py"],
            tmp_path_factory.mktemp(case),
            select=WRONG_CASES[case],
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(WRONG_CASES, pool.map(grade, WRONG_CASES), strict=True))


def test_every_wrong_answer_folder_is_checked():
    folders = {path.name for path in WRONG.iterdir() if path.is_dir()}
    assert folders == set(WRONG_CASES)


def test_reference_solutions_pass_every_test(ray_address, tmp_path):
    run = run_grader(["--solutions"], [], tmp_path)
    assert not run.failures(), run.describe()
    graded = {test_id.split("::")[0] for test_id in run.results}
    assert graded == {f"test_{exercise}" for exercise in EXERCISES}, run.describe()


def test_answers_written_differently_pass_every_test(ray_address, tmp_path):
    """The tests check the rules, not the reference solution's way of meeting them."""
    exercises = sorted(path.stem for path in ALTERNATIVE.glob("ex*.py"))
    run = run_grader(["--answers", str(ALTERNATIVE)], [f"test_{e}.py" for e in exercises], tmp_path)
    assert not run.failures(), run.describe()
    graded = {test_id.split("::")[0] for test_id in run.results}
    assert graded == {f"test_{exercise}" for exercise in exercises}, run.describe()


def test_pristine_stubs_fail_every_test_as_not_attempted(ray_address, tmp_path):
    """This checks the course as shipped: ``exercises/`` must hold the untouched stubs."""
    run = run_grader([], [], tmp_path)
    assert len(run.results) > 50, run.describe()
    by_file = {exercise: 0 for exercise in EXERCISES}
    for name, message in run.results.items():
        assert message is not None, f"{name} passed on the stubs in exercises/"
        exercise = name.split("::")[0].removeprefix("test_")
        assert f"not attempted yet: edit exercises/{exercise}.py" in message, f"{name}: {message}"
        by_file[exercise] += 1
    assert all(by_file.values()), by_file


@pytest.mark.parametrize("case", sorted(WRONG_CASES))
def test_wrong_answer_is_rejected(wrong_runs, case):
    run = wrong_runs[case]
    failures = run.failures()
    caught_by = {function_name(name) for name in failures}
    missed = WRONG_CASES[case] - caught_by
    assert not missed, f"{case} was not caught by {sorted(missed)}\n{run.describe()}"
    for name, message in failures.items():
        assert "expected" in message and "got" in message, f"{name}: unclear message {message!r}"
        assert "not attempted" not in message, f"{name}: {message}"
