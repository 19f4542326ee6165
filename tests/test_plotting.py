"""Bokeh helpers, checked on the figure model."""

from __future__ import annotations

import math

import pytest
from bokeh.models import HoverTool, Line, LinearAxis, LogAxis, Scatter, Span, Whisker

from raycourse import estimates_figure, timing_figure
from raycourse.timing import TimingRecord, TimingSweep


def make_sweep(xs, *, by="num_samples", use_ray=False, scale=1.0):
    records = []
    for x in xs:
        n, trials = (x, 20) if by == "num_samples" else (1_000_000, x)
        records.append(
            TimingRecord(trials, n, scale * n * trials * 1e-9, 3.14, 0.01, 0.05, use_ray)
        )
    return TimingSweep(records)


def glyphs(fig, kind):
    return [r for r in fig.renderers if isinstance(r.glyph, kind)]


@pytest.mark.parametrize("log_axes", [False, True])
def test_timing_figure_has_two_labelled_series(log_axes):
    fig = timing_figure(
        make_sweep([10, 100]), make_sweep([10, 100], use_ray=True), log_axes=log_axes
    )
    assert len(glyphs(fig, Line)) == 2
    assert len(glyphs(fig, Scatter)) == 2
    labels = [item.label["value"] for item in fig.legend[0].items]
    assert labels == ["no Ray", "Ray tasks"]
    axis = LogAxis if log_axes else LinearAxis
    assert isinstance(fig.xaxis[0], axis) and isinstance(fig.yaxis[0], axis)
    assert fig.xaxis[0].axis_label == "N (darts per trial)"
    assert fig.yaxis[0].axis_label == "wall-clock time (s)"
    assert fig.title.text == "Wall-clock time vs N, trials = 20"
    assert fig.sizing_mode == "stretch_width"


def test_timing_figure_by_trials_titles_the_fixed_n():
    fig = timing_figure(
        make_sweep([5, 7], by="trials"), make_sweep([5, 7], by="trials"), by="trials"
    )
    assert fig.xaxis[0].axis_label == "trials"
    assert fig.title.text == "Wall-clock time vs trials, N = 1,000,000"
    tooltips = dict(fig.select_one(HoverTool).tooltips)
    assert tooltips["trials"] == "@trials{0,0}"


def test_timing_figure_plots_the_measured_seconds():
    serial = make_sweep([10, 100])
    fig = timing_figure(serial, make_sweep([10, 100], use_ray=True, scale=2.0))
    sources = [r.data_source.data for r in glyphs(fig, Line)]
    assert list(sources[0]["seconds"]) == serial.columns()["seconds"]
    assert list(sources[1]["seconds"]) == [2 * s for s in serial.columns()["seconds"]]


def test_timing_figure_rejects_mismatched_sweeps():
    with pytest.raises(ValueError, match="differ"):
        timing_figure(make_sweep([10, 100]), make_sweep([10, 1000]))
    with pytest.raises(ValueError, match="by"):
        timing_figure(make_sweep([10]), make_sweep([10]), by="seconds")
    with pytest.raises(TypeError, match="serial"):
        timing_figure([1, 2], make_sweep([10]))
    with pytest.raises(ValueError, match="no records"):
        timing_figure(TimingSweep(), make_sweep([10]))


def test_estimates_figure_has_whiskers_and_pi_line():
    sweep = make_sweep([10, 100, 1000], use_ray=True)
    fig = estimates_figure(sweep)
    whiskers = [item for item in fig.center if isinstance(item, Whisker)]
    spans = [item for item in fig.center if isinstance(item, Span)]
    assert len(whiskers) == 1 and len(spans) == 1
    assert spans[0].location == pytest.approx(math.pi)
    data = whiskers[0].source.data
    assert list(data["lower"]) == pytest.approx([3.13] * 3)
    assert list(data["upper"]) == pytest.approx([3.15] * 3)
    assert isinstance(fig.xaxis[0], LogAxis)
    assert fig.yaxis[0].axis_label == "estimate of π"
    assert "with Ray tasks" in fig.title.text and "trials = 20" in fig.title.text


def test_estimates_figure_without_ray_says_so():
    assert "without Ray" in estimates_figure(make_sweep([10])).title.text
