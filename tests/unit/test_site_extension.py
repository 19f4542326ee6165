"""The site's Sphinx extension (raycourse_site): Bokeh outputs, static files, cache."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import bokeh
from docutils import nodes
from sphinx.builders.html._assets import _JavaScript

import raycourse
from raycourse_site.bokeh_assets import (
    BOKEHJS_MARKER,
    DEFERRED_EMBED_TYPE,
    BokehMimeRenderer,
    bokehjs_files,
    page_bokehjs_files,
)
from raycourse_site.execution import CACHE_STAMP, invalidate_stale_cache, sources_hash
from raycourse_site.page_head import (
    LAZY_LOADER,
    TEMPLATES_DIR,
    copy_static_files,
    mathjax_source_dir,
    set_page_scripts,
)

PACKAGE_DIR = Path(raycourse.__file__).parent


def _mime(mime_type: str) -> SimpleNamespace:
    return SimpleNamespace(mime_type=mime_type, content="", string="")


def test_loader_output_becomes_the_marker() -> None:
    rendered = BokehMimeRenderer.handle_mime(
        None, _mime("application/vnd.bokehjs_load.v0+json"), False
    )
    assert [node.astext() for node in rendered] == [BOKEHJS_MARKER]
    assert isinstance(rendered[0], nodes.comment)


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


def test_bokehjs_files_are_the_installed_version() -> None:
    files = bokehjs_files()
    assert files[0].name == "bokeh.min.js"
    assert {"bokeh-widgets.min.js", "bokeh-tables.min.js"} <= {path.name for path in files}
    assert all(path.is_file() for path in files)
    assert bokeh.__version__ in files[0].read_text(encoding="utf-8")


def test_mathjax_is_installed_locally() -> None:
    source = mathjax_source_dir()
    assert (source / "tex-chtml.js").is_file()
    assert any((source / "output" / "chtml" / "fonts").rglob("*.woff"))


def test_sources_hash_follows_the_package_files(tmp_path: Path) -> None:
    package = tmp_path / "raycourse"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = sources_hash(package)
    assert sources_hash(package) == before

    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "kernel.cpython.pyc").write_bytes(b"compiled")
    assert sources_hash(package) == before, "bytecode must not change the key"
    (package / ".kernel.py.swp").write_bytes(b"editor state")
    assert sources_hash(package) == before, "hidden files must not change the key"

    kernel = package / "kernel.py"
    kernel.write_text(kernel.read_text() + "\n# an edit\n")
    assert sources_hash(package) != before


def test_sources_hash_follows_the_solutions_too(tmp_path: Path) -> None:
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    answer = solutions / "ex1_blocks.py"
    answer.write_text("def f():\n    return 1\n")
    before = sources_hash(PACKAGE_DIR, solutions)
    assert before != sources_hash(PACKAGE_DIR), "the solutions must be part of the key"
    answer.write_text("def f():\n    return 2\n")
    assert sources_hash(PACKAGE_DIR, solutions) != before


def _fake_app(tmp_path: Path, key: str) -> tuple[SimpleNamespace, SimpleNamespace]:
    config = SimpleNamespace(
        nb_execution_cache_path=str(tmp_path / ".jupyter_cache"), raycourse_sources_hash=key
    )
    return SimpleNamespace(outdir=str(tmp_path / "html")), config


def test_cache_is_cleared_when_the_sources_key_changes(tmp_path: Path) -> None:
    app, config = _fake_app(tmp_path, "key-1")
    invalidate_stale_cache(app, config)
    executed = tmp_path / ".jupyter_cache" / "executed.db"
    executed.write_text("outputs of key-1")

    invalidate_stale_cache(app, config)
    assert executed.is_file(), "an unchanged key must keep the cache"

    config.raycourse_sources_hash = "key-2"
    invalidate_stale_cache(app, config)
    assert not executed.exists(), "a new key must clear the cache"
    assert (tmp_path / ".jupyter_cache" / CACHE_STAMP).read_text().strip() == "key-2"


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
    assert sorted(p.name for p in bokeh_dir.iterdir()) == sorted(p.name for p in bokehjs_files())
    assert (static / "mathjax" / "tex-chtml.js").is_file()
    assert not (static / "mathjax" / "tex-svg-full.js").exists(), "unused bundles stay out"
    assert "pointer-events: none" in (static / "raycourse.css").read_text()
    assert "IntersectionObserver" in (static / LAZY_LOADER).read_text()

    copy_static_files(app)  # a rebuild finds everything in place


def test_other_builders_get_no_assets(tmp_path: Path) -> None:
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="latex"))
    copy_static_files(app)
    assert not (tmp_path / "_static").exists()


def _page_showing(*models: object) -> nodes.container:
    """A page as myst-nb renders ``show(model)`` outputs: a root <div>, then its embed script."""
    from bokeh.embed.notebook import notebook_content

    page = nodes.container()
    for model in models:
        script, div, _ = notebook_content(model)
        page += nodes.raw("", div, format="html")
        js = SimpleNamespace(mime_type="application/javascript", string=script)
        page += BokehMimeRenderer.handle_mime(None, js, False)
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
        return [path.name for path in page_bokehjs_files(page)]

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
