"""Readable verdicts for the graded tests.

A wrong answer fails with :func:`fail`: one message that says what was expected
and what came back, without a traceback into the grader.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

import pytest

__all__ = ["call_text", "expect_raises", "fail"]


def fail(message: str) -> NoReturn:
    """Fail the current test with ``message`` only: no traceback into the grader."""
    pytest.fail(message, pytrace=False)


def call_text(function: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """Return how a call looks in source code, e.g. ``f(10, block_size=3)``."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{function.__name__}({', '.join(parts)})"


def expect_raises(error: type[Exception], function: Callable[..., Any], *args, **kwargs) -> None:
    """Fail unless ``function(*args, **kwargs)`` raises ``error``."""
    call = call_text(function, *args, **kwargs)
    try:
        result = function(*args, **kwargs)
    except error:
        return
    except NotImplementedError:
        raise
    except Exception as other:
        got = f"{type(other).__name__}: {other}"
    else:
        got = f"{result!r} returned"
    # Outside the except clause: the wrong exception is named, not chained before the verdict.
    fail(f"{call}: expected {error.__name__}, got {got}")
