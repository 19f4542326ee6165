"""Has the student started an exercise? Read from the answer file, without running it.

An answer file is *untouched* while every function it exports (the names in its
``__all__``, and every method of a class named there) still does nothing but
``raise NotImplementedError``, under an optional docstring, as the stubs in
``exercises/`` do. Reading the syntax tree rather than calling the functions
needs no Ray and no arguments, and it does not compare bytes with the stub, so
a stub that was reformatted, commented or given a decorator still counts as
untouched, while one function body written counts as an attempt.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

__all__ = ["is_untouched"]


def is_untouched(path: Path) -> bool:
    """Return True if the answer file at ``path`` still only raises ``NotImplementedError``.

    A file that is missing or does not parse is not untouched: grading it says
    what is wrong with it.
    """
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return False
    bodies = list(_exported_bodies(tree))
    return bool(bodies) and all(_only_raises_not_implemented(body) for body in bodies)


def _exported_names(tree: ast.Module) -> list[str]:
    """The names in the module's ``__all__``, or its public top-level definitions."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            try:
                return [str(name) for name in ast.literal_eval(node.value)]
            except ValueError:
                break  # a computed __all__: fall back to the public definitions
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not node.name.startswith("_")
    ]


def _exported_bodies(tree: ast.Module) -> Iterator[list[ast.stmt]]:
    """The body of each exported function and of each method of an exported class.

    A name bound by anything but a ``def`` or ``class`` (for example
    ``f = ray.remote(g)``) yields a body that is not a stub.
    """
    exported = set(_exported_names(tree))
    bound: dict[str, ast.stmt] = {}
    for node in tree.body:  # in order: the last binding of a name is the one graded
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound[node.name] = node
        else:
            for child in ast.walk(node):
                if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                    bound[child.id] = node
                elif isinstance(child, ast.alias):
                    bound[(child.asname or child.name).split(".")[0]] = node
    for name in sorted(exported):
        node = bound.get(name)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.body
        elif isinstance(node, ast.ClassDef):
            methods = [
                child.body
                for child in node.body
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            yield from methods or [node.body]
        else:
            yield [node] if node is not None else [ast.Pass()]


def _only_raises_not_implemented(body: list[ast.stmt]) -> bool:
    """True for ``[docstring,] raise NotImplementedError[(...)]`` and nothing else."""
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.Raise):
        return False
    error = body[0].exc
    if isinstance(error, ast.Call):
        error = error.func
    return isinstance(error, ast.Name) and error.id == "NotImplementedError"
