"""Where the book and its built site are, and which pages the book has.

The site is ``_build/html`` of the repository, built by ``make book`` or
``make book-strict``; its pages are those of ``_toc.yml``. Environment
variables point elsewhere: ``RAYCOURSE_BOOK_DIR`` at another book folder (with
``_toc.yml``), ``RAYCOURSE_SITE_DIR`` at another built site (for a build with
``--path-output``), ``RAYCOURSE_CHROMIUM`` at another Chromium binary.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

__all__ = ["BOOK_DIR", "CHROMIUM", "CHROMIUM_ARGS", "DOCNAMES", "FAILURES_DIR", "REPO", "SITE_DIR"]

REPO = Path(__file__).resolve().parents[2]
BOOK_DIR = Path(os.environ.get("RAYCOURSE_BOOK_DIR", REPO))
SITE_DIR = Path(os.environ.get("RAYCOURSE_SITE_DIR", BOOK_DIR / "_build" / "html"))
# Screenshots of failing pages go here, beside the site.
FAILURES_DIR = SITE_DIR.parent / "site-check"
CHROMIUM = os.environ.get("RAYCOURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def toc_docnames(toc_path: Path) -> list[str]:
    """Return every document of a jb-book ``_toc.yml``, root first, in order."""
    toc = yaml.safe_load(toc_path.read_text())
    names = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                names.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return [str(Path(name).with_suffix("")) for name in names]


DOCNAMES = toc_docnames(BOOK_DIR / "_toc.yml")
