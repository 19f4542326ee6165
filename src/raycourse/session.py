"""Start, join and stop Ray quietly, for pages, notebooks and scripts."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from typing import Any

import ray

from ._checks import check_int

__all__ = ["RaySession", "describe_session", "start_ray", "stop_ray"]

# The dashboard URL is only reported by ``ray.init``; remember it for later calls.
_dashboard_url: str | None = None

#: Seconds between a failed start of a local Ray and the second, last attempt. Ray 2.60's own
#: start-up waits are fixed (about 15 s for the raylet to hear from its agent, 30 s for the
#: node to register); on a busy machine, typically while another Ray is starting, they run
#: out. The pause lets that burst pass before Ray is asked again.
_RETRY_PAUSE_S = 10.0


@dataclass(frozen=True)
class RaySession:
    """What a driver is connected to.

    Attributes
    ----------
    address : str
        GCS address of the cluster (``host:port``).
    num_cpus : int
        CPUs the whole cluster offers to tasks.
    num_nodes : int
        Live nodes in the cluster.
    dashboard_url : str or None
        ``http://`` URL of the Ray dashboard, or None where none runs.
    joined_existing : bool
        True when the driver joined a running cluster (``RAY_ADDRESS`` or
        ``address=``) rather than starting a local one.
    """

    address: str
    num_cpus: int
    num_nodes: int
    dashboard_url: str | None
    joined_existing: bool


def describe_session(*, joined_existing: bool | None = None) -> RaySession:
    """Describe the running Ray session.

    Raises
    ------
    RuntimeError
        If Ray is not initialised in this process.
    """
    if not ray.is_initialized():
        raise RuntimeError("Ray is not running in this process; call raycourse.start_ray() first")
    context = ray.get_runtime_context()
    if joined_existing is None:
        joined_existing = bool(os.environ.get("RAY_ADDRESS"))
    nodes = [node for node in ray.nodes() if node.get("Alive")]
    return RaySession(
        address=context.gcs_address,
        num_cpus=int(ray.cluster_resources().get("CPU", 0)),
        num_nodes=len(nodes),
        dashboard_url=_dashboard_url,
        joined_existing=joined_existing,
    )


def _as_url(address: str | None) -> str | None:
    if not address:
        return None
    return address if address.startswith("http") else f"http://{address}"


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
        CPUs for a new local Ray instance (default: all of this machine's).
        Ignored with a cluster, whose size is the cluster's own.
    address : str, optional
        Address of a running cluster (``host:port`` or ``ray://host:port``).
        Defaults to the ``RAY_ADDRESS`` environment variable; when neither is
        set, a local instance starts.
    include_dashboard : bool, optional
        Start the dashboard with a local instance. ``None`` (the default)
        starts it where its dependencies are installed.

    Returns
    -------
    RaySession
        The cluster's address, CPU and node counts, and dashboard URL.

    Raises
    ------
    TypeError, ValueError
        If ``num_cpus`` is not a positive integer or ``address`` not a string.
    RuntimeError
        If Ray could not start (a local instance is tried twice, the second
        time after a pause) or could not join the cluster at ``address``.
    """
    if num_cpus is not None:
        num_cpus = check_int("num_cpus", num_cpus)
    if address is not None and (not isinstance(address, str) or not address.strip()):
        raise TypeError(f"address must be a non-empty string, got {address!r}")
    if ray.is_initialized():
        return describe_session()
    address = address or os.environ.get("RAY_ADDRESS") or None
    # Log lines from Ray and its workers would otherwise end up in cell outputs.
    quiet = {"logging_level": logging.ERROR, "log_to_driver": False}
    if address:
        try:
            context = ray.init(address=address, **quiet)
        except Exception as error:
            ray.shutdown()
            raise RuntimeError(
                f"Ray could not join the cluster at {address!r}: {_first_line(error)}"
            ) from error
    else:
        # "local" always starts a new instance; without it Ray would silently
        # join any cluster that `ray start` left running on this machine.
        context = _start_local(num_cpus=num_cpus, include_dashboard=include_dashboard, **quiet)
    global _dashboard_url
    _dashboard_url = _as_url(context.dashboard_url)
    return describe_session(joined_existing=bool(address))


def _first_line(error: BaseException) -> str:
    """The first line of ``error``'s message, or its type's name when it has none."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _start_local(**options: Any) -> Any:
    """Start a local Ray; if it fails, clean up, pause and try once more."""
    try:
        return ray.init(address="local", **options)
    except Exception:
        ray.shutdown()  # whatever the failed attempt left half started
    time.sleep(_RETRY_PAUSE_S)
    try:
        return ray.init(address="local", **options)
    except Exception as error:
        ray.shutdown()
        raise RuntimeError(
            f"Ray could not start on this machine (tried twice, {_RETRY_PAUSE_S:g} s apart): "
            f"{_first_line(error)}"
        ) from error


def stop_ray() -> None:
    """Disconnect from Ray; a local instance started here is shut down.

    Harmless when Ray is not running.
    """
    global _dashboard_url
    _dashboard_url = None
    if ray.is_initialized():
        ray.shutdown()
