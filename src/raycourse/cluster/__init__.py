"""The Cluster lesson: the pi estimate on several nodes, where its blocks run, and faults.

:class:`SimulatedCluster` starts several Ray nodes on this machine, so that
placement, node failures and Ray Jobs can be shown without a second computer.
"""

from . import placement
from .placement import *  # noqa: F403 (the names are placement.__all__)
from .simulated import SimulatedCluster

__all__ = [*placement.__all__, "SimulatedCluster"]
