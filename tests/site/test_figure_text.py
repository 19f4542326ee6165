"""Bokeh documents are named in words from their own model (raycourse_site.bokeh_assets)."""

from __future__ import annotations

import html
import json
import re

from bokeh.document import Document
from bokeh.embed.util import standalone_docs_json_and_render_items
from bokeh.layouts import column
from bokeh.plotting import figure
from docutils import nodes
from docutils.utils import new_document

from raycourse.animation import dart_board
from raycourse_site.bokeh_assets import label_bokeh_outputs

WRAPPER = re.compile(r'<div class="raycourse-bokeh" role="(\w+)" aria-label="([^"]*)">')


def docs_json(model) -> str:
    Document().add_root(model)
    docs, _ = standalone_docs_json_and_render_items([model])
    return json.dumps(docs)


def root_div(model) -> str:
    return f'<div id="abc" data-root-id="{model.id}" style="display: contents;"></div>'


def wrapped(model) -> str:
    """A page's root <div> of ``model`` and its embed script, after the extension named it."""
    payload = docs_json(model)
    document = new_document("page")
    document += nodes.raw("", root_div(model), format="html")
    document += nodes.raw("", f"<script>const docs_json = {payload};\n</script>", format="html")
    label_bokeh_outputs(None, document, "page")
    return next(iter(document.findall(nodes.raw))).astext()


def named(model) -> tuple[str, str]:
    """The role and the accessible name that the wrapper of ``model`` gives it."""
    match = WRAPPER.match(wrapped(model))
    assert match, "the root is not wrapped"
    return match[1], html.unescape(match[2])


def timing_plot():
    fig = figure(title="Wall time", x_axis_label="darts", y_axis_label="seconds")
    fig.line([1, 2], [3, 4], legend_label="serial")
    fig.line([1, 2], [3, 5], legend_label="tasks")
    return fig


def test_plot_is_described_by_title_axes_and_legend():
    assert named(timing_plot()) == (
        "figure",
        "Figure with a plot: plot “Wall time”, horizontal axis darts, "
        "vertical axis seconds, legend serial, tasks.",
    )


def test_dart_board_is_an_interactive_group_of_named_panels():
    role, description = named(dart_board(seed=1))
    assert role == "group"
    assert description.startswith("Interactive figure with controls: Play, Stop, Reset; 3 plots")
    assert "plot “100,000 darts”" in description


def test_layout_of_two_plots_names_both():
    _, description = named(column(timing_plot(), figure()))
    assert "2 plots: plot “Wall time”" in description and "; plot." in description


def test_page_outputs_are_wrapped_with_role_and_label():
    fig = timing_plot()
    page = wrapped(fig)
    assert page.startswith('<div class="raycourse-bokeh" role="figure" aria-label="Figure with')
    assert page.endswith(root_div(fig) + "</div>"), "a plot with axes has no first frame"


def test_the_dart_board_has_its_first_frame_inside_the_wrapper():
    board = dart_board((1_000, 10_000), seed=1)
    page = wrapped(board)
    frame = page[WRAPPER.match(page).end() : -len(root_div(board) + "</div>")]
    assert frame.startswith(f'<div class="raycourse-first-frame" data-root-id-of="{board.id}">')
    assert frame.count("<svg") == 2
