"""The dart board: Bokeh panels that throw darts in the browser, with no kernel behind them.

The buttons carry ``CustomJS`` callbacks (``dart_board_assets/``) whose generator draws the
darts from one seed per panel. They are never disabled, so keyboard focus stays put; a status
line is a polite live region that announces the start, each final estimate, and Stop.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from importlib import resources

import numpy as np
from bokeh.layouts import column, row
from bokeh.models import Button, ColumnDataSource, CustomJS, Div, InlineStyleSheet, Range1d
from bokeh.plotting import figure

from ._checks import check_int, check_positive_real, check_seed

__all__ = ["DEFAULT_SIZES", "ESTIMATE_CSS_CLASS", "MAX_DARTS", "STATUS_CSS_CLASS", "dart_board"]

#: Dart counts of the lesson's three panels.
DEFAULT_SIZES = (1_000, 10_000, 100_000)
#: Most darts one panel may throw: a browser draws every one of them.
MAX_DARTS = 1_000_000
#: CSS class of each panel's estimate, for readers and browser tests.
ESTIMATE_CSS_CLASS = "raycourse-estimate"
#: CSS class of the board's status line.
STATUS_CSS_CLASS = "raycourse-status"

_INSIDE_COLOR, _OUTSIDE_COLOR, _OUTLINE_COLOR = "#1f77b4", "#ff7f0e", "#333333"
_PANEL_PIXELS = 210  # side of a square panel


@cache
def _asset(name: str) -> str:
    """The text of one file in ``dart_board_assets/`` (JavaScript or CSS)."""
    return resources.files(__package__).joinpath("dart_board_assets", name).read_text("utf-8")


def _panel_seeds(seed: int | None, count: int) -> list[int]:
    """``count`` independent 32-bit panel seeds from ``seed`` (``None``: fresh entropy)."""
    states = np.random.SeedSequence(check_seed(seed)).generate_state(count, np.uint32)
    return [int(value) for value in states]


def _panel(num_darts: int) -> tuple[figure, ColumnDataSource, ColumnDataSource, Div]:
    """One empty panel: the square and its circle, the inside and outside darts, a label."""
    fig = figure(
        title=f"{num_darts:,} darts",
        frame_width=_PANEL_PIXELS,
        frame_height=_PANEL_PIXELS,
        x_range=Range1d(-1.02, 1.02),
        y_range=Range1d(-1.02, 1.02),
        toolbar_location=None,
        tools="",
        min_border=4,
        outline_line_color=None,
    )
    fig.axis.visible = False
    fig.grid.visible = False
    # Markers shrink as darts multiply, so that every panel fills to a similar density.
    marker_size = max(1.0, round(4.0 * math.sqrt(1_000 / num_darts), 1))
    sources = []
    for name, color in (("inside", _INSIDE_COLOR), ("outside", _OUTSIDE_COLOR)):
        source = ColumnDataSource({"x": [], "y": []}, name=f"darts {name}")
        fig.scatter(
            "x", "y", source=source, marker="square", size=marker_size, color=color, name=name
        )
        sources.append(source)
    fig.rect(0, 0, 2, 2, fill_color=None, line_color=_OUTLINE_COLOR, line_width=1.5)
    fig.circle(0, 0, radius=1, fill_color=None, line_color=_OUTLINE_COLOR, line_width=1.5)
    # The text of a panel with no darts yet, as `describe` in board.js writes it.
    text = (
        '<span class="raycourse-pi">\u03c0 \u2248 \u2014</span> '
        '<span class="raycourse-error">(error \u2014)</span><br>'
        f'<span class="raycourse-count">0 of {num_darts:,} darts</span>'
    )
    styles = {"font-size": "14px", "line-height": "1.4"}
    label = Div(text=text, css_classes=[ESTIMATE_CSS_CLASS], width=_PANEL_PIXELS, styles=styles)
    return fig, sources[0], sources[1], label


def dart_board(
    sizes: Sequence[int] = DEFAULT_SIZES,
    *,
    seed: int | None = 0,
    duration_per_1000: float = 0.3,
):
    """Make the animated dart board: Play / Stop / Reset and one panel per size.

    Play throws darts into every panel at the same rate, so ten times the darts
    take ten times as long; each panel shows its estimate, error and dart count.

    Parameters
    ----------
    sizes : sequence of int
        Darts per panel, each ``1 <= size <= MAX_DARTS``.
    seed : int or None, optional
        Seed of the first run's darts (later runs follow); ``None``: fresh entropy.
    duration_per_1000 : float, optional
        Seconds every panel takes per 1,000 darts, ``> 0``.

    Returns
    -------
    bokeh.models.Column
        The buttons and the status line above a row of panels.

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or is out of range.

    Examples
    --------
    >>> board = dart_board((100, 1_000), seed=1)
    >>> [button.label for button in board.children[0].children[:3]]
    ['Play', 'Stop', 'Reset']
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
        raise ValueError(f"sizes must be a non-empty sequence of integers, got {sizes!r}")
    sizes = [check_int(f"sizes[{i}]", n) for i, n in enumerate(sizes)]
    for i, n in enumerate(sizes):
        if n > MAX_DARTS:
            raise ValueError(f"sizes[{i}] must be <= {MAX_DARTS:,}, got {n!r}")
    rate = 1_000 / check_positive_real("duration_per_1000", duration_per_1000)
    figures, inside, outside, labels = zip(*(_panel(n) for n in sizes), strict=True)
    styles = InlineStyleSheet(css=_asset("buttons.css"))
    play = Button(label="Play", button_type="success", width=90, stylesheets=[styles])
    stop = Button(label="Stop", button_type="warning", width=90, stylesheets=[styles])
    reset = Button(label="Reset", button_type="default", width=90, stylesheets=[styles])
    status = Div(
        text=f'<p role="status" aria-live="polite" class="{STATUS_CSS_CLASS}">'
        "Press Play to throw darts.</p>",
        css_classes=[STATUS_CSS_CLASS],
        styles={"font-size": "14px", "margin-left": "8px"},
    )
    # run.js throws a batch of darts per animation frame at `rate` darts per
    # second per panel and keeps the shared state on Play's model; stop.js
    # pauses; reset.js also empties the panels.
    args = {
        "sizes": sizes,
        "seeds": _panel_seeds(seed, len(sizes)),
        "inside": list(inside),
        "outside": list(outside),
        "labels": list(labels),
        "play": play,
        "status": status,
    }

    def callback(*scripts: str, **extra: float) -> CustomJS:
        return CustomJS(args={**args, **extra}, code="".join(_asset(name) for name in scripts))

    play.js_on_event("button_click", callback("generator.js", "board.js", "run.js", rate=rate))
    stop.js_on_event("button_click", callback("board.js", "stop.js"))
    reset.js_on_event("button_click", callback("board.js", "reset.js"))
    # Panels wrap onto further lines on screens too narrow for a single row.
    layouts = [column(label, fig) for fig, label in zip(figures, labels, strict=True)]
    return column(row(play, stop, reset, status), row(*layouts, styles={"flex-wrap": "wrap"}))
