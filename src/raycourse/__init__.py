"""raycourse: estimate pi by throwing darts, on one core and as Ray tasks.

The top level holds the kernel, the dart board and the session helpers. The
lessons' other tools are namespaces: ``from raycourse import actors, cluster,
figures``. Importing the package starts nothing: no Ray, no Bokeh output
state, no prints.
"""

from .animation import dart_board
from .course_files import course_file
from .figures import estimates_figure, timeline_figure, times_figure
from .formatting import str_large_n
from .kernel import estimate_pi
from .parallel import estimate_pi_parallel
from .plain import estimate_pi_plain
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
    "str_large_n",
    "timeline_figure",
    "times_figure",
]

__version__ = "0.1.0"
