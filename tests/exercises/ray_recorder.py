"""A look at what Ray is asked to do while an answer runs.

:class:`RayRecorder` watches the driver while a student's function runs: each
task submitted (whatever remote function, whether called with ``.remote`` or
``.options(...).remote``: all go through ``RemoteFunction._remote``), and each
call to ``ray.get`` or ``ray.wait``, in order. :func:`run_task_locally` replays
one submitted task as a plain function call in this process, so that its peak
memory can be measured with :mod:`tracemalloc` (NumPy reports its array buffers
to tracemalloc) and its own calls to ``ray.get`` can be seen.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ray
from ray.remote_function import RemoteFunction

__all__ = ["LocalRun", "RayRecorder", "Submission", "run_task_locally"]


@dataclass
class Submission:
    """One task submitted to Ray: the plain Python function and its arguments."""

    function: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    @property
    def name(self) -> str:
        return getattr(self.function, "__qualname__", repr(self.function))


@dataclass
class RayRecorder:
    """Record task submissions and ``ray.get``/``ray.wait`` calls in this process.

    Use as a context manager; everything still runs as usual. ``events`` holds
    ``("submit", Submission)``, ``("get", None)`` and ``("wait", None)`` in the
    order they happened.
    """

    events: list[tuple[str, Submission | None]] = field(default_factory=list)

    @property
    def submissions(self) -> list[Submission]:
        return [item for kind, item in self.events if kind == "submit"]

    def calls(self, *kinds: str) -> int:
        """How many events of the given kinds were recorded."""
        return sum(kind in kinds for kind, _ in self.events)

    def __enter__(self) -> RayRecorder:
        self._saved = (RemoteFunction._remote, ray.get, ray.wait)
        original_remote, original_get, original_wait = self._saved
        events = self.events

        def remote(function_self, args=None, kwargs=None, **options):
            submission = Submission(function_self._function, tuple(args or ()), dict(kwargs or {}))
            events.append(("submit", submission))
            return original_remote(function_self, args=args, kwargs=kwargs, **options)

        def get(*args, **kwargs):
            events.append(("get", None))
            return original_get(*args, **kwargs)

        def wait(*args, **kwargs):
            events.append(("wait", None))
            return original_wait(*args, **kwargs)

        RemoteFunction._remote = remote
        ray.get = get
        ray.wait = wait
        return self

    def __exit__(self, *exc_info: object) -> None:
        RemoteFunction._remote, ray.get, ray.wait = self._saved


def _resolve(value: Any) -> Any:
    # Ray hands a task the values of ObjectRefs passed as top-level arguments.
    return ray.get(value) if isinstance(value, ray.ObjectRef) else value


@dataclass
class LocalRun:
    """The outcome of :func:`run_task_locally`."""

    result: Any
    peak_bytes: int
    ray_get_calls: int


def run_task_locally(submission: Submission) -> LocalRun:
    """Call a submitted task's function here, measuring its peak memory and its Ray calls."""
    args = tuple(_resolve(a) for a in submission.args)
    kwargs = {key: _resolve(value) for key, value in submission.kwargs.items()}
    already_tracing = tracemalloc.is_tracing()
    if not already_tracing:
        tracemalloc.start()
    try:
        with RayRecorder() as recorder:
            tracemalloc.reset_peak()
            baseline = tracemalloc.get_traced_memory()[0]
            result = submission.function(*args, **kwargs)
            peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        if not already_tracing:
            tracemalloc.stop()
    return LocalRun(result, max(peak, 0), recorder.calls("get", "wait"))
