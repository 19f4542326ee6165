"""The course's figure style: one palette, one toolbar, one pi line, one way to draw a series."""

from __future__ import annotations

import math
from typing import Any

from bokeh.models import ColumnDataSource, HoverTool, Label, Span
from bokeh.plotting import figure

BLUE, ORANGE, GREEN, RED = "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"
PURPLE, BROWN, PINK, GREY, CYAN = "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf"
#: Colours for categories (nodes, series) in order.
PALETTE = (BLUE, ORANGE, GREEN, PURPLE, BROWN, PINK, CYAN)
TOOLS = "pan,wheel_zoom,box_zoom,reset,save"


def new_figure(*, title: str, height: int, tools: str = TOOLS, **options: Any):
    """A figure as wide as the page, ``height`` pixels high, with the course's toolbar."""
    return figure(title=title, height=height, sizing_mode="stretch_width", tools=tools, **options)


def add_pi_line(fig) -> None:
    """Mark pi with a dashed horizontal line."""
    fig.add_layout(
        Span(
            location=math.pi, dimension="width", line_color=GREEN, line_dash="dashed", line_width=2
        )
    )


def add_hover(fig, tooltips: list[tuple[str, str]], renderers: list | None = None) -> None:
    """Show ``tooltips`` on hover over ``renderers`` (all of the figure's by default)."""
    fig.add_tools(HoverTool(tooltips=tooltips, renderers=renderers or "auto"))


def add_series(
    fig,
    source: ColumnDataSource,
    x: str,
    y: str,
    *,
    label: str,
    color: str,
    marker: str = "circle",
    dash: str = "solid",
):
    """Draw a line with markers through ``source``'s ``x`` and ``y``; return the markers."""
    fig.line(x, y, source=source, color=color, line_width=2, line_dash=dash, legend_label=label)
    return fig.scatter(x, y, source=source, color=color, size=8, marker=marker, legend_label=label)


def add_vertical_line(
    fig, x: float, text: str, *, color: str, dash: str, label_left: bool, row: int
) -> None:
    """Mark ``x`` with a labelled vertical line; ``row`` lifts the label by a line per step."""
    fig.add_layout(
        Span(location=x, dimension="height", line_color=color, line_dash=dash, line_width=2)
    )
    fig.add_layout(
        Label(
            x=x,
            y=12 + 18 * row,
            y_units="screen",
            x_offset=-6 if label_left else 6,
            text_align="right" if label_left else "left",
            text=text,
            text_color=color,
            text_font_size="12px",
        )
    )
