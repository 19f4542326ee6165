"""How much of the machine's CPUs other programs took while something ran.

A timing on a shared machine measures the machine as much as the code. This
module measures the machine: the CPU time that processes *outside* the
caller's own processes used over an interval, as a share of all the CPU time
the machine had. The caller's own processes are its process tree and, when it
is connected to Ray, the processes of that Ray session on this machine (GCS,
raylet, agents, workers), whoever started them; so is a Ray that the caller's
parent started (a book build starts one Ray for all its pages, and a page may
time code before it joins it). A busy neighbour (another build, a browser, a
compiler) counts as others. It reads Linux's ``/proc``;
elsewhere the share is unknown (``None``).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

__all__ = ["OthersShare"]

_PROC = Path("/proc")
_SESSION_DIR = re.compile(r"--session[-_]dir=([^\0\s]+)")


def _machine_ticks() -> tuple[int, int] | None:
    """Return (busy, total) clock ticks of all CPUs since boot, or None without /proc."""
    try:
        fields = (_PROC / "stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(value) for value in fields[:8]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return sum(ticks) - idle, sum(ticks)


def _process_table() -> dict[int, tuple[int, int]]:
    """Return each process's parent id and CPU ticks (its own and its reaped children's)."""
    table = {}
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended while we looked
        # The command name is in parentheses and may hold spaces: split after it.
        fields = raw[raw.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), sum(int(value) for value in fields[11:15]))
    return table


def _tree(table: dict[int, tuple[int, int]], roots: set[int]) -> set[int]:
    """Return ``roots`` and all their descendants in ``table``."""
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    tree, stack = set(), list(roots)
    while stack:
        pid = stack.pop()
        if pid not in tree:
            tree.add(pid)
            stack.extend(children.get(pid, ()))
    return tree


def _ray_session_folders() -> set[str]:
    """Return the session folders of the Ray this process is connected to, if any."""
    ray = sys.modules.get("ray")  # a program that never imported Ray has no session
    if ray is None or not ray.is_initialized():
        return set()
    # Every node's raylet socket lives in <session folder>/sockets/.
    return {str(Path(node["RayletSocketName"]).parent.parent) for node in ray.nodes()}


def _command(pid: int) -> str:
    """Return a process's command line, NUL-separated, or "" if it ended."""
    try:
        return (_PROC / str(pid) / "cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def _parent_ray_folders(table: dict[int, tuple[int, int]], root: int) -> set[str]:
    """Return the session folders of the Ray heads that ``root``'s parent started itself."""
    parent = table.get(root, (0, 0))[0]
    if parent <= 1:  # init adopts every daemon: what it holds is nobody's in particular
        return set()
    folders = set()
    for pid, (ppid, _) in table.items():
        if ppid == parent and pid != root:
            folders.update(_SESSION_DIR.findall(_command(pid)))
    return folders


def _others_ticks(
    table_0: dict[int, tuple[int, int]], table: dict[int, tuple[int, int]], own: set[int]
) -> int:
    """Return the ticks that processes outside ``own`` used between two process tables."""
    # A process that ends hands its parent all its ticks, those from before the interval
    # too, when the parent reaps it (and up the chain, if the parent ends as well): take
    # those back from the living ancestor that got them. Ticks used within the interval
    # stay counted, so a compiler's short-lived jobs still count.
    before_end: dict[int, int] = {}
    for pid, (parent, ticks) in table_0.items():
        if pid in table:
            continue
        while parent not in table and parent in table_0:
            parent = table_0[parent][0]
        before_end[parent] = before_end.get(parent, 0) + ticks
    return sum(
        max(0, ticks - table_0.get(pid, (0, 0))[1] - before_end.get(pid, 0))
        for pid, (_, ticks) in table.items()
        if pid not in own
    )


def _ray_session_roots(table: dict[int, tuple[int, int]], folders: set[str]) -> set[int]:
    """Return the processes whose command line names one of the session ``folders``."""
    if not folders:
        return set()
    roots = set()
    for pid in table:
        command = _command(pid)
        if any(folder in command for folder in folders):
            roots.add(pid)
    return roots


class OthersShare:
    """Measure the share of the CPUs that other processes took, as a context manager.

    Examples
    --------
    >>> with OthersShare() as others:
    ...     total = sum(range(10**6))
    >>> others.share is None or 0.0 <= others.share <= 1.0
    True
    """

    def __init__(self, root: int | None = None) -> None:
        self.root = os.getpid() if root is None else root
        self.share: float | None = None
        self._start: tuple[tuple[int, int], dict[int, tuple[int, int]], set[int]] | None = None
        self._folders: set[str] = set()

    def _own(self, table: dict[int, tuple[int, int]]) -> set[int]:
        return _tree(table, {self.root} | _ray_session_roots(table, self._folders))

    def __enter__(self) -> OthersShare:
        machine = _machine_ticks()
        if machine is not None:
            self._folders = _ray_session_folders()  # asked once: they last the whole interval
            table = _process_table()
            self._folders |= _parent_ray_folders(table, self.root)
            self._start = (machine, table, self._own(table))
        return self

    def __exit__(self, *exc_info: object) -> None:
        machine = _machine_ticks()
        if self._start is None or machine is None:
            return
        (_, total_0), table_0, own_0 = self._start
        table = _process_table()
        own = own_0 | self._own(table)
        # Others' ticks are counted, not inferred from ours: an own worker that ended
        # meanwhile (a killed actor) takes its ticks with it instead of lending them to
        # others. A process that started meanwhile counts from zero.
        others = _others_ticks(table_0, table, own)
        total = machine[1] - total_0
        if total > 0:
            self.share = min(1.0, others / total)
