"""Repository, issues and Binder buttons, only when ``RAYCOURSE_REPOSITORY_URL`` is set.

The deploy workflow sets the variable from the forge's own; a local build links
to no repository rather than to a guess. Each notebook page offers its
``.ipynb`` download either way (the theme does only with a launch provider).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .page_head import copy_file

__all__ = ["REPOSITORY_URL_ENV_VAR", "add_notebook_download", "configure_repository"]

REPOSITORY_URL_ENV_VAR = "RAYCOURSE_REPOSITORY_URL"
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
    if url and not _REPOSITORY_URL.fullmatch(url):
        raise ValueError(
            f"{REPOSITORY_URL_ENV_VAR} must look like https://host/owner/name, got {url!r}"
        )
    return url or None


def configure_repository(app: Any, config: Any) -> None:
    """Turn the repository, issues and Binder buttons on or off (``config-inited``)."""
    url = repository_url()
    options = dict(config.html_theme_options or {})
    # Jupyter Book fills in a default repository URL of its own: without ours, none.
    options.pop("repository_url", None)
    options.update(use_repository_button=bool(url), use_issues_button=bool(url))
    if url is None:
        options["use_edit_page_button"] = False
    else:
        branch = os.environ.get("RAYCOURSE_REPOSITORY_BRANCH", "").strip() or "main"
        options.update(repository_url=url, repository_branch=branch)
    binder = "https://mybinder.org" if url else ""
    options["launch_buttons"] = {**(options.get("launch_buttons") or {}), "binderhub_url": binder}
    config.html_theme_options = options


def add_notebook_download(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Offer an executed page as ``.ipynb`` from ``_sources`` (``html-page-context``)."""
    if doctree is None or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    outdir = Path(app.outdir)
    executed = outdir.parent / "jupyter_execute" / f"{pagename}.ipynb"
    if executed.is_file():
        copy_file(executed, outdir / "_sources" / f"{pagename}.ipynb")
        context["ipynb_source"] = f"{pagename}.ipynb"
