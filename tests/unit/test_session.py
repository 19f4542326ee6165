"""The Ray session helper."""

from __future__ import annotations

import re

import pytest
import ray

import raycourse
from raycourse import session as session_module
from raycourse.session import describe_session

#: What Ray 2.60 raises when a local start-up runs out of time.
STARTUP_TIMEOUT = (
    "The current node timed out during startup. This could happen because some of the raylet "
    "failed to startup or the GCS has become overloaded."
)


def test_second_call_is_harmless(ray_session):
    again = raycourse.start_ray(num_cpus=2)
    assert again == ray_session
    assert ray.is_initialized()


def test_session_describes_the_local_cluster(ray_session):
    assert ray_session.num_cpus == 2
    assert ray_session.num_nodes == 1


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"num_cpus": 0}, ValueError),
        ({"num_cpus": 1.5}, TypeError),
        ({"address": ""}, TypeError),
        ({"address": 6379}, TypeError),
    ],
)
def test_bad_arguments(kwargs, error):
    with pytest.raises(error):
        raycourse.start_ray(**kwargs)


def test_describe_requires_a_running_ray(monkeypatch):
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    with pytest.raises(RuntimeError, match="start_ray"):
        describe_session()


class FlakyInit:
    """Stands in for ``ray.init``: the first ``failures`` calls fail as Ray's start-up does."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[dict] = []

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        if len(self.calls) <= self.failures:
            raise Exception(STARTUP_TIMEOUT)  # Ray raises a bare Exception here
        return type("Context", (), {"dashboard_url": None})()


@pytest.fixture
def no_ray_here(monkeypatch):
    """This process looks as if Ray were not running, and nothing can start or stop it for real."""
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    shutdowns: list[None] = []
    monkeypatch.setattr(ray, "shutdown", lambda: shutdowns.append(None))
    monkeypatch.setattr(session_module, "_RETRY_PAUSE_S", 0.0)
    monkeypatch.setattr(session_module, "describe_session", lambda **kwargs: "described")
    return shutdowns


def test_a_failed_start_is_tried_once_more(monkeypatch, no_ray_here):
    flaky = FlakyInit(failures=1)
    monkeypatch.setattr(ray, "init", flaky)
    assert raycourse.start_ray(num_cpus=2, include_dashboard=False) == "described"
    assert len(flaky.calls) == 2
    assert flaky.calls[0] == flaky.calls[1]
    assert flaky.calls[1]["address"] == "local" and flaky.calls[1]["num_cpus"] == 2
    assert len(no_ray_here) == 1  # the half-started first attempt is cleaned up


def test_two_failed_starts_raise_one_clear_error(monkeypatch, no_ray_here):
    flaky = FlakyInit(failures=2)
    monkeypatch.setattr(ray, "init", flaky)
    with pytest.raises(RuntimeError, match=r"^Ray could not start on this machine \(tried twice"):
        raycourse.start_ray(num_cpus=2)
    assert len(flaky.calls) == 2
    assert len(no_ray_here) == 2


def test_a_failed_join_is_not_retried(monkeypatch, no_ray_here):
    flaky = FlakyInit(failures=1)
    monkeypatch.setattr(ray, "init", flaky)
    with pytest.raises(
        RuntimeError, match=re.escape("could not join the cluster at '10.0.0.1:6379'")
    ):
        raycourse.start_ray(address="10.0.0.1:6379")
    assert len(flaky.calls) == 1


@pytest.mark.slow
def test_import_starts_nothing():
    import subprocess
    import sys

    code = (
        "import raycourse, ray, bokeh.io.state as s; "
        "print(ray.is_initialized(), s.curstate().notebook, s.curstate().file)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "None"]
    assert out.stderr == ""
