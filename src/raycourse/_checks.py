"""Argument checks at the public boundary: a bad value fails with its name and value."""

from __future__ import annotations

import math
import numbers
from typing import Any


def check_int(name: str, value: Any, *, minimum: int = 1) -> int:
    """Return ``value`` as an ``int >= minimum``; bools, floats and strings raise TypeError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum:,}, got {value!r}")
    return value


def check_seed(value: Any) -> int | None:
    """Return a validated seed: ``None`` or an integer ``>= 0``."""
    return None if value is None else check_int("seed", value, minimum=0)


def check_positive_real(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a finite ``float > 0`` (or ``>= 0`` with ``allow_zero``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {bound}, got {value!r}")
    return value
