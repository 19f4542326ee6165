"""The estimates of a sweep: their mean and spread against N, with pi marked."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from bokeh.models import ColumnDataSource, Range1d, Whisker

from ._style import BLUE, add_hover, add_pi_line, new_figure

__all__ = ["estimates_figure"]


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
        The estimates made at each size (two or more per size).
    title : str, optional
        Figure title; by default one that says how many estimates each point has.
    height : int, optional
        Height in pixels; the width stretches to the page.

    Returns
    -------
    bokeh.plotting.figure
        Markers at the means (columns ``n``, ``mean``), whiskers at +/- one
        standard deviation (``lower``, ``upper``) and a dashed line at pi, on a
        logarithmic N axis.

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
    source = ColumnDataSource(data)
    # Whiskers are annotations, which Bokeh's automatic ranges ignore: fit the
    # y range to the bars and to pi explicitly.
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
