"""What a placed estimate records: each attempt of a block, each finished block, the run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["Attempt", "BlockRun", "FaultRun", "PlacedEstimate"]


@dataclass(frozen=True)
class Attempt:
    """One execution of one block: a task that started on some worker.

    Attributes
    ----------
    index : int
        Position of the block in the estimate's list of blocks.
    node_id : str
        Hex id of the node that ran it.
    pid : int
        Process id of the worker process.
    began : float
        When the :class:`~raycourse.cluster.AttemptLog` received its report
        (``time.time()`` on the log's node), just before its work started.
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
    """An estimate of pi together with the placement of its blocks.

    Attributes
    ----------
    num_samples : int
        Darts thrown.
    estimate : float
        ``4 * inside / num_samples``.
    blocks : tuple of BlockRun
        One entry per block, in block order.
    seconds : float
        Wall-clock time of the estimate.
    submitted : float
        When the driver submitted the first task (``time.time()``).
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
    """A :class:`PlacedEstimate` during which a fault was injected.

    Attributes
    ----------
    victim : Attempt
        The running attempt that the fault hit.
    fault_time : float
        When the fault was injected (``time.time()``).
    attempts : tuple of Attempt
        Every start of every block, retries included.
    """

    victim: Attempt | None = None
    fault_time: float = 0.0
    attempts: tuple[Attempt, ...] = field(default=())

    def attempts_per_block(self) -> dict[int, int]:
        """How many times each block was started (1 = never retried)."""
        return dict(Counter(attempt.index for attempt in self.attempts))

    @property
    def retried_blocks(self) -> list[int]:
        """Blocks that were started more than once."""
        return sorted(i for i, n in self.attempts_per_block().items() if n > 1)
