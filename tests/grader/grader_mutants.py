"""Deliberately wrong answers to the exercises, each a small edit of the reference solution.

``tests/grader/test_grader.py`` writes each mutant, next to copies of the other
reference solutions, into a folder of its own and grades that folder with
``--answers``: every test listed in ``caught_by`` must reject it with an
"expected ..., got ..." message. A mutant that declares ``fails_only_part`` (a
test class) is also graded by its exercise's whole test file, and every test
outside that class must pass: the report names the part that is wrong and only it.

An edit is an exact ``(old, new)`` text replacement in ``solutions/<exercise>.py``,
and ``old`` must occur there exactly once: when a solution changes under a
mutant, building the mutant fails loudly instead of grading the wrong code.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MUTANTS", "SLOW_ANSWER", "SOLUTIONS", "Mutant", "mutate"]

SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"


def mutate(source: str, edits: list[tuple[str, str]], where: str = "the source") -> str:
    """Apply each ``(old, new)`` replacement to ``source``; each ``old`` must occur exactly once."""
    for old, new in edits:
        found = source.count(old)
        if found != 1:
            raise ValueError(f"{where}: expected exactly one {old!r} to replace, found {found}")
        source = source.replace(old, new)
    return source


@dataclass
class Mutant:
    """One student mistake, as edits of the reference solution of one exercise."""

    case: str
    exercise: str
    mistake: str
    edits: list[tuple[str, str]]
    caught_by: set[str]
    #: The one test class (part of the exercise) that fails, if the mistake is confined to one.
    fails_only_part: str | None = None

    def source(self) -> str:
        """The solution's source with the mistake made (and named in a first comment)."""
        solution = SOLUTIONS / f"{self.exercise}.py"
        mutated = mutate(solution.read_text(), self.edits, f"mutant {self.case} of {solution}")
        return f"# Deliberately wrong ({self.case}): {self.mistake}.\n{mutated}"

    def write_answers(self, folder: Path) -> Path:
        """Fill ``folder`` with the reference solutions, this exercise's one mutated."""
        folder.mkdir(parents=True, exist_ok=True)
        for path in SOLUTIONS.glob("ex*.py"):
            shutil.copyfile(path, folder / path.name)
        (folder / f"{self.exercise}.py").write_text(self.source())
        return folder


#: The reference solutions' block split (Exercises 1 and 4): the last block takes the remainder.
SIZES = (
    "sizes = [min(block_size, num_samples - start) for start in range(0, num_samples, block_size)]"
)
FULL_BLOCKS = "sizes = [block_size] * (num_samples // block_size)"

MUTANTS: list[Mutant] = [
    # Exercise 1: estimate_pi_in_blocks
    Mutant(
        "ex1_missing_factor_4",
        "ex1_blocks",
        "returns the fraction inside, without the factor 4",
        [("return 4 * inside / num_samples", "return inside / num_samples")],
        {"test_estimate_is_close_to_pi", "test_works_without_a_seed"},
    ),
    Mutant(
        "ex1_shared_stream",
        "ex1_blocks",
        "every block draws from the same stream",
        [
            (
                "streams = np.random.SeedSequence(seed).spawn(len(sizes))",
                "streams = [np.random.SeedSequence(seed)] * len(sizes)",
            )
        ],
        {"test_blocks_draw_independent_streams"},
    ),
    Mutant(
        "ex1_lost_remainder",
        "ex1_blocks",
        "drops the last, partial block",
        [(SIZES, FULL_BLOCKS)],
        {
            "test_estimate_is_close_to_pi",
            "test_throws_exactly_num_samples_darts",
            "test_one_task_per_block",
        },
    ),
    Mutant(
        "ex1_extra_block",
        "ex1_blocks",
        "one block too many (an empty one) when block_size divides num_samples",
        [(SIZES, f"{FULL_BLOCKS} + [num_samples % block_size]")],
        {"test_one_task_per_block"},
    ),
    Mutant(
        "ex1_unweighted_mean",
        "ex1_blocks",
        "averages the block estimates, so the short last block weighs too much",
        [
            (
                "inside = sum(ray.get(refs))\n    return 4 * inside / num_samples",
                "counts = ray.get(refs)\n"
                "    return sum(4 * c / n for c, n in zip(counts, sizes, strict=True))"
                " / len(sizes)",
            )
        ],
        {"test_throws_exactly_num_samples_darts"},
    ),
    Mutant(
        "ex1_ignored_seed",
        "ex1_blocks",
        "ignores the seed and draws fresh entropy every time",
        [("np.random.SeedSequence(seed)", "np.random.SeedSequence()")],
        {"test_same_seed_gives_same_estimate"},
    ),
    Mutant(
        "ex1_constant_seed",
        "ex1_blocks",
        "ignores the seed and always uses seed 0",
        [("np.random.SeedSequence(seed)", "np.random.SeedSequence(0)")],
        {"test_different_seeds_give_different_estimates"},
    ),
    Mutant(
        "ex1_get_inside_task",
        "ex1_blocks",
        "one outer task launches the blocks and calls ray.get on them",
        [
            (
                'block_size = _check_count("block_size", block_size)\n',
                'block_size = _check_count("block_size", block_size)\n'
                "    return ray.get(run_all_blocks.remote(num_samples, block_size, seed))\n"
                "\n\n"
                "@ray.remote\n"
                "def run_all_blocks(num_samples, block_size, seed):\n",
            )
        ],
        {
            "test_no_ray_get_inside_a_task",
            "test_one_task_per_block",
            "test_blocks_run_in_parallel",
        },
    ),
    Mutant(
        "ex1_serial_loop",
        "ex1_blocks",
        "waits for each block before launching the next",
        [
            (
                "    refs = [\n"
                "        count_inside_block.remote(stream, size) for stream, size in zip(streams, sizes, strict=True)\n"  # noqa: E501
                "    ]\n"
                "    inside = sum(ray.get(refs))\n",
                "    inside = 0\n"
                "    for stream, size in zip(streams, sizes, strict=True):\n"
                "        inside += ray.get(count_inside_block.remote(stream, size))\n",
            )
        ],
        {"test_blocks_run_in_parallel"},
    ),
    Mutant(
        "ex1_whole_stream_per_task",
        "ex1_blocks",
        "each task draws all the darts of one shared stream and counts its slice",
        [
            (
                "def count_inside_block(stream: np.random.SeedSequence, num_darts: int) -> int:",
                "def count_inside_block(stream, start, num_darts, num_samples):",
            ),
            (
                "    x = rng.uniform(-1.0, 1.0, num_darts)\n"
                "    y = rng.uniform(-1.0, 1.0, num_darts)\n",
                "    x = rng.uniform(-1.0, 1.0, num_samples)[start : start + num_darts]\n"
                "    y = rng.uniform(-1.0, 1.0, num_samples)[start : start + num_darts]\n",
            ),
            (
                "streams = np.random.SeedSequence(seed).spawn(len(sizes))",
                "root = np.random.SeedSequence(seed)\n"
                "    starts = range(0, num_samples, block_size)",
            ),
            (
                "count_inside_block.remote(stream, size) for stream, size in zip(streams,",
                "count_inside_block.remote(root, s, n, num_samples) for s, n in zip(starts,",
            ),
        ],
        {"test_task_memory_grows_with_block_size_not_num_samples"},
    ),
    Mutant(
        "ex1_no_validation",
        "ex1_blocks",
        "does not check its arguments",
        [
            (
                '    num_samples = _check_count("num_samples", num_samples)\n'
                '    block_size = _check_count("block_size", block_size)\n',
                "",
            )
        ],
        {"test_rejects_non_integer_counts", "test_rejects_counts_below_one"},
    ),
    Mutant(
        "ex1_loose_checks",
        "ex1_blocks",
        "checks isinstance(value, int), which lets True through, and value < 0, which lets 0 "
        "through; the parallel code is right",
        [
            (
                "if isinstance(value, bool) or not isinstance(value, numbers.Integral):",
                "if not isinstance(value, int):",
            ),
            ("if value < 1:", "if value < 0:"),
        ],
        {"test_rejects_non_integer_counts", "test_rejects_counts_below_one"},
        fails_only_part="TestArguments",
    ),
    # Exercise 2: samples_needed
    Mutant(
        "ex2_one_sided",
        "ex2_accuracy",
        "uses the one-sided quantile Phi^-1(confidence)",
        [("inv_cdf((1.0 + confidence) / 2.0)", "inv_cdf(confidence)")],
        {"test_smallest_reliable_n", "test_default_confidence_is_95_percent"},
    ),
    Mutant(
        "ex2_missing_factor_4",
        "ex2_accuracy",
        "forgets that the estimate is 4 times the fraction inside",
        [("spread_per_dart = 4.0 * math.sqrt(", "spread_per_dart = math.sqrt(")],
        {"test_smallest_reliable_n", "test_confidence_as_keyword"},
    ),
    Mutant(
        "ex2_full_width",
        "ex2_accuracy",
        "asks for 10**-decimals instead of half a unit in the last place",
        [("half_width = 0.5 * 10.0 ** -int(decimals)", "half_width = 10.0 ** -int(decimals)")],
        {"test_smallest_reliable_n", "test_default_confidence_is_95_percent"},
    ),
    Mutant(
        "ex2_off_by_one",
        "ex2_accuracy",
        "rounds the bound down, one dart short",
        [
            ("n = max(1, math.ceil(", "n = max(1, int("),
            ("    while not reliable(n):\n        n += 1\n", ""),
        ],
        {"test_smallest_reliable_n", "test_default_confidence_is_95_percent"},
    ),
    Mutant(
        "ex2_no_validation",
        "ex2_accuracy",
        "does not check its arguments",
        [
            (
                "    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral):\n"
                "        raise TypeError(\n"
                '            f"decimals must be an integer, got {decimals!r} ({type(decimals).__name__})"\n'  # noqa: E501
                "        )\n"
                "    if decimals < 0:\n"
                '        raise ValueError(f"decimals must be >= 0, got {decimals!r}")\n'
                "    if not 0.0 < confidence < 1.0:\n"
                '        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")\n',  # noqa: E501
                "",
            )
        ],
        {"test_rejects_non_integer_decimals", "test_rejects_values_out_of_range"},
    ),
    # Exercise 3: crossover_n and min_task_samples
    Mutant(
        "ex3_linear_n",
        "ex3_crossover",
        "interpolates linearly in N instead of log N",
        [
            (
                "            log_lo, log_hi = math.log(sizes[i - 1]), math.log(sizes[i])\n"
                "            return math.exp(log_lo + fraction * (log_hi - log_lo))\n",
                "            return sizes[i - 1] + fraction * (sizes[i] - sizes[i - 1])\n",
            )
        ],
        {"test_crossover_interpolates_in_log_n", "test_crossover_between_unevenly_spaced_points"},
    ),
    Mutant(
        "ex3_time_difference",
        "ex3_crossover",
        "compares the times by their difference, not their log ratio",
        [("math.log(r) - math.log(s)", "r - s")],
        {
            "test_crossover_interpolates_in_log_n",
            "test_crossover_uses_the_log_of_the_time_ratio",
        },
    ),
    Mutant(
        "ex3_no_interpolation",
        "ex3_crossover",
        "returns the first N where Ray is no slower, without interpolating",
        [
            (
                "            # d[i - 1] > 0 >= d[i]: the straight line between them crosses zero here.\n"  # noqa: E501
                "            fraction = d[i - 1] / (d[i - 1] - d[i])\n"
                "            log_lo, log_hi = math.log(sizes[i - 1]), math.log(sizes[i])\n"
                "            return math.exp(log_lo + fraction * (log_hi - log_lo))\n",
                "            return sizes[i]\n",
            )
        ],
        {"test_crossover_interpolates_in_log_n"},
    ),
    Mutant(
        "ex3_last_crossing",
        "ex3_crossover",
        "takes the last crossing rather than the first",
        [
            (
                "for i in range(1, len(d)):\n        if d[i] <= 0:",
                "for i in range(len(d) - 1, 0, -1):\n        if d[i] <= 0 < d[i - 1]:",
            )
        ],
        {"test_crossover_between_the_right_pair_of_points"},
    ),
    Mutant(
        "ex3_strict_sign",
        "ex3_crossover",
        "treats d == 0 as 'Ray is slower'",
        [("if d[0] <= 0:", "if d[0] < 0:"), ("if d[i] <= 0:", "if d[i] < 0:")],
        {"test_crossover_is_first_n_when_times_tie_at_first"},
    ),
    Mutant(
        "ex3_min_task_off_by_one",
        "ex3_crossover",
        "one dart too many when the bound is a whole number",
        [
            (
                "n = max(1, math.ceil(samples_per_second * overhead_seconds * (1 - f) / f))",
                "n = max(1, int(samples_per_second * overhead_seconds * (1 - f) / f) + 1)",
            ),
            ("    while n > 1 and share(n - 1) <= f:\n        n -= 1\n", ""),
        ],
        {"test_min_task_samples"},
    ),
    Mutant(
        "ex3_min_task_zero",
        "ex3_crossover",
        "returns 0 darts when there is no overhead",
        [
            (
                "    f = max_overhead_fraction\n",
                "    if overhead_seconds == 0:\n        return 0\n    f = max_overhead_fraction\n",
            )
        ],
        {"test_min_task_samples_is_at_least_one"},
    ),
    Mutant(
        "ex3_no_validation",
        "ex3_crossover",
        # min_task_samples keeps its check of the fraction: without it, a negative
        # fraction sends the solution's search for n up forever.
        "does not check the sizes' lengths, the overhead or the rate",
        [
            (
                "    if not sizes:\n"
                '        raise ValueError("ns must not be empty")\n'
                "    if not len(sizes) == len(serial) == len(parallel):\n"
                "        raise ValueError(\n"
                '            "ns, serial_seconds and ray_seconds must have the same length, got "\n'
                '            f"{len(sizes)}, {len(serial)} and {len(parallel)}"\n'
                "        )\n",
                "",
            ),
            ("zip(serial, parallel, strict=True)", "zip(serial, parallel, strict=False)"),
            (
                "    if not (math.isfinite(overhead_seconds) and overhead_seconds >= 0):\n"
                '        raise ValueError(f"overhead_seconds must be finite and >= 0, got {overhead_seconds!r}")\n'  # noqa: E501
                "    if not (math.isfinite(samples_per_second) and samples_per_second > 0):\n"
                '        raise ValueError(f"samples_per_second must be finite and > 0, got {samples_per_second!r}")\n',  # noqa: E501
                "",
            ),
        ],
        {
            "test_crossover_rejects_empty_or_mismatched_inputs",
            "test_min_task_samples_rejects_bad_values",
        },
    ),
    # Exercise 4: the DartTally actor and estimate_pi_with_tally
    Mutant(
        "ex4_plain_class",
        "ex4_tally",
        "the tally is a plain class, not a Ray actor",
        [("@ray.remote(num_cpus=0)\nclass DartTally:", "class DartTally:")],
        {"test_tally_is_a_ray_actor_class", "test_tally_adds_up_records"},
    ),
    Mutant(
        "ex4_driver_records",
        "ex4_tally",
        "the tasks return their counts and the driver records them",
        [
            ("    ray.get(tally.record.remote(inside, num_darts))\n", "    return inside\n"),
            ("    ray.get(\n        [\n", "    counts = ray.get(\n        [\n"),
            (
                "    return ray.get(tally.estimate.remote())\n",
                "    ray.get([tally.record.remote(i, n) for i, n in zip(counts, sizes, strict=True)])\n"  # noqa: E501
                "    return ray.get(tally.estimate.remote())\n",
            ),
        ],
        {"test_tasks_record_not_the_driver"},
    ),
    Mutant(
        "ex4_overwrites",
        "ex4_tally",
        "each record replaces the tally instead of adding to it",
        [
            (
                "self.inside += inside\n        self.darts += darts",
                "self.inside = inside\n        self.darts = darts",
            )
        ],
        {"test_tally_adds_up_records", "test_estimates_accumulate_over_calls"},
    ),
    Mutant(
        "ex4_no_validation",
        "ex4_tally",
        "record accepts any counts",
        [
            (
                '        inside = _check_count("inside", inside, 0)\n'
                '        darts = _check_count("darts", darts, 1)\n'
                "        if inside > darts:\n"
                '            raise ValueError(f"inside must be <= darts ({darts}), got {inside!r}")\n',  # noqa: E501
                "",
            )
        ],
        {"test_record_rejects_non_integer_counts", "test_record_rejects_impossible_counts"},
    ),
    Mutant(
        "ex4_lost_remainder",
        "ex4_tally",
        "the remainder block is never thrown",
        [(SIZES, f"{FULL_BLOCKS} or [num_samples]")],
        {"test_one_record_per_block", "test_estimate_is_close_to_pi"},
    ),
    Mutant(
        "ex4_fresh_tally",
        "ex4_tally",
        "the estimate reports to a new tally of its own, not to the one it is given",
        [
            (
                "    streams = np.random.SeedSequence(seed).spawn(len(sizes))\n",
                "    streams = np.random.SeedSequence(seed).spawn(len(sizes))\n"
                "    tally = DartTally.remote()\n",
            )
        ],
        {"test_one_record_per_block", "test_estimates_accumulate_over_calls"},
    ),
    Mutant(
        "ex4_empty_estimate_zero",
        "ex4_tally",
        "an empty tally estimates 0 instead of raising",
        [
            (
                'raise ValueError("the tally holds no darts yet: record some first")',
                "return 0.0",
            )
        ],
        {"test_estimate_of_an_empty_tally_raises"},
    ),
]


#: A correct but hopelessly slow answer: graded with a short ``--time-limit``, the tests
#: it cannot finish in time fail on time, one each, and the others still pass.
SLOW_ANSWER = Mutant(
    "ex2_counts_up_from_one",
    "ex2_accuracy",
    "tries N = 1, 2, 3, ... until one is reliable (about 10**13 tries for six decimals)",
    [("n = max(1, math.ceil((z * spread_per_dart / half_width) ** 2))", "n = 1")],
    {"test_smallest_reliable_n"},
)
