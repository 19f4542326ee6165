"""Start, join and stop Ray quietly, for pages, notebooks and scripts."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass

import ray

from ._checks import check_int

__all__ = ["RaySession", "describe_session", "start_ray", "stop_ray"]

# Ray's own start-up waits are fixed; on a busy machine, typically while another Ray
# starts, they run out. A pause lets that burst pass before the second, last attempt.
_RETRY_PAUSE_S = 10.0


@dataclass(frozen=True)
class RaySession:
    """What a driver is connected to: the cluster's GCS ``address``, its CPUs and live nodes."""

    address: str
    num_cpus: int
    num_nodes: int


def describe_session() -> RaySession:
    """Describe the running Ray session; RuntimeError if Ray is not running here."""
    if not ray.is_initialized():
        raise RuntimeError("Ray is not running in this process; call raycourse.start_ray() first")
    return RaySession(
        address=ray.get_runtime_context().gcs_address,
        num_cpus=int(ray.cluster_resources().get("CPU", 0)),
        num_nodes=sum(1 for node in ray.nodes() if node.get("Alive")),
    )


def start_ray(
    *,
    num_cpus: int | None = None,
    address: str | None = None,
    include_dashboard: bool | None = None,
) -> RaySession:
    """Start Ray locally, or join a running cluster, without log noise.

    Calling it again while Ray runs does nothing and describes the session.

    Parameters
    ----------
    num_cpus : int, optional
        CPUs of a new local Ray (default: all of this machine's).
    address : str, optional
        A running cluster (``host:port``); by default ``RAY_ADDRESS``, and when
        neither is set a local Ray starts, with the dashboard if ``include_dashboard``.

    Returns
    -------
    RaySession

    Raises
    ------
    TypeError, ValueError
        If ``num_cpus`` is not a positive integer or ``address`` not a string.
    RuntimeError
        If a local Ray failed to start twice, or the cluster could not be joined.
    """
    if num_cpus is not None:
        num_cpus = check_int("num_cpus", num_cpus)
    if address is not None and (not isinstance(address, str) or not address.strip()):
        raise TypeError(f"address must be a non-empty string, got {address!r}")
    if ray.is_initialized():
        return describe_session()
    address = address or os.environ.get("RAY_ADDRESS") or None
    # Ray's and its workers' log lines would otherwise end up in cell outputs.
    options = {"address": address, "logging_level": logging.ERROR, "log_to_driver": False}
    if not address:
        # "local" always starts a new Ray, never one that `ray start` left running.
        options |= {
            "address": "local",
            "num_cpus": num_cpus,
            "include_dashboard": include_dashboard,
        }
    attempts = 1 if address else 2  # only a local start races other Rays starting
    for attempt in range(1, attempts + 1):
        try:
            ray.init(**options)
            break
        except Exception as error:
            ray.shutdown()  # whatever the failed attempt left half started
            if attempt < attempts:
                time.sleep(_RETRY_PAUSE_S)
                continue
            where = (
                f"join the cluster at {address!r}"
                if address
                else f"start on this machine (tried twice, {_RETRY_PAUSE_S:g} s apart)"
            )
            raise RuntimeError(f"Ray could not {where}: {_first_line(error)}") from error
    return describe_session()


def _first_line(error: BaseException) -> str:
    """The first line of ``error``'s message, or its type's name."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def stop_ray() -> None:
    """Disconnect from Ray, shutting down a local Ray started here; harmless if none runs."""
    if ray.is_initialized():
        ray.shutdown()
