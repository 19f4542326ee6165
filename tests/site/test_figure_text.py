"""Bokeh documents are named in words from their own model (raycourse_site.bokeh_assets)."""

from __future__ import annotations

import json

from bokeh.document import Document
from bokeh.embed.util import standalone_docs_json_and_render_items
from bokeh.layouts import column
from bokeh.plotting import figure
from docutils import nodes
from docutils.utils import new_document

from raycourse.animation import dart_board
from raycourse_site.bokeh_assets import describe_document, label_bokeh_outputs


def docs_json(model) -> str:
    Document().add_root(model)
    docs, _ = standalone_docs_json_and_render_items([model])
    return json.dumps(docs)


def document_of(model) -> dict:
    (document,) = json.loads(docs_json(model)).values()
    return document


def timing_plot():
    fig = figure(title="Wall time", x_axis_label="darts", y_axis_label="seconds")
    fig.line([1, 2], [3, 4], legend_label="serial")
    fig.line([1, 2], [3, 5], legend_label="tasks")
    return fig


def test_plot_is_described_by_title_axes_and_legend():
    fig = timing_plot()
    ((description, controls),) = describe_document(document_of(fig)).values()
    assert description == (
        "Figure with a plot: plot “Wall time”, horizontal axis darts, "
        "vertical axis seconds, legend serial, tasks."
    )
    assert not controls


def test_dart_board_is_an_interactive_group_of_named_panels():
    ((description, controls),) = describe_document(document_of(dart_board(seed=1))).values()
    assert controls
    assert description.startswith("Interactive figure with controls: Play, Stop, Reset; 3 plots")
    assert "plot “100,000 darts”" in description


def test_layout_of_two_plots_names_both():
    ((description, _),) = describe_document(document_of(column(timing_plot(), figure()))).values()
    assert "2 plots: plot “Wall time”" in description and "; plot." in description


def test_page_outputs_are_wrapped_with_role_and_label():
    fig = timing_plot()
    payload = docs_json(fig)
    root_id = fig.id
    document = new_document("page")
    div = f'<div id="abc" data-root-id="{root_id}" style="display: contents;"></div>'
    document += nodes.raw("", div, format="html")
    document += nodes.raw("", f"<script>const docs_json = {payload};\n</script>", format="html")
    label_bokeh_outputs(None, document, "page")
    wrapped = next(iter(document.findall(nodes.raw))).astext()
    assert wrapped.startswith('<div class="raycourse-bokeh" role="figure" aria-label="Figure with')
    assert wrapped.endswith(div + "</div>")
