"""raycourse: estimate pi by throwing darts, on one core and as Ray tasks.

Importing it starts nothing: no Ray, no Bokeh output state, no prints.
"""

from .animation import dart_board
from .course_files import course_file
from .figures import estimates_figure, timeline_figure, times_figure
from .kernel import estimate_pi, estimate_pi_plain
from .parallel import estimate_pi_parallel
from .session import start_ray, stop_ray

__all__ = [
    "course_file",
    "dart_board",
    "estimate_pi",
    "estimate_pi_parallel",
    "estimate_pi_plain",
    "estimates_figure",
    "start_ray",
    "stop_ray",
    "timeline_figure",
    "times_figure",
]

__version__ = "0.1.0"
