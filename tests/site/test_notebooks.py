"""The notebooks behind the site's download button keep the answers folded."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from site_layout import BOOK_DIR, DOCNAMES

from raycourse_site.notebooks import SOLUTION_NOTE

# Pages that are notebooks (with code cells) offer an .ipynb download.
NOTEBOOK_PAGES = [
    name for name in DOCNAMES if "```{code-cell}" in (BOOK_DIR / f"{name}.md").read_text()
]
_START = re.compile(r"^`{3,}\{solution-start\}")
_END = re.compile(r"^`{3,}\{solution-end\}", re.MULTILINE)


def _downloaded(site_dir: Path, docname: str) -> nbformat.NotebookNode:
    return nbformat.read(site_dir / "_sources" / f"{docname}.ipynb", as_version=4)


def _hidden(cell: nbformat.NotebookNode, key: str) -> bool:
    return bool(cell.metadata.get("jupyter", {}).get(key))


@pytest.mark.parametrize("docname", NOTEBOOK_PAGES)
def test_the_download_button_serves_the_folded_notebook(site_dir, docname):
    html = (site_dir / f"{docname}.html").read_text()
    depth = docname.count("/")
    assert f'href="{"../" * depth}_sources/{docname}.ipynb"' in html
    assert (site_dir / "_sources" / f"{docname}.ipynb").is_file()


@pytest.mark.parametrize("docname", NOTEBOOK_PAGES)
def test_no_answer_is_visible_without_unfolding_it(site_dir, docname):
    source = (BOOK_DIR / f"{docname}.md").read_text()
    cells = _downloaded(site_dir, docname).cells
    starts = [i for i, cell in enumerate(cells) if _START.match(cell.source)]
    assert len(starts) == source.count("```{solution-start}")
    for start in starts:
        assert cells[start - 1].source == SOLUTION_NOTE, "the student is told what is folded"
        end = next(i for i in range(start, len(cells)) if _END.search(cells[i].source))
        for cell in cells[start : end + 1]:
            assert _hidden(cell, "source_hidden"), cell.source[:80]
            if cell.cell_type == "code":
                assert _hidden(cell, "outputs_hidden"), cell.source[:80]
        # The exercise itself stays readable.
        assert not _hidden(cells[start - 2], "source_hidden")
    # Whatever runs a reference solution is folded, code and outputs.
    for cell in cells:
        if cell.cell_type == "code" and "solutions/" in cell.source:
            assert _hidden(cell, "source_hidden") and _hidden(cell, "outputs_hidden")


@pytest.mark.parametrize("docname", NOTEBOOK_PAGES)
def test_cells_the_site_leaves_out_are_folded(site_dir, docname):
    for cell in _downloaded(site_dir, docname).cells:
        tags = set(cell.metadata.get("tags", ()))
        if tags & {"remove-cell", "remove-input", "hide-input"}:
            assert _hidden(cell, "source_hidden"), cell.source[:80]
        if "remove-cell" in tags:
            assert _hidden(cell, "outputs_hidden"), cell.source[:80]


def test_the_exercise_pages_have_solutions_to_fold(site_dir):
    folded = sum(
        cell.source == SOLUTION_NOTE
        for docname in NOTEBOOK_PAGES
        for cell in _downloaded(site_dir, docname).cells
    )
    assert folded >= 4  # three in the tasks lesson, one in the actors lesson
