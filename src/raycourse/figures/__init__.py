"""Bokeh figures of the course. Each function returns a figure and never shows it.

They share one style (:mod:`raycourse.figures._style`): palette, toolbar, the
dashed pi line and the way a measured series is drawn.
"""

from .actors import progress_figure, refinement_figure
from .cluster import placement_figure
from .speed import crossover_figure, speedup_figure, throughput_figure, times_figure
from .sweeps import estimates_figure, timing_figure

__all__ = [
    "crossover_figure",
    "estimates_figure",
    "placement_figure",
    "progress_figure",
    "refinement_figure",
    "speedup_figure",
    "throughput_figure",
    "times_figure",
    "timing_figure",
]
