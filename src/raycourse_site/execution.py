"""Execution settings and an execution cache that sees the course package."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import platform
import shutil
import time
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = [
    "EXECUTION_MODE_ENV_VAR",
    "course_source_dirs",
    "invalidate_stale_cache",
    "share_one_ray",
    "sources_hash",
    "stop_shared_ray",
]

EXECUTION_MODE_ENV_VAR = "RAYCOURSE_EXECUTION_MODE"
#: Set while the pages share one Ray: the seconds it took to start (Reproducibility shows it).
SHARED_RAY_SECONDS_ENV_VAR = "RAYCOURSE_SHARED_RAY_SECONDS"
CACHE_STAMP = "raycourse-sources.sha256"
# Libraries whose upgrade changes what the pages compute or embed.
_KEYED_DISTRIBUTIONS = ("bokeh", "numpy", "ray", "myst-nb", "nbclient")


def _course_package_dir() -> Path:
    """Locate the ``raycourse`` package without importing it (the pages import it)."""
    spec = importlib.util.find_spec("raycourse")
    if spec is None or spec.origin is None:
        raise RuntimeError("the raycourse package is not installed: run `make setup`")
    return Path(spec.origin).parent


def course_source_dirs(srcdir: str | Path) -> list[Path]:
    """The folders the pages run code from: the ``raycourse`` package and ``solutions/``."""
    return [_course_package_dir(), Path(srcdir) / "solutions"]


def sources_hash(*source_dirs: Path) -> str:
    """Return a SHA-256 key for what executed pages depend on beyond their own code.

    Parameters
    ----------
    *source_dirs : Path
        Folders whose files the pages import or run; by default the ``raycourse``
        package alone. The site passes the package and ``solutions/``.

    Returns
    -------
    str
        Hex digest over every file of those folders (path and bytes; not
        bytecode or hidden files) and the versions of Python and the libraries
        that shape the outputs.
    """
    roots = [Path(d) for d in source_dirs] or [_course_package_dir()]
    digest = hashlib.sha256()
    for number, root in enumerate(roots):
        digest.update(f"folder {number}".encode())
        for path in sorted(root.rglob("*")):
            relative_parts = path.relative_to(root).parts
            # Bytecode and hidden files (editor swap files) are not sources.
            skipped = "__pycache__" in relative_parts or any(
                p.startswith(".") for p in relative_parts
            )
            if path.is_file() and not skipped:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    digest.update(platform.python_version().encode())
    for name in _KEYED_DISTRIBUTIONS:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing".encode())
    return digest.hexdigest()


def apply_execution_mode(config: Any) -> None:
    """Let ``RAYCOURSE_EXECUTION_MODE`` (e.g. ``force``) override ``nb_execution_mode``."""
    mode = os.environ.get(EXECUTION_MODE_ENV_VAR)
    if mode:
        config.nb_execution_mode = mode


def invalidate_stale_cache(app: Any, config: Any) -> None:
    """Clear the jupyter cache when the raycourse sources or key versions changed."""
    from sphinx.util import logging

    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    stamp = cache / CACHE_STAMP
    key = config.raycourse_sources_hash
    if stamp.is_file() and stamp.read_text().strip() == key:
        return
    if cache.exists():
        logging.getLogger(__name__).info(
            "raycourse: package sources or library versions changed, clearing %s", cache
        )
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key + "\n")


def _will_execute(app: Any, text: str) -> bool:
    """Whether myst-nb is about to execute this page, and it starts Ray."""
    from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook

    mode = app.config.nb_execution_mode
    if mode == "off" or not is_myst_markdown_notebook(text):
        return False
    if "ray.init(" not in text and "start_ray(" not in text:
        return False  # a page that starts no Ray needs none
    if mode != "cache":
        return True
    from jupyter_cache import get_cache

    cache = app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache"
    try:
        get_cache(cache).match_cache_notebook(read_myst_markdown_notebook(text))
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
    from sphinx.util import logging

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
    logging.getLogger(__name__).info(
        "raycourse: the pages join one Ray at %s (started in %s s)",
        os.environ["RAY_ADDRESS"],
        os.environ[SHARED_RAY_SECONDS_ENV_VAR],
    )


def stop_shared_ray(app: Any, exception: Exception | None) -> None:
    """Shut down the Ray that :func:`share_one_ray` started, if it started one."""
    if SHARED_RAY_SECONDS_ENV_VAR in os.environ:
        import ray

        ray.shutdown()
        del os.environ["RAY_ADDRESS"], os.environ[SHARED_RAY_SECONDS_ENV_VAR]
