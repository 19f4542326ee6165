"""This machine's Ray processes, read from Linux's ``/proc``, and a free TCP port.

:class:`raycourse.cluster.SimulatedCluster` finds its processes with it (``tools/`` too).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

# Command-line fragments of Ray's processes: workers rename themselves
# ("ray::IDLE"), the rest run from the installed ``ray`` package.
_RAY_SIGNATURES = ("ray::", "/ray/core/src/ray/", "/site-packages/ray/", "/bin/ray ")


@dataclass(frozen=True)
class RayProcess:
    """A running Ray process: its pid and its command line (arguments joined by spaces)."""

    pid: int
    command: str

    def still_runs(self) -> bool:
        """Whether it runs still, and is not another process that was given its pid."""
        return is_alive(self.pid) and _ray_command(self.pid) == self.command


def _read(path: Path) -> bytes | None:
    """The file's bytes, or None if the process exited or is not ours to read."""
    try:
        return path.read_bytes()
    except OSError:
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
    """The live Ray processes but this one whose environment has ``env_var=value``, by pid.

    Ray's processes inherit the environment of the process that starts them, so a
    variable set before Ray starts marks them, even once re-parented to ``init``. A
    process that renames itself with a long title (Ray's agents) may overwrite what
    ``/proc`` shows of its environment: the descendants of a marked process count too.
    """
    marker = f"{env_var}={value}".encode()
    found = {}
    for pid in _pids():
        environ = _read(Path(f"/proc/{pid}/environ"))
        if pid != os.getpid() and environ and marker in environ.split(b"\0"):
            found[pid] = _ray_command(pid)
    parents = set(found)
    while children := set(child_pids(parents)) - set(found) - {os.getpid()}:
        found.update((pid, _ray_command(pid)) for pid in children)
        parents = children
    return [
        RayProcess(pid=pid, command=command)
        for pid, command in sorted(found.items())
        if command is not None and is_alive(pid)
    ]


def _ray_command(pid: int) -> str | None:
    """The process's command line if it is one of Ray's, else None."""
    raw = _read(Path(f"/proc/{pid}/cmdline")) or b""
    command = raw.replace(b"\0", b" ").decode(errors="replace").strip()
    return command if any(signature in command for signature in _RAY_SIGNATURES) else None


def child_pids(parents: set[int]) -> list[int]:
    """Pids of the live processes whose parent is in ``parents``."""
    return [pid for pid in _pids() if (fields := _stat(pid)) and int(fields[1]) in parents]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
