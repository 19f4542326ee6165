"""The build's record of checked figures: the log, the warning line, the table, strict mode.

Pages measure their figures with ``raycourse.plausibility``, which appends one
JSON line per checked figure to the log this module names in
``RAYCOURSE_FIGURE_LOG`` (``_build/.raycourse/figure-checks.jsonl``). Pages
execute while Sphinx reads them, in the Sphinx process's kernels, so the page
being read is named in ``RAYCOURSE_PAGE`` and the kernel inherits it.

A page taken from the execution cache is not executed again; its lines from
the last execution that ran stay in the log, so the record always describes
the outputs the site publishes. When every page has been read (and so
executed) the load average is recorded again; when the build has finished,
each flagged figure is reported on one line, and with
``RAYCOURSE_STRICT_FIGURES=1`` the build fails. The ``figure-checks``
directive becomes a table of it all when its page is written, which is after
every page was executed.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive

from raycourse.plausibility import EXECUTION_ENV_VAR, FIGURE_LOG_ENV_VAR, PAGE_ENV_VAR

__all__ = [
    "STRICT_ENV_VAR",
    "FigureChecksDirective",
    "PageSummary",
    "read_log",
    "report",
    "setup_figure_checks",
    "summarise",
]

STRICT_ENV_VAR = "RAYCOURSE_STRICT_FIGURES"
LOG_NAME = "figure-checks.jsonl"
_METADATA_KEY = "raycourse_figure_checks"


@dataclass(frozen=True)
class PageSummary:
    """The checked figures of one page's last execution.

    Attributes
    ----------
    page : str
        Sphinx docname.
    checked, remeasured, flagged : int
        Figures checked, measured more than once, and still implausible.
    flagged_names : tuple of str
        What the flagged figures are.
    executed_at : float
        Epoch seconds of the page's last recorded execution.
    """

    page: str
    checked: int
    remeasured: int
    flagged: int
    flagged_names: tuple[str, ...]
    executed_at: float


def read_log(path: Path) -> list[dict[str, Any]]:
    """Return the log's entries, keeping for each page only its last execution's."""
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            entries.append(json.loads(line))
    last_execution = {entry["page"]: entry["execution"] for entry in entries}
    return [e for e in entries if e["execution"] == last_execution[e["page"]]]


def summarise(entries: list[dict[str, Any]]) -> list[PageSummary]:
    """Return one :class:`PageSummary` per page, in the order pages first appear."""
    pages: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        pages.setdefault(entry["page"], []).append(entry)
    return [
        PageSummary(
            page=page,
            checked=len(items),
            remeasured=sum(1 for e in items if e["attempts"] > 1),
            flagged=sum(1 for e in items if e["flagged"]),
            flagged_names=tuple(e["figure"] for e in items if e["flagged"]),
            executed_at=max(e["time"] for e in items),
        )
        for page, items in pages.items()
    ]


def _log_path(app: Any) -> Path:
    return Path(app.outdir).parent / ".raycourse" / LOG_NAME


def _load() -> tuple[float, float, float]:
    return os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3


def start_record(app: Any) -> None:
    """Name the log for the kernels and note the load average as the build starts."""
    path = _log_path(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Keep only what is still published: each page's last execution.
    entries = read_log(path)
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    os.environ[FIGURE_LOG_ENV_VAR] = str(path)
    app.raycourse_load = {"start": _load(), "executed": None}


def name_page(app: Any, docname: str, source: list[str]) -> None:
    """Name the page about to be read (and executed) for the kernel that runs it."""
    os.environ[PAGE_ENV_VAR] = docname
    os.environ[EXECUTION_ENV_VAR] = uuid.uuid4().hex


def note_executed(app: Any, env: Any) -> list[str]:
    """Every page has run: note the load average; return the pages that show the table.

    Those pages are written again in every build, so their table is never stale.
    """
    app.raycourse_load["executed"] = _load()
    return [doc for doc, meta in env.metadata.items() if meta.get(_METADATA_KEY)]


def report(app: Any, exception: Exception | None) -> None:
    """Print one line per disturbed figure; with ``RAYCOURSE_STRICT_FIGURES=1``, fail."""
    from sphinx.errors import ExtensionError
    from sphinx.util import logging
    from sphinx.util.console import red

    if exception is not None:
        return
    logger = logging.getLogger(__name__)
    summaries = summarise(read_log(_log_path(app)))
    flagged = [(s.page, name) for s in summaries for name in s.flagged_names]
    for page, name in flagged:
        # Not a Sphinx warning: `make test`'s strict build must pass on a busy machine.
        logger.info(red(f"raycourse: WARNING: disturbed figure on {page}: {name}"))
    if flagged and os.environ.get(STRICT_ENV_VAR) == "1":
        raise ExtensionError(
            f"{len(flagged)} disturbed figure(s) and {STRICT_ENV_VAR}=1: "
            + "; ".join(f"{page}: {name}" for page, name in flagged)
        )


class figure_checks(nodes.General, nodes.Element):
    """Placeholder for the table, filled in when its page is written."""


class FigureChecksDirective(Directive):
    """``{figure-checks}``: the table of checked figures per page and the load averages."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        env.metadata[env.docname][_METADATA_KEY] = True
        return [figure_checks()]


def _table(header: list[str], rows: list[list[str]]) -> nodes.table:
    table = nodes.table(classes=["table", "figure-checks"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in header)
    for part, part_rows in ((nodes.thead(), [header]), (nodes.tbody(), rows)):
        for cells in part_rows:
            row = nodes.row()
            for cell in cells:
                entry = nodes.entry()
                entry += nodes.paragraph(text=cell)
                row += entry
            part += row
        group += part
    return table


def _format_load(load: tuple[float, float, float] | None) -> str:
    if load is None:
        return "not recorded"
    return ", ".join(f"{value:.2f}" for value in load)


def fill_tables(app: Any, doctree: nodes.document, docname: str) -> None:
    """Replace each ``figure-checks`` placeholder with the record of this build."""
    placeholders = list(doctree.findall(figure_checks))
    if not placeholders:
        return
    env = app.env
    summaries = summarise(read_log(_log_path(app)))
    rows = [
        [
            env.titles[s.page].astext() if s.page in env.titles else s.page,
            str(s.checked),
            str(s.remeasured),
            str(s.flagged),
        ]
        for s in summaries
    ]
    header = ["Page", "Figures checked", "Re-measured", "Flagged as disturbed"]
    load = getattr(app, "raycourse_load", {})
    loads = _table(
        ["When", "Load average (1, 5, 15 min)"],
        [
            ["Build started", _format_load(load.get("start"))],
            ["Every page executed", _format_load(load.get("executed"))],
        ],
    )
    cpus = os.cpu_count()
    for node in placeholders:
        content: list[nodes.Node] = []
        if rows:
            content.append(_table(header, rows))
        else:
            content.append(nodes.paragraph(text="No page of this build checked a figure."))
        content.append(loads)
        content.append(
            nodes.paragraph(
                text=f"A load average above {cpus}, the number of logical CPUs, means "
                "that work was waiting for a CPU while the pages were measured."
            )
        )
        node.replace_self(content)


def setup_figure_checks(app: Any) -> None:
    """Connect this module's handlers and register the directive."""
    app.add_node(figure_checks)
    app.add_directive("figure-checks", FigureChecksDirective)
    app.connect("builder-inited", start_record)
    app.connect("source-read", name_page)
    app.connect("env-get-updated", note_executed)
    app.connect("build-finished", report)
    app.connect("doctree-resolved", fill_tables)
