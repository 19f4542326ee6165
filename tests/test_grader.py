"""The exercise grader itself is tested: it must grade.

Each check runs the grader (``pytest tests/exercises``) in a subprocess on one
folder of answers and reads its JUnit XML report:

- the reference solutions pass every test, and so do correct answers written
  differently (``tests/exercises/alternative_answers``);
- the pristine stubs in ``exercises/`` are reported as one failing item per
  exercise, "not attempted yet: edit exercises/<file>", and the run fails; an
  attempted exercise next to them is graded test by test;
- every deliberately wrong answer fails the tests listed for it, with an
  "expected ..., got ..." message. Each is declared in ``tests/grader_mutants.py``
  as a small edit of a reference solution (with the student mistake it makes)
  and graded from a folder of its own: the other reference solutions and the
  mutated file. A wrong answer confined to one part of an exercise (one test
  class) fails that part only, and the grader's summary says so.

Subprocesses that need Ray join this session's Ray (``RAY_ADDRESS``) instead of
starting their own, and a wrong answer is graded only by the tests that must
catch it, which keeps the whole check to about a minute on two cores.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from grader_mutants import MUTANTS, SOLUTIONS, Mutant, mutate

REPO = Path(__file__).resolve().parents[1]
GRADER = REPO / "tests" / "exercises"
#: Every graded exercise: one test file per exercise, ``test_<exercise>.py``.
EXERCISES = tuple(sorted(path.stem.removeprefix("test_") for path in GRADER.glob("test_ex*.py")))
#: The exercises with a correct answer written unlike the reference solution.
ALTERNATIVE = GRADER / "alternative_answers"
#: The stubs, as the course ships them.
STUBS = REPO / "exercises"

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
    returncode: int

    def failures(self) -> dict[str, str]:
        return {name: message for name, message in self.results.items() if message is not None}

    def describe(self) -> str:
        return f"$ {' '.join(self.command)}\n{self.output[-3000:]}"

    def lines(self, prefix: str) -> list[str]:
        """The output's lines that start with ``prefix``."""
        return [line for line in self.output.splitlines() if line.startswith(prefix)]

    def summary(self) -> list[str]:
        """The grader's own summary: the lines after its "exercises graded in" rule."""
        lines = self.output.splitlines()
        start = next(i for i, line in enumerate(lines) if " exercises graded in " in line)
        # Its lines name an exercise file, or a part of one (indented); pytest's last line follows.
        return [line for line in lines[start + 1 :] if line.startswith(("ex", "  "))]


def function_name(test_id: str) -> str:
    """``test_ex1_blocks::TestParallel::test_one_task_per_block[7-2-4]`` -> its function name."""
    return test_id.split("::")[-1].split("[", 1)[0]


def graded_test_id(classname: str, name: str) -> str:
    """``tests.exercises.test_ex1_blocks.TestParallel``, ``test_x`` -> ``test_ex1_blocks::TestParallel::test_x``."""  # noqa: E501
    parts = classname.split(".")
    module = next(i for i, part in enumerate(parts) if part.startswith("test_"))
    return "::".join([*parts[module:], name])


def run_grader(
    answers: list[str], test_files: list[str], tmp: Path, *, select=(), quiet: bool = True
) -> GraderRun:
    """Run the grader on ``answers`` in a subprocess and parse its JUnit report.

    ``quiet=False`` runs it as a student does, without ``-q``, on a 200-column
    terminal so that pytest's summary lines are not cut short.
    """
    report = tmp / "report.xml"
    command = [
        sys.executable,
        "-m",
        "pytest",
        *([str(GRADER / name) for name in test_files] or [str(GRADER)]),
        *answers,
        *(["-q"] if quiet else []),
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
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, env=env)
    if not report.exists():
        pytest.fail(f"the grader did not run:\n$ {' '.join(command)}\n{done.stdout}{done.stderr}")
    results: dict[str, str | None] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            problem = case.find("skipped")  # a skipped graded test counts as a failure
        name = graded_test_id(case.get("classname", ""), case.get("name", ""))
        results[name] = None if problem is None else problem.get("message", "")
    return GraderRun(command, done.stdout + done.stderr, results, done.returncode)


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
        if mutant.fails_only_part is not None:
            tests = (GRADER / f"test_{mutant.exercise}.py").read_text()
            assert f"\nclass {mutant.fails_only_part}:" in tests, mutant.case


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


def test_pristine_stubs_are_one_not_attempted_item_each(ray_address, tmp_path):
    """This checks the course as shipped: ``exercises/`` must hold the untouched stubs.

    The student's first run, exactly: one failing item per exercise, one
    ``FAILED`` line each, one line each in the grader's summary, a failed run.
    """
    run = run_grader([], [], tmp_path, quiet=False)
    expected = {
        f"test_{exercise}::not_attempted": f"not attempted yet: edit exercises/{exercise}.py"
        for exercise in EXERCISES
    }
    assert run.results == expected, run.describe()
    assert run.returncode == 1, run.describe()
    assert run.lines("FAILED") == [
        f"FAILED tests/exercises/test_{exercise}.py::not_attempted - {message}"
        for (exercise, message) in zip(EXERCISES, expected.values(), strict=True)
    ], run.describe()
    summary = run.summary()
    assert len(summary) == len(EXERCISES), run.describe()
    for exercise, line in zip(EXERCISES, summary, strict=True):
        assert line.startswith(f"{exercise}.py "), run.describe()
        assert "not attempted yet (" in line and "tests wait for an answer)" in line, line
    last = run.lines("=")[-1].strip("= ")
    assert last.startswith(f"{len(EXERCISES)} failed in "), run.describe()


def test_attempted_exercise_is_graded_test_by_test(tmp_path):
    """Stubs, one exercise solved and one half done: only the stubs collapse to one item.

    In the half-done exercise, the tests of the function still raising
    ``NotImplementedError`` say so by name; the others grade the written function.
    """
    answers = tmp_path / "answers"
    shutil.copytree(STUBS, answers)
    shutil.copyfile(SOLUTIONS / "ex2_accuracy.py", answers / "ex2_accuracy.py")
    half_done = mutate(
        (SOLUTIONS / "ex3_crossover.py").read_text(),
        [
            (
                '    566667\n    """\n',
                '    566667\n    """\n    raise NotImplementedError("not yet")\n',
            )
        ],
    )
    (answers / "ex3_crossover.py").write_text(half_done)
    run = run_grader(["--answers", str(answers)], [], tmp_path)
    assert run.returncode == 1, run.describe()
    by_exercise: dict[str, dict[str, str | None]] = {}
    for name, message in run.results.items():
        by_exercise.setdefault(name.split("::")[0].removeprefix("test_"), {})[name] = message
    for stub in ("ex1_blocks", "ex4_tally"):
        assert list(by_exercise[stub]) == [f"test_{stub}::not_attempted"], run.describe()
    assert len(by_exercise["ex2_accuracy"]) > 10, run.describe()
    assert not any(by_exercise["ex2_accuracy"].values()), run.describe()
    half = by_exercise["ex3_crossover"]
    unfinished = {name for name in half if "min_task_samples" in function_name(name)}
    assert unfinished and len(half) > len(unfinished), run.describe()
    for name, message in half.items():
        if name in unfinished:
            assert message is not None, name
            assert "not attempted yet: edit " in message, message
            assert message.endswith("(min_task_samples still raises NotImplementedError)"), message
        else:
            assert message is None, f"{name}: {message}"
    summary = run.summary()
    assert summary[0].startswith("ex1_blocks.py      not attempted yet ("), run.describe()
    assert summary[1] == f"ex2_accuracy.py    all {len(by_exercise['ex2_accuracy'])} tests passed"
    assert summary[2] == (
        f"ex3_crossover.py   {len(unfinished)} not attempted yet, "
        f"{len(half) - len(unfinished)} passed"
    ), run.describe()
    assert summary[3].startswith("ex4_tally.py       not attempted yet ("), run.describe()


def _load_attempts():
    """The grader's :mod:`attempts` module, loaded from its file."""
    spec = importlib.util.spec_from_file_location("grader_attempts", GRADER / "attempts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STUB_EDITS = {
    "comments, blank lines and a decorator": (
        [
            (
                "def estimate_pi_in_blocks(",
                "# my answer\n\n\n@functools.cache\ndef estimate_pi_in_blocks(",
            )
        ],
        True,
    ),
    "a body written": (
        [
            (
                '    raise NotImplementedError("count each block',
                '    return 3.0\n    raise NotImplementedError("count each block',
            )
        ],
        False,
    ),
    "the raise replaced by pass": (
        [('    raise NotImplementedError("count', "    pass  # (")],
        False,
    ),
    "the function bound to another object": (
        [("\n\ndef estimate_pi_in_blocks(", "\n\nestimate_pi_in_blocks = max\n\n\ndef _old(")],
        False,
    ),
    "a syntax error": ([("def estimate_pi_in_blocks(", "def estimate_pi_in_blocks(((")], False),
}


@pytest.mark.parametrize("edit", sorted(STUB_EDITS))
def test_untouched_means_every_exported_function_only_raises(edit, tmp_path):
    """What counts as untouched is read from the file: layout does not count, code does."""
    attempts = _load_attempts()
    edits, untouched = STUB_EDITS[edit]
    path = tmp_path / "ex1_blocks.py"
    path.write_text(mutate((STUBS / "ex1_blocks.py").read_text(), edits))
    assert attempts.is_untouched(path) is untouched


def test_stubs_are_untouched_and_answers_are_not(tmp_path):
    attempts = _load_attempts()
    for exercise in EXERCISES:
        assert attempts.is_untouched(STUBS / f"{exercise}.py"), exercise
        assert not attempts.is_untouched(SOLUTIONS / f"{exercise}.py"), exercise
        assert not attempts.is_untouched(ALTERNATIVE / f"{exercise}.py"), exercise
    assert not attempts.is_untouched(tmp_path / "missing.py")
    # A class counts by its methods; one without any is written, not a stub.
    tally = (STUBS / "ex4_tally.py").read_text()
    start, end = tally.index("    def __init__"), tally.index("\n\n\ndef estimate_pi_with_tally")
    (tmp_path / "ex4_tally.py").write_text(tally[:start] + "    inside = 0" + tally[end:])
    assert not attempts.is_untouched(tmp_path / "ex4_tally.py")


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


@pytest.mark.parametrize(
    "case", sorted(mutant.case for mutant in MUTANTS if mutant.fails_only_part is not None)
)
def test_wrong_part_is_named_alone(ray_address, tmp_path, case):
    """Graded by its whole test file, a mistake confined to one part fails that part only."""
    mutant = WRONG_CASES[case]
    folder = mutant.write_answers(tmp_path / "answers")
    run = run_grader(["--answers", str(folder)], [f"test_{mutant.exercise}.py"], tmp_path)
    assert run.returncode == 1, run.describe()
    parts: dict[str, dict[str, str | None]] = {}
    for name, message in run.results.items():
        parts.setdefault(name.split("::")[1], {})[name] = message
    wrong = mutant.fails_only_part
    assert wrong in parts and len(parts) > 1, run.describe()
    assert any(parts[wrong].values()), run.describe()
    right = {part: tests for part, tests in parts.items() if part != wrong}
    assert not any(m for tests in right.values() for m in tests.values()), run.describe()
    failed = sum(message is not None for message in parts[wrong].values())
    label = wrong.removeprefix("Test").lower()
    summary = run.summary()
    assert summary[0] == (
        f"{mutant.exercise + '.py':<18} {failed} failed, {len(run.results) - failed} passed"
    ), run.describe()
    expected_parts = {
        f"  {label:<16} {failed} failed, {len(parts[wrong]) - failed} passed"
        if part == wrong
        else f"  {part.removeprefix('Test').lower():<16} all {len(tests)} tests passed"
        for part, tests in parts.items()
    }
    assert set(summary[1:]) == expected_parts, run.describe()
