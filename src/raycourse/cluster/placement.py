"""The pi estimate on a multi-node cluster: where blocks run, and surviving faults.

:func:`estimate_pi_placed` records which node and worker threw each block;
:func:`estimate_pi_with_fault` also breaks a worker or a node while it runs.
Dart ``i`` always comes from the same stream, so neither changes the estimate.
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

#: Seconds to wait for a block to start on a node where the fault may hit.
VICTIM_TIMEOUT_S = 60.0

# One attempt log per driver (cluster address and job id), kept alive here.
_LOGS: dict[tuple[str, str], ray.actor.ActorHandle] = {}


@ray.remote(num_cpus=0)
class AttemptLog:
    """Actor that records every start of every block, retries included; it takes no CPU."""

    def __init__(self) -> None:
        self._attempts: list[Attempt] = []

    def started(self, index: int, node_id: str, pid: int) -> None:
        """Record that worker ``pid`` on node ``node_id`` starts block ``index`` now."""
        self._attempts.append(Attempt(index, node_id, pid, began=time.time()))

    def attempts(self) -> list[Attempt]:
        """All attempts so far, in the order they were reported."""
        return list(self._attempts)

    def clear(self) -> None:
        """Forget all attempts, for the next estimate."""
        self._attempts.clear()


@ray.remote(scheduling_strategy="SPREAD")
def count_inside_where_task(
    seed: int, start: int, stop: int, index: int = 0, log: ray.actor.ActorHandle | None = None
) -> tuple[int, str, int, float, float]:
    """Ray task: hits among darts ``start`` to ``stop - 1``, and where and when they were counted.

    Returns ``(inside, node_id, pid, began, ended)``, times from ``time.time()``.
    With an :class:`AttemptLog`, the task first reports its start and waits
    until the log has it, so that a crash right after still leaves a trace;
    ``began`` is stamped after that wait, when the work starts.
    """
    node_id = ray.get_runtime_context().get_node_id()
    if log is not None:
        ray.get(log.started.remote(index, node_id, os.getpid()))
    began = time.time()
    inside = count_inside_range(seed, start, stop)
    return inside, node_id, os.getpid(), began, time.time()


def estimate_pi_placed(
    num_samples: int, *, seed: int | None = None, block_size: int
) -> PlacedEstimate:
    """Estimate pi with Ray tasks spread over the nodes; record which node threw each block.

    The same calculation as :func:`raycourse.estimate_pi_parallel`, so the
    estimate equals ``estimate_pi(num_samples, seed=seed)`` exactly. The tasks
    ask Ray to spread them (``scheduling_strategy="SPREAD"``) rather than fill
    the nodes with free CPUs first, which can leave a node without any block.

    Parameters
    ----------
    num_samples, seed
        As in :func:`raycourse.estimate_pi`.
    block_size : int
        Darts per task, ``>= 1``.

    Returns
    -------
    PlacedEstimate
    """
    return _estimate(num_samples, seed, block_size, max_retries=3)


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
) -> FaultRun:
    """Estimate pi while a fault hits one running block; report the retries.

    The estimate starts all blocks, waits until one of them is running (on
    one of ``on_nodes``, if given), calls ``fault`` with that attempt and
    waits for the result. Ray reruns a task whose worker or node died, up to
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

    Returns
    -------
    FaultRun

    Raises
    ------
    TimeoutError
        If no block started on ``on_nodes`` within :data:`VICTIM_TIMEOUT_S`.
    ray.exceptions.RayError
        If a block fails for good (for example with ``max_retries=0``).
    """
    return _estimate(num_samples, seed, block_size, max_retries, fault=fault, on_nodes=on_nodes)


def _estimate(num_samples, seed, block_size, max_retries, fault=None, on_nodes=None):
    """Run the blocks, with ``fault`` hitting one of them if given, and return the record."""
    num_samples = check_int("num_samples", num_samples)
    blocks = split_range(num_samples, check_int("block_size", block_size))
    retries = check_int("max_retries", max_retries, minimum=0)
    task, seed = count_inside_where_task.options(max_retries=retries), _root_seed(seed)
    start_ray()
    log = None if fault is None else _attempt_log()
    submitted, began = time.time(), time.perf_counter()
    refs = [task.remote(seed, a, b, i, log) for i, (a, b) in enumerate(blocks)]
    try:
        if fault is not None:
            victim = _wait_for_victim(log, refs, on_nodes, began + VICTIM_TIMEOUT_S)
            fault_time = time.time()
            fault(victim)
        results = ray.get(refs)
    except BaseException:
        # Leave no block running into the next computation, and read every
        # outcome, so that Ray has no unread errors to print.
        for ref in refs:
            ray.cancel(ref)
        for ref in refs:
            with contextlib.suppress(ray.exceptions.RayError):
                ray.get(ref, timeout=VICTIM_TIMEOUT_S)
        raise
    seconds = time.perf_counter() - began
    pairs = enumerate(zip(blocks, results, strict=True))
    runs = tuple(BlockRun(i, *block, *result) for i, (block, result) in pairs)
    estimate = 4 * sum(run.inside for run in runs) / num_samples
    if fault is None:
        return PlacedEstimate(num_samples, estimate, runs, seconds, submitted)
    attempts = tuple(ray.get(log.attempts.remote()))
    return FaultRun(num_samples, estimate, runs, seconds, submitted, victim, fault_time, attempts)


def _attempt_log() -> ray.actor.ActorHandle:
    """This driver's attempt log, emptied: started once, on the driver's node.

    Faults never touch the driver's node, and starting the actor's process,
    paid once, is no part of any estimate.
    """
    context = ray.get_runtime_context()
    key = (context.gcs_address, context.get_job_id())
    if key not in _LOGS:
        here = NodeAffinitySchedulingStrategy(node_id=context.get_node_id(), soft=False)
        _LOGS[key] = AttemptLog.options(scheduling_strategy=here).remote()
    ray.get(_LOGS[key].clear.remote())
    return _LOGS[key]


def _wait_for_victim(log, refs, on_nodes: Collection[str] | None, deadline: float) -> Attempt:
    """The newest reported attempt (on one of ``on_nodes``) whose block has not finished.

    The newest has the most work left, so the fault surely lands before it ends.
    """
    while time.perf_counter() < deadline:
        _, pending = ray.wait(refs, num_returns=len(refs), timeout=0.01, fetch_local=False)
        running = {refs.index(ref) for ref in pending}
        candidates = [
            attempt
            for attempt in ray.get(log.attempts.remote())
            if attempt.index in running and (on_nodes is None or attempt.node_id in on_nodes)
        ]
        if candidates:
            return max(candidates, key=lambda attempt: attempt.began)
        if not pending:
            break
    where = f"on nodes {sorted(on_nodes)}" if on_nodes is not None else "anywhere"
    raise TimeoutError(f"no block was running {where} in time to inject the fault")
