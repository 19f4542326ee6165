"""raycourse: estimate pi by throwing darts, on one core and as Ray tasks.

Importing the package starts nothing: no Ray, no Bokeh output state, no prints.
"""

from .animation import dart_board
from .course_files import course_file
from .formatting import html_table, str_large_n
from .kernel import count_inside, count_inside_range, estimate_pi
from .parallel import count_inside_task, estimate_pi_parallel, estimate_pi_task
from .plain import estimate_pi_plain
from .plotting import estimates_figure, timing_figure
from .progress import as_completed
from .session import RaySession, start_ray, stop_ray
from .timeline import TaskSpan, task_spans, timeline_figure
from .timing import TimingRecord, TimingSweep, sweep_sizes, sweep_trials, time_trials

__all__ = [
    "RaySession",
    "TaskSpan",
    "TimingRecord",
    "TimingSweep",
    "as_completed",
    "count_inside",
    "count_inside_range",
    "count_inside_task",
    "course_file",
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
    "task_spans",
    "time_trials",
    "timeline_figure",
    "timing_figure",
]

__version__ = "0.1.0"
