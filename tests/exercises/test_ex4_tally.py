"""Grader for Exercise 4: the ``DartTally`` actor and ``estimate_pi_with_tally``.

The tests check the rules of the exercise, not one way of meeting them. The
tally is checked through its methods; ``estimate_pi_with_tally`` is checked
with a tally of the grader's own (:class:`SpyTally`), which keeps every record
it receives, and with a watch on the driver's actor calls, which must not
include ``record``. Statistical checks use fixed seeds and tolerances of five
standard errors (``1.642 / sqrt(N)``).
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


#: Fresh tallies a test takes from :func:`new_tally` (the others take one).
TALLIES_PER_TEST = {"test_tallies_keep_their_own_counts": 2}


@pytest.fixture(scope="module")
def started_tallies(request, answer, ray_cluster) -> list:
    """Every fresh tally the selected tests of this module take, all started at once.

    Each actor needs a worker process of its own, and starting the processes
    side by side takes a fraction of the time of starting them one test at a
    time. Nothing is started for an answer whose ``DartTally`` is no actor class.
    """
    if not isinstance(answer.DartTally, ActorClass):
        return []
    wanted = sum(
        TALLIES_PER_TEST.get(item.originalname, 1)
        for item in request.session.items
        if item.module is request.module and "new_tally" in item.fixturenames
    )
    return [answer.DartTally.remote() for _ in range(wanted)]


@pytest.fixture
def new_tally(answer, started_tallies):
    """Hand out a fresh tally of the answer's ``DartTally``, started in advance where possible."""

    def take():
        return started_tallies.pop() if started_tallies else start_tally(answer)

    return take


@pytest.fixture(scope="module")
def spy_actor(ray_cluster):
    return SpyTally.remote()


@pytest.fixture
def spy(spy_actor):
    """The grader's tally, emptied for each test (actors are slow to start)."""
    ray.get(spy_actor.reset.remote())
    return spy_actor


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


def test_tally_is_a_ray_actor_class(new_tally):
    call(new_tally(), "totals")


def test_new_tally_is_empty(new_tally):
    tally = new_tally()
    if totals_of(tally) != (0, 0):
        fail(f"DartTally().totals(): expected (0, 0), got {totals_of(tally)!r}")


def test_tally_adds_up_records(new_tally):
    tally = new_tally()
    for inside, darts in [(3, 4), (5, 6), (0, 1)]:
        call(tally, "record", inside, darts)
    if totals_of(tally) != (8, 11):
        fail(
            "record(3, 4), record(5, 6), record(0, 1), then totals(): expected (8, 11), "
            f"got {totals_of(tally)!r}"
        )
    result = call(tally, "estimate")
    if not math.isclose(result, 32 / 11, rel_tol=1e-12):
        fail(
            "record(3, 4), record(5, 6), record(0, 1), then estimate(): expected "
            f"4 * 8 / 11 = {32 / 11!r}, got {result!r}"
        )


def test_tallies_keep_their_own_counts(new_tally):
    first, second = new_tally(), new_tally()
    call(first, "record", 2, 3)
    call(second, "record", 7, 9)
    got = (totals_of(first), totals_of(second))
    if got != ((2, 3), (7, 9)):
        fail(
            "two tallies, record(2, 3) on the first and record(7, 9) on the second: expected "
            f"totals (2, 3) and (7, 9), got {got[0]!r} and {got[1]!r}"
        )


def test_estimate_of_an_empty_tally_raises(new_tally):
    expect_remote_raises(ValueError, new_tally(), "estimate")


def test_record_rejects_non_integer_counts(new_tally):
    tally = new_tally()
    for counts in [(1.0, 2), (1, 2.0), (True, 2), (1, True), ("1", 2)]:
        expect_remote_raises(TypeError, tally, "record", *counts)


def test_record_rejects_impossible_counts(new_tally):
    tally = new_tally()
    call(tally, "record", 1, 2)
    for counts in [(0, 0), (1, 0), (-1, 5), (6, 5), (0, -2)]:
        expect_remote_raises(ValueError, tally, "record", *counts)
        if totals_of(tally) != (1, 2):
            fail(
                f"record(1, 2), then the rejected record{counts!r}: expected totals to stay "
                f"(1, 2), got {totals_of(tally)!r}"
            )


# The estimate with a tally


def test_estimate_is_close_to_pi(answer, new_tally):
    """200,000 darts in blocks of 30,000: the tally ends up with exactly those darts."""
    n = 200_000
    tally = new_tally()
    result = run(answer, tally, n, 30_000, seed=2024)
    tolerance = Z * SPREAD / math.sqrt(n)
    if abs(result - math.pi) > tolerance:
        fail(
            f"estimate_pi_with_tally(tally, {n:,}, 30_000, seed=2024): expected pi within "
            f"{tolerance:.4f} (five standard errors), got {result!r}"
        )
    inside, darts = totals_of(tally)
    if darts != n or result != 4 * inside / n:
        fail(
            f"estimate_pi_with_tally(tally, {n:,}, 30_000, seed=2024): expected the tally to "
            f"hold {n:,} darts and the result to be its estimate, got totals ({inside}, {darts}) "
            f"and {result!r}"
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


def test_estimates_accumulate_over_calls(answer, new_tally):
    """Two calls on one tally: the second returns the estimate over both calls' darts."""
    tally = new_tally()
    first = run(answer, tally, 100_000, 30_000, seed=1)
    inside_1, darts_1 = totals_of(tally)
    second = run(answer, tally, 50_000, 20_000, seed=2)
    inside_2, darts_2 = totals_of(tally)
    if darts_1 != 100_000 or darts_2 != 150_000:
        fail(
            "estimate_pi_with_tally(tally, 100_000, ...), then (tally, 50_000, ...): expected "
            f"the tally to hold 100,000 then 150,000 darts, got {darts_1:,} then {darts_2:,}"
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
