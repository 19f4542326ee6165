"""Grader for Exercise 4: the ``DartTally`` actor and ``estimate_pi_with_tally``.

The tests check the rules of the exercise, not one way of meeting them. The
tally is checked through its methods; ``estimate_pi_with_tally`` is checked
with a tally of the grader's own (:class:`SpyTally`), which keeps every record
it receives, and with a watch on the driver's actor calls, which must not
include ``record``. Statistical checks use fixed seeds and tolerances of five
standard errors (``1.642 / sqrt(N)``).

Every actor is a worker process of its own, and starting one takes about a
second of a CPU, so the tests share three of the answer's tallies rather than
starting one each: one that nothing is ever recorded on (for the checks of an
empty tally), and two that the other tests record on. Those check only what
their own calls change in the totals, so they pass in any order and alone (``-k``).
"""

from __future__ import annotations

import math
import sys

import pytest
import ray
from grading import call_text, expect_raises, fail
from ray.actor import ActorClass, ActorMethod
from ray_recorder import RayRecorder

EXERCISE = "ex4_tally"

pytestmark = pytest.mark.usefixtures("ray_cluster")

#: Standard deviation of one dart's contribution, 4 * Bernoulli(pi / 4): about 1.642.
SPREAD = 4 * math.sqrt(math.pi / 4 * (1 - math.pi / 4))
#: Tolerance in standard errors.
Z = 5.0


@ray.remote(num_cpus=0)
class SpyTally:
    """A correct tally that also keeps every record, in the order they arrived."""

    def __init__(self) -> None:
        self.records: list[tuple[int, int]] = []

    def record(self, inside: int, darts: int) -> None:
        self.records.append((inside, darts))

    def totals(self) -> tuple[int, int]:
        return sum(i for i, _ in self.records), sum(d for _, d in self.records)

    def estimate(self) -> float:
        inside, darts = self.totals()
        if darts == 0:
            raise ValueError("no darts recorded")
        return 4 * inside / darts

    def recorded(self) -> list[tuple[int, int]]:
        return list(self.records)

    def reset(self) -> None:
        self.records = []


# Ray workers cannot import this test module; ship the spy whole instead.
ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])


def start_tally(answer):
    """Start a ``DartTally`` of the answer, insisting that it is a Ray actor class."""
    tally_class = answer.DartTally
    if not isinstance(tally_class, ActorClass):
        tally_class()  # an untouched stub raises NotImplementedError: "not attempted yet"
        fail(
            "DartTally: expected a Ray actor class (a class decorated with @ray.remote), "
            f"got {tally_class!r}"
        )
    return tally_class.remote()


#: The answer's tallies that the tests share, each a fixture of that name: one never recorded
#: on, and two that tests record on (they check only what they added).
SHARED_TALLIES = ("empty_tally", "working_tally", "other_tally")


@pytest.fixture(scope="module")
def started_actors(request, answer, ray_cluster) -> dict:
    """The actors that the selected tests of this module use, all started at once.

    Each actor needs a worker process of its own, and starting the processes
    side by side takes a fraction of the time of starting them one test at a
    time. The answer's tallies are started only when its ``DartTally`` is an
    actor class; the tests that use them say so when it is not.
    """
    wanted = {
        name
        for item in request.session.items
        if item.module is request.module
        for name in item.fixturenames
        if name in (*SHARED_TALLIES, "spy")
    }
    actors = {"spy": SpyTally.remote()} if "spy" in wanted else {}
    if isinstance(answer.DartTally, ActorClass):
        actors.update((name, answer.DartTally.remote()) for name in sorted(wanted - {"spy"}))
    return actors


def shared_tally(answer, started_actors: dict, name: str):
    """The shared tally ``name``: started with the others, or here if it was not."""
    if name not in started_actors:
        started_actors[name] = start_tally(answer)
    return started_actors[name]


@pytest.fixture
def empty_tally(answer, started_actors):
    """Hand out the answer's tally that nothing is ever recorded on."""
    return lambda: shared_tally(answer, started_actors, "empty_tally")


@pytest.fixture
def working_tally(answer, started_actors):
    """Hand out the answer's tally that most tests record on."""
    return lambda: shared_tally(answer, started_actors, "working_tally")


@pytest.fixture
def other_tally(answer, started_actors):
    """Hand out a second tally of the answer's (two side by side, rejected records)."""
    return lambda: shared_tally(answer, started_actors, "other_tally")


@pytest.fixture
def spy(started_actors):
    """The grader's tally, emptied for each test."""
    if "spy" not in started_actors:
        started_actors["spy"] = SpyTally.remote()
    ray.get(started_actors["spy"].reset.remote())
    return started_actors["spy"]


def call(tally, method: str, *args):
    """Call a method of a running tally and wait for its result."""
    return ray.get(getattr(tally, method).remote(*args))


def expect_remote_raises(error: type[Exception], tally, method: str, *args) -> None:
    """Fail unless ``tally.<method>(*args)`` raises ``error`` in the actor."""
    text = f"DartTally.{method}({', '.join(map(repr, args))})"
    try:
        result = call(tally, method, *args)
    except error:
        return
    except NotImplementedError:
        raise
    except Exception as other:
        cause = other.cause if isinstance(other, ray.exceptions.RayTaskError) else other
        fail(f"{text}: expected {error.__name__}, got {type(cause).__name__}: {cause}")
    fail(f"{text}: expected {error.__name__}, got {result!r} returned")


def totals_of(tally) -> tuple[int, int]:
    result = call(tally, "totals")
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        fail(f"DartTally.totals(): expected a pair (inside, darts), got {result!r}")
    return tuple(result)


def run(answer, tally, *args, **kwargs) -> float:
    """Call ``estimate_pi_with_tally`` and insist on a float result."""
    result = answer.estimate_pi_with_tally(tally, *args, **kwargs)
    if isinstance(result, bool) or not isinstance(result, float):
        text = call_text(answer.estimate_pi_with_tally, "tally", *args, **kwargs)
        fail(f"{text}: expected a float, got {result!r} ({type(result).__name__})")
    return result


class DriverActorCalls:
    """Record the names of the actor methods the driver calls while in use."""

    def __enter__(self) -> list[str]:
        self.names: list[str] = []
        self._saved = ActorMethod._remote
        saved, names = self._saved, self.names

        def watched(method, *args, **kwargs):
            names.append(method._method_name)
            return saved(method, *args, **kwargs)

        ActorMethod._remote = watched
        return self.names

    def __exit__(self, *exc_info: object) -> None:
        ActorMethod._remote = self._saved


# The tally on its own


def test_tally_is_a_ray_actor_class(empty_tally):
    call(empty_tally(), "totals")


def test_new_tally_is_empty(empty_tally):
    tally = empty_tally()
    if totals_of(tally) != (0, 0):
        fail(f"DartTally().totals(): expected (0, 0), got {totals_of(tally)!r}")


def added(before: tuple[int, int], after: tuple[int, int]) -> tuple[int, int]:
    """What was recorded between two readings of a tally's totals."""
    return after[0] - before[0], after[1] - before[1]


def test_tally_adds_up_records(working_tally):
    tally = working_tally()
    before = totals_of(tally)
    for inside, darts in [(3, 4), (5, 6), (0, 1)]:
        call(tally, "record", inside, darts)
    after = totals_of(tally)
    if added(before, after) != (8, 11):
        fail(
            f"totals() {before!r}, then record(3, 4), record(5, 6), record(0, 1): expected "
            f"totals to grow by (8, 11), got {after!r}"
        )
    result = call(tally, "estimate")
    expected = 4 * after[0] / after[1]
    if not math.isclose(result, expected, rel_tol=1e-12):
        fail(
            f"totals() {after!r}, then estimate(): expected 4 * {after[0]} / {after[1]} = "
            f"{expected!r}, got {result!r}"
        )


def test_tallies_keep_their_own_counts(working_tally, other_tally):
    """A record changes the totals of its own tally, and not those of another one."""
    first, second = working_tally(), other_tally()
    first_0, second_0 = totals_of(first), totals_of(second)
    call(first, "record", 2, 3)
    first_1, second_1 = totals_of(first), totals_of(second)
    call(second, "record", 7, 9)
    first_2, second_2 = totals_of(first), totals_of(second)
    if first_1 == first_0 or second_2 == second_1 or second_1 != second_0 or first_2 != first_1:
        fail(
            "two tallies, record(2, 3) on the first, then record(7, 9) on the second: expected "
            "each record to change its own tally's totals only, got totals "
            f"{first_0!r}, {first_1!r}, {first_2!r} for the first and "
            f"{second_0!r}, {second_1!r}, {second_2!r} for the second"
        )


def test_estimate_of_an_empty_tally_raises(empty_tally):
    expect_remote_raises(ValueError, empty_tally(), "estimate")


def test_record_rejects_non_integer_counts(other_tally):
    tally = other_tally()
    for counts in [(1.0, 2), (1, 2.0), (True, 2), (1, True), ("1", 2)]:
        expect_remote_raises(TypeError, tally, "record", *counts)


def test_record_rejects_impossible_counts(other_tally):
    tally = other_tally()
    call(tally, "record", 1, 2)
    kept = totals_of(tally)
    for counts in [(0, 0), (1, 0), (-1, 5), (6, 5), (0, -2)]:
        expect_remote_raises(ValueError, tally, "record", *counts)
        if totals_of(tally) != kept:
            fail(
                f"record(1, 2), totals() {kept!r}, then the rejected record{counts!r}: "
                f"expected totals to stay {kept!r}, got {totals_of(tally)!r}"
            )


# The estimate with a tally


def test_estimate_is_close_to_pi(answer, working_tally):
    """200,000 darts in blocks of 30,000: the tally gains exactly those darts, hits near pi / 4."""
    n = 200_000
    tally = working_tally()
    before = totals_of(tally)
    result = run(answer, tally, n, 30_000, seed=2024)
    after = totals_of(tally)
    inside, darts = added(before, after)
    text = f"estimate_pi_with_tally(tally, {n:,}, 30_000, seed=2024)"
    if darts != n:
        fail(f"{text}: expected the tally to gain {n:,} darts, got {darts:,} (totals {after!r})")
    tolerance = Z * SPREAD / math.sqrt(n)
    if abs(4 * inside / n - math.pi) > tolerance:
        fail(
            f"{text}: expected its darts to estimate pi within {tolerance:.4f} (five standard "
            f"errors), got 4 * {inside} / {n} = {4 * inside / n!r}"
        )
    if result != 4 * after[0] / after[1]:
        fail(
            f"{text}: expected the tally's estimate over all its darts, 4 * {after[0]} / "
            f"{after[1]} = {4 * after[0] / after[1]!r}, got {result!r}"
        )


@pytest.mark.parametrize(
    ("num_samples", "block_size", "sizes"),
    [
        (7, 2, [1, 2, 2, 2]),
        (250_000, 100_000, [50_000, 100_000, 100_000]),
        (300_000, 100_000, [100_000, 100_000, 100_000]),
        (5, 1_000_000, [5]),
    ],
)
def test_one_record_per_block(answer, spy, num_samples, block_size, sizes):
    """The grader's own tally sees one record per block, all in before the call returns."""
    result = run(answer, spy, num_samples, block_size, seed=1)
    records = ray.get(spy.recorded.remote())
    text = f"estimate_pi_with_tally(tally, {num_samples:,}, {block_size:,})"
    got = sorted(darts for _, darts in records)
    if got != sizes:
        fail(
            f"{text}: expected records of {sizes} darts (one per block, the last one the "
            f"remainder) by the time it returns, got records of {got} darts"
        )
    for inside, darts in records:
        if isinstance(inside, bool) or not isinstance(inside, int) or not 0 <= inside <= darts:
            fail(f"{text}: expected hits from 0 to darts, got record{(inside, darts)}")
    inside = sum(i for i, _ in records)
    if result != 4 * inside / num_samples:
        fail(f"{text}: expected the tally's estimate 4 * {inside} / {num_samples}, got {result!r}")


def test_tasks_record_not_the_driver(answer, spy):
    """Each block is a task, and the task, not the driver, calls ``tally.record``."""
    with RayRecorder() as recorder, DriverActorCalls() as driver_calls:
        run(answer, spy, 250_000, 100_000, seed=3)
    text = "estimate_pi_with_tally(tally, 250_000, 100_000)"
    if "record" in driver_calls:
        fail(
            f"{text}: expected the tasks to call tally.record, got "
            f"{driver_calls.count('record')} call(s) of tally.record from the driver"
        )
    if len(recorder.submissions) != 3:
        fail(f"{text}: expected 3 Ray tasks, one per block, got {len(recorder.submissions)}")


def test_blocks_run_in_parallel(answer, spy):
    """Several tasks must be in flight before the driver first waits."""
    with RayRecorder() as recorder:
        run(answer, spy, 400_000, 100_000, seed=4)
    launched_before_waiting = 0
    for kind, _ in recorder.events:
        if kind != "submit":
            break
        launched_before_waiting += 1
    if launched_before_waiting < 2:
        fail(
            "estimate_pi_with_tally(tally, 400_000, 100_000): expected several of the 4 tasks "
            f"launched before the first ray.get or ray.wait, got {launched_before_waiting}"
        )


def test_estimates_accumulate_over_calls(answer, working_tally):
    """Two calls on one tally: each returns the estimate over all the darts the tally holds."""
    tally = working_tally()
    before = totals_of(tally)
    first = run(answer, tally, 100_000, 30_000, seed=1)
    inside_1, darts_1 = totals_of(tally)
    second = run(answer, tally, 50_000, 20_000, seed=2)
    inside_2, darts_2 = totals_of(tally)
    gained = (darts_1 - before[1], darts_2 - before[1])
    if gained != (100_000, 150_000):
        fail(
            "estimate_pi_with_tally(tally, 100_000, ...), then (tally, 50_000, ...): expected "
            f"the tally to gain 100,000 then 150,000 darts in all, got {gained[0]:,} then "
            f"{gained[1]:,}"
        )
    if first != 4 * inside_1 / darts_1 or second != 4 * inside_2 / darts_2:
        fail(
            "two calls on one tally: expected each to return the tally's estimate over all its "
            f"darts ({4 * inside_1 / darts_1!r}, then {4 * inside_2 / darts_2!r}), got "
            f"{first!r}, then {second!r}"
        )


def fresh_run(answer, spy, *args, **kwargs) -> float:
    ray.get(spy.reset.remote())
    return run(answer, spy, *args, **kwargs)


def test_same_seed_gives_same_estimate(answer, spy):
    first = fresh_run(answer, spy, 120_000, 50_000, seed=7)
    second = fresh_run(answer, spy, 120_000, 50_000, seed=7)
    if first != second:
        fail(
            "estimate_pi_with_tally(empty tally, 120_000, 50_000, seed=7) twice: expected the "
            f"same estimate, got {first!r} and {second!r}"
        )


def test_different_seeds_give_different_estimates(answer, spy):
    results = [fresh_run(answer, spy, 120_000, 50_000, seed=s) for s in (11, 12, 13)]
    if len(set(results)) == 1:
        fail(
            "estimate_pi_with_tally(empty tally, 120_000, 50_000, seed=11, 12, 13): expected "
            f"different estimates, got {results[0]!r} every time"
        )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_samples": 1e5},
        {"num_samples": True},
        {"num_samples": "10"},
        {"num_samples": 10, "block_size": 2.0},
        {"num_samples": 10, "block_size": True},
    ],
)
def test_rejects_non_integer_counts(answer, spy, kwargs):
    expect_raises(TypeError, answer.estimate_pi_with_tally, spy, **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_samples": 0},
        {"num_samples": -5},
        {"num_samples": 10, "block_size": 0},
        {"num_samples": 10, "block_size": -1},
    ],
)
def test_rejects_counts_below_one(answer, spy, kwargs):
    expect_raises(ValueError, answer.estimate_pi_with_tally, spy, **kwargs)
