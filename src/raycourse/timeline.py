"""Which worker ran which task, and when: the runs of a task in Ray's timeline."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ray

from ._checks import check_int, check_positive_real

__all__ = ["TaskSpan", "spans_from_events", "task_spans"]

# Events of executed tasks carry this category prefix in `ray.timeline()`; the
# other events (submission, argument fetching, result storing) are left out.
_TASK_CATEGORY = "task::"


@dataclass(frozen=True)
class TaskSpan:
    """One run of a task: where it ran and when.

    Attributes
    ----------
    name : str
        The task function's qualified name, as Ray records it.
    node : str
        The address of the node that ran the task.
    worker : str
        The worker process that ran it (Ray's worker id, shortened).
    start, end : float
        Wall-clock start and end, in seconds since the epoch.
    """

    name: str
    node: str
    worker: str
    start: float
    end: float

    @property
    def seconds(self) -> float:
        """How long the task ran."""
        return self.end - self.start


def spans_from_events(
    events: Iterable[Mapping[str, Any]], task_name: str, *, since: float = 0.0
) -> list[TaskSpan]:
    """Pick the runs of one task function out of ``ray.timeline()`` events.

    Parameters
    ----------
    events : iterable of mapping
        Events as ``ray.timeline()`` returns them (Chrome trace format:
        microsecond ``ts`` and ``dur``, the node in ``pid``, the worker in ``tid``).
    task_name : str
        The task function's name, with or without its module (``"estimate_pi_task"``
        matches ``"__main__.estimate_pi_task"``).
    since : float, optional
        Leave out tasks that started before this time (seconds since the epoch).

    Returns
    -------
    list of TaskSpan
        Ordered by start time.
    """
    spans = []
    for event in events:
        category = str(event.get("cat", ""))
        name = str(event.get("name", ""))
        if not category.startswith(_TASK_CATEGORY):
            continue
        if name != task_name and not name.endswith(f".{task_name}"):
            continue
        start = float(event["ts"]) / 1e6
        if start < since:
            continue
        worker = str(event.get("tid", "")).removeprefix("worker:")[:8]
        end = start + float(event["dur"]) / 1e6
        spans.append(TaskSpan(name, str(event.get("pid", "")), worker, start, end))
    return sorted(spans, key=lambda span: span.start)


def task_spans(
    task_name: str, *, since: float, count: int, timeout: float = 30.0
) -> list[TaskSpan]:
    """Return the runs of a task function since ``since``, from ``ray.timeline()``.

    Workers report finished tasks about once a second, so this polls the
    timeline until ``count`` runs have arrived.

    Parameters
    ----------
    task_name : str
        The task function's name (e.g. ``"estimate_pi_task"``).
    since : float
        Only tasks started after this ``time.time()`` value count.
    count : int
        How many runs to wait for.
    timeout : float, optional
        Seconds to wait for them.

    Returns
    -------
    list of TaskSpan
        At least ``count`` spans, ordered by start time.

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or value.
    TimeoutError
        If fewer than ``count`` runs were reported within ``timeout``.
    """
    if not isinstance(task_name, str) or not task_name:
        raise TypeError(f"task_name must be a non-empty string, got {task_name!r}")
    since = check_positive_real("since", since, allow_zero=True)
    count = check_int("count", count)
    timeout = check_positive_real("timeout", timeout)
    deadline = time.monotonic() + timeout
    while True:
        spans = spans_from_events(ray.timeline(), task_name, since=since)
        if len(spans) >= count:
            return spans
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"ray.timeline() reported {len(spans)} of {count} runs of {task_name!r} "
                f"within {timeout} s"
            )
        time.sleep(0.25)
