"""Page-head scripts: each inline script written once."""

from __future__ import annotations

from typing import Any

__all__ = ["write_scripts_once"]


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
