"""The build starts one Ray for the pages only when a page is about to execute."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from myst_nb.core.read import read_myst_markdown_notebook

from raycourse_site import execution
from raycourse_site.execution import _will_execute, share_one_ray

PAGE = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---

# A page

```{code-cell} ipython3
import ray

ray.init()
print(1 + 1)
```
"""


def _app(tmp_path: Path, mode: str) -> SimpleNamespace:
    config = SimpleNamespace(nb_execution_mode=mode, nb_execution_cache_path=str(tmp_path / "c"))
    return SimpleNamespace(config=config, outdir=str(tmp_path / "html"))


@pytest.mark.parametrize(("mode", "expected"), [("off", False), ("force", True), ("auto", True)])
def test_the_execution_mode_decides(tmp_path: Path, mode: str, expected: bool) -> None:
    assert _will_execute(_app(tmp_path, mode), PAGE) is expected


def test_a_page_without_code_cells_never_executes(tmp_path: Path) -> None:
    assert not _will_execute(_app(tmp_path, "force"), "# Just prose\n\nNo notebook here.\n")


def test_a_page_that_starts_no_ray_needs_none(tmp_path: Path) -> None:
    page = PAGE.replace("import ray\n\nray.init()\n", "")
    assert "ray" not in page.split("# A page")[1]
    assert not _will_execute(_app(tmp_path, "force"), page)


def test_in_cache_mode_only_a_page_missing_from_the_cache_executes(tmp_path: Path) -> None:
    app = _app(tmp_path, "cache")
    assert _will_execute(app, PAGE)
    notebook = read_myst_markdown_notebook(PAGE)
    notebook.cells[0].outputs = [nbformat.v4.new_output("stream", text="2\n")]
    cache = get_cache(app.config.nb_execution_cache_path)
    cache.cache_notebook_bundle(CacheBundleIn(notebook, "page.md"), check_validity=False)
    assert not _will_execute(app, PAGE)
    assert _will_execute(app, PAGE.replace("1 + 1", "1 + 2"))  # changed code: run again


def test_a_cluster_named_by_the_build_is_used_as_it_is(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.5:6379")
    monkeypatch.setattr(execution, "_will_execute", lambda *_: pytest.fail("no Ray to start"))
    share_one_ray(_app(tmp_path, "force"), "book/tasks", [PAGE])
    assert execution.SHARED_RAY_SECONDS_ENV_VAR not in os.environ
