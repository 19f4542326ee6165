"""Estimates of pi with their error bars: a sweep against N, and an actor's running estimate."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from bokeh.models import ColumnDataSource, Range1d, Span, Whisker

from ..actors import EstimateSnapshot
from ._style import BLUE, GREEN, new_figure

__all__ = ["estimates_figure", "refinement_figure"]


def _estimates_plot(data: dict, x: str, y: str, label: str, *, joined: bool = False, **options):
    """Markers at ``y``, whiskers from ``lower`` to ``upper`` and pi dashed, on a log ``x`` axis."""
    # Bokeh's automatic ranges ignore whiskers: fit the y range to them and to pi.
    low, high = min([*data["lower"], math.pi]), max([*data["upper"], math.pi])
    pad = 0.08 * (high - low) or 0.01
    y_range = Range1d(low - pad, high + pad)
    fig = new_figure(height=330, x_axis_type="log", y_range=y_range, **options)
    fig.yaxis.axis_label = "estimate of π"
    fig.add_layout(
        Span(
            location=math.pi, dimension="width", line_color=GREEN, line_dash="dashed", line_width=2
        )
    )
    source = ColumnDataSource(data)
    fig.add_layout(Whisker(base=x, lower="lower", upper="upper", source=source, line_color=BLUE))
    if joined:
        fig.line(x, y, source=source, color=BLUE, line_alpha=0.4)
    fig.hover.renderers = [fig.scatter(x, y, source=source, size=8, color=BLUE, legend_label=label)]
    return fig


def estimates_figure(sizes: Sequence[int], estimates: Sequence[Sequence[float]]):
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
        Markers and whiskers over the columns ``n``, ``mean``, ``lower`` and ``upper``.

    Raises
    ------
    ValueError
        If ``sizes`` is empty, the lengths differ, or a size has fewer than two estimates.
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
    counts = [len(group) for group in groups]
    data = {
        "n": sizes,
        "mean": means,
        "stdev": stdevs,
        "lower": [m - s for m, s in zip(means, stdevs, strict=True)],
        "upper": [m + s for m, s in zip(means, stdevs, strict=True)],
        "count": counts,
    }
    listed = ", ".join(f"{c:,}" for c in sorted(set(counts)))
    tooltips = [
        ("N", "@n{0,0}"),
        ("mean", "@mean{0.00000}"),
        ("std. dev.", "@stdev{0.00000}"),
        ("estimates", "@count"),
    ]
    title = f"Mean of {listed} estimates ± 1 standard deviation vs N"
    fig = _estimates_plot(
        data, "n", "mean", "mean of the estimates", title=title, tooltips=tooltips
    )
    fig.xaxis.axis_label = "N (darts per estimate)"
    return fig


def refinement_figure(snapshots: Sequence[EstimateSnapshot]):
    """Plot a cumulative estimate of pi, +/- 2 standard errors, against the darts thrown so far.

    Parameters
    ----------
    snapshots : sequence of EstimateSnapshot
        States of a :class:`~raycourse.actors.CumulativeEstimator`, in order.

    Returns
    -------
    bokeh.plotting.figure
        Markers and whiskers over the columns ``darts``, ``estimate``, ``lower`` and ``upper``.

    Raises
    ------
    TypeError, ValueError
        If ``snapshots`` is empty or holds anything but EstimateSnapshot objects.
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
    title = (
        f"One actor, {len(snapshots)} calls: the estimate after "
        f"{snapshots[0].darts:,} to {snapshots[-1].darts:,} darts (± 2 standard errors)"
    )
    tooltips = [
        ("darts", "@darts{0,0}"),
        ("estimate", "@estimate{0.000000}"),
        ("error", "@error{+0.000000}"),
    ]
    fig = _estimates_plot(
        data, "darts", "estimate", "estimate", joined=True, title=title, tooltips=tooltips
    )
    fig.xaxis.axis_label = "darts thrown so far"
    return fig
