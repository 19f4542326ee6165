"""Repository, issues and Binder buttons appear only for a configured repository.

Each build test builds the throwaway one-page book of ``test_build.py`` (the
repository's ``_config.yml`` and extensions) with and without
``RAYCOURSE_REPOSITORY_URL``. Both must keep the ``.ipynb`` download.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from test_build import build_page

from raycourse_site.repository import REPOSITORY_URL_ENV_VAR, configure_repository

# Any well-formed URL will do: the build only writes links, it never visits them.
CONFIGURED = "https://github.com/raycourse-example/course"


def built_page(tmp_path: Path) -> str:
    result = build_page(tmp_path, "print(6 * 7)")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    site = tmp_path / "book" / "_build" / "html"
    assert (site / "_sources" / "page.ipynb").is_file(), "no .ipynb in _sources"
    return (site / "page.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_local_build_links_to_no_repository(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(REPOSITORY_URL_ENV_VAR, raising=False)
    html = built_page(tmp_path)
    for host in ("github.com", "mybinder.org", "raycourse/raycourse"):
        assert host not in html, f"a build without a repository links to {host}"
    assert "_sources/page.ipynb" in html, "the .ipynb download is gone"


@pytest.mark.slow
def test_build_with_repository_has_its_buttons(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(REPOSITORY_URL_ENV_VAR, CONFIGURED + "/")
    html = built_page(tmp_path)
    assert f'href="{CONFIGURED}"' in html, "no repository button"
    assert f'href="{CONFIGURED}/issues/new?' in html, "no issues button"
    binder = "https://mybinder.org/v2/gh/raycourse-example/course/main?urlpath=lab/tree/page.md"
    assert binder in html, "no Binder button for this page"
    assert "_sources/page.ipynb" in html, "the .ipynb download is gone"


def theme_options() -> dict:
    """The theme options that the extension sets from the environment."""
    config = SimpleNamespace(html_theme_options={"repository_url": "https://jb.example/a/b"})
    configure_repository(None, config)
    return config.html_theme_options


@pytest.mark.parametrize("url", ["github.com/a/b", "https://github.com/only-owner", "ftp://x/a/b"])
def test_malformed_repository_url_is_named(url: str, monkeypatch) -> None:
    monkeypatch.setenv(REPOSITORY_URL_ENV_VAR, url)
    with pytest.raises(ValueError, match=REPOSITORY_URL_ENV_VAR):
        theme_options()


def test_blank_repository_url_means_none(monkeypatch) -> None:
    monkeypatch.setenv(REPOSITORY_URL_ENV_VAR, "  ")
    assert theme_options() == {}, "Jupyter Book's own default URL must go too"


def test_a_repository_url_turns_its_buttons_on(monkeypatch) -> None:
    monkeypatch.setenv(REPOSITORY_URL_ENV_VAR, CONFIGURED + "/")
    options = theme_options()
    assert options["repository_url"] == CONFIGURED and options["repository_branch"] == "main"
    assert options["use_repository_button"] and options["use_issues_button"]
    assert options["launch_buttons"] == {"binderhub_url": "https://mybinder.org"}
