"""Human-readable numbers."""

from __future__ import annotations

import numbers

from ._checks import check_int

__all__ = ["str_large_n"]


def str_large_n(n: int, padding: int | None = None) -> str:
    """Format an integer with comma thousands separators, whatever the locale.

    Parameters
    ----------
    n : int
        The number (Python or NumPy integer).
    padding : int, optional
        Right-align the result in a field this wide.

    Returns
    -------
    str
        For example ``"1,000,000"``.

    Raises
    ------
    TypeError
        If ``n`` or ``padding`` is not an integer.
    ValueError
        If ``padding`` is negative.

    Examples
    --------
    >>> str_large_n(1_000_000)
    '1,000,000'
    >>> str_large_n(5000, padding=8)
    '   5,000'
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be an integer, got {n!r} ({type(n).__name__})")
    text = f"{int(n):,}"
    if padding is None:
        return text
    return text.rjust(check_int("padding", padding, minimum=0))
