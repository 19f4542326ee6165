"""Files the site serves itself: its stylesheet and script, BokehJS and MathJax."""

from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

from .bokeh_assets import bokeh_static_dir, bokehjs_files

__all__ = ["MATHJAX_ENTRY", "SCRIPT", "STYLESHEET", "copy_static_files", "mathjax_source_dir"]

STYLESHEET = "raycourse.css"
SCRIPT = "raycourse.js"
MATHJAX_ENTRY = "tex-chtml.js"
_OWN_STATIC = Path(__file__).parent / "static"
_MATHJAX_DIST = "sphinx-mathjax-offline"
# The combined MathJax bundles that the site does not load (about 15 MB).
_MATHJAX_UNUSED = ("mml-", "tex-mml-", "tex-svg", "tex-chtml-full", "node-main")


def mathjax_source_dir() -> Path:
    """Return the MathJax 3 ``es5`` directory shipped by ``sphinx-mathjax-offline``.

    Raises
    ------
    RuntimeError
        If the package is not installed or has no MathJax entry point.
    """
    try:
        dist = metadata.distribution(_MATHJAX_DIST)
    except metadata.PackageNotFoundError as exc:
        raise RuntimeError(
            f"{_MATHJAX_DIST} is not installed; run `make setup` to serve MathJax locally"
        ) from exc
    source = Path(str(dist.locate_file(f"{_MATHJAX_DIST}/static/mathjax")))
    if not (source / MATHJAX_ENTRY).is_file():
        raise RuntimeError(f"no {MATHJAX_ENTRY} in {source}")
    return source


def copy_file(source: Path, target: Path) -> None:
    """Copy a file unless an identical one is there: reruns stay cheap and quiet."""
    same_size = target.is_file() and target.stat().st_size == source.stat().st_size
    if same_size and target.read_bytes() == source.read_bytes():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def copy_static_files(app: Any) -> None:
    """Copy the site's own static files, BokehJS and MathJax into ``_static``."""
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for path in _OWN_STATIC.rglob("*"):
        if path.is_file():
            copy_file(path, static / path.relative_to(_OWN_STATIC))
    for path in bokehjs_files():
        copy_file(path, static / bokeh_static_dir() / path.name)
    mathjax = mathjax_source_dir()
    for path in mathjax.rglob("*"):
        relative = path.relative_to(mathjax)
        top_level_bundle = len(relative.parts) == 1 and path.name.startswith(_MATHJAX_UNUSED)
        if path.is_file() and not top_level_bundle:
            copy_file(path, static / "mathjax" / relative)
