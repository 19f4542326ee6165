"""Write Jupyter's folding into MyST page sources, for pages opened in JupyterLab.

JupyterLab reads a page through Jupytext, so what it folds must be in the
source: ``jupyter`` options on code cells and ``+++ {"jupyter": ...}`` cell
breaks around solutions, the same folding that :mod:`.notebooks` gives the
downloads. Run it on a page after editing it; it changes nothing else and a
second run changes nothing::

    .venv/bin/python -m raycourse_site.fold_sources book/tasks.md
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

__all__ = ["fold_source", "main"]

_FOLDED_MARKDOWN = '+++ {"jupyter": {"source_hidden": true}}'
_HIDE_SOURCE = re.compile(r"remove-cell|remove-input|hide-input")
_HIDE_OUTPUTS = re.compile(r"remove-cell|remove-output|hide-output")


def _code_cell_header(tags: str | None, *, in_solution: bool) -> list[str]:
    hide_source = in_solution or bool(tags and _HIDE_SOURCE.search(tags))
    hide_outputs = in_solution or bool(tags and _HIDE_OUTPUTS.search(tags))
    if not (hide_source or hide_outputs):
        return [f":tags: {tags}", ""] if tags else []
    header = ["---", "jupyter:"]
    header += ["  source_hidden: true"] if hide_source else []
    header += ["  outputs_hidden: true"] if hide_outputs else []
    header += [f"tags: {tags}"] if tags else []
    return [*header, "---"]


def fold_source(text: str) -> str:
    """Return a MyST notebook's text with its solutions and tagged cells folded.

    Parameters
    ----------
    text : str
        A page whose code cells give their tags as ``:tags: [...]`` (or are
        already folded by this function).

    Returns
    -------
    str
        The page with ``jupyter`` metadata added; already folded cells are kept.
    """
    lines = text.split("\n")
    out: list[str] = []
    in_solution = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```{solution-start}"):
            if not (len(out) >= 2 and out[-2] == _FOLDED_MARKDOWN):
                out += [_FOLDED_MARKDOWN, ""]
            in_solution = True
        elif line.startswith("```{solution-end}") and in_solution:
            out += [line, lines[i + 1]]
            i += 2
            if not (i + 1 < len(lines) and lines[i + 1].startswith("+++")):
                out += ["", "+++"]
            in_solution = False
            continue
        elif line.startswith("```{code-cell}") and not lines[i + 1].startswith("---"):
            out.append(line)
            i += 1
            tags = None
            if lines[i].startswith(":tags:"):
                tags = lines[i].removeprefix(":tags:").strip()
                i += 1
                while lines[i] == "":
                    i += 1
            out += _code_cell_header(tags, in_solution=in_solution)
            while not lines[i].startswith("```"):
                out.append(lines[i])
                i += 1
            out.append(lines[i])
            i += 1
            following = next((rest for rest in lines[i:] if rest), "")
            if in_solution and not following.startswith(("```{code-cell}", "+++")):
                out += ["", _FOLDED_MARKDOWN]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Fold each page named on the command line, in place."""
    for name in sys.argv[1:] if argv is None else argv:
        path = Path(name)
        path.write_text(fold_source(path.read_text()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
