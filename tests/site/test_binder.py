"""The Binder environment (``binder/``) installs the course as ``pyproject.toml`` says.

Binder's launch buttons appear only when the repository is configured (see
``test_repository_links.py``); the environment they launch must then agree with
the project's own dependency list, so a change to ``pyproject.toml`` that is not
carried over to ``binder/`` fails here.
"""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from site_layout import REPO

BINDER = REPO / "binder"


def requirement_lines(text: str) -> list[str]:
    """The requirement lines of a requirements file (no comments or blank lines)."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def normalised(requirements: list[str]) -> set[str]:
    """Requirements in a canonical spelling, so that equal ones compare equal."""
    return {str(Requirement(line)) for line in requirements}


def test_requirements_are_the_dependencies_and_the_book_stack() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    expected = project["dependencies"] + project["optional-dependencies"]["book"]
    binder = requirement_lines((BINDER / "requirements.txt").read_text())
    assert len(binder) == len(set(binder)), "binder/requirements.txt repeats a requirement"
    assert normalised(binder) == normalised(expected), (
        "binder/requirements.txt differs from pyproject.toml's dependencies + [book]: "
        f"missing {sorted(normalised(expected) - normalised(binder))}, "
        f"extra {sorted(normalised(binder) - normalised(expected))}"
    )


def test_runtime_python_satisfies_requires_python() -> None:
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    runtime = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", runtime)
    assert match, f"binder/runtime.txt must read python-X.Y, got {runtime!r}"
    assert match.group(1) in SpecifierSet(requires), f"{runtime} is outside {requires}"


def test_post_build_installs_the_package_itself() -> None:
    post_build = BINDER / "postBuild"
    assert post_build.stat().st_mode & 0o111, "binder/postBuild must be executable"
    commands = [line for line in post_build.read_text().splitlines() if "pip install" in line]
    assert commands and all("--no-deps" in line and line.endswith("-e .") for line in commands)
