"""What a placed estimate records: each attempt of a block, each finished block, the run.

Times are ``time.time()`` values, comparable between the nodes of one machine.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

__all__ = ["Attempt", "BlockRun", "FaultRun", "PlacedEstimate"]


@dataclass(frozen=True)
class Attempt:
    """One start of block ``index`` by worker ``pid`` on node ``node_id``.

    ``began`` is when the :class:`~raycourse.cluster.AttemptLog` received the
    report, just before the block's work started.
    """

    index: int
    node_id: str
    pid: int
    began: float


@dataclass(frozen=True)
class BlockRun:
    """A finished block: its darts, its count, and the node, process and times of its run."""

    index: int
    start: int
    stop: int
    inside: int
    node_id: str
    pid: int
    began: float
    ended: float

    @property
    def darts(self) -> int:
        """Darts in the block."""
        return self.stop - self.start


@dataclass(frozen=True)
class PlacedEstimate:
    """An estimate of pi from ``num_samples`` darts, with the placement of its blocks.

    ``blocks`` holds one :class:`BlockRun` per block, in block order; ``seconds``
    is the wall-clock time of the estimate and ``submitted`` when the driver
    submitted the first task.
    """

    num_samples: int
    estimate: float
    blocks: tuple[BlockRun, ...]
    seconds: float
    submitted: float

    @property
    def darts_counted(self) -> int:
        """Darts over all blocks; equals ``num_samples`` when no block is lost or doubled."""
        return sum(block.darts for block in self.blocks)


@dataclass(frozen=True)
class FaultRun(PlacedEstimate):
    """A :class:`PlacedEstimate` during which a fault hit the attempt ``victim``.

    ``fault_time`` is when the fault struck, and ``attempts`` holds every
    start of every block, retries included.
    """

    victim: Attempt | None = None
    fault_time: float = 0.0
    attempts: tuple[Attempt, ...] = ()

    @property
    def retried_blocks(self) -> list[int]:
        """Blocks that were started more than once."""
        starts = Counter(attempt.index for attempt in self.attempts)
        return sorted(index for index, count in starts.items() if count > 1)
