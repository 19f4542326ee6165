"""Helpers the Tasks page needs: HTML tables of sweeps, and readable axes and ranges."""

from __future__ import annotations

import math
from html.parser import HTMLParser

import pytest
from bokeh.models import NumeralTickFormatter, Range1d

from raycourse import estimates_figure, timing_figure
from raycourse.formatting import html_table
from raycourse.timing import TimingRecord, TimingSweep


class Cells(HTMLParser):
    """Collect the text of every th/td and the caption."""

    def __init__(self):
        super().__init__()
        self.cells, self.caption, self._in = [], None, None

    def handle_starttag(self, tag, attrs):
        self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in in ("th", "td"):
            self.cells.append(data)
        elif self._in == "caption":
            self.caption = data


def parse(markup):
    parser = Cells()
    parser.feed(markup)
    return parser


def sweep(use_ray=False, stdevs=(0.02, 0.002)):
    return TimingSweep(
        TimingRecord(20, n, 0.1 * i + 0.1, 3.14, s, 0.05, use_ray)
        for i, (n, s) in enumerate(zip((10_000, 1_000_000), stdevs, strict=True))
    )


def test_html_table_headers_cells_and_caption():
    markup = html_table([{"N": "1,000", "s": "0.1"}, {"N": "2,000", "s": "0.2"}], caption="c")
    assert markup.startswith('<table class="table">')
    table = parse(markup)
    assert table.cells == ["N", "s", "1,000", "0.1", "2,000", "0.2"]
    assert table.caption == "c"


def test_html_table_escapes_text():
    table = parse(html_table([{"<b>": "a & b"}], caption="x < y"))
    assert table.cells == ["<b>", "a & b"] and table.caption == "x < y"
    assert "<b>" not in html_table([{"<b>": "1"}])


def test_html_table_rejects_empty_and_ragged_rows():
    with pytest.raises(ValueError, match="rows"):
        html_table([])
    with pytest.raises(ValueError, match=r"rows\[1\]"):
        html_table([{"a": 1}, {"b": 2}])


def test_sweep_renders_as_a_table_in_notebooks():
    table = parse(sweep(use_ray=True)._repr_html_())
    assert table.caption == "Ray tasks"
    assert table.cells[:6] == ["N", "trials", "seconds", "mean", "stdev", "error %"]
    assert table.cells[6] == "10,000" and table.cells[12] == "1,000,000"
    assert parse(sweep()._repr_html_()).caption == "no Ray"
    assert "no measurements" in TimingSweep()._repr_html_()


def test_estimates_range_shows_every_bar_and_pi():
    fig = estimates_figure(sweep(stdevs=(0.05, 0.001)))
    assert isinstance(fig.y_range, Range1d)
    assert fig.y_range.start < 3.14 - 0.05 and fig.y_range.end > math.pi
    assert fig.y_range.end > 3.14 + 0.05


def test_linear_n_axis_uses_thousands_separators():
    fig = timing_figure(sweep(), sweep(use_ray=True))
    assert isinstance(fig.xaxis[0].formatter, NumeralTickFormatter)
    assert fig.xaxis[0].formatter.format == "0,0"
    log_fig = timing_figure(sweep(), sweep(use_ray=True), log_axes=True)
    assert not isinstance(log_fig.xaxis[0].formatter, NumeralTickFormatter)
