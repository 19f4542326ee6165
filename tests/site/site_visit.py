"""Open one page of the site in Chromium, record what it does, and check it with axe.

Every request to a host other than the local server is blocked and recorded;
console errors, uncaught page errors and failed local requests are recorded
too. The JavaScript snippets search through Bokeh's shadow DOM. axe-core
(bundled by ``axe-playwright-python``) checks a page against the WCAG 2.0/2.1
A and AA rules; a violation listed in ``axe_upstream.toml`` with the upstream
package and report it comes from is not the site's own.
"""

from __future__ import annotations

import contextlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

__all__ = [
    "PageVisit",
    "axe_violations",
    "draw_figures",
    "expected_figure_count",
    "known_upstream",
    "open_page",
    "wait_for_math",
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
UPSTREAM_FILE = Path(__file__).with_name("axe_upstream.toml")

# Elements of a class anywhere in the page, open shadow roots included.
DEEP_QUERY_JS = """
(selector) => {
  const found = [];
  (function walk(root) {
    for (const el of root.querySelectorAll('*')) {
      if (el.matches(selector)) found.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  })(document);
  return found;
}
"""

# For each Bokeh figure: how many of its canvases have a non-zero size.
FIGURE_CANVASES_JS = f"""
() => {{
  const deep = {DEEP_QUERY_JS};
  return deep('.bk-Figure').map((figure) => {{
    let painted = 0;
    (function walk(root) {{
      for (const el of root.querySelectorAll('*')) {{
        if (el.tagName === 'CANVAS' && el.width > 0 && el.height > 0) painted += 1;
        if (el.shadowRoot) walk(el.shadowRoot);
      }}
    }})(figure.shadowRoot || figure);
    return painted;
  }});
}}
"""

ESTIMATE_TEXTS_JS = f"""
() => {{
  const deep = {DEEP_QUERY_JS};
  // A Bokeh Div keeps its text in a shadow root, beside <style> elements.
  const text = (el) => el.shadowRoot
    ? [...el.shadowRoot.children].filter((c) => c.tagName !== 'STYLE' && c.tagName !== 'LINK')
        .map((c) => c.textContent).join(' ').trim()
    : el.textContent.trim();
  return deep('.raycourse-estimate').map(text);
}}
"""

# The site typesets math as it comes near the viewport: done when every formula is.
MATH_DONE_JS = (
    "() => [...document.querySelectorAll('.math')].every((el) => el.querySelector('mjx-container'))"
)
MATH_STATE_JS = """
() => {
  const math = [...document.querySelectorAll('.math')];
  return {
    total: math.length,
    rendered: math.filter((el) => el.querySelector('mjx-container')).length,
    errors: document.querySelectorAll('mjx-merror').length,
  };
}
"""

# Embed scripts that the site's raycourse-bokeh.js has started and not yet run.
EMBEDS_PENDING_JS = "() => document.querySelectorAll('script[data-embedded=\"loading\"]').length"

_FIGURE_OBJECT = re.compile(r'\{"type":"object","name":"Figure"')
_DOCS_JSON = re.compile(r"const docs_json = (\{.*?\});\n", re.DOTALL)


def expected_figure_count(html: str) -> int:
    """Count the Bokeh figures embedded in a page's HTML (one per Figure model)."""
    count = 0
    for match in _DOCS_JSON.finditer(html):
        json.loads(match.group(1))  # the embedded document must be valid JSON
        count += len(_FIGURE_OBJECT.findall(match.group(1)))
    return count


def wait_for_math(page: Any, timeout_ms: int = 15_000) -> dict[str, int]:
    """Wait until the page's math is typeset (or the time is up); count what was.

    The site typesets a formula as it comes near the viewport: scroll through first.
    """
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(MATH_DONE_JS, timeout=timeout_ms)
    return page.evaluate(MATH_STATE_JS)


def known_upstream() -> list[dict[str, str]]:
    """The axe violations that come from upstream packages, each with its reference."""
    entries = tomllib.loads(UPSTREAM_FILE.read_text())["violation"]
    for entry in entries:
        missing = {"rule", "target", "package", "reference"} - set(entry)
        assert not missing, f"{UPSTREAM_FILE.name}: entry {entry} lacks {sorted(missing)}"
    return entries


def axe_violations(page: Any, axe: Any, mode: str) -> list[str]:
    """Run axe-core on the page in the theme's light or dark mode; the site's own violations.

    Light mode gets every WCAG A/AA rule; dark mode, run after it, the rules about colour.
    """
    # As the theme's own switch does: data-theme (and data-mode) on <html>.
    page.evaluate(
        "(mode) => { document.documentElement.dataset.theme = mode;"
        " document.documentElement.dataset.mode = mode; }",
        mode,
    )
    # The theme fades colours over 0.15 s: measure them once every transition has ended
    # (a fixed pause is too short on a busy machine; axe then sees the colours half-way).
    page.evaluate(
        "() => Promise.all(document.getAnimations()"
        ".filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => null)))"
    )
    # Dark mode changes colours only: the rules about colour are run again, not all of them
    # (colour contrast is most of axe's time). No preload: axe would fetch the stylesheets
    # again (for its rule on orientation locks), resolving their @import against the page.
    rules = {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}
    scope = {"type": "tag", "values": WCAG_TAGS} if mode == "light" else rules
    options = {"runOnly": scope, "resultTypes": ["violations"], "preload": False}
    upstream = known_upstream()
    found = []
    for violation in axe.run(page, options=options).response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            if not any(e["rule"] == violation["id"] and e["target"] in target for e in upstream):
                found.append(
                    f"axe ({mode}): {violation['id']} at {target}: {node['failureSummary']}"
                )
    return found


def draw_figures(page: Any, timeout_ms: int = 15_000) -> None:
    """Scroll through a page a viewport at a time, as a reader would, then back to the top.

    The site draws a Bokeh figure when it comes near the viewport, and a layout
    shown as its first frame (the dart board) when the reader reaches for it; a
    pointer is moved over each frame. After this, every figure of the page that a
    reader can see has been drawn (one in a collapsed solution waits until it is opened).
    """
    step = page.viewport_size["height"]
    position = 0
    while position < page.evaluate("document.documentElement.scrollHeight"):
        page.evaluate(f"window.scrollTo(0, {position})")
        # Two frames: the figures' observer reports on the frame after a scroll.
        page.evaluate(
            "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        position += step
    page.evaluate(
        "() => document.querySelectorAll('.raycourse-first-frame').forEach((frame) =>"
        " frame.dispatchEvent(new PointerEvent('pointerover', { bubbles: true })))"
    )
    page.wait_for_function(
        f"() => ({EMBEDS_PENDING_JS})() === 0 && !document.querySelector('.raycourse-first-frame')",
        timeout=timeout_ms,
    )
    page.evaluate("window.scrollTo(0, 0)")


@dataclass
class PageVisit:
    """What happened while a page was open."""

    docname: str
    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything that went wrong on the way in, one line each."""
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"request to another host (blocked): {url}" for url in self.blocked]
            + [f"failed local request: {text}" for text in self.failed]
        )

    def screenshot(self, folder: Path) -> Path:
        """Save a full-page screenshot and return its path."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (self.docname.replace("/", "__") + ".png")
        self.page.screenshot(path=str(path), full_page=True)
        return path


def open_page(browser: Any, base_url: str, docname: str) -> PageVisit:
    """Open ``<docname>.html`` in a fresh browser context and wait for it to load."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    visit = PageVisit(docname, page)

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(base_url):
            route.continue_()
        else:
            visit.blocked.append(url)
            route.abort()

    def on_response(response: Any) -> None:
        # The browser asks for /favicon.ico on its own; the site declares none.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            visit.failed.append(f"HTTP {response.status} {response.url}")

    def on_request_failed(request: Any) -> None:
        if request.url.startswith(base_url):
            visit.failed.append(f"{request.failure} {request.url}")

    page.route("**/*", route)
    page.on("console", lambda msg: msg.type == "error" and visit.console_errors.append(msg.text))
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.goto(f"{base_url}{docname}.html", wait_until="load")
    return visit
