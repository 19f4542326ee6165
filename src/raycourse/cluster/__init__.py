"""The Cluster lesson: the pi estimate on several nodes, where its blocks run, and faults."""

from . import placement
from .placement import *  # noqa: F403 (the names are placement.__all__)
from .simulated import SimulatedCluster

__all__ = [*placement.__all__, "SimulatedCluster"]
