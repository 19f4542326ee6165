"""The dart-throwing animation: Bokeh panels that throw darts in the browser.

The lesson opens with three panels, one per dart count, each a 2 x 2 square
with its inscribed unit circle. Pressing Play throws darts into all panels at
the same rate, so a panel with ten times the darts takes ten times as long;
each panel shows its running estimate of pi, the error and the dart count.

Everything runs in the browser, in a static page with no kernel as well as in
Jupyter: the buttons carry ``CustomJS`` callbacks and the darts come from a
small counter-based generator written in JavaScript, so the page ships a seed
per panel instead of 100,000 coordinates. ``_dart_positions`` is the same
generator in NumPy: Python knows exactly where the browser's darts land.

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

import numpy as np
from bokeh.layouts import column, row
from bokeh.models import Button, ColumnDataSource, CustomJS, Div, InlineStyleSheet, Range1d
from bokeh.plotting import figure

from ._checks import check_int, check_positive_real, check_seed

__all__ = [
    "BUTTON_STYLESHEET",
    "DEFAULT_SIZES",
    "ESTIMATE_CSS_CLASS",
    "INSIDE_COLOR",
    "JS_GENERATOR",
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

#: Styles inside each button's shadow root. With Bokeh's stock colours white
#: text has 2.5:1 on Play and 1.9:1 on Stop; these meet WCAG AA's 4.5:1 (Play
#: 5.1:1 white on green, Stop 7.9:1 dark on amber, Reset 12.6:1), and a focused
#: button gets a two-colour ring that shows on light and dark pages alike.
BUTTON_STYLESHEET = """
:host {
  --success: #1e7e34;
  --success-border: #1a6e2d;
  --success-hover: #17692b;
  --success-hover-border: #145c26;
  --success-active: #145c26;
  --success-active-border: #104a1f;
}
.bk-btn-warning,
.bk-btn-warning:hover,
.bk-btn-warning:active {
  color: #212529;
}
.bk-btn-default {
  color: #333333;
}
.bk-btn:focus {
  outline: none;
}
.bk-btn:focus-visible {
  /* The transparent outline still shows in forced-colours (high contrast) mode. */
  outline: 3px solid transparent;
  box-shadow: 0 0 0 2px #ffffff, 0 0 0 5px #1565c0;
}
"""

_STATUS_HTML = (
    f'<p role="status" aria-live="polite" class="{STATUS_CSS_CLASS}">Press Play to throw darts.</p>'
)

_OUTLINE_COLOR = "#333333"
_GOLDEN = 0x9E3779B9  # odd multiplier: successive counters map to well-spread keys
_MASK32 = 0xFFFFFFFF

# The generator, in plain JavaScript (no Bokeh): mirrored by `_dart_positions`.
JS_GENERATOR = """
// Dart i of a round depends only on the panel's seed, the round and i: pausing
// and resuming never moves a dart, and Python can compute the same darts.
function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
function roundKey(seed, round) {
  return fmix32((seed + Math.imul(round, 0x9e3779b9)) >>> 0);
}
function coordinate(key, counter) {
  return (fmix32((key + Math.imul(counter, 0x9e3779b9)) >>> 0) / 4294967296) * 2 - 1;
}
function throwDarts(seed, round, start, stop) {
  const key = roundKey(seed, round);
  const inside = {x: [], y: []};
  const outside = {x: [], y: []};
  for (let i = start; i < stop; i++) {
    const x = coordinate(key, 2 * i);
    const y = coordinate(key, 2 * i + 1);
    const hit = x * x + y * y <= 1 ? inside : outside;
    hit.x.push(x);
    hit.y.push(y);
  }
  return {inside, outside};
}
"""

# Board helpers shared by the three callbacks. Arguments: sizes, seeds, inside,
# outside, labels (one per panel), play, status and rate (darts per second).
_JS_BOARD = """
// The state lives on the Play button's model, so all three callbacks share it.
const state = play.raycourse_state ||
  (play.raycourse_state = {run: 0, round: 0, running: false, announced: []});
const grouped = (n) => n.toLocaleString("en-US");
function thrown(p) {
  return inside[p].data.x.length + outside[p].data.x.length;
}
function describe(p) {
  const n = thrown(p);
  let estimate = "\u2014";
  let error = "\u2014";
  if (n > 0) {
    const value = (4 * inside[p].data.x.length) / n;
    estimate = value.toFixed(4);
    error = (value >= Math.PI ? "+" : "\u2212") + Math.abs(value - Math.PI).toFixed(4);
  }
  return `<span class="raycourse-pi">\u03c0 \u2248 ${estimate}</span> ` +
    `<span class="raycourse-error">(error ${error})</span><br>` +
    `<span class="raycourse-count">${grouped(n)} of ${grouped(sizes[p])} darts</span>`;
}
function summary(p) {
  const n = thrown(p);
  if (n === 0) return `${grouped(sizes[p])} darts: none thrown`;
  const value = (4 * inside[p].data.x.length) / n;
  return `${grouped(sizes[p])} darts: pi is about ${value.toFixed(4)} after ${grouped(n)}`;
}
// Speak through the status line. Its text is set in the page, not on the Bokeh
// model: a model change re-renders the Div, and a live region that is replaced
// instead of updated is not reliably read out.
function announce(message) {
  state.announced.push(message);
  const view = typeof Bokeh === "undefined" ? null : Bokeh.index.find_one(status);
  const region = view && view.shadow_el ? view.shadow_el.querySelector("[role=status]") : null;
  if (region !== null) region.textContent = message;
}
function clearBoard() {
  state.round += 1;  // the next run throws a fresh set of darts
  for (let p = 0; p < sizes.length; p++) {
    inside[p].data = {x: [], y: []};
    outside[p].data = {x: [], y: []};
    labels[p].text = describe(p);
  }
}
"""

_JS_RUN = """
if (state.running) {
  return;  // already throwing: Play stays enabled, so focus never falls to the page
}
if (sizes.every((size, p) => thrown(p) >= size)) {
  clearBoard();  // Play after a finished run starts again
}
const run = ++state.run;  // Stop and Reset bump state.run, which ends this loop
state.running = true;
announce("Throwing darts.");
const before = sizes.map((size, p) => thrown(p));
let startTime = null;
function frame(now) {
  if (state.run !== run) {
    return;
  }
  if (startTime === null) {
    startTime = now;
  }
  // Every panel throws at the same rate: ten times the darts take ten times as long.
  const due = Math.floor((rate * (now - startTime)) / 1000);
  let unfinished = 0;
  const finished = [];
  for (let p = 0; p < sizes.length; p++) {
    const target = Math.min(sizes[p], before[p] + due);
    const n = thrown(p);
    if (target > n) {
      const darts = throwDarts(seeds[p], state.round, n, target);
      if (darts.inside.x.length > 0) inside[p].stream(darts.inside);
      if (darts.outside.x.length > 0) outside[p].stream(darts.outside);
      labels[p].text = describe(p);
      if (target === sizes[p]) finished.push(p);
    }
    if (target < sizes[p]) unfinished += 1;
  }
  if (unfinished > 0) {
    // Once per panel, not per frame: a screen reader hears each final estimate.
    if (finished.length > 0) announce(finished.map(summary).join("; ") + ".");
    requestAnimationFrame(frame);
  } else {
    state.running = false;
    announce("Finished. " + sizes.map((size, p) => summary(p)).join("; ") + ".");
  }
}
requestAnimationFrame(frame);
"""

_JS_STOP = """
if (state.running) {
  state.run += 1;
  state.running = false;
  announce("Stopped. " + sizes.map((size, p) => summary(p)).join("; ") + ".");
}
"""

_JS_RESET = """
state.run += 1;
state.running = false;
clearBoard();
announce("Cleared. Press Play to throw fresh darts.");
"""


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


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, as ``fmix32`` in :data:`JS_GENERATOR`."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def _dart_positions(
    seed: int, num_darts: int, *, round_number: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Return where the browser's darts land: the NumPy twin of :data:`JS_GENERATOR`.

    Parameters
    ----------
    seed : int
        A panel's 32-bit seed (see :func:`panel_seeds`).
    num_darts : int
        How many darts, ``0 <= num_darts <= MAX_DARTS``.
    round_number : int, optional
        Which run of the panel: Reset and a replay after a finished run each
        move to the next round, with fresh darts.

    Returns
    -------
    x, y : numpy.ndarray
        Coordinates in ``[-1, 1)``, equal bit for bit to the browser's.

    Raises
    ------
    TypeError, ValueError
        If an argument is not an integer in its range.
    """
    seed = check_int("seed", seed, minimum=0)
    if seed > _MASK32:
        raise ValueError(f"seed must be < 2**32, got {seed!r}")
    num_darts = check_int("num_darts", num_darts, minimum=0)
    if num_darts > MAX_DARTS:
        raise ValueError(f"num_darts must be <= {MAX_DARTS:,}, got {num_darts!r}")
    round_number = check_int("round_number", round_number, minimum=0) & _MASK32
    start = np.array([(seed + round_number * _GOLDEN) & _MASK32], dtype=np.uint32)
    key = _fmix32(start)[0]
    counters = np.arange(2 * num_darts, dtype=np.uint32)
    words = _fmix32(key + counters * np.uint32(_GOLDEN))
    coordinates = words / 4294967296.0 * 2.0 - 1.0
    return coordinates[0::2], coordinates[1::2]


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
    return CustomJS(args=args, code=JS_GENERATOR + _JS_BOARD + _JS_RUN)


def stop_callback(panels: Sequence[DartPanel], *, play: Button, status: Div) -> CustomJS:
    """The stop role: JavaScript that pauses the animation, keeping the darts.

    Returns
    -------
    bokeh.models.CustomJS
        A callback for the Stop button's ``"button_click"`` event.
    """
    return CustomJS(args=_callback_args(panels, play, status), code=_JS_BOARD + _JS_STOP)


def reset_callback(panels: Sequence[DartPanel], *, play: Button, status: Div) -> CustomJS:
    """JavaScript that stops the animation and empties the panels for fresh darts.

    Returns
    -------
    bokeh.models.CustomJS
        A callback for the Reset button's ``"button_click"`` event.
    """
    return CustomJS(args=_callback_args(panels, play, status), code=_JS_BOARD + _JS_RESET)


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
    styles = InlineStyleSheet(css=BUTTON_STYLESHEET)
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
