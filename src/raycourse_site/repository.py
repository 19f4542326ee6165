"""Repository, issues and Binder buttons: on only when the repository is named.

The repository URL is set in one place, the ``RAYCOURSE_REPOSITORY_URL``
environment variable (the deploy workflow sets it from the forge's own
variables). Without it, as in a local build, the site links to no repository:
the theme's repository, issues and launch buttons are left out rather than
pointing at a guess. Each notebook page keeps its ``.ipynb`` download either
way (the theme offers it only when a launch provider is configured).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .static_files import copy_file

__all__ = [
    "BINDERHUB_URL",
    "REPOSITORY_BRANCH_ENV_VAR",
    "REPOSITORY_URL_ENV_VAR",
    "add_notebook_download",
    "configure_repository",
    "repository_url",
]

REPOSITORY_URL_ENV_VAR = "RAYCOURSE_REPOSITORY_URL"
REPOSITORY_BRANCH_ENV_VAR = "RAYCOURSE_REPOSITORY_BRANCH"
BINDERHUB_URL = "https://mybinder.org"
_DEFAULT_BRANCH = "main"
# The theme takes the last two parts of the URL as owner and repository.
_REPOSITORY_URL = re.compile(r"https://[^/\s]+/[^/\s]+/[^/\s]+")


def repository_url() -> str | None:
    """Return the configured repository URL, or ``None`` when none is set.

    Raises
    ------
    ValueError
        If ``RAYCOURSE_REPOSITORY_URL`` is set but is not ``https://host/owner/name``.
    """
    url = os.environ.get(REPOSITORY_URL_ENV_VAR, "").strip().rstrip("/")
    if not url:
        return None
    if not _REPOSITORY_URL.fullmatch(url):
        raise ValueError(
            f"{REPOSITORY_URL_ENV_VAR} must look like https://host/owner/name, got {url!r}"
        )
    return url


def configure_repository(app: Any, config: Any) -> None:
    """Turn the repository, issues and Binder buttons on or off (``config-inited``)."""
    url = repository_url()
    options = dict(config.html_theme_options or {})
    launch = dict(options.get("launch_buttons") or {})
    if url is None:
        # Jupyter Book fills in a default repository URL of its own: drop it.
        options.pop("repository_url", None)
        options.update(use_repository_button=False, use_issues_button=False)
        options["use_edit_page_button"] = False
        launch["binderhub_url"] = ""
    else:
        branch = os.environ.get(REPOSITORY_BRANCH_ENV_VAR, "").strip() or _DEFAULT_BRANCH
        options.update(repository_url=url, repository_branch=branch)
        options.update(use_repository_button=True, use_issues_button=True)
        launch["binderhub_url"] = BINDERHUB_URL
    options["launch_buttons"] = launch
    config.html_theme_options = options


def add_notebook_download(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Offer an executed page as ``.ipynb`` from ``_sources``, launch provider or not.

    Runs before the theme builds its header buttons (priority 501).
    """
    if doctree is None or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    outdir = Path(app.outdir)
    executed = outdir.parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    copy_file(executed, outdir / "_sources" / f"{pagename}.ipynb")
    context["ipynb_source"] = f"{pagename}.ipynb"
