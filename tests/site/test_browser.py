"""Every page of the built site, opened once in headless Chromium and checked.

A page passes when it loads without console errors, page errors or requests
to other hosts, all math is typeset by MathJax, each solution's toggle is named
after its exercise, every exercise solution starts collapsed and opens on click,
every embedded Bokeh figure draws a canvas with the BokehJS of the installed
Bokeh once the page is scrolled through (the site draws a figure as it comes
near the viewport), and axe-core finds no WCAG A/AA violation of the site's own
in the theme's light or dark mode, with the solutions open and the figures
drawn. The dart animation must respond to Play, Stop and Reset. A failing page
is saved as a screenshot under ``_build/site-check/``.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import bokeh
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from site_layout import DOCNAMES, FAILURES_DIR
from site_visit import (
    ESTIMATE_TEXTS_JS,
    FIGURE_CANVASES_JS,
    PageVisit,
    axe_violations,
    draw_figures,
    expected_figure_count,
    open_page,
    wait_for_math,
)

RENDER_TIMEOUT_MS = 15_000


def check_toggle_names(page: Any) -> list[str]:
    """Solution toggles are named after their exercise, each differently; no stock names."""
    buttons = page.locator("div.solution > .admonition-title > button.toggle-button")
    names = [buttons.nth(i).get_attribute("aria-label") for i in range(buttons.count())]
    problems = [
        f"solution toggle named {name!r}"
        for name in names
        if not re.match(r"Solution to Exercise \d", name or "")
    ]
    if len(set(names)) != len(names):
        problems.append(f"solution toggles share names: {names}")
    # myst-nb's hide-input summaries: named by their visible text, not a stock label.
    generic = page.locator('[aria-label="Toggle hidden content"]').count()
    if generic:
        problems.append(f"{generic} controls named 'Toggle hidden content'")
    return problems


def check_solutions(page: Any) -> list[str]:
    """Each solution is collapsed on arrival and shows its body after a click."""
    problems = []
    solutions = page.locator("div.solution")
    for index in range(solutions.count()):
        solution = solutions.nth(index)
        title = solution.locator(":scope > .admonition-title")
        name = " ".join(title.inner_text().split()) or f"solution {index + 1}"
        body = solution.locator(":scope > :not(.admonition-title)").first
        if body.is_visible():
            problems.append(f"{name!r} is expanded when the page opens")
            continue
        # Click where a reader is likely to: on the title's link ("Exercise 1.1")
        # if it has one, else on the title; raw mouse clicks, as a reader's are.
        links = title.locator("a")
        spot = links.first if links.count() else title
        spot.scroll_into_view_if_needed()
        box = spot.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            body.wait_for(state="visible", timeout=3_000)
        except PlaywrightTimeout:
            problems.append(f"{name!r} does not expand when its title is clicked")
    return problems


def check_figures(page: Any, expected: int) -> list[str]:
    """Each embedded Bokeh figure draws a canvas; BokehJS matches Python's Bokeh."""
    if expected == 0:
        return []
    problems = []
    # On a timeout the count below says what did render.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            f"() => ({FIGURE_CANVASES_JS})().filter((n) => n > 0).length >= {expected}",
            timeout=RENDER_TIMEOUT_MS,
        )
    painted = page.evaluate(FIGURE_CANVASES_JS)
    rendered = sum(1 for canvases in painted if canvases > 0)
    if rendered != expected:
        problems.append(
            f"{expected} Bokeh figure(s) embedded but {rendered} drew a canvas "
            f"({len(painted)} figure element(s) in the page)"
        )
    version = page.evaluate("() => (window.Bokeh ? Bokeh.version : null)")
    if version != bokeh.__version__:
        problems.append(f"Bokeh.version is {version!r}, Python has {bokeh.__version__!r}")
    return problems


def check_math(page: Any) -> list[str]:
    """Every math element holds typeset MathJax output and no MathJax error."""
    state = wait_for_math(page, RENDER_TIMEOUT_MS)
    problems = []
    if state["rendered"] != state["total"]:
        problems.append(f"{state['rendered']} of {state['total']} math elements typeset")
    if state["errors"]:
        problems.append(f"{state['errors']} MathJax error(s) in the page")
    return problems


def finish(visit: PageVisit, problems: list[str]) -> None:
    """Fail with every problem of the page, after saving a screenshot of it."""
    problems = visit.problems() + problems
    if problems:
        shot = visit.screenshot(FAILURES_DIR)
        listing = "\n  - ".join(problems)
        pytest.fail(f"{visit.docname}.html:\n  - {listing}\n  screenshot: {shot}", pytrace=False)


# The book's pages, and the two pages Sphinx adds that readers reach from every page.
@pytest.mark.parametrize("docname", [*DOCNAMES, "genindex", "search"])
def test_page(docname: str, browser: Any, base_url: str, site_dir: Path, axe: Any) -> None:
    html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
    visit = open_page(browser, base_url, docname)
    try:
        problems = check_toggle_names(visit.page)
        # Before scrolling: math and figures in a collapsed solution are made once shown.
        problems += check_solutions(visit.page)
        draw_figures(visit.page)
        problems += check_math(visit.page)
        problems += check_figures(visit.page, expected_figure_count(html))
        for mode in ("light", "dark"):
            problems += axe_violations(visit.page, axe, mode)
        finish(visit, problems)
    finally:
        visit.page.context.close()


def _estimates(page: Any) -> list[str]:
    return page.evaluate(ESTIMATE_TEXTS_JS)


def _wait_for_estimates(page: Any, condition: str, timeout: int, initial: Any = None) -> bool:
    """Wait until ``condition`` (JS over ``texts`` and ``initial``) holds."""
    try:
        page.wait_for_function(
            f"(initial) => {{ const texts = ({ESTIMATE_TEXTS_JS})(); return {condition}; }}",
            arg=initial,
            timeout=timeout,
        )
    except PlaywrightTimeout:
        return False
    return True


def _buttons(page: Any, label: str) -> Any:
    return page.get_by_role("button", name=re.compile(rf"\b{label}\b", re.IGNORECASE))


def _click_all(page: Any, label: str) -> None:
    buttons = _buttons(page, label)
    for index in range(buttons.count()):
        buttons.nth(index).click()


def check_animation(page: Any) -> list[str]:
    """Estimates change after Play, stay put after Stop, return after Reset."""
    if not _wait_for_estimates(page, "texts.length > 0", RENDER_TIMEOUT_MS):
        return ["the estimate Divs (class raycourse-estimate) never rendered"]
    initial = _estimates(page)
    for label in ("Play", "Stop", "Reset"):
        if not _buttons(page, label).count():
            return [f"no {label} button next to the animation"]
    same = "JSON.stringify(texts) === JSON.stringify(initial)"

    _click_all(page, "Play")
    if not _wait_for_estimates(page, f"!({same})", 10_000, initial):
        return [f"estimates did not change within 10 s of Play: {initial}"]

    _click_all(page, "Stop")
    page.wait_for_timeout(300)  # a frame already scheduled may still land
    stopped = _estimates(page)
    page.wait_for_timeout(1_500)
    if _estimates(page) != stopped:
        return [f"estimates kept changing after Stop: {stopped} -> {_estimates(page)}"]

    _click_all(page, "Reset")
    if not _wait_for_estimates(page, same, 5_000, initial):
        return [f"Reset did not restore the initial estimates {initial}: {_estimates(page)}"]
    return []


def test_dart_animation(browser: Any, base_url: str, site_dir: Path) -> None:
    pages = [
        docname
        for docname in DOCNAMES
        if "raycourse-estimate" in (site_dir / f"{docname}.html").read_text(encoding="utf-8")
    ]
    assert pages, "no page has the dart animation (Bokeh Divs with class raycourse-estimate)"
    for docname in pages:
        visit = open_page(browser, base_url, docname)
        try:
            draw_figures(visit.page)
            finish(visit, check_animation(visit.page))
        finally:
            visit.page.context.close()
