"""Every page run as a plain notebook in a live kernel, as a student runs it.

Not through the book: Jupytext reads ``book/<page>.md`` and nbclient executes
it in ``book/``, the way JupyterLab opens it. The outputs are then counted:
progress bars per cell, raw MyST, answers a student sees unasked. Slow (every
page runs in full), so it runs on request: ``make notebooks`` (part of ``make test``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from raycourse_site.notebooks import unfolded_cells

BOOK = Path(__file__).resolve().parents[2] / "book"
PAGES = sorted(path.stem for path in BOOK.glob("*.md") if "```{code-cell}" in path.read_text())
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
def executed() -> dict[str, nbformat.NotebookNode]:
    """Each page executed once, lazily, in a fresh kernel with ``book/`` as working directory."""
    from nbclient import NotebookClient

    cache: dict[str, nbformat.NotebookNode] = {}

    def run(page: str) -> nbformat.NotebookNode:
        if page not in cache:
            notebook = jupytext.read(BOOK / f"{page}.md")
            # The site build's switch must not leak into a student's kernel.
            environment = {k: v for k, v in os.environ.items() if k != "TQDM_DISABLE"}
            client = NotebookClient(
                notebook,
                timeout=1200,
                kernel_name="python3",
                resources={"metadata": {"path": str(BOOK)}},
            )
            client.execute(env=environment)
            cache[page] = notebook
        return cache[page]

    return run


@pytest.mark.parametrize("page", PAGES)
def test_at_most_one_progress_bar_per_cell(executed, page):
    notebook = executed(page)
    crowded = {i: n for i, cell in enumerate(notebook.cells) if (n := progress_bars(cell)) > 1}
    assert crowded == {}, f"cells with more than one progress bar (cell: bars): {crowded}"


@pytest.mark.parametrize("page", PAGES)
def test_no_raw_myst_in_outputs(executed, page):
    notebook = executed(page)
    raw = [
        (index, match.group(0))
        for index, cell in enumerate(notebook.cells)
        for output in cell.get("outputs", [])
        for match in _RAW_MYST.finditer(_text_of(output))
    ]
    assert raw == []


@pytest.mark.parametrize("page", PAGES)
def test_no_site_only_directive_in_visible_markdown(page):
    notebook = jupytext.read(BOOK / f"{page}.md")
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
    assert unfolded_cells(jupytext.read(BOOK / f"{page}.md")) == []


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
