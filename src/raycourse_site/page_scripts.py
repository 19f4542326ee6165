"""Page-head scripts: each inline script written once, and no Font Awesome script.

pydata-sphinx-theme (under sphinx-book-theme) puts Font Awesome's "SVG with
JavaScript" build in every page head: a 1.4 MB script that swaps each
``<i class="fa-…">`` icon for an inline SVG and then watches the whole DOM
for new ones. The theme's stylesheet already carries Font Awesome's web-font
styles (``@font-face`` for the solid, regular and brands fonts, which the
theme ships in ``_static/vendor``), so the same icons are drawn from the font
without the script. The theme has no option to leave the script out: the
site's ``templates/layout.html`` writes the theme's head through
:func:`without_fontawesome_script` instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = [
    "FONTAWESOME_FILTER",
    "TEMPLATES_DIR",
    "add_head_filter",
    "without_fontawesome_script",
    "write_scripts_once",
]

#: The site's templates: ``layout.html`` extends the theme's own.
TEMPLATES_DIR = Path(__file__).parent / "templates"
#: The name under which ``layout.html`` finds :func:`without_fontawesome_script`.
FONTAWESOME_FILTER = "raycourse_without_fontawesome_script"
_FONTAWESOME_SCRIPT = re.compile(
    r'[ \t]*<script\b[^>]*\bsrc="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*>\s*</script>\n?'
)


def without_fontawesome_script(head: str) -> str:
    """Return a piece of the page head without the theme's Font Awesome script."""
    return _FONTAWESOME_SCRIPT.sub("", head)


def add_head_filter(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give the page template :func:`without_fontawesome_script` (``html-page-context``)."""
    context[FONTAWESOME_FILTER] = without_fontawesome_script


def write_scripts_once(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Drop repeated inline scripts from the page head.

    Sphinx 7 records an inline script added after the builder started (as
    sphinx-thebe and sphinx-togglebutton do) with the file name ``None`` and
    re-adds it from its registry with ``''``, so the page gets it twice; a
    repeated ``const`` declaration is a SyntaxError in the browser.
    """
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for script in scripts:
        key = (
            script.filename or "",
            script.priority,
            tuple(sorted(script.attributes.items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # In place: the builder restores its own list after each page.
    scripts[:] = unique
