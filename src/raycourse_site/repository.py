"""Repository, issues and Binder buttons, only when ``RAYCOURSE_REPOSITORY_URL`` is set.

The deploy workflow sets it; a local build links to no repository rather than to a
guess. Each notebook page offers its ``.ipynb`` download either way.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

__all__ = ["REPOSITORY_URL_ENV_VAR", "add_notebook_download", "configure_repository"]

REPOSITORY_URL_ENV_VAR = "RAYCOURSE_REPOSITORY_URL"
# The theme takes the last two parts of the URL as owner and repository.
_REPOSITORY_URL = re.compile(r"https://[^/\s]+/[^/\s]+/[^/\s]+")


def configure_repository(app: Any, config: Any) -> None:
    """Turn the repository, issues and Binder buttons on for a set URL (``config-inited``).

    A URL that is not ``https://host/owner/name`` is a ``ValueError`` that names the variable.
    """
    url = os.environ.get(REPOSITORY_URL_ENV_VAR, "").strip().rstrip("/")
    if url and not _REPOSITORY_URL.fullmatch(url):
        raise ValueError(
            f"{REPOSITORY_URL_ENV_VAR} must look like https://host/owner/name, got {url!r}"
        )
    options = dict(config.html_theme_options or {})
    # Jupyter Book fills in a default repository URL of its own: without ours, none.
    options.pop("repository_url", None)
    if url:
        branch = os.environ.get("RAYCOURSE_REPOSITORY_BRANCH", "").strip() or "main"
        options.update(repository_url=url, repository_branch=branch)
        options.update(use_repository_button=True, use_issues_button=True)
        launch = {**options.get("launch_buttons", {}), "binderhub_url": "https://mybinder.org"}
        options["launch_buttons"] = launch
    config.html_theme_options = options


def add_notebook_download(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Offer an executed page as ``.ipynb`` from ``_sources`` (``html-page-context``).

    The theme offers the download only with a launch provider.
    """
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if "kernelspec" in app.env.metadata.get(pagename, {}) and executed.is_file():
        # Its folded copy from an earlier build is replaced: the build folds it again.
        target = Path(app.outdir, "_sources", f"{pagename}.ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(executed, target)
        context["ipynb_source"] = f"{pagename}.ipynb"
