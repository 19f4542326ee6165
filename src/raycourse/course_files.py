"""Find the course's exercise and solution files from wherever a notebook runs."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

__all__ = ["course_file"]


def course_file(relative_path: str, *, start: str | Path | None = None) -> Path:
    """Return the course file ``relative_path``, looked up from ``start`` upwards.

    A page runs ``solutions/<name>.py`` from a clone of the repository (in
    ``book/`` or at its root) or as a downloaded notebook anywhere inside one;
    each folder from ``start`` up to the file system's root is tried in turn.

    Parameters
    ----------
    relative_path : str
        A relative POSIX path, such as ``"solutions/ex1_blocks.py"``.
    start : str or Path, optional
        Folder to start from; the current working directory by default.

    Returns
    -------
    Path
        The absolute path of the first match.

    Raises
    ------
    TypeError
        If ``relative_path`` is not a string.
    ValueError
        If ``relative_path`` is empty, absolute or climbs with ``..``.
    FileNotFoundError
        If no folder from ``start`` upwards holds ``relative_path``; the
        message says where the course's files are.

    Examples
    --------
    >>> from runpy import run_path
    >>> ex1 = run_path(course_file("solutions/ex1_blocks.py"))  # doctest: +SKIP
    """
    if not isinstance(relative_path, str):
        raise TypeError(f"relative_path must be a str, got {relative_path!r}")
    parts = PurePosixPath(relative_path).parts
    if not parts or PurePosixPath(relative_path).is_absolute() or ".." in parts:
        raise ValueError(
            f"relative_path must be a relative path inside the course, got {relative_path!r}"
        )
    here = Path.cwd() if start is None else Path(start)
    here = here.resolve()
    for folder in (here, *here.parents):
        candidate = folder.joinpath(*parts)
        if candidate.is_file():
            return candidate
    # No URL here: the package cannot know where it was cloned from, and a guess misleads.
    raise FileNotFoundError(
        f"{relative_path} is not in {here} or any folder above it: the exercises and their "
        "solutions are the folders exercises/ and solutions/ of the course's repository (the "
        "site's repository button links to it); clone it and run this notebook inside the clone."
    )
