"""Figures of timing sweeps: time against N or trials, and the estimates against N."""

from __future__ import annotations

import math

from bokeh.models import ColumnDataSource, NumeralTickFormatter, Range1d, Whisker

from ..timing import TimingSweep
from ._style import BLUE, RED, add_hover, add_pi_line, add_series, new_figure

__all__ = ["estimates_figure", "timing_figure"]

_AXIS_LABELS = {"num_samples": "N (darts per trial)", "trials": "trials"}
_SERIES = (("no Ray", BLUE, "circle"), ("Ray tasks", RED, "square"))


def _check_sweep(name: str, sweep: object) -> TimingSweep:
    if not isinstance(sweep, TimingSweep):
        raise TypeError(f"{name} must be a TimingSweep, got {sweep!r}")
    if not len(sweep):
        raise ValueError(f"{name} holds no records")
    return sweep


def timing_figure(
    serial: TimingSweep,
    parallel: TimingSweep,
    *,
    by: str = "num_samples",
    log_axes: bool = False,
    title: str | None = None,
    height: int = 350,
):
    """Plot wall-clock time against N (or trials), without and with Ray.

    Parameters
    ----------
    serial, parallel : TimingSweep
        Measurements without and with Ray, over the same x values.
    by : {"num_samples", "trials"}
        The swept quantity on the x axis.
    log_axes : bool, optional
        Logarithmic x and y axes (shows the small-N overhead of tasks).

    Returns
    -------
    bokeh.plotting.figure
        Two line-and-marker series labelled "no Ray" and "Ray tasks".

    Raises
    ------
    ValueError
        If ``by`` is unknown or the sweeps' x values differ.
    """
    if by not in _AXIS_LABELS:
        raise ValueError(f"by must be 'num_samples' or 'trials', got {by!r}")
    sweeps = (_check_sweep("serial", serial), _check_sweep("parallel", parallel))
    xs = [sweep.columns()[by] for sweep in sweeps]
    if xs[0] != xs[1]:
        raise ValueError(f"serial and parallel sweeps differ in {by}: {xs[0]} vs {xs[1]}")
    if title is None:
        fixed = "trials" if by == "num_samples" else "num_samples"
        values = sorted(set(serial.columns()[fixed]))
        fixed_text = ", ".join(f"{v:,}" for v in values)
        swept, label = ("N", "trials") if by == "num_samples" else ("trials", "N")
        title = f"Wall-clock time vs {swept}, {label} = {fixed_text}"
    scale = "log" if log_axes else "linear"
    fig = new_figure(
        title=title,
        height=height,
        x_axis_type=scale,
        y_axis_type=scale,
        x_axis_label=_AXIS_LABELS[by],
        y_axis_label="wall-clock time (s)",
    )
    for sweep, (label, color, marker) in zip(sweeps, _SERIES, strict=True):
        source = ColumnDataSource(sweep.columns())
        add_series(fig, source, by, "seconds", label=label, color=color, marker=marker)
    add_hover(
        fig,
        [
            (_AXIS_LABELS[by], f"@{by}{{0,0}}"),
            ("time", "@seconds{0.000} s"),
            ("mean estimate", "@mean{0.00000}"),
        ],
    )
    if by == "num_samples" and not log_axes:
        # Bokeh's default would write 2e7 as "2.000e+7".
        fig.xaxis.formatter = NumeralTickFormatter(format="0,0")
    fig.legend.location = "top_left"
    return fig


def estimates_figure(sweep: TimingSweep, *, title: str | None = None, height: int = 350):
    """Plot the mean estimate +/- one standard deviation against N, with pi marked.

    Parameters
    ----------
    sweep : TimingSweep
        Measurements over several N.

    Returns
    -------
    bokeh.plotting.figure
        Markers at the means, whiskers at +/- one standard deviation, and a
        horizontal reference line at pi, on a logarithmic N axis.
    """
    sweep = _check_sweep("sweep", sweep)
    data = sweep.columns()
    data["lower"] = [m - s for m, s in zip(data["mean"], data["stdev"], strict=True)]
    data["upper"] = [m + s for m, s in zip(data["mean"], data["stdev"], strict=True)]
    source = ColumnDataSource(data)
    # Whiskers are annotations, which Bokeh's automatic ranges ignore: fit the
    # y range to the bars and to pi explicitly.
    low, high = min([*data["lower"], math.pi]), max([*data["upper"], math.pi])
    pad = 0.08 * (high - low) or 0.01
    if title is None:
        how = "with Ray tasks" if all(data["use_ray"]) else "without Ray"
        trials = ", ".join(f"{t:,}" for t in sorted(set(data["trials"])))
        title = f"Mean estimate ± 1 standard deviation vs N, {how} (trials = {trials})"
    fig = new_figure(
        title=title,
        height=height,
        x_axis_type="log",
        y_range=Range1d(low - pad, high + pad),
        x_axis_label=_AXIS_LABELS["num_samples"],
        y_axis_label="estimate of π",
    )
    add_pi_line(fig)
    fig.add_layout(
        Whisker(base="num_samples", lower="lower", upper="upper", source=source, line_color=BLUE)
    )
    fig.scatter(
        "num_samples", "mean", source=source, size=8, color=BLUE, legend_label="mean of trials"
    )
    add_hover(
        fig,
        [
            ("N", "@num_samples{0,0}"),
            ("mean", "@mean{0.00000}"),
            ("std. dev.", "@stdev{0.00000}"),
            ("error", "@error_pct{0.000} %"),
        ],
    )
    fig.legend.location = "top_right"
    return fig
