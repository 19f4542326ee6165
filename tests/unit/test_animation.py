"""Tests of the dart-throwing animation: the Bokeh model, and its JavaScript run in Node."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import textwrap

import numpy as np
import pytest
from animation_reference import dart_positions
from bokeh.embed import json_item
from bokeh.models import Button, Circle, Column, CustomJS, Div, Rect, Row, Scatter

from raycourse.animation import (
    _INSIDE_COLOR,
    _OUTSIDE_COLOR,
    DEFAULT_SIZES,
    ESTIMATE_CSS_CLASS,
    MAX_DARTS,
    STATUS_CSS_CLASS,
    _asset,
    _panel_seeds,
    dart_board,
)

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def parts(board):
    """The three buttons, and each panel's (label, figure) of a dart board."""
    buttons_row, panels_row = board.children
    panels = [(panel.children[0], panel.children[1]) for panel in panels_row.children]
    return buttons_row.children[:3], panels


def status_line(board) -> Div:
    return board.children[0].children[3]


def callback(button: Button) -> CustomJS:
    callbacks = button.js_event_callbacks["button_click"]
    assert len(callbacks) == 1
    return callbacks[0]


# --- the Bokeh model -------------------------------------------------------------------


def test_board_layout_buttons_and_panels():
    board = dart_board(seed=3)
    assert isinstance(board, Column)
    assert isinstance(board.children[0], Row) and isinstance(board.children[1], Row)
    buttons, panels = parts(board)
    assert [button.label for button in buttons] == ["Play", "Stop", "Reset"]
    # Never disabled: a disabled button drops keyboard focus to the page.
    assert [button.disabled for button in buttons] == [False, False, False]
    status = status_line(board)
    assert isinstance(status, Div) and STATUS_CSS_CLASS in status.css_classes
    assert 'role="status"' in status.text and 'aria-live="polite"' in status.text
    assert len(panels) == len(DEFAULT_SIZES) == 3
    assert board.children[1].styles["flex-wrap"] == "wrap"
    for (label, fig), size in zip(panels, DEFAULT_SIZES, strict=True):
        assert fig.title.text == f"{size:,} darts"
        assert isinstance(label, Div)
        assert ESTIMATE_CSS_CLASS in label.css_classes
        assert f"0 of {size:,} darts" in label.text


def test_panels_are_equal_squares_with_a_unit_circle():
    _, panels = parts(dart_board())
    for label, fig in panels:
        assert fig.frame_width == fig.frame_height == label.width
        assert (fig.x_range.start, fig.x_range.end) == (fig.y_range.start, fig.y_range.end)
        assert fig.x_range.start < -1 < 1 < fig.x_range.end
        glyphs = [renderer.glyph for renderer in fig.renderers]
        (circle,) = [glyph for glyph in glyphs if isinstance(glyph, Circle)]
        assert (circle.x, circle.y, circle.radius) == (0, 0, 1)
        (square,) = [glyph for glyph in glyphs if isinstance(glyph, Rect)]
        assert (square.x, square.y, square.width, square.height) == (0, 0, 2, 2)


def test_darts_start_empty_in_two_coloured_scatter_renderers():
    _, panels = parts(dart_board())
    for _, fig in panels:
        darts = {r.name: r for r in fig.renderers if isinstance(r.glyph, Scatter)}
        assert set(darts) == {"inside", "outside"}
        assert darts["inside"].glyph.fill_color == _INSIDE_COLOR
        assert darts["outside"].glyph.fill_color == _OUTSIDE_COLOR
        for renderer in darts.values():
            assert renderer.data_source.data == {"x": [], "y": []}


def test_buttons_carry_run_stop_and_reset_callbacks():
    sizes = (200, 2_000)
    board = dart_board(sizes, seed=5, duration_per_1000=0.5)
    (play, stop, reset), panels = parts(board)
    run, halt, clear = callback(play), callback(stop), callback(reset)
    assert run.args["rate"] == pytest.approx(2_000.0)
    assert "requestAnimationFrame" in run.code and "requestAnimationFrame" not in halt.code
    for cb in (run, halt, clear):
        assert isinstance(cb, CustomJS)
        assert cb.args["sizes"] == list(sizes)
        assert cb.args["seeds"] == _panel_seeds(5, 2)
        assert cb.args["play"] is play and cb.args["status"] is status_line(board)
        assert cb.args["labels"] == [label for label, _ in panels]
        sources = [fig.select_one({"name": "inside"}).data_source for _, fig in panels]
        assert cb.args["inside"] == sources


def test_page_weight_does_not_grow_with_darts():
    small = json.dumps(json_item(dart_board((1_000, 10_000, 100_000), seed=1)))
    large = json.dumps(json_item(dart_board((1_000, 10_000, MAX_DARTS), seed=1)))
    assert abs(len(large) - len(small)) < 100
    assert len(small) < 60_000


def test_site_shows_the_board_before_play_as_a_static_first_frame():
    """The site's first frame stands in for BokehJS at the top of the Tasks page."""
    from bokeh.document import Document

    from raycourse_site.first_frame import first_frame_html

    document = Document()
    document.add_root(dart_board((1_000, 10_000), seed=1))
    # As the site reads it: from the document's JSON in the page.
    frame = first_frame_html(Document.from_json(document.to_json()).roots[0])
    assert frame is not None, "the site can no longer draw the board's first frame"
    assert [frame.count(tag) for tag in ("<button", "<svg", "<circle", "<rect ")] == [3, 2, 2, 4]
    for text in ("Play", "Stop", "Reset", "Press Play to throw darts.", "0 of 10,000 darts"):
        assert text in frame


def test_seed_fixes_the_board_and_none_varies_it():
    assert callback(parts(dart_board(seed=9))[0][0]).args["seeds"] == _panel_seeds(9, 3)
    assert _panel_seeds(9, 3) == _panel_seeds(9, 3)
    assert len(set(_panel_seeds(9, 3))) == 3
    assert _panel_seeds(None, 3) != _panel_seeds(None, 3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"sizes": ()}, ValueError, "sizes"),
        ({"sizes": "1000"}, ValueError, "sizes"),
        ({"sizes": (1_000, 0)}, ValueError, r"sizes\[1\]"),
        ({"sizes": (1_000.0,)}, TypeError, r"sizes\[0\]"),
        ({"sizes": (10, MAX_DARTS + 1)}, ValueError, r"sizes\[1\]"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": True}, TypeError, "seed"),
        ({"duration_per_1000": 0}, ValueError, "duration_per_1000"),
        ({"duration_per_1000": math.nan}, ValueError, "duration_per_1000"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        dart_board(**kwargs)


# --- the generator in NumPy (animation_reference.py) ---------------------------------


def test_dart_positions_are_uniform_and_estimate_pi():
    x, y = dart_positions(12345, 100_000)
    assert x.shape == y.shape == (100_000,)
    assert x.min() >= -1 and x.max() < 1 and y.min() >= -1 and y.max() < 1
    estimate = 4 * np.count_nonzero(x * x + y * y <= 1) / x.size
    assert abs(estimate - math.pi) < 4 * 1.642 / math.sqrt(x.size)
    # Each quadrant gets a quarter of the darts (binomial standard error 0.0014).
    quadrants = np.bincount((x >= 0) * 2 + (y >= 0), minlength=4) / x.size
    assert np.all(np.abs(quadrants - 0.25) < 4 * math.sqrt(0.25 * 0.75 / x.size))
    assert abs(np.corrcoef(x, y)[0, 1]) < 4 / math.sqrt(x.size)


def test_dart_positions_depend_on_seed_and_round_only():
    x, y = dart_positions(7, 1_000)
    x2, y2 = dart_positions(7, 2_000)
    assert np.array_equal(x, x2[:1_000]) and np.array_equal(y, y2[:1_000])
    assert not np.array_equal(x, dart_positions(8, 1_000)[0])
    assert not np.array_equal(x, dart_positions(7, 1_000, round_number=1)[0])


# --- the JavaScript, run in Node with stand-ins for the Bokeh models -------------------

_HARNESS = """
const spec = JSON.parse(require("fs").readFileSync(0, "utf8"));
function source() {
  return {
    data: {x: [], y: []},
    stream(rows) {
      this.data = {x: this.data.x.concat(rows.x), y: this.data.y.concat(rows.y)};
    },
  };
}
const models = {
  play: {},
  status: {text: ""},
  inside: spec.sizes.map(source),
  outside: spec.sizes.map(source),
  labels: spec.sizes.map(() => ({text: ""})),
};
// The page's status element, reached as the callbacks reach it: through BokehJS's views.
const region = {textContent: ""};
const statusView = {shadow_el: {querySelector: (s) => (s === "[role=status]" ? region : null)}};
globalThis.Bokeh = {index: {find_one: (model) => (model === models.status ? statusView : null)}};
let queued = [];
globalThis.requestAnimationFrame = (frame) => queued.push(frame);
function advance(milliseconds) {
  const frames = queued;
  queued = [];
  frames.forEach((frame) => frame(milliseconds));
}
function press(name) {
  const args = {...spec.args[name], ...models};
  const body = new Function(...Object.keys(args), spec.code[name]);
  body(...Object.values(args));
}
function snapshot() {
  return {
    inside: models.inside.map((s) => s.data.x.length),
    outside: models.outside.map((s) => s.data.x.length),
    x: models.inside.map((s, p) => s.data.x.concat(models.outside[p].data.x).sort((a, b) => a - b)),
    labels: models.labels.map((l) => l.text),
    running: models.play.raycourse_state.running,
    spoken: region.textContent,
    announcements: models.play.raycourse_state.announced.length,
    queued: queued.length,
  };
}
const log = [];
for (const [action, value] of spec.script) {
  if (action === "press") press(value);
  else if (action === "advance") advance(value);
  else log.push(snapshot());
}
console.log(JSON.stringify(log));
"""


def run_in_node(board, script):
    (play, stop, reset), _ = parts(board)
    named = {"play": callback(play), "stop": callback(stop), "reset": callback(reset)}
    plain = ("sizes", "seeds", "rate")
    spec = {
        "sizes": named["play"].args["sizes"],
        "args": {k: {a: v for a, v in cb.args.items() if a in plain} for k, cb in named.items()},
        "code": {k: cb.code for k, cb in named.items()},
        "script": script,
    }
    result = subprocess.run(
        [NODE, "-e", _HARNESS],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2_000:]
    return json.loads(result.stdout)


@needs_node
def test_js_generator_matches_python():
    probe = textwrap.dedent("""
        const out = [];
        for (const [seed, round] of [[0, 0], [4294967295, 3], [123456789, 1]]) {
          const d = throwDarts(seed, round, 0, 500);
          out.push({seed, round, inside: d.inside, outside: d.outside});
        }
        console.log(JSON.stringify(out));
    """)
    generator = _asset("generator.js")
    result = subprocess.run(
        [NODE, "-e", generator + probe], capture_output=True, text=True, check=True
    )
    for case in json.loads(result.stdout):
        x, y = dart_positions(case["seed"], 500, round_number=case["round"])
        hit = x * x + y * y <= 1
        assert case["inside"]["x"] == x[hit].tolist() and case["inside"]["y"] == y[hit].tolist()
        assert case["outside"]["x"] == x[~hit].tolist()


@needs_node
def test_play_throws_in_proportion_to_size_and_matches_python():
    board = dart_board((100, 1_000), seed=11, duration_per_1000=1.0)  # 1,000 darts/s
    start, half, end = run_in_node(
        board,
        [
            ["press", "play"], ["advance", 0], ["look", 0],
            ["advance", 500], ["look", 0],
            ["advance", 1_000], ["advance", 1_001], ["look", 0],
        ],
    )  # fmt: skip
    assert start["inside"] == [0, 0] and start["running"]
    assert start["spoken"] == "Throwing darts." and start["announcements"] == 1
    assert [i + o for i, o in zip(half["inside"], half["outside"], strict=True)] == [100, 500]
    assert end["queued"] == 0 and not end["running"]
    seeds = callback(parts(board)[0][0]).args["seeds"]
    for p, size in enumerate((100, 1_000)):
        x, y = dart_positions(seeds[p], size, round_number=0)
        assert end["inside"][p] == np.count_nonzero(x * x + y * y <= 1)
        assert end["x"][p] == sorted(x.tolist())
        estimate = 4 * end["inside"][p] / size
        assert f"π ≈ {estimate:.4f}" in end["labels"][p]
        assert f"{size:,} of {size:,} darts" in end["labels"][p]
        assert f"{size:,} darts: pi is about {estimate:.4f} after {size:,}" in end["spoken"]
    # Polite: the start, the small panel as it finishes, the end; never a frame's worth.
    assert half["spoken"].startswith("100 darts: pi is about ") and half["announcements"] == 2
    assert end["spoken"].startswith("Finished. ") and end["announcements"] == 3


@needs_node
def test_stop_freezes_and_play_resumes():
    board = dart_board((10_000,), seed=2, duration_per_1000=1.0)
    stopped, later, resumed = run_in_node(
        board,
        [
            ["press", "play"], ["advance", 0], ["advance", 300],
            ["press", "stop"], ["look", 0],
            ["press", "stop"], ["advance", 600], ["advance", 900], ["look", 0],
            ["press", "play"], ["advance", 1_000], ["press", "play"], ["advance", 1_200],
            ["look", 0],
        ],
    )  # fmt: skip
    assert stopped["inside"][0] + stopped["outside"][0] == 300
    assert not stopped["running"]
    estimate = 4 * stopped["inside"][0] / 300
    assert stopped["spoken"] == f"Stopped. 10,000 darts: pi is about {estimate:.4f} after 300."
    assert later["inside"] == stopped["inside"] and later["labels"] == stopped["labels"]
    # A second Stop, like a second Play while running, does nothing: nothing is ever
    # disabled (a disabled button would drop keyboard focus), so presses must be harmless.
    assert later["queued"] == 0 and later["announcements"] == stopped["announcements"]
    assert resumed["inside"][0] + resumed["outside"][0] == 500 and resumed["running"]
    assert resumed["queued"] == 1


@needs_node
def test_reset_clears_and_next_run_throws_fresh_darts():
    board = dart_board((50,), seed=4, duration_per_1000=1.0)
    first, cleared, second = run_in_node(
        board,
        [
            ["press", "play"], ["advance", 0], ["advance", 100], ["look", 0],
            ["press", "reset"], ["look", 0],
            ["press", "play"], ["advance", 0], ["advance", 100], ["look", 0],
        ],
    )  # fmt: skip
    assert first["inside"][0] + first["outside"][0] == 50
    assert cleared["inside"] == [0] and cleared["outside"] == [0]
    assert "0 of 50 darts" in cleared["labels"][0] and "π ≈ —" in cleared["labels"][0]
    assert cleared["spoken"] == "Cleared. Press Play to throw fresh darts."
    assert second["inside"][0] + second["outside"][0] == 50
    assert second["x"] != first["x"]
    (seed,) = callback(parts(board)[0][0]).args["seeds"]
    assert second["x"][0] == sorted(dart_positions(seed, 50, round_number=1)[0].tolist())
