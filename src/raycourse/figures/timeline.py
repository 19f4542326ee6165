"""The task timeline: one bar per task run, one row per worker."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bokeh.models import ColumnDataSource

from ._style import RED, add_hover, add_lane_bars, new_figure

__all__ = ["timeline_figure"]


def _check_span(position: int, span: object) -> tuple[str, float, float]:
    """Return one ``(worker, start, end)`` span, checked."""
    if isinstance(span, (str, bytes)) or not isinstance(span, Sequence) or len(span) != 3:
        raise TypeError(f"spans[{position}] must be a (worker, start, end) triple, got {span!r}")
    worker, start, end = str(span[0]), float(span[1]), float(span[2])
    if not (math.isfinite(start) and math.isfinite(end) and end >= start):
        raise ValueError(f"spans[{position}] must end at or after its start, got {span!r}")
    return worker, start, end


def timeline_figure(
    spans: Sequence[tuple[str, float, float]], *, title: str | None = None, height: int = 260
):
    """Draw one bar per task run, one row per worker, against seconds from the first start.

    Parameters
    ----------
    spans : sequence of (str, float, float)
        ``(worker, start, end)`` of each run: the worker that ran it and its
        start and end in seconds (any common origin, such as the epoch).
    title : str, optional
        Figure title; by default one that counts runs and workers.
    height : int, optional
        Height in pixels; the width stretches to the page.

    Returns
    -------
    bokeh.plotting.figure
        Bars over the columns ``row``, ``left``, ``right`` and ``seconds``.

    Raises
    ------
    TypeError, ValueError
        If ``spans`` is empty, or a span is not a triple ending at or after its start.
    """
    checked = [_check_span(position, span) for position, span in enumerate(spans)]
    if not checked:
        raise ValueError("spans must hold at least one (worker, start, end) triple, got none")
    checked.sort(key=lambda span: span[1])
    origin = checked[0][1]
    workers = sorted({worker for worker, _, _ in checked})
    label_of = {worker: f"worker {index + 1}" for index, worker in enumerate(workers)}
    source = ColumnDataSource(
        {
            "row": [label_of[worker] for worker, _, _ in checked],
            "left": [start - origin for _, start, _ in checked],
            "right": [end - origin for _, _, end in checked],
            "seconds": [end - start for _, start, end in checked],
            "task": [f"task {index + 1}" for index in range(len(checked))],
        }
    )
    if title is None:
        title = f"{len(checked)} task runs on {len(workers)} worker(s)"
    fig = new_figure(
        title=title,
        height=height,
        y_range=[label_of[worker] for worker in reversed(workers)],
        x_axis_label="seconds since the first task started",
    )
    add_lane_bars(fig, source, "row", fill_color=RED, line_color="white")
    add_hover(fig, [("", "@task"), ("start", "@left{0.000} s"), ("ran for", "@seconds{0.000} s")])
    fig.ygrid.grid_line_color = None
    return fig
