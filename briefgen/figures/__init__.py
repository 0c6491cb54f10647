"""Figures: drawings of a briefing's facts, each a function from the briefing view
to an SVG with its text alternative.

`FIGURES` names every figure briefgen can draw, in the order a briefing shows
them. The edition (edition.py) draws those a briefing asks for in its
`figures:` (by default every one that has data) into `BriefingView.figures`,
and the theme shows each in its `<figure>` slot (templates/_figures.html).
To add one, write `briefgen/figures/<module>.py` with a `draw` function and
add one entry below (ARCHITECTURE.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import flows, matrix, timeline
from .base import Figure, FigureLink, KeyEntry

if TYPE_CHECKING:
    from ..assemble import BriefingView


@dataclass(frozen=True)
class FigureSpec:
    """A figure briefgen can draw, as a briefing's `figures:` names it."""

    name: str
    title: str
    # The figure of a briefing, or None when it has nothing to draw.
    draw: Callable[[BriefingView], Figure | None]
    # The versions of the programs outside briefgen that lay it out (Graphviz for the
    # flows): an upgrade may move the drawing, so they are part of the cache key of
    # every output showing the figure (cache.output_key). Asked only once it is drawn.
    tools: Callable[[], tuple[str, ...]] | None = None


FIGURES: dict[str, FigureSpec] = {
    spec.name: spec
    for spec in (
        FigureSpec("flows", flows.TITLE, flows.draw, tools=flows.tools),
        FigureSpec("timeline", timeline.TITLE, timeline.draw),
        FigureSpec("risks", matrix.TITLE, matrix.draw),
    )
}


def draw_figures(view: BriefingView, names: list[str] | None) -> list[Figure]:
    """The figures `names` asks for (None: every figure that has data), numbered in
    the order the page shows them; a figure with nothing to draw is left out."""
    wanted = FIGURES if names is None else {n: FIGURES[n] for n in FIGURES if n in names}
    drawn = (spec.draw(view) for spec in wanted.values())
    figures = [figure for figure in drawn if figure is not None]
    # Numbered in the order the page shows them: a figure of no one section after
    # the key judgments, then each with its section, in the briefing's order.
    order = {section.id: n for n, section in enumerate(view.sections, 1)}
    figures.sort(key=lambda figure: order.get(figure.section or "", 0))
    return [dataclasses.replace(figure, number=n) for n, figure in enumerate(figures, 1)]


def figure_tools(figures: list[Figure]) -> tuple[str, ...]:
    """The versions of the programs that laid out these drawn figures (FigureSpec.tools)."""
    return tuple(
        version
        for figure in figures
        if (tools := FIGURES[figure.name].tools) is not None
        for version in tools()
    )


__all__ = ["FIGURES", "Figure", "FigureLink", "FigureSpec", "KeyEntry", "draw_figures"]
