"""The document around the body: the language, properties, the header and
footer, settings (the styles are house.py's)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .ooxml import field_char, field_instruction, qname, set_child

if TYPE_CHECKING:
    from docx.document import Document

    from ...assemble import BriefingView

# British English, as briefgen's own words ("Key judgments", "defence") are written:
# a briefing's language when it names none but English (FORMAT 1.2 `lang`, default en).
LANGUAGE = "en-GB"


def document_language(view: BriefingView) -> str:
    """The document's language: the briefing's `lang`, English as written in Britain
    when it is the default `en`."""
    return LANGUAGE if view.lang == "en" else view.lang


def set_language(run: Any, lang: str) -> None:
    """`run` in the language `lang`, whatever its script (w:val for Latin,
    w:eastAsia for CJK, w:bidi for Arabic script and Hebrew)."""
    properties = run._r.get_or_add_rPr()
    language = set_child(properties, "w:lang", lang)
    language.set(qname("w:eastAsia"), lang)
    language.set(qname("w:bidi"), lang)


def set_properties(document: Document, view: BriefingView) -> None:
    """The document's properties, dated the edition's day."""
    properties = document.core_properties
    midnight = dt.datetime.combine(view.edition_date, dt.time(0, 0))
    properties.title = view.title
    properties.subject = view.subtitle or ""
    properties.author = view.author or ""
    properties.keywords = ", ".join(view.tags)
    properties.language = document_language(view)
    properties.category = "Briefing"
    properties.identifier = view.id
    properties.comments = f"{view.generator}; inputs {view.inputs_digest}"
    properties.content_status = view.banner or ""
    properties.last_modified_by = view.author or "briefgen"
    properties.created = midnight
    properties.modified = midnight
    properties.revision = 1


def classification_banners(document: Document, banner: str | None) -> None:
    """The banner (the highest marking shown, then the classification) at the top and the
    bottom of every page; the page number below."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    for part in (section.header, section.footer):
        paragraph = part.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if banner:
            paragraph.add_run(banner).bold = True
    footer = section.footer.add_paragraph()
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for words, field in (("Page ", "PAGE"), (" of ", "NUMPAGES")):  # print.css's words
        footer.add_run(words)
        field_char(footer, "begin")
        field_instruction(footer, field)
        field_char(footer, "separate")
        footer.add_run("1")
        field_char(footer, "end")


def ask_word_to_update_fields(document: Document) -> None:
    """Word fills in the contents' page numbers when the file is opened."""
    settings = document.settings.element
    update = set_child(settings, "w:updateFields", None)
    update.set(qname("w:val"), "true")


def drop_thumbnail(document: Document) -> None:
    """python-docx's template carries a picture of another document as its preview."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    relationships = document.part.package.rels
    for rid, relationship in list(relationships.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            relationships.pop(rid)


__all__ = [
    "LANGUAGE",
    "ask_word_to_update_fields",
    "classification_banners",
    "document_language",
    "drop_thumbnail",
    "set_language",
    "set_properties",
]
