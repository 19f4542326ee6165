"""Collect Ray results in the order tasks finish, with a progress bar on request.

The course's rule for progress bars: a library call never shows one unless it
is asked to (``progress=True``), so a loop of calls prints nothing per call. A
page asks for one bar where a reader waits for one long job. The static site
shows no bars at all: its build sets tqdm's own ``TQDM_DISABLE`` switch.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

import ray

__all__ = ["DISABLE_ENV_VAR", "as_completed", "open_bar"]

#: tqdm's own switch; the site build sets it so that no page shows a bar.
DISABLE_ENV_VAR = "TQDM_DISABLE"


def _disabled_by_environment() -> bool:
    # tqdm reads this variable for its terminal bar, but its notebook bar
    # overrides `disable` itself: passing it on silences both.
    return os.environ.get(DISABLE_ENV_VAR, "").strip().lower() in {"1", "true", "yes", "on"}


def open_bar(total: int, description: str, *, unit: str = "it", unit_scale: bool = False) -> Any:
    """Return a tqdm bar of ``total`` steps: a widget in Jupyter, text in a terminal.

    Parameters
    ----------
    total : int
        Number of steps the bar counts to.
    description : str
        Label in front of the bar.
    unit : str, optional
        Name of one step.
    unit_scale : bool, optional
        Show large counts with SI prefixes (``268M darts``).

    Returns
    -------
    tqdm.auto.tqdm
        The bar; the caller updates and closes it. With ``TQDM_DISABLE=1`` in
        the environment (the site build sets it) the bar is silent.
    """
    # Imported here: choosing the notebook or terminal bar inspects IPython.
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        desc=description,
        unit=unit,
        unit_scale=unit_scale,
        disable=_disabled_by_environment(),
    )


def as_completed(
    refs: Sequence[ray.ObjectRef],
    *,
    progress: bool = False,
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
        Show one tqdm progress bar over all the refs. Off by default, so that
        a loop of calls shows no bar per call.
    description : str, optional
        Label of the progress bar.

    Yields
    ------
    tuple of (int, object)
        The position of the finished ref and its value.

    Raises
    ------
    TypeError
        If ``refs`` holds anything but ``ray.ObjectRef`` objects, or
        ``progress`` is not a bool.
    """
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got {progress!r}")
    refs = list(refs)
    for position, ref in enumerate(refs):
        if not isinstance(ref, ray.ObjectRef):
            raise TypeError(f"refs[{position}] must be a ray.ObjectRef, got {ref!r}")
    bar = open_bar(len(refs), description, unit="task") if progress else None
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
