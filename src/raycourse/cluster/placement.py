"""The pi estimate on a multi-node cluster: where blocks run, and surviving faults.

:func:`estimate_pi_placed` is :func:`raycourse.estimate_pi_parallel` with a
record of which node and worker process threw each block of darts, and
:func:`estimate_pi_with_fault` breaks something (a worker, a node) while the
estimate runs and reports how Ray's task retries repaired the damage.

None of this changes the numbers: dart ``i`` always comes from stream block
``i // STREAM_BLOCK`` (see :mod:`raycourse.kernel`), so the estimate is the
same whichever node throws which block, and however often a block is retried.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Collection

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from .._checks import check_int
from ..kernel import _root_seed, count_inside_range
from ..parallel import split_range
from ..session import start_ray
from .records import Attempt, BlockRun, FaultRun, PlacedEstimate

__all__ = [
    "AttemptLog",
    "count_inside_where_task",
    "estimate_pi_placed",
    "estimate_pi_with_fault",
    "kill_worker",
]


@ray.remote(num_cpus=0)
class AttemptLog:
    """Actor that records every start of every block, retries included.

    It needs no CPU of its own, so it never takes a slot from the tasks.
    """

    def __init__(self) -> None:
        self._attempts: list[Attempt] = []

    def started(self, index: int, node_id: str, pid: int) -> None:
        """Record that worker ``pid`` on node ``node_id`` starts block ``index`` now."""
        self._attempts.append(Attempt(index, node_id, pid, began=time.time()))

    def attempts(self) -> list[Attempt]:
        """All attempts so far, in the order they were reported."""
        return list(self._attempts)


@ray.remote
def count_inside_where_task(
    seed: int, start: int, stop: int, index: int = 0, log: ray.actor.ActorHandle | None = None
) -> tuple[int, str, int, float, float]:
    """Ray task: hits among darts ``start`` to ``stop - 1``, and where and when they were counted.

    Returns ``(inside, node_id, pid, began, ended)``, the times from
    ``time.time()``, ``began`` when the work starts. With an
    :class:`AttemptLog`, the task first reports its start and waits until the
    log has it, so that a crash right after still leaves a trace; that wait
    is not part of the work.
    """
    node_id = ray.get_runtime_context().get_node_id()
    if log is not None:
        ray.get(log.started.remote(index, node_id, os.getpid()))
    began = time.time()
    inside = count_inside_range(seed, start, stop)
    return inside, node_id, os.getpid(), began, time.time()


def _check_blocks(num_samples: int, seed: int | None, block_size: int):
    num_samples = check_int("num_samples", num_samples)
    block_size = check_int("block_size", block_size)
    return num_samples, _root_seed(seed), split_range(num_samples, block_size)


def _where_task(max_retries: int, spread: bool):
    if not isinstance(spread, bool):
        raise TypeError(f"spread must be a bool, got {spread!r}")
    strategy = "SPREAD" if spread else "DEFAULT"
    return count_inside_where_task.options(max_retries=max_retries, scheduling_strategy=strategy)


def _collect(refs, blocks) -> tuple[BlockRun, ...]:
    results = ray.get(refs)
    return tuple(
        BlockRun(i, start, stop, *result)
        for i, ((start, stop), result) in enumerate(zip(blocks, results, strict=True))
    )


def estimate_pi_placed(
    num_samples: int,
    *,
    seed: int | None = None,
    block_size: int,
    max_retries: int = 3,
    spread: bool = True,
) -> PlacedEstimate:
    """Estimate pi with Ray tasks and record which node threw each block.

    The same calculation as :func:`raycourse.estimate_pi_parallel`, so the
    estimate equals ``estimate_pi(num_samples, seed=seed)`` exactly.

    Parameters
    ----------
    num_samples, seed
        As in :func:`raycourse.estimate_pi`.
    block_size : int
        Darts per task, ``>= 1``.
    max_retries : int, optional
        How often Ray may rerun a block whose worker or node died.
    spread : bool, optional
        Ask Ray to spread the blocks over the nodes (``scheduling_strategy=
        "SPREAD"``) rather than fill the nodes with free CPUs first (Ray's
        default), which can leave a node without any block.

    Returns
    -------
    PlacedEstimate
    """
    num_samples, seed, blocks = _check_blocks(num_samples, seed, block_size)
    task = _where_task(check_int("max_retries", max_retries, minimum=0), spread)
    start_ray()
    submitted, began = time.time(), time.perf_counter()
    refs = [task.remote(seed, start, stop, i) for i, (start, stop) in enumerate(blocks)]
    runs = _collect(refs, blocks)
    seconds = time.perf_counter() - began
    inside = sum(run.inside for run in runs)
    return PlacedEstimate(num_samples, 4 * inside / num_samples, runs, seconds, submitted)


def kill_worker(attempt: Attempt) -> None:
    """Fault: kill the worker process running ``attempt`` with SIGKILL, as the OOM killer would."""
    os.kill(attempt.pid, signal.SIGKILL)


def estimate_pi_with_fault(
    num_samples: int,
    *,
    seed: int | None = None,
    block_size: int,
    fault: Callable[[Attempt], None] = kill_worker,
    on_nodes: Collection[str] | None = None,
    max_retries: int = 3,
    spread: bool = True,
    timeout: float = 60.0,
) -> FaultRun:
    """Estimate pi while a fault hits one running block; report the retries.

    The estimate starts all blocks, waits until one of them is running (on
    one of ``on_nodes``, if given) and calls ``fault`` with that attempt, then waits
    for the result. Ray reruns tasks whose worker or node died, up to
    ``max_retries`` times, so the result is the undisturbed estimate.

    Parameters
    ----------
    num_samples, seed, block_size
        As in :func:`estimate_pi_placed`.
    fault : callable, optional
        Called once with the victim :class:`Attempt`. :func:`kill_worker` by
        default; :meth:`SimulatedCluster.remove_node_of` removes its node.
    on_nodes : collection of str, optional
        Ids of the nodes where the victim may run (default: any node).
    max_retries : int, optional
        Retries per block. With 0 the fault surfaces as an exception.
    spread : bool, optional
        Spread the blocks over the nodes, as in :func:`estimate_pi_placed`.
    timeout : float, optional
        Seconds to wait for a victim before giving up.

    Returns
    -------
    FaultRun

    Raises
    ------
    TimeoutError
        If no block started on ``on_nodes`` within ``timeout`` seconds.
    ray.exceptions.RayError
        If a block fails for good (for example with ``max_retries=0``).
    """
    num_samples, seed, blocks = _check_blocks(num_samples, seed, block_size)
    max_retries = check_int("max_retries", max_retries, minimum=0)
    start_ray()
    # The log lives on the driver's node, which the faults below never touch.
    here = ray.get_runtime_context().get_node_id()
    log = AttemptLog.options(
        scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=here, soft=False)
    ).remote()
    # Wait until the log runs: starting its process is no part of any block.
    ray.get(log.attempts.remote())
    task = _where_task(max_retries, spread)
    submitted, began = time.time(), time.perf_counter()
    refs = [task.remote(seed, a, b, i, log) for i, (a, b) in enumerate(blocks)]
    try:
        victim = _wait_for_victim(log, refs, on_nodes, began + timeout)
        fault_time = time.time()
        fault(victim)
        runs = _collect(refs, blocks)
        seconds = time.perf_counter() - began
        attempts = tuple(ray.get(log.attempts.remote()))
    except BaseException:
        # Don't leave the other blocks running into the next computation, and
        # collect their outcomes, so that Ray has no unread errors to print.
        for ref in refs:
            ray.cancel(ref)
        for ref in refs:
            with contextlib.suppress(ray.exceptions.RayError):
                ray.get(ref, timeout=timeout)
        raise
    finally:
        ray.kill(log)
    inside = sum(run.inside for run in runs)
    estimate = 4 * inside / num_samples
    return FaultRun(num_samples, estimate, runs, seconds, submitted, victim, fault_time, attempts)


def _wait_for_victim(log, refs, on_nodes: Collection[str] | None, deadline: float) -> Attempt:
    """The newest reported attempt (on one of ``on_nodes``) whose block has not finished yet.

    The newest has the most work left, so the fault surely lands before it ends.
    """
    while time.perf_counter() < deadline:
        _, pending = ray.wait(refs, num_returns=len(refs), timeout=0.01, fetch_local=False)
        still_running = {refs.index(ref) for ref in pending}
        candidates = [
            attempt
            for attempt in ray.get(log.attempts.remote())
            if attempt.index in still_running and (on_nodes is None or attempt.node_id in on_nodes)
        ]
        if candidates:
            return max(candidates, key=lambda attempt: attempt.began)
        if not pending:
            break
    where = f"on nodes {sorted(on_nodes)}" if on_nodes is not None else "anywhere"
    raise TimeoutError(f"no block was running {where} in time to inject the fault")
