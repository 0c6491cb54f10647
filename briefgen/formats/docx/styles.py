"""The document around the body: Word styles and the language, properties, the
header and footer, settings."""

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
HYPERLINK_STYLE = "Hyperlink"
# A portion mark, "(TLP:GREEN)", before each fact's title, judgment and source, as
# classified documents mark each paragraph: small and bold, in the text's own colour.
PORTION_MARK_STYLE = "Portion Mark"


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


def prepare_styles(document: Document, view: BriefingView) -> None:
    """The styles the body uses that python-docx's template lacks, the theme's font
    families for each kind of script, and the language."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt, RGBColor

    styles = document.styles
    link = styles.add_style(HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True
    link.unhide_when_used = True
    mark = styles.add_style(PORTION_MARK_STYLE, WD_STYLE_TYPE.CHARACTER)
    mark.font.bold = True
    mark.font.size = Pt(8)

    def paragraph_style(name: str, base: str = "Normal") -> Any:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        return style

    details = paragraph_style("Briefing Details")
    details.font.size = Pt(10)
    details.paragraph_format.space_after = Pt(12)
    facts = paragraph_style("Fact Details")
    facts.font.size = Pt(9)
    facts.font.color.rgb = RGBColor(0x44, 0x4C, 0x56)
    facts.paragraph_format.space_after = Pt(4)
    for name, indent in (("Numbered Item", 1.0), ("Bulleted Item", 0.75)):
        item = paragraph_style(name)
        item.paragraph_format.left_indent = Cm(indent)
        item.paragraph_format.first_line_indent = Cm(-indent + 0.25)
        item.paragraph_format.tab_stops.add_tab_stop(Cm(indent))
    judgment = paragraph_style("Judgment Details", "Fact Details")
    judgment.paragraph_format.left_indent = Cm(1.0)
    change_list = paragraph_style("Change List")
    change_list.font.bold = True
    change_list.paragraph_format.space_before = Pt(6)
    change_list.paragraph_format.keep_with_next = True
    nested = paragraph_style("Bulleted Item 2", "Bulleted Item")
    nested.paragraph_format.left_indent = Cm(1.5)
    nested.paragraph_format.tab_stops.add_tab_stop(Cm(1.5))
    bullet = paragraph_style("Table Bullet")
    bullet.paragraph_format.left_indent = Cm(0.5)
    bullet.paragraph_format.first_line_indent = Cm(-0.5)
    bullet.paragraph_format.space_after = Pt(0)
    bullet.paragraph_format.tab_stops.add_tab_stop(Cm(0.5))
    code = paragraph_style("Code Block")
    code.font.name = "Courier New"
    code.font.size = Pt(9)
    for level in (1, 2):
        toc = paragraph_style(f"TOC {level}")
        toc.paragraph_format.left_indent = Cm(0.5 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)
    # The language of every run, unless a style says otherwise: spelling and hyphenation.
    defaults = styles.element.find(qname("w:docDefaults"))
    if defaults is not None:
        run_properties = defaults.find(qname("w:rPrDefault") + "/" + qname("w:rPr"))
        if run_properties is not None:
            language = set_child(run_properties, "w:lang", None)
            language.set(qname("w:val"), document_language(view))
            _name_fonts(run_properties)


def _name_fonts(run_properties: Any) -> None:
    """The theme's families for Latin, East Asian and complex scripts (fonts.py),
    in place of Word's theme fonts, so Word looks for the faces the PDF prints
    with (Word has one complex-script family: Arabic script's)."""
    from docx.oxml import OxmlElement

    from ... import fonts

    names = run_properties.find(qname("w:rFonts"))
    if names is None:
        names = OxmlElement("w:rFonts")
        run_properties.insert(0, names)  # the schema's order: rFonts first
    for name in list(names.attrib):
        del names.attrib[name]
    serif = fonts.SERIF
    for slot, family in (
        ("w:ascii", serif[0]),
        ("w:hAnsi", serif[0]),
        ("w:eastAsia", next(f for f in serif if "CJK" in f)),
        ("w:cs", next(f for f in serif if "Arabic" in f)),
    ):
        names.set(qname(slot), family)


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
    footer.add_run("Page ")
    field_char(footer, "begin")
    field_instruction(footer, "PAGE")
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
    "HYPERLINK_STYLE",
    "LANGUAGE",
    "PORTION_MARK_STYLE",
    "ask_word_to_update_fields",
    "classification_banners",
    "document_language",
    "drop_thumbnail",
    "prepare_styles",
    "set_language",
    "set_properties",
]
