"""Accessibility of the built site: axe-core on every page, and the dart board by keyboard.

axe-core (bundled by ``axe-playwright-python``) checks every page against the
WCAG 2.0/2.1 A and AA rules, in the theme's light and dark mode, after the
Bokeh figures have rendered (axe looks inside their shadow roots). Any
violation fails, except one listed in ``axe_upstream.toml`` with the upstream
package and report it comes from. The keyboard test works the dart board
with Tab, Enter and Space only and checks that focus stays on the control
just used and that its focus ring shows.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from site_layout import DOCNAMES
from site_visit import (
    DEEP_QUERY_JS,
    ESTIMATE_TEXTS_JS,
    FIGURE_CANVASES_JS,
    draw_figures,
    open_page,
)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
UPSTREAM_FILE = Path(__file__).with_name("axe_upstream.toml")
RENDER_TIMEOUT_MS = 15_000
# Tab presses allowed to reach the board's first button from the top of the page.
MAX_TABS = 400

# The focused element, through open shadow roots (Bokeh's buttons live in one).
FOCUSED_JS = """
() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName,
    text: (el.textContent || "").trim(),
    focusVisible: el.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
      && style.outlineColor !== "rgba(0, 0, 0, 0)",
    boxShadow: style.boxShadow,
  };
}
"""

STATUS_TEXT_JS = f"""
() => ({DEEP_QUERY_JS})('[role=status]').map((el) => [el.getAttribute('aria-live'),
  el.textContent.trim()])
"""


def known_upstream() -> list[dict[str, str]]:
    """The violations that come from upstream packages, each with its reference."""
    entries = tomllib.loads(UPSTREAM_FILE.read_text())["violation"]
    for entry in entries:
        missing = {"rule", "target", "package", "reference"} - set(entry)
        assert not missing, f"{UPSTREAM_FILE.name}: entry {entry} lacks {sorted(missing)}"
    return entries


def is_upstream(rule: str, target: str, upstream: list[dict[str, str]]) -> bool:
    return any(entry["rule"] == rule and entry["target"] in target for entry in upstream)


def wait_for_figures(page: Any, html: str) -> None:
    """Let every Bokeh figure draw, so that axe sees the rendered widgets."""
    if "data-root-id" not in html:
        return
    draw_figures(page)
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            f"() => ({FIGURE_CANVASES_JS})().every((n) => n > 0)", timeout=RENDER_TIMEOUT_MS
        )


def set_mode(page: Any, mode: str) -> None:
    """Switch the theme as its own toggle does: ``data-theme`` (and ``data-mode``) on <html>."""
    page.evaluate(
        "(mode) => { document.documentElement.dataset.theme = mode;"
        " document.documentElement.dataset.mode = mode; }",
        mode,
    )
    page.wait_for_timeout(100)  # let style recalculation settle before measuring colours


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("docname", [*DOCNAMES, "genindex", "search"])
def test_no_axe_violations(
    docname: str, mode: str, browser: Any, base_url: str, site_dir: Path, axe: Axe
) -> None:
    html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
    upstream = known_upstream()
    visit = open_page(browser, base_url, docname)
    try:
        wait_for_figures(visit.page, html)
        set_mode(visit.page, mode)
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        results = axe.run(visit.page, options=options)
    finally:
        visit.page.context.close()
    ours = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            if not is_upstream(violation["id"], target, upstream):
                ours.append(f"{violation['id']} at {target}: {node['failureSummary']}")
    assert not ours, f"{docname}.html ({mode} mode), axe-core:\n  " + "\n  ".join(ours)


def test_upstream_list_names_each_source() -> None:
    for entry in known_upstream():
        assert entry["reference"].startswith("https://"), entry


def _focused(page: Any) -> dict[str, Any] | None:
    return page.evaluate(FOCUSED_JS)


def _estimates(page: Any) -> list[str]:
    return page.evaluate(ESTIMATE_TEXTS_JS)


def _assert_focus_on(page: Any, label: str, step: str) -> None:
    focused = _focused(page)
    assert focused is not None, f"after {step}, focus fell to the page"
    assert focused["tag"] == "BUTTON" and focused["text"] == label, (
        f"after {step}, focus is on {focused}, not the {label} button"
    )
    ring = focused["outline"] or re.search(r"\d+px", focused["boxShadow"] or "")
    assert focused["focusVisible"] and ring, f"after {step}, the {label} button shows no focus ring"


def _tab_to(page: Any, label: str, limit: int) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused and focused["tag"] == "BUTTON" and focused["text"] == label:
            return
    pytest.fail(f"{limit} presses of Tab never reached the {label} button")


def test_dart_board_by_keyboard(browser: Any, base_url: str, site_dir: Path) -> None:
    pages = [
        docname
        for docname in DOCNAMES
        if "raycourse-estimate" in (site_dir / f"{docname}.html").read_text(encoding="utf-8")
    ]
    assert pages, "no page has the dart animation"
    visit = open_page(browser, base_url, pages[0])
    page = visit.page
    try:
        # Drawn as a reader scrolling would find it; the walk starts at the top.
        draw_figures(page)
        page.wait_for_function(f"() => ({ESTIMATE_TEXTS_JS})().length > 0", timeout=15_000)
        initial = _estimates(page)
        assert page.evaluate(STATUS_TEXT_JS)[0][0] == "polite", "no polite status line"

        _tab_to(page, "Play", MAX_TABS)
        _assert_focus_on(page, "Play", "tabbing to Play")
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"(initial) => JSON.stringify(({ESTIMATE_TEXTS_JS})()) !== JSON.stringify(initial)",
            arg=initial,
            timeout=10_000,
        )
        _assert_focus_on(page, "Play", "Enter on Play")

        _tab_to(page, "Stop", 1)
        page.keyboard.press(" ")
        _assert_focus_on(page, "Stop", "Space on Stop")
        page.wait_for_timeout(300)  # a frame already scheduled may still land
        stopped = _estimates(page)
        page.wait_for_timeout(1_000)
        assert _estimates(page) == stopped, "the darts kept flying after Space on Stop"
        (status,) = page.evaluate(STATUS_TEXT_JS)
        assert status[1].startswith("Stopped."), f"status line after Stop: {status[1]!r}"

        _tab_to(page, "Reset", 1)
        page.keyboard.press("Enter")
        _assert_focus_on(page, "Reset", "Enter on Reset")
        page.wait_for_function(
            f"(initial) => JSON.stringify(({ESTIMATE_TEXTS_JS})()) === JSON.stringify(initial)",
            arg=initial,
            timeout=5_000,
        )
    finally:
        page.context.close()


@pytest.mark.parametrize("docname", DOCNAMES)
def test_every_bokeh_figure_is_named(docname: str, site_dir: Path) -> None:
    html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
    roots = re.findall(r'<div id="[^"]+" data-root-id="[^"]+"', html)
    named = re.findall(
        r'<div class="raycourse-bokeh" role="(?:figure|group)" aria-label="[^"]{20,}">'
        r'<div id="[^"]+" data-root-id="[^"]+"',
        html,
    )
    assert len(named) == len(roots), (
        f"{docname}.html: {len(roots) - len(named)} of {len(roots)} Bokeh figures have no name"
    )


def test_toggles_are_named_after_what_they_show(
    browser: Any, base_url: str, site_dir: Path
) -> None:
    names = []
    for docname in DOCNAMES:
        html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
        if 'class="solution' not in html and "Toggle hidden content" not in html:
            continue
        visit = open_page(browser, base_url, docname)
        try:
            page = visit.page
            page.wait_for_load_state("load")
            buttons = page.locator("div.solution > .admonition-title > button.toggle-button")
            names += [buttons.nth(i).get_attribute("aria-label") for i in range(buttons.count())]
            # myst-nb's hide-input summaries: named by their visible text, not a stock label.
            generic = page.locator('[aria-label="Toggle hidden content"]').count()
            assert generic == 0, f"{docname}.html: {generic} controls named 'Toggle hidden content'"
        finally:
            visit.page.context.close()
    assert names, "no solution toggles found"
    for name in names:
        assert re.match(r"Solution to Exercise \d", name or ""), f"toggle named {name!r}"
    assert len(set(names)) == len(names), f"toggles share names: {names}"
