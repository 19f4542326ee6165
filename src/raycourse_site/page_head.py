"""What a page loads: the site's own copies (no CDN), MathJax and BokehJS only where needed.

Sphinx would put MathJax into every page whose toctree reaches math; instead a page with
math of its own or Bokeh figures gets ``raycourse-lazy.js``, told what to load once the
page is shown. ``templates/layout.html`` drops the theme's Font Awesome script (1.4 MB).
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

import bokeh
from bokeh.resources import Resources
from docutils import nodes
from sphinx.util.fileutil import copy_asset

from .bokeh_assets import BOKEHJS_BUNDLES

__all__ = ["copy_static_files", "set_page_scripts"]

#: The site's templates: ``layout.html`` extends the theme's own.
TEMPLATES_DIR = Path(__file__).parent / "templates"
#: The site's script that loads MathJax and BokehJS for a page (in ``static/``).
LAZY_LOADER = "raycourse-lazy.js"
#: The combined MathJax component Sphinx is told of; pages never load it.
MATHJAX_PATH = "mathjax/tex-chtml.js"
#: What a page with math loads instead: MathJax's loader and ``MATHJAX_COMPONENTS``, which
#: are ``tex-chtml.js`` less its context menu (0.43 MB), with the hidden MathML that screen
#: readers read (``a11y/assistive-mml``).
MATHJAX_STARTUP = "mathjax/startup.js"
MATHJAX_COMPONENTS = ("input/tex", "output/chtml", "a11y/assistive-mml")
BOKEHJS_DIR = f"bokeh-{bokeh.__version__}"


def copy_static_files(app: Any) -> None:
    """Copy the site's files, BokehJS and MathJax into ``_static`` (``builder-inited``)."""
    if app.builder.format != "html":
        return
    # Sphinx's copy_asset skips a file that is there already, so reruns stay cheap.
    static = Path(app.outdir) / "_static"
    copy_asset(Path(__file__).parent / "static", static)
    for name in Resources(mode="absolute", minified=True).js_files:
        copy_asset(name, static / BOKEHJS_DIR)
    dist = metadata.distribution("sphinx-mathjax-offline")
    mathjax = Path(str(dist.locate_file("sphinx-mathjax-offline/static/mathjax")))
    # The loader, the core it fetches first, and each component's file and folder (TeX
    # extensions, fonts), where MathJax's loader looks for them.
    for name in ("startup", "core", *MATHJAX_COMPONENTS):
        copy_asset(mathjax / f"{name}.js", static / "mathjax" / Path(name).parent)
        copy_asset(mathjax / name, static / "mathjax" / name)


def set_page_scripts(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Write each script of a page once, and MathJax and BokehJS through the loader.

    Sphinx 7 keeps an inline script added after the builder started (sphinx-thebe
    does) as both ``None`` and ``''``: written twice, its ``const`` is a SyntaxError.
    """
    page = doctree if doctree is not None else nodes.container()
    math = any(page.findall(lambda node: isinstance(node, (nodes.math, nodes.math_block))))
    kept: dict[tuple[Any, ...], Any] = {}
    for script in context["script_files"]:
        key = (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))
        mathjax_config = script.attributes.get("body", "").startswith("window.MathJax")
        if not (key[0].endswith(MATHJAX_PATH) or (mathjax_config and not math)):
            kept.setdefault(key, script)
    context["script_files"][:] = kept.values()
    bundles = [f"{BOKEHJS_DIR}/{name}" for name in page.get(BOKEHJS_BUNDLES, [])]
    if math or bundles:
        data = {
            "data-mathjax": MATHJAX_STARTUP if math else "",
            "data-mathjax-components": " ".join(MATHJAX_COMPONENTS) if math else "",
            "data-bokehjs": " ".join(bundles),
        }
        app.builder.add_js_file(LAZY_LOADER, defer="defer", **data)
