"""The build's record of checked figures (raycourse_site.figure_checks)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from raycourse.plausibility import EXECUTION_ENV_VAR, FIGURE_LOG_ENV_VAR, PAGE_ENV_VAR
from raycourse_site.figure_checks import (
    STRICT_ENV_VAR,
    note_executed,
    read_log,
    report,
    summarise,
)


def entry(page, execution, figure, *, attempts=1, flagged=False, time=0.0):
    return {
        "page": page,
        "execution": execution,
        "figure": figure,
        "attempts": attempts,
        "flagged": flagged,
        "rules": [],
        "rounds": 3,
        "spread": 0.1,
        "time": time,
    }


def write_log(path: Path, entries) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")


def test_only_each_pages_last_execution_counts(tmp_path):
    log = tmp_path / "log.jsonl"
    write_log(
        log,
        [
            entry("book/tasks", "old", "speed-up", flagged=True),
            entry("book/performance", "p1", "speed-up", attempts=2),
            entry("book/tasks", "new", "speed-up", attempts=3),
            entry("book/tasks", "new", "crossover", attempts=3, flagged=True, time=5.0),
        ],
    )
    summaries = summarise(read_log(log))
    assert [(s.page, s.checked, s.remeasured, s.flagged) for s in summaries] == [
        ("book/performance", 1, 1, 0),
        ("book/tasks", 2, 2, 1),
    ]
    assert summaries[1].flagged_names == ("crossover",)
    assert summaries[1].executed_at == 5.0
    assert read_log(tmp_path / "missing.jsonl") == []


def fake_app(tmp_path: Path, entries) -> SimpleNamespace:
    outdir = tmp_path / "_build" / "html"
    write_log(tmp_path / "_build" / ".raycourse" / "figure-checks.jsonl", entries)
    return SimpleNamespace(outdir=str(outdir), raycourse_load={"start": (1.0, 1.0, 1.0)})


def test_the_load_is_noted_once_every_page_ran(tmp_path):
    env = SimpleNamespace(metadata={"book/reproducibility": {"raycourse_figure_checks": True}})
    app = fake_app(tmp_path, [])
    assert note_executed(app, env) == ["book/reproducibility"]
    assert len(app.raycourse_load["executed"]) == 3


def test_strict_mode_fails_on_a_flagged_figure(tmp_path, monkeypatch):
    flagged = fake_app(tmp_path, [entry("book/tasks", "e", "speed-up", flagged=True)])
    monkeypatch.delenv(STRICT_ENV_VAR, raising=False)
    report(flagged, None)
    monkeypatch.setenv(STRICT_ENV_VAR, "1")
    with pytest.raises(ExtensionError, match="book/tasks: speed-up"):
        report(flagged, None)
    report(flagged, RuntimeError("the build failed already"))  # no second error
    plausible = fake_app(tmp_path, [entry("book/tasks", "e", "speed-up", attempts=3)])
    report(plausible, None)


PAGE = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
# Timed

```{code-cell} ipython3
from raycourse.figure_notes import disturbed_note
from raycourse.plausibility import measure_until_plausible, speedup_above_cpus

figure = measure_until_plausible(
    lambda: 3.5, lambda v: [speedup_above_cpus(v, 2)], name="speed-up on 2 CPUs",
    rounds=3, spread=lambda v: 0.4,
)
disturbed_note(figure)
```
"""

RECORD = """\
# Record

```{figure-checks}
```
"""


@pytest.fixture
def restored_environ():
    """Put os.environ back as it was: an in-process build sets variables for its kernels."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def build(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        'extensions = ["myst_nb", "raycourse_site"]\n'
        'nb_execution_mode = "force"\n'
        "nb_execution_raise_on_error = True\n"
        'exclude_patterns = ["_build"]\n'
    )
    (source / "index.md").write_text("# Home\n\n```{toctree}\ntimed\nrecord\n```\n")
    (source / "timed.md").write_text(PAGE)
    (source / "record.md").write_text(RECORD)
    outdir = tmp_path / "_build" / "html"
    app = Sphinx(
        str(source),
        str(source),
        str(outdir),
        str(tmp_path / "_build" / "doctrees"),
        "html",
        status=None,
        warning=None,
        freshenv=True,
    )
    app.build()
    return outdir


@pytest.mark.slow
@pytest.mark.usefixtures("restored_environ")
def test_a_built_page_records_its_flagged_figure_and_the_table_counts_it(tmp_path, monkeypatch):
    for name in (FIGURE_LOG_ENV_VAR, PAGE_ENV_VAR, EXECUTION_ENV_VAR, STRICT_ENV_VAR):
        monkeypatch.delenv(name, raising=False)
    outdir = build(tmp_path)
    timed = (outdir / "timed.html").read_text(encoding="utf-8")
    assert timed.count("disturbed-figure") == 1
    record = (outdir / "record.html").read_text(encoding="utf-8")
    assert "<td><p>Timed</p></td>" in record
    assert "Flagged as disturbed" in record and "Build started" in record
    [line] = (tmp_path / "_build" / ".raycourse" / "figure-checks.jsonl").read_text().splitlines()
    assert json.loads(line)["page"] == "timed"
    # The build set these for its kernels; the fixture restores them.
    assert os.environ[PAGE_ENV_VAR] and os.environ["TQDM_DISABLE"] == "1"


@pytest.mark.slow
@pytest.mark.usefixtures("restored_environ")
def test_strict_mode_fails_the_build(tmp_path, monkeypatch):
    for name in (FIGURE_LOG_ENV_VAR, PAGE_ENV_VAR, EXECUTION_ENV_VAR):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(STRICT_ENV_VAR, "1")
    with pytest.raises(ExtensionError, match="disturbed figure"):
        build(tmp_path)
