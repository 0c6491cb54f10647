"""What every figure is made of: the drawn `Figure`, the links laid over its
marks and the key to its numbered marks.

The drawing modules (flows.py, timeline.py, matrix.py) and the briefing view
(assemble.py, whose `figures` hold these) import this module, never the
package's `__init__`, which holds the table of figures and imports them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class FigureLink:
    """A link laid over a figure: where a mark leads, and the box it covers, in
    percent of the figure's width and height (so it scales with the drawing)."""

    href: str
    label: str  # the mark in words: the link's accessible name
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class KeyEntry:
    """One line of a figure's key: a mark drawn on the figure ("3") and what it
    stands for, linked to its fact."""

    mark: str
    text: str
    href: str


@dataclass(frozen=True)
class Figure:
    """One drawn figure of a briefing."""

    name: str  # the FigureSpec's name
    title: str  # shown as the caption
    # A complete <svg> element, shown as it is: every text in it from the facts must be
    # escaped (xml.sax.saxutils.escape). The same view always gives the same text.
    svg: str
    description: str  # the text alternative: what the figure shows, for a screen reader
    # WeasyPrint makes no links of an SVG's <a>, so the theme lays these over the
    # drawing as HTML links, which work alike in the page and the PDF.
    links: tuple[FigureLink, ...] = ()
    # Marks too small to carry their words (numbers) are written out below the
    # drawing as text, which breaks across pages and reads aloud.
    key: tuple[KeyEntry, ...] = ()
    # What a caption needs besides its title (issue 22): "Figure N." (given by
    # draw_figures in the order a briefing shows them, from 1), the units of its
    # quantities if it has any, the "Source:" line naming what it draws, and the id
    # of the section it illustrates (the theme places it there; None: after the
    # key judgments).
    number: int = 0
    units: str | None = None
    source: str = ""
    section: str | None = None
    # The figure as HTML for a narrow screen (a phone, 390 px), where the drawing's text
    # would shrink below 10 px: a list or table of what it draws, each item linked to
    # its fact, for the theme to show in place of the drawing under a media query.
    # Every text from the facts in it is escaped. "" when the drawing reads as it is.
    narrow: str = ""

    @property
    def markup(self) -> Markup:
        """The SVG for a template, which would otherwise escape it."""
        return Markup(self.svg)

    @property
    def narrow_markup(self) -> Markup:
        """The narrow form for a template."""
        return Markup(self.narrow)


__all__ = ["Figure", "FigureLink", "KeyEntry"]
