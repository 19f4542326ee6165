"""The built site's files: page sizes, downloads, buttons and internal links."""

from __future__ import annotations

import os
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from site_layout import DOCNAMES

# Budget for one page's HTML; inlined BokehJS alone would be about 4 MB.
MAX_PAGE_BYTES = 1_500_000
BINDER_PREFIX = "https://mybinder.org/v2/"
# The repository the site was built for (as `make test` and CI build and check
# with one environment); unset, the site must link to no repository at all.
REPOSITORY_URL = os.environ.get("RAYCOURSE_REPOSITORY_URL", "").strip().rstrip("/")
# Where a repository button of a build without one would have pointed.
UNCONFIGURED_TARGETS = ("https://github.com/", BINDER_PREFIX)


class _PageParser(HTMLParser):
    """Collect the element ids and the link targets of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for attr in ("href", "src"):
            if values.get(attr) and tag in {"a", "link", "script", "img", "iframe"}:
                self.links.append((tag, values[attr]))


_PARSED: dict[Path, _PageParser] = {}


def parse(path: Path) -> _PageParser:
    """Parse a page once per test session."""
    if path not in _PARSED:
        parser = _PageParser()
        parser.feed(path.read_text(encoding="utf-8"))
        _PARSED[path] = parser
    return _PARSED[path]


def _local_target(site_dir: Path, docname: str, url: str) -> tuple[Path, str] | None:
    """Resolve a relative link of a page to (file, fragment); None for other hosts."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:")):
        return None
    page_dir = posixpath.dirname(docname)
    if not parts.path:
        return site_dir / f"{docname}.html", unquote(parts.fragment)
    target = posixpath.normpath(posixpath.join(page_dir, unquote(parts.path)))
    return site_dir / target, unquote(parts.fragment)


@pytest.mark.parametrize("docname", DOCNAMES)
def test_page_size_within_budget(docname: str, site_dir: Path) -> None:
    size = (site_dir / f"{docname}.html").stat().st_size
    assert size <= MAX_PAGE_BYTES, (
        f"{docname}.html is {size:,} bytes, over the {MAX_PAGE_BYTES:,}-byte budget"
    )


@pytest.mark.parametrize("docname", DOCNAMES)
def test_downloads_and_buttons(docname: str, site_dir: Path) -> None:
    links = [url for _, url in parse(site_dir / f"{docname}.html").links]
    missing = []
    for suffix in (".md", ".ipynb"):
        downloads = [url for url in links if "_sources/" in url and url.endswith(suffix)]
        if not downloads:
            missing.append(f"no {suffix} download link")
        for url in downloads:
            target = _local_target(site_dir, docname, url)
            if target is None or not target[0].is_file():
                missing.append(f"download {url} is not in the site")
    if REPOSITORY_URL:
        if not any(url.startswith(REPOSITORY_URL) for url in links):
            missing.append(f"no repository button to {REPOSITORY_URL}")
        if not any(url.startswith(f"{REPOSITORY_URL}/issues") for url in links):
            missing.append("no issues button")
        if not any(url.startswith(BINDER_PREFIX) for url in links):
            missing.append("no Binder launch button")
    else:
        missing += [
            f"links to {url} though no repository is configured"
            for url in links
            if url.startswith(UNCONFIGURED_TARGETS)
        ]
    assert not missing, f"{docname}.html: " + "; ".join(missing)


@pytest.mark.parametrize("docname", DOCNAMES)
def test_internal_links_resolve(docname: str, site_dir: Path) -> None:
    broken = []
    for tag, url in parse(site_dir / f"{docname}.html").links:
        target = _local_target(site_dir, docname, url)
        if target is None:
            continue
        path, fragment = target
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            broken.append(f"<{tag}> {url}: no such file")
        elif fragment and path.suffix == ".html" and fragment not in parse(path).ids:
            broken.append(f"<{tag}> {url}: no element with id {fragment!r}")
    assert not broken, f"{docname}.html has broken links:\n  " + "\n  ".join(broken)
