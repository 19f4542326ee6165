"""Folding answers and build-only cells, in downloads and in page sources."""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace

import jupytext
import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from raycourse_site.notebooks import SOLUTION_NOTE, fold_downloadable_notebooks, fold_source

BOOK = Path(__file__).resolve().parents[2] / "book"
PAGES = sorted(BOOK.glob("*.md"))
md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell


def _notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def _download(notebook):
    """``notebook`` as the site offers it for download: folded by the build's last step."""
    with tempfile.TemporaryDirectory() as site:
        path = Path(site, "_sources", "book", "page.ipynb")
        path.parent.mkdir(parents=True)
        nbformat.write(notebook, path)
        fold_downloadable_notebooks(_app(site, "force"), None)
        return nbformat.read(path, as_version=4)


def _app(site, mode, cache=None):
    """The parts of a Sphinx application that the folding reads."""
    config = SimpleNamespace(nb_execution_mode=mode, nb_execution_cache_path=cache)
    return SimpleNamespace(outdir=site, builder=SimpleNamespace(format="html"), config=config)


def _hidden(cell, key="source_hidden"):
    return bool(cell.metadata.get("jupyter", {}).get(key))


def test_a_solution_is_folded_and_the_exercise_stays_readable():
    notebook = _notebook(
        md("```{exercise} E\n:label: e\n\nDo it.\n```\n\n```{solution-start} e\n```\n\nHint."),
        code("answer = 42"),
        md("Why.\n\n```{solution-end}\n```\n\nAfter."),
    )
    notebook = _download(notebook)
    sources = [cell.source for cell in notebook.cells]
    assert sources.count(SOLUTION_NOTE) == 1
    assert sources[0].startswith("```{exercise}") and sources[1] == SOLUTION_NOTE
    assert [_hidden(cell) for cell in notebook.cells] == [False, False, True, True, True, False]
    assert _hidden(notebook.cells[3], "outputs_hidden")
    assert sources[-1] == "After."


def test_folding_twice_changes_nothing():
    notebook = _notebook(md("```{solution-start} e\n```"), code("1"), md("```{solution-end}\n```"))
    once = _download(notebook)
    assert nbformat.writes(_download(once)) == nbformat.writes(once)


@pytest.mark.parametrize(
    ("tag", "source", "outputs"),
    [
        ("remove-cell", True, True),
        ("remove-input", True, False),
        ("hide-input", True, False),
        ("remove-output", False, True),
        ("hide-output", False, True),
    ],
)
def test_tagged_cells_fold_what_the_site_leaves_out(tag, source, outputs):
    (cell,) = _download(_notebook(code("glue('x', 1)", metadata={"tags": [tag]}))).cells
    assert (_hidden(cell), _hidden(cell, "outputs_hidden")) == (source, outputs)


def test_an_unterminated_solution_is_an_error():
    with pytest.raises(ValueError, match="solution-end"):
        _download(_notebook(md("```{solution-start} e\n```"), code("1")))


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_folding_a_page_source_is_stable(page):
    folded = fold_source(page.read_text())
    assert fold_source(folded) == folded


def test_a_page_source_gets_its_solution_folded():
    front_matter = "---\nkernelspec:\n  display_name: Python 3\n  name: python3\n---\n"
    page = front_matter + (
        "\n```{exercise} E\n:label: e\n\nDo it.\n```\n\n```{solution-start} e\n```\n\n"
        "```{code-cell} ipython3\n1\n```\n\n```{solution-end}\n```\n"
    )
    cells = jupytext.reads(fold_source(page), fmt="md:myst").cells
    assert [cell.cell_type for cell in cells] == ["markdown", "markdown", "code", "markdown"]
    assert [_hidden(cell) for cell in cells] == [False, True, True, True]
    assert _hidden(cells[2], "outputs_hidden")
    assert fold_source(page).startswith(front_matter), "the front matter is kept as written"


@pytest.mark.parametrize(("mode", "merged"), [("cache", True), ("force", False)])
def test_a_page_read_from_the_cache_is_downloaded_with_its_outputs(tmp_path, mode, merged):
    # myst-nb writes a page that it found in its cache without outputs; a forced build
    # ran every page, so an older cached run must not replace its outputs.
    notebook = _notebook(md("Count."), code("print(2 + 2)"))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    executed = nbformat.reads(nbformat.writes(notebook), as_version=4)
    executed.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="4\n")]
    cache = tmp_path / "cache"
    get_cache(cache).cache_notebook_bundle(
        CacheBundleIn(executed, "book/page.md"), check_validity=False
    )
    path = tmp_path / "site" / "_sources" / "book" / "page.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
    fold_downloadable_notebooks(_app(tmp_path / "site", mode, cache), None)
    outputs = nbformat.read(path, as_version=4).cells[1].outputs
    assert [output.get("text") for output in outputs] == (["4\n"] if merged else [])
