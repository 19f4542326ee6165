"""HTML tables, and a y range that shows every error bar and pi."""

from __future__ import annotations

import math
from html.parser import HTMLParser

import pytest
from bokeh.models import Range1d

from raycourse.figures import estimates_figure
from raycourse.formatting import html_table


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


def test_estimates_range_shows_every_bar_and_pi():
    # Means 3.0 and 3.14, standard deviations 0.05 and 0.001: pi lies above every bar.
    fig = estimates_figure([10_000, 1_000_000], [[2.95, 3.05], [3.139, 3.141]])
    assert isinstance(fig.y_range, Range1d)
    assert fig.y_range.start < 3.0 - 0.05 and fig.y_range.end > math.pi
