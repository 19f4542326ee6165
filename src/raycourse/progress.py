"""Collect Ray results in the order tasks finish, with an optional progress bar."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import ray

__all__ = ["as_completed", "in_live_notebook"]

#: Set (to any non-empty value) while the static site is built, so that pages
#: executed for the site print no progress bars. Set by the site extension, raycourse_site.
BUILD_ENV_VAR = "RAYCOURSE_BUILD"


def in_live_notebook() -> bool:
    """Return True inside a Jupyter kernel that is not building the static site."""
    if os.environ.get(BUILD_ENV_VAR):
        return False
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def as_completed(
    refs: Sequence[ray.ObjectRef],
    *,
    progress: bool | None = None,
    description: str = "tasks",
) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, value)`` for each ref as soon as its task finishes.

    Built on :func:`ray.wait`, so a slow task never holds back the results of
    faster ones, unlike ``ray.get`` on the whole list.

    Parameters
    ----------
    refs : sequence of ray.ObjectRef
        Results to wait for. ``index`` is each ref's position in ``refs``.
    progress : bool, optional
        Show a tqdm progress bar. ``None`` (default) shows one only in a live
        Jupyter notebook, never in the built site or a terminal.
    description : str, optional
        Label of the progress bar.

    Yields
    ------
    tuple of (int, object)
        The position of the finished ref and its value.

    Raises
    ------
    TypeError
        If ``refs`` holds anything but ``ray.ObjectRef`` objects.
    """
    refs = list(refs)
    for position, ref in enumerate(refs):
        if not isinstance(ref, ray.ObjectRef):
            raise TypeError(f"refs[{position}] must be a ray.ObjectRef, got {ref!r}")
    if progress is None:
        progress = in_live_notebook()
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(refs), desc=description)
    index_of = {ref: position for position, ref in enumerate(refs)}
    pending = refs
    try:
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            for ref in ready:
                value = ray.get(ref)
                if bar is not None:
                    bar.update(1)
                yield index_of[ref], value
    finally:
        if bar is not None:
            bar.close()
