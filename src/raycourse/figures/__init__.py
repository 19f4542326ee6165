"""Bokeh figures of the course in one style, as wide as the page; each is returned, never shown."""

from .estimates import estimates_figure, refinement_figure
from .speed import speedup_figure, throughput_figure, times_figure
from .timelines import placement_figure, progress_figure, timeline_figure

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
