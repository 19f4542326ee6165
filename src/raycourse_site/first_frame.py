"""A Bokeh layout's first frame (the dart board before Play) as static HTML and SVG.

``raycourse-lazy.js`` shows it until a reader reaches for the board: no BokehJS before.
Only rows, columns, buttons, Divs and figures without axes, grids or toolbar, whose
glyphs are fixed rectangles and circles (or points of an empty source), get a frame.
"""

from __future__ import annotations

import html
from typing import Any

from bokeh.models import Button, Circle, Column, Div, Range1d, Rect, Row, Scatter
from bokeh.plotting import figure

__all__ = ["first_frame_html"]

_CLASS = "raycourse-first-frame"
# BokehJS 3's sizes, measured in Chromium: a 5 px margin around each widget in a row or
# column; a plot's title band is 25 px high for its 13 px bold title, whose baseline is
# 18 px down; its canvas draws lines half a pixel right of and below their coordinates.
_WIDGET_MARGIN = 5
_TITLE_BAND = 25
_TITLE_BASELINE = 18
_LINE_OFFSET = 0.5


class _NoFrame(Exception):
    """The layout holds a model that the first frame cannot draw exactly."""


def _fixed(spec: Any) -> Any:
    """A glyph property's one value (a ``Value`` unwrapped; a column or expression refused)."""
    if hasattr(spec, "field") or hasattr(spec, "expr"):
        raise _NoFrame(f"glyph property {spec!r}")
    return getattr(spec, "value", spec)


def _css(styles: dict[str, Any]) -> str:
    """A ``style`` attribute's escaped value from a mapping of CSS properties."""
    return html.escape("; ".join(f"{key}: {value}" for key, value in styles.items()))


def _figure(plot: Any) -> str:
    """A plot as an SVG of BokehJS's size: background, title and fixed shapes."""
    x_range, y_range = plot.x_range, plot.y_range
    if (
        any(model.visible for model in [*plot.axis, *plot.grid])
        or None in (plot.frame_width, plot.frame_height)
        or plot.toolbar_location
        or not (isinstance(x_range, Range1d) and isinstance(y_range, Range1d))
    ):
        raise _NoFrame("axes, grids, a toolbar, or a size or range that BokehJS computes")
    x_scale = plot.frame_width / (x_range.end - x_range.start)
    y_scale = plot.frame_height / (y_range.end - y_range.start)
    left, font = plot.min_border, plot.title
    title = font.text
    top = _TITLE_BAND if title else left
    width, height = plot.frame_width + 2 * left, top + plot.frame_height + left
    parts = [
        f'<svg class="{_CLASS}-plot" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-hidden="true">',
        f'<rect width="{width}" height="{height}" fill="{plot.border_fill_color}"/>',
    ]
    if title:
        parts.append(
            f'<text x="{left + _LINE_OFFSET}" y="{_TITLE_BASELINE}" fill="{font.text_color}" '
            f'font-size="{font.text_font_size}" font-weight="{font.text_font_style}">'
            f"{html.escape(title)}</text>"
        )
    parts.append(f'<g transform="translate({_LINE_OFFSET} {_LINE_OFFSET})">')
    for renderer in plot.renderers:
        glyph = getattr(renderer, "glyph", None)
        if isinstance(glyph, Scatter) and not any(renderer.data_source.data.values()):
            continue  # no points yet
        if not isinstance(glyph, (Rect, Circle)) or _fixed(glyph.fill_color) is not None:
            raise _NoFrame(f"renderer {renderer!r}")
        x = left + (_fixed(glyph.x) - x_range.start) * x_scale
        y = top + (y_range.end - _fixed(glyph.y)) * y_scale
        if isinstance(glyph, Rect):
            w, h = _fixed(glyph.width) * x_scale, _fixed(glyph.height) * y_scale
            shape = f'rect x="{x - w / 2:.2f}" y="{y - h / 2:.2f}" width="{w:.2f}" height="{h:.2f}"'
        else:
            shape = f'circle cx="{x:.2f}" cy="{y:.2f}" r="{_fixed(glyph.radius) * x_scale:.2f}"'
        color = html.escape(str(_fixed(glyph.line_color)))
        line_width = float(_fixed(glyph.line_width))
        parts.append(f'<{shape} fill="none" stroke="{color}" stroke-width="{line_width}"/>')
    return "".join(parts) + "</g></svg>"


def _render(model: Any) -> str:
    """One model of the layout and its children."""
    styles = model.styles if isinstance(model.styles, dict) else {}
    if isinstance(model, (Row, Column)):
        kind = "row" if isinstance(model, Row) else "column"
        style = f' style="{_css(styles)}"' if styles else ""
        children = "".join(_render(child) for child in model.children)
        return f'<div class="{_CLASS}-{kind}"{style}>{children}</div>'
    if isinstance(model, figure):
        return _figure(model)
    if not isinstance(model, (Button, Div)):
        raise _NoFrame(f"model {type(model).__name__}")
    width = {} if model.width is None else {"width": f"{model.width}px"}
    style = _css({"margin": f"{_WIDGET_MARGIN}px", **width, **styles})
    if isinstance(model, Div):
        text = html.escape(model.text) if model.render_as_text else model.text
        return f'<div style="{style}">{text}</div>'
    return (
        f'<button style="{style}" type="button" class="{_CLASS}-{model.button_type}">'
        f"{html.escape(model.label)}</button>"
    )


def first_frame_html(root: Any) -> str | None:
    """Draw one root of a Bokeh document as it looks before any interaction.

    Parameters
    ----------
    root : bokeh.model.Model
        A root of the document (a layout, widget or figure).

    Returns
    -------
    str or None
        The frame's HTML (a ``<div>`` of class ``raycourse-first-frame``), or
        ``None`` if the root holds a model the frame cannot draw exactly.
    """
    try:
        return f'<div class="{_CLASS}" data-root-id-of="{root.id}">{_render(root)}</div>'
    except _NoFrame:
        return None
