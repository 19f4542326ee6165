"""Notebooks that keep the answers folded: the site's downloads and the page sources.

The build folds each downloadable ``_sources/<page>.ipynb`` in Jupyter's own metadata;
JupyterLab reads a page's MyST source, so after editing a page fold it too::

    .venv/bin/python -m raycourse_site.notebooks book/tasks.md
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path
from typing import Any

import jupytext
import nbformat
from jupyter_cache import get_cache

from .execution import cache_dir

__all__ = ["SOLUTION_NOTE", "fold_downloadable_notebooks", "fold_source"]

_SOLUTION_START = re.compile(r"^(`{3,}|~{3,})\{solution-start\}", re.MULTILINE)
_SOLUTION_END = re.compile(r"^(`{3,}|~{3,})\{solution-end\}[^\n]*\n\1[ \t]*$", re.MULTILINE)
_HIDE_SOURCE_TAGS = {"remove-cell", "remove-input", "hide-input"}
_HIDE_OUTPUT_TAGS = {"remove-cell", "remove-output", "hide-output"}

#: The visible line in front of each folded solution.
SOLUTION_NOTE = (
    "**Solution** (folded: click the `···` below, or the bar left of it, to show it; "
    "try the exercise first)"
)


def _fold(cell: Any, *, source: bool, outputs: bool) -> None:
    """Hide a cell's source and/or outputs (Jupyter's keys first in its metadata)."""
    keys = ["source_hidden"] * source + ["outputs_hidden"] * (outputs and cell.cell_type == "code")
    jupyter = {**cell.metadata.get("jupyter", {}), **dict.fromkeys(keys, True)}
    others = {key: value for key, value in cell.metadata.items() if key != "jupyter"}
    if jupyter:
        cell.metadata = nbformat.from_dict({"jupyter": jupyter, **others})


def _fold_answers(notebook: Any) -> None:
    """Fold a notebook's solutions (behind ``SOLUTION_NOTE``) and tagged cells, in place."""
    cells: list[Any] = []
    in_solution = False
    pending = list(notebook.cells)
    while pending:
        cell = pending.pop(0)
        if cell.cell_type == "code":
            tags = set(cell.metadata.get("tags", ()))
            hide_source = in_solution or bool(tags & _HIDE_SOURCE_TAGS)
            _fold(cell, source=hide_source, outputs=in_solution or bool(tags & _HIDE_OUTPUT_TAGS))
        elif cell.cell_type == "markdown":
            # A cell may end one region and start the next: split at the first
            # boundary, and look at the rest again.
            boundary = (_SOLUTION_END if in_solution else _SOLUTION_START).search(cell.source)
            cut = None if boundary is None else boundary.end() if in_solution else boundary.start()
            if cut is not None and 0 < cut < len(cell.source.rstrip()):
                parts = (cell.source[:cut].rstrip(), cell.source[cut:].lstrip())
                pending[:0] = [nbformat.v4.new_markdown_cell(part) for part in parts]
                continue
            if not in_solution and boundary is not None:
                in_solution = True
                # Folding twice (a rebuild that kept the copy) adds no second note.
                if not (cells and cells[-1].source == SOLUTION_NOTE):
                    cells.append(nbformat.v4.new_markdown_cell(SOLUTION_NOTE))
            if in_solution:
                _fold(cell, source=True, outputs=True)
                in_solution = _SOLUTION_END.search(cell.source) is None
        cells.append(cell)
    if in_solution:
        raise ValueError("a {solution-start} directive has no {solution-end}")
    notebook.cells = cells


def fold_source(text: str) -> str:
    """Return a MyST page with its solutions and tagged cells folded, as Jupytext writes it.

    The front matter is kept as written; a folded page comes back unchanged.
    """
    notebook = jupytext.reads(text, fmt="md:myst")
    _fold_answers(notebook)
    notebook.cells = [cell for cell in notebook.cells if cell.source != SOLUTION_NOTE]
    folded = jupytext.writes(notebook, fmt="md:myst")
    front_matter = text[: text.index("\n---\n", 3) + 5]
    return front_matter + folded[folded.index("\n---\n", 3) + 5 :]


def fold_downloadable_notebooks(app: Any, exception: Exception | None) -> None:
    """Fold every ``_sources/**/*.ipynb`` of the site, outputs included (``build-finished``).

    myst-nb writes a page it read from its cache without outputs: they are merged back.
    A solution that starts but never ends is a ``ValueError``.
    """
    if exception is not None or app.builder.format != "html":
        return
    cache = get_cache(cache_dir(app)) if app.config.nb_execution_mode == "cache" else None
    for path in sorted(Path(app.outdir, "_sources").rglob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        with contextlib.suppress(KeyError):  # no match: the page ran in this build
            notebook = cache.merge_match_into_notebook(notebook)[1] if cache else notebook
        _fold_answers(notebook)
        nbformat.write(notebook, path)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        page = Path(name)
        page.write_text(fold_source(page.read_text()))
