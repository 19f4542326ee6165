"""BokehJS served from the site: the mime renderer and the page-head scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes

__all__ = [
    "BOKEHJS_MARKER",
    "BokehMimeRenderer",
    "add_bokehjs",
    "bokeh_static_dir",
    "bokehjs_files",
]

BOKEHJS_MARKER = "BokehJS is loaded in the page head by raycourse_site"

_LOAD_MIME = "application/vnd.bokehjs_load.v0+json"
_EXEC_MIME = "application/vnd.bokehjs_exec.v0+json"
# The embed script of every `show()` output waits for this global.
_EMBED_SIGNATURE = "root.Bokeh"


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


def bokeh_static_dir() -> str:
    """Return the folder of ``_static`` that holds this Bokeh version's bundles."""
    import bokeh

    return f"bokeh-{bokeh.__version__}"


def page_uses_bokeh(doctree: nodes.Node) -> bool:
    """Return True if the page has a loader marker or a Bokeh embed script."""
    for node in doctree.findall(nodes.comment):
        if node.astext() == BOKEHJS_MARKER:
            return True
    return any(_EMBED_SIGNATURE in node.astext() for node in doctree.findall(nodes.raw))


def add_bokehjs(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load BokehJS in the head of pages that embed Bokeh documents."""
    if doctree is None or not page_uses_bokeh(doctree):
        return
    for path in bokehjs_files():
        # Before the extensions' scripts (500), synchronous: the embed scripts in
        # the body call Bokeh.embed right away.
        app.add_js_file(f"{bokeh_static_dir()}/{path.name}", priority=300)
