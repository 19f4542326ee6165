"""The dart-throwing animation: Bokeh panels that throw darts in the browser.

The lesson opens with three panels, one per dart count, each a 2 x 2 square
with its inscribed unit circle. Pressing Play throws darts into all panels at
the same rate, so a panel with ten times the darts takes ten times as long;
each panel shows its running estimate of pi, the error and the dart count.

Everything runs in the browser, in a static page with no kernel as well as in
Jupyter: the buttons carry ``CustomJS`` callbacks and the darts come from a
small counter-based generator written in JavaScript, so the page ships a seed
per panel instead of 100,000 coordinates. The JavaScript and the buttons'
stylesheet are files in ``dart_board_assets/``, shipped with the package.

The buttons are never disabled, so keyboard focus stays where the reader put
it: Play while running and Stop while stopped do nothing. A status line under
the buttons is a polite live region: it announces the start, each panel's
final estimate as that panel finishes, and the estimates on Stop, not every
frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
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

#: CSS class of each panel's estimate (a Bokeh ``Div``), for readers and browser tests.
ESTIMATE_CSS_CLASS = "raycourse-estimate"

#: CSS class of the board's status line, whose text is a polite live region.
STATUS_CSS_CLASS = "raycourse-status"

_INSIDE_COLOR = "#1f77b4"
_OUTSIDE_COLOR = "#ff7f0e"


_STATUS_HTML = (
    f'<p role="status" aria-live="polite" class="{STATUS_CSS_CLASS}">Press Play to throw darts.</p>'
)

_OUTLINE_COLOR = "#333333"


@cache
def _asset(name: str) -> str:
    """The text of one file in ``dart_board_assets/`` (JavaScript or CSS)."""
    return resources.files(__package__).joinpath("dart_board_assets", name).read_text("utf-8")


@dataclass(frozen=True)
class _Panel:
    """One panel of the board: its darts, seed, figure, two dart sources and label."""

    num_darts: int
    seed: int
    figure: figure
    inside: ColumnDataSource
    outside: ColumnDataSource
    label: Div


def _panel_seeds(seed: int | None, count: int) -> list[int]:
    """``count`` independent 32-bit panel seeds from ``seed`` (``None``: fresh entropy)."""
    states = np.random.SeedSequence(check_seed(seed)).generate_state(count, np.uint32)
    return [int(value) for value in states]


def _label_html(num_darts: int) -> str:
    """The label of a panel with no darts yet (``describe`` in the JavaScript)."""
    return (
        '<span class="raycourse-pi">\u03c0 \u2248 \u2014</span> '
        '<span class="raycourse-error">(error \u2014)</span><br>'
        f'<span class="raycourse-count">0 of {num_darts:,} darts</span>'
    )


def _panel(num_darts: int, seed: int, size: int) -> _Panel:
    """One empty panel: the square, its circle, two dart sources and a label."""
    fig = figure(
        title=f"{num_darts:,} darts",
        frame_width=size,
        frame_height=size,
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
    label = Div(
        text=_label_html(num_darts),
        css_classes=[ESTIMATE_CSS_CLASS],
        width=size,
        styles={"font-size": "14px", "line-height": "1.4"},
    )
    return _Panel(num_darts, seed, fig, sources[0], sources[1], label)


def _callback(
    panels: Sequence[_Panel], play: Button, status: Div, scripts: Sequence[str], **extra: float
) -> CustomJS:
    """A button's JavaScript: the files ``scripts`` run with the panels' models as arguments.

    Play's callback (``run.js``) throws a batch of darts per animation frame at
    ``rate`` darts per second per panel, resuming after Stop and starting fresh
    after a finished run; it keeps the shared state on the Play button's model.
    ``stop.js`` pauses and keeps the darts; ``reset.js`` also empties the panels.
    """
    args = {
        "sizes": [panel.num_darts for panel in panels],
        "seeds": [panel.seed for panel in panels],
        "inside": [panel.inside for panel in panels],
        "outside": [panel.outside for panel in panels],
        "labels": [panel.label for panel in panels],
        "play": play,
        "status": status,
        **extra,
    }
    return CustomJS(args=args, code="".join(_asset(name) for name in scripts))


def dart_board(
    sizes: Sequence[int] = DEFAULT_SIZES,
    *,
    seed: int | None = 0,
    duration_per_1000: float = 0.3,
    panel_size: int = 210,
):
    """Make the animated dart board: Play / Stop / Reset and one panel per size.

    The result is an ordinary Bokeh layout: ``bokeh.io.show`` displays it in a
    notebook or a page, where it animates with no Python behind it.

    Parameters
    ----------
    sizes : sequence of int
        Darts per panel, each ``1 <= size <= MAX_DARTS``.
    seed : int or None, optional
        Seed of the first run's darts (later runs follow from it); ``None``
        draws fresh entropy.
    duration_per_1000 : float, optional
        Seconds every panel takes per 1,000 darts, ``> 0``.
    panel_size : int, optional
        Side of each square panel in pixels, ``>= 50``.

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
    panel_size = check_int("panel_size", panel_size, minimum=50)
    seeds = _panel_seeds(seed, len(sizes))
    panels = [_panel(n, s, panel_size) for n, s in zip(sizes, seeds, strict=True)]
    # One stylesheet for the three buttons; none is ever disabled (see the module docstring).
    styles = InlineStyleSheet(css=_asset("buttons.css"))
    play = Button(label="Play", button_type="success", width=90, stylesheets=[styles])
    stop = Button(label="Stop", button_type="warning", width=90, stylesheets=[styles])
    reset = Button(label="Reset", button_type="default", width=90, stylesheets=[styles])
    status = Div(
        text=_STATUS_HTML,
        css_classes=[STATUS_CSS_CLASS],
        styles={"font-size": "14px", "margin-left": "8px"},
    )
    run = _callback(panels, play, status, ("generator.js", "board.js", "run.js"), rate=rate)
    play.js_on_event("button_click", run)
    stop.js_on_event("button_click", _callback(panels, play, status, ("board.js", "stop.js")))
    reset.js_on_event("button_click", _callback(panels, play, status, ("board.js", "reset.js")))
    # Panels wrap onto further lines on screens too narrow for a single row.
    layouts = [column(panel.label, panel.figure) for panel in panels]
    return column(row(play, stop, reset, status), row(*layouts, styles={"flex-wrap": "wrap"}))
