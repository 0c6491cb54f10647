"""Word: a briefing as a .docx to edit and clear, through python-docx.

Built on Word's own styles in the theme's house style (house.py: Noto Serif and
Sans, the theme's colours and spacing), so the document behaves as one written
in Word and reads as the PDF: Title and Subtitle for the title block, Heading 1
for each part (key judgments first, summary, figures, each section, sources,
about the scales) and Heading 2 for each fact, so the navigation pane works and
the contents give each part's page; the banner (the highest marking shown, then
the classification) is in the header and the footer of every page, and once the
project uses markings each fact's title, judgment and source starts with its
portion mark, "(TLP:GREEN)"; the document's language is the briefing's;
citations read `[3 B2]` and jump to their source, a numbered list with working
links and what cites each; agreements and risks are tables on the text column;
figures are numbered, as their SVG with a PNG at 300 dpi (drawn with the theme's
own fonts, so every machine draws the same pixels) for what cannot show SVG,
with the figure's text alternative as their alt text.

The same view gives the same bytes: every date in the file is the edition's,
and the zip's entries carry fixed timestamps (`package.py`).
"""

from __future__ import annotations

import io
from importlib.metadata import version
from typing import TYPE_CHECKING

from .house import TEXT_WIDTH_CM, apply_house_style, prune_styles
from .ooxml import xml_safe
from .package import normalise_zip
from .styles import (
    ask_word_to_update_fields,
    classification_banners,
    document_language,
    drop_thumbnail,
    set_properties,
)
from .writer import Writer

if TYPE_CHECKING:
    from ...assemble import BriefingView
    from ...options import BuildOptions
    from ..base import RenderContext

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_key(options: BuildOptions) -> tuple[str, ...]:
    """What changes a .docx's bytes beyond the briefing: the libraries that write it."""
    return (f"python-docx {version('python-docx')}", f"resvg-py {version('resvg-py')}")


def render_docx(context: RenderContext) -> bytes:
    """The `docx` format's file (formats.FORMATS)."""
    return docx_bytes(context.view)


def docx_bytes(view: BriefingView) -> bytes:
    """The briefing as a Word document; the same view gives the same bytes."""
    import docx

    view = xml_safe(view, {})
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4, as the PDF
    # print.css's margins above and below; at the sides a column of 16 cm, for a
    # measure of about 80 characters (house.py).
    section.top_margin, section.bottom_margin = Cm(2.7), Cm(2.4)
    section.left_margin = section.right_margin = Cm((21.0 - TEXT_WIDTH_CM) / 2)
    section.header_distance = section.footer_distance = Cm(1.0)
    apply_house_style(document, document_language(view))
    set_properties(document, view)
    classification_banners(document, view.banner)
    writer = Writer(document, view)
    writer.write()
    prune_styles(document)
    ask_word_to_update_fields(document)
    drop_thumbnail(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), view.edition_date)


__all__ = ["MEDIA_TYPE", "docx_bytes", "docx_key", "render_docx"]
