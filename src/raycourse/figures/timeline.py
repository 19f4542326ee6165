"""The task timeline: one bar per task run, one row per worker."""

from __future__ import annotations

from collections.abc import Sequence

from bokeh.models import ColumnDataSource

from .._checks import check_items
from ..timeline import TaskSpan
from ._style import RED, add_hover, add_lane_bars, new_figure

__all__ = ["timeline_figure"]


def timeline_figure(spans: Sequence[TaskSpan], *, title: str | None = None, height: int = 260):
    """Draw one bar per task run, one row per worker, against seconds from the first start.

    Parameters
    ----------
    spans : sequence of TaskSpan
        The runs to draw, as :func:`raycourse.task_spans` returns them.
    title : str, optional
        Figure title; by default one that counts tasks and workers.
    height : int, optional
        Height in pixels; the width stretches to the page.

    Returns
    -------
    bokeh.plotting.figure

    Raises
    ------
    TypeError, ValueError
        If ``spans`` is empty or holds anything but :class:`TaskSpan`.
    """
    spans = check_items("spans", spans, TaskSpan)
    origin = min(span.start for span in spans)
    rows = sorted({(span.node, span.worker) for span in spans}, key=str)
    labels = [
        f"worker {worker}" if len({n for n, _ in rows}) == 1 else f"{node} {worker}"
        for node, worker in rows
    ]
    label_of = dict(zip(rows, labels, strict=True))
    source = ColumnDataSource(
        {
            "row": [label_of[(span.node, span.worker)] for span in spans],
            "left": [span.start - origin for span in spans],
            "right": [span.end - origin for span in spans],
            "seconds": [span.seconds for span in spans],
            "task": [f"task {index + 1}" for index in range(len(spans))],
        }
    )
    if title is None:
        title = f"{len(spans)} task runs on {len(rows)} worker(s)"
    fig = new_figure(
        title=title,
        height=height,
        y_range=list(reversed(labels)),
        x_axis_label="seconds since the first task started",
    )
    add_lane_bars(fig, source, "row", fill_color=RED, line_color="white")
    add_hover(fig, [("", "@task"), ("start", "@left{0.000} s"), ("ran for", "@seconds{0.000} s")])
    fig.ygrid.grid_line_color = None
    return fig
