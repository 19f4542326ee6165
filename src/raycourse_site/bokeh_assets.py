"""Bokeh's notebook outputs on the static site: drawn late, from the site, and named.

``output_notebook()``'s loader (BokehJS from a CDN) becomes a comment; a ``show()`` output's
embed script is written inert, for ``raycourse-lazy.js`` to run as the figure comes
near. BokehJS canvases have no accessible name: each root is wrapped in a ``role="figure"``
(``"group"`` with controls; ``"img"`` would hide the dart board's buttons) named from its
plots' titles, axes and legends, with its first frame (:mod:`.first_frame`) if it has one.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from bokeh.document import Document
from bokeh.embed.bundle import bundle_for_objs_and_resources
from bokeh.resources import Resources
from docutils import nodes

from .first_frame import first_frame_html

__all__ = ["BOKEHJS_BUNDLES", "BokehMimeRenderer", "label_bokeh_outputs"]

BOKEHJS_MARKER = "BokehJS is loaded by raycourse_site when a figure comes into view"
#: The ``type`` of an embed script that waits for ``raycourse-lazy.js`` to run it.
DEFERRED_EMBED_TYPE = "text/x-raycourse-bokeh-embed"
#: The doctree attribute that lists the page's BokehJS bundles, core first.
BOKEHJS_BUNDLES = "raycourse_bokehjs_bundles"

_LOAD_MIME = "application/vnd.bokehjs_load.v0+json"
_EXEC_MIME = "application/vnd.bokehjs_exec.v0+json"
_DOCS_JSON = re.compile(r"const docs_json = (\{.*?\});\n", re.DOTALL)
_ROOT_DIV = re.compile(r'<div id="[^"]+" data-root-id="(?P<root>[^"]+)"[^>]*></div>')
_PLOTS = {"Figure", "Plot", "GMapPlot"}
# Widget models a reader operates (a Selection or a GroupFilter is not one).
_CONTROLS = re.compile(
    r"\w*Button\w*|Toggle|Dropdown|\w*Input|\w*Select|\w*Slider|\w*Picker"
    r"|CheckboxGroup|RadioGroup|Spinner|Switch|Tabs|MultiChoice|DataTable"
)


def _documents(text: str) -> list[dict[str, Any]]:
    """The serialised Bokeh documents of the embed scripts in ``text``."""
    return [doc for found in _DOCS_JSON.findall(text) for doc in json.loads(found).values()]


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
            # Not empty: myst-nb would drop it and write the loader's script instead.
            return [nodes.comment("", BOKEHJS_MARKER)]
        if data.mime_type == _EXEC_MIME:
            return []  # dropped: the output's embed script is drawn instead
        if data.mime_type != "application/javascript" or "root.Bokeh" not in data.string:
            return None
        roots = " ".join(root["id"] for doc in _documents(data.string) for root in doc["roots"])
        # As myst-nb writes a script: its own "</script>" must not end it.
        code = data.string.replace("</script>", r"<\/script>")
        script = f'<script type="{DEFERRED_EMBED_TYPE}" data-root-ids="{roots}">{code}</script>'
        return [nodes.raw("", script, format="html")]


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
    """A plot in words: its title, axis labels and legend."""
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


def _describe(root: dict[str, Any], index: dict[str, dict[str, Any]]) -> tuple[str, bool]:
    """A root of a serialised Bokeh document in words, and whether it holds controls."""
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
    return (f"{kind} with {'; '.join(parts)}." if parts else f"{kind}."), bool(controls)


def label_bokeh_outputs(app: Any, doctree: nodes.document, docname: str) -> None:
    """Wrap each Bokeh root ``<div>`` in a named element, after its first frame if it has one.

    Connected to ``doctree-resolved``; notes the bundles Bokeh picks (``BOKEHJS_BUNDLES``).
    """
    documents = [doc for node in doctree.findall(nodes.raw) for doc in _documents(node.astext())]
    models = [Document.from_json(document) for document in documents]
    if models:
        bundle = bundle_for_objs_and_resources(models, Resources(mode="absolute", minified=True))
        doctree[BOKEHJS_BUNDLES] = [str(url).rsplit("/", 1)[-1] for url in bundle.js_files]
    wrappers = {}
    for document, model in zip(documents, models, strict=True):
        index = {item["id"]: item for item in _objects(document)}
        for root in document["roots"]:
            description, controls = _describe(root, index)
            role = "group" if controls else "figure"
            label = html.escape(description)
            frame = first_frame_html(model.get_model_by_id(root["id"])) or ""
            start = f'<div class="raycourse-bokeh" role="{role}" aria-label="{label}">{frame}'
            wrappers[root["id"]] = (start, "</div>")
    for node in list(doctree.findall(nodes.raw)) if wrappers else []:
        if "data-root-id" in node.astext():
            text = _ROOT_DIV.sub(lambda m: m[0].join(wrappers[m["root"]]), node.astext())
            node.replace_self(nodes.raw("", text, format="html"))
