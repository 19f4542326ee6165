"""raycourse: estimate pi by throwing darts, on one core and as Ray tasks.

Importing it starts nothing: no Ray, no Bokeh output state, no prints.
"""

from typing import Any

from .course_files import course_file
from .kernel import estimate_pi
from .parallel import estimate_pi_parallel
from .session import start_ray, stop_ray

# The pictures need Bokeh; a Ray worker or a job that only throws darts never imports it.
_PICTURES = {
    "dart_board": "animation",
    "estimates_figure": "figures",
    "timeline_figure": "figures",
    "times_figure": "figures",
}


def __getattr__(name: str) -> Any:
    """Import a picture-making function from its module on first use."""
    if name in _PICTURES:
        from importlib import import_module

        return getattr(import_module(f".{_PICTURES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "course_file",
    "dart_board",
    "estimate_pi",
    "estimate_pi_parallel",
    "estimates_figure",
    "start_ray",
    "stop_ray",
    "timeline_figure",
    "times_figure",
]

__version__ = "0.1.0"
