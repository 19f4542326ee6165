"""Shared fixtures: one Ray session for the whole test run."""

from __future__ import annotations

from pathlib import Path

import pytest

import raycourse

_HERE = Path(__file__).parent
# Suites that only run when asked for by path: the grader (it checks students'
# answers, which start as stubs), the site checks (they need a built site) and
# the pages run as plain notebooks (slow).
_ON_REQUEST = {_HERE / "exercises", _HERE / "site", _HERE / "notebooks"}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave the on-request suites out of a plain ``pytest`` run."""
    if collection_path not in _ON_REQUEST:
        return None
    requested = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    return not any(p == collection_path or collection_path in p.parents for p in requested)


@pytest.fixture(scope="session")
def ray_session():
    """Start a local two-CPU Ray once; shut it down after the last test."""
    session = raycourse.start_ray(num_cpus=2, include_dashboard=False)
    yield session
    raycourse.stop_ray()
