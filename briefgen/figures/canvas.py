"""Small SVG helpers the figures share: text measured in the theme's fonts, escaping,
numbers written the same way on every run.

Every label is measured as HarfBuzz shapes it in the theme's faces for its
scripts (shaping.py) and drawn as one `<text>` with `textLength` set to that
width, so it fills exactly the box the layout reserved for it: in the HTML page
(which carries the same faces), in WeasyPrint (which lays each label out as one
line, svgtext.py, so Arabic script joins and reads right to left) and in resvg.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from .. import shaping
from ..fonts import SANS
from .base import FigureLink

FONT_FAMILY = ", ".join(f"'{family}'" for family in SANS)
# Colours that stay apart for the common colour-vision deficiencies (Okabe and Ito),
# darkened where needed to keep 3:1 against white for lines and marks.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8f6d00", "#56b4e9", "#555d66")
# The sections' colours: none of the categories' (PALETTE), and darker, so a section's
# mark is never read as a kind of flow; each keeps 4.5:1 against white.
SECTION_PALETTE = ("#332288", "#882255", "#117733", "#7f3b08", "#6a3d9a", "#0b4f6c")
INK = "#1b1f24"
MUTED = "#555d66"
RULE = "#c9ced4"


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` set in the theme's sans-serif faces at `size`, shaped
    by HarfBuzz (shaping.py), in the same units."""
    return shaping.text_width(text, size, bold)


def fit(text: str, size: float, width: float, bold: bool = False) -> str:
    """`text`, cut at a word (or a character) with an ellipsis to fit `width`."""
    if text_width(text, size, bold) <= width:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",;:.–-") + "…"
        if text_width(candidate, size, bold) <= width:
            return candidate
    cut = text
    while cut and text_width(cut + "…", size, bold) > width:
        cut = cut[:-1]
    return cut + "…"


def wrap(
    text: str, size: float, width: float, lines: int | None = None, bold: bool = False
) -> list[str]:
    """`text` broken at spaces into lines of `width`: at most `lines`, the last cut
    to fit, or (None) as many as it takes, a word wider than a line left whole."""
    words = text.split()
    out: list[str] = []
    if lines is None:
        while words:
            line = words.pop(0)
            while words and text_width(f"{line} {words[0]}", size, bold) <= width:
                line = f"{line} {words.pop(0)}"
            out.append(line)
        return out
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size, bold) <= width:
            line = f"{line} {words.pop(0)}"
        if text_width(line, size, bold) > width:
            line = fit(line, size, width, bold)
        out.append(line)
    if words:
        out.append(fit(" ".join(words), size, width, bold))
    return out


def section_colours(ids: Iterable[str]) -> dict[str, str]:
    """Each section's colour, from its id and never its place: the id's hash picks a
    colour of SECTION_PALETTE. Where two sections of one briefing would share one,
    the first by id keeps it and the other takes the next colour no section of the
    briefing picked, so a section keeps its colour in any order of its sections."""
    wanted = {
        section: int.from_bytes(hashlib.sha256(section.encode("utf-8")).digest()[:4], "big")
        % len(SECTION_PALETTE)
        for section in sorted(set(ids))
    }
    colours: dict[str, str] = {}
    for section, start in wanted.items():
        if start not in [wanted[s] for s in colours]:
            colours[section] = SECTION_PALETTE[start]
    for section, start in wanted.items():
        if section in colours:
            continue
        taken = set(colours.values())
        order = [
            SECTION_PALETTE[(start + n) % len(SECTION_PALETTE)]
            for n in range(1, len(SECTION_PALETTE))
        ]
        unpicked = [c for c in order if c not in taken and c not in _picked(wanted)]
        free = [c for c in order if c not in taken]
        colours[section] = (unpicked or free or order)[0]
    return dict(sorted(colours.items()))


def _picked(wanted: dict[str, int]) -> set[str]:
    return {SECTION_PALETTE[index] for index in wanted.values()}


def num(value: float) -> str:
    """A coordinate written to 0.1: short, and the same on every machine."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def attrs(**values: Any) -> str:
    """XML attributes from keywords (`_` becomes `-`); None leaves one out."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = num(value)
        parts.append(f'{name}="{escape(str(value), {chr(34): "&quot;"})}"')
    return " ".join(parts)


def text(
    x: float,
    y: float,
    content: str,
    size: float,
    *,
    bold: bool = False,
    fill: str = INK,
    anchor: str = "start",
    cls: str | None = None,
) -> str:
    """A line of text whose baseline starts at (x, y) (or is centred or ended there,
    by `anchor`), exactly as wide as `text_width` says."""
    width = text_width(content, size, bold)
    if anchor == "middle":
        x -= width / 2
    elif anchor == "end":
        x -= width
    return (
        f"<text {attrs(x=float(x), y=float(y), font_size=float(size), class_=cls)}"
        f"{_BOLD if bold else ''}"
        f' fill="{fill}" textLength="{num(width)}" lengthAdjust="spacingAndGlyphs">'
        f"{escape(content)}</text>"
    )


def link(
    href: str, label: str, box: tuple[float, float, float, float], size: tuple[float, float]
) -> FigureLink:
    """A link over `box` (x, y, width, height in the figure's units) of a figure of `size`."""
    x, y, width, height = box
    total_width, total_height = size
    return FigureLink(
        href,
        label,
        round(100 * x / total_width, 3),
        round(100 * y / total_height, 3),
        round(100 * width / total_width, 3),
        round(100 * height / total_height, 3),
    )


_BOLD = ' font-weight="700"'


def svg_document(
    width: float, height: float, title: str, description: str, body: list[str], name: str
) -> str:
    """A complete <svg> element: sized by its viewBox, titled and described.

    The theme's slot makes the drawing one image to assistive technology, named
    and described from outside it; the title and description travel with the SVG
    for whoever takes it out of the page.
    """
    head = attrs(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {num(width)} {num(height)}",
        width=float(width),
        height=float(height),
        class_=f"figure-svg figure-svg-{name}",
        # Shrunk further, its labels would be too small to read: the page scrolls it.
        style=f"min-width: {round(width * 0.75)}px",
        font_family=FONT_FAMILY,
    )
    return "\n".join(
        [
            f"<svg {head}>",
            f"<title>{escape(title)}</title>",
            f"<desc>{escape(description)}</desc>",
            *body,
            "</svg>",
        ]
    )


__all__ = [
    "attrs",
    "fit",
    "link",
    "num",
    "section_colours",
    "svg_document",
    "text",
    "text_width",
    "wrap",
]
