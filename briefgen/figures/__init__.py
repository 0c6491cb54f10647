"""Figures: drawings of a briefing's facts, each a function from the briefing view
to an SVG with its text alternative.

`FIGURES` names every figure briefgen can draw, in the order a briefing shows
them. Assembly (assemble.py) draws those a briefing asks for in its
`figures:` (by default every one that has data) into `BriefingView.figures`,
and the theme shows each in its `<figure>` slot (templates/_figures.html).
To add one, write `briefgen/figures/<module>.py` with a `draw` function and
add one entry below (ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from ..assemble import BriefingView


@dataclass(frozen=True)
class Figure:
    """One drawn figure of a briefing."""

    name: str  # the FigureSpec's name
    title: str  # shown as the caption
    # A complete <svg> element, shown as it is: every text in it from the facts must be
    # escaped (xml.sax.saxutils.escape). The same view always gives the same text.
    svg: str
    description: str  # the text alternative: what the figure shows, for a screen reader

    @property
    def markup(self) -> Markup:
        """The SVG for a template, which would otherwise escape it."""
        return Markup(self.svg)


@dataclass(frozen=True)
class FigureSpec:
    """A figure briefgen can draw, as a briefing's `figures:` names it."""

    name: str
    title: str
    # The figure of a briefing, or None when it has nothing to draw.
    draw: Callable[[BriefingView], Figure | None]


FIGURES: dict[str, FigureSpec] = {}


def draw_figures(view: BriefingView, names: list[str] | None) -> list[Figure]:
    """The figures `names` asks for, in the table's order (None: every figure
    that has data); a figure with nothing to draw is left out."""
    wanted = FIGURES if names is None else {n: FIGURES[n] for n in FIGURES if n in names}
    drawn = (spec.draw(view) for spec in wanted.values())
    return [figure for figure in drawn if figure is not None]


__all__ = ["FIGURES", "Figure", "FigureSpec", "draw_figures"]
