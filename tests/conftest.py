"""Shared fixtures: one Ray session for the whole test run."""

from __future__ import annotations

import pytest

import raycourse


@pytest.fixture(scope="session")
def ray_session():
    """Start a local two-CPU Ray once; shut it down after the last test."""
    session = raycourse.start_ray(num_cpus=2, include_dashboard=False)
    yield session
    raycourse.stop_ray()
