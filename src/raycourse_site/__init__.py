"""The course site's Sphinx extension (listed in ``_config.yml``).

It makes the site self-contained and keeps cached execution honest. One module a job:

* :mod:`.bokeh_assets`: BokehJS from the site, not a CDN; a myst-nb mime
  renderer drops ``output_notebook()``'s loader and the page head loads the
  bundles of the installed Bokeh.
* :mod:`.static_files`: the site's stylesheet (``static/raycourse.css``),
  BokehJS and MathJax 3 (from ``sphinx-mathjax-offline``) copied into ``_static``.
* :mod:`.execution`: ``RAYCOURSE_EXECUTION_MODE`` overrides the execution mode,
  and the execution cache is cleared when the ``raycourse`` sources or the key
  library versions change, so no stale output survives.
* :mod:`.page_scripts`: inline scripts that Sphinx 7 would emit twice are
  written once.
* :mod:`.figure_checks`: the record of checked timings (re-measured, flagged)
  per page and the load average, the ``figure-checks`` table, a warning line
  per disturbed figure and, with ``RAYCOURSE_STRICT_FIGURES=1``, a failed build.

The build marker ``RAYCOURSE_BUILD`` is set here, so the kernels that execute
the pages know they run for the static site.
"""

from __future__ import annotations

import os
from typing import Any

from .bokeh_assets import add_bokehjs
from .execution import apply_execution_mode, invalidate_stale_cache, sources_hash
from .figure_checks import setup_figure_checks
from .page_scripts import write_scripts_once
from .static_files import MATHJAX_ENTRY, STYLESHEET, copy_static_files

__all__ = ["setup"]

#: Read by ``raycourse.progress``: pages executed for the site show no widgets.
BUILD_ENV_VAR = "RAYCOURSE_BUILD"


def _configure(app: Any, config: Any) -> None:
    """Set execution mode, MathJax path and the sources key before anything reads them."""
    apply_execution_mode(config)
    config.mathjax_path = f"mathjax/{MATHJAX_ENTRY}"
    config.raycourse_sources_hash = sources_hash()
    if config.nb_execution_mode == "cache":
        invalidate_stale_cache(app, config)


def setup(app: Any) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    os.environ[BUILD_ENV_VAR] = "1"
    # A change re-reads every page ("env"), which with a cleared cache re-executes it.
    app.add_config_value("raycourse_sources_hash", "", "env", str)
    app.connect("config-inited", _configure)
    app.connect("builder-inited", copy_static_files)
    app.add_css_file(STYLESHEET)
    app.connect("html-page-context", add_bokehjs)
    # Late, after every extension added its scripts for the page.
    app.connect("html-page-context", write_scripts_once, priority=900)
    setup_figure_checks(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
