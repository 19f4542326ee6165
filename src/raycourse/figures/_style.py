"""The course's figure style: one palette, one toolbar, one figure size."""

from __future__ import annotations

from typing import Any

from bokeh.plotting import figure

BLUE, ORANGE, GREEN, RED, GREY = "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#7f7f7f"
#: Colours for categories (nodes, series) in order.
PALETTE = (BLUE, ORANGE, GREEN, "#9467bd", "#8c564b", "#e377c2", "#17becf")
TOOLS = "pan,wheel_zoom,box_zoom,reset,save"


def new_figure(*, title: str, height: int, tools: str = TOOLS, **options: Any):
    """A figure as wide as the page, ``height`` pixels high, with the course's toolbar."""
    return figure(title=title, height=height, sizing_mode="stretch_width", tools=tools, **options)
