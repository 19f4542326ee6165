"""Execution mode, an execution cache that sees the course package, and one Ray for the pages."""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from jupyter_cache import get_cache
from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
from sphinx.util import logging

__all__ = ["configure_execution", "share_one_ray", "stop_shared_ray"]

EXECUTION_MODE_ENV_VAR = "RAYCOURSE_EXECUTION_MODE"
#: Set while the pages share one Ray: the seconds it took to start (Reproducibility shows it).
SHARED_RAY_SECONDS_ENV_VAR = "RAYCOURSE_SHARED_RAY_SECONDS"
CACHE_STAMP = "raycourse-sources.sha256"
# The course package, installed beside this extension; the pages import it.
_PACKAGE_DIR = Path(__file__).parents[1] / "raycourse"
# Libraries whose upgrade changes what the pages compute or embed.
_KEYED_DISTRIBUTIONS = ("bokeh", "numpy", "ray", "myst-nb", "nbclient")
_logger = logging.getLogger(__name__)


def _sources_hash(*source_dirs: Path) -> str:
    """SHA-256 of the folders' files (no bytecode or hidden files) and the keyed versions."""
    digest = hashlib.sha256()
    for number, root in enumerate(source_dirs):
        digest.update(f"folder {number}".encode())
        for path in sorted(root.rglob("*")):
            parts = path.relative_to(root).parts
            if path.is_file() and not any(p == "__pycache__" or p[0] == "." for p in parts):
                digest.update("/".join(parts).encode())
                digest.update(path.read_bytes())
    digest.update(platform.python_version().encode())
    for name in _KEYED_DISTRIBUTIONS:
        digest.update(f"{name}=={metadata.version(name)}".encode())
    return digest.hexdigest()


def cache_dir(app: Any) -> Path:
    """myst-nb's execution cache (Jupyter Book's default: beside the site)."""
    return Path(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")


def configure_execution(app: Any, config: Any) -> None:
    """Apply ``RAYCOURSE_EXECUTION_MODE``; clear a cache made for other sources or libraries."""
    config.nb_execution_mode = os.environ.get(EXECUTION_MODE_ENV_VAR) or config.nb_execution_mode
    key = _sources_hash(_PACKAGE_DIR, Path(app.srcdir) / "solutions")
    config.raycourse_sources_hash = key
    stamp = cache_dir(app) / CACHE_STAMP
    if config.nb_execution_mode != "cache" or (stamp.exists() and stamp.read_text().strip() == key):
        return
    if stamp.parent.exists():
        _logger.info("raycourse: sources or library versions changed, clearing %s", stamp.parent)
        shutil.rmtree(stamp.parent)
    stamp.parent.mkdir(parents=True)
    stamp.write_text(key + "\n")


def _will_execute(app: Any, text: str) -> bool:
    """Whether myst-nb is about to execute this page, and it starts Ray."""
    mode = app.config.nb_execution_mode
    starts_ray = "ray.init(" in text or "start_ray(" in text
    if mode == "off" or not (starts_ray and is_myst_markdown_notebook(text)):
        return False
    if mode != "cache":
        return True
    try:
        get_cache(cache_dir(app)).match_cache_notebook(read_myst_markdown_notebook(text))
    except KeyError:
        return True
    return False


def share_one_ray(app: Any, docname: str, source: list[str]) -> None:
    """Before the first page that executes, start one local Ray that every page joins.

    Each page's ``ray.init(address=os.environ.get("RAY_ADDRESS", "local"))`` joins it
    instead of starting a Ray of its own (about 15 s on 2 CPUs each). A build whose
    environment already names a cluster in ``RAY_ADDRESS`` uses that one.
    """
    if os.environ.get("RAY_ADDRESS") or not _will_execute(app, source[0]):
        return
    import ray

    started = time.perf_counter()
    options = {"address": "local", "logging_level": "ERROR", "log_to_driver": False}
    try:
        context = ray.init(**options)
    except Exception:  # Ray's start-up waits run out on a busy machine: try once more
        ray.shutdown()
        time.sleep(10)
        context = ray.init(**options)
    # The kernels that execute the pages inherit the build's environment.
    os.environ["RAY_ADDRESS"] = context.address_info["address"]
    os.environ[SHARED_RAY_SECONDS_ENV_VAR] = f"{time.perf_counter() - started:.1f}"
    _logger.info("raycourse: the pages join one Ray at %s", os.environ["RAY_ADDRESS"])


def stop_shared_ray(app: Any, exception: Exception | None) -> None:
    """Shut down the Ray that :func:`share_one_ray` started, if it started one."""
    if SHARED_RAY_SECONDS_ENV_VAR in os.environ:
        import ray

        ray.shutdown()
        del os.environ["RAY_ADDRESS"], os.environ[SHARED_RAY_SECONDS_ENV_VAR]
