"""The dart board's first frame: shown at load, replaced in place by the live board.

A Bokeh layout that ``raycourse_site.first_frame`` can draw exactly (the dart
board before Play) is written into the page as static HTML and SVG. With only
such frames near the top of a page, the page loads no BokehJS until a reader
reaches for one; the frame meets the same WCAG rules (axe) as the live board.
Then the live board takes the frame's place: its buttons,
plots and texts where the frame's were (no layout shift), the focus passed on
to the same live button, and a click on the frame's Play starts the darts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from site_layout import DOCNAMES, SITE_DIR
from site_visit import (
    DEEP_QUERY_JS,
    EMBEDS_PENDING_JS,
    ESTIMATE_TEXTS_JS,
    axe_violations,
    open_page,
)

FRAME = ".raycourse-first-frame"
# Pixels a box of the live layout may differ from the frame's (sub-pixel text metrics).
TOLERANCE_PX = 1.0
LIVE_TIMEOUT_MS = 20_000

# Boxes of what a reader sees in a first frame, or in the live layout that replaced it,
# relative to the named wrapper (role "group"): buttons, plots, texts of the estimates.
GEOMETRY_JS = f"""
(frame) => {{
  const deep = {DEEP_QUERY_JS};
  const wrapper = document.querySelector('.raycourse-bokeh');
  const origin = wrapper.getBoundingClientRect();
  const box = (el) => {{
    const r = el.getBoundingClientRect();
    return [r.left - origin.left, r.top - origin.top, r.width, r.height];
  }};
  const text = (el) => (el.shadowRoot
    ? [...el.shadowRoot.children].filter((c) => !['STYLE', 'LINK'].includes(c.tagName))
    : [el]).map((c) => c.textContent).join(' ').replace(/\\s+/g, ' ').trim();
  const root = frame ? wrapper.querySelector('{FRAME}') : wrapper;
  const buttons = frame ? [...root.querySelectorAll('button')] : deep('button.bk-btn');
  const plots = frame ? [...root.querySelectorAll('svg')] : deep('.bk-Figure');
  const texts = frame
    ? [...root.querySelectorAll('.raycourse-first-frame-column > div:not([class])')]
    : deep('.raycourse-estimate');
  return {{
    wrapper: [origin.width, origin.height],
    buttons: buttons.map((b) => [b.textContent.trim(), ...box(b)]),
    plots: plots.map(box),
    texts: texts.map((t) => [text(t), ...box(t)]),
  }};
}}
"""
# Whether BokehJS was fetched, and the figures near the top of the page that have no frame.
AT_LOAD_JS = f"""
() => ({{
  bokehjs: performance.getEntriesByType('resource').some((e) => e.name.includes('/_static/bokeh-')),
  framed: document.querySelectorAll('{FRAME}').length,
  unframedNear: [...document.querySelectorAll('[data-root-id]')].filter((root) =>
    !root.parentElement.querySelector('{FRAME}')
    && root.parentElement.getBoundingClientRect().top < 2 * window.innerHeight).length,
}})
"""
LIGHT_MODE_JS = (
    "() => Object.assign(document.documentElement.dataset, { theme: 'light', mode: 'light' })"
)
LIVE_JS = f"() => !document.querySelector('{FRAME}') && ({EMBEDS_PENDING_JS})() === 0"
# The element that has the focus, through shadow roots: its tag and text.
FOCUSED_JS = """
() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el ? [el.tagName, el.textContent.trim()] : null;
}
"""


def framed_pages() -> list[str]:
    """The pages with a first frame in their HTML."""
    return [
        docname
        for docname in DOCNAMES
        if FRAME[1:] in (SITE_DIR / f"{docname}.html").read_text(encoding="utf-8")
    ]


def differences(frame: dict[str, Any], live: dict[str, Any]) -> list[str]:
    """Where the live layout is not where, or not what, its first frame was."""
    problems = []
    if abs(frame["wrapper"][1] - live["wrapper"][1]) > TOLERANCE_PX:
        problems.append(f"height {frame['wrapper'][1]} -> {live['wrapper'][1]} (layout shift)")
    for kind in ("buttons", "plots", "texts"):
        if len(frame[kind]) != len(live[kind]):
            problems.append(f"{len(frame[kind])} {kind} in the frame, {len(live[kind])} live")
            continue
        for before, after in zip(frame[kind], live[kind], strict=True):
            moved = any(
                abs(a - b) > TOLERANCE_PX for a, b in zip(before[-4:], after[-4:], strict=True)
            )
            if before[:-4] != after[:-4] or moved:
                problems.append(f"{kind[:-1]} {before} in the frame, {after} live")
    return problems


def wait_live(page: Any) -> None:
    """Wait until every first frame of the page was replaced by its live layout."""
    page.wait_for_function(LIVE_JS, timeout=LIVE_TIMEOUT_MS)


@pytest.fixture(scope="module")
def pages(site_dir: Path) -> list[str]:
    found = framed_pages()
    assert found, "no page has a first frame (the dart board's, class raycourse-first-frame)"
    return found


def test_frame_replaced_in_place(pages: list[str], browser: Any, base_url: str, axe: Any) -> None:
    for docname in pages:
        visit = open_page(browser, base_url, docname)
        page = visit.page
        try:
            page.wait_for_load_state("networkidle")
            at_load = page.evaluate(AT_LOAD_JS)
            frame = page.evaluate(GEOMETRY_JS, True)
            # The frame, not only the live board, meets WCAG A/AA, in both of the theme's modes.
            found = axe_violations(page, axe, "light") + axe_violations(page, axe, "dark")
            page.evaluate(LIGHT_MODE_JS)
            if page.evaluate(f"() => !document.querySelector('{FRAME}')"):
                found.append("the frame went live while axe checked it")
            page.hover(f"{FRAME} svg")
            wait_live(page)
            live = page.evaluate(GEOMETRY_JS, False)
        finally:
            page.context.close()
        problems = visit.problems() + found + differences(frame, live)
        if at_load["framed"] and not at_load["unframedNear"] and at_load["bokehjs"]:
            problems.append("loads BokehJS at load though only first frames are near the top")
        assert not problems, f"{docname}.html:\n  - " + "\n  - ".join(problems)


def test_frame_passes_on_focus_and_clicks(pages: list[str], browser: Any, base_url: str) -> None:
    for docname in pages:
        problems = []
        for how in ("keyboard", "click"):
            visit = open_page(browser, base_url, docname)
            page = visit.page
            try:
                page.wait_for_load_state("networkidle")
                play = page.locator(f"{FRAME} button", has_text="Play").first
                if how == "keyboard":
                    play.focus()
                    wait_live(page)
                    focused = page.evaluate(FOCUSED_JS)
                    if focused != ["BUTTON", "Play"]:
                        problems.append(f"focus on the frame's Play went to {focused}")
                    page.keyboard.press("Enter")
                else:
                    play.click()
                    wait_live(page)
                # Before Play every estimate reads "π ≈ —"; a thrown dart gives one a number.
                page.wait_for_function(
                    f"() => ({ESTIMATE_TEXTS_JS})().some((text) => !text.includes('\u2014'))",
                    timeout=LIVE_TIMEOUT_MS,
                )
            except PlaywrightTimeout:
                problems.append(f"{how}: Play on the frame started no darts")
            finally:
                page.context.close()
            problems += visit.problems()
        assert not problems, f"{docname}.html:\n  - " + "\n  - ".join(problems)
