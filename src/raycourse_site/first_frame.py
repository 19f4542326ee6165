"""A Bokeh layout's first frame as static HTML and SVG, drawn at build time.

The dart board sits at the top of the Tasks page. Drawn live, it makes the
page fetch and run BokehJS (1.65 MB) as soon as it is shown, before a reader
has asked for anything. Before Play its panels hold no darts, so its first
frame is plain: buttons, text, and squares with circles. This module writes
that frame from the same Bokeh document, for ``raycourse-lazy.js`` to show
until the reader points at, touches or tabs into the board (it then becomes
the live board, and a click on a button of the frame is passed on).

Only a layout of rows, columns, buttons, Divs and figures whose glyphs are
fixed rectangles and circles (or points of an empty data source), with no
axes or grids shown, gets a frame; any other model leaves the root as it was.
The sizes are BokehJS 3's own, measured in Chromium; the site checks compare
the frame's boxes with the live board's.
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["FIRST_FRAME_CSS_CLASS", "first_frame_html"]

#: CSS class of a first frame (styled in ``static/raycourse.css``).
FIRST_FRAME_CSS_CLASS = "raycourse-first-frame"
# BokehJS 3 puts a 5 px margin around each widget in a row or column; a plot's
# title band is 25 px high for its 13 px bold title, whose baseline is 18 px down;
# its canvas draws lines half a pixel right of and below their coordinates.
_WIDGET_MARGIN = 5
_TITLE_BAND = 25
_TITLE_BASELINE = 18
_LINE_OFFSET = 0.5


class _NoFrame(Exception):
    """The layout holds a model that the first frame cannot draw exactly."""


def _style(styles: dict[str, Any]) -> str:
    """A ``style`` attribute's value from a mapping of CSS properties."""
    return "; ".join(f"{key}: {value}" for key, value in styles.items())


def _fixed(spec: Any) -> Any:
    """A glyph property's one value (a ``Value`` unwrapped; a field of data is refused)."""
    if hasattr(spec, "field") or isinstance(spec, dict):
        raise _NoFrame(f"glyph property {spec!r}")
    return getattr(spec, "value", spec)


def _value(spec: Any) -> float:
    """A glyph property that is one fixed number."""
    value = _fixed(spec)
    if not isinstance(value, (int, float)):
        raise _NoFrame(f"glyph property {spec!r}")
    return float(value)


def _svg_shapes(plot: Any, left: int, top: int) -> list[str]:
    """SVG shapes of a plot's fixed rectangles and circles, in the frame's pixels."""
    from bokeh.models import Circle, GlyphRenderer, Range1d, Rect, Scatter

    x_range, y_range = plot.x_range, plot.y_range
    if not (isinstance(x_range, Range1d) and isinstance(y_range, Range1d)):
        raise _NoFrame("a range that BokehJS computes")
    x_scale = plot.frame_width / (x_range.end - x_range.start)
    y_scale = plot.frame_height / (y_range.end - y_range.start)

    def px(x: float, y: float) -> tuple[float, float]:
        return left + (x - x_range.start) * x_scale, top + (y_range.end - y) * y_scale

    shapes = []
    for renderer in plot.renderers:
        glyph = renderer.glyph if isinstance(renderer, GlyphRenderer) else None
        if isinstance(glyph, Scatter) and not any(renderer.data_source.data.values()):
            continue  # no points yet
        if not isinstance(glyph, (Rect, Circle)) or _fixed(glyph.fill_color) is not None:
            raise _NoFrame(f"renderer {renderer!r}")
        stroke = (
            f'fill="none" stroke="{html.escape(str(_fixed(glyph.line_color)))}" '
            f'stroke-width="{_value(glyph.line_width)}"'
        )
        x, y = px(_value(glyph.x), _value(glyph.y))
        if isinstance(glyph, Rect):
            width, height = _value(glyph.width) * x_scale, _value(glyph.height) * y_scale
            shapes.append(
                f'<rect x="{x - width / 2:.2f}" y="{y - height / 2:.2f}" '
                f'width="{width:.2f}" height="{height:.2f}" {stroke}/>'
            )
        else:
            shapes.append(
                f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{_value(glyph.radius) * x_scale:.2f}" '
                f"{stroke}/>"
            )
    return shapes


def _figure(plot: Any) -> str:
    """A plot as an SVG of BokehJS's size: background, title and shapes."""
    if any(axis.visible for axis in plot.axis) or any(grid.visible for grid in plot.grid):
        raise _NoFrame("axes or grids")
    if plot.frame_width is None or plot.frame_height is None or plot.toolbar_location:
        raise _NoFrame("a plot without a fixed frame, or with a toolbar")
    border = plot.min_border
    title = plot.title.text if plot.title is not None else ""
    top = _TITLE_BAND if title else border
    width, height = plot.frame_width + 2 * border, top + plot.frame_height + border
    parts = [
        f'<svg class="{FIRST_FRAME_CSS_CLASS}-plot" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-hidden="true">',
        f'<rect width="{width}" height="{height}" fill="{plot.border_fill_color}"/>',
    ]
    if title:
        font = plot.title
        parts.append(
            f'<text x="{border + _LINE_OFFSET}" y="{_TITLE_BASELINE}" fill="{font.text_color}" '
            f'font-size="{font.text_font_size}" font-weight="{font.text_font_style}">'
            f"{html.escape(title)}</text>"
        )
    parts.append(f'<g transform="translate({_LINE_OFFSET} {_LINE_OFFSET})">')
    parts += _svg_shapes(plot, border, top)
    return "".join(parts) + "</g></svg>"


def _widget_box(model: Any, inner: str, tag: str = "div", **attributes: str) -> str:
    """A widget's element, with BokehJS's margin and the model's width and styles."""
    styles = {"margin": f"{_WIDGET_MARGIN}px"}
    if model.width is not None:
        styles["width"] = f"{model.width}px"
    styles.update(model.styles if isinstance(model.styles, dict) else {})
    extra = "".join(f' {name}="{html.escape(value)}"' for name, value in attributes.items())
    return f'<{tag} style="{html.escape(_style(styles))}"{extra}>{inner}</{tag}>'


def _render(model: Any) -> str:
    """One model of the layout and its children."""
    from bokeh.models import Button, Column, Div, Row
    from bokeh.plotting import figure

    if isinstance(model, (Row, Column)):
        kind = "row" if isinstance(model, Row) else "column"
        styles = model.styles if isinstance(model.styles, dict) else {}
        style = f' style="{html.escape(_style(styles))}"' if styles else ""
        children = "".join(_render(child) for child in model.children)
        return f'<div class="{FIRST_FRAME_CSS_CLASS}-{kind}"{style}>{children}</div>'
    if isinstance(model, Button):
        label = html.escape(model.label)
        kind = f"{FIRST_FRAME_CSS_CLASS}-{model.button_type}"
        return _widget_box(model, label, "button", type="button", **{"class": kind})
    if isinstance(model, Div):
        text = html.escape(model.text) if model.render_as_text else model.text
        return _widget_box(model, text)
    if isinstance(model, figure):
        return _figure(model)
    raise _NoFrame(f"model {type(model).__name__}")


def first_frame_html(document: dict[str, Any], root_id: str) -> str | None:
    """Draw one root of a serialised Bokeh document as it looks before any interaction.

    Parameters
    ----------
    document : dict
        One document of an embed script's ``docs_json``.
    root_id : str
        The id of the root to draw.

    Returns
    -------
    str or None
        The frame's HTML (a ``<div>`` of class ``FIRST_FRAME_CSS_CLASS``), or
        ``None`` if the root holds a model the frame cannot draw exactly.
    """
    from bokeh.document import Document

    roots = [root for root in Document.from_json(document).roots if root.id == root_id]
    if not roots:
        raise ValueError(f"root_id {root_id!r} is not a root of the document")
    try:
        inner = _render(roots[0])
    except _NoFrame:
        return None
    return f'<div class="{FIRST_FRAME_CSS_CLASS}" data-root-id-of="{root_id}">{inner}</div>'
