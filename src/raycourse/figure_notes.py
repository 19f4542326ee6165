"""The note a page shows beside a figure that stayed implausible after re-measuring."""

from __future__ import annotations

from html import escape

from IPython.display import HTML

from .plausibility import CheckedFigure

__all__ = ["NOTE_CLASS", "disturbed_note", "disturbed_note_html"]

#: CSS class of every note, so that a checker can count the disturbed figures.
NOTE_CLASS = "disturbed-figure"


def disturbed_note_html(figure: CheckedFigure) -> str:
    """Return the HTML admonition for a flagged figure, or ``""`` for a plausible one.

    The note names each broken rule with its numbers, how many times the
    figure was measured, the rounds per measurement and the spread between them.
    """
    if not isinstance(figure, CheckedFigure):
        raise TypeError(f"figure must be a CheckedFigure, got {figure!r}")
    if not figure.flagged:
        return ""
    rules = "".join(
        f"<li><strong>{escape(b.rule)}</strong>: {escape(b.detail)}</li>" for b in figure.breaches
    )
    times = "once" if figure.attempts == 1 else f"{figure.attempts} times"
    return (
        f'<div class="admonition warning {NOTE_CLASS}">'
        f'<p class="admonition-title">Disturbed figure: {escape(figure.name)}</p>'
        f"<p>This figure breaks a rule that an undisturbed measurement obeys:</p>"
        f"<ul>{rules}</ul>"
        f"<p>It was measured {times}, {figure.rounds} rounds each, and the rounds of the "
        f"last measurement spread over {figure.spread:.0%} of their median. It is shown as "
        "measured: the machine was most likely busy with other work while this page was "
        "built, so read it as a property of that moment, not of the method.</p></div>"
    )


def disturbed_note(*figures: CheckedFigure) -> HTML:
    """Return the notes of the flagged ``figures`` for display in a page (empty if none)."""
    return HTML("".join(disturbed_note_html(figure) for figure in figures))
