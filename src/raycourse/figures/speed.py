"""Figures of speed: darts per second, speedup with workers, and time against N."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from bokeh.models import ColumnDataSource, Label, NumeralTickFormatter, Span

from ._style import BLUE, GREEN, GREY, ORANGE, PALETTE, RED, new_figure

__all__ = ["speedup_figure", "throughput_figure", "times_figure"]

_MARKERS = ("circle", "square", "triangle", "diamond", "inverted_triangle")


def _check_series(sizes: Sequence[float], series: Mapping[str, Sequence[float]]) -> list[float]:
    """``sizes`` as floats, checked to be non-empty and as long as every series."""
    sizes = [float(n) for n in sizes]
    if not sizes or not series:
        raise ValueError("sizes and the series must not be empty")
    for name, values in series.items():
        if len(values) != len(sizes):
            raise ValueError(f"{name!r} has {len(values)} values for {len(sizes)} sizes")
    return sizes


def _add_series(fig, data, x, y, label, color, marker="circle", dash="solid"):
    """Draw a line with markers through the columns ``x`` and ``y`` of ``data``."""
    source = ColumnDataSource(data)
    fig.line(x, y, source=source, color=color, line_width=2, line_dash=dash, legend_label=label)
    fig.scatter(x, y, source=source, color=color, size=8, marker=marker, legend_label=label)


def throughput_figure(sizes: Sequence[int], rates: Mapping[str, Sequence[float]]):
    """Million darts per second against N, one line per method; a name with "raw" is dashed.

    Returns
    -------
    bokeh.plotting.figure
        A line and markers per method, over the columns ``n`` and ``rate``.
    """
    _check_series(sizes, rates)
    fig = new_figure(
        title=f"Darts per second on one core, N = {sizes[0]:,} to {sizes[-1]:,}",
        height=350,
        x_axis_type="log",
        x_axis_label="N (darts per call)",
        y_axis_label="million darts per second",
        tooltips=[("", "@name"), ("N", "@n{0,0}"), ("M darts/s", "@rate{0,0}")],
    )
    colors = (ORANGE, BLUE, *PALETTE[2:])
    for i, (name, values) in enumerate(rates.items()):
        color, dash = (GREY, "dashed") if "raw" in name else (colors[i % len(colors)], "solid")
        data = {"n": list(sizes), "rate": list(values), "name": [name] * len(sizes)}
        _add_series(fig, data, "n", "rate", name, color, dash=dash)
    fig.y_range.start = 0
    fig.xaxis.formatter = NumeralTickFormatter(format="0,0")
    fig.add_layout(fig.legend[0], "right")
    return fig


def speedup_figure(
    workers: Sequence[int], seconds: Sequence[float], serial_seconds: float, *, num_samples: int
):
    """Speedup over one core (``serial_seconds / seconds``) against the number of workers.

    Returns
    -------
    bokeh.plotting.figure
        A dashed "ideal" line and the measured speedups (columns ``k``, ``speedup``, ``s``).
    """
    _check_series(workers, {"seconds": seconds})
    fig = new_figure(
        title=f"Speedup over one core without Ray, N = {num_samples:,} darts",
        height=350,
        x_axis_label="Ray workers (tasks running at once)",
        y_axis_label="speedup",
        tooltips=[("workers", "@k"), ("speedup", "@speedup{0.00}"), ("seconds", "@s{0.00}")],
    )
    fig.line(list(workers), list(workers), color=GREY, line_dash="dashed", legend_label="ideal")
    speedups = [serial_seconds / s for s in seconds]
    data = {"k": list(workers), "speedup": speedups, "s": list(seconds)}
    _add_series(fig, data, "k", "speedup", "measured", RED)
    fig.xaxis.ticker = list(workers)
    fig.y_range.start = 0
    fig.add_layout(fig.legend[0], "right")
    return fig


def times_figure(
    sizes: Sequence[int],
    times: Mapping[str, Sequence[float]],
    *,
    marks: Mapping[str, float | None] | None = None,
    title: str,
    x_label: str = "N (darts)",
):
    """Seconds against N on log-log axes, one line per method, with labelled vertical marks.

    Parameters
    ----------
    sizes : sequence of int
        N at each measurement, increasing.
    times : mapping of str to sequence of float
        Seconds at each size, by method; the first is blue, the second red.
    marks : mapping of str to float or None, optional
        Label to N of a vertical line, the first red and dashed; a None is left out.

    Returns
    -------
    bokeh.plotting.figure
        A line and markers per method (columns ``n``, ``s``), a Span and a Label per mark.
    """
    xs = _check_series(sizes, times)
    fig = new_figure(
        title=title,
        height=380,
        x_axis_type="log",
        y_axis_type="log",
        x_axis_label=x_label,
        y_axis_label="wall-clock time (s)",
        tooltips=[("", "@name"), ("N", "@n{0,0}"), ("seconds", "@s{0.0000}")],
    )
    colors = (BLUE, RED, *PALETTE[2:])
    for i, (name, values) in enumerate(times.items()):
        data = {"n": list(sizes), "s": list(values), "name": [name] * len(xs)}
        marker, dash = _MARKERS[i % len(_MARKERS)], "solid" if i < 2 else "dotted"
        _add_series(fig, data, "n", "s", name, colors[i % len(colors)], marker, dash)
    middle = math.sqrt(xs[0] * xs[-1])
    for row, (text, x) in enumerate((marks or {}).items()):
        if x is not None:
            color, dash = (RED, "dashed") if row == 0 else (GREEN, "dotted")
            fig.add_layout(
                Span(location=x, dimension="height", line_color=color, line_dash=dash, line_width=2)
            )
            left = x > middle  # the label goes on the side of its line that faces the middle
            fig.add_layout(
                Label(
                    x=x,
                    y=12 + 18 * row,  # each label a line above the one before
                    y_units="screen",
                    x_offset=-6 if left else 6,
                    text_align="right" if left else "left",
                    text=text,
                    text_color=color,
                    text_font_size="12px",
                )
            )
    fig.xaxis.formatter = NumeralTickFormatter(format="0a")
    fig.legend.location = "top_left"
    return fig
