"""Every page run as a plain notebook in a live kernel, as a student runs it.

Not through the book: Jupytext reads ``book/<page>.md`` and nbclient executes
it in ``book/``. What runs is exactly what a reader can copy: every code cell not
tagged ``remove-cell`` or ``remove-input``, in order, in a fresh notebook without
the hidden cells (book machinery such as ``glue``), so a visible cell that needs
a hidden one fails here. The outputs are then counted: progress bars per cell,
raw MyST, and the sources are checked for answers a student sees unasked. Slow
(every page runs once), so it runs on request: ``make notebooks`` (part of
``make test``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

from raycourse_site.notebooks import unfolded_cells

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
HIDDEN_TAGS = {"remove-cell", "remove-input"}


def toc_pages() -> list[str]:
    """The book's pages that hold code, in the order of ``_toc.yml``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    pages = [ROOT / f"{name}.md" for name in files]
    return [page.stem for page in pages if "```{code-cell}" in page.read_text()]


def visible_code_notebook(page: Path) -> nbformat.NotebookNode:
    """A new notebook holding the page's visible code cells, in order, and nothing else."""
    source = jupytext.read(page, fmt="md:myst")
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": source.metadata["kernelspec"]})
    for cell in source.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "code" and not tags & HIDDEN_TAGS:
            notebook.cells.append(nbformat.v4.new_code_cell(cell.source))
    return notebook


PAGES = toc_pages()
# A tqdm bar starts at 0%: as text on stderr, or as a widget whose plain-text
# fallback is the bar.
_BAR_START = re.compile(r"(?<![\d.])0%\|")
_WIDGET = "application/vnd.jupyter.widget-view+json"
# MyST that only the site renders; jupyterlab-myst shows these as errors or raw text.
_SITE_ONLY_DIRECTIVES = ("nb-exec-table", "glue:figure", "glue:math", "glue:any")
_RAW_MYST = re.compile(r"\{glue(:\w+)?\}`|```\{")

pytestmark = pytest.mark.slow


def _text_of(output: nbformat.NotebookNode) -> str:
    if output.output_type == "stream":
        return output.text
    return str(output.get("data", {}).get("text/plain", ""))


def _source_hidden(cell: nbformat.NotebookNode) -> bool:
    return bool(cell.metadata.get("jupyter", {}).get("source_hidden"))


def progress_bars(cell: nbformat.NotebookNode) -> int:
    """How many progress bars the outputs of a code cell show."""
    bars = 0
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            bars += len(_BAR_START.findall(output.text))
        elif _WIDGET in output.get("data", {}) and "|" in _text_of(output):
            bars += 1
    return bars


@pytest.fixture(scope="module")
def executed():
    """Each page's visible cells executed once, lazily, in a fresh kernel in ``book/``.

    Returns the executed notebook and the error of the first failing cell, if any.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    cache: dict[str, tuple[nbformat.NotebookNode, str | None]] = {}

    def run(page: str) -> tuple[nbformat.NotebookNode, str | None]:
        if page not in cache:
            notebook = visible_code_notebook(BOOK / f"{page}.md")
            # The site build's switch must not leak into a student's kernel.
            environment = {k: v for k, v in os.environ.items() if k != "TQDM_DISABLE"}
            client = NotebookClient(
                notebook,
                timeout=1200,
                kernel_name="python3",
                resources={"metadata": {"path": str(BOOK)}},
            )
            try:
                client.execute(env=environment)
                cache[page] = (notebook, None)
            except CellExecutionError as error:
                cache[page] = (notebook, str(error))
        return cache[page]

    return run


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


@pytest.mark.parametrize("page", PAGES)
def test_visible_cells_run_alone(executed, page):
    _, error = executed(page)
    assert error is None, f"{page}: a visible cell failed without the hidden ones:\n{error}"


@pytest.mark.parametrize("page", PAGES)
def test_at_most_one_progress_bar_per_cell(executed, page):
    notebook, _ = executed(page)
    crowded = {i: n for i, cell in enumerate(notebook.cells) if (n := progress_bars(cell)) > 1}
    assert crowded == {}, f"cells with more than one progress bar (cell: bars): {crowded}"


@pytest.mark.parametrize("page", PAGES)
def test_no_raw_myst_in_outputs(executed, page):
    notebook, _ = executed(page)
    raw = [
        (index, match.group(0))
        for index, cell in enumerate(notebook.cells)
        for output in cell.get("outputs", [])
        for match in _RAW_MYST.finditer(_text_of(output))
    ]
    assert raw == []


@pytest.mark.parametrize("page", PAGES)
def test_no_site_only_directive_in_visible_markdown(page):
    notebook = jupytext.read(BOOK / f"{page}.md", fmt="md:myst")
    visible = [
        (index, cell)
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown" and not _source_hidden(cell)
    ]
    shown = [
        (index, name)
        for index, cell in visible
        for name in _SITE_ONLY_DIRECTIVES
        if f"{{{name}}}" in cell.source
    ]
    assert shown == [], "site-only MyST that JupyterLab shows as an error: fold the cell"


@pytest.mark.parametrize("page", PAGES)
def test_answers_and_site_only_cells_are_folded(page):
    # JupyterLab shows what the source says: the folding must be written there.
    assert unfolded_cells(jupytext.read(BOOK / f"{page}.md", fmt="md:myst")) == []


@pytest.mark.parametrize(("switch", "asked_bars"), [(None, 1), ("1", 0)])
def test_the_progress_rule_in_a_live_kernel(switch, asked_bars):
    # A loop of library calls shows no bar; one call asked for a bar shows one,
    # except in a kernel of the site build (TQDM_DISABLE), which shows none.
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "from raycourse import estimate_pi_parallel, start_ray, stop_ray\n"
                "start_ray(num_cpus=2, include_dashboard=False)"
            ),
            nbformat.v4.new_code_cell(
                "for seed in range(5):\n"
                "    estimate_pi_parallel(2**22, seed=seed, block_size=2**20)"
            ),
            nbformat.v4.new_code_cell(
                "estimate_pi_parallel(2**22, seed=1, block_size=2**20, progress=True)"
            ),
            nbformat.v4.new_code_cell("stop_ray()"),
        ]
    )
    from nbclient import NotebookClient

    environment = {k: v for k, v in os.environ.items() if k != "TQDM_DISABLE"}
    if switch:
        environment["TQDM_DISABLE"] = switch
    NotebookClient(notebook, timeout=600, kernel_name="python3").execute(env=environment)
    assert [progress_bars(cell) for cell in notebook.cells] == [0, 0, asked_bars, 0]
