"""Figures against time: task runs per worker, blocks per node, and progress seen by the driver."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from bokeh.models import ColumnDataSource, Span

from .._checks import check_int
from ..cluster import PlacedEstimate
from ._style import BLUE, PALETTE, RED, new_figure

__all__ = ["placement_figure", "progress_figure", "timeline_figure"]


def _lanes(fig, source: ColumnDataSource, lane: str, **style):
    """One bar per row of ``source``, from ``left`` to ``right``, in the lane column ``lane``."""
    fig.ygrid.grid_line_color = None
    return fig.hbar(y=lane, left="left", right="right", height=0.6, source=source, **style)


def _check_span(position: int, span: object) -> tuple[str, float, float]:
    """One ``(worker, start, end)`` span, checked."""
    if isinstance(span, (str, bytes)) or not isinstance(span, Sequence) or len(span) != 3:
        raise TypeError(f"spans[{position}] must be a (worker, start, end) triple, got {span!r}")
    worker, start, end = str(span[0]), float(span[1]), float(span[2])
    if not (math.isfinite(start) and math.isfinite(end) and end >= start):
        raise ValueError(f"spans[{position}] must end at or after its start, got {span!r}")
    return worker, start, end


def timeline_figure(spans: Sequence[tuple[str, float, float]], *, title: str | None = None):
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
        height=260,
        y_range=[label_of[worker] for worker in reversed(workers)],
        x_axis_label="seconds since the first task started",
        tooltips=[("", "@task"), ("start", "@left{0.000} s"), ("ran for", "@seconds{0.000} s")],
    )
    _lanes(fig, source, "row", fill_color=RED, line_color="white")
    return fig


def placement_figure(run: PlacedEstimate, labels: Mapping[str, str], *, title: str | None = None):
    """Draw which node threw each block, and when: one lane per node, one bar per block.

    Parameters
    ----------
    run : PlacedEstimate
        The estimate; the attempt a fault cut short (``run.victim``) is drawn hatched.
    labels : mapping of str to str
        Node id to lane name, as :meth:`raycourse.cluster.SimulatedCluster.labels` gives.

    Returns
    -------
    bokeh.plotting.figure
        Bars over the columns ``node``, ``block``, ``left``, ``right``, ``darts``, ``pid``.

    Raises
    ------
    TypeError, ValueError
        If ``run`` is not a PlacedEstimate, or a block's node is missing from ``labels``.
    """
    if not isinstance(run, PlacedEstimate):
        raise TypeError(f"run must be a PlacedEstimate, got {run!r}")
    victim = run.victim
    nodes = {b.node_id for b in run.blocks} | ({victim.node_id} if victim else set())
    if missing := nodes - set(labels):
        raise ValueError(f"labels has no name for node(s) {sorted(missing)}")
    lanes = list(dict.fromkeys(labels.values()))
    colors = {lane: PALETTE[i % len(PALETTE)] for i, lane in enumerate(lanes)}
    data = {
        "node": [labels[b.node_id] for b in run.blocks],
        "block": [b.index for b in run.blocks],
        "left": [b.began - run.submitted for b in run.blocks],
        "right": [b.ended - run.submitted for b in run.blocks],
        "darts": [b.darts for b in run.blocks],
        "pid": [b.pid for b in run.blocks],
    }
    data["color"] = [colors[lane] for lane in data["node"]]
    data["middle"] = [(a + b) / 2 for a, b in zip(data["left"], data["right"], strict=True)]
    if title is None:
        title = (
            f"Which node threw each block: {len(run.blocks)} blocks, "
            f"{run.num_samples:,} darts on {len(set(data['node']))} nodes"
        )
    tooltips = [
        ("block", "@block"),
        ("node", "@node"),
        ("worker pid", "@pid"),
        ("darts", "@darts{0,0}"),
        ("ran", "@left{0.000} s to @right{0.000} s"),
    ]
    fig = new_figure(
        title=title,
        height=260,
        y_range=list(reversed(lanes)),
        x_axis_label="seconds since the first task was submitted",
        tools="xpan,xwheel_zoom,reset,save",
        tooltips=tooltips,
    )
    source = ColumnDataSource(data)
    bars = _lanes(fig, source, "node", fill_color="color", line_color="white", fill_alpha=0.85)
    fig.hover.renderers = [bars]
    fig.text(
        x="middle",
        y="node",
        text="block",
        source=source,
        text_align="center",
        text_baseline="middle",
        text_font_size="9pt",
        text_color="white",
    )
    if victim is not None:
        fault_at = run.fault_time - run.submitted
        lost = {
            "node": [labels[victim.node_id]],
            "left": [victim.began - run.submitted],
            "right": [fault_at],
        }
        _lanes(
            fig,
            ColumnDataSource(lost),
            "node",
            fill_color=RED,
            fill_alpha=0.25,
            hatch_pattern="/",
            hatch_color=RED,
            line_color=RED,
            legend_label="attempt lost to the fault",
        )
        fig.add_layout(
            Span(location=fault_at, dimension="height", line_dash="dashed", line_color=RED)
        )
        fig.legend.location = "bottom_right"
    return fig


def progress_figure(history: Sequence[tuple[float, int]], *, total_darts: int, tasks: int):
    """Plot the darts thrown against time, as the driver saw them at each poll.

    Parameters
    ----------
    history : sequence of (float, int)
        At each poll: seconds since the tasks started, and darts thrown by then.
    total_darts, tasks : int
        Darts and tasks of the whole estimate (the title names them).

    Returns
    -------
    bokeh.plotting.figure
        A step line and markers over the columns ``seconds``, ``darts`` and ``percent``.

    Raises
    ------
    TypeError, ValueError
        If a poll is not a ``(seconds, darts)`` pair, or a count is not an integer ``>= 1``.
    """
    total_darts, tasks = check_int("total_darts", total_darts), check_int("tasks", tasks)
    for position, poll in enumerate(history):
        if isinstance(poll, (str, bytes)) or not isinstance(poll, Sequence) or len(poll) != 2:
            raise TypeError(f"history[{position}] must be a (seconds, darts) pair, got {poll!r}")
    seconds = [0.0] + [float(s) for s, _ in history]
    darts = [0] + [int(d) for _, d in history]
    percent = [100 * d / total_darts for d in darts]
    source = ColumnDataSource({"seconds": seconds, "darts": darts, "percent": percent})
    title = (
        f"Progress seen by the driver: {total_darts:,} darts, {tasks} tasks, {len(history)} polls"
    )
    tooltips = [("time", "@seconds{0.00} s"), ("darts", "@darts{0,0}"), ("done", "@percent{0.0} %")]
    fig = new_figure(
        title=title,
        height=260,
        x_axis_label="seconds since the estimate started",
        y_axis_label="darts thrown",
        tooltips=tooltips,
    )
    fig.yaxis.formatter.use_scientific = False
    fig.step("seconds", "darts", source=source, mode="after", line_width=2, color=BLUE)
    fig.hover.renderers = [fig.scatter("seconds", "darts", source=source, size=6, color=BLUE)]
    return fig
