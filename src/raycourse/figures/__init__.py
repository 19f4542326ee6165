"""Bokeh figures of the course, in one style; each function returns a figure and never shows it.

Every figure stretches to the page's width; ``title``, where taken, replaces the title built
from the data.
"""

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
