"""Fixtures for checking the built site: its pages, a local server and Chromium.

The site is ``_build/html`` of the repository, built by ``make book`` or
``make book-strict``; its pages are those of ``_toc.yml``. Environment
variables point elsewhere: ``RAYCOURSE_BOOK_DIR`` at another book folder (with
``_toc.yml``), ``RAYCOURSE_SITE_DIR`` at another built site (for a build with
``--path-output``), ``RAYCOURSE_CHROMIUM`` at another Chromium binary.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

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


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site; fails (rather than skips) when there is none."""
    if not (SITE_DIR / "index.html").is_file():
        pytest.fail(f"no built site in {SITE_DIR}: run `make book` first")
    return SITE_DIR


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """Serve the site on 127.0.0.1 on a free port for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make chromium`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
