"""BokehJS served from the site, loaded and run only when a page's figures need it.

A ``show()`` output is a root ``<div>`` and an embed script that draws the
document into it. The embed scripts are made inert at build time (their
``type`` says they are not JavaScript) and the page head loads one small
script of the site, ``raycourse-bokeh.js``, told which BokehJS bundles the
page's documents need: the core always, widgets, tables, WebGL or MathJax only
when a model of the page asks for them (Bokeh's own rule, as for a standalone
HTML file). That script loads the bundles and runs an embed script when its
figure comes near the viewport, so a page draws the figures a reader is about
to see rather than all of them at load.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes

__all__ = [
    "BOKEHJS_MARKER",
    "DEFERRED_EMBED_TYPE",
    "LOADER_SCRIPT",
    "BokehMimeRenderer",
    "add_bokehjs",
    "bokeh_static_dir",
    "bokehjs_files",
    "defer_bokeh_embeds",
    "page_bokehjs_files",
]

BOKEHJS_MARKER = "BokehJS is loaded by raycourse_site when a figure comes into view"
#: The ``type`` of an embed script that waits for ``raycourse-bokeh.js`` to run it.
DEFERRED_EMBED_TYPE = "text/x-raycourse-bokeh-embed"
#: The site's script (in ``static/``) that loads BokehJS and runs the embed scripts.
LOADER_SCRIPT = "raycourse-bokeh.js"

_LOAD_MIME = "application/vnd.bokehjs_load.v0+json"
_EXEC_MIME = "application/vnd.bokehjs_exec.v0+json"
# The embed script of every `show()` output waits for this global.
_EMBED_SIGNATURE = "root.Bokeh"
# A script's own "</script" is escaped (myst-nb does): the first end tag ends it.
_SCRIPT = re.compile(
    r'<script type="(?:application|text)/javascript">(?P<code>.*?)</script>', re.DOTALL
)
_DOCS_JSON = re.compile(r"const docs_json = (\{.*?\});\n", re.DOTALL)
_RENDER_ITEMS = re.compile(r"const render_items = (\[.*?\]);\n", re.DOTALL)


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
    """Return every minified BokehJS bundle of the installed Bokeh, core first.

    These are the bundles that ``output_notebook()`` would load: the core,
    WebGL, widgets, tables and MathJax-in-plots. The site serves them all; a
    page loads those its figures need (:func:`page_bokehjs_files`).
    """
    from bokeh.resources import Resources

    return [Path(name) for name in Resources(mode="absolute", minified=True).js_files]


def bokeh_static_dir() -> str:
    """Return the folder of ``_static`` that holds this Bokeh version's bundles."""
    import bokeh

    return f"bokeh-{bokeh.__version__}"


def _html_raw_nodes(doctree: nodes.Node) -> Iterator[nodes.raw]:
    """The raw HTML nodes of a page."""
    for node in doctree.findall(nodes.raw):
        if "html" in node.get("format", "").split():
            yield node


def _root_ids(code: str) -> list[str]:
    """The ids of the root models an embed script draws (its ``render_items``)."""
    ids = []
    for match in _RENDER_ITEMS.finditer(code):
        for item in json.loads(match.group(1)):
            ids.extend(item.get("root_ids", []))
    return ids


def _deferred(match: re.Match[str]) -> str:
    """An embed script made inert, naming its roots; any other script as it was."""
    code = match.group("code")
    if _EMBED_SIGNATURE not in code:
        return match.group(0)
    roots = " ".join(_root_ids(code))
    return f'<script type="{DEFERRED_EMBED_TYPE}" data-root-ids="{roots}">{code}</script>'


def defer_bokeh_embeds(app: Any, doctree: nodes.document, docname: str) -> None:
    """Make each Bokeh embed script of a page inert, for the loader to run (``doctree-resolved``).

    The script keeps its code; its ``type`` stops the browser from running it,
    and ``data-root-ids`` names the root ``<div>`` elements it draws into, which
    the loader watches.
    """
    for node in list(_html_raw_nodes(doctree)):
        text = node.astext()
        if _EMBED_SIGNATURE not in text:
            continue
        deferred = _SCRIPT.sub(_deferred, text)
        if deferred != text:
            node.replace_self(nodes.raw("", deferred, format="html"))


def _page_documents(doctree: nodes.Node) -> list[dict[str, Any]]:
    """The serialised Bokeh documents embedded in a page."""
    documents = []
    for node in _html_raw_nodes(doctree):
        for match in _DOCS_JSON.finditer(node.astext()):
            documents.extend(json.loads(match.group(1)).values())
    return documents


def page_bokehjs_files(doctree: nodes.Node) -> list[Path]:
    """Return the BokehJS bundles that the documents embedded in a page need, core first.

    Bokeh decides, as it does for a standalone HTML file: the widgets bundle for
    any widget (a button, a Div), tables for a data table, WebGL for a plot
    with ``output_backend="webgl"``, MathJax for a TeX label.

    Parameters
    ----------
    doctree : docutils.nodes.Node
        The page, after its outputs were rendered.

    Returns
    -------
    list of Path
        The bundles' files in the installed Bokeh; empty for a page with no
        embedded Bokeh document.
    """
    from bokeh.document import Document
    from bokeh.embed.bundle import bundle_for_objs_and_resources
    from bokeh.resources import Resources

    documents = [Document.from_json(document) for document in _page_documents(doctree)]
    if not documents:
        return []
    bundle = bundle_for_objs_and_resources(documents, Resources(mode="absolute", minified=True))
    return [Path(str(url)) for url in bundle.js_files]


def add_bokehjs(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give pages that embed Bokeh documents the loader, told which bundles to load."""
    if doctree is None:
        return
    bundles = page_bokehjs_files(doctree)
    if not bundles:
        return
    names = " ".join(f"{bokeh_static_dir()}/{path.name}" for path in bundles)
    # Deferred: it runs once the page is parsed, when every figure's <div> exists.
    app.add_js_file(LOADER_SCRIPT, loading_method="defer", **{"data-bokehjs": names})
