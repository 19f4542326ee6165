"""Estimates of pi with their error bars: a sweep against N, and an actor's running estimate."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from bokeh.models import ColumnDataSource, Range1d, Span, Whisker

from .._checks import check_int
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


def refinement_figure(darts: Sequence[int], inside: Sequence[int]):
    """Plot a cumulative estimate of pi, +/- 2 standard errors, against the darts thrown so far.

    Parameters
    ----------
    darts : sequence of int
        Darts thrown so far, after each call of the estimator.
    inside : sequence of int
        How many of them landed inside the circle, at the same calls.

    Returns
    -------
    bokeh.plotting.figure
        Markers and whiskers over the columns ``darts``, ``estimate``, ``lower`` and ``upper``.

    Raises
    ------
    TypeError, ValueError
        If the sequences are empty or differ in length, or a count is no integer or impossible.
    """
    if not darts or len(darts) != len(inside):
        raise ValueError(
            f"darts and inside must hold one count per call: {len(darts)} and {len(inside)}"
        )
    darts = [check_int(f"darts[{i}]", n) for i, n in enumerate(darts)]
    inside = [check_int(f"inside[{i}]", k, minimum=0) for i, k in enumerate(inside)]
    for i, (n, k) in enumerate(zip(darts, inside, strict=True)):
        if k > n:
            raise ValueError(f"inside[{i}] must be at most darts[{i}] = {n:,}, got {k:,}")
    estimates = [4 * k / n for n, k in zip(darts, inside, strict=True)]
    # Standard error of 4 * (hit rate p) from n darts: 4 * sqrt(p * (1 - p) / n).
    errors = [4 * math.sqrt(e / 4 * (1 - e / 4) / n) for e, n in zip(estimates, darts, strict=True)]
    data = {
        "darts": darts,
        "estimate": estimates,
        "error": [e - math.pi for e in estimates],
        "lower": [e - 2 * se for e, se in zip(estimates, errors, strict=True)],
        "upper": [e + 2 * se for e, se in zip(estimates, errors, strict=True)],
    }
    title = (
        f"One actor, {len(darts)} calls: the estimate after "
        f"{darts[0]:,} to {darts[-1]:,} darts (± 2 standard errors)"
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
