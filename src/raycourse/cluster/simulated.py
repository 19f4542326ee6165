"""A Ray cluster of several nodes on one machine, for the Cluster lesson and its tests.

Each node is a raylet with its own workers and object store, as on a real
cluster; only the network between them is the loopback.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import tempfile

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from .._checks import check_int
from .._machine import RayProcess, child_pids, find_ray_processes, free_port
from ..session import start_ray, stop_ray
from .placement import Attempt, count_inside_where_task

__all__ = ["SimulatedCluster"]


class SimulatedCluster:
    """A Ray cluster of several nodes, all on this machine, for demos and tests.

    Each node is a raylet with its own workers and object store, as on a real
    cluster; only the network between them is the loopback. The driver joins
    the cluster on :meth:`start` and leaves it, stopping every node, on
    :meth:`stop`. Use it as a context manager::

        with SimulatedCluster(num_nodes=3) as cluster:
            estimate_pi_placed(10**8, seed=1, block_size=2**23)

    Parameters
    ----------
    num_nodes : int, optional
        Nodes including the head node, ``>= 1``.
    cpus_per_node : int, optional
        CPUs each node offers to tasks.

    Notes
    -----
    Ray writes the address of the last cluster started on a machine to
    ``/tmp/ray/ray_current_cluster``, and a bare ``ray.init()`` elsewhere on the
    machine would join it. The simulated cluster keeps that file, its logs and
    sockets in a temporary directory of its own instead (``RAY_TMPDIR``), and
    turns on Ray's token authentication, so nothing else on the machine can
    join it by accident.
    """

    def __init__(self, *, num_nodes: int = 2, cpus_per_node: int = 1) -> None:
        self.num_nodes = check_int("num_nodes", num_nodes)
        self.cpus_per_node = check_int("cpus_per_node", cpus_per_node)
        self._cluster = None
        self._temp_dir: str | None = None
        self._run_dir: str | None = None
        self._saved_env: dict[str, str | None] = {}
        self.node_ids: list[str] = []

    @property
    def address(self) -> str:
        """The GCS address of the head node (what ``RAY_ADDRESS`` would hold)."""
        if self._cluster is None:
            raise RuntimeError("the cluster is not running; call start() first")
        return self._cluster.address

    def labels(self) -> dict[str, str]:
        """Short names for the node ids: ``"head"``, ``"worker 1"``, ``"worker 2"``..."""
        return {
            node_id: "head" if position == 0 else f"worker {position}"
            for position, node_id in enumerate(self.node_ids)
        }

    def start(self) -> SimulatedCluster:
        """Start the nodes and connect this driver to the cluster.

        Raises
        ------
        RuntimeError
            If Ray is already running in this process (call
            :func:`raycourse.stop_ray` first).
        """
        if ray.is_initialized():
            raise RuntimeError("Ray is already running in this process; call stop_ray() first")
        from ray.cluster_utils import Cluster

        self._temp_dir = self._run_dir = tempfile.mkdtemp(prefix="rc-")
        self._set_env("RAY_TMPDIR", self._temp_dir)
        self._set_env("RAY_AUTH_MODE", os.environ.get("RAY_AUTH_MODE") or "token")
        _refresh_ray_config()
        _mute_driver_error_lines(True)
        # A port of our own: the default one may belong to another Ray on the machine.
        head_args = {
            "num_cpus": self.cpus_per_node,
            "include_dashboard": False,
            "dashboard_port": free_port(),
        }
        try:
            self._cluster = Cluster(initialize_head=True, head_node_args=head_args)
            workers = [
                self._cluster.add_node(num_cpus=self.cpus_per_node)
                for _ in range(self.num_nodes - 1)
            ]
            self._cluster.wait_for_nodes()
            self.node_ids = [self._cluster.head_node.node_id] + [node.node_id for node in workers]
            self._workers = dict(zip(self.node_ids[1:], workers, strict=True))
            start_ray(address=self._cluster.address)
            self._warm_up()
        except BaseException:
            self.stop()
            raise
        return self

    def _warm_up(self) -> None:
        # A fresh node starts its first worker process only when a task asks
        # for one, and the worker imports NumPy and raycourse the first time
        # it runs our code; together that takes a second or more, during which
        # the scheduler would send everything to the node that is already warm.
        ray.get(
            [
                count_inside_where_task.options(
                    scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=node, soft=False)
                ).remote(0, 0, 0)
                for node in self.node_ids
            ]
        )

    def remove_node_of(self, attempt: Attempt) -> None:
        """Fault: remove the (non-head) node that runs ``attempt``, killing its processes."""
        self.remove_node(attempt.node_id)

    def remove_node(self, node_id: str) -> None:
        """Remove a worker node as if its machine lost power.

        Its worker processes, raylet and object store are killed at once;
        no process of the node gets a chance to finish what it was doing.

        Raises
        ------
        ValueError
            If ``node_id`` is the head node or not a live worker node.
        """
        if node_id not in getattr(self, "_workers", {}):
            raise ValueError(f"node_id must be a live worker node of this cluster, got {node_id!r}")
        node = self._workers.pop(node_id)
        raylets = node.all_processes.get("raylet", [])
        for worker_pid in child_pids({info.process.pid for info in raylets}):
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker_pid, signal.SIGKILL)
        self._cluster.remove_node(node, allow_graceful=False)

    @property
    def worker_node_ids(self) -> list[str]:
        """Ids of the live worker nodes (every node but the head)."""
        return list(getattr(self, "_workers", {}))

    def processes(self) -> list[RayProcess]:
        """The Ray processes of this cluster still running on the machine.

        They are recognised by the temporary directory they were started
        with (``RAY_TMPDIR``), so other Ray instances on the machine never
        count. Empty once :meth:`stop` has returned and the workers have
        noticed (within a second or two).
        """
        if self._run_dir is None:
            return []
        return find_ray_processes("RAY_TMPDIR", self._run_dir)

    def stop(self) -> None:
        """Disconnect the driver and stop every node; harmless when already stopped."""
        try:
            stop_ray()
            if self._cluster is not None:
                self._cluster.shutdown()
        finally:
            self._cluster = None
            self._workers = {}
            _mute_driver_error_lines(False)
            restored = bool(self._saved_env)
            for name, value in self._saved_env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            self._saved_env = {}
            if restored:
                _refresh_ray_config()
            if self._temp_dir is not None:
                shutil.rmtree(self._temp_dir, ignore_errors=True)
                self._temp_dir = None

    def _set_env(self, name: str, value: str) -> None:
        self._saved_env.setdefault(name, os.environ.get(name))
        os.environ[name] = value

    def __enter__(self) -> SimulatedCluster:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _refresh_ray_config() -> None:
    """Make this process read ``RAY_AUTH_MODE`` again (Ray caches its configuration)."""
    try:
        from ray._raylet import Config

        Config.initialize("")
    except (ImportError, AttributeError):  # pragma: no cover - other Ray versions
        logging.getLogger(__name__).debug("could not refresh Ray's configuration")


def _mute_driver_error_lines(mute: bool) -> None:
    """Keep Ray's "raylet died" / "task will be retried" notices off the driver's stdout.

    The simulated faults are on purpose; Ray prints these notices from a
    background thread of the driver whatever the logging level. Exceptions
    are not affected: a task that fails for good still raises in ``ray.get``.
    """
    worker_module = getattr(getattr(ray, "_private", None), "worker", None)
    if worker_module is not None and hasattr(worker_module, "_worker_logs_enabled"):
        worker_module._worker_logs_enabled = not mute
