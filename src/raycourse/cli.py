"""The course's parallel estimate as a command: ``python -m raycourse``.

It throws ``--darts`` darts in ``--tasks`` Ray tasks on a local Ray, on the
cluster named by ``--address`` or ``RAY_ADDRESS``, or, submitted as a Ray Job,
on the cluster that runs it. The same ``--seed`` gives the same estimate for
any ``--tasks``. It prints one summary line, or one JSON object with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

import ray

from ._checks import check_int
from .kernel import SPREAD_PER_DART, _root_seed
from .parallel import count_blocks, default_block_size, split_range
from .session import describe_session, start_ray, stop_ray

__all__ = ["build_parser", "main", "run_estimate", "summary", "whole_number"]

#: Largest ``--darts`` and ``--tasks``: dart numbers stay 64-bit integers.
MAX_COUNT = 2**63 - 1


def whole_number(text: str, *, minimum: int = 1) -> int:
    """Read a count such as ``2000000``, ``2_000_000`` or ``2e6`` exactly; argparse's type.

    Raises ``argparse.ArgumentTypeError`` unless ``text`` is a whole number from
    ``minimum`` to ``2**63 - 1``.
    """
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    # Checked before int(): 1e999999999 is exact but would take gigabytes.
    if value.adjusted() > 18 or value > MAX_COUNT:
        raise argparse.ArgumentTypeError(f"must be at most 2**63 - 1, got {text!r}")
    if value != value.to_integral_value():
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}")
    if value < minimum:
        raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {text!r}")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    """Return the command's argument parser (the deploy tests check recipes with it)."""
    parser = argparse.ArgumentParser(
        prog="python -m raycourse",
        description="Estimate pi by throwing darts in Ray tasks.",
        epilog="The same --seed gives the same estimate for any --tasks.",
        allow_abbrev=False,  # a recipe's `--dart 5` should fail, not quietly mean --darts
    )
    parser.add_argument(
        "--darts",
        type=whole_number,
        default=100_000_000,
        metavar="N",
        help="darts to throw: 2000000, 2_000_000 or 2e6 (default: 1e8)",
    )
    parser.add_argument(
        "--tasks",
        type=whole_number,
        metavar="K",
        help="Ray tasks to split the darts into, at most --darts (default: about 8)",
    )
    parser.add_argument(
        "--seed",
        type=partial(whole_number, minimum=0),
        metavar="S",
        help="seed, a whole number >= 0 (default: fresh, and printed)",
    )
    parser.add_argument(
        "--address", help="Ray cluster to join, host:port (default: RAY_ADDRESS, else a new Ray)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object, not a line")
    return parser


def run_estimate(
    darts: int, *, tasks: int | None = None, seed: int | None = None, progress: bool = False
) -> dict[str, Any]:
    """Throw ``darts`` darts in ``tasks`` Ray tasks on the running Ray; return the run as JSON.

    ``seed=None`` draws a seed (the run tells which); by default the darts are
    split as :func:`~raycourse.parallel.default_block_size` says. The estimate
    equals ``raycourse.estimate_pi(darts, seed=seed)``. ``seconds`` runs from the
    first task submitted to the last result; ``cpus`` and ``nodes`` are the cluster's.

    Raises
    ------
    RuntimeError
        If Ray is not running in this process.
    TypeError, ValueError
        For a bad ``darts``, ``tasks``, ``seed`` or ``progress``.
    """
    darts = check_int("darts", darts)
    if tasks is not None:
        tasks = check_int("tasks", tasks)
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got {progress!r}")
    session = describe_session()  # RuntimeError if Ray is not running here
    block_size = default_block_size(darts) if tasks is None else math.ceil(darts / tasks)
    blocks = split_range(darts, block_size)
    seed = _root_seed(seed)
    began = time.perf_counter()
    estimate = 4 * count_blocks(seed, blocks, progress=progress, description="tasks") / darts
    seconds = time.perf_counter() - began
    return {
        "estimate": estimate,
        "darts": darts,
        "tasks": len(blocks),
        "seed": seed,
        "seconds": seconds,
        "cpus": session.num_cpus,
        "nodes": session.num_nodes,
        "error": estimate - math.pi,
        "standard_error": SPREAD_PER_DART / math.sqrt(darts),
        "darts_per_second": darts / seconds if seconds > 0 else math.inf,
        "ray_version": ray.__version__,
    }


def summary(run: dict[str, Any]) -> str:
    """One line for a person: estimate, error, throughput, tasks, CPUs and seed."""
    nodes = run["nodes"]
    return (
        f"pi ~ {run['estimate']:.8f} (error {run['error']:+.2e}, standard error "
        f"{run['standard_error']:.1e}) from {run['darts']:,} darts in {run['seconds']:.2f} s: "
        f"{run['darts_per_second']:,.0f} darts/s, {run['tasks']} tasks, "
        f"{run['cpus']} CPUs on {nodes} node{'s' if nodes != 1 else ''}; seed {run['seed']}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    It uses the Ray already running in this process, else joins ``--address``
    or ``RAY_ADDRESS``, else starts a local Ray, and shuts down only a Ray it
    started. Bad options exit with status 2 and a message naming the option.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.tasks is not None and args.tasks > args.darts:
        parser.error(
            f"argument --tasks: must be at most --darts ({args.darts:,}), got {args.tasks}"
        )
    started_here = not ray.is_initialized()
    if started_here:
        start_ray(address=args.address, include_dashboard=False)
    try:
        # A bar only for a person watching a terminal, never in JSON or a log.
        progress = not args.json and sys.stderr.isatty()
        run = run_estimate(args.darts, tasks=args.tasks, seed=args.seed, progress=progress)
    finally:
        if started_here:
            stop_ray()
    print(json.dumps(run) if args.json else summary(run))
    return 0
