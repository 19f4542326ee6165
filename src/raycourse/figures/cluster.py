"""Figure of the Cluster lesson: which node threw each block of darts, and when."""

from __future__ import annotations

from collections.abc import Mapping

from bokeh.models import ColumnDataSource, Span

from ..cluster import FaultRun, PlacedEstimate
from ._style import PALETTE, RED, add_hover, add_lane_bars, new_figure

__all__ = ["placement_figure"]


def placement_figure(
    run: PlacedEstimate, labels: Mapping[str, str], *, title: str | None = None, height: int = 260
):
    """Draw which node threw each block, and when: one lane per node, one bar per block.

    Parameters
    ----------
    run : PlacedEstimate or FaultRun
        The estimate to draw. For a :class:`~raycourse.cluster.FaultRun` the
        attempt that the fault cut short is drawn hatched, ending at a dashed
        line that marks the fault.
    labels : mapping of str to str
        Node id to lane name, such as :meth:`raycourse.cluster.SimulatedCluster.labels`.

    Returns
    -------
    bokeh.plotting.figure
        Horizontal bars over the columns ``node``, ``block``, ``left``,
        ``right``, ``darts`` and ``pid``.

    Raises
    ------
    TypeError
        If ``run`` is not a PlacedEstimate.
    ValueError
        If a block ran on a node missing from ``labels``.
    """
    if not isinstance(run, PlacedEstimate):
        raise TypeError(f"run must be a PlacedEstimate, got {run!r}")
    victim = run.victim if isinstance(run, FaultRun) else None
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
    fig = new_figure(
        title=title,
        height=height,
        y_range=list(reversed(lanes)),
        x_axis_label="seconds since the first task was submitted",
        tools="xpan,xwheel_zoom,reset,save",
    )
    source = ColumnDataSource(data)
    bars = add_lane_bars(
        fig, source, "node", fill_color="color", line_color="white", fill_alpha=0.85
    )
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
    tooltips = [
        ("block", "@block"),
        ("node", "@node"),
        ("worker pid", "@pid"),
        ("darts", "@darts{0,0}"),
        ("ran", "@left{0.000} s to @right{0.000} s"),
    ]
    add_hover(fig, tooltips, renderers=[bars])
    if victim is not None:
        fault_at = run.fault_time - run.submitted
        lost = {
            "node": [labels[victim.node_id]],
            "left": [victim.began - run.submitted],
            "right": [fault_at],
            "block": [victim.index],
        }
        add_lane_bars(
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
    fig.ygrid.grid_line_color = None
    return fig
