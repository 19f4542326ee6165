"""The course's parallel estimate as a command: ``python -m raycourse``.

It throws ``--darts`` darts in ``--tasks`` Ray tasks (the lesson's
:func:`~raycourse.parallel.count_inside_task` over
:func:`~raycourse.parallel.split_range` blocks) on a local Ray, on the cluster
named by ``--address`` or ``RAY_ADDRESS``, or, submitted as a Ray Job, on the
cluster that runs it. The same ``--seed`` gives the same estimate for any
``--tasks``. It prints one summary line, or one JSON object with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import ray

from ._checks import check_int
from .kernel import SPREAD_PER_DART, _root_seed
from .parallel import count_blocks, default_block_size, split_range
from .session import start_ray, stop_ray

__all__ = ["PiRun", "build_parser", "main", "run_estimate", "whole_number"]

#: Largest count accepted for ``--darts`` and ``--tasks``: dart numbers and
#: block bounds stay 64-bit integers.
MAX_COUNT = 2**63 - 1

PROG = "python -m raycourse"


@dataclass(frozen=True)
class PiRun:
    """One run of the command: the estimate and what produced it.

    Attributes
    ----------
    estimate : float
        ``4 * inside / darts``.
    darts, tasks, seed : int
        Darts thrown, Ray tasks that threw them, and the run's seed.
    seconds : float
        Wall time from the first task submitted to the last result.
    cpus, nodes : int
        CPUs and live nodes of the Ray cluster the tasks ran on.
    """

    estimate: float
    darts: int
    tasks: int
    seed: int
    seconds: float
    cpus: int
    nodes: int

    @property
    def error(self) -> float:
        """The estimate minus pi."""
        return self.estimate - math.pi

    @property
    def standard_error(self) -> float:
        """Standard error of an estimate from this many darts, ``1.642 / sqrt(darts)``."""
        return SPREAD_PER_DART / math.sqrt(self.darts)

    @property
    def darts_per_second(self) -> float:
        """Throughput of the whole run."""
        return self.darts / self.seconds if self.seconds > 0 else math.inf

    def as_dict(self) -> dict[str, Any]:
        """The fields and the derived figures, as JSON-ready values."""
        return {
            **asdict(self),
            "error": self.error,
            "standard_error": self.standard_error,
            "darts_per_second": self.darts_per_second,
            "ray_version": ray.__version__,
        }

    def summary(self) -> str:
        """One line for a person: estimate, error, throughput, tasks and CPUs."""
        return (
            f"pi ~ {self.estimate:.8f} (error {self.error:+.2e}, standard error "
            f"{self.standard_error:.1e}) from {self.darts:,} darts in {self.seconds:.2f} s: "
            f"{self.darts_per_second:,.0f} darts/s, {self.tasks} tasks, "
            f"{self.cpus} CPUs on {self.nodes} node{'s' if self.nodes != 1 else ''}"
        )


def whole_number(text: str, *, minimum: int = 1) -> int:
    """Read a count: ``2000000``, ``2_000_000`` or ``2e6``, never rounded.

    Parameters
    ----------
    text : str
        The option's value as typed.
    minimum : int, optional
        Smallest value accepted.

    Returns
    -------
    int
        The count, exactly.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a number, not a whole number (``2.5``, ``1e-3``),
        below ``minimum`` or above ``2**63 - 1``; argparse then names the option.
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


def seed_value(text: str) -> int:
    """Read a seed: a whole number ``>= 0``."""
    return whole_number(text, minimum=0)


def build_parser() -> argparse.ArgumentParser:
    """Return the command's argument parser (also used to check launch recipes).

    Returns
    -------
    argparse.ArgumentParser
        Options ``--darts``, ``--tasks``, ``--seed``, ``--address`` and ``--json``.
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Estimate pi by throwing darts in Ray tasks.",
        epilog="The same --seed gives the same estimate for any --tasks.",
        # A recipe's `--dart 5` should fail, not quietly mean --darts.
        allow_abbrev=False,
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
        default=None,
        metavar="K",
        help="Ray tasks to split the darts into, at most --darts "
        "(default: about 8, from the number of darts)",
    )
    parser.add_argument(
        "--seed",
        type=seed_value,
        default=None,
        metavar="S",
        help="seed, a whole number >= 0 (default: fresh, and printed)",
    )
    parser.add_argument(
        "--address",
        default=None,
        help="Ray cluster to join, host:port (default: RAY_ADDRESS, else a new local Ray)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of a summary line"
    )
    return parser


def run_estimate(
    darts: int, *, tasks: int | None = None, seed: int | None = None, progress: bool = False
) -> PiRun:
    """Throw ``darts`` darts in Ray tasks on the running Ray and return the run.

    Parameters
    ----------
    darts : int
        Darts to throw, ``>= 1``.
    tasks : int, optional
        Split the darts into blocks of ``ceil(darts / tasks)``, one task each
        (``tasks`` of them when ``darts >= tasks**2``, otherwise possibly
        fewer). By default :func:`~raycourse.parallel.default_block_size`.
    seed : int, optional
        Seed, ``>= 0``; ``None`` draws one (:attr:`PiRun.seed` tells which).
    progress : bool, optional
        Show a progress bar over the tasks.

    Returns
    -------
    PiRun
        The estimate, equal to ``raycourse.estimate_pi(darts, seed=seed)``.

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
    if not ray.is_initialized():
        raise RuntimeError("Ray is not running in this process; call raycourse.start_ray() first")
    block_size = default_block_size(darts) if tasks is None else math.ceil(darts / tasks)
    blocks = split_range(darts, block_size)
    seed = _root_seed(seed)
    resources = ray.cluster_resources()
    nodes = sum(1 for node in ray.nodes() if node.get("Alive"))
    began = time.perf_counter()
    inside = count_blocks(seed, blocks, progress=progress, description="tasks")
    seconds = time.perf_counter() - began
    return PiRun(
        estimate=4 * inside / darts,
        darts=darts,
        tasks=len(blocks),
        seed=seed,
        seconds=seconds,
        cpus=int(resources.get("CPU", 0)),
        nodes=nodes,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Joins the Ray already running in this process if there is one, else the
    cluster of ``--address`` or ``RAY_ADDRESS``, else starts a local Ray; it
    shuts down only a Ray it started. Bad options exit with status 2 and a
    message naming the option, as argparse does.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.tasks is not None and args.tasks > args.darts:
        message = f"must be at most --darts ({args.darts:,}), got {args.tasks}"
        parser.error(f"argument --tasks: {message}")
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
    if args.json:
        print(json.dumps(run.as_dict()))
    else:
        print(f"{run.summary()}; seed {run.seed}")
    return 0
