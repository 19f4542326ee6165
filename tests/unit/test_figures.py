"""The speed figures and the shared style, checked on the Bokeh model."""

from __future__ import annotations

import pytest
from bokeh.models import ColumnDataSource, HoverTool, Label, Line, LogAxis, Scatter, Span

from raycourse.figures import speedup_figure, throughput_figure, times_figure
from raycourse.figures._style import BLUE, GREEN, GREY, RED, TOOLS

SIZES = [10**4, 10**5, 10**6, 10**7]


def _glyphs(fig, kind):
    return [r for r in fig.renderers if isinstance(r.glyph, kind)]


def _layouts(fig, kind):
    return [item for item in fig.center if isinstance(item, kind)]


def test_times_figure_draws_each_method_and_marks_a_size():
    serial, ray = [1e-4, 1e-3, 1e-2, 1e-1], [1e-2, 1e-2, 1e-2, 2e-2]
    times = {"one core": serial, "2 Ray tasks": ray}
    fig = times_figure(SIZES, times, marks={"crossover": 1.234e6}, title="t", x_label="N (x)")
    assert isinstance(fig.xaxis[0], LogAxis) and isinstance(fig.yaxis[0], LogAxis)
    assert fig.xaxis[0].axis_label == "N (x)"
    assert fig.yaxis[0].axis_label == "wall-clock time (s)"
    lines = _glyphs(fig, Line)
    assert [r.glyph.line_color for r in lines] == [BLUE, RED]
    assert [r.data_source.data["s"] for r in lines] == [serial, ray]
    assert lines[0].data_source.data["n"] == SIZES
    assert [item.label.value for item in fig.legend[0].items] == ["one core", "2 Ray tasks"]
    (span,) = _layouts(fig, Span)
    assert span.location == 1.234e6 and span.dimension == "height"
    assert span.line_dash == [6] or span.line_dash == "dashed"
    (label,) = _layouts(fig, Label)
    assert label.text == "crossover" and label.x == 1.234e6
    # The mark lies right of the middle of the log axis: the label goes left of the line.
    assert label.text_align == "right"


def test_times_figure_without_marks_has_none_and_labels_n_in_darts():
    fig = times_figure(SIZES, {"a": [1.0] * 4, "b": [2.0] * 4}, title="t")
    assert _layouts(fig, Span) == [] and _layouts(fig, Label) == []
    assert fig.xaxis[0].axis_label == "N (darts)"


def test_times_figure_leaves_out_missing_marks_and_keeps_their_style():
    times = {"a": [1.0] * 4, "b": [2.0] * 4, "c": [3.0] * 4}
    fig = times_figure(SIZES, times, marks={"crossover": None, "threshold": 2e4}, title="t")
    (span,) = _layouts(fig, Span)
    assert span.location == 2e4 and span.line_color == GREEN
    assert _layouts(fig, Label)[0].text_align == "left"
    assert [r.glyph.marker for r in _glyphs(fig, Scatter)] == ["circle", "square", "triangle"]
    assert _glyphs(fig, Line)[2].glyph.line_dash == [2, 4]  # dotted


def test_throughput_figure_dashes_the_raw_words():
    rates = {"plain": [1, 2, 3, 4], "estimate_pi": [5, 6, 7, 8], "raw words": [9, 9, 9, 9]}
    fig = throughput_figure(SIZES, rates)
    lines = _glyphs(fig, Line)
    assert [r.data_source.data["name"][0] for r in lines] == list(rates)
    assert lines[1].glyph.line_color == BLUE
    assert lines[2].glyph.line_color == GREY and lines[2].glyph.line_dash == [6]
    assert fig.y_range.start == 0
    assert fig.sizing_mode == "stretch_width"


def test_speedup_figure_divides_the_serial_time():
    fig = speedup_figure([1, 2], [2.0, 1.25], 2.5, num_samples=10**8)
    measured = _glyphs(fig, Scatter)[0].data_source
    assert isinstance(measured, ColumnDataSource)
    assert measured.data["speedup"] == pytest.approx([1.25, 2.0])
    ideal = _glyphs(fig, Line)[0]
    assert ideal.glyph.line_color == GREY
    assert "100,000,000" in fig.title.text


@pytest.mark.parametrize(
    "make",
    [
        lambda: times_figure([], {"a": []}, title="t"),
        lambda: times_figure(SIZES, {"a": [1.0]}, title="t"),
        lambda: times_figure(SIZES, {"a": [1.0] * 4, "b": [1.0] * 3}, title="t"),
    ],
)
def test_mismatched_series_are_rejected(make):
    with pytest.raises(ValueError):
        make()


@pytest.mark.parametrize(
    ("make", "labels"),
    [
        (lambda: times_figure(SIZES, {"a": [1.0] * 4}, title="t"), ["", "N", "seconds"]),
        (lambda: throughput_figure(SIZES, {"a": [1.0] * 4}), ["", "N", "M darts/s"]),
        (
            lambda: speedup_figure([1, 2], [2.0, 1.0], 2.0, num_samples=10),
            ["workers", "speedup", "seconds"],
        ),
    ],
)
def test_one_hover_tool_over_every_series(make, labels):
    (hover,) = make().select(HoverTool)
    assert [label for label, _ in hover.tooltips] == labels
    assert hover.renderers == "auto"


def test_one_toolbar_everywhere():
    fig = times_figure(SIZES, {"a": [1.0] * 4}, title="t")
    names = {type(tool).__name__ for tool in fig.toolbar.tools}
    assert {"PanTool", "WheelZoomTool", "BoxZoomTool", "ResetTool", "SaveTool"} <= names
    assert TOOLS.count(",") == 4
