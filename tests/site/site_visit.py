"""Open one page of the site in Chromium and record what it does.

Every request to a host other than the local server is blocked and recorded;
console errors, uncaught page errors and failed local requests are recorded
too. The JavaScript snippets search through Bokeh's shadow DOM.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["PageVisit", "draw_figures", "expected_figure_count", "open_page"]

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

MATH_STATE_JS = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
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


def draw_figures(page: Any, timeout_ms: int = 15_000) -> None:
    """Scroll through a page a viewport at a time, as a reader would, then back to the top.

    The site draws a Bokeh figure when it comes near the viewport: after this,
    every figure of the page that a reader can see has been drawn or is being
    drawn (a figure in a collapsed solution waits until it is opened).
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
    page.wait_for_function(f"() => ({EMBEDS_PENDING_JS})() === 0", timeout=timeout_ms)
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
