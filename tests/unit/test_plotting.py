"""The estimates figure, checked on the figure model."""

from __future__ import annotations

import math
import statistics

import pytest
from bokeh.models import HoverTool, LogAxis, Scatter, Span, Whisker

from raycourse.figures import estimates_figure, refinement_figure

SIZES = [10, 100, 1000]
ESTIMATES = [[3.0, 3.2, 3.1], [3.13, 3.15, 3.14], [3.141, 3.142, 3.143]]


def test_estimates_figure_has_whiskers_at_one_standard_deviation_and_a_pi_line():
    fig = estimates_figure(SIZES, ESTIMATES)
    whiskers = [item for item in fig.center if isinstance(item, Whisker)]
    spans = [item for item in fig.center if isinstance(item, Span)]
    assert len(whiskers) == 1 and len(spans) == 1
    assert spans[0].location == pytest.approx(math.pi)
    data = whiskers[0].source.data
    means = [statistics.fmean(group) for group in ESTIMATES]
    stdevs = [statistics.stdev(group) for group in ESTIMATES]
    assert list(data["n"]) == SIZES
    assert list(data["mean"]) == pytest.approx(means)
    assert list(data["lower"]) == pytest.approx([m - s for m, s in zip(means, stdevs, strict=True)])
    assert list(data["upper"]) == pytest.approx([m + s for m, s in zip(means, stdevs, strict=True)])
    (markers,) = [r for r in fig.renderers if isinstance(r.glyph, Scatter)]
    assert markers.data_source is whiskers[0].source
    assert fig.select_one(HoverTool).renderers == [markers]
    assert isinstance(fig.xaxis[0], LogAxis)
    assert fig.xaxis[0].axis_label == "N (darts per estimate)"
    assert fig.yaxis[0].axis_label == "estimate of π"
    assert fig.sizing_mode == "stretch_width"


def test_estimates_figure_title_counts_the_estimates():
    assert fig_title(estimates_figure(SIZES, ESTIMATES)) == (
        "Mean of 3 estimates ± 1 standard deviation vs N"
    )
    tooltips = dict(estimates_figure(SIZES, ESTIMATES).select_one(HoverTool).tooltips)
    assert tooltips["estimates"] == "@count"


def fig_title(fig) -> str:
    return fig.title.text


@pytest.mark.parametrize(
    ("sizes", "estimates", "match"),
    [
        ([], [], "one group"),
        ([10, 100], [[3.0, 3.1]], "one group"),
        ([10], [[3.1]], "at least two"),
    ],
)
def test_estimates_figure_rejects_bad_input(sizes, estimates, match):
    with pytest.raises(ValueError, match=match):
        estimates_figure(sizes, estimates)


def test_refinement_figure_whiskers_at_two_standard_errors():
    fig = refinement_figure([100, 400], [78, 315])
    whiskers = [item for item in fig.center if isinstance(item, Whisker)]
    assert len(whiskers) == 1
    data = whiskers[0].source.data
    assert list(data["darts"]) == [100, 400]
    assert list(data["estimate"]) == [3.12, 3.15]
    rows = zip([100, 400], [3.12, 3.15], data["lower"], data["upper"], strict=True)
    for n, estimate, low, high in rows:
        p = estimate / 4
        error = 4 * math.sqrt(p * (1 - p) / n)
        assert low == pytest.approx(estimate - 2 * error)
        assert high == pytest.approx(estimate + 2 * error)
    assert "2 calls: the estimate after 100 to 400 darts" in fig.title.text
    assert isinstance(fig.below[0], LogAxis)


@pytest.mark.parametrize(
    ("darts", "inside", "error", "message"),
    [
        ([], [], ValueError, "one count per call: 0 and 0"),
        ([100], [78, 80], ValueError, "one count per call: 1 and 2"),
        ([100.0], [78], TypeError, r"darts\[0\] must be an integer, got 100.0"),
        ([100], [-1], ValueError, r"inside\[0\] must be >= 0, got -1"),
        ([100], [101], ValueError, r"inside\[0\] must be at most darts\[0\] = 100, got 101"),
    ],
)
def test_refinement_figure_refuses_impossible_counts(darts, inside, error, message):
    with pytest.raises(error, match=message):
        refinement_figure(darts, inside)
