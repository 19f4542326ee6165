"""The exercise grader: which answers to check, how to load them, how to report.

    pytest tests/exercises                  # your answers, in exercises/
    pytest tests/exercises --solutions      # the reference answers, in solutions/
    pytest tests/exercises --answers DIR    # DIR/ex1_blocks.py, ... anywhere on disk

Each test module names the exercise it grades (``EXERCISE = "ex1_blocks"``) and
gets the loaded answer file from the ``answer`` fixture. A file is loaded by
path under a name of its own, so that answers from different folders never
mix, and registered with cloudpickle to be pickled *by value*: Ray workers
cannot import a module from a folder that is not on their path, but they can
unpickle a function shipped whole.

An answer that still raises ``NotImplementedError`` is reported as "not
attempted yet", with the file to edit, instead of a traceback.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import traceback
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
EXERCISES = REPO / "exercises"
SOLUTIONS = REPO / "solutions"
NOT_ATTEMPTED = "not attempted yet"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("raycourse grader")
    group.addoption(
        "--solutions",
        action="store_true",
        help="grade the reference answers in solutions/ instead of exercises/",
    )
    group.addoption(
        "--answers",
        metavar="DIR",
        default=None,
        help="grade the answer files (ex1_blocks.py, ...) found in DIR",
    )


def answers_dir(config: pytest.Config) -> Path:
    """Return the folder whose answer files are graded in this run."""
    chosen = config.getoption("--answers")
    if chosen is not None and config.getoption("--solutions"):
        raise pytest.UsageError("use either --solutions or --answers DIR, not both")
    if config.getoption("--solutions"):
        return SOLUTIONS
    if chosen is None:
        return EXERCISES
    folder = Path(chosen).expanduser().resolve()
    if not folder.is_dir():
        raise pytest.UsageError(f"--answers {chosen}: no such folder")
    return folder


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working directory when it lies below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def pytest_report_header(config: pytest.Config) -> str:
    return f"grading answers in: {display_path(answers_dir(config))}"


def load_answer(folder: Path, exercise: str) -> ModuleType:
    """Import ``folder/<exercise>.py`` as a module whose functions Ray can ship."""
    path = folder / f"{exercise}.py"
    if not path.is_file():
        pytest.fail(f"missing answer file: {display_path(path)}", pytrace=False)
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:12]
    name = f"graded_{exercise}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[name]
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == str(path)]
        details = "".join(traceback.format_list(frames) + traceback.format_exception_only(error))
        pytest.fail(f"could not import {display_path(path)}:\n{details}", pytrace=False)
    if "ray" in sys.modules:  # only answers that use Ray pay for importing it
        import ray.cloudpickle

        ray.cloudpickle.register_pickle_by_value(module)
    return module


@pytest.fixture(scope="module")
def answer(request: pytest.FixtureRequest) -> ModuleType:
    """The answer file graded by the requesting test module (its ``EXERCISE``)."""
    return load_answer(answers_dir(request.config), request.module.EXERCISE)


@pytest.fixture(scope="session")
def ray_cluster():
    """One two-CPU Ray session for all the graded tests that need it."""
    import raycourse

    session = raycourse.start_ray(num_cpus=2, include_dashboard=False)
    yield session
    raycourse.stop_ray()


def _unfinished_function(error: BaseException, path: Path) -> str | None:
    """Name the function of ``path`` that raised ``error``, if one did."""
    names = [
        frame.name
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == str(path)
    ]
    return names[-1] if names else None


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    """Report an untouched stub as "not attempted yet" rather than as a traceback."""
    try:
        return (yield)
    except NotImplementedError as error:
        exercise = getattr(pyfuncitem.module, "EXERCISE", None)
        if exercise is None:
            raise
        path = answers_dir(pyfuncitem.config) / f"{exercise}.py"
        function = _unfinished_function(error, path)
        where = f" ({function} still raises NotImplementedError)" if function else ""
        message = f"{NOT_ATTEMPTED}: edit {display_path(path)}{where}"
        # "from None": the stub's own exception is no news to the student.
        raise pytest.fail.Exception(message, pytrace=False) from None


#: Per answer file, how many graded tests ended in each outcome (one run per process).
_OUTCOMES: dict[str, dict[str, int]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Tally each graded test as passed, failed or not attempted, per answer file."""
    if report.when != "call" and report.passed:
        return
    if report.when == "teardown" and report.failed:
        return  # a broken teardown is the grader's problem, already reported
    stem = Path(report.nodeid.split("::")[0]).stem
    if not stem.startswith("test_"):
        return
    if report.passed:
        outcome = "passed"
    elif report.skipped:
        outcome = "skipped"
    elif NOT_ATTEMPTED in report.longreprtext:
        outcome = NOT_ATTEMPTED
    else:
        outcome = "failed"
    tally = _OUTCOMES.setdefault(stem.removeprefix("test_"), {})
    tally[outcome] = tally.get(outcome, 0) + 1


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config):
    """One line per exercise, after pytest's own summary: passed, failed, or not attempted."""
    result = yield
    outcomes = _OUTCOMES
    if not outcomes:
        return result
    folder = display_path(answers_dir(config))
    terminalreporter.section(f"exercises graded in {folder}", sep="-")
    for exercise, tally in sorted(outcomes.items()):
        total = sum(tally.values())
        if tally.get("passed", 0) == total:
            verdict = f"all {total} tests passed"
        elif tally.get(NOT_ATTEMPTED, 0) == total:
            verdict = NOT_ATTEMPTED
        else:
            verdict = ", ".join(f"{count} {outcome}" for outcome, count in sorted(tally.items()))
        terminalreporter.write_line(f"{exercise + '.py':<18} {verdict}")
    return result
