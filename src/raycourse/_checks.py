"""Argument checks shared by the public functions.

Every public function validates its arguments at the boundary, so a bad value
fails with a message that names the argument and the value instead of
surfacing as an obscure error deep inside NumPy or Ray.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any, TypeVar

__all__ = ["check_int", "check_items", "check_positive_real", "check_seed"]

T = TypeVar("T")


def check_int(name: str, value: Any, *, minimum: int = 1) -> int:
    """Return ``value`` as a Python ``int`` if it is an integer ``>= minimum``.

    Booleans, floats (even integral ones such as ``1e6``), strings and NaN are
    rejected with ``TypeError``; integers below ``minimum`` with ``ValueError``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum:,}, got {value!r}")
    return value


def check_seed(value: Any) -> int | None:
    """Return a validated seed: ``None`` or a non-negative integer."""
    if value is None:
        return None
    return check_int("seed", value, minimum=0)


def check_positive_real(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a finite ``float`` that is positive (or zero if allowed)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {bound}, got {value!r}")
    return value


def check_items(name: str, values: Iterable[Any], kind: type[T]) -> list[T]:
    """Return ``values`` as a list, checked to be non-empty and all of type ``kind``."""
    items = list(values)
    if not items:
        raise ValueError(f"{name} must hold at least one {kind.__name__}, got none")
    for position, item in enumerate(items):
        if not isinstance(item, kind):
            raise TypeError(f"{name}[{position}] must be of type {kind.__name__}, got {item!r}")
    return items
