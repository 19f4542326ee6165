"""raycourse: estimate pi by throwing darts, on one core and as Ray tasks.

Importing it starts nothing and imports no Bokeh: Ray workers import it for the darts.
The pictures are in :mod:`raycourse.figures` and :mod:`raycourse.animation`.
"""

from .course_files import course_file
from .kernel import estimate_pi
from .parallel import estimate_pi_parallel
from .session import start_ray, stop_ray

__all__ = [
    "course_file",
    "estimate_pi",
    "estimate_pi_parallel",
    "start_ray",
    "stop_ray",
]

__version__ = "0.1.0"
