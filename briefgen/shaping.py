"""Text measured as it prints: each run of characters shaped by HarfBuzz
(uharfbuzz) in the theme's face that prints it, so Arabic-script and Hebrew
labels are measured joined, and Hangul or Han at their real advance.

The figures (figures/canvas.py) reserve a box of this width for every label;
WeasyPrint (through svgtext.py), a browser and resvg lay the same characters out
in the same faces, so the label fills its box. A face that is not installed is
measured as an estimate here, so that drawing never fails; the formats that print
it stop the build (fonts.require).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from typing import Any

from . import fonts

# Characters whose direction is right to left (the Unicode bidi classes).
_RTL_CLASSES = frozenset({"R", "AL"})


@functools.cache
def _hb_font(face: fonts.Face) -> Any:
    import uharfbuzz as hb

    blob = hb.Blob.from_file_path(str(face.path))
    return hb.Font(hb.Face(blob, face.index))


def _face(family: str, bold: bool) -> fonts.Face:
    weight = 700 if bold else 400
    return next(
        face
        for face in fonts.FACES
        if face.family == family and face.weight == weight and face.style == "normal"
    )


def runs(text: str, stack: tuple[str, ...] = fonts.SANS) -> Iterator[tuple[str | None, str]]:
    """`text` cut into runs each printed by one family of `stack` (None: no family
    has it). A space, a joiner or a mark stays in the run around it."""
    family: str | None = None
    start = 0
    for index, char in enumerate(text):
        if unicodedata.category(char) in ("Zs", "Cf", "Mn") and index:
            continue
        own = fonts.family_for(char, stack)
        if index and own != family:
            yield family, text[start:index]
            start = index
        family = own
    if text:
        yield family, text[start:]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` set at `size` in the theme's sans-serif faces, shaped."""
    total = 0.0
    for family, run in runs(text):
        face = _face(family, bold) if family else None
        if face is None or not face.path.is_file():
            total += _estimate(run)
            continue
        total += _shaped(face, run) / _units(face)
    return total * size


def _units(face: fonts.Face) -> int:
    return int(_hb_font(face).face.upem)


@functools.lru_cache(maxsize=4096)
def _shaped(face: fonts.Face, run: str) -> int:
    """The advance of `run` shaped in `face`, in font units."""
    import uharfbuzz as hb

    buffer = hb.Buffer()
    buffer.add_str(run)
    buffer.guess_segment_properties()
    hb.shape(_hb_font(face), buffer)
    return sum(position.x_advance for position in buffer.glyph_positions)


def glyph_run(text: str, bold: bool = False) -> list[tuple[str, int]]:
    """The glyphs HarfBuzz sets `text` with, left to right as printed, each by its
    face's name and glyph id (the tests compare the PDF's order with this)."""
    import uharfbuzz as hb

    out: list[tuple[str, int]] = []
    for family, run in runs(text):
        if family is None:
            continue
        face = _face(family, bold)
        buffer = hb.Buffer()
        buffer.add_str(run)
        buffer.guess_segment_properties()
        hb.shape(_hb_font(face), buffer)
        out += [(face.name, info.codepoint) for info in buffer.glyph_infos]
    return out


def _estimate(run: str) -> float:
    """A run no installed face prints, in ems: CJK a full em, the rest 0.6."""
    return sum(1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.6 for char in run)


def right_to_left(text: str) -> bool:
    """Whether `text` reads right to left: its first strong character does (the
    Unicode bidi algorithm's rule for a paragraph's direction)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_CLASSES:
            return True
        if kind == "L":
            return False
    return False


__all__ = ["glyph_run", "right_to_left", "runs", "text_width"]
