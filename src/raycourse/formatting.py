"""HTML tables for notebook output: one style for every table a page shows."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

__all__ = ["html_table"]


def html_table(rows: Sequence[Mapping[str, object]], *, caption: str | None = None) -> str:
    """Render rows of formatted values as a ``<table class="table">`` (the theme's style).

    ``rows`` are mappings with the same keys, which are the headers; every text
    is HTML-escaped and right-aligned. Raises ValueError for no rows or ragged keys.

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

    def cells(tag: str, values) -> str:
        return "".join(
            f'<{tag} style="text-align: right">{html.escape(str(v))}</{tag}>' for v in values
        )

    title = "" if caption is None else f"<caption>{html.escape(caption)}</caption>"
    body = "".join(f"<tr>{cells('td', (row[h] for h in headers))}</tr>" for row in rows)
    return (
        f'<table class="table">{title}<thead><tr>{cells("th", headers)}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )
