"""Find the course's exercise and solution files from wherever a notebook runs."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

__all__ = ["course_file"]


def course_file(relative_path: str, *, start: str | Path | None = None) -> Path:
    """Return the absolute path of ``relative_path``, looked up from ``start`` upwards.

    ``relative_path`` is a POSIX path such as ``"solutions/ex1_blocks.py"``; ``start``
    is the working directory by default, so a notebook anywhere in a clone finds it.

    Raises
    ------
    TypeError, ValueError
        If ``relative_path`` is not a string, or is empty, absolute or climbs with ``..``.
    FileNotFoundError
        If no folder from ``start`` upwards holds it; the message says where to get it.
    """
    if not isinstance(relative_path, str):
        raise TypeError(f"relative_path must be a str, got {relative_path!r}")
    parts = PurePosixPath(relative_path).parts
    if not parts or PurePosixPath(relative_path).is_absolute() or ".." in parts:
        raise ValueError(
            f"relative_path must be a relative path inside the course, got {relative_path!r}"
        )
    here = (Path.cwd() if start is None else Path(start)).resolve()
    for folder in (here, *here.parents):
        if (candidate := folder.joinpath(*parts)).is_file():
            return candidate
    # No URL: the package cannot know where it was cloned from, and a guess misleads.
    raise FileNotFoundError(
        f"{relative_path} is not in {here} or any folder above it: the exercises and their "
        "solutions are the folders exercises/ and solutions/ of the course's repository (the "
        "site's repository button links to it); clone it and run this notebook inside the clone."
    )
