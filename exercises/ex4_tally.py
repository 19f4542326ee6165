"""Exercise 4: a tally actor that the tasks of an estimate report to.

Write ``DartTally`` and ``estimate_pi_with_tally`` below. Check your answer with
this exercise's tests alone::

    .venv/bin/pytest tests/exercises -k ex4

``.venv/bin/pytest tests/exercises`` checks every exercise; it starts Ray once, for
Exercises 1 and 4. Exercises 2 and 3 need no Ray and are checked in seconds.
"""

from __future__ import annotations

__all__ = ["DartTally", "estimate_pi_with_tally"]


class DartTally:
    """A running tally of darts, kept by a Ray actor.

    The rules:

    - Make the class a Ray actor class: decorate it with ``@ray.remote``.
    - ``record(inside, darts)`` adds one block's counts to the tally. It raises
      ``TypeError`` if either is not an integer (``True`` and ``1.0`` are not),
      and ``ValueError`` if ``darts < 1`` or ``inside`` is not between 0 and
      ``darts``.
    - ``totals()`` returns ``(inside, darts)`` summed over every record so far:
      ``(0, 0)`` for a new tally.
    - ``estimate()`` returns ``4 * inside / darts`` over every record so far,
      and raises ``ValueError`` while nothing has been recorded.
    - Each tally keeps its own counts: two tallies never share them.
    """

    def __init__(self) -> None:
        raise NotImplementedError("decorate the class with @ray.remote and keep two counters")

    def record(self, inside: int, darts: int) -> None:
        """Add one block's counts: ``inside`` hits among ``darts`` darts."""
        raise NotImplementedError("add the counts to the tally")

    def totals(self) -> tuple[int, int]:
        """Return ``(inside, darts)`` over every record so far."""
        raise NotImplementedError("return the two counters")

    def estimate(self) -> float:
        """Return ``4 * inside / darts`` over every record so far."""
        raise NotImplementedError("return 4 * inside / darts")


def estimate_pi_with_tally(
    tally, num_samples: int, block_size: int = 1_000_000, *, seed: int | None = None
) -> float:
    """Throw ``num_samples`` darts in parallel tasks that report to ``tally``.

    The rules:

    - ``tally`` is a handle to a running ``DartTally`` actor (``DartTally.remote()``).
    - Split the darts as in Exercise 1: ``ceil(num_samples / block_size)``
      blocks of at most ``block_size`` darts, the last taking the remainder,
      each counted by its own Ray task from its own random stream (the same
      ``seed`` gives the same counts, different seeds different ones).
    - Each task records its own block in the tally with
      ``tally.record.remote(inside, darts)``: the counts go from the tasks to
      the actor, never through the driver. A task must not finish before the
      tally has accepted its record.
    - So here a task may call ``ray.get`` on the record call it made itself,
      unlike in Exercise 1: it waits for one short method of an actor that is
      already running, not for other tasks of the estimate, and while it waits
      Ray lends its CPU to other tasks. The wait is what makes a finished task
      mean a recorded block, so that the driver's ``ray.get`` on the tasks
      returns only once the tally holds every block.
    - Return ``tally.estimate()`` once every block is recorded: the estimate
      over all the darts the tally holds, those of earlier calls included.
    - Raise ``TypeError`` if ``num_samples`` or ``block_size`` is not an
      integer, and ``ValueError`` if either is < 1.

    Parameters
    ----------
    tally : ray.actor.ActorHandle
        The tally the tasks report to.
    num_samples : int
        Darts thrown by this call, ``>= 1``.
    block_size : int, optional
        Most darts one task throws, ``>= 1``.
    seed : int or None, optional
        Seed of this call's darts; ``None`` draws fresh entropy.

    Returns
    -------
    float
        The tally's estimate of pi after this call's darts.
    """
    raise NotImplementedError("pass the tally handle to each task; the task calls tally.record")
