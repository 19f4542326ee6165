"""Figures of the Tasks lesson: estimates against N, and the task timeline."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from bokeh.models import ColumnDataSource, Range1d, Whisker

from ._style import BLUE, RED, add_hover, add_lane_bars, add_pi_line, new_figure

__all__ = ["estimates_figure", "timeline_figure"]


def estimates_figure(
    sizes: Sequence[int],
    estimates: Sequence[Sequence[float]],
    *,
    title: str | None = None,
    height: int = 350,
):
    """Plot the mean estimate +/- one standard deviation against N, with pi marked.

    Parameters
    ----------
    sizes : sequence of int
        N, the darts per estimate, at each point.
    estimates : sequence of sequences of float
        The estimates made at each size, two or more per size.

    Returns
    -------
    bokeh.plotting.figure
        Markers at the means and whiskers at +/- one standard deviation over
        the columns ``n``, ``mean``, ``lower`` and ``upper``; a dashed line at
        pi; a logarithmic N axis.

    Raises
    ------
    ValueError
        If ``sizes`` is empty, the lengths differ, or a size has fewer than
        two estimates.
    """
    sizes = [int(n) for n in sizes]
    groups = [[float(value) for value in group] for group in estimates]
    if not sizes or len(groups) != len(sizes):
        raise ValueError(
            f"need one group of estimates per size: {len(sizes)} sizes, {len(groups)} groups"
        )
    for n, group in zip(sizes, groups, strict=True):
        if len(group) < 2:
            raise ValueError(f"estimates at N = {n:,} must hold at least two values, got {group!r}")
    means = [statistics.fmean(group) for group in groups]
    stdevs = [statistics.stdev(group) for group in groups]
    data = {
        "n": sizes,
        "mean": means,
        "stdev": stdevs,
        "lower": [m - s for m, s in zip(means, stdevs, strict=True)],
        "upper": [m + s for m, s in zip(means, stdevs, strict=True)],
        "count": [len(group) for group in groups],
    }
    # Bokeh's automatic ranges ignore whiskers: fit the y range to them and to pi.
    low, high = min([*data["lower"], math.pi]), max([*data["upper"], math.pi])
    pad = 0.08 * (high - low) or 0.01
    if title is None:
        counts = ", ".join(f"{c:,}" for c in sorted(set(data["count"])))
        title = f"Mean of {counts} estimates ± 1 standard deviation vs N"
    fig = new_figure(
        title=title,
        height=height,
        x_axis_type="log",
        y_range=Range1d(low - pad, high + pad),
        x_axis_label="N (darts per estimate)",
        y_axis_label="estimate of π",
    )
    add_pi_line(fig)
    source = ColumnDataSource(data)
    fig.add_layout(Whisker(base="n", lower="lower", upper="upper", source=source, line_color=BLUE))
    fig.scatter(
        "n", "mean", source=source, size=8, color=BLUE, legend_label="mean of the estimates"
    )
    add_hover(
        fig,
        [
            ("N", "@n{0,0}"),
            ("mean", "@mean{0.00000}"),
            ("std. dev.", "@stdev{0.00000}"),
            ("estimates", "@count"),
        ],
    )
    fig.legend.location = "top_right"
    return fig


def _check_span(position: int, span: object) -> tuple[str, float, float]:
    """One ``(worker, start, end)`` span, checked."""
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
        ``(worker, start, end)`` of each run, in seconds from any common origin.

    Returns
    -------
    bokeh.plotting.figure
        Bars over the columns ``row``, ``left``, ``right`` and ``seconds``.

    Raises
    ------
    TypeError, ValueError
        If ``spans`` is empty, or a span is not a triple ending at or after its start.
    """
    checked = sorted((_check_span(i, span) for i, span in enumerate(spans)), key=lambda s: s[1])
    if not checked:
        raise ValueError("spans must hold at least one (worker, start, end) triple, got none")
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
    fig = new_figure(
        title=f"{len(checked)} task runs on {len(workers)} worker(s)" if title is None else title,
        height=height,
        y_range=[label_of[worker] for worker in reversed(workers)],
        x_axis_label="seconds since the first task started",
    )
    add_lane_bars(fig, source, "row", fill_color=RED, line_color="white")
    add_hover(fig, [("", "@task"), ("start", "@left{0.000} s"), ("ran for", "@seconds{0.000} s")])
    fig.ygrid.grid_line_color = None
    return fig
