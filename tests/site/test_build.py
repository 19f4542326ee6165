"""The strict build fails on a page whose cell raises, and passes otherwise.

An unchanged book is rebuilt from the execution cache without reading or
executing anything. Each test builds a throwaway one-page book with the repository's
``_config.yml`` (so the same extensions and execution settings) and the
Makefile's strict Sphinx options, executing every cell as CI does.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from site_layout import REPO

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
PAGE = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A throwaway page

```{{code-cell}} ipython3
{code}
```
"""


def strict_options() -> list[str]:
    """The ``STRICT`` Sphinx options of the Makefile, so the two cannot drift."""
    match = re.search(r"^STRICT := (.+)$", (REPO / "Makefile").read_text(), re.MULTILINE)
    assert match, "no STRICT := line in the Makefile"
    return shlex.split(match.group(1))


def build_page(
    tmp_path: Path, code: str, *, mode: str = "force"
) -> subprocess.CompletedProcess[str]:
    """Build a one-page book whose only cell is ``code``; return the finished process.

    The book is made on the first call and rebuilt in place on the next ones.
    """
    book = tmp_path / "book"
    if not book.exists():
        book.mkdir()
        shutil.copy(REPO / "_config.yml", book / "_config.yml")
        # Files that _config.yml names, at the same paths relative to the book.
        (book / "book").mkdir()
        shutil.copy(REPO / "book" / "favicon.svg", book / "book" / "favicon.svg")
        (book / "_toc.yml").write_text("format: jb-book\nroot: page\n")
        (book / "page.md").write_text(PAGE.format(code=code))
    env = dict(os.environ, RAYCOURSE_EXECUTION_MODE=mode)
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), *strict_options()],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_page_with_passing_cell_builds(tmp_path: Path) -> None:
    result = build_page(tmp_path, "print(6 * 7)")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "42" in (tmp_path / "book" / "_build" / "html" / "page.html").read_text()


@pytest.mark.slow
def test_page_with_failing_cell_fails_the_build(tmp_path: Path) -> None:
    result = build_page(tmp_path, 'raise RuntimeError("a deliberately broken cell")')
    assert result.returncode != 0, "the build passed although a cell raised"
    assert "a deliberately broken cell" in result.stdout + result.stderr


@pytest.mark.slow
def test_unchanged_rebuild_reads_and_executes_nothing(tmp_path: Path) -> None:
    first = build_page(tmp_path, "print(6 * 7)", mode="cache")
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-4000:]
    assert "Executing notebook" in first.stdout

    second = build_page(tmp_path, "print(6 * 7)", mode="cache")
    assert second.returncode == 0, second.stdout[-4000:] + second.stderr[-4000:]
    assert "0 added, 0 changed, 0 removed" in second.stdout
    assert "Executing notebook" not in second.stdout
