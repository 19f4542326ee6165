"""Sphinx extension for building the course site.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``. Its ``setup``
marks the build in the environment, which the Jupyter kernels that execute the
pages inherit: :func:`raycourse.progress.in_live_notebook` then knows that no
one is watching, and no progress-bar widgets end up in the built pages.
"""

from __future__ import annotations

import os
from typing import Any

from .progress import BUILD_ENV_VAR

__all__ = ["setup"]


def setup(app: Any) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    os.environ[BUILD_ENV_VAR] = "1"
    return {"parallel_read_safe": True, "parallel_write_safe": True}
