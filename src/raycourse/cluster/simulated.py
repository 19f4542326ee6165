"""A Ray cluster of several nodes on one machine, for the Cluster lesson and its tests."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sys
import tempfile
import time

import ray
from ray._raylet import Config
from ray.cluster_utils import Cluster
from ray.experimental.internal_kv import _internal_kv_get
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from .._checks import check_int
from .._machine import RayProcess, child_pids, find_ray_processes, free_port
from ..session import start_ray, stop_ray
from .placement import Attempt, count_inside_where_task

__all__ = ["SimulatedCluster"]

# Ray's GCS declares a node dead after 5 failed health checks 3 s apart, sending retries to it
# meanwhile. Checks 0.5 s apart find a dead raylet (it refuses at once); a slow one must miss 3.
_SYSTEM_CONFIG = {
    "health_check_initial_delay_ms": 500,
    "health_check_period_ms": 500,
    "health_check_failure_threshold": 3,
}


class SimulatedCluster:
    """A Ray cluster of several nodes, all on this machine, for demos and tests.

    Each node is a raylet with its own workers and object store; only the network
    between them is the loopback. The head's dashboard takes Ray Jobs. The cluster
    keeps its files in a temporary directory of its own (``RAY_TMPDIR``) and
    requires Ray's token, so that nothing else on the machine joins it by accident.

    Parameters
    ----------
    num_nodes : int, optional
        Nodes including the head node, ``>= 1``.
    cpus_per_node : int, optional
        CPUs each node offers to tasks, ``>= 1``.
    """

    def __init__(self, *, num_nodes: int = 2, cpus_per_node: int = 1) -> None:
        self.num_nodes = check_int("num_nodes", num_nodes)
        self.cpus_per_node = check_int("cpus_per_node", cpus_per_node)
        self._cluster, self._workers, self._run_dir, self._saved_env = None, {}, None, {}
        self.node_ids: list[str] = []

    @property
    def address(self) -> str:
        """The GCS address of the head node (what ``RAY_ADDRESS`` would hold)."""
        return self._running().address

    @property
    def dashboard_url(self) -> str:
        """The head's dashboard, where Ray Jobs are submitted: ``http://host:port``."""
        return f"http://{self._running().webui_url}"

    @property
    def worker_node_ids(self) -> list[str]:
        """Ids of the live worker nodes (every node but the head)."""
        return list(self._workers)

    def labels(self) -> dict[str, str]:
        """Short names for the node ids: ``"head"``, ``"worker 1"``, ``"worker 2"``..."""
        return {node_id: f"worker {i}" if i else "head" for i, node_id in enumerate(self.node_ids)}

    def start(self) -> SimulatedCluster:
        """Start the nodes and connect this driver to the cluster; on failure, try once more.

        Raises
        ------
        RuntimeError
            If Ray is already running in this process (call :func:`raycourse.stop_ray` first).
        """
        if ray.is_initialized():
            raise RuntimeError("Ray is already running in this process; call stop_ray() first")
        try:
            return self._start()
        except Exception:
            # Ray's start-up waits are fixed (15 s for a node's agents, 30 s for the node); on a
            # busy machine they can run out once. A pause, and the second, last try.
            time.sleep(5.0)
            return self._start()

    def _start(self) -> SimulatedCluster:
        # Ray's start-up notes, and the job client's ("Uploading package ..."), stay out of cells.
        logging.getLogger("ray").setLevel(logging.ERROR)
        logging.getLogger("ray.dashboard.modules.dashboard_sdk").setLevel(logging.WARNING)
        self._run_dir = tempfile.mkdtemp(prefix="rc-")
        self._set_env("RAY_TMPDIR", self._run_dir)
        self._set_env("RAY_AUTH_MODE", os.environ.get("RAY_AUTH_MODE") or "token")
        # The nodes inherit this environment: another Ray's RAY_ADDRESS would take the jobs.
        self._saved_env.setdefault("RAY_ADDRESS", os.environ.pop("RAY_ADDRESS", None))
        # A job's command runs the `python` on the node's PATH: here this process's own.
        path = os.environ.get("PATH", "")
        self._set_env("PATH", os.pathsep.join([os.path.dirname(sys.executable), path]))
        Config.initialize("")  # re-reads RAY_AUTH_MODE, which Ray caches
        # Ray prints "raylet died" whatever the logging level; the faults are on purpose.
        ray._private.worker._worker_logs_enabled = False
        # Ports of our own: the default ones may belong to another Ray on the machine.
        head_args = {
            "num_cpus": self.cpus_per_node,
            "include_dashboard": True,
            "dashboard_port": free_port(),
            "dashboard_agent_listen_port": free_port(),
            "_system_config": _SYSTEM_CONFIG,
            # Fewer processes: no autoscaler, no log forwarding (our drivers ignore it).
            "no_monitor": True,
            "include_log_monitor": False,
        }
        try:
            self._cluster = Cluster(initialize_head=True, head_node_args=head_args)
            # One after another: Ray starts a node only from the main thread.
            for _ in range(self.num_nodes - 1):
                node = self._cluster.add_node(num_cpus=self.cpus_per_node)
                self._workers[node.node_id] = node
            self._cluster.wait_for_nodes()
            self.node_ids = [self._cluster.head_node.node_id, *self._workers]
            start_ray(address=self._cluster.address)
            self.warm_up()
            self._wait_for_job_agent()
        except BaseException:
            self.stop()
            raise
        return self

    def warm_up(self) -> None:
        """Give every live node a worker process that has imported the course's code.

        While a node starts a worker (at the start, or after one died), nodes whose worker
        is ready can take every block.
        """
        warm = count_inside_where_task.options
        nodes = [self.node_ids[0], *self.worker_node_ids]
        on = [NodeAffinitySchedulingStrategy(node, soft=False) for node in nodes]
        ray.get([warm(scheduling_strategy=strategy).remote(0, 0, 0) for strategy in on])

    def _wait_for_job_agent(self, timeout: float = 60.0) -> None:
        """Wait until the head's agent, which runs submitted jobs, has registered."""
        key = f"DASHBOARD_AGENT_ADDR_NODE_ID_PREFIX:{self.node_ids[0]}"
        deadline = time.monotonic() + timeout
        while not _internal_kv_get(key, namespace="dashboard"):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the head's job agent did not start within {timeout} s")
            time.sleep(0.1)

    def remove_node_of(self, attempt: Attempt) -> None:
        """Fault: remove the worker node that runs ``attempt`` at once, as if it lost power.

        Raises
        ------
        ValueError
            If the attempt ran on the head node or on no live worker node.
        """
        if attempt.node_id not in self._workers:
            raise ValueError(f"attempt must run on a live worker node, got {attempt!r}")
        node = self._workers.pop(attempt.node_id)
        # Its workers die with it, not a moment later when they notice.
        for worker_pid in child_pids({info.process.pid for info in node.all_processes["raylet"]}):
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker_pid, signal.SIGKILL)
        self._cluster.remove_node(node, allow_graceful=False)

    def processes(self) -> list[RayProcess]:
        """This cluster's live processes, known by their ``RAY_TMPDIR`` (never another Ray's)."""
        return [] if self._run_dir is None else find_ray_processes("RAY_TMPDIR", self._run_dir)

    def stop(self) -> None:
        """Disconnect the driver, stop every node and wait for its processes to end; idempotent."""
        # Found while the raylets live: their agents are known only as their children.
        started = self.processes()
        try:
            stop_ray()
            if self._cluster is not None:
                for node in self._cluster.list_all_nodes()[::-1]:
                    self._cluster.remove_node(node, allow_graceful=False)
        finally:
            self._cluster, self._workers = None, {}
            ray._private.worker._worker_logs_enabled = True
            for name, value in self._saved_env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            self._saved_env = {}
            Config.initialize("")
            # Workers and agents yet to notice their raylet is gone; leftovers of a failed start.
            doomed = [p for p in {*started, *self.processes()} if p.still_runs()]
            for process in doomed:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGKILL)
            # SIGKILL is delivered at once, but a process ends a moment later.
            deadline = time.monotonic() + 10.0
            while any(p.still_runs() for p in doomed) and time.monotonic() < deadline:
                time.sleep(0.05)
            if self._run_dir is not None:
                shutil.rmtree(self._run_dir, ignore_errors=True)

    def _running(self):
        if self._cluster is None:
            raise RuntimeError("the cluster is not running; call start() first")
        return self._cluster

    def _set_env(self, name: str, value: str) -> None:
        self._saved_env.setdefault(name, os.environ.get(name))
        os.environ[name] = value
