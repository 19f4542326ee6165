"""Text alternatives for the Bokeh documents embedded in the pages.

BokehJS draws plots on canvases with no accessible name, and Bokeh 3.9 has no
property for one. Each ``show()`` output of a page is a ``<div data-root-id>``
that BokehJS fills, and an embed script with the document as JSON. Here the
div is wrapped in an element named after what the document shows, read from
that JSON: each plot's title, axis labels and legend entries. A document of
plots only becomes a named ``role="figure"``, one with controls (the dart
board's buttons) a named ``role="group"``. Not ``role="img"``: that hides its
content, and BokehJS makes each plot's canvas focusable (for key events).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

from docutils import nodes

__all__ = ["FIGURE_CSS_CLASS", "describe_document", "describe_root", "label_bokeh_outputs"]

FIGURE_CSS_CLASS = "raycourse-bokeh"

_DOCS_JSON = re.compile(r"const docs_json = (\{.*?\});\n", re.DOTALL)
_ROOT_DIV = re.compile(r'<div id="[^"]+" data-root-id="(?P<root>[^"]+)"[^>]*></div>')
_PLOTS = {"Figure", "Plot", "GMapPlot"}
# Widget models a reader operates (model names; a Selection or GroupFilter is not one).
_CONTROLS = re.compile(
    r"\w*Button\w*|Toggle|Dropdown|\w*Input|\w*Select|\w*Slider|\w*Picker"
    r"|CheckboxGroup|RadioGroup|Spinner|Switch|Tabs|MultiChoice|DataTable"
)


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every serialised Bokeh model in ``value``, depth first."""
    if isinstance(value, dict):
        if value.get("type") == "object" and "id" in value:
            yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def _text(value: Any, index: dict[str, dict[str, Any]]) -> str:
    """The plain text of a label: a string, a ``value`` wrapper or a Title model."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        if value.get("type") == "value":
            return _text(value.get("value"), index)
        model = index.get(value.get("id", ""), value)
        if model.get("name") == "Title":
            return _text(model.get("attributes", {}).get("text"), index)
    return ""


def _describe_plot(plot: dict[str, Any], index: dict[str, dict[str, Any]]) -> str:
    attributes = plot.get("attributes", {})
    title = _text(attributes.get("title"), index)
    words = [f"plot “{title}”" if title else "plot"]
    for sides, direction in ((("below", "above"), "horizontal"), (("left", "right"), "vertical")):
        for side in sides:
            for axis in _objects(attributes.get(side, [])):
                axis_attributes = index.get(axis["id"], axis).get("attributes", {})
                label = _text(axis_attributes.get("axis_label"), index)
                if label:
                    words.append(f"{direction} axis {label}")
    legend = []
    for model in _objects(attributes):
        model = index.get(model["id"], model)
        if model.get("name") == "LegendItem":
            label = _text(model.get("attributes", {}).get("label"), index)
            if label and label not in legend:
                legend.append(label)
    if legend:
        words.append("legend " + ", ".join(legend))
    return ", ".join(words)


def describe_root(root: dict[str, Any], index: dict[str, dict[str, Any]]) -> tuple[str, bool]:
    """Describe one root model in words; also say whether it holds controls.

    Parameters
    ----------
    root : dict
        The serialised root model.
    index : dict
        Every serialised model of the document by id (references point here).

    Returns
    -------
    description, has_controls : str, bool
    """
    models = [index.get(model["id"], model) for model in _objects(root)]
    plots = [model for model in models if model.get("name") in _PLOTS]
    controls = [model for model in models if _CONTROLS.fullmatch(model.get("name", ""))]
    labels = [
        _text(model.get("attributes", {}).get("label"), index)
        for model in controls
        if model.get("name", "").endswith("Button")
    ]
    parts = []
    if labels:
        parts.append("controls: " + ", ".join(label for label in labels if label))
    if plots:
        count = "a plot" if len(plots) == 1 else f"{len(plots)} plots"
        parts.append(f"{count}: " + "; ".join(_describe_plot(plot, index) for plot in plots))
    description = "Interactive figure" if controls else "Figure"
    if parts:
        description += " with " + "; ".join(parts)
    return description + ".", bool(controls)


def describe_document(docs_json: str) -> dict[str, tuple[str, bool]]:
    """Describe every root of a serialised Bokeh document, by root id."""
    described = {}
    for document in json.loads(docs_json).values():
        index = {model["id"]: model for model in _objects(document)}
        for root in document.get("roots", []):
            described[root["id"]] = describe_root(root, index)
    return described


def label_bokeh_outputs(app: Any, doctree: nodes.document, docname: str) -> None:
    """Wrap each embedded Bokeh root of a page in a named element (``doctree-resolved``)."""
    raw_nodes = list(doctree.findall(nodes.raw))
    described: dict[str, tuple[str, bool]] = {}
    for node in raw_nodes:
        for match in _DOCS_JSON.finditer(node.astext()):
            described.update(describe_document(match.group(1)))
    if not described:
        return

    def wrap(match: re.Match[str]) -> str:
        found = described.get(match.group("root"))
        if found is None:
            return match.group(0)
        description, has_controls = found
        role = "group" if has_controls else "figure"
        label = html.escape(description, quote=True)
        return (
            f'<div class="{FIGURE_CSS_CLASS}" role="{role}" aria-label="{label}">'
            f"{match.group(0)}</div>"
        )

    for node in raw_nodes:
        if "html" not in node.get("format", "").split() or "data-root-id" not in node.astext():
            continue
        text = _ROOT_DIV.sub(wrap, node.astext())
        node.replace_self(nodes.raw("", text, format="html"))
