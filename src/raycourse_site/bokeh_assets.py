"""Bokeh's notebook outputs on the static site: drawn late, from the site, and named.

``output_notebook()``'s loader (BokehJS from a CDN) becomes a marker comment.
A ``show()`` output's embed script is written inert, naming its root ``<div>``,
for the site's ``raycourse-lazy.js`` to run as the figure comes near the
viewport. BokehJS canvases have no accessible name: each root is wrapped in a
``role="figure"`` (``"group"`` with controls; ``"img"`` would hide the dart
board's buttons) named from its plots' titles, axes and legends.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes

__all__ = [
    "BokehMimeRenderer",
    "describe_document",
    "label_bokeh_outputs",
    "page_bokehjs_files",
    "page_documents",
]

BOKEHJS_MARKER = "BokehJS is loaded by raycourse_site when a figure comes into view"
#: The ``type`` of an embed script that waits for ``raycourse-lazy.js`` to run it.
DEFERRED_EMBED_TYPE = "text/x-raycourse-bokeh-embed"
FIGURE_CSS_CLASS = "raycourse-bokeh"

_LOAD_MIME = "application/vnd.bokehjs_load.v0+json"
_EXEC_MIME = "application/vnd.bokehjs_exec.v0+json"
_DOCS_JSON = re.compile(r"const docs_json = (\{.*?\});\n", re.DOTALL)
_RENDER_ITEMS = re.compile(r"const render_items = (\[.*?\]);\n", re.DOTALL)
_ROOT_DIV = re.compile(r'<div id="[^"]+" data-root-id="(?P<root>[^"]+)"[^>]*></div>')
_PLOTS = {"Figure", "Plot", "GMapPlot"}
# Widget models a reader operates (a Selection or a GroupFilter is not one).
_CONTROLS = re.compile(
    r"\w*Button\w*|Toggle|Dropdown|\w*Input|\w*Select|\w*Slider|\w*Picker"
    r"|CheckboxGroup|RadioGroup|Spinner|Switch|Tabs|MultiChoice|DataTable"
)


class BokehMimeRenderer:
    """Render Bokeh's notebook outputs for the static site (a myst-nb plugin)."""

    mime_priority_overrides: ClassVar[list[tuple[str, str, int | None]]] = [
        # The marker wins over the loader's script; the exec type (empty) is never chosen.
        ("*", _LOAD_MIME, 1),
        ("*", _EXEC_MIME, None),
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        """Return the nodes for a Bokeh output, or ``None`` for any other."""
        if data.mime_type == _LOAD_MIME:
            return [nodes.comment("", BOKEHJS_MARKER)]
        if data.mime_type == _EXEC_MIME:
            return []  # an output of this type alone (the JS one is chosen when present)
        if data.mime_type != "application/javascript" or "root.Bokeh" not in data.string:
            return None
        items = [item for found in _RENDER_ITEMS.findall(data.string) for item in json.loads(found)]
        roots = " ".join(root for item in items for root in item.get("root_ids", []))
        # As myst-nb writes a script: its own "</script>" must not end it.
        code = data.string.replace("</script>", r"<\/script>")
        script = f'<script type="{DEFERRED_EMBED_TYPE}" data-root-ids="{roots}">{code}</script>'
        return [nodes.raw("", script, format="html")]


def bokehjs_files() -> list[Path]:
    """Return every minified BokehJS bundle of the installed Bokeh, core first."""
    from bokeh.resources import Resources

    return [Path(name) for name in Resources(mode="absolute", minified=True).js_files]


def page_documents(doctree: nodes.Node) -> list[dict[str, Any]]:
    """Return the serialised Bokeh documents embedded in a page.

    Parameters
    ----------
    doctree : docutils.nodes.Node
        The page's document tree, after myst-nb has rendered its outputs.

    Returns
    -------
    list of dict
        Each document as Bokeh's JSON (``roots``, ``references``, ...), in page order.
    """
    return [
        document
        for node in doctree.findall(nodes.raw)
        for found in _DOCS_JSON.findall(node.astext())
        for document in json.loads(found).values()
    ]


def page_bokehjs_files(doctree: nodes.Node) -> list[Path]:
    """Return the BokehJS bundles that a page's Bokeh documents need, core first.

    Bokeh's own rule for a standalone file picks them (widgets for a button or a ``Div``).
    """
    from bokeh.document import Document
    from bokeh.embed.bundle import bundle_for_objs_and_resources
    from bokeh.resources import Resources

    documents = [Document.from_json(document) for document in page_documents(doctree)]
    if not documents:
        return []
    bundle = bundle_for_objs_and_resources(documents, Resources(mode="absolute", minified=True))
    return [Path(str(url)) for url in bundle.js_files]


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every serialised Bokeh model in ``value``, depth first."""
    if isinstance(value, dict) and value.get("type") == "object" and "id" in value:
        yield value
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    for item in items:
        yield from _objects(item)


def _label(model: dict[str, Any], key: str, index: dict[str, dict[str, Any]]) -> str:
    """The plain text of a model's label: a string, a ``value`` or a (referenced) Title."""
    value = model.get("attributes", {}).get(key)
    if isinstance(value, dict) and value.get("type") == "value":
        value = value.get("value")
    if isinstance(value, dict) and index.get(value.get("id"), value).get("name") == "Title":
        return _label(index.get(value["id"], value), "text", index)
    return value.strip() if isinstance(value, str) else ""


def _describe_plot(plot: dict[str, Any], index: dict[str, dict[str, Any]]) -> str:
    title = _label(plot, "title", index)
    words = [f"plot “{title}”" if title else "plot"]
    for sides, direction in ((("below", "above"), "horizontal"), (("left", "right"), "vertical")):
        for axis in _objects([plot.get("attributes", {}).get(side, []) for side in sides]):
            if label := _label(axis, "axis_label", index):
                words.append(f"{direction} axis {label}")
    items = [
        _label(item, "label", index) for item in _objects(plot) if item["name"] == "LegendItem"
    ]
    legend = list(dict.fromkeys(filter(None, items)))
    return ", ".join(words + (["legend " + ", ".join(legend)] if legend else []))


def describe_document(document: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """Describe each root of a serialised Bokeh document in words.

    Parameters
    ----------
    document : dict
        One document of an embed script's ``docs_json``.

    Returns
    -------
    dict
        For each root id, its description and whether it holds controls.
    """
    index = {model["id"]: model for model in _objects(document)}
    described = {}
    for root in document.get("roots", []):
        models = list(_objects(root))
        plots = [model for model in models if model["name"] in _PLOTS]
        controls = [model for model in models if _CONTROLS.fullmatch(model["name"])]
        buttons = [
            _label(model, "label", index) for model in controls if model["name"].endswith("Button")
        ]
        parts = ["controls: " + ", ".join(filter(None, buttons))] if buttons else []
        if plots:
            count = "a plot" if len(plots) == 1 else f"{len(plots)} plots"
            parts.append(f"{count}: " + "; ".join(_describe_plot(plot, index) for plot in plots))
        kind = "Interactive figure" if controls else "Figure"
        text = f"{kind} with {'; '.join(parts)}." if parts else f"{kind}."
        described[root["id"]] = (text, bool(controls))
    return described


def label_bokeh_outputs(app: Any, doctree: nodes.document, docname: str) -> None:
    """Wrap each Bokeh root ``<div>`` of a page in a named element (``doctree-resolved``)."""
    described: dict[str, tuple[str, bool]] = {}
    for document in page_documents(doctree):
        described.update(describe_document(document))

    def wrap(match: re.Match[str]) -> str:
        if match["root"] not in described:
            return match[0]
        description, has_controls = described[match["root"]]
        role = "group" if has_controls else "figure"
        label = html.escape(description, quote=True)
        return (
            f'<div class="{FIGURE_CSS_CLASS}" role="{role}" aria-label="{label}">{match[0]}</div>'
        )

    for node in list(doctree.findall(nodes.raw)) if described else []:
        if "data-root-id" in node.astext():
            node.replace_self(nodes.raw("", _ROOT_DIV.sub(wrap, node.astext()), format="html"))
