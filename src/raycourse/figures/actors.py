"""Figures of the Actors lesson: progress seen by the driver, and an estimate refined."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bokeh.models import ColumnDataSource, Whisker

from ..actors import EstimateSnapshot, ProgressRun
from ._style import BLUE, add_hover, add_pi_line, new_figure

__all__ = ["progress_figure", "refinement_figure"]


def progress_figure(run: ProgressRun, *, title: str | None = None, height: int = 260):
    """Plot the darts thrown against time, as the driver saw them at each poll.

    Parameters
    ----------
    run : ProgressRun
        The outcome of :func:`raycourse.actors.estimate_pi_with_progress`.

    Returns
    -------
    bokeh.plotting.figure
        A step line and markers over the columns ``seconds``, ``darts`` and ``percent``.

    Raises
    ------
    TypeError
        If ``run`` is not a ProgressRun.
    """
    if not isinstance(run, ProgressRun):
        raise TypeError(f"run must be a ProgressRun, got {run!r}")
    total = run.final.total_darts
    seconds = [0.0] + [s for s, _ in run.history]
    darts = [0] + [d for _, d in run.history]
    source = ColumnDataSource(
        {"seconds": seconds, "darts": darts, "percent": [100 * d / total for d in darts]}
    )
    if title is None:
        title = (
            f"Progress seen by the driver: {total:,} darts, "
            f"{run.final.total_tasks} tasks, {run.polls} polls"
        )
    fig = new_figure(
        title=title,
        height=height,
        x_axis_label="seconds since the estimate started",
        y_axis_label="darts thrown",
    )
    fig.yaxis.formatter.use_scientific = False
    fig.step("seconds", "darts", source=source, mode="after", line_width=2, color=BLUE)
    markers = fig.scatter("seconds", "darts", source=source, size=6, color=BLUE)
    tooltips = [("time", "@seconds{0.00} s"), ("darts", "@darts{0,0}"), ("done", "@percent{0.0} %")]
    add_hover(fig, tooltips, renderers=[markers])
    return fig


def refinement_figure(
    snapshots: Sequence[EstimateSnapshot], *, title: str | None = None, height: int = 320
):
    """Plot a cumulative estimate of pi against the darts thrown so far.

    Parameters
    ----------
    snapshots : sequence of EstimateSnapshot
        States of a :class:`~raycourse.actors.CumulativeEstimator`, in order.

    Returns
    -------
    bokeh.plotting.figure
        Markers at the estimates, whiskers at +/- 2 standard errors and a
        dashed line at pi, on a logarithmic darts axis.

    Raises
    ------
    ValueError
        If ``snapshots`` is empty.
    TypeError
        If an item is not an EstimateSnapshot.
    """
    snapshots = list(snapshots)
    if not snapshots:
        raise ValueError("snapshots must hold at least one EstimateSnapshot, got none")
    for position, item in enumerate(snapshots):
        if not isinstance(item, EstimateSnapshot):
            raise TypeError(f"snapshots[{position}] must be an EstimateSnapshot, got {item!r}")
    data = {
        "darts": [s.darts for s in snapshots],
        "estimate": [s.estimate for s in snapshots],
        "error": [s.estimate - math.pi for s in snapshots],
        "lower": [s.estimate - 2 * s.standard_error for s in snapshots],
        "upper": [s.estimate + 2 * s.standard_error for s in snapshots],
    }
    if title is None:
        title = (
            f"One actor, {len(snapshots)} calls: the estimate after "
            f"{snapshots[0].darts:,} to {snapshots[-1].darts:,} darts (± 2 standard errors)"
        )
    fig = new_figure(
        title=title,
        height=height,
        x_axis_type="log",
        x_axis_label="darts thrown so far",
        y_axis_label="estimate of π",
    )
    source = ColumnDataSource(data)
    add_pi_line(fig)
    fig.add_layout(
        Whisker(base="darts", lower="lower", upper="upper", source=source, line_color=BLUE)
    )
    fig.line("darts", "estimate", source=source, color=BLUE, line_alpha=0.4)
    markers = fig.scatter(
        "darts", "estimate", source=source, size=8, color=BLUE, legend_label="estimate"
    )
    tooltips = [
        ("darts", "@darts{0,0}"),
        ("estimate", "@estimate{0.000000}"),
        ("error", "@error{+0.000000}"),
    ]
    add_hover(fig, tooltips, renderers=[markers])
    fig.legend.location = "top_right"
    return fig
