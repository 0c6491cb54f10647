"""The house style of a briefing's Word document: the theme's faces, colours and
spacing (templates/briefing.css and print.css) as Word's styles, theme and font
table, so the .docx reads as the PDF does and nothing of python-docx's template
(Calibri, Cambria, Word 2010's blue, its unused styles) is left."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ... import fonts
from .ooxml import insert_in_order, qname, set_child

if TYPE_CHECKING:
    from docx.document import Document

# The theme's colours, as templates/briefing.css's :root names them; MUTED is
# print.css's --muted-print, the grey the PDF prints secondary text in.
INK = "1B1F24"  # --ink
MUTED = "4A525B"  # --muted-print
RULE = "C9CED4"  # --rule
ACCENT = "1F3A5F"  # --accent
ACCENT_SOFT = "E8EEF5"  # --accent-soft
HIGH = "1D5E3A"  # --high
MODERATE = "7A5200"  # --moderate
ALERT = "8A1C1C"  # --low: what needs the reader's attention (a stale fact)

SERIF, SANS = fonts.SERIF[0], fonts.SANS[0]  # the text's face and the headings'

# Sizes in points. print.css sets the PDF's text at 9.5 pt on a 170 mm column;
# Word's column is 160 mm (2.5 cm margins), so its text is 10.5 pt for a measure
# of about 80 characters, and every other size keeps the theme's proportion to it.
TEXT_PT = 10.5
SECONDARY_PT = 8.5  # the least a reader's text is set in (issue 22)
# CSS's line-height 1.45 (print.css) over Noto's own line, which is 1.36 of its
# size and Word's "single".
LINE_SPACING = 1.07
TEXT_WIDTH_CM = 16.0  # A4's 21 cm less two margins of 2.5 cm

HYPERLINK_STYLE = "Hyperlink"
# A portion mark, "(TLP:GREEN)", before each fact's title, judgment and source, as
# classified documents mark each paragraph: small and bold, in the text's own colour.
PORTION_MARK_STYLE = "Portion Mark"
# A fact's badges as the page's pills: words on a tint; the one that needs
# attention (stale) white on red, as print.css's .stale.
BADGE_STYLE = "Badge"
ALERT_BADGE_STYLE = "Alert Badge"
DATE_STYLE = "Fact Date"
TABLE_STYLE = "Table Text"


@dataclass(frozen=True)
class Look:
    """One style of the house: what it sets over the style it is based on (sizes in
    points, indents in centimetres, colours in hex; None keeps the base's)."""

    base: str | None = "Normal"
    character: bool = False  # a run's style, not a paragraph's
    family: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    colour: str | None = None
    shading: str | None = None  # behind the text
    before: float | None = None
    after: float | None = None
    indent: float | None = None  # the left edge of the lines after the first
    first: float | None = None  # the first line from that edge (negative: hanging)
    tab: float | None = None
    leader_tab: float | None = None  # a right tab after dots, for page numbers
    keep_next: bool = False  # on the page of the paragraph after it
    rule_above: tuple[float, str] | None = None  # a line: its width in points, its colour
    rule_below: tuple[float, str] | None = None
    outline: int | None = None  # its level in the navigation pane and the contents


def _heading(size: float, colour: str, before: float, after: float, **more: Any) -> Look:
    """A heading of the theme (h1 to h4, captions): the sans face, bold, kept with
    what follows it."""
    return Look(
        family=SANS, size=size, bold=True, italic=False, colour=colour, before=before,
        after=after, keep_next=True, **more,
    )  # fmt: skip


# Every style the document uses, bases first. Sizes and spaces follow print.css in
# proportion: its h2, 13.5 pt over 9.5 pt text, is Heading 1's 15 pt over 10.5 pt.
STYLES: dict[str, Look] = {
    "Normal": Look(None, family=SERIF, size=TEXT_PT, colour=INK, after=6),
    "Title": _heading(22, ACCENT, 4, 6, rule_above=(3, ACCENT)),
    "Subtitle": Look(family=SANS, size=12.5, italic=False, colour=MUTED, after=6),
    "Briefing Details": Look(family=SANS, size=9, colour=MUTED, after=4),
    "Heading 1": _heading(15, ACCENT, 18, 6, rule_below=(1.25, ACCENT), outline=0),
    "Heading 2": _heading(11.5, INK, 10, 2, outline=1),
    "TOC Heading": _heading(11, ACCENT, 14, 4),
    "TOC 1": Look(family=SANS, size=9.5, after=2, leader_tab=TEXT_WIDTH_CM),
    "Fact Details": Look(family=SANS, size=SECONDARY_PT, colour=MUTED, after=3),
    "Judgment Details": Look("Fact Details", indent=1.0, after=1),
    "Source Details": Look("Fact Details", indent=1.0, after=5),
    "Numbered Item": Look(indent=1.0, first=-0.75, tab=1.0, after=3),
    "Bulleted Item": Look(indent=0.75, first=-0.5, tab=0.75, after=3),
    "Bulleted Item 2": Look("Bulleted Item", indent=1.5, tab=1.5),
    "Change List": _heading(9.5, INK, 6, 2),
    TABLE_STYLE: Look(family=SANS, size=9, after=0),
    "Table Bullet": Look(TABLE_STYLE, indent=0.5, first=-0.5, tab=0.5),
    "Table Label": Look(TABLE_STYLE, colour=MUTED),
    "Table Heading": Look(TABLE_STYLE, bold=True, colour=MUTED),
    "Table Caption": _heading(9.5, INK, 8, 3),
    "Code Block": Look(family=SANS, size=9, after=3),  # print.css: code in the sans face
    "Quote": Look(italic=True, colour=MUTED, indent=0.75),
    "Caption": _heading(9.5, ACCENT, 10, 4),
    "Figure Note": Look(family=SANS, size=SECONDARY_PT, colour=MUTED, after=2),
    "Colophon": Look(family=SANS, size=8, colour=MUTED, before=24, rule_above=(0.5, RULE)),
    "Header": Look(family=SANS, size=8.5, bold=True, after=0),
    "Footer": Look(family=SANS, size=8, colour=MUTED, after=0),
    HYPERLINK_STYLE: Look(None, character=True, colour=ACCENT),
    PORTION_MARK_STYLE: Look(None, character=True, family=SANS, size=8, bold=True),
    DATE_STYLE: Look(None, character=True, bold=True, colour=INK),
    BADGE_STYLE: Look(None, character=True, colour=ACCENT, shading=ACCENT_SOFT),
    ALERT_BADGE_STYLE: Look(None, character=True, bold=True, colour="FFFFFF", shading=ALERT),
}

# The order WordprocessingML's schema gives the children set here: each is put
# before the first of those after it that is already there.
RUN_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:vanish", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
)  # fmt: skip
PARAGRAPH_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:contextualSpacing", "w:jc",
    "w:outlineLvl", "w:rPr",
)  # fmt: skip

TABLE_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
    "w:tblDescription",
)  # fmt: skip


def apply_house_style(document: Document, language: str) -> None:
    """Every style of STYLES made or remade in the house's look; the document's
    defaults (its faces, size and `language`), theme and font table to match."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Pt, RGBColor

    styles = document.styles
    names = {style.name for style in styles}
    for name, look in STYLES.items():
        kind = WD_STYLE_TYPE.CHARACTER if look.character else WD_STYLE_TYPE.PARAGRAPH
        style = styles[name] if name in names else styles.add_style(name, kind)
        style.hidden = False
        style.unhide_when_used = False
        if look.base is not None:
            style.base_style = styles[look.base]
        run_properties = style.element.get_or_add_rPr()
        for tag in ("w:color", "w:rFonts"):  # the template's theme colours and fonts
            for old in run_properties.findall(qname(tag)):
                run_properties.remove(old)
        if look.family is not None:
            name_fonts(run_properties, look.family)
        font = style.font
        if look.size is not None:
            font.size = Pt(look.size)
        font.bold, font.italic = look.bold, look.italic
        if look.colour is not None:
            font.color.rgb = RGBColor.from_string(look.colour)
        if look.shading is not None:
            shade(run_properties, RUN_ORDER, look.shading)
        if look.character:
            continue
        layout = style.paragraph_format
        layout.space_before = None if look.before is None else Pt(look.before)
        layout.space_after = None if look.after is None else Pt(look.after)
        layout.line_spacing = LINE_SPACING
        layout.left_indent = None if look.indent is None else Cm(look.indent)
        layout.first_line_indent = None if look.first is None else Cm(look.first)
        if look.tab is not None:
            layout.tab_stops.add_tab_stop(Cm(look.tab))
        if look.leader_tab is not None:
            right, dots = WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
            layout.tab_stops.add_tab_stop(Cm(look.leader_tab), right, dots)
        layout.keep_with_next = look.keep_next or None
        layout.widow_control = True
        paragraph_properties = style.element.get_or_add_pPr()
        for tag in ("w:pBdr", "w:outlineLvl"):
            for old in paragraph_properties.findall(qname(tag)):
                paragraph_properties.remove(old)
        if look.rule_above or look.rule_below:
            rules = insert_in_order(paragraph_properties, "w:pBdr", PARAGRAPH_ORDER)
            for side, rule in (("w:top", look.rule_above), ("w:bottom", look.rule_below)):
                if rule is not None:
                    line(rules, side, *rule, space=4)
        if look.outline is not None:
            outline = insert_in_order(paragraph_properties, "w:outlineLvl", PARAGRAPH_ORDER)
            outline.set(qname("w:val"), str(look.outline))
    _set_defaults(document, language)
    _set_theme(document)
    _set_font_table(document)


def name_fonts(run_properties: Any, family: str) -> None:
    """`family` (Noto Serif or Noto Sans) for Latin text, its neighbours in the
    theme's stack for East Asian and complex scripts (fonts.py), and no theme font,
    which Word would prefer to them (Word has one complex-script family: Arabic
    script's)."""
    names = insert_in_order(run_properties, "w:rFonts", RUN_ORDER)
    for attribute in list(names.attrib):
        del names.attrib[attribute]
    stack = fonts.SERIF if family == SERIF else fonts.SANS
    for slot, name in (
        ("w:ascii", family),
        ("w:hAnsi", family),
        ("w:eastAsia", next(f for f in stack if "CJK" in f)),
        ("w:cs", next(f for f in stack if "Arabic" in f)),
    ):
        names.set(qname(slot), name)


def shade(properties: Any, order: tuple[str, ...], fill: str) -> None:
    """A background of `fill` behind a run, a paragraph or a table cell."""
    shading = insert_in_order(properties, "w:shd", order)
    shading.set(qname("w:val"), "clear")
    shading.set(qname("w:color"), "auto")
    shading.set(qname("w:fill"), fill)


def line(parent: Any, side: str, width: float, colour: str, space: int = 0) -> None:
    """A rule on `side` (w:top, w:bottom, w:insideH) of `width` points in `colour`."""
    edge = set_child(parent, side, "single")
    edge.set(qname("w:sz"), str(round(width * 8)))  # eighths of a point
    edge.set(qname("w:space"), str(space))
    edge.set(qname("w:color"), colour)


def _set_defaults(document: Document, language: str) -> None:
    """What every run has unless a style says otherwise: the text's faces and size,
    the language (spelling and hyphenation)."""
    defaults = set_child(document.styles.element, "w:docDefaults", None)
    run_defaults = set_child(set_child(defaults, "w:rPrDefault", None), "w:rPr", None)
    name_fonts(run_defaults, SERIF)
    size = insert_in_order(run_defaults, "w:sz", RUN_ORDER)
    size.set(qname("w:val"), str(round(TEXT_PT * 2)))  # in half-points
    lang = insert_in_order(run_defaults, "w:lang", RUN_ORDER)
    for attribute in list(lang.attrib):
        del lang.attrib[attribute]
    lang.set(qname("w:val"), language)
    # Nothing in the styles left to name the template's theme colours or fonts.
    for element in document.styles.element.iter(qname("w:color"), qname("w:rFonts")):
        for attribute in list(element.attrib):
            if "heme" in attribute:  # w:themeColor, w:asciiTheme, w:cstheme, ...
                del element.attrib[attribute]


# The theme part's colours (DrawingML's scheme, which Word's colour picker offers)
# and its two fonts: headings in the sans, text in the serif.
_THEME_COLOURS = {
    "dk1": INK,
    "lt1": "FFFFFF",
    "dk2": ACCENT,
    "lt2": ACCENT_SOFT,
    "accent1": ACCENT,
    "accent2": HIGH,
    "accent3": MODERATE,
    "accent4": ALERT,
    "accent5": MUTED,
    "accent6": RULE,
    "hlink": ACCENT,
    "folHlink": ACCENT,
}


def _set_theme(document: Document) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    drawing = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    part = document.part.part_related_by(RELATIONSHIP_TYPE.THEME)
    theme = parse_xml(part.blob)
    theme.set("name", "briefgen")
    scheme = theme.find(f"{drawing}themeElements/{drawing}clrScheme")
    assert scheme is not None
    scheme.set("name", "briefgen")
    for slot, colour in _THEME_COLOURS.items():
        holder = scheme.find(drawing + slot)
        assert holder is not None
        for old in list(holder):
            holder.remove(old)
        holder.append(parse_xml(f'<a:srgbClr {nsdecls("a")} val="{colour}"/>'))
    font_scheme = theme.find(f"{drawing}themeElements/{drawing}fontScheme")
    assert font_scheme is not None
    font_scheme.set("name", "briefgen")
    for slot, family in (("majorFont", SANS), ("minorFont", SERIF)):
        holder = font_scheme.find(drawing + slot)
        assert holder is not None
        stack = fonts.SANS if family == SANS else fonts.SERIF
        for old in list(holder):
            holder.remove(old)
        east_asian = next(f for f in stack if "CJK" in f)
        complex_script = next(f for f in stack if "Arabic" in f)
        for tag, typeface in (("latin", family), ("ea", east_asian), ("cs", complex_script)):
            holder.append(parse_xml(f'<a:{tag} {nsdecls("a")} typeface="{typeface}"/>'))
    part._blob = serialize_part_xml(theme)
    # Word 2010's copy of the styles, with the template's colours: Word reads styles.xml.
    for rid, relationship in list(document.part.rels.items()):
        if relationship.reltype.endswith("/stylesWithEffects"):
            document.part.rels.pop(rid)
    # The template's font for equations.
    settings = document.settings.element
    for math_font in settings.iter("{*}mathFont"):
        math_font.getparent().remove(math_font)


def _set_font_table(document: Document) -> None:
    """The font table names the theme's families only (Word offers to substitute
    those it lacks by what the table says of them)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    part = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    kinds = {family: "roman" for family in fonts.SERIF} | {f: "swiss" for f in fonts.SANS}
    entries = "".join(
        f'<w:font w:name="{family}"><w:family w:val="{kind}"/><w:pitch w:val="variable"/></w:font>'
        for family, kind in kinds.items()
    )
    text = part.blob.decode("utf-8")
    text = re.sub(r"<w:font .*</w:font>", entries, text, flags=re.S)
    part._blob = text.encode("utf-8")


def prune_styles(document: Document) -> None:
    """The template's styles the document never uses taken out (150 of them, in
    Word 2010's colours): those a paragraph, run or table names, their bases, the
    style after each, the house's and the defaults stay."""
    from docx.oxml.ns import qn

    parts = [document.part] + [
        rel.target_part
        for rel in document.part.rels.values()
        if rel.reltype.endswith(("/header", "/footer"))
    ]
    used: set[str] = set()
    for part in parts:
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            used.update(e.get(qn("w:val")) for e in part.element.iter(qn(tag)))
    styles = {s.get(qn("w:styleId")): s for s in document.styles.element.iter(qn("w:style"))}
    defaults = {i for i, s in styles.items() if s.get(qn("w:default")) in ("1", "true")}
    todo = list(used | defaults | {str(document.styles[name].style_id) for name in STYLES})
    wanted: set[str] = set()
    while todo:
        style_id = todo.pop()
        if style_id in wanted or style_id not in styles:
            continue
        wanted.add(style_id)
        for tag in ("w:basedOn", "w:next"):
            child = styles[style_id].find(qn(tag))
            if child is not None:
                todo.append(child.get(qn("w:val")))
    for style_id, style in styles.items():
        if style_id not in wanted:
            style.getparent().remove(style)
        # A paragraph style's twin for runs ("Heading 1 Char"), in the template's look:
        # Word makes it again if someone asks for it.
        elif (link := style.find(qn("w:link"))) is not None and link.get(qn("w:val")) not in wanted:
            style.remove(link)


__all__ = [
    "ACCENT",
    "ALERT_BADGE_STYLE",
    "BADGE_STYLE",
    "DATE_STYLE",
    "HYPERLINK_STYLE",
    "INK",
    "MUTED",
    "PARAGRAPH_ORDER",
    "PORTION_MARK_STYLE",
    "RULE",
    "RUN_ORDER",
    "STYLES",
    "TABLE_ORDER",
    "TABLE_STYLE",
    "TEXT_PT",
    "TEXT_WIDTH_CM",
    "apply_house_style",
    "line",
    "name_fonts",
    "prune_styles",
    "shade",
]
