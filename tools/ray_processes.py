"""Test tooling: find a run's Ray processes, start a head node, stop only what we started.

Run as ``python tools/ray_processes.py RUN_ID [TIMEOUT]`` (``make leftovers``) to
fail when Ray processes of a run outlived it; tests import it (``tools`` is on
pytest's ``pythonpath``).

Several Ray clusters may run on one machine at once (a notebook's, a test
suite's, a colleague's). Nothing here touches a Ray process that we did not
start: ``ray stop`` would stop them all, so we never call it.

A process is *ours* when its environment carries :data:`RUN_ID_ENV_VAR` with a
given value. Ray's processes (GCS server, raylets, workers, agents) inherit the
environment of the process that starts them, so setting the variable once, in
the driver, a test run or ``make``, marks every Ray process started under it,
even after they have been re-parented to ``init``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from raycourse import _machine
from raycourse._checks import check_int, check_positive_real
from raycourse._machine import free_port, is_alive

__all__ = [
    "RUN_ID_ENV_VAR",
    "HeadNode",
    "RayProcess",
    "find_ray_processes",
    "free_port",
    "stop_processes",
    "wait_for_exit",
]

#: Environment variable whose value marks the Ray processes of one run.
RUN_ID_ENV_VAR = "RAYCOURSE_RUN_ID"


class RayProcess(_machine.RayProcess):
    """A running Ray process (pid and command line), with a short name."""

    @property
    def name(self) -> str:
        """A short name: ``raylet``, ``gcs_server``, ``ray::IDLE``, ``default_worker.py``..."""
        words = self.command.split(" ")
        if words[0].startswith("ray::"):
            return words[0]
        program = words[0].rsplit("/", 1)[-1]
        if program.startswith("python"):  # named after its script
            return next((w.rsplit("/", 1)[-1] for w in words[1:] if w.endswith(".py")), program)
        return program


def find_ray_processes(run_id: str, *, env_var: str = RUN_ID_ENV_VAR) -> list[RayProcess]:
    """Return the live Ray processes whose environment carries ``env_var=run_id``, by pid.

    Raises
    ------
    ValueError
        If ``run_id`` is empty.
    """
    if not isinstance(run_id, str) or not run_id:
        raise ValueError(f"run_id must be a non-empty string, got {run_id!r}")
    return [RayProcess(p.pid, p.command) for p in _machine.find_ray_processes(env_var, run_id)]


def wait_for_exit(run_id: str, *, timeout: float = 15.0) -> list[RayProcess]:
    """Wait until no Ray process of ``run_id`` is left; return the survivors.

    Ray stops its processes asynchronously (a worker notices that its raylet
    is gone within a second or so), so a check right after shutdown would
    report processes that are already on their way out.
    """
    timeout = check_positive_real("timeout", timeout)
    deadline = time.monotonic() + timeout
    while True:
        survivors = find_ray_processes(run_id)
        if not survivors or time.monotonic() >= deadline:
            return survivors
        time.sleep(0.2)


def stop_processes(processes: list[RayProcess], *, grace: float = 5.0) -> None:
    """Send SIGTERM to ``processes``, then SIGKILL to any still alive after ``grace`` s."""
    grace = check_positive_real("grace", grace, allow_zero=True)
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    remaining = list(processes)
    while remaining and time.monotonic() < deadline:
        time.sleep(0.1)
        remaining = [p for p in remaining if is_alive(p.pid)]
    for process in remaining:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)


class HeadNode:
    """A Ray head node started with ``ray start --head``, which only we stop.

    The node runs on 127.0.0.1 with its own temporary directory and its own
    run id, so stopping it cannot touch any other Ray on the machine. Use it as
    a context manager::

        with HeadNode(num_cpus=2) as head:
            ...  # connect with RAY_ADDRESS=head.address

    Parameters
    ----------
    num_cpus : int, optional
        CPUs the node offers.
    port : int, optional
        GCS port; a free one by default.
    """

    def __init__(self, *, num_cpus: int = 2, port: int | None = None) -> None:
        self.num_cpus = check_int("num_cpus", num_cpus)
        self.port = free_port() if port is None else check_int("port", port)
        self.run_id = f"head-{secrets.token_hex(6)}"
        self.temp_dir: str | None = None
        self.start_output = ""

    @property
    def address(self) -> str:
        """``host:port`` of the node's GCS, the value for ``RAY_ADDRESS``."""
        return f"127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 90.0) -> HeadNode:
        """Run ``ray start --head`` and return once the node accepts drivers.

        Raises
        ------
        RuntimeError
            If ``ray start`` fails (the message includes its output) or runs out of
            ``timeout``; whatever it started is stopped first.
        """
        # Short path: Ray's Unix socket paths must stay under 108 bytes.
        self.temp_dir = tempfile.mkdtemp(prefix="rc-")
        env = dict(os.environ)
        env[RUN_ID_ENV_VAR] = self.run_id
        # The address file that ``ray start`` writes (and that a bare
        # ``ray.init()`` would join) goes to our directory, not /tmp/ray.
        env["RAY_TMPDIR"] = self.temp_dir
        env.pop("RAY_ADDRESS", None)
        ray_cli = Path(sys.executable).with_name("ray")
        command = [
            str(ray_cli),
            "start",
            "--head",
            "--node-ip-address=127.0.0.1",
            f"--port={self.port}",
            f"--num-cpus={self.num_cpus}",
            f"--temp-dir={self.temp_dir}",
            "--include-dashboard=false",
            # Ports of its own: another Ray on the machine may hold the default ones.
            f"--dashboard-port={free_port()}",
            f"--dashboard-agent-listen-port={free_port()}",
            "--disable-usage-stats",
        ]
        try:
            result = subprocess.run(
                command,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                start_new_session=True,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            self.stop()  # what it started before it ran out of time
            raise RuntimeError(f"ray start --head took more than {timeout:g} s") from error
        # Keep the output for debugging, never for display: it may show a token notice.
        self.start_output = result.stdout + result.stderr
        if result.returncode != 0:
            self.stop()
            raise RuntimeError(
                f"ray start --head exited with {result.returncode}:\n{self.start_output}"
            )
        return self

    def processes(self) -> list[RayProcess]:
        """The node's live processes (GCS server, raylet, workers, agents)."""
        return find_ray_processes(self.run_id)

    def stop(self, *, timeout: float = 15.0) -> list[RayProcess]:
        """Stop this node's processes, and only them; return any that survived.

        Like ``ray stop``, but limited to this node: the raylet first, then the
        workers and agents, the GCS server last. Stopped all at once, they
        wait for each other and take many seconds to exit.
        """
        processes = self.processes()
        raylets = [p for p in processes if p.name == "raylet"]
        gcs = [p for p in processes if p.name == "gcs_server"]
        for group in (raylets, [p for p in processes if p not in raylets + gcs], gcs):
            stop_processes(group, grace=timeout / 3)
        survivors = wait_for_exit(self.run_id, timeout=timeout)
        if survivors:
            stop_processes(survivors, grace=0)
            survivors = wait_for_exit(self.run_id, timeout=timeout)
        if self.temp_dir is not None and not survivors:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            self.temp_dir = None
        return survivors

    def __enter__(self) -> HeadNode:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _main(argv: list[str]) -> int:
    """``python tools/ray_processes.py RUN_ID [TIMEOUT]``: fail if Ray processes of a run remain.

    Ray processes stop asynchronously, so they get ``TIMEOUT`` seconds (15 by
    default) to go before they count as left behind.
    """
    if len(argv) not in (1, 2):
        print("usage: python tools/ray_processes.py RUN_ID [TIMEOUT]", file=sys.stderr)
        return 2
    timeout = float(argv[1]) if len(argv) == 2 else 15.0
    survivors = wait_for_exit(argv[0], timeout=timeout)
    for process in survivors:
        print(f"left running: pid {process.pid}: {process.command[:120]}")
    if not survivors:
        print(f"no Ray process of run {argv[0]} is left running")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
