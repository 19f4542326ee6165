"""The pi estimate on several nodes: which node and worker threw each block, and faults.

Times are ``time.time()`` values, comparable between the nodes of one machine.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from .._checks import check_int
from ..kernel import _root_seed, count_inside_range
from ..parallel import split_range
from ..session import start_ray

__all__ = [
    "WORK_BEFORE_FAULT_S",
    "Attempt",
    "AttemptLog",
    "BlockRun",
    "PlacedEstimate",
    "count_inside_where_task",
    "estimate_pi_placed",
    "kill_worker",
]

#: Seconds a block has worked, at least, when the fault hits it: some work is lost.
WORK_BEFORE_FAULT_S = 0.1
#: Seconds to wait for a block to start on a node where the fault may hit.
VICTIM_TIMEOUT_S = 60.0
_LOGS: dict[tuple[str, str], ray.actor.ActorHandle] = {}  # by driver: (cluster, job id)


@dataclass(frozen=True)
class Attempt:
    """One start of block ``index`` by worker ``pid`` on node ``node_id``, logged at ``began``."""

    index: int
    node_id: str
    pid: int
    began: float


@dataclass(frozen=True)
class BlockRun:
    """A finished block: its darts, its count, and the node, process and times of its run."""

    index: int
    start: int
    stop: int
    inside: int
    node_id: str
    pid: int
    began: float
    ended: float

    @property
    def darts(self) -> int:
        """Darts in the block."""
        return self.stop - self.start


@dataclass(frozen=True)
class PlacedEstimate:
    """An estimate of pi from ``num_samples`` darts, with where and when its blocks ran.

    ``blocks`` holds one :class:`BlockRun` per block, in block order, ``attempts`` every
    start of a block, retries included, and ``submitted`` when the first task was
    submitted. After a fault, ``victim`` is the attempt it hit, at ``fault_time``.
    """

    num_samples: int
    estimate: float
    blocks: tuple[BlockRun, ...]
    submitted: float
    attempts: tuple[Attempt, ...] = ()
    victim: Attempt | None = None
    fault_time: float | None = None

    @property
    def darts_counted(self) -> int:
        """Darts over all blocks; equals ``num_samples`` when no block is lost or doubled."""
        return sum(block.darts for block in self.blocks)

    @property
    def retried_blocks(self) -> list[int]:
        """Blocks that were started more than once."""
        starts = Counter(attempt.index for attempt in self.attempts)
        return sorted(index for index, count in starts.items() if count > 1)


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
) -> BlockRun:
    """Ray task: the run of block ``index``, darts ``start`` to ``stop - 1``.

    The start goes to ``log`` first, so that a crash leaves a trace; ``began`` is after that.
    """
    node_id, pid = ray.get_runtime_context().get_node_id(), os.getpid()
    if log is not None:
        ray.get(log.started.remote(index, node_id, pid))
    began = time.time()
    inside = count_inside_range(seed, start, stop)
    return BlockRun(index, start, stop, inside, node_id, pid, began, time.time())


def kill_worker(attempt: Attempt) -> None:
    """Fault: kill the worker process running ``attempt`` with SIGKILL, as the OOM killer would."""
    os.kill(attempt.pid, signal.SIGKILL)


def estimate_pi_placed(
    num_samples: int,
    *,
    seed: int | None = None,
    block_size: int,
    fault: Callable[[Attempt], None] | None = None,
    on_nodes: Collection[str] | None = None,
    max_retries: int = 3,
) -> PlacedEstimate:
    """Estimate pi with Ray tasks spread over the nodes; record where each block ran.

    The darts of :func:`raycourse.estimate_pi_parallel`, so its estimate, in tasks that
    ask Ray to spread them (``"SPREAD"``) rather than fill one node first. With a
    ``fault``, Ray reruns the task whose worker or node it broke.

    Parameters
    ----------
    num_samples, seed
        As in :func:`raycourse.estimate_pi`.
    block_size : int
        Darts per task, ``>= 1``.
    fault : callable, optional
        Called once with the :class:`Attempt` to break: the newest that has run for
        :data:`WORK_BEFORE_FAULT_S` and still runs (or the last block running), for example
        :func:`kill_worker` or :meth:`SimulatedCluster.remove_node_of`. No fault by default.
    on_nodes : collection of str, optional
        Ids of the nodes where the fault may hit (default: any node).
    max_retries : int, optional
        Retries per block, ``>= 0``. With 0 a fault surfaces as an exception.

    Returns
    -------
    PlacedEstimate

    Raises
    ------
    TimeoutError
        If no block ran long enough on ``on_nodes`` within :data:`VICTIM_TIMEOUT_S`.
    ray.exceptions.RayError
        If a block fails for good (for example a fault with ``max_retries=0``).
    """
    num_samples = check_int("num_samples", num_samples)
    blocks = split_range(num_samples, check_int("block_size", block_size))
    retries = check_int("max_retries", max_retries, minimum=0)
    task, seed = count_inside_where_task.options(max_retries=retries), _root_seed(seed)
    start_ray()
    context = ray.get_runtime_context()
    key = (context.gcs_address, context.get_job_id())
    if key not in _LOGS:  # started once per driver, and kept; on its node, which no fault hits
        here = NodeAffinitySchedulingStrategy(context.get_node_id(), soft=False)
        _LOGS[key] = AttemptLog.options(scheduling_strategy=here).remote()
    log = _LOGS[key]
    ray.get(log.clear.remote())
    submitted = time.time()
    refs = [task.remote(seed, a, b, i, log) for i, (a, b) in enumerate(blocks)]
    victim = fault_time = None
    try:
        if fault is not None:
            victim = _wait_for_victim(log, refs, on_nodes)
            fault_time = time.time()
            fault(victim)
        runs = tuple(ray.get(refs))
    except BaseException:
        # No block may run on into the next computation, nor leave an unread error to print.
        for ref in refs:
            ray.cancel(ref)
        for ref in refs:
            with contextlib.suppress(ray.exceptions.RayError):
                ray.get(ref, timeout=VICTIM_TIMEOUT_S)
        raise
    estimate = 4 * sum(run.inside for run in runs) / num_samples
    attempts = tuple(ray.get(log.attempts.remote()))
    return PlacedEstimate(num_samples, estimate, runs, submitted, attempts, victim, fault_time)


def _wait_for_victim(log, refs, on_nodes: Collection[str] | None) -> Attempt:
    """The newest attempt (on ``on_nodes``) that has worked a while, or the last one, running."""
    seen: dict[Attempt, float] = {}  # when this driver first saw each attempt in the log
    pending, deadline = refs, time.monotonic() + VICTIM_TIMEOUT_S
    while pending and time.monotonic() < deadline:
        _, pending = ray.wait(refs, num_returns=len(refs), timeout=0.01, fetch_local=False)
        running, now = {refs.index(ref) for ref in pending}, time.monotonic()
        candidates = [
            attempt
            for attempt in ray.get(log.attempts.remote())
            if attempt.index in running
            and (on_nodes is None or attempt.node_id in on_nodes)
            # The last block running may end before it has worked a while: hit it now.
            and (now - seen.setdefault(attempt, now) >= WORK_BEFORE_FAULT_S or len(pending) == 1)
        ]
        if candidates:  # in the order the log received them: the last is the newest
            return candidates[-1]
    raise TimeoutError(f"no block was running in time for the fault (on_nodes={on_nodes!r})")
