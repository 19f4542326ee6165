"""How much of the machine's CPUs other programs took while something ran.

A timing on a shared machine measures the machine as much as the code. This
module measures the machine: the CPU time that processes *outside* the
caller's own process tree used over an interval, as a share of all the CPU
time the machine had. The caller's tree is its own process and every
descendant, so a Jupyter kernel that started Ray counts Ray's raylet and
workers as its own; a busy neighbour (another build, a browser, a compiler)
counts as others. It reads Linux's ``/proc``; elsewhere the share is unknown
(``None``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["OthersShare"]

_PROC = Path("/proc")


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


def _tree(table: dict[int, tuple[int, int]], root: int) -> set[int]:
    """Return ``root`` and all its descendants in ``table``."""
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    tree, stack = set(), [root]
    while stack:
        pid = stack.pop()
        if pid not in tree:
            tree.add(pid)
            stack.extend(children.get(pid, ()))
    return tree


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
        self._start: tuple[tuple[int, int], dict[int, int]] | None = None

    def _own_ticks(self) -> dict[int, int]:
        table = _process_table()
        return {pid: table[pid][1] for pid in _tree(table, self.root) if pid in table}

    def __enter__(self) -> OthersShare:
        machine = _machine_ticks()
        self._start = None if machine is None else (machine, self._own_ticks())
        return self

    def __exit__(self, *exc_info: object) -> None:
        machine = _machine_ticks()
        if self._start is None or machine is None:
            return
        (busy_0, total_0), own_0 = self._start
        own_1 = self._own_ticks()
        # A process that started meanwhile counts from zero; one that ended is lost
        # (unless its parent in the tree reaped it), which errs towards "others".
        own = sum(ticks - own_0.get(pid, 0) for pid, ticks in own_1.items())
        total = machine[1] - total_0
        if total > 0:
            self.share = min(1.0, max(0.0, (machine[0] - busy_0 - own) / total))
