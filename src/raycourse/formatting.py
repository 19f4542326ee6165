"""Human-readable numbers."""

from __future__ import annotations

import html
import numbers
from collections.abc import Mapping, Sequence

from ._checks import check_int

__all__ = ["html_table", "str_large_n"]


def str_large_n(n: int, padding: int | None = None) -> str:
    """Format an integer with comma thousands separators, whatever the locale.

    Parameters
    ----------
    n : int
        The number (Python or NumPy integer).
    padding : int, optional
        Right-align the result in a field this wide.

    Returns
    -------
    str
        For example ``"1,000,000"``.

    Raises
    ------
    TypeError
        If ``n`` or ``padding`` is not an integer.
    ValueError
        If ``padding`` is negative.

    Examples
    --------
    >>> str_large_n(1_000_000)
    '1,000,000'
    >>> str_large_n(5000, padding=8)
    '   5,000'
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be an integer, got {n!r} ({type(n).__name__})")
    text = f"{int(n):,}"
    if padding is None:
        return text
    return text.rjust(check_int("padding", padding, minimum=0))


def html_table(rows: Sequence[Mapping[str, object]], *, caption: str | None = None) -> str:
    """Render rows of already formatted values as a small HTML table.

    Parameters
    ----------
    rows : sequence of mappings
        One mapping per row; the first row's keys are the column headers and
        every row must have the same keys. Values are shown with ``str``.
    caption : str, optional
        Text above the table.

    Returns
    -------
    str
        An HTML ``<table class="table">`` (the site theme's table style), cells
        right-aligned so that digits line up, every text HTML-escaped.

    Raises
    ------
    ValueError
        If ``rows`` is empty or the rows' keys differ.

    Examples
    --------
    >>> html_table([{"N": "1,000"}])[:21]
    '<table class="table">'
    """
    rows = list(rows)
    if not rows:
        raise ValueError("rows must hold at least one row, got []")
    headers = list(rows[0])
    for position, row in enumerate(rows):
        if list(row) != headers:
            raise ValueError(f"rows[{position}] has keys {list(row)}, expected {headers}")
    cell = '<{tag} style="text-align: right">{text}</{tag}>'
    parts = ['<table class="table">']
    if caption is not None:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>")
    parts.extend(cell.format(tag="th", text=html.escape(str(header))) for header in headers)
    parts.append("</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>")
        parts.extend(cell.format(tag="td", text=html.escape(str(row[h]))) for h in headers)
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)
