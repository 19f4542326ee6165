"""Grader for Exercise 1: ``estimate_pi_in_blocks(num_samples, block_size, *, seed)``.

The tests check the rules of the exercise, not one way of meeting them: any
sampling method, any way of splitting the darts or of spawning streams passes.
Statistical checks use fixed seeds and tolerances of five standard errors
(``1.642 / sqrt(N)`` for one estimate), so a correct answer fails by bad luck
with a probability below one in a million.

The tests come in three parts, each a class that the grader's summary reports
on a line of its own: the estimate (``TestEstimate``), the Ray tasks
(``TestParallel``) and the checks of the arguments (``TestArguments``). A
correct parallel answer with loose argument checks fails ``TestArguments`` only.
"""

from __future__ import annotations

import math
import statistics

import pytest
from grading import call_text, expect_raises, fail
from ray_recorder import RayRecorder, run_task_locally
from scipy import special

EXERCISE = "ex1_blocks"

pytestmark = pytest.mark.usefixtures("ray_cluster")

P_INSIDE = math.pi / 4
#: Standard deviation of one dart's contribution, 4 * Bernoulli(p): about 1.642.
SPREAD = 4 * math.sqrt(P_INSIDE * (1 - P_INSIDE))
#: Tolerance in standard errors.
Z = 5.0


def estimate(answer, *args, **kwargs) -> float:
    """Call the answer and insist on a float result."""
    result = answer.estimate_pi_in_blocks(*args, **kwargs)
    if isinstance(result, bool) or not isinstance(result, float):
        call = call_text(answer.estimate_pi_in_blocks, *args, **kwargs)
        fail(f"{call}: expected a float, got {result!r} ({type(result).__name__})")
    return result


class TestEstimate:
    """The estimate: close to pi, from exactly ``num_samples`` darts, in seeded streams."""

    def test_estimate_is_close_to_pi(self, answer):
        """200,000 darts in blocks of 30,000 (six full blocks and a remainder of 20,000)."""
        n = 200_000
        result = estimate(answer, n, 30_000, seed=2024)
        tolerance = Z * SPREAD / math.sqrt(n)
        if abs(result - math.pi) > tolerance:
            fail(
                f"estimate_pi_in_blocks({n:,}, 30_000, seed=2024): expected pi within "
                f"{tolerance:.4f} (five standard errors), got {result!r}"
            )

    def test_works_without_a_seed(self, answer):
        """``seed`` defaults to None: fresh entropy, still a good estimate."""
        n = 100_000
        result = estimate(answer, n, 25_000)
        tolerance = Z * SPREAD / math.sqrt(n)
        if abs(result - math.pi) > tolerance:
            fail(
                f"estimate_pi_in_blocks({n:,}, 25_000): expected pi within {tolerance:.4f}, "
                f"got {result!r}"
            )

    def test_throws_exactly_num_samples_darts(self, answer):
        """5 darts in blocks of 3 (a block of 3, then the remainder of 2), 40 seeds.

        ``estimate * 5 / 4`` is the number of hits, so it must be a whole number
        from 0 to 5, and over the seeds its mean must match ``5 * pi / 4``. A lost
        or padded remainder, or block estimates averaged without weighting the
        short last block, break one of the two.
        """
        n, block_size, seeds = 5, 3, range(40)
        hits = []
        for seed in seeds:
            result = estimate(answer, n, block_size, seed=seed)
            inside = result * n / 4
            if abs(inside - round(inside)) > 1e-9 or not 0 <= round(inside) <= n:
                fail(
                    f"estimate_pi_in_blocks({n}, {block_size}, seed={seed}): expected "
                    f"4 * inside / {n} for a whole number of hits inside from 0 to {n}, "
                    f"got {result!r} "
                    f"({inside:.4g} hits)"
                )
            hits.append(round(inside))
        mean_hits = statistics.fmean(hits)
        expected = n * P_INSIDE
        tolerance = Z * math.sqrt(n * P_INSIDE * (1 - P_INSIDE) / len(hits))
        if abs(mean_hits - expected) > tolerance:
            fail(
                f"estimate_pi_in_blocks({n}, {block_size}, seed=0..{len(hits) - 1}): expected "
                f"{expected:.2f} hits per run on average ({n} darts), got {mean_hits:.2f}"
            )

    def test_same_seed_gives_same_estimate(self, answer):
        for seed in (7, 8):
            first = estimate(answer, 120_000, 50_000, seed=seed)
            second = estimate(answer, 120_000, 50_000, seed=seed)
            if first != second:
                fail(
                    f"estimate_pi_in_blocks(120_000, 50_000, seed={seed}) twice: expected the same "
                    f"estimate, got {first!r} and {second!r}"
                )

    def test_different_seeds_give_different_estimates(self, answer):
        seeds = (11, 12, 13)
        results = [estimate(answer, 120_000, 50_000, seed=seed) for seed in seeds]
        if len(set(results)) == 1:
            fail(
                f"estimate_pi_in_blocks(120_000, 50_000, seed=11, 12, 13): expected different "
                f"estimates, got {results[0]!r} every time"
            )

    def test_blocks_draw_independent_streams(self, answer):
        """20,000 darts in 10 blocks of 2,000, for 40 seeds.

        With independent blocks the estimates spread like estimates from 20,000
        darts; blocks that repeat one stream spread like 2,000 darts, sqrt(10)
        times wider. The sample variance is compared with the one-in-a-million
        upper quantile of its chi-squared distribution; a shared stream's tenfold
        variance stays below that limit with odds under one in a million too.
        """
        n, block_size = 20_000, 2_000
        seeds = [1_000 * k for k in range(1, 41)]
        results = [estimate(answer, n, block_size, seed=seed) for seed in seeds]
        ratio = statistics.variance(results) / (SPREAD**2 / n)
        dof = len(results) - 1
        limit = special.chdtri(dof, 1e-6) / dof  # upper 1e-6 quantile
        if ratio > limit:
            fail(
                f"estimate_pi_in_blocks({n:,}, {block_size:,}) over {len(seeds)} seeds: expected "
                f"the spread of {n:,} independent darts (standard deviation "
                f"{SPREAD / math.sqrt(n):.5f}), got {statistics.stdev(results):.5f}: "
                "do the blocks share one random stream?"
            )


class TestParallel:
    """The Ray tasks: one per block, all launched before waiting, none waiting itself."""

    @pytest.mark.parametrize(
        ("num_samples", "block_size", "blocks"),
        [
            (250_000, 100_000, 3),
            (200_001, 100_000, 3),
            (300_000, 100_000, 3),
            (7, 2, 4),
            (5, 1_000_000, 1),
            (1, 1, 1),
        ],
    )
    def test_one_task_per_block(self, answer, num_samples, block_size, blocks):
        """``ceil(num_samples / block_size)`` tasks, counted as the driver submits them."""
        with RayRecorder() as recorder:
            estimate(answer, num_samples, block_size, seed=1)
        launched = len(recorder.submissions)
        if launched != blocks:
            fail(
                f"estimate_pi_in_blocks({num_samples:,}, {block_size:,}): expected {blocks} Ray "
                f"task(s), one per block (ceil({num_samples:,} / {block_size:,})), got {launched}"
            )

    def test_blocks_run_in_parallel(self, answer):
        """Several tasks must be in flight before the driver first waits for a result.

        A loop that launches one task and waits for it before launching the next
        runs the blocks one after another, on one core at a time.
        """
        with RayRecorder() as recorder:
            estimate(answer, 400_000, 100_000, seed=3)
        launched_before_waiting = 0
        for kind, _ in recorder.events:
            if kind != "submit":
                break
            launched_before_waiting += 1
        if launched_before_waiting < 2:
            fail(
                "estimate_pi_in_blocks(400_000, 100_000): expected several of the 4 tasks "
                "launched before the first ray.get or ray.wait, got "
                f"{launched_before_waiting} launched before waiting (the blocks ran one at a time)"
            )

    def test_no_ray_get_inside_a_task(self, answer):
        """Each submitted task is replayed as a plain call here, with ``ray.get`` watched.

        A task that launches the blocks and waits for them adds a layer for nothing:
        Ray lends its CPU to other tasks while it waits, but its worker process
        stays blocked and the counts travel twice. The driver collects them itself.
        """
        with RayRecorder() as recorder:
            estimate(answer, 250_000, 100_000, seed=4)
        for submission in recorder.submissions:
            run = run_task_locally(submission)
            if run.ray_get_calls:
                fail(
                    "estimate_pi_in_blocks(250_000, 100_000): expected no ray.get or ray.wait "
                    f"inside a task, got {run.ray_get_calls} call(s) inside task "
                    f"{submission.name}"
                )

    def test_task_memory_grows_with_block_size_not_num_samples(self, answer):
        """The first task of two runs with the same block size, ten times more darts in the second.

        Each task is replayed here under :mod:`tracemalloc`; its peak memory must
        not grow with ``num_samples`` (twice the first plus 1 MiB is allowed).
        """
        block_size = 100_000
        peaks = {}
        for n in (200_000, 2_000_000):
            with RayRecorder() as recorder:
                estimate(answer, n, block_size, seed=5)
            if not recorder.submissions:
                fail(f"estimate_pi_in_blocks({n:,}, {block_size:,}): expected Ray tasks, got none")
            peaks[n] = run_task_locally(recorder.submissions[0]).peak_bytes
        small, large = peaks[200_000], peaks[2_000_000]
        if large > 2 * small + 2**20:
            fail(
                f"block_size={block_size:,}: expected a task's peak memory not to grow with "
                f"num_samples, got {small / 2**20:.1f} MiB with num_samples=200,000 and "
                f"{large / 2**20:.1f} MiB with num_samples=2,000,000"
            )


class TestArguments:
    """Bad arguments: ``TypeError`` for a count that is not an integer, ``ValueError`` below 1."""

    @pytest.mark.parametrize(
        ("num_samples", "block_size"),
        [
            (1.5, 5),
            (1e6, 250_000),
            ("10", 5),
            (True, 5),
            (None, 5),
            (10, 2.0),
            (10, True),
            (10, "5"),
        ],
    )
    def test_rejects_non_integer_counts(self, answer, num_samples, block_size):
        expect_raises(TypeError, answer.estimate_pi_in_blocks, num_samples, block_size, seed=0)

    @pytest.mark.parametrize(("num_samples", "block_size"), [(0, 5), (-10, 5), (10, 0), (10, -1)])
    def test_rejects_counts_below_one(self, answer, num_samples, block_size):
        expect_raises(ValueError, answer.estimate_pi_in_blocks, num_samples, block_size, seed=0)
