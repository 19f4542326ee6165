"""The exercise grader itself is tested: it must grade.

Each check runs the grader (``pytest tests/exercises``) on one folder of answers
and reads its JUnit XML report and its output:

- the reference solutions pass every test, and so do correct answers written
  differently (``tests/exercises/alternative_answers``);
- the pristine stubs in ``exercises/`` are reported as one failing item per
  exercise, "not attempted yet: edit exercises/<file>", and the run fails; an
  attempted exercise next to them is graded test by test;
- every deliberately wrong answer fails the tests listed for it, with an
  "expected ..., got ..." message. Each is declared in ``tests/grader/grader_mutants.py``
  as a small edit of a reference solution (with the student mistake it makes)
  and graded from a folder of its own: the other reference solutions and the
  mutated file. A wrong answer confined to one part of an exercise (one test
  class) fails that part only, and the grader's summary says so;
- an answer too slow to finish fails the tests it cannot finish in time, one by
  one, and the grader goes on with the next;
- when Ray cannot start, the grader says so in one line and judges nothing.

The grader runs inside this test process (pytest's ``pytester``, which puts
``sys.modules`` back after each run), on this session's one Ray: no grader run
starts a Python process or a Ray of its own, and Ray's workers, started once,
serve every run. A wrong answer is graded only by the tests that must catch it.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import ray

# Imported here, before any in-process grader run: pytester drops the modules a run
# imported when it ends, and an extension module imported anew warns (an error here).
import scipy.special  # noqa: F401
from grader_mutants import MUTANTS, SLOW_ANSWER, SOLUTIONS, Mutant, mutate

from raycourse import session as ray_session_module

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
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


#: Runs the grader: ``grade(answers, test_files, select=(), quiet=True)``.
Grade = Callable[..., GraderRun]


@ray.remote
def _count(n: int) -> int:
    """A task for :func:`ray_in_use`."""
    return n


@ray.remote(num_cpus=0)
class _Counter:
    """An actor for :func:`ray_in_use`."""

    def add(self, n: int) -> int:
        return n


# Ray workers cannot import this test module; ship its task and actor whole instead.
ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def ray_in_use(ray_session):
    """This session's Ray, after one task, one actor call and one ``ray.wait`` here.

    Ray imports some of its modules on first use. Done here, outside the
    grader runs, they stay imported, rather than being dropped with each
    run's modules and imported anew by the next.
    """
    counter = _Counter.remote()
    ready, _ = ray.wait([_count.remote(1), counter.add.remote(2)], num_returns=2)
    assert ray.get(ready) == [1, 2]
    return ray_session


@pytest.fixture
def grade(pytester: pytest.Pytester, monkeypatch, tmp_path) -> Grade:
    """Run the grader in this process, from the repository, as a student runs it.

    ``answers`` are the grader's options (``["--solutions"]``, ``["--answers", DIR]``
    or none for ``exercises/``), ``test_files`` its test files (none: all), and
    ``select`` the test functions to run (``-k``). ``quiet=False`` runs it
    without ``-q``, on a 200-column terminal so that pytest's summary lines are
    not cut short. A test that grades with Ray asks for ``ray_in_use`` too:
    the grader finds that Ray running and uses it, and leaves it running.
    """
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("COLUMNS", "200")
    runs = iter(range(1_000))

    def run(answers: list[str], test_files: list[str], *, select=(), quiet=True) -> GraderRun:
        report = tmp_path / f"report-{next(runs)}.xml"
        command = [
            *([str(GRADER / name) for name in test_files] or [str(GRADER)]),
            *answers,
            *(["-q"] if quiet else []),
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
        ]
        if select:
            command += ["-k", " or ".join(sorted(select))]
        done = pytester.runpytest_inprocess(*command)
        output = "\n".join(done.outlines + done.errlines)
        if not report.exists():
            pytest.fail(f"the grader did not run:\n$ pytest {' '.join(command)}\n{output}")
        results: dict[str, str | None] = {}
        for case in ET.parse(report).getroot().iter("testcase"):
            problem = case.find("failure")
            if problem is None:
                problem = case.find("error")
            if problem is None:
                problem = case.find("skipped")  # a skipped graded test counts as a failure
            name = graded_test_id(case.get("classname", ""), case.get("name", ""))
            results[name] = None if problem is None else problem.get("message", "")
        return GraderRun(["pytest", *command], output, results, int(done.ret))

    return run


def test_every_wrong_answer_edits_a_reference_solution():
    """Each mutant applies to today's solution (every edit matches exactly once) and changes it."""
    for mutant in [*MUTANTS, SLOW_ANSWER]:
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


def test_reference_solutions_pass_every_test(ray_in_use, grade):
    run = grade(["--solutions"], [])
    assert not run.failures(), run.describe()
    graded = {test_id.split("::")[0] for test_id in run.results}
    assert graded == {f"test_{exercise}" for exercise in EXERCISES}, run.describe()


def test_answers_written_differently_pass_every_test(ray_in_use, grade):
    """The tests check the rules, not the reference solution's way of meeting them."""
    exercises = sorted(path.stem for path in ALTERNATIVE.glob("ex*.py"))
    run = grade(["--answers", str(ALTERNATIVE)], [f"test_{e}.py" for e in exercises])
    assert not run.failures(), run.describe()
    graded = {test_id.split("::")[0] for test_id in run.results}
    assert graded == {f"test_{exercise}" for exercise in exercises}, run.describe()


def test_pristine_stubs_are_one_not_attempted_item_each(grade):
    """This checks the course as shipped: ``exercises/`` must hold the untouched stubs.

    The student's first run, exactly: one failing item per exercise, one
    ``FAILED`` line each, one line each in the grader's summary, a failed run.
    """
    run = grade([], [], quiet=False)
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


def test_attempted_exercise_is_graded_test_by_test(grade, tmp_path):
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
    run = grade(["--answers", str(answers)], [])
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
def test_wrong_answer_is_rejected(ray_in_use, grade, tmp_path, case):
    mutant = WRONG_CASES[case]
    folder = mutant.write_answers(tmp_path / "answers")
    run = grade(["--answers", str(folder)], [f"test_{mutant.exercise}.py"], select=mutant.caught_by)
    failures = run.failures()
    caught_by = {function_name(name) for name in failures}
    missed = mutant.caught_by - caught_by
    assert not missed, f"{case} was not caught by {sorted(missed)}\n{run.describe()}"
    for name, message in failures.items():
        assert "expected" in message and "got" in message, f"{name}: unclear message {message!r}"
        assert "not attempted" not in message, f"{name}: {message}"


@pytest.mark.parametrize(
    "case", sorted(mutant.case for mutant in MUTANTS if mutant.fails_only_part is not None)
)
def test_wrong_part_is_named_alone(ray_in_use, grade, tmp_path, case):
    """Graded by its whole test file, a mistake confined to one part fails that part only."""
    mutant = WRONG_CASES[case]
    folder = mutant.write_answers(tmp_path / "answers")
    run = grade(["--answers", str(folder)], [f"test_{mutant.exercise}.py"])
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


def test_a_slow_answer_fails_on_time_and_the_grader_goes_on(grade, tmp_path):
    """Counting up to N one by one: six decimals fail on time, naming where; one decimal passes."""
    folder = SLOW_ANSWER.write_answers(tmp_path / "answers")
    slow, quick = "test_smallest_reliable_n[6-0.95]", "test_smallest_reliable_n[1-0.95]"
    run = grade(
        ["--answers", str(folder), "--time-limit", "1"],
        [f"test_{SLOW_ANSWER.exercise}.py"],
        select=(slow, quick),
    )
    module = f"test_{SLOW_ANSWER.exercise}"
    assert run.results.keys() == {f"{module}::{slow}", f"{module}::{quick}"}, run.describe()
    assert run.results[f"{module}::{quick}"] is None, run.describe()
    message = run.results[f"{module}::{slow}"]
    assert message is not None, run.describe()
    assert "expected an answer within 1 s, got none: still running in samples_needed (at line " in (
        message
    ), message
    assert "--time-limit" in message, message
    assert run.summary() == [f"{SLOW_ANSWER.exercise}.py    1 failed, 1 passed"], run.describe()


@pytest.mark.parametrize("limit", ["-5", "soon", "inf"])
def test_a_time_limit_that_is_no_number_of_seconds_is_refused(limit):
    """A negative, unreadable or endless --time-limit is a usage error naming the option."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/exercises", "--solutions", "--time-limit", limit],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout + run.stderr
    assert f"argument --time-limit: must be a number of seconds >= 0, got '{limit}'" in run.stderr


def test_ray_that_cannot_start_is_one_line_and_no_verdict(grade, monkeypatch):
    """Ray's start-up timing out twice: one line says so, no test is judged, the run fails.

    ``ray.init`` is replaced for this run only, so nothing breaks for the real
    Ray of this session (``ray.shutdown`` is replaced too, for the same reason).
    """
    init_calls: list[dict] = []

    def init_that_times_out(**kwargs):
        init_calls.append(kwargs)
        raise Exception(  # what Ray 2.60 raises
            "The current node timed out during startup. This could happen because some of the "
            "raylet failed to startup or the GCS has become overloaded."
        )

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", init_that_times_out)
    monkeypatch.setattr(ray, "shutdown", lambda: None)
    monkeypatch.setattr(ray_session_module, "_RETRY_PAUSE_S", 0.0)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    run = grade(["--solutions"], ["test_ex1_blocks.py"])
    assert len(init_calls) == 2, run.describe()  # tried once more before giving up
    assert run.returncode == pytest.ExitCode.INTERRUPTED, run.describe()
    said = [line for line in run.output.splitlines() if "Ray could not start" in line]
    assert len(said) == 1, run.describe()
    assert "no verdict on your answers" in said[0], run.describe()
    assert not run.results, run.describe()  # no test passed, failed or erred
    assert not any(line.startswith(("FAILED", "ERROR")) for line in run.output.splitlines())
    assert " exercises graded in " not in run.output, run.describe()
