"""The pages as a student meets them, checked without running them a second time.

The pages execute once, in the strict build (``make book-strict``). These checks
read the page sources and the notebooks that build executed
(``_build/jupyter_execute/book``, or ``RAYCOURSE_EXECUTED_DIR``):

* a visible cell never needs a hidden one: no name that only a hidden cell
  (``remove-cell``/``remove-input``) binds is read by a visible cell, so the
  visible cells a student copies run alone;
* hidden cells stay few, and every glued value is a number, not a sentence;
* outputs hold no raw MyST, visible code fits the page's width, answers and
  site-only cells are folded in the source that JupyterLab opens;
* in a live kernel joined to the test run's Ray, a library call shows a
  progress bar only when asked.
"""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

from raycourse_site.notebooks import fold_source

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
EXECUTED = Path(os.environ.get("RAYCOURSE_EXECUTED_DIR", ROOT / "_build/jupyter_execute/book"))
HIDDEN_TAGS = {"remove-cell", "remove-input"}
# Budgets of the lean course: hidden code in all pages, and a code line's width
# (what a code cell shows at 1280 px with the page's contents beside it).
MAX_HIDDEN_LINES = 200
MAX_CODE_WIDTH = 80


def toc_pages() -> list[str]:
    """The book's pages that hold code, in the order of ``_toc.yml``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    pages = [ROOT / f"{name}.md" for name in files]
    return [page.stem for page in pages if "```{code-cell}" in page.read_text()]


PAGES = toc_pages()
# A tqdm bar starts at 0%: as text on stderr, or as a widget whose plain-text
# fallback is the bar.
_BAR_START = re.compile(r"(?<![\d.])0%\|")
_WIDGET = "application/vnd.jupyter.widget-view+json"
# MyST that only the site renders; jupyterlab-myst shows these as errors or raw text.
_SITE_ONLY_DIRECTIVES = ("nb-exec-table", "glue:figure", "glue:math", "glue:any")
_RAW_MYST = re.compile(r"\{glue(:\w+)?\}`|```\{")
# A glued number as text: 1,234 / -0.5 / 3.2e-05 / 45% / 3.11.7 (a version).
_NUMBER = re.compile(r"-?[\d,]*\.?\d+(?:[eE][-+]?\d+)?%?|\d+(?:\.\d+)+")


def code_cells(page: str) -> list[tuple[bool, str]]:
    """The page's code cells as (hidden, source), in order."""
    notebook = jupytext.read(BOOK / f"{page}.md", fmt="md:myst")
    return [
        (bool(set(cell.metadata.get("tags", [])) & HIDDEN_TAGS), cell.source)
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


def bound_and_read(source: str) -> tuple[set[str], set[str]]:
    """Names a cell binds (assignments, imports, definitions) and names it reads."""
    # IPython magics and shell lines are not Python: leave them out.
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return bound, read


def needs_of_visible_cells(cells: list[tuple[bool, str]]) -> set[str]:
    """Names that visible cells read but only hidden cells bind."""
    hidden_bound, visible_bound, visible_read = set(), set(), set()
    for hidden, source in cells:
        bound, read = bound_and_read(source)
        if hidden:
            hidden_bound |= bound
        else:
            visible_bound |= bound
            visible_read |= read
    return (visible_read & hidden_bound) - visible_bound


def executed_notebook(page: str) -> nbformat.NotebookNode:
    path = EXECUTED / f"{page}.ipynb"
    if not path.is_file():
        pytest.fail(f"{path} is missing: build the site first (make book or make book-strict)")
    return nbformat.read(path, as_version=4)


def glued_values(page: str) -> dict[str, str]:
    """The values a page glued, as the text the site writes into its prose."""
    path = EXECUTED / f"{page}.glue.json"
    if not path.is_file():
        return {}
    return {
        name: output["data"].get("text/plain", "").strip("'\"")
        for name, output in json.loads(path.read_text()).items()
    }


def _text_of(output: nbformat.NotebookNode) -> str:
    if output.output_type == "stream":
        return output.text
    return str(output.get("data", {}).get("text/plain", ""))


def progress_bars(cell: nbformat.NotebookNode) -> int:
    """How many progress bars the outputs of a code cell show."""
    bars = 0
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            bars += len(_BAR_START.findall(output.text))
        elif _WIDGET in output.get("data", {}) and "|" in _text_of(output):
            bars += 1
    return bars


def test_a_visible_cell_that_needs_a_hidden_one_is_found():
    cells = [
        (True, "from myst_nb import glue\nsecret = 2\nglue('x', secret)"),
        (False, "shown = 1\nprint(shown + secret)"),
        (False, "import numpy as np\nnp.pi"),
    ]
    assert needs_of_visible_cells(cells) == {"secret"}
    assert needs_of_visible_cells([(True, "a = 1"), (False, "a = 2\nprint(a)")]) == set()


@pytest.mark.parametrize("page", PAGES)
def test_visible_cells_need_no_hidden_cell(page):
    assert needs_of_visible_cells(code_cells(page)) == set(), (
        f"{page}: visible cells read names that only hidden cells define; "
        "a student who copies the visible cells could not run them"
    )


def test_hidden_code_stays_small():
    lines = {
        page: sum(len(source.splitlines()) for hidden, source in code_cells(page) if hidden)
        for page in PAGES
    }
    assert sum(lines.values()) <= MAX_HIDDEN_LINES, f"hidden code lines per page: {lines}"


@pytest.mark.parametrize("page", PAGES)
def test_visible_code_fits_the_page(page):
    wide = [
        line
        for hidden, source in code_cells(page)
        if not hidden
        for line in source.splitlines()
        if len(line) > MAX_CODE_WIDTH
    ]
    assert wide == [], f"{page}: visible code lines over {MAX_CODE_WIDTH} characters scroll"


@pytest.mark.parametrize("page", PAGES)
def test_glued_values_are_numbers(page):
    words = {
        name: value for name, value in glued_values(page).items() if not _NUMBER.fullmatch(value)
    }
    assert words == {}, f"{page}: glued values must be numbers; prose is written in the page"


@pytest.mark.parametrize("page", PAGES)
def test_no_raw_myst_in_outputs(page):
    notebook = executed_notebook(page)
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
    shown = [
        (index, name)
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
        and not cell.metadata.get("jupyter", {}).get("source_hidden")
        for name in _SITE_ONLY_DIRECTIVES
        if f"{{{name}}}" in cell.source
    ]
    assert shown == [], "site-only MyST that JupyterLab shows as an error: fold the cell"


@pytest.mark.parametrize("page", PAGES)
def test_answers_and_site_only_cells_are_folded(page):
    # JupyterLab shows what the source says: the folding must be written there.
    text = jupytext.writes(jupytext.read(BOOK / f"{page}.md", fmt="md:myst"), fmt="md:myst")
    assert fold_source(text) == text, f"unfolded: python -m raycourse_site.notebooks book/{page}.md"


@pytest.mark.parametrize(("switch", "asked_bars"), [(None, 1), ("1", 0)])
def test_the_progress_rule_in_a_live_kernel(ray_session, switch, asked_bars):
    # A loop of library calls shows no bar; one call asked for a bar shows one,
    # except in a kernel of the site build (TQDM_DISABLE), which shows none.
    # The kernels join this run's Ray (as the build's kernels join its head) rather
    # than each starting one of its own, which would take many seconds of the CPUs.
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
    environment.update(RAY_ADDRESS=ray_session.address, RAY_AUTH_MODE="token")
    if switch:
        environment["TQDM_DISABLE"] = switch
    NotebookClient(notebook, timeout=600, kernel_name="python3").execute(env=environment)
    assert [progress_bars(cell) for cell in notebook.cells] == [0, 0, asked_bars, 0]
