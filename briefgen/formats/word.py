"""Word: a briefing as a .docx to edit and clear, through python-docx.

Built on Word's own styles, so the document behaves as one written in Word:
Title and Subtitle for the title block, Heading 1 for each part (summary,
key judgments, figures, each section, sources) and Heading 2 for each fact,
so the navigation pane and the contents field work; the classification is in
the header and the footer of every page; citations read `[3 B2]` and jump to
their source, a numbered list with working links; agreements and risks are
tables; figures are PNG images (drawn from the figure's SVG with the theme's
own fonts, so every machine draws the same pixels) with the figure's text
alternative as their alt text.

The same view gives the same bytes: every date in the file is the edition's,
and the zip's entries carry fixed timestamps (`_normalise_zip`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from html.parser import HTMLParser
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..assemble import BriefingView, FactView, FieldChange, SourceView
from ..errors import BuildError
from ..theme import THEME_DIR

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

    from ..build import BuildOptions
    from . import RenderContext

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# British English, as briefgen's own words ("Key judgments", "defence") are written.
LANGUAGE = "en-GB"
# The largest a figure is shown: the text width of an A4 page with 2.5 cm margins,
# and most of its height, so a figure and its caption share a page.
FIGURE_MAX_CM = (16.0, 20.0)
FIGURE_ZOOM = 2.0  # PNG pixels per SVG unit: sharp on screen and in print
HYPERLINK_STYLE = "Hyperlink"


def docx_key(options: BuildOptions) -> tuple[str, ...]:
    """What changes a .docx's bytes beyond the briefing: the libraries that write it."""
    return (f"python-docx {version('python-docx')}", f"resvg-py {version('resvg-py')}")


def render_docx(context: RenderContext) -> bytes:
    """The `docx` format's file (formats.FORMATS)."""
    return docx_bytes(context.view)


def docx_bytes(view: BriefingView) -> bytes:
    """The briefing as a Word document; the same view gives the same bytes."""
    import docx

    view = _xml_safe(view, {})
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4, as the PDF
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    _prepare_styles(document)
    _set_properties(document, view)
    _classification_banners(document, view.classification)
    writer = _Writer(document, view)
    writer.write()
    _ask_word_to_update_fields(document)
    _drop_thumbnail(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue(), view.edition_date)


# -- the document ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _ChangeEntry:
    """One fact or judgment in the list of changes."""

    words: str  # its title, or "Judgment 2"
    bookmark: str | None  # where the words lead; None for one withdrawn
    tail: str  # words after the link
    changes: list[FieldChange]


class _Writer:
    """Writes the body of one briefing into a python-docx Document."""

    def __init__(self, document: Document, view: BriefingView) -> None:
        from docx.document import _Body
        from docx.oxml import OxmlElement

        self.document = document
        self.view = view
        # Blocks are written into a detached body and moved into the document's as the
        # next one starts: python-docx adds a block to a body by looking through every
        # block already there, which made a 1,000-fact briefing take 22 s instead of 5.
        self.body = _Body(OxmlElement("w:body"), document)
        self._end = document.element.body.sectPr
        self.style_ids = {style.name: style.style_id for style in document.styles}
        self._bookmark_ids = 0
        # In-page anchors of the HTML (#fact-x, #source-y) -> Word bookmark names, which
        # must be short and plain; a leading "_" hides them from Word's bookmark list.
        self.bookmarks: dict[str, str] = {}
        for number, fact in enumerate(view.facts, start=1):
            self.bookmarks[fact.anchor] = f"_fact{number}"
        for source in view.sources:
            self.bookmarks[source.anchor] = f"_source{source.number}"
        for number, section in enumerate(view.sections, start=1):
            self.bookmarks[section.anchor] = f"_section{number}"

    def write(self) -> None:
        view = self.view
        self.para(view.title, "Title")
        if view.subtitle:
            self.para(view.subtitle, "Subtitle")
        details = [f"Edition {view.edition}"]
        details += [view.author] if view.author else []
        details += [view.classification] if view.classification else []
        self.para(" · ".join(details), "Briefing Details")
        if view.scope:
            paragraph = self.para(style="Briefing Details")
            paragraph.add_run("Scope: ").bold = True
            paragraph.add_run(f"{view.scope}.")
        self._contents()
        self._changes()
        if view.summary:
            self._heading("Summary", 1, "_summary")
            self.rich(view.summary)
        self._judgments()
        self._figures()
        for section in view.sections:
            self._heading(section.title, 1, self.bookmarks[section.anchor])
            if section.intro:
                self.rich(section.intro)
            if not section.facts:
                self.para("No facts in this section.", "Fact Details")
            for fact in section.facts:
                self._fact(fact)
        self._sources()
        self._flush()

    # -- parts ---------------------------------------------------------------------

    def _contents(self) -> None:
        """A table-of-contents field, filled with the headings so it reads well before
        Word updates it (and adds page numbers)."""
        self.para("Contents", "TOC Heading")
        entries = []
        if self.view.changes is not None:
            entries.append((f"Changes since {self.view.changes.since}", "_changes", 1))
        if self.view.summary:
            entries.append(("Summary", "_summary", 1))
        if self.view.judgments or self.view.key_judgments:
            entries.append(("Key judgments", "_judgments", 1))
        if self.view.figures:
            entries.append(("Figures", "_figures", 1))
        for section in self.view.sections:
            entries.append((section.title, self.bookmarks[section.anchor], 1))
            entries += [(f.title, self.bookmarks[f.anchor], 2) for f in section.facts]
        if self.view.sources:
            entries.append(("Sources", "_sources", 1))
        if not entries:
            entries = [("(no headings)", "", 1)]
        for index, (title, bookmark, level) in enumerate(entries):
            paragraph = self.para(style=f"TOC {level}")
            if index == 0:
                _field_char(paragraph, "begin")
                _instruction(paragraph, r'TOC \o "1-2" \h \z \u')
                _field_char(paragraph, "separate")
            if bookmark:
                self.link(paragraph, title, anchor=bookmark)
            else:
                paragraph.add_run(title)
            if index == len(entries) - 1:
                _field_char(paragraph, "end")

    def _judgments(self) -> None:
        """The analyst's written judgments; without them, the facts marked key. ICD 203:
        a judgment's likelihood and its confidence are never said in one sentence."""
        view = self.view
        if not (view.judgments or view.key_judgments):
            return
        self._heading("Key judgments", 1, "_judgments")
        for judgment in view.judgments:
            paragraph = self.para(style="Numbered Item")
            self._bookmark(paragraph, f"_judgment{judgment.number}")
            paragraph.add_run(f"{judgment.number}.\t")
            _HtmlWriter(self, self.body, paragraph).feed_all(str(judgment.text))
            if judgment.likelihood:
                words = f"{judgment.likelihood.capitalize()} ({judgment.band})"
                self.para(words, "Judgment Details")
            self.para(f"{judgment.confidence.capitalize()} confidence", "Judgment Details")
            basis = self.para(style="Judgment Details")
            basis.add_run("Based on: ")
            for index, ref in enumerate(judgment.based_on):
                if index:
                    basis.add_run("; ")
                self.link(basis, ref.title, anchor=self.bookmarks[ref.anchor])
        if view.judgments:
            return
        for number, fact in enumerate(view.key_judgments, start=1):
            paragraph = self.para(style="Numbered Item")
            paragraph.add_run(f"{number}.\t")
            self.link(paragraph, fact.title, anchor=self.bookmarks[fact.anchor], style=False)
            self._citations(paragraph, fact)
            self.para(f"{fact.confidence.capitalize()} confidence", "Judgment Details")
            if fact.risk is not None:
                words = f"{fact.risk.likelihood.capitalize()} ({fact.risk.band})"
                self.para(words, "Judgment Details")

    def _changes(self) -> None:
        """What changed since the latest earlier edition on record, as the page lists it."""
        changes = self.view.changes
        if changes is None:
            return
        self._heading(f"Changes since {changes.since}", 1, "_changes")
        if changes.empty:
            self.para(
                f"No facts or judgments have changed since the edition of {changes.since}.",
                "Fact Details",
            )
            return
        note = f"Compared with the edition of {changes.since}, as recorded in {changes.record}."
        self.para(note, "Fact Details")
        for heading, facts in (
            ("Facts added", changes.facts_added),
            ("Facts changed", changes.facts_changed),
            ("Facts withdrawn", changes.facts_withdrawn),
        ):
            entries = [
                _ChangeEntry(f.title, f.anchor and self.bookmarks[f.anchor], "", f.changes)
                for f in facts
            ]
            self._change_group(heading, entries)
        for heading, judgments in (
            ("Judgments added", changes.judgments_added),
            ("Judgments changed", changes.judgments_changed),
            ("Judgments withdrawn", changes.judgments_withdrawn),
        ):
            entries = [
                _ChangeEntry(
                    f"Judgment {j.number}", f"_judgment{j.number}", f": {j.text}", j.changes
                )
                if j.number is not None
                else _ChangeEntry(j.text, None, "", j.changes)
                for j in judgments
            ]
            self._change_group(heading, entries)

    def _change_group(self, heading: str, entries: list[_ChangeEntry]) -> None:
        if entries:
            self.para(f"{heading} ({len(entries)})", "Change List")
        for entry in entries:
            paragraph = self.para("•\t", "Bulleted Item")
            if entry.bookmark is None:  # withdrawn: struck through, as the page shows it
                paragraph.add_run(entry.words).font.strike = True
            else:
                self.link(paragraph, entry.words, anchor=entry.bookmark)
                paragraph.add_run(entry.tail)
            self._what_changed(entry.changes)

    def _what_changed(self, changes: list[FieldChange]) -> None:
        for change in changes:
            self.para(f"–\t{change.text}", "Bulleted Item 2")

    def _figures(self) -> None:
        figures = self.view.figures
        if not figures:
            return
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        self._heading("Figures", 1, "_figures")
        for number, figure in enumerate(figures, start=1):
            png = figure_png(figure.svg)
            picture = self.para()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.paragraph_format.keep_with_next = True  # the caption stays with it
            shape = picture.add_run().add_picture(io.BytesIO(png), width=Cm(_shown_width_cm(png)))
            properties = shape._inline.docPr
            properties.set("name", f"Figure {number}")
            properties.set("title", figure.title)
            properties.set("descr", figure.description)
            self.para(f"Figure {number}. {figure.title}", "Caption")
            for entry in figure.key:  # what each numbered mark stands for, linked to its fact
                paragraph = self.para(style="Numbered Item")
                paragraph.add_run(f"{entry.mark}.\t")
                anchor = self.bookmarks.get(entry.href.removeprefix("#"))
                if anchor is None:  # not a fact of this document: the words alone
                    paragraph.add_run(entry.text)
                else:
                    self.link(paragraph, entry.text, anchor=anchor, style=False)

    def _fact(self, fact: FactView) -> None:
        self._heading(fact.title, 2, self.bookmarks[fact.anchor])
        self.para(" · ".join(_badges(fact)), "Fact Details")
        if fact.actors:
            actors = f"Actors: {', '.join(fact.actors)}"
            self.para(actors, "Fact Details")
        last = self.rich(fact.text)
        if last._p.style is not None:  # a list item, a quote: not a paragraph of text
            last = self.para()  # after a list: citations on their own
        self._citations(last, fact)
        if fact.flow is not None:
            flow = fact.flow
            words = f"{flow.origin} → {flow.destination}: {flow.what} ({flow.category})"
            words += f"; {flow.amount}" if flow.amount else ""
            words += f"; since {flow.since}" if flow.since else ""
            paragraph = self.para(style="Fact Details")
            paragraph.add_run("Flow: ").bold = True
            paragraph.add_run(words)
        if fact.agreement is not None:
            agreement = fact.agreement
            self._table(
                "Agreement",
                [
                    ("Agreement", agreement.name),
                    ("Parties", ", ".join(agreement.parties)),
                    ("Status", agreement.status),
                    ("Signed", agreement.signed),
                    ("Place", agreement.place),
                    ("Terms", agreement.terms or None),
                ],
            )
        if fact.risk is not None:
            risk = fact.risk
            self._table(
                "Risk",
                [
                    ("Likelihood", f"{risk.likelihood} ({risk.band})"),
                    ("Impact", risk.impact),
                    ("Indicators", risk.indicators or None),
                ],
            )

    def _table(self, caption: str, rows: list[tuple[str, str | list[Markup] | None]]) -> None:
        from docx.shared import Cm

        shown = [(label, value) for label, value in rows if value]
        self._flush()
        table = self.body.add_table(rows=0, cols=2, width=Cm(16))
        table._tbl.tblPr.style = self.style_ids["Table Grid"]
        table.autofit = False
        widths = (Cm(3.5), Cm(12.5))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid, which LibreOffice reads
        for label, value in shown:
            row = table.add_row()  # type: ignore[no-untyped-call]
            _set_child(row._tr.get_or_add_trPr(), "w:cantSplit", None)
            cells = row.cells
            cells[0].width, cells[1].width = widths  # the cells, which Word reads
            cells[0].paragraphs[0].add_run(label).bold = True
            if isinstance(value, list):
                first = True
                for item in value:
                    paragraph = cells[1].paragraphs[0] if first else cells[1].add_paragraph()
                    self.restyle(paragraph, "Table Bullet")
                    paragraph.add_run("•\t")
                    _HtmlWriter(self, cells[1], paragraph).feed_all(str(item))
                    first = False
            else:
                cells[1].paragraphs[0].add_run(value)
        # A caption for screen readers and Word's "alt text" of a table.
        properties = table._tbl.tblPr
        _set_child(properties, "w:tblCaption", caption)
        self.para(style="Fact Details")  # a gap after the table

    def _sources(self) -> None:
        if not self.view.sources:
            return
        self._heading("Sources", 1, "_sources")
        self.para(
            "A citation such as [3 B2] names source 3, its reliability (B, usually reliable) "
            "and the credibility of what it says here (2, probably true), on the Admiralty "
            "Code's scales: reliability A (completely reliable) to F (cannot be judged), "
            "credibility 1 (confirmed by other sources) to 6 (cannot be judged).",
            "Fact Details",
        )
        for source in self.view.sources:
            self._source(source)

    def _source(self, source: SourceView) -> None:
        paragraph = self.para(style="Numbered Item")
        self._bookmark(paragraph, self.bookmarks[source.anchor])
        paragraph.add_run(f"[{source.number}]\t")
        paragraph.add_run(source.title).bold = True
        details = []
        details += [source.publisher] if source.publisher else []
        details += [f"published {source.published}"] if source.published else []
        details += [f"accessed {source.accessed}"] if source.accessed else []
        details.append(f"reliability {source.reliability} ({source.reliability_words})")
        details.append(source.type)
        text = "; ".join(details)
        paragraph.add_run(". " + text[:1].upper() + text[1:] + ".")
        if source.url:
            paragraph.add_run(" ")
            self.link(paragraph, source.url, url=source.url)

    # -- pieces --------------------------------------------------------------------

    def _flush(self) -> None:
        """Move what has been written into the document, before its section properties."""
        for block in list(self.body._element):
            self._end.addprevious(block)

    def para(self, text: str = "", style: str | None = None, container: Any = None) -> Paragraph:
        """A new paragraph at the end of `container` (the document), in `style`."""
        if container is None or container is self.body:
            self._flush()  # so the detached body, which is searched, stays one block long
        paragraph: Paragraph = (container or self.body).add_paragraph(text)
        self.restyle(paragraph, style)
        return paragraph

    def restyle(self, paragraph: Paragraph, style: str | None) -> None:
        # By id, from a table made once: python-docx looks a name up among every
        # style of the document each time, which made a briefing's file take seconds.
        if style is not None:
            paragraph._p.style = self.style_ids[style]

    def _heading(self, text: str, level: int, bookmark: str) -> Paragraph:
        paragraph = self.para(style=f"Heading {level}")
        self._bookmark(paragraph, bookmark, paragraph.add_run(text))
        return paragraph

    def _citations(self, paragraph: Paragraph, fact: FactView) -> None:
        for citation in fact.citations:
            if paragraph.text:
                paragraph.add_run(" ")
            label = f"[{citation.source.number} {citation.code}]"
            self.link(paragraph, label, anchor=self.bookmarks[citation.source.anchor])

    def rich(self, html: Markup, container: Any = None) -> Paragraph:
        """Markdown rendered as HTML (richtext.py) as Word paragraphs; the last one."""
        writer = _HtmlWriter(self, container or self.body)
        writer.feed_all(str(html))
        return writer.last or (container or self.body).add_paragraph()

    def link(
        self,
        paragraph: Paragraph,
        text: str,
        *,
        url: str | None = None,
        anchor: str | None = None,
        style: bool = True,
    ) -> Any:
        """A run of `text` that opens `url` or jumps to the bookmark `anchor`; the run."""
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        hyperlink = OxmlElement("w:hyperlink")
        if url is not None:
            rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            hyperlink.set(qn("r:id"), rid)
        else:
            hyperlink.set(qn("w:anchor"), anchor or "")
        run = paragraph.add_run(text)
        if style:
            run._r.style = self.style_ids[HYPERLINK_STYLE]
        paragraph._p.append(hyperlink)
        hyperlink.append(run._r)  # moves the run inside the link
        return run

    def _bookmark(self, paragraph: Paragraph, name: str, run: Any = None) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self._bookmark_ids += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark_ids))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark_ids))
        if run is not None:
            run._r.addprevious(start)
            run._r.addnext(end)
        else:
            paragraph._p.append(start)
            paragraph._p.append(end)


class _HtmlWriter(HTMLParser):
    """The small HTML richtext.py makes (p, ul, ol, li, em, strong, code, pre, a, br,
    blockquote) as Word paragraphs and runs."""

    def __init__(self, owner: _Writer, container: Any, paragraph: Paragraph | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.owner = owner
        self.container = container  # the document or a table cell
        self.paragraph = paragraph
        self.last: Paragraph | None = paragraph
        self.lists: list[list[int]] = []  # per open list: [is ordered, items so far]
        self.quote = 0
        self.pre = 0
        self.bold = 0
        self.italic = 0
        self.code = 0
        self.link: Any = None  # the open <a>'s w:hyperlink element, if any
        # An <li> has just opened, or a paragraph was given: the first <p> goes into it.
        self.fresh_item = paragraph is not None

    def feed_all(self, html: str) -> None:
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            self.lists[-1][1] += 1
            self.paragraph = None
            self._paragraph()
            ordered, count = self.lists[-1]
            self._run(f"{count}.\t" if ordered else "•\t")
            self.fresh_item = True
        elif tag == "p":
            if not self.fresh_item:
                self.paragraph = None
            self.fresh_item = False
        elif tag == "blockquote":
            self.quote += 1
            self.paragraph = None
        elif tag == "pre":
            self.pre += 1
            self.paragraph = None
        elif tag == "br":
            self._paragraph().add_run().add_break()
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "a":
            self._open_link(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self.lists.pop()
            self.paragraph = None
        elif tag in ("li", "p"):
            self.paragraph = None
            self.fresh_item = False
        elif tag == "blockquote":
            self.quote -= 1
            self.paragraph = None
        elif tag == "pre":
            self.pre -= 1
            self.paragraph = None
        elif tag in ("strong", "b"):
            self.bold -= 1
        elif tag in ("em", "i"):
            self.italic -= 1
        elif tag == "code":
            self.code -= 1
        elif tag == "a":
            self.link = None

    def handle_data(self, data: str) -> None:
        if not self.pre:
            data = data.replace("\n", " ")
            if self.paragraph is None and not data.strip():
                return  # whitespace between blocks
            self._run(data)
            return
        lines = data.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for index, line in enumerate(lines):
            if index:
                self._paragraph().add_run().add_break()
            self._run(line)

    def _paragraph(self) -> Paragraph:
        if self.paragraph is None:
            if self.lists:
                # A second paragraph of an item keeps the item's indent.
                style = "Bulleted Item" if len(self.lists) == 1 else "Bulleted Item 2"
            elif self.quote:
                style = "Quote"
            elif self.pre:
                style = "Code Block"
            else:
                style = None
            if self.container is self.owner.body:
                self.paragraph = self.owner.para(style=style)
            elif self.last is None and self.container.paragraphs[-1].text == "":
                self.paragraph = self.container.paragraphs[-1]
                self.owner.restyle(self.paragraph, style)
            else:
                self.paragraph = self.owner.para(style=style, container=self.container)
            self.last = self.paragraph
        return self.paragraph

    def _run(self, text: str) -> None:
        paragraph = self._paragraph()
        if self.link is not None:
            run = paragraph.add_run(text)
            run._r.style = self.owner.style_ids[HYPERLINK_STYLE]
            paragraph._p.remove(run._r)
            self.link.append(run._r)
        else:
            run = paragraph.add_run(text)
        if self.bold:
            run.bold = True
        if self.italic:
            run.italic = True
        if self.code or self.pre:
            run.font.name = "Courier New"

    def _open_link(self, href: str) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = self._paragraph()
        hyperlink = OxmlElement("w:hyperlink")
        if href.startswith("#"):
            bookmark = self.owner.bookmarks.get(href[1:])
            if bookmark is None:
                return  # an anchor this document lacks: the text stays plain
            hyperlink.set(qn("w:anchor"), bookmark)
        else:  # richtext.py has kept only http, https and mailto targets
            rid = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            hyperlink.set(qn("r:id"), rid)
        paragraph._p.append(hyperlink)
        self.link = hyperlink


def _badges(fact: FactView) -> list[str]:
    """The fact's badges in words, as the page shows them."""
    words = {"new": ["New"], "updated": ["Updated"]}.get(fact.change or "", [])
    words += [fact.date, f"{fact.confidence.capitalize()} confidence"]
    words += ["Key judgment"] if fact.key else []
    if fact.single_sourced:
        words.append("Single-sourced")
    else:
        words.append(f"{fact.independent_sources} independent sources")
    if fact.stale:
        reviewed = f"last reviewed {fact.reviewed}" if fact.reviewed else "never reviewed"
        words.append(f"Stale: {reviewed}")
    return words


# -- figures -----------------------------------------------------------------------


def _shown_width_cm(png: bytes) -> float:
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

    fonts = sorted(str(p) for p in (THEME_DIR / "fonts").glob("*.ttf"))
    try:
        png = resvg_py.svg_to_bytes(
            svg_string=svg,
            skip_system_fonts=True,
            font_files=fonts,
            font_family="Noto Sans",
            sans_serif_family="Noto Sans",
            serif_family="Noto Serif",
            zoom=FIGURE_ZOOM,
            background="#ffffff",
        )
    except ValueError as exc:  # a figure module drew an SVG resvg cannot read
        raise BuildError(f"docx: a figure could not be drawn as PNG: {exc}") from exc
    return bytes(png)


# -- text --------------------------------------------------------------------------

# Characters XML 1.0 cannot hold, which YAML's escapes ("\a", "\x01") can write in a
# fact: each becomes U+FFFD, the replacement character, so the reader sees where.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value: Any, done: dict[int, Any]) -> Any:
    """`value` (the view, or anything in it) with every string fit for XML; objects
    shared in the view (a source cited by many facts) stay shared in the copy."""
    if isinstance(value, str):
        clean = _NOT_XML.sub("\ufffd", value)
        return Markup(clean) if isinstance(value, Markup) else clean
    if isinstance(value, list | tuple | dict) or dataclasses.is_dataclass(value):
        if id(value) in done:
            return done[id(value)]
        if isinstance(value, list):
            items: list[Any] = []
            done[id(value)] = items  # placed first: a list may lead back to itself
            items.extend(_xml_safe(item, done) for item in value)
            return items
        if isinstance(value, tuple):
            result: Any = tuple(_xml_safe(item, done) for item in value)
        elif isinstance(value, dict):
            result = {_xml_safe(k, done): _xml_safe(v, done) for k, v in value.items()}
        else:
            changes = {f.name: _xml_safe(getattr(value, f.name), done) for f in _init_fields(value)}
            result = dataclasses.replace(value, **changes)  # type: ignore[type-var]
        done[id(value)] = result
        return result
    return value


def _init_fields(value: Any) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(value) if f.init]


# -- styles, properties, settings --------------------------------------------------


def _prepare_styles(document: Document) -> None:
    """The styles the body uses that python-docx's template lacks, and the language."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt, RGBColor

    styles = document.styles
    link = styles.add_style(HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True
    link.unhide_when_used = True

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
    defaults = styles.element.find(_qn("w:docDefaults"))
    if defaults is not None:
        run_properties = defaults.find(_qn("w:rPrDefault") + "/" + _qn("w:rPr"))
        if run_properties is not None:
            language = _set_child(run_properties, "w:lang", None)
            language.set(_qn("w:val"), LANGUAGE)


def _set_properties(document: Document, view: BriefingView) -> None:
    properties = document.core_properties
    midnight = dt.datetime.combine(view.edition_date, dt.time(0, 0))
    properties.title = view.title
    properties.subject = view.subtitle or ""
    properties.author = view.author or ""
    properties.keywords = ", ".join(view.tags)
    properties.language = LANGUAGE
    properties.category = "Briefing"
    properties.identifier = view.id
    properties.comments = f"{view.generator}; inputs {view.inputs_digest}"
    properties.content_status = view.classification or ""
    properties.last_modified_by = view.author or "briefgen"
    properties.created = midnight
    properties.modified = midnight
    properties.revision = 1


def _classification_banners(document: Document, classification: str | None) -> None:
    """The classification at the top and the bottom of every page; the page number below."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    for part in (section.header, section.footer):
        paragraph = part.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if classification:
            paragraph.add_run(classification).bold = True
    footer = section.footer.add_paragraph()
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field_char(footer, "begin")
    _instruction(footer, "PAGE")
    _field_char(footer, "separate")
    footer.add_run("1")
    _field_char(footer, "end")


def _ask_word_to_update_fields(document: Document) -> None:
    """Word fills in the contents' page numbers when the file is opened."""
    settings = document.settings.element
    update = _set_child(settings, "w:updateFields", None)
    update.set(_qn("w:val"), "true")


def _drop_thumbnail(document: Document) -> None:
    """python-docx's template carries a picture of another document as its preview."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    relationships = document.part.package.rels
    for rid, relationship in list(relationships.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            relationships.pop(rid)


def _field_char(paragraph: Paragraph, kind: str) -> None:
    from docx.oxml import OxmlElement

    char = OxmlElement("w:fldChar")
    char.set(_qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _instruction(paragraph: Paragraph, text: str) -> None:
    from docx.oxml import OxmlElement

    instruction = OxmlElement("w:instrText")
    instruction.set(_qn("xml:space"), "preserve")
    instruction.text = f" {text} "
    paragraph.add_run()._r.append(instruction)


def _set_child(parent: Any, tag: str, value: str | None) -> Any:
    """`parent`'s child `tag` (made if missing), with w:val set to `value` if given."""
    from docx.oxml import OxmlElement

    child = parent.find(_qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    if value is not None:
        child.set(_qn("w:val"), value)
    return child


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


# -- bytes -------------------------------------------------------------------------


def _normalise_zip(data: bytes, day: dt.date) -> bytes:
    """The same archive with every entry stamped `day` and written alike, so two
    builds give the same bytes (zipfile stamps entries with the clock)."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename), compresslevel=6)
    return out.getvalue()


__all__ = ["MEDIA_TYPE", "docx_bytes", "docx_key", "figure_png", "render_docx"]
