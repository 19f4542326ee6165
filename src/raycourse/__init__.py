"""raycourse: estimate pi by throwing darts, on one core and as Ray tasks.

The top level holds what the Tasks lesson uses. The other lessons are
namespaces: ``from raycourse import actors, cluster, performance, figures``.
Importing the package starts nothing: no Ray, no Bokeh output state, no prints.
"""

from .animation import dart_board
from .figures import estimates_figure, timing_figure
from .formatting import html_table, str_large_n
from .kernel import estimate_pi
from .parallel import estimate_pi_parallel, estimate_pi_task
from .plain import estimate_pi_plain
from .progress import as_completed
from .session import start_ray, stop_ray
from .timing import sweep_sizes, sweep_trials

__all__ = [
    "as_completed",
    "dart_board",
    "estimate_pi",
    "estimate_pi_parallel",
    "estimate_pi_plain",
    "estimate_pi_task",
    "estimates_figure",
    "html_table",
    "start_ray",
    "stop_ray",
    "str_large_n",
    "sweep_sizes",
    "sweep_trials",
    "timing_figure",
]

__version__ = "0.1.0"
