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

The lesson's three roles are three functions:

- make: :func:`dart_board` (or :func:`dart_panel` for one panel);
- run: :func:`run_callback`, the JavaScript behind Play;
- stop: :func:`stop_callback` (behind Stop) and :func:`reset_callback` (Reset).
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

__all__ = [
    "DEFAULT_SIZES",
    "ESTIMATE_CSS_CLASS",
    "INSIDE_COLOR",
    "MAX_DARTS",
    "OUTSIDE_COLOR",
    "STATUS_CSS_CLASS",
    "DartPanel",
    "dart_board",
    "dart_panel",
    "panel_seeds",
    "reset_callback",
    "run_callback",
    "stop_callback",
]

#: Dart counts of the lesson's three panels.
DEFAULT_SIZES = (1_000, 10_000, 100_000)

#: Most darts one panel may throw: a browser draws every one of them.
MAX_DARTS = 1_000_000

#: CSS class of each panel's estimate (a Bokeh ``Div``), for readers and browser tests.
ESTIMATE_CSS_CLASS = "raycourse-estimate"

#: CSS class of the board's status line, whose text is a polite live region.
STATUS_CSS_CLASS = "raycourse-status"

INSIDE_COLOR = "#1f77b4"
OUTSIDE_COLOR = "#ff7f0e"


_STATUS_HTML = (
    f'<p role="status" aria-live="polite" class="{STATUS_CSS_CLASS}">Press Play to throw darts.</p>'
)

_OUTLINE_COLOR = "#333333"
_MASK32 = 0xFFFFFFFF


@cache
def _asset(name: str) -> str:
    """The text of one file in ``dart_board_assets/`` (JavaScript or CSS)."""
    return resources.files(__package__).joinpath("dart_board_assets", name).read_text("utf-8")


def _script(*names: str) -> str:
    """The JavaScript files ``names``, joined into the code of one callback."""
    return "".join(_asset(name) for name in names)


@dataclass(frozen=True)
class DartPanel:
    """One panel of the board and the Bokeh models its callbacks update.

    Attributes
    ----------
    num_darts : int
        Darts the panel throws in a full run.
    seed : int
        The panel's 32-bit seed for the browser's generator.
    figure : bokeh.plotting.figure
        The square with its circle and the darts.
    inside, outside : bokeh.models.ColumnDataSource
        Darts thrown so far (columns ``x`` and ``y``), inside and outside the circle.
    label : bokeh.models.Div
        Running estimate, error and dart count (CSS class :data:`ESTIMATE_CSS_CLASS`).
    """

    num_darts: int
    seed: int
    figure: figure
    inside: ColumnDataSource
    outside: ColumnDataSource
    label: Div

    @property
    def layout(self):
        """The label above the figure, as one Bokeh column."""
        return column(self.label, self.figure)


def panel_seeds(seed: int | None, count: int) -> list[int]:
    """Return ``count`` independent 32-bit panel seeds derived from ``seed``.

    ``None`` draws fresh entropy, so every call differs.
    """
    count = check_int("count", count)
    states = np.random.SeedSequence(check_seed(seed)).generate_state(count, np.uint32)
    return [int(value) for value in states]


def _label_html(num_darts: int) -> str:
    """The label of a panel with no darts yet (``describe`` in the JavaScript)."""
    return (
        '<span class="raycourse-pi">\u03c0 \u2248 \u2014</span> '
        '<span class="raycourse-error">(error \u2014)</span><br>'
        f'<span class="raycourse-count">0 of {num_darts:,} darts</span>'
    )


def dart_panel(num_darts: int, seed: int, *, size: int = 210) -> DartPanel:
    """Make one empty panel: the square, its circle, two dart sources and a label.

    Parameters
    ----------
    num_darts : int
        Darts in a full run, ``1 <= num_darts <= MAX_DARTS``.
    seed : int
        The panel's 32-bit seed.
    size : int, optional
        Side of the square plotting area in pixels, ``>= 50``.

    Returns
    -------
    DartPanel
    """
    num_darts = check_int("num_darts", num_darts)
    if num_darts > MAX_DARTS:
        raise ValueError(f"num_darts must be <= {MAX_DARTS:,}, got {num_darts!r}")
    seed = check_int("seed", seed, minimum=0)
    if seed > _MASK32:
        raise ValueError(f"seed must be < 2**32, got {seed!r}")
    size = check_int("size", size, minimum=50)
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
    for name, color in (("inside", INSIDE_COLOR), ("outside", OUTSIDE_COLOR)):
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
    return DartPanel(num_darts, seed, fig, sources[0], sources[1], label)


def _callback_args(panels: Sequence[DartPanel], play: Button, status: Div) -> dict:
    if not panels or not all(isinstance(panel, DartPanel) for panel in panels):
        raise TypeError(f"panels must be a non-empty sequence of DartPanel, got {panels!r}")
    if not isinstance(play, Button):
        raise TypeError(f"play must be a bokeh.models.Button, got {play!r}")
    if not isinstance(status, Div):
        raise TypeError(f"status must be a bokeh.models.Div, got {status!r}")
    return {
        "sizes": [panel.num_darts for panel in panels],
        "seeds": [panel.seed for panel in panels],
        "inside": [panel.inside for panel in panels],
        "outside": [panel.outside for panel in panels],
        "labels": [panel.label for panel in panels],
        "play": play,
        "status": status,
    }


def run_callback(
    panels: Sequence[DartPanel], *, play: Button, status: Div, darts_per_second: float
) -> CustomJS:
    """The run role: JavaScript that throws darts, a batch per animation frame.

    All panels throw ``darts_per_second`` darts each, so a panel's run takes
    ``num_darts / darts_per_second`` seconds. After Stop, it resumes where the
    panels are; after a finished run, it clears them and throws fresh darts.

    Parameters
    ----------
    panels : sequence of DartPanel
        The panels to animate.
    play : bokeh.models.Button
        The Play button; the callbacks keep their shared state on its model.
    status : bokeh.models.Div
        The status line: its ``role="status"`` element announces the start,
        each panel's final estimate and the end of a run.
    darts_per_second : float
        Throwing rate of every panel, ``> 0``.

    Returns
    -------
    bokeh.models.CustomJS
        A callback for the Play button's ``"button_click"`` event.
    """
    args = _callback_args(panels, play, status)
    args["rate"] = check_positive_real("darts_per_second", darts_per_second)
    return CustomJS(args=args, code=_script("generator.js", "board.js", "run.js"))


def stop_callback(panels: Sequence[DartPanel], *, play: Button, status: Div) -> CustomJS:
    """The stop role: JavaScript that pauses the animation, keeping the darts.

    Returns
    -------
    bokeh.models.CustomJS
        A callback for the Stop button's ``"button_click"`` event.
    """
    return CustomJS(args=_callback_args(panels, play, status), code=_script("board.js", "stop.js"))


def reset_callback(panels: Sequence[DartPanel], *, play: Button, status: Div) -> CustomJS:
    """JavaScript that stops the animation and empties the panels for fresh darts.

    Returns
    -------
    bokeh.models.CustomJS
        A callback for the Reset button's ``"button_click"`` event.
    """
    return CustomJS(args=_callback_args(panels, play, status), code=_script("board.js", "reset.js"))


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
        Side of each square panel in pixels.

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
    duration_per_1000 = check_positive_real("duration_per_1000", duration_per_1000)
    seeds = panel_seeds(seed, len(sizes))
    panels = [
        dart_panel(check_int(f"sizes[{i}]", n), s, size=panel_size)
        for i, (n, s) in enumerate(zip(sizes, seeds, strict=True))
    ]
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
    rate = 1_000 / duration_per_1000
    play.js_on_event(
        "button_click", run_callback(panels, play=play, status=status, darts_per_second=rate)
    )
    stop.js_on_event("button_click", stop_callback(panels, play=play, status=status))
    reset.js_on_event("button_click", reset_callback(panels, play=play, status=status))
    # Panels wrap onto further lines on screens too narrow for a single row.
    panels_row = row(*(panel.layout for panel in panels), styles={"flex-wrap": "wrap"})
    return column(row(play, stop, reset, status), panels_row)
