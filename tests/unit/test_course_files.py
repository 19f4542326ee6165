"""Finding the course's solution files from wherever a notebook runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from raycourse import course_file

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("start", [REPO_ROOT, REPO_ROOT / "book", REPO_ROOT / "src" / "raycourse"])
def test_found_from_the_root_and_from_folders_inside_the_clone(start):
    found = course_file("solutions/ex1_blocks.py", start=start)
    assert found == (REPO_ROOT / "solutions" / "ex1_blocks.py").resolve()


def test_starts_from_the_working_directory(monkeypatch):
    monkeypatch.chdir(REPO_ROOT / "book")
    assert course_file("exercises/ex1_blocks.py").parent.name == "exercises"


def test_outside_a_clone_says_where_the_files_are(tmp_path):
    with pytest.raises(FileNotFoundError) as raised:
        course_file("solutions/ex1_blocks.py", start=tmp_path)
    message = str(raised.value)
    assert "solutions/ex1_blocks.py" in message and str(tmp_path) in message
    assert "exercises/ and solutions/" in message and "clone it" in message
    assert "https://" not in message  # no guessed address


def test_a_folder_is_not_a_file(tmp_path):
    (tmp_path / "solutions" / "ex1_blocks.py").mkdir(parents=True)
    with pytest.raises(FileNotFoundError):
        course_file("solutions/ex1_blocks.py", start=tmp_path)


@pytest.mark.parametrize("bad", ["", "/etc/passwd", "../solutions/ex1_blocks.py"])
def test_rejects_paths_that_leave_the_course(bad):
    with pytest.raises(ValueError, match="relative_path"):
        course_file(bad)


def test_rejects_a_path_that_is_not_a_string():
    with pytest.raises(TypeError, match="relative_path must be a str, got 3"):
        course_file(3)
