"""What a page costs a reader at load: bytes, MathJax, BokehJS, Bokeh documents, icons.

Each page of the book is opened in Chromium. Until its load event it may fetch
at most ``MAX_BYTES_BEFORE_LOAD`` and neither MathJax nor BokehJS (the site
loads them after the page is shown); a page without math never loads MathJax.
Left to settle (the network idle, no figure half-drawn), it must have loaded at
most ``MAX_LOAD_BYTES`` in all, drawn at most ``MAX_DOCUMENTS_AT_LOAD`` Bokeh
documents (a figure is drawn as it comes near the viewport, not all at load)
and yet every figure already in view (a first frame, the dart board's before
Play, stands in for its figure: with nothing else in view, no BokehJS at all),
and no Font Awesome script, with the theme's icons drawn from Font Awesome's
font. Scrolled through, a figure page loads the BokehJS bundles that Bokeh's
own rule picks for its documents and no other, at most ``MAX_BOKEHJS_BYTES``
of them, and MathJax's components without its context menu, at most
``MAX_MATHJAX_BYTES``, each typeset formula with its hidden MathML. Lighthouse
scores the same pages (``make lighthouse``), outside ``make test``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from site_layout import DOCNAMES
from site_visit import EMBEDS_PENDING_JS, draw_figures, open_page

# Bounds with room for the book to grow. The Tasks page loaded 7.5 MB and drew
# 24 documents at load before figures were drawn near the viewport; about 4 MB
# when its dart board at the top was drawn at load with BokehJS (1.65 MB); now
# the board's first frame needs no BokehJS, and MathJax (1.2 MB) is most of it.
# Font Awesome's script or Bokeh's MathJax bundle back would break it.
MAX_LOAD_BYTES = 4_500_000
# Before the load event: the page, the theme's styles, scripts and icon font
# (1.0 to 1.15 MB; 2.1 to 4.0 MB when MathJax and BokehJS came first).
MAX_BYTES_BEFORE_LOAD = 1_500_000
MAX_DOCUMENTS_AT_LOAD = 6
# The core and widgets bundles are 1.65 MB; WebGL, tables or MathJax-in-plots
# on top of them would break this.
MAX_BOKEHJS_BYTES = 1_700_000
# MathJax as the site loads it: its loader, the core, TeX input, CHTML output and
# its font data, and the hidden MathML (0.76 MB). The combined tex-chtml.js (1.16 MB,
# with the context menu) or the menu itself back would break it.
MAX_MATHJAX_BYTES = 850_000
SETTLE_TIMEOUT_MS = 15_000

# Every file the page loaded so far: its size on the wire (no compression here), and
# whether its request started before the load event.
LOADED_JS = """
() => {
  const [navigation] = performance.getEntriesByType('navigation');
  return [navigation, ...performance.getEntriesByType('resource')].map((entry) => [
    entry.name, entry.encodedBodySize, entry.startTime < navigation.loadEventStart]);
}
"""
# Bokeh documents created in the page, the root <div>s within the viewport, and those
# that hold neither a drawn figure nor its first frame.
BOKEH_STATE_JS = """
() => {
  const roots = [...document.querySelectorAll('[data-root-id]')].filter((root) =>
    root.parentElement.getClientRects().length > 0
    && root.parentElement.getBoundingClientRect().top < window.innerHeight);
  const framed = (root) => root.parentElement.querySelector('.raycourse-first-frame') !== null;
  return {
    documents: window.Bokeh && Bokeh.documents ? Bokeh.documents.length : 0,
    inView: roots.map((root) => root.dataset.rootId),
    blankInView: roots.filter((root) => root.childElementCount === 0 && !framed(root))
      .map((root) => root.dataset.rootId),
  };
}
"""
# The roots that the built page shows as a first frame until a reader reaches for them.
_FRAMED_ROOT = re.compile(r'class="raycourse-first-frame" data-root-id-of="([^"]+)"')
# The theme's icons: each shown <i class="fa-..."> drawn in a Font Awesome font.
ICONS_JS = """
async () => {
  await document.fonts.ready;
  const icons = [...document.querySelectorAll('i[class*="fa-"]')]
    .filter((icon) => icon.getClientRects().length > 0);
  const undrawn = icons.filter((icon) => {
    const before = getComputedStyle(icon, '::before');
    return !before.fontFamily.includes('Font Awesome') || before.content === 'none'
      || icon.getBoundingClientRect().width === 0;
  }).map((icon) => icon.className);
  const fonts = [...document.fonts]
    .filter((font) => font.family.includes('Font Awesome') && font.status === 'loaded')
    .map((font) => font.family);
  return { shown: icons.length, undrawn, fonts };
}
"""
# Typeset formulas, and those without the hidden MathML that screen readers read.
MATH_JS = """
() => {
  const formulas = [...document.querySelectorAll('mjx-container')];
  return {
    typeset: formulas.length,
    unread: formulas.filter((formula) => !formula.querySelector('mjx-assistive-mml math')).length,
  };
}
"""
_DOCS_JSON = re.compile(r"const docs_json = (\{.*?\});\n", re.DOTALL)


def bundles_bokeh_would_load(html: str) -> set[str]:
    """The BokehJS bundles Bokeh picks for a page's documents (as for a standalone file)."""
    from bokeh.document import Document
    from bokeh.embed.bundle import bundle_for_objs_and_resources
    from bokeh.resources import Resources

    documents = [
        Document.from_json(document)
        for match in _DOCS_JSON.finditer(html)
        for document in json.loads(match.group(1)).values()
    ]
    if not documents:
        return set()
    bundle = bundle_for_objs_and_resources(documents, Resources(mode="absolute", minified=True))
    return {str(url).rsplit("/", 1)[-1] for url in bundle.js_files}


def settle(page: Any) -> None:
    """Wait until the page has loaded, the network is idle and no figure is half-drawn."""
    page.wait_for_load_state("networkidle", timeout=SETTLE_TIMEOUT_MS)
    page.wait_for_function(f"() => ({EMBEDS_PENDING_JS})() === 0", timeout=SETTLE_TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=SETTLE_TIMEOUT_MS)


def bokehjs_loaded(loaded: list[tuple[str, int, bool]]) -> dict[str, int]:
    """The BokehJS bundles among the loaded files, by file name, with their sizes."""
    return {
        url.split("?")[0].rsplit("/", 1)[-1]: size
        for url, size, _ in loaded
        if "/_static/bokeh-" in url
    }


def check_mathjax(loaded: list[tuple[str, int, bool]], math: dict[str, int]) -> list[str]:
    """MathJax without its context menu, within its bound, and every formula read aloud."""
    files = {
        url.split("?")[0].split("/_static/mathjax/", 1)[1]: size
        for url, size, _ in loaded
        if "/_static/mathjax/" in url and not url.split("?")[0].endswith(".woff")
    }
    problems = [
        f"loads mathjax/{name}: the site loads MathJax's components without the menu"
        for name in files
        if name in ("tex-chtml.js", "ui/menu.js")
    ]
    if sum(files.values()) > MAX_MATHJAX_BYTES:
        problems.append(f"loads {sum(files.values()):,} bytes of MathJax: {files}")
    if math["unread"]:
        problems.append(f"{math['unread']} of {math['typeset']} formulas have no hidden MathML")
    return problems


def check_before_load(loaded: list[tuple[str, int, bool]], has_math: bool) -> list[str]:
    """Until the load event: a bounded weight, and no MathJax or BokehJS at all."""
    early = [(url, size) for url, size, before_load in loaded if before_load]
    problems = [
        f"fetches {url.rsplit('/', 1)[-1]} before the load event: the page waits for it"
        for url, _ in early
        if "/_static/mathjax/" in url or "/_static/bokeh-" in url
    ]
    total = sum(size for _, size in early)
    if total > MAX_BYTES_BEFORE_LOAD:
        problems.append(
            f"fetches {total:,} bytes before the load event, over {MAX_BYTES_BEFORE_LOAD:,}"
        )
    if not has_math and any("/_static/mathjax/" in url for url, _, _ in loaded):
        problems.append("loads MathJax though it has no math")
    return problems


@pytest.mark.parametrize("docname", DOCNAMES)
def test_page_weight(docname: str, browser: Any, base_url: str, site_dir: Path) -> None:
    html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
    visit = open_page(browser, base_url, docname)
    page = visit.page
    try:
        settle(page)
        loaded = page.evaluate(LOADED_JS)
        bokeh_state = page.evaluate(BOKEH_STATE_JS)
        icons = page.evaluate(ICONS_JS)
        draw_figures(page)
        settle(page)
        scrolled = page.evaluate(LOADED_JS)
        math = page.evaluate(MATH_JS)
    finally:
        page.context.close()
    problems = visit.problems() + check_before_load(scrolled, 'class="math' in html)
    problems += check_mathjax(scrolled, math)

    total = sum(size for _, size, _ in loaded)
    if total > MAX_LOAD_BYTES:
        biggest = sorted(loaded, key=lambda item: -item[1])[:5]
        listing = ", ".join(f"{url.rsplit('/', 1)[-1]} {size:,}" for url, size, _ in biggest)
        problems.append(f"loads {total:,} bytes, over {MAX_LOAD_BYTES:,} (largest: {listing})")
    if bokeh_state["documents"] > MAX_DOCUMENTS_AT_LOAD:
        problems.append(
            f"draws {bokeh_state['documents']} Bokeh documents at load, "
            f"over {MAX_DOCUMENTS_AT_LOAD}: figures far below the fold are drawn too"
        )
    if bokeh_state["blankInView"]:
        problems.append(f"figures in view left undrawn: {bokeh_state['blankInView']}")
    # A first frame (the dart board before Play) stands in for BokehJS until a reader
    # reaches for it: with nothing else in view, a page shows it without BokehJS.
    in_view = set(bokeh_state["inView"])
    if in_view and in_view <= set(_FRAMED_ROOT.findall(html)) and bokehjs_loaded(loaded):
        problems.append(f"loads BokehJS at load though only first frames are in view: {in_view}")

    if any("/fontawesome.js" in url for url, _, _ in scrolled):
        problems.append("loads Font Awesome's script")
    if icons["shown"] and (icons["undrawn"] or not icons["fonts"]):
        problems.append(
            f"{len(icons['undrawn'])} of {icons['shown']} icons not drawn in Font Awesome's "
            f"font ({icons['undrawn'][:3]}); loaded fonts {icons['fonts']}"
        )

    expected = bundles_bokeh_would_load(html)
    bundles = bokehjs_loaded(scrolled)
    if set(bundles) != expected:
        problems.append(f"loads BokehJS {sorted(bundles)}; its figures need {sorted(expected)}")
    if sum(bundles.values()) > MAX_BOKEHJS_BYTES:
        problems.append(f"loads {sum(bundles.values()):,} bytes of BokehJS: {bundles}")
    assert not problems, f"{docname}.html:\n  - " + "\n  - ".join(problems)
