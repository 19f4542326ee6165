"""Collecting results as tasks finish."""

from __future__ import annotations

import time

import pytest
import ray

from raycourse import as_completed
from raycourse.progress import BUILD_ENV_VAR, in_live_notebook

pytestmark = pytest.mark.usefixtures("ray_session")


@ray.remote
def sleep_then_return(seconds: float, value: int) -> int:
    time.sleep(seconds)
    return value


def test_results_arrive_in_completion_order():
    refs = [sleep_then_return.remote(1.0, 0), sleep_then_return.remote(0.05, 1)]
    assert [index for index, _ in as_completed(refs)] == [1, 0]


def test_every_result_is_yielded_once_with_its_index():
    refs = [sleep_then_return.remote(0, v * 10) for v in range(8)]
    assert sorted(as_completed(refs)) == [(v, v * 10) for v in range(8)]


def test_no_progress_bar_outside_a_notebook(capsys):
    list(as_completed([sleep_then_return.remote(0, 1)]))
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_progress_bar_on_request(capsys):
    list(as_completed([sleep_then_return.remote(0, 1)], progress=True, description="blocks"))
    assert "blocks" in capsys.readouterr().err


def test_rejects_values_that_are_not_refs():
    with pytest.raises(TypeError, match=r"refs\[1\]"):
        list(as_completed([sleep_then_return.remote(0, 1), 5]))


def test_site_build_is_not_a_live_notebook(monkeypatch):
    monkeypatch.setenv(BUILD_ENV_VAR, "1")
    assert not in_live_notebook()
    monkeypatch.delenv(BUILD_ENV_VAR)
    assert not in_live_notebook()  # a pytest process is no Jupyter kernel either
