"""Copy and run: the cells a reader sees, alone in a fresh notebook, run without error.

For each page in ``_toc.yml`` the test builds exactly the notebook a reader would get by
copying every visible code cell in order (every cell not tagged ``remove-cell`` or
``remove-input``) into a new notebook, and executes it in a fresh kernel from the page's
folder. The hidden cells (book machinery such as ``glue``) are left out, so a visible cell
that needs one of them fails here.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
HIDDEN_TAGS = {"remove-cell", "remove-input"}


def toc_pages() -> list[Path]:
    """The pages of the book, in the order of ``_toc.yml``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return [ROOT / f"{name}.md" for name in files]


def visible_code_notebook(page: Path) -> nbformat.NotebookNode:
    """A new notebook holding the page's visible code cells, in order, and nothing else."""
    source = jupytext.read(page)
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": source.metadata["kernelspec"]})
    for cell in source.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "code" and not tags & HIDDEN_TAGS:
            notebook.cells.append(nbformat.v4.new_code_cell(cell.source))
    return notebook


def test_hidden_cells_are_left_out(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\n"
        "kernelspec:\n  name: python3\n  display_name: Python 3\n  language: python\n---\n\n"
        "```{code-cell} ipython3\nshown = 1\n```\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell]\n\nhidden = 2\n```\n\n"
        "```{code-cell} ipython3\n:tags: [remove-input]\n\nhidden_input = 3\n```\n\n"
        "```{code-cell} ipython3\n:tags: [hide-input]\n\ncollapsed = 4\n```\n"
    )
    assert [cell.source for cell in visible_code_notebook(page).cells] == [
        "shown = 1",
        "collapsed = 4",
    ]


@pytest.mark.parametrize("page", toc_pages(), ids=lambda page: page.stem)
def test_visible_cells_run_alone(page: Path) -> None:
    notebook = visible_code_notebook(page)
    client = NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(page.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{page.name}: a visible cell failed without the hidden ones:\n{error}")
