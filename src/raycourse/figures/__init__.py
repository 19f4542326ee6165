"""Bokeh figures of the course. Each function returns a figure and never shows it.

They share one style (:mod:`raycourse.figures._style`): palette, toolbar, the
dashed pi line and the way a measured series is drawn. Every figure stretches
to the page's width; the keyword-only ``height`` sets its height in pixels and
``title``, where a function takes one, replaces the title built from the data.
"""

from .actors import progress_figure, refinement_figure
from .cluster import placement_figure
from .speed import speedup_figure, throughput_figure, times_figure
from .sweeps import estimates_figure
from .timeline import timeline_figure

__all__ = [
    "estimates_figure",
    "placement_figure",
    "progress_figure",
    "refinement_figure",
    "speedup_figure",
    "throughput_figure",
    "timeline_figure",
    "times_figure",
]
