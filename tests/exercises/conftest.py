"""The exercise grader: which answers to check, how to load them, how to report.

    pytest tests/exercises                  # your answers, in exercises/
    pytest tests/exercises --solutions      # the reference answers, in solutions/
    pytest tests/exercises --answers DIR    # DIR/ex1_blocks.py, ... anywhere on disk
    pytest tests/exercises -k ex2           # one exercise (ex1 .. ex4)

Each test module names the exercise it grades (``EXERCISE = "ex1_blocks"``) and
gets the loaded answer file from the ``answer`` fixture. A file is loaded by
path under a name of its own, so that answers from different folders never
mix, and registered with cloudpickle to be pickled *by value*: Ray workers
cannot import a module from a folder that is not on their path, but they can
unpickle a function shipped whole.

An exercise whose answer file is still the untouched stub (see
:mod:`attempts`) is reported once, as one failing item "not attempted yet: edit
exercises/<file>", in place of its tests; so is a missing answer file. An
attempted exercise is graded test by test, and a test that reaches a function
still raising ``NotImplementedError`` is reported as "not attempted yet" too,
with the function's name, instead of a traceback. A test still running after
``--time-limit`` seconds (30 by default) fails with a message that says where
the answer was when it was stopped, so that a slow loop costs one failed test
rather than a grader that never finishes.

After pytest's own summary, one line per exercise says how it went, with one
line more per part for an exercise whose tests are grouped in classes
(``TestArguments``, ``TestParallel``, ...).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from attempts import is_untouched

REPO = Path(__file__).resolve().parents[2]
EXERCISES = REPO / "exercises"
SOLUTIONS = REPO / "solutions"
NOT_ATTEMPTED = "not attempted yet"
#: Seconds a graded test may run before it fails (``--time-limit``); a correct answer
#: needs well under one, a machine busy with other work a few.
TIME_LIMIT_S = 30.0
#: Set when Ray could not start: the run ends without the grader's summary.
_RAY_FAILED = pytest.StashKey[bool]()


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
    group.addoption(
        "--time-limit",
        metavar="SECONDS",
        type=_seconds,
        default=TIME_LIMIT_S,
        help=f"fail a graded test still running after SECONDS (default {TIME_LIMIT_S:g}; 0: none)",
    )


def _seconds(text: str) -> float:
    """A --time-limit value: a finite number of seconds, 0 or more."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds >= 0, got {text!r}")
    return seconds


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


def pytest_configure(config: pytest.Config) -> None:
    """Start each run's tallies empty, also when one process runs the grader several times."""
    _UNREADY.clear()
    _OUTCOMES.clear()


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


#: The grader's exit status when Ray could not start: no verdict, unlike 1 (a test failed).
RAY_DID_NOT_START = pytest.ExitCode.INTERRUPTED


@pytest.fixture(scope="session")
def ray_cluster(request: pytest.FixtureRequest):
    """One two-CPU Ray session for all the graded tests that need it.

    :func:`raycourse.start_ray` tries a second time, after a pause, when Ray
    does not start. If it still cannot, the run stops with one line that says
    so: what ran before is graded, nothing after it is judged. A Ray already
    running in this process (a caller that grades in-process) is used and
    left running.
    """
    import ray

    import raycourse

    already_running = ray.is_initialized()
    try:
        session = raycourse.start_ray(num_cpus=2, include_dashboard=False)
    except RuntimeError as error:
        request.config.stash[_RAY_FAILED] = True
        pytest.exit(
            f"{str(error).rstrip('.')}. This is no verdict on your answers: try again in a "
            "minute, with fewer programs running.",
            returncode=RAY_DID_NOT_START,
        )
    yield session
    if not already_running:
        raycourse.stop_ray()


def _unfinished_function(error: BaseException, path: Path) -> str | None:
    """Name the function of ``path`` that raised ``error``, if one did."""
    names = [
        frame.name
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == str(path)
    ]
    return names[-1] if names else None


class _Timer:
    """A SIGALRM that interrupts one graded test, and where in the answer it found it."""

    def __init__(self, seconds: float, answer_path: Path) -> None:
        self.seconds = seconds
        self.answer_path = str(answer_path)
        self.expired = False
        #: When time ran out: the answer's function that the test called, and the line of
        #: the answer being run (perhaps in a function that it called).
        self.where: tuple[str, int] | None = None

    def expire(self, signum: int, frame) -> None:
        """Note where the answer was, then interrupt it.

        KeyboardInterrupt, because it is the one exception that also stops a
        ``ray.get`` or ``ray.wait`` waiting for a task that does not finish.
        """
        self.expired = True
        frames = [f for f in traceback.extract_stack(frame) if f.filename == self.answer_path]
        if frames:
            self.where = (frames[0].name, frames[-1].lineno)
        raise KeyboardInterrupt

    def message(self) -> str:
        """Say that time ran out, and where in the answer."""
        place = display_path(Path(self.answer_path))
        if self.where is None:
            where = f"in the Ray tasks or actors of {place}, or in the grader waiting for them"
        else:
            where = f"in {self.where[0]} (at line {self.where[1]} of {place})"
        return (
            f"expected an answer within {self.seconds:g} s, got none: still running {where}. "
            "A loop that takes too long? (Change the limit with --time-limit SECONDS.)"
        )


@contextmanager
def _time_limit(seconds: float, answer_path: Path) -> Iterator[_Timer]:
    """Arm a one-shot SIGALRM for ``seconds`` (none where signals cannot be used)."""
    timer = _Timer(seconds, answer_path)
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield timer
        return
    previous = signal.signal(signal.SIGALRM, timer.expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield timer
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    """Time-limit a graded test; report an untouched stub as "not attempted yet"."""
    exercise = getattr(pyfuncitem.module, "EXERCISE", None)
    if exercise is None:
        return (yield)
    path = answers_dir(pyfuncitem.config) / f"{exercise}.py"
    try:
        with _time_limit(pyfuncitem.config.getoption("--time-limit"), path) as timer:
            try:
                return (yield)
            except KeyboardInterrupt:
                if not timer.expired:
                    raise  # the student's Ctrl-C: stop the run, as pytest does
                raise pytest.fail.Exception(timer.message(), pytrace=False) from None
    except NotImplementedError as error:
        function = _unfinished_function(error, path)
        where = f" ({function} still raises NotImplementedError)" if function else ""
        message = f"{NOT_ATTEMPTED}: edit {display_path(path)}{where}"
        # "from None": the stub's own exception is no news to the student.
        raise pytest.fail.Exception(message, pytrace=False) from None


class UnreadyAnswer(pytest.Item):
    """Stands for every selected test of an exercise whose answer is not there to grade."""

    def __init__(self, *, message: str, tests: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.message = message
        #: How many graded tests this item replaces.
        self.tests = tests

    def runtest(self) -> None:
        pytest.fail(self.message, pytrace=False)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        # The message alone, also in the short summary line (no "Failed: " before it).
        return self.message

    def reportinfo(self) -> tuple[Path, None, str]:
        return self.path, None, self.path.name.removeprefix("test_")


def _unready(path: Path) -> str | None:
    """Say why the answer file at ``path`` cannot be graded yet, if it cannot."""
    if not path.is_file():
        return f"missing answer file: {display_path(path)}"
    if is_untouched(path):
        return f"{NOT_ATTEMPTED}: edit {display_path(path)}"
    return None


#: Per exercise whose tests were replaced by one :class:`UnreadyAnswer`, how many it stands for.
_UNREADY: dict[str, int] = {}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Replace the tests of each untouched (or missing) answer by one failing item.

    This runs after ``-k`` and ``-m`` have deselected what was not asked for,
    so the one item appears only where a graded test of that exercise was selected.
    """
    folder = answers_dir(config)
    kept: list[pytest.Item] = []
    replaced: dict[pytest.Module, UnreadyAnswer | None] = {}
    for item in items:
        module = item.getparent(pytest.Module)
        exercise = getattr(module.obj, "EXERCISE", None) if module is not None else None
        if exercise is None:
            kept.append(item)
            continue
        if module not in replaced:
            message = _unready(folder / f"{exercise}.py")
            stand_in = None
            if message is not None:
                name = "not_attempted" if NOT_ATTEMPTED in message else "missing_answer"
                stand_in = UnreadyAnswer.from_parent(module, name=name, message=message, tests=0)
                kept.append(stand_in)
            replaced[module] = stand_in
        stand_in = replaced[module]
        if stand_in is None:
            kept.append(item)
        else:
            stand_in.tests += 1
            _UNREADY[exercise] = stand_in.tests
    items[:] = kept


#: Per exercise, then per part (a test class, or "" for tests outside classes), how many
#: graded tests ended in each outcome.
_OUTCOMES: dict[str, dict[str, dict[str, int]]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Tally each graded test as passed, failed or not attempted, per exercise and part."""
    if report.when != "call" and report.passed:
        return
    if report.when == "teardown" and report.failed:
        return  # a broken teardown is the grader's problem, already reported
    path, *names = report.nodeid.split("::")
    stem = Path(path).stem
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
    part = names[0] if len(names) > 1 else ""
    parts = _OUTCOMES.setdefault(stem.removeprefix("test_"), {})
    tally = parts.setdefault(part, {})
    tally[outcome] = tally.get(outcome, 0) + 1


def _verdict(tally: dict[str, int]) -> str:
    """``all 9 tests passed``, ``not attempted yet`` or ``2 failed, 7 passed``."""
    total = sum(tally.values())
    if tally.get("passed", 0) == total:
        return f"all {total} tests passed" if total > 1 else "the test passed"
    if tally.get(NOT_ATTEMPTED, 0) == total:
        return NOT_ATTEMPTED
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(tally.items()))


def _part_label(part: str) -> str:
    """``TestArguments`` -> ``arguments``."""
    return part.removeprefix("Test").lower() or "other tests"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config):
    """One line per exercise, after pytest's own summary: passed, failed, or not attempted.

    An exercise graded in parts (test classes) gets one indented line more per part.
    """
    result = yield
    if not _OUTCOMES or config.stash.get(_RAY_FAILED, False):
        return result
    folder = display_path(answers_dir(config))
    terminalreporter.section(f"exercises graded in {folder}", sep="-")
    for exercise, parts in sorted(_OUTCOMES.items()):
        if exercise in _UNREADY:
            tests = _UNREADY[exercise]
            reason = NOT_ATTEMPTED if NOT_ATTEMPTED in parts.get("", {}) else "no answer file"
            waiting = f"{tests} tests wait" if tests > 1 else "1 test waits"
            verdict = f"{reason} ({waiting} for an answer)"
            terminalreporter.write_line(f"{exercise + '.py':<18} {verdict}")
            continue
        tally: dict[str, int] = {}
        for counts in parts.values():
            for outcome, count in counts.items():
                tally[outcome] = tally.get(outcome, 0) + count
        terminalreporter.write_line(f"{exercise + '.py':<18} {_verdict(tally)}")
        if len(parts) > 1 or "" not in parts:
            for part, counts in parts.items():
                terminalreporter.write_line(f"  {_part_label(part):<16} {_verdict(counts)}")
    return result
