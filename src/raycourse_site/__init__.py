"""The course site's Sphinx extension (listed in ``_config.yml``).

It makes the site self-contained and keeps cached execution honest. One module a job:

* :mod:`.bokeh_assets`: BokehJS from the site, not a CDN; a myst-nb mime
  renderer drops ``output_notebook()``'s loader, each figure's embed script
  waits, inert, and the site's ``raycourse-bokeh.js`` loads the bundles the
  page's figures need and draws each figure as it comes near the viewport.
* :mod:`.static_files`: the site's stylesheet and script (``static/``),
  BokehJS and MathJax 3 (from ``sphinx-mathjax-offline``) copied into ``_static``.
* :mod:`.execution`: ``RAYCOURSE_EXECUTION_MODE`` overrides the execution mode,
  and the execution cache is cleared when the ``raycourse`` sources or the key
  library versions change, so no stale output survives.
* :mod:`.notebooks`: the notebooks behind the download button fold each
  exercise solution and the cells tagged ``remove-*``/``hide-*``;
  :mod:`.fold_sources` writes the same folding into the MyST page sources,
  for pages opened in JupyterLab (``python -m raycourse_site.fold_sources``).
* :mod:`.page_scripts`: inline scripts that Sphinx 7 would emit twice are
  written once, and the theme's head is written without Font Awesome's script
  (the icons come from the font that the theme's stylesheet already loads).
* :mod:`.figure_text`: each embedded Bokeh document is named in words (its
  plots' titles, axes and legends) for readers who cannot see it.
* :mod:`.repository`: the repository, issues and Binder buttons, on only when
  ``RAYCOURSE_REPOSITORY_URL`` names the repository; the ``.ipynb`` download
  either way.

The build sets tqdm's own ``TQDM_DISABLE`` switch, inherited by the kernels
that execute the pages: a bar a page asks for (``progress=True``) is for a
reader who waits in a live notebook, and the static site shows none.
"""

from __future__ import annotations

import os
from typing import Any

from .bokeh_assets import add_bokehjs, defer_bokeh_embeds
from .execution import (
    apply_execution_mode,
    course_source_dirs,
    invalidate_stale_cache,
    share_one_ray,
    sources_hash,
    stop_shared_ray,
)
from .figure_text import label_bokeh_outputs
from .notebooks import fold_downloadable_notebooks
from .page_scripts import TEMPLATES_DIR, add_head_filter, write_scripts_once
from .repository import add_notebook_download, configure_repository
from .static_files import MATHJAX_ENTRY, SCRIPT, STYLESHEET, copy_static_files

__all__ = ["setup"]

#: tqdm reads its defaults from ``TQDM_*`` variables: every bar of the build is silent.
TQDM_DISABLE_ENV_VAR = "TQDM_DISABLE"


def _configure(app: Any, config: Any) -> None:
    """Set execution mode, MathJax path and the sources key before anything reads them."""
    apply_execution_mode(config)
    config.mathjax_path = f"mathjax/{MATHJAX_ENTRY}"
    config.raycourse_sources_hash = sources_hash(*course_source_dirs(app.srcdir))
    if config.nb_execution_mode == "cache":
        invalidate_stale_cache(app, config)
    configure_repository(app, config)
    # First: the site's layout.html extends the theme's, whose own folders follow.
    config.templates_path.insert(0, str(TEMPLATES_DIR))


def setup(app: Any) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    os.environ[TQDM_DISABLE_ENV_VAR] = "1"
    # A change re-reads every page ("env"), which with a cleared cache re-executes it.
    app.add_config_value("raycourse_sources_hash", "", "env", str)
    app.connect("config-inited", _configure)
    app.connect("builder-inited", copy_static_files)
    app.connect("source-read", share_one_ray)
    app.connect("build-finished", stop_shared_ray)
    app.add_css_file(STYLESHEET)
    # After togglebutton.js (500): it renames the buttons that script adds.
    app.add_js_file(SCRIPT, priority=600)
    app.connect("doctree-resolved", label_bokeh_outputs)
    app.connect("doctree-resolved", defer_bokeh_embeds)
    app.connect("html-page-context", add_bokehjs)
    app.connect("html-page-context", add_head_filter)
    # Before the theme's header buttons (501), which offer the download it sets up.
    app.connect("html-page-context", add_notebook_download, priority=500)
    # Late, after every extension added its scripts for the page.
    app.connect("html-page-context", write_scripts_once, priority=900)
    # The theme copies each executed notebook into _sources while writing its page.
    app.connect("build-finished", fold_downloadable_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
