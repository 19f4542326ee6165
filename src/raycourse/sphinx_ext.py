"""Sphinx extension for building the course site.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``. It makes the site
self-contained and keeps cached execution honest:

* **Build marker.** ``setup`` sets :data:`raycourse.progress.BUILD_ENV_VAR`,
  which the Jupyter kernels that execute the pages inherit, so no progress-bar
  widgets end up in the built pages.
* **BokehJS from the site.** :class:`BokehMimeRenderer` (a myst-nb mime
  renderer plugin, registered as an entry point in ``pyproject.toml``) drops
  the loader that ``output_notebook()`` emits (it fetches BokehJS from a CDN or
  inlines about 4 MB of it) and leaves a marker instead. The BokehJS bundles of
  the installed Bokeh are copied once into ``_static/bokeh-<version>/`` and
  loaded synchronously in the head of every page that has such a marker or an
  embedded Bokeh document, so they are in place before any plot script runs.
* **MathJax from the site.** MathJax 3 (shipped by the ``sphinx-mathjax-offline``
  package, which we use only as a source of files) is copied into
  ``_static/mathjax/`` and ``mathjax_path`` points there.
* **No stale outputs.** The execution cache only sees a page's own code. The
  hash of the ``raycourse`` sources and of the key library versions is a
  config value that triggers a full re-read when it changes, and the jupyter
  cache is cleared at the same time, so every page executes again.
* **Execution mode.** ``RAYCOURSE_EXECUTION_MODE`` (e.g. ``force``) overrides
  ``nb_execution_mode``: CI and ``make test`` force execution, local builds use
  the cache.
* **Scripts once.** Inline scripts that Sphinx 7 would emit twice are written
  once (a duplicate ``const THEBE_JS_URL`` is a page error).
* **Dropdowns that open.** A small stylesheet lets a click anywhere on a
  dropdown's title reach sphinx-togglebutton's handler (see ``_STYLESHEET_TEXT``).
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes

from .progress import BUILD_ENV_VAR

__all__ = [
    "BOKEHJS_MARKER",
    "EXECUTION_MODE_ENV_VAR",
    "BokehMimeRenderer",
    "bokehjs_files",
    "mathjax_source_dir",
    "setup",
    "sources_hash",
]

EXECUTION_MODE_ENV_VAR = "RAYCOURSE_EXECUTION_MODE"
BOKEHJS_MARKER = "BokehJS is loaded in the page head by raycourse.sphinx_ext"

_LOAD_MIME = "application/vnd.bokehjs_load.v0+json"
_EXEC_MIME = "application/vnd.bokehjs_exec.v0+json"
# The embed script of every `show()` output waits for this global.
_EMBED_SIGNATURE = "root.Bokeh"
_MATHJAX_DIST = "sphinx-mathjax-offline"
_MATHJAX_ENTRY = "tex-chtml.js"
# The combined MathJax bundles that the site does not load (about 15 MB).
_MATHJAX_UNUSED = ("mml-", "tex-mml-", "tex-svg", "tex-chtml-full", "node-main")
_CACHE_STAMP = "raycourse-sources.sha256"
_STYLESHEET = "raycourse.css"
# sphinx-togglebutton toggles a dropdown when its title is clicked, but a click
# on an element inside the title (the "Exercise 1.1" link of a solution) makes
# its handler throw "button is not defined" and leaves the dropdown closed. The
# title's children let clicks through to the title itself.
_STYLESHEET_TEXT = """\
/* Written by raycourse.sphinx_ext. */
.admonition.toggle > .admonition-title * {
  pointer-events: none;
}
"""
# Libraries whose upgrade changes what the pages compute or embed.
_KEYED_DISTRIBUTIONS = ("bokeh", "numpy", "ray", "myst-nb", "nbclient")


class BokehMimeRenderer:
    """Render Bokeh's notebook mime types for the static site (a myst-nb plugin).

    The loader output of ``output_notebook()`` becomes a marker comment: the
    extension loads BokehJS from ``_static`` instead. The exec mime type of a
    ``show()`` output carries no content (its ``application/javascript``
    sibling is the embed script that the page keeps), so it renders to nothing.
    """

    mime_priority_overrides: ClassVar[list[tuple[str, str, int | None]]] = [
        # Choose the marker over the loader script for every output format.
        ("*", _LOAD_MIME, 1),
        ("*", _EXEC_MIME, None),
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        """Return the nodes for a Bokeh mime type, or ``None`` for any other."""
        if data.mime_type == _LOAD_MIME:
            return [nodes.comment("", BOKEHJS_MARKER)]
        if data.mime_type == _EXEC_MIME:
            return []
        return None


def bokehjs_files() -> list[Path]:
    """Return the minified BokehJS bundles of the installed Bokeh, core first.

    These are the bundles that ``output_notebook()`` would load: the core,
    WebGL, widgets, tables and MathJax-in-plots.
    """
    from bokeh.resources import Resources

    return [Path(name) for name in Resources(mode="absolute", minified=True).js_files]


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
    if not (source / _MATHJAX_ENTRY).is_file():
        raise RuntimeError(f"no {_MATHJAX_ENTRY} in {source}")
    return source


def sources_hash(package_dir: Path | None = None) -> str:
    """Return a SHA-256 key for what executed pages depend on beyond their own code.

    Parameters
    ----------
    package_dir : Path, optional
        The ``raycourse`` package directory; by default the imported one.

    Returns
    -------
    str
        Hex digest over every file of the package (path and bytes; not
        bytecode or hidden files) and the versions of Python and the libraries
        that shape the outputs.
    """
    root = Path(__file__).parent if package_dir is None else Path(package_dir)
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative_parts = path.relative_to(root).parts
        # Bytecode and hidden files (editor swap files) are not sources.
        skipped = "__pycache__" in relative_parts or any(p.startswith(".") for p in relative_parts)
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


def _bokeh_static_dir() -> str:
    import bokeh

    return f"bokeh-{bokeh.__version__}"


def _copy_file(source: Path, target: Path) -> None:
    """Copy a file unless an identical one is there: reruns stay cheap and quiet."""
    same_size = target.is_file() and target.stat().st_size == source.stat().st_size
    if same_size and target.read_bytes() == source.read_bytes():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _configure(app: Any, config: Any) -> None:
    """Set execution mode, MathJax path and the sources key before anything reads them."""
    mode = os.environ.get(EXECUTION_MODE_ENV_VAR)
    if mode:
        config.nb_execution_mode = mode
    config.mathjax_path = f"mathjax/{_MATHJAX_ENTRY}"
    config.raycourse_sources_hash = sources_hash()
    if config.nb_execution_mode == "cache":
        _invalidate_stale_cache(app, config)


def _invalidate_stale_cache(app: Any, config: Any) -> None:
    """Clear the jupyter cache when the raycourse sources or key versions changed."""
    from sphinx.util import logging

    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    stamp = cache / _CACHE_STAMP
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


def _copy_static_assets(app: Any) -> None:
    """Write the site's stylesheet; copy BokehJS and MathJax into ``_static``."""
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    stylesheet = static / _STYLESHEET
    if not stylesheet.is_file() or stylesheet.read_text() != _STYLESHEET_TEXT:
        stylesheet.parent.mkdir(parents=True, exist_ok=True)
        stylesheet.write_text(_STYLESHEET_TEXT)
    for path in bokehjs_files():
        _copy_file(path, static / _bokeh_static_dir() / path.name)
    mathjax = mathjax_source_dir()
    for path in mathjax.rglob("*"):
        relative = path.relative_to(mathjax)
        top_level_bundle = len(relative.parts) == 1 and path.name.startswith(_MATHJAX_UNUSED)
        if path.is_file() and not top_level_bundle:
            _copy_file(path, static / "mathjax" / relative)


def _page_uses_bokeh(doctree: nodes.Node) -> bool:
    for node in doctree.findall(nodes.comment):
        if node.astext() == BOKEHJS_MARKER:
            return True
    return any(_EMBED_SIGNATURE in node.astext() for node in doctree.findall(nodes.raw))


def _add_bokehjs(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load BokehJS in the head of pages that embed Bokeh documents."""
    if doctree is None or not _page_uses_bokeh(doctree):
        return
    for path in bokehjs_files():
        # Before the extensions' scripts (500), synchronous: the embed scripts in
        # the body call Bokeh.embed right away.
        app.add_js_file(f"{_bokeh_static_dir()}/{path.name}", priority=300)


def _write_scripts_once(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Drop repeated inline scripts from the page head.

    Sphinx 7 records an inline script added after the builder started (as
    sphinx-thebe and sphinx-togglebutton do) with the file name ``None`` and
    re-adds it from its registry with ``''``, so the page gets it twice; a
    repeated ``const`` declaration is a SyntaxError in the browser.
    """
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for script in scripts:
        key = (
            script.filename or "",
            script.priority,
            tuple(sorted(script.attributes.items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # In place: the builder restores its own list after each page.
    scripts[:] = unique


def setup(app: Any) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    os.environ[BUILD_ENV_VAR] = "1"
    # A change re-reads every page ("env"), which with a cleared cache re-executes it.
    app.add_config_value("raycourse_sources_hash", "", "env", str)
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _copy_static_assets)
    app.add_css_file(_STYLESHEET)
    app.connect("html-page-context", _add_bokehjs)
    # Late, after every extension added its scripts for the page.
    app.connect("html-page-context", _write_scripts_once, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
