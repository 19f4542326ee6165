"""JupyterLab, as `make setup` installs it, opens the MyST pages as notebooks."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pages_open_as_notebooks_in_this_environment():
    overrides = Path(sys.prefix, "share/jupyter/lab/settings/overrides.json")
    assert overrides.is_file(), f"{overrides} is missing: run `make setup`"
    settings = json.loads(overrides.read_text())["@jupyterlab/docmanager-extension:plugin"]
    assert settings["defaultViewers"] == {
        "markdown": "Jupytext Notebook",
        "myst": "Jupytext Notebook",
    }


def test_binder_sets_the_same_viewer():
    assert "set-default-viewer markdown myst" in (ROOT / "binder/postBuild").read_text()
