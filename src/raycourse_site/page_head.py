"""What a page loads: the site's own copies, and MathJax and BokehJS only where needed.

``_static`` gets the site's ``static/`` files, the installed BokehJS bundles and
MathJax 3 (from ``sphinx-mathjax-offline``): no CDN. Pages load MathJax as its
components, without the context menu that ``tex-chtml.js`` bundles. Sphinx would
put MathJax (1.2 MB) into every page whose toctree reaches math, the intro's too;
instead a page with math of its own or Bokeh figures gets the site's
``raycourse-lazy.js``, told what to load once the page is shown. A Bokeh layout
that ``first_frame`` can draw exactly (the dart board) is shown as that static
frame until a reader reaches for it. ``templates/layout.html`` drops the theme's
Font Awesome script (1.4 MB): its stylesheet draws the icons from the font.
"""

from __future__ import annotations

import re
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

import bokeh
from docutils import nodes

from .bokeh_assets import bokehjs_files, page_bokehjs_files, page_documents
from .first_frame import first_frame_html

__all__ = [
    "LAZY_LOADER",
    "add_first_frames",
    "copy_static_files",
    "mathjax_source_dir",
    "set_page_scripts",
]

STATIC_DIR = Path(__file__).parent / "static"
#: The site's templates: ``layout.html`` extends the theme's own.
TEMPLATES_DIR = Path(__file__).parent / "templates"
#: The site's script that loads MathJax and BokehJS for a page (in ``static/``).
LAZY_LOADER = "raycourse-lazy.js"
#: The combined MathJax component Sphinx is told of; pages never load it themselves.
MATHJAX_PATH = "mathjax/tex-chtml.js"
#: What a page with math loads instead: MathJax's loader, which then fetches
#: ``MATHJAX_COMPONENTS``. That is ``tex-chtml.js`` without its context menu
#: (``ui/menu``, 0.43 MB of its 1.16 MB): the same TeX packages, CHTML output and
#: fonts, and the hidden MathML that screen readers read (``a11y/assistive-mml``).
MATHJAX_STARTUP = "mathjax/startup.js"
MATHJAX_COMPONENTS = ("input/tex", "output/chtml", "a11y/assistive-mml")
BOKEHJS_DIR = f"bokeh-{bokeh.__version__}"
# The combined MathJax bundles that the site does not load (about 15 MB).
_MATHJAX_UNUSED = ("mml-", "tex-mml-", "tex-svg", "tex-chtml-full", "node-main")
_ROOT_DIV = re.compile(r'<div id="[^"]+" data-root-id="(?P<root>[^"]+)"')


def mathjax_source_dir() -> Path:
    """Return the MathJax 3 folder of ``sphinx-mathjax-offline`` (``make setup`` installs it)."""
    dist = metadata.distribution("sphinx-mathjax-offline")
    folder = Path(str(dist.locate_file("sphinx-mathjax-offline/static/mathjax")))
    if not (folder / "tex-chtml.js").is_file():
        raise RuntimeError(f"no tex-chtml.js in {folder}")
    return folder


def copy_file(source: Path, target: Path) -> None:
    """Copy a file unless an identical one is there: reruns stay cheap and quiet."""
    if not (target.is_file() and target.read_bytes() == source.read_bytes()):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def copy_static_files(app: Any) -> None:
    """Copy the site's files, BokehJS and MathJax into ``_static`` (``builder-inited``)."""
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for path in STATIC_DIR.iterdir():
        copy_file(path, static / path.name)
    for path in bokehjs_files():
        copy_file(path, static / BOKEHJS_DIR / path.name)
    mathjax = mathjax_source_dir()
    for path in mathjax.rglob("*"):
        relative = path.relative_to(mathjax)
        unused = len(relative.parts) == 1 and path.name.startswith(_MATHJAX_UNUSED)
        if path.is_file() and not unused:
            copy_file(path, static / "mathjax" / relative)


def add_first_frames(body: str, doctree: nodes.Node) -> str:
    """Put each Bokeh root's first frame, where it has one, just before its ``<div>``."""
    frames = {}
    for document in page_documents(doctree):
        for root in document.get("roots", []):
            if (frame := first_frame_html(document, root["id"])) is not None:
                frames[root["id"]] = frame
    return _ROOT_DIV.sub(lambda match: frames.get(match["root"], "") + match[0], body)


def set_page_scripts(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Write each script of a page once, and MathJax and BokehJS through the loader.

    Sphinx 7 keeps an inline script added after the builder started (sphinx-thebe
    does) as both ``None`` and ``''``: written twice, its ``const`` is a SyntaxError.
    """
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    page = doctree if doctree is not None else nodes.container()
    math = any(page.findall(lambda node: isinstance(node, (nodes.math, nodes.math_block))))
    kept: dict[tuple[Any, ...], Any] = {}
    for script in scripts:
        key = (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))
        mathjax_config = script.attributes.get("body", "").startswith("window.MathJax")
        if not (key[0].endswith(MATHJAX_PATH) or (mathjax_config and not math)):
            kept.setdefault(key, script)
    scripts[:] = kept.values()
    if isinstance(context.get("body"), str):
        context["body"] = add_first_frames(context["body"], page)
    bundles = [f"{BOKEHJS_DIR}/{path.name}" for path in page_bokehjs_files(page)]
    if math or bundles:
        data = {
            "data-mathjax": MATHJAX_STARTUP if math else "",
            "data-mathjax-components": " ".join(MATHJAX_COMPONENTS) if math else "",
            "data-bokehjs": " ".join(bundles),
        }
        app.builder.add_js_file(LAZY_LOADER, defer="defer", **data)
