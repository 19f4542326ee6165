"""The Cluster lesson: the pi estimate on several nodes, where its blocks run, and faults.

:class:`SimulatedCluster` starts a small Ray cluster of several nodes on this
machine (``ray.cluster_utils.Cluster``), so that placement across nodes and
node failures can be shown without a second computer.
"""

from .placement import (
    Attempt,
    AttemptLog,
    BlockRun,
    FaultRun,
    PlacedEstimate,
    count_inside_where_task,
    estimate_pi_placed,
    estimate_pi_with_fault,
    kill_worker,
)
from .simulated import SimulatedCluster

__all__ = [
    "Attempt",
    "AttemptLog",
    "BlockRun",
    "FaultRun",
    "PlacedEstimate",
    "SimulatedCluster",
    "count_inside_where_task",
    "estimate_pi_placed",
    "estimate_pi_with_fault",
    "kill_worker",
]
