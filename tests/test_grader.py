"""The exercise grader itself is tested: it must grade.

Each check runs the grader (``pytest tests/exercises``) in a subprocess on one
folder of answers and reads its JUnit XML report:

- the reference solutions pass every test, and so do correct answers written
  differently (``tests/exercises/alternative_answers``);
- the pristine stubs in ``exercises/`` fail every test, each with a
  "not attempted yet: edit exercises/<file>" message;
- every deliberately wrong answer fails the tests listed for it, with an
  "expected ..., got ..." message. Each is declared in ``tests/grader_mutants.py``
  as a small edit of a reference solution (with the student mistake it makes)
  and graded from a folder of its own: the other reference solutions and the
  mutated file.

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
from grader_mutants import MUTANTS, Mutant, mutate

REPO = Path(__file__).resolve().parents[1]
GRADER = REPO / "tests" / "exercises"
#: Every graded exercise: one test file per exercise, ``test_<exercise>.py``.
EXERCISES = tuple(sorted(path.stem.removeprefix("test_") for path in GRADER.glob("test_ex*.py")))
#: The exercises with a correct answer written unlike the reference solution.
ALTERNATIVE = GRADER / "alternative_answers"

pytestmark = pytest.mark.slow

#: Each wrong answer by case name: a mutant of one reference solution, and the graded tests
#: (by function name) that must reject it.
WRONG_CASES: dict[str, Mutant] = {mutant.case: mutant for mutant in MUTANTS}


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
def wrong_runs(request, ray_address, tmp_path_factory) -> dict[str, GraderRun]:
    """Grade the wrong answers this session checks, two grader processes at a time."""
    cases = sorted(
        {
            item.callspec.params["case"]
            for item in request.session.items
            if getattr(item, "originalname", None) == "test_wrong_answer_is_rejected"
        }
    )
    # Build every mutant before grading any, so that a stale edit fails at once.
    folders = {
        case: WRONG_CASES[case].write_answers(tmp_path_factory.mktemp(case) / "answers")
        for case in cases
    }

    def grade(case: str) -> GraderRun:
        mutant = WRONG_CASES[case]
        return run_grader(
            ["--answers", str(folders[case])],
            [f"test_{mutant.exercise}.py"],
            folders[case].parent,
            select=mutant.caught_by,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(cases, pool.map(grade, cases), strict=True))


def test_every_wrong_answer_edits_a_reference_solution():
    """Each mutant applies to today's solution (every edit matches exactly once) and changes it."""
    for mutant in MUTANTS:
        assert mutant.exercise in EXERCISES, mutant.case
        assert mutant.caught_by, mutant.case
        solution = (REPO / "solutions" / f"{mutant.exercise}.py").read_text()
        assert mutate(solution, mutant.edits) != solution, mutant.case


def test_an_edit_must_match_exactly_once():
    assert mutate("a = 1\nb = 2\n", [("b = 2", "b = 3")]) == "a = 1\nb = 3\n"
    with pytest.raises(ValueError, match="found 0"):
        mutate("a = 1\n", [("b = 2", "b = 3")])
    with pytest.raises(ValueError, match="found 2"):
        mutate("a = 1\na = 1\n", [("a = 1", "a = 2")])


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
    missed = WRONG_CASES[case].caught_by - caught_by
    assert not missed, f"{case} was not caught by {sorted(missed)}\n{run.describe()}"
    for name, message in failures.items():
        assert "expected" in message and "got" in message, f"{name}: unclear message {message!r}"
        assert "not attempted" not in message, f"{name}: {message}"
