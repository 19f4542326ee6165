"""The Ray session helper."""

from __future__ import annotations

import pytest
import ray

import raycourse
from raycourse.session import describe_session


def test_second_call_is_harmless(ray_session):
    again = raycourse.start_ray(num_cpus=2)
    assert again == ray_session
    assert ray.is_initialized()


def test_session_describes_the_local_cluster(ray_session):
    assert ray_session.num_cpus == 2
    assert ray_session.num_nodes == 1
    assert not ray_session.joined_existing
    assert ray_session.dashboard_url is None  # started with include_dashboard=False


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
