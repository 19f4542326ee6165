"""Downloadable notebooks that keep the answers folded away.

The theme's download button serves ``_sources/<page>.ipynb``, a copy of the
executed notebook. In Jupyter nothing folds a ``solution-start`` ...
``solution-end`` region or honours ``remove-*``/``hide-*`` tags, so after the
build every such notebook is rewritten with Jupyter's own cell metadata:

* cells of an exercise solution (prose, code and outputs) get
  ``jupyter.source_hidden`` and ``jupyter.outputs_hidden``, after a visible
  line saying the solution is folded and how to unfold it; a markdown cell
  that holds the end of an exercise and the start of its solution is split
  there, so the exercise stays readable;
* ``remove-cell`` hides a cell's code and outputs, ``remove-input`` and
  ``hide-input`` its code, ``remove-output`` and ``hide-output`` its outputs.

A student opens one ``...`` to read an answer; nothing is lost from the notebook.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat

__all__ = ["SOLUTION_NOTE", "fold_answers", "fold_downloadable_notebooks", "unfolded_cells"]

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
    outputs = outputs and cell.cell_type == "code"
    if not (source or outputs):
        return
    jupyter = cell.metadata.setdefault("jupyter", {})
    if source:
        jupyter["source_hidden"] = True
    if outputs:
        jupyter["outputs_hidden"] = True


def _split_markdown(cell: Any, at: int) -> list[Any]:
    """The cell's text before ``at`` and from ``at`` on, as two markdown cells."""
    before, after = cell.source[:at].rstrip(), cell.source[at:].lstrip()
    return [nbformat.v4.new_markdown_cell(part) for part in (before, after) if part]


def fold_answers(notebook: Any) -> int:
    """Fold the solutions and the tagged cells of ``notebook`` in place.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A version 4 notebook made from a MyST page.

    Returns
    -------
    int
        How many solutions were folded.

    Raises
    ------
    ValueError
        If a solution starts but never ends.
    """
    cells: list[Any] = []
    in_solution = False
    solutions = 0
    pending = list(notebook.cells)
    while pending:
        cell = pending.pop(0)
        if cell.cell_type == "code":
            tags = set(cell.metadata.get("tags", ()))
            _fold(
                cell,
                source=in_solution or bool(tags & _HIDE_SOURCE_TAGS),
                outputs=in_solution or bool(tags & _HIDE_OUTPUT_TAGS),
            )
            cells.append(cell)
            continue
        if cell.cell_type != "markdown":
            cells.append(cell)
            continue
        # A markdown cell may hold the end of one region and the start of the
        # next: split at the first boundary, and look at the rest again.
        boundary = (_SOLUTION_END if in_solution else _SOLUTION_START).search(cell.source)
        cut = None if boundary is None else (boundary.end() if in_solution else boundary.start())
        if cut is not None and 0 < cut < len(cell.source.rstrip()):
            pending[:0] = _split_markdown(cell, cut)
            continue
        if not in_solution and boundary is not None:
            in_solution = True
            solutions += 1
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
    return solutions


def unfolded_cells(notebook: Any) -> list[str]:
    """Describe the cells of a page that Jupyter would show but should fold.

    A page opened in JupyterLab is read from its MyST source, so the folding
    that :func:`fold_answers` adds to downloads must be written in the source:
    ``jupyter`` metadata on the cells, and a cell break (``+++``) where a
    solution starts and after it ends.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The page as Jupytext reads it.

    Returns
    -------
    list of str
        One line per cell that lacks its folding, empty when none does.
    """
    folded = nbformat.from_dict(nbformat.v4.new_notebook(cells=list(notebook.cells)))
    folded = nbformat.from_dict(nbformat.reads(nbformat.writes(folded), as_version=4))
    fold_answers(folded)
    expected = [cell for cell in folded.cells if cell.source != SOLUTION_NOTE]
    if len(expected) != len(notebook.cells):
        return ["a solution shares a markdown cell with text outside it: add `+++` breaks"]
    problems = []
    for index, (cell, want) in enumerate(zip(notebook.cells, expected, strict=True)):
        have = cell.metadata.get("jupyter", {})
        for key, value in want.metadata.get("jupyter", {}).items():
            if have.get(key) != value:
                first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                problems.append(f"cell {index} ({cell.cell_type}, {first_line[:50]!r}): {key}")
    return problems


def fold_downloadable_notebooks(app: Any, exception: Exception | None) -> None:
    """Sphinx ``build-finished`` hook: fold every ``_sources/**/*.ipynb`` of the site."""
    if exception is not None or app.builder.format != "html":
        return
    for path in sorted(Path(app.outdir, "_sources").rglob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        fold_answers(notebook)
        nbformat.write(notebook, path)
