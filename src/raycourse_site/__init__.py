"""The course site's Sphinx extension (listed in ``_config.yml``), one module a job.

:mod:`.execution`: execution mode, a cache that sees the course package, one Ray;
:mod:`.page_head`: files served by the site, MathJax and BokehJS where needed;
:mod:`.bokeh_assets`: Bokeh outputs drawn late and named, with :mod:`.first_frame`;
:mod:`.notebooks`: folded answers; :mod:`.repository`: repository and Binder buttons.
"""

from __future__ import annotations

import os
from typing import Any

from . import execution
from .bokeh_assets import label_bokeh_outputs
from .notebooks import fold_downloadable_notebooks
from .page_head import MATHJAX_PATH, TEMPLATES_DIR, copy_static_files, set_page_scripts
from .repository import add_notebook_download, configure_repository

__all__ = ["setup"]


def _configure(app: Any, config: Any) -> None:
    """Set execution mode, MathJax path and the sources key before anything reads them."""
    execution.configure_execution(app, config)
    config.mathjax_path = MATHJAX_PATH
    configure_repository(app, config)
    # First: the site's layout.html extends the theme's, whose own folders follow.
    config.templates_path.insert(0, str(TEMPLATES_DIR))


def setup(app: Any) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    # For the kernels that run the pages: a progress bar is for a reader in a live notebook.
    os.environ["TQDM_DISABLE"] = "1"
    # A change re-reads every page ("env"), which with a cleared cache re-executes it.
    app.add_config_value("raycourse_sources_hash", "", "env", str)
    app.connect("config-inited", _configure)
    app.connect("builder-inited", copy_static_files)
    app.connect("source-read", execution.share_one_ray)
    app.connect("build-finished", execution.stop_shared_ray)
    app.add_css_file("raycourse.css")
    # After togglebutton.js (500): it renames the buttons that script adds.
    app.add_js_file("raycourse.js", priority=600)
    app.connect("doctree-resolved", label_bokeh_outputs)
    # Before the theme's header buttons (501), which offer the download it sets up.
    app.connect("html-page-context", add_notebook_download, priority=500)
    # Late, after every extension added its scripts for the page.
    app.connect("html-page-context", set_page_scripts, priority=900)
    # The theme copies each executed notebook into _sources while writing its page.
    app.connect("build-finished", fold_downloadable_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
