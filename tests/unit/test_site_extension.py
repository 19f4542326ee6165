"""The site's Sphinx extension (raycourse_site): Bokeh outputs, static files, cache."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import bokeh
from docutils import nodes
from sphinx.builders.html._assets import _JavaScript

import raycourse
from raycourse_site import execution
from raycourse_site.bokeh_assets import (
    BOKEHJS_MARKER,
    DEFERRED_EMBED_TYPE,
    BokehMimeRenderer,
    label_bokeh_outputs,
)
from raycourse_site.execution import CACHE_STAMP, configure_execution
from raycourse_site.page_head import LAZY_LOADER, TEMPLATES_DIR, copy_static_files, set_page_scripts

PACKAGE_DIR = Path(raycourse.__file__).parent


def _mime(mime_type: str) -> SimpleNamespace:
    return SimpleNamespace(mime_type=mime_type, content="", string="")


def test_loader_output_becomes_the_marker() -> None:
    rendered = BokehMimeRenderer.handle_mime(
        None, _mime("application/vnd.bokehjs_load.v0+json"), False
    )
    # Drawn empty, myst-nb would drop it and write the loader's script (BokehJS from a CDN).
    assert [node.astext() for node in rendered] == [BOKEHJS_MARKER]
    assert isinstance(rendered[0], nodes.comment), "a comment, written to no page"
    exec_output = _mime("application/vnd.bokehjs_exec.v0+json")
    assert BokehMimeRenderer.handle_mime(None, exec_output, False) == []


def test_other_outputs_are_left_alone() -> None:
    for mime_type in ("application/javascript", "text/html", "text/plain"):
        assert BokehMimeRenderer.handle_mime(None, _mime(mime_type), False) is None


def test_marker_wins_over_the_loader_script_and_exec_is_never_chosen() -> None:
    from myst_nb.core.render import get_mime_priority

    priority = get_mime_priority("html", [])
    assert priority.index("application/vnd.bokehjs_load.v0+json") < priority.index(
        "application/javascript"
    )
    assert "application/vnd.bokehjs_exec.v0+json" not in priority


def _configure(tmp_path: Path, mode: str = "cache") -> SimpleNamespace:
    """Run ``configure_execution`` for a book in ``tmp_path``; return its config."""
    config = SimpleNamespace(
        nb_execution_mode=mode, nb_execution_cache_path=str(tmp_path / ".jupyter_cache")
    )
    app = SimpleNamespace(srcdir=str(tmp_path), outdir=str(tmp_path / "html"), config=config)
    configure_execution(app, config)
    return config


def test_sources_key_follows_the_package_files(tmp_path: Path, monkeypatch) -> None:
    package = tmp_path / "raycourse"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(execution, "_PACKAGE_DIR", package)
    before = _configure(tmp_path).raycourse_sources_hash
    assert _configure(tmp_path).raycourse_sources_hash == before

    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "kernel.cpython.pyc").write_bytes(b"compiled")
    assert _configure(tmp_path).raycourse_sources_hash == before, "bytecode must not count"
    (package / ".kernel.py.swp").write_bytes(b"editor state")
    assert _configure(tmp_path).raycourse_sources_hash == before, "hidden files must not count"

    kernel = package / "kernel.py"
    kernel.write_text(kernel.read_text() + "\n# an edit\n")
    assert _configure(tmp_path).raycourse_sources_hash != before


def test_the_cache_is_cleared_when_a_solution_changes(tmp_path: Path) -> None:
    answer = tmp_path / "solutions" / "ex1_blocks.py"
    answer.parent.mkdir()
    answer.write_text("def f():\n    return 1\n")
    key = _configure(tmp_path).raycourse_sources_hash
    executed = tmp_path / ".jupyter_cache" / "executed.db"
    executed.write_text("outputs of key-1")

    assert _configure(tmp_path).raycourse_sources_hash == key
    assert executed.is_file(), "an unchanged key must keep the cache"

    answer.write_text("def f():\n    return 2\n")
    new_key = _configure(tmp_path).raycourse_sources_hash
    assert new_key != key, "the solutions must be part of the key"
    assert not executed.exists(), "a new key must clear the cache"
    assert (tmp_path / ".jupyter_cache" / CACHE_STAMP).read_text().strip() == new_key


def test_the_environment_sets_the_execution_mode(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RAYCOURSE_EXECUTION_MODE", "force")
    assert _configure(tmp_path, mode="cache").nb_execution_mode == "force"
    assert not (tmp_path / ".jupyter_cache").exists(), "only cache mode keeps a cache"
    monkeypatch.delenv("RAYCOURSE_EXECUTION_MODE")
    assert _configure(tmp_path, mode="off").nb_execution_mode == "off"


def test_inline_scripts_are_written_once() -> None:
    body = {"body": "const THEBE_JS_URL = 'x'"}
    scripts = [
        _JavaScript(None, priority=500, **body),
        _JavaScript("_static/a.js", priority=500),
        _JavaScript("", priority=500, **body),
        _JavaScript("_static/a.js", priority=500),
    ]
    context = {"script_files": scripts}
    set_page_scripts(None, "page", "page.html", context, None)
    assert context["script_files"] is scripts, "the builder's own list must be edited in place"
    assert [(s.filename, s.attributes) for s in scripts] == [
        (None, body),
        ("_static/a.js", {}),
    ]


def test_static_assets_are_copied_into_the_site(tmp_path: Path) -> None:
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    copy_static_files(app)
    static = tmp_path / "_static"
    bokeh_dir = static / f"bokeh-{bokeh.__version__}"
    bundles = {p.name for p in bokeh_dir.iterdir()}
    assert {
        "bokeh.min.js",
        "bokeh-gl.min.js",
        "bokeh-widgets.min.js",
        "bokeh-tables.min.js",
    } <= bundles
    assert bokeh.__version__ in (bokeh_dir / "bokeh.min.js").read_text(encoding="utf-8")
    mathjax = static / "mathjax"
    for name in ("startup", "core", "input/tex", "output/chtml", "a11y/assistive-mml"):
        assert (mathjax / f"{name}.js").is_file(), f"no {name}.js"
    assert (mathjax / "input" / "tex" / "extensions" / "physics.js").is_file(), "autoloaded TeX"
    assert any((mathjax / "output" / "chtml" / "fonts").rglob("*.woff")), "no fonts"
    for unused in ("tex-chtml.js", "tex-svg-full.js", "ui/menu.js", "sre", "output/svg.js"):
        assert not (mathjax / unused).exists(), f"{unused}: no page loads it"
    assert "pointer-events: none" in (static / "raycourse.css").read_text()
    assert "IntersectionObserver" in (static / LAZY_LOADER).read_text()

    copy_static_files(app)  # a rebuild finds everything in place


def test_other_builders_get_no_assets(tmp_path: Path) -> None:
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="latex"))
    copy_static_files(app)
    assert not (tmp_path / "_static").exists()


def _page_showing(*models: object) -> nodes.container:
    """A page of ``show(model)`` outputs (a root <div>, then its embed script), as resolved."""
    from bokeh.embed.notebook import notebook_content

    page = nodes.container()
    for model in models:
        script, div, _ = notebook_content(model)
        page += nodes.raw("", div, format="html")
        js = SimpleNamespace(mime_type="application/javascript", string=script)
        page += BokehMimeRenderer.handle_mime(None, js, False)
    label_bokeh_outputs(None, page, "page")
    return page


def _plot(**options: object) -> object:
    from bokeh.plotting import figure

    plot = figure(height=200, **options)
    plot.line([1, 2], [3, 4])
    return plot


def test_a_page_loads_the_bundles_its_figures_need() -> None:
    from bokeh.layouts import column
    from bokeh.models import Button

    def names(page: nodes.Node) -> list[str]:
        loader = dict(_head(page)).get(f"_static/{LAZY_LOADER}", {"data-bokehjs": ""})
        return [name.split("/")[-1] for name in loader["data-bokehjs"].split()]

    assert names(_page_showing(_plot())) == ["bokeh.min.js"]
    controls = column(Button(label="Play"), _plot())
    assert names(_page_showing(_plot(), controls)) == ["bokeh.min.js", "bokeh-widgets.min.js"]
    assert names(_page_showing(_plot(output_backend="webgl"))) == [
        "bokeh.min.js",
        "bokeh-gl.min.js",
    ]
    assert names(nodes.container("", nodes.paragraph(text="no plots here"))) == []


def test_embed_scripts_wait_for_the_sites_loader() -> None:
    plot = _plot()
    div, embed = (node.astext() for node in _page_showing(plot).findall(nodes.raw))
    assert f'data-root-id="{plot.id}"' in div
    assert embed.startswith(f'<script type="{DEFERRED_EMBED_TYPE}" data-root-ids="{plot.id}">')
    assert "embed_items_notebook" in embed and "const docs_json" in embed
    other = SimpleNamespace(mime_type="application/javascript", string='console.log("not Bokeh")')
    assert BokehMimeRenderer.handle_mime(None, other, False) is None, (
        "other scripts run as they were"
    )


def _head(page: nodes.Node) -> list[tuple[str, dict[str, str]]]:
    """The scripts that ``set_page_scripts`` leaves in the head of a page."""
    scripts = [
        _JavaScript("", priority=500, body="window.MathJax = {}"),
        _JavaScript("_static/mathjax/tex-chtml.js", priority=500, defer="defer"),
        _JavaScript("_static/raycourse.js", priority=600),
    ]
    builder = SimpleNamespace(
        add_js_file=lambda name, **attributes: scripts.append(
            _JavaScript(f"_static/{name}", **attributes)
        )
    )
    set_page_scripts(
        SimpleNamespace(builder=builder), "page", "page.html", {"script_files": scripts}, page
    )
    return [(s.filename, s.attributes) for s in scripts]


def test_mathjax_and_bokehjs_come_through_the_loader_where_a_page_needs_them() -> None:
    from bokeh.models import Button

    assert _head(nodes.container("", nodes.paragraph(text="no math"))) == [
        ("_static/raycourse.js", {})
    ]
    math = _head(nodes.container("", nodes.math(text="x")))
    assert math[0] == ("", {"body": "window.MathJax = {}"}), "the configuration stays"
    assert math[2] == (
        f"_static/{LAZY_LOADER}",
        {
            "defer": "defer",
            "data-mathjax": "mathjax/startup.js",
            "data-mathjax-components": "input/tex output/chtml a11y/assistive-mml",
            "data-bokehjs": "",
        },
    )
    loader = dict(_head(_page_showing(Button(label="Play"))))[f"_static/{LAZY_LOADER}"]
    assert loader["data-mathjax"] == loader["data-mathjax-components"] == ""
    assert loader["data-bokehjs"].split() == [
        f"bokeh-{bokeh.__version__}/bokeh.min.js",
        f"bokeh-{bokeh.__version__}/bokeh-widgets.min.js",
    ]


def test_the_theme_head_loses_only_font_awesomes_script() -> None:
    import jinja2

    head = (
        '<link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />\n'
        '  <script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
        '  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=1" />'
    )
    # The site's layout.html extends the theme's, which Sphinx names "!layout.html".
    templates = {
        "!layout.html": "{% block css %}" + head + "{% endblock css %}",
        "layout.html": (TEMPLATES_DIR / "layout.html").read_text(),
    }
    page = jinja2.Environment(loader=jinja2.DictLoader(templates)).get_template("layout.html")
    kept = [line for line in page.render().splitlines() if line.strip()]
    assert kept == [line for line in head.splitlines() if "fontawesome" not in line]
