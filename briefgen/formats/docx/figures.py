"""Figures for Word: each figure as its SVG, with a PNG drawn by resvg for what
cannot show SVG (as Word itself saves a picture), and the size it is shown."""

from __future__ import annotations

from typing import Any

from ... import fonts
from ...errors import BuildError

# The largest a figure is shown: the text width of an A4 page with 2.5 cm margins,
# and most of its height, so a figure and its caption share a page.
FIGURE_MAX_CM = (16.0, 20.0)
# PNG pixels per SVG unit (a CSS pixel, 1/96 inch): 300 dots an inch at the size
# the page shows the figure, and more when it is made smaller to fit.
FIGURE_ZOOM = 300 / 96
# Office's extension of a picture for its SVG (Word 2016 and later); the PNG in the
# picture is what older readers, and LibreOffice's PDF, show.
SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


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


def add_svg(document_part: Any, shape: Any, svg: str, number: int) -> None:
    """Figure `number`'s SVG joined to the picture `shape` (an inline shape of
    `document_part` whose picture is the PNG), in Office's extension of the picture,
    so Word shows the drawing itself at any size."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls

    part = Part(
        PackURI(f"/word/media/figure{number}.svg"),
        "image/svg+xml",
        svg.encode("utf-8"),
        document_part.package,
    )
    rid = document_part.relate_to(part, RELATIONSHIP_TYPE.IMAGE)
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    extensions = OxmlElement("a:extLst")
    extension = OxmlElement("a:ext")
    extension.set("uri", SVG_EXTENSION)
    svg_blip = f'<asvg:svgBlip xmlns:asvg="{SVG_NAMESPACE}" {nsdecls("r")} r:embed="{rid}"/>'
    extension.append(parse_xml(svg_blip))
    extensions.append(extension)
    blip.append(extensions)


__all__ = ["FIGURE_MAX_CM", "FIGURE_ZOOM", "add_svg", "figure_png", "shown_width_cm"]
