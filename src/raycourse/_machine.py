"""This machine's processes (read from Linux's ``/proc``) and a free TCP port.

The one place that parses ``/proc``: :class:`raycourse.cluster.SimulatedCluster`
uses it to find its own processes, and the test tooling in ``tools/`` builds
on it.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

# Command-line fragments that identify Ray's own processes. Workers rename
# themselves ("ray::IDLE", "ray::count_inside_task"), the rest run from the
# installed ``ray`` package.
_RAY_SIGNATURES = ("ray::", "/ray/core/src/ray/", "/site-packages/ray/", "/bin/ray ")


@dataclass(frozen=True)
class RayProcess:
    """A running Ray process: its pid and its command line (arguments joined by spaces)."""

    pid: int
    command: str

    @property
    def name(self) -> str:
        """A short name: ``raylet``, ``gcs_server``, ``ray::IDLE``, ``default_worker.py``..."""
        words = self.command.split(" ")
        if words[0].startswith("ray::"):
            return words[0]
        program = words[0].rsplit("/", 1)[-1]
        if program.startswith("python"):
            # A Python process is named after its script.
            return next((w.rsplit("/", 1)[-1] for w in words[1:] if w.endswith(".py")), program)
        return program


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # the process exited, or is not ours to read
        return None


def _stat(pid: int | str) -> list[bytes] | None:
    """Fields of ``/proc/<pid>/stat`` after the command name (state first, then the parent)."""
    stat = _read(Path(f"/proc/{pid}/stat"))
    return None if stat is None else stat.rsplit(b")", 1)[-1].split()


def is_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, exited but not yet reaped, does not)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != b"Z"


def _pids() -> list[int]:
    return sorted(int(entry.name) for entry in os.scandir("/proc") if entry.name.isdigit())


def find_ray_processes(env_var: str, value: str) -> list[RayProcess]:
    """The live Ray processes, other than this one, whose environment has ``env_var=value``.

    Ray's processes inherit the environment of the process that starts them,
    so a variable set before Ray starts marks all of them, even once they have
    been re-parented to ``init``. Sorted by pid.
    """
    if not isinstance(value, str) or not value:
        raise ValueError(f"value must be a non-empty string, got {value!r}")
    marker = f"{env_var}={value}".encode()
    found = []
    for pid in _pids():
        environ = _read(Path(f"/proc/{pid}/environ"))
        if pid == os.getpid() or environ is None or marker not in environ.split(b"\0"):
            continue
        raw = _read(Path(f"/proc/{pid}/cmdline")) or b""
        command = raw.replace(b"\0", b" ").decode(errors="replace").strip()
        if is_alive(pid) and any(signature in command for signature in _RAY_SIGNATURES):
            found.append(RayProcess(pid=pid, command=command))
    return found


def child_pids(parents: set[int]) -> list[int]:
    """Pids of the live processes whose parent is in ``parents``."""
    children = []
    for pid in _pids():
        fields = _stat(pid)
        if fields is not None and int(fields[1]) in parents:
            children.append(pid)
    return children


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
