"""Figures for Word: each figure's SVG drawn as PNG by resvg, and the size it is shown."""

from __future__ import annotations

from ... import fonts
from ...errors import BuildError

# The largest a figure is shown: the text width of an A4 page with 2.5 cm margins,
# and most of its height, so a figure and its caption share a page.
FIGURE_MAX_CM = (16.0, 20.0)
FIGURE_ZOOM = 2.0  # PNG pixels per SVG unit: sharp on screen and in print


def shown_width_cm(png: bytes) -> float:
    """The figure at the size the page shows its SVG (a CSS pixel is 1/96 inch),
    made smaller to fit FIGURE_MAX_CM; its width."""
    width, height = (int.from_bytes(png[at : at + 4], "big") / FIGURE_ZOOM for at in (16, 20))
    cm = 2.54 / 96
    scale = min(1.0, FIGURE_MAX_CM[0] / (width * cm), FIGURE_MAX_CM[1] / (height * cm))
    return round(width * cm * scale, 2)


def figure_png(svg: str) -> bytes:
    """The figure drawn as PNG with the theme's fonts only, so it looks the same on
    every machine; resvg reads no file the SVG names and fetches nothing."""
    import resvg_py

    # The theme's own faces, and those of the other scripts the figure's labels use.
    faces = [face for face in fonts.FACES if not face.package] + fonts.faces_for(svg)
    fonts.require(faces)
    files = sorted({str(face.path) for face in faces})
    try:
        png = resvg_py.svg_to_bytes(
            svg_string=svg,
            skip_system_fonts=True,
            font_files=files,
            font_family="Noto Sans",
            sans_serif_family="Noto Sans",
            serif_family="Noto Serif",
            zoom=FIGURE_ZOOM,
            background="#ffffff",
        )
    except ValueError as exc:  # a figure module drew an SVG resvg cannot read
        raise BuildError(f"docx: a figure could not be drawn as PNG: {exc}") from exc
    return bytes(png)


__all__ = ["FIGURE_MAX_CM", "FIGURE_ZOOM", "figure_png", "shown_width_cm"]
