"""Bokeh figures of the course in one style, as wide as the page; each is returned, never shown."""

from . import estimates, speed, timelines
from .estimates import *  # noqa: F403 (the names are estimates.__all__)
from .speed import *  # noqa: F403 (the names are speed.__all__)
from .timelines import *  # noqa: F403 (the names are timelines.__all__)

__all__ = [*estimates.__all__, *speed.__all__, *timelines.__all__]
