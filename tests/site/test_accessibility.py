"""Accessibility beyond what axe-core checks on every page (``test_browser.py``).

The keyboard test works the dart board with Tab, Enter and Space only and checks
that focus stays on the control just used and that its focus ring shows; every
Bokeh figure has a name in words; each upstream axe exception names its source.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from site_layout import DOCNAMES
from site_visit import DEEP_QUERY_JS, ESTIMATE_TEXTS_JS, draw_figures, known_upstream, open_page

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
    # A root shown first as a static frame (the dart board) has the frame before it.
    named = re.findall(
        r'<div class="raycourse-bokeh" role="(?:figure|group)" aria-label="[^"]{20,}">'
        r'(?:<div class="raycourse-first-frame" [^>]*>.*?)?'
        r'<div id="[^"]+" data-root-id="[^"]+"',
        html,
        flags=re.DOTALL,
    )
    assert len(named) == len(roots), (
        f"{docname}.html: {len(roots) - len(named)} of {len(roots)} Bokeh figures have no name"
    )
