"""The body of a briefing's Word document: its parts in the page's order."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ...assemble import FactRef, FactView, FieldChange, SourceView
from ...kinds import KINDS, Row
from .body import Body
from .figures import add_svg, figure_png, shown_width_cm
from .house import (
    ALERT_BADGE_STYLE,
    BADGE_STYLE,
    DATE_STYLE,
    RULE,
    TABLE_ORDER,
    TABLE_STYLE,
    TEXT_WIDTH_CM,
    line,
)
from .ooxml import insert_in_order, page_ref, qname, set_child
from .richtext import HtmlWriter
from .styles import set_language

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph


@dataclasses.dataclass(frozen=True)
class _ChangeEntry:
    """One fact or judgment in the list of changes."""

    words: str  # its title, or "Judgment 2"
    bookmark: str | None  # where the words lead; None for one withdrawn
    tail: str  # words after the link
    changes: list[FieldChange]


class Writer(Body):
    """Writes the body of one briefing into a python-docx Document."""

    def write(self) -> None:
        """The briefing in the page's order: the bottom line first (key judgments,
        summary, changes), the contents, then the evidence, the apparatus and the
        colophon."""
        view = self.view
        self._title_block()
        self._judgments()
        if view.summary:
            self._heading("Summary", 1, "_summary")
            self.rich(view.summary)
        self._changes()
        self._contents()
        shown_with = {figure.section for figure in view.figures}
        if None in shown_with:
            self._heading("Figures", 1, "_figures")
            self._figures(None)
        for section in view.sections:
            self._heading(section.title, 1, self.bookmarks[section.anchor])
            if section.intro:
                self.rich(section.intro)
            if section.id in shown_with:
                self._figures(section.id)
            if not section.facts:
                self.para("No facts in this section.", "Fact Details")
            for fact in section.facts:
                self._fact(fact)
        self._sources()
        self._scales()
        self._colophon()
        self._flush()

    def _title_block(self) -> None:
        view = self.view
        self.para(view.title, "Title")
        if view.subtitle:
            self.para(view.subtitle, "Subtitle")
        if view.correction:
            paragraph = self.para(style="Briefing Details")
            paragraph.add_run("Corrected edition: ").bold = True
            paragraph.add_run(view.correction)
        details = [f"Edition {view.edition}"]
        details += [view.author] if view.author else []
        details += [view.classification] if view.classification else []
        self.para(" · ".join(details), "Briefing Details")
        if view.scope:
            paragraph = self.para(style="Briefing Details")
            paragraph.add_run("Scope: ").bold = True
            paragraph.add_run(f"{view.scope}.")

    # -- parts ---------------------------------------------------------------------

    def _contents(self) -> None:
        """The parts (Heading 1) and their pages: each entry links to its part, and its
        page is a PAGEREF field, which Word and LibreOffice work out as they lay the
        pages out. Not a TOC field: LibreOffice shows a TOC field's entries as they
        were written, without pages, and parts its heading from it."""
        view = self.view
        entries = [("Key judgments", "_judgments")] if view.judgments or view.key_judgments else []
        entries += [("Summary", "_summary")] if view.summary else []
        if view.changes is not None:
            entries.append((f"Changes since {view.changes.since}", "_changes"))
        if any(figure.section is None for figure in view.figures):
            entries.append(("Figures", "_figures"))
        entries += [(s.title, self.bookmarks[s.anchor]) for s in view.sections]
        entries += [("Sources", "_sources")] if view.sources else []
        entries.append(("About the scales", "_scales"))
        self.para("Contents", "TOC Heading")
        for title, bookmark in entries:
            paragraph = self.para(style="TOC 1")
            self.link(paragraph, title, anchor=bookmark, style=False)
            paragraph.add_run("\t")
            page_ref(paragraph, bookmark)

    def _judgments(self) -> None:
        """The analyst's written judgments; without them, the facts marked key. ICD 203:
        a judgment's likelihood and its confidence are never said in one sentence."""
        view = self.view
        if not (view.judgments or view.key_judgments):
            return
        self._heading("Key judgments", 1, "_judgments")
        for judgment in view.judgments:
            start = self._mark()
            paragraph = self.para(style="Numbered Item")
            self._bookmark(paragraph, f"_judgment{judgment.number}")
            paragraph.add_run(f"{judgment.number}.\t")
            self.portion_mark(paragraph, judgment.marking)
            HtmlWriter(self, self.body, paragraph).feed_all(str(judgment.text))
            if judgment.likelihood:
                words = f"{judgment.likelihood.capitalize()} ({judgment.band})"
                self.para(words, "Judgment Details")
            self.para(f"{judgment.confidence.capitalize()} confidence", "Judgment Details")
            self._fact_links("Based on: ", judgment.based_on, "Judgment Details")
            self._keep_together(start)
        if view.judgments:
            return
        # Without written judgments, the facts marked key: each leads to its fact, as on
        # the page, which cites the sources.
        for number, fact in enumerate(view.key_judgments, start=1):
            start = self._mark()
            paragraph = self.para(style="Numbered Item")
            paragraph.add_run(f"{number}.\t")
            self.link(paragraph, fact.title, anchor=self.bookmarks[fact.anchor], style=False)
            self.para(f"{fact.confidence.capitalize()} confidence", "Judgment Details")
            if fact.likelihood is not None:
                words = f"{fact.likelihood.capitalize()} ({fact.band})"
                self.para(words, "Judgment Details")
            self._keep_together(start)

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
        self.para(f"Compared with the edition of {changes.since}.", "Fact Details")
        if changes.briefing_changed:
            self.para("The briefing", "Change List")
            self._what_changed(changes.briefing_changed)
        for heading, facts in (
            ("Facts added", changes.facts_added),
            ("Facts changed", changes.facts_changed),
            ("Facts withdrawn", changes.facts_withdrawn),
        ):
            entries = [
                _ChangeEntry(
                    f.title + (f": {f.reason}" if f.reason else ""),
                    f.anchor and self.bookmarks[f.anchor],
                    "",
                    f.changes,
                )
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

    def _figures(self, section: str | None) -> None:
        """The figures that illustrate `section` (None: the briefing as a whole), each
        numbered under its caption, then its units, its source and its key."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        shown = [figure for figure in self.view.figures if figure.section == section]
        for figure in shown:
            number = figure.number or self.view.figures.index(figure) + 1
            start = self._mark()
            self.para(f"Figure {number}. {figure.title}", "Caption")
            png = figure_png(figure.svg)
            picture = self.para()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            shape = picture.add_run().add_picture(io.BytesIO(png), width=Cm(shown_width_cm(png)))
            add_svg(self.document.part, shape, figure.svg, number)
            properties = shape._inline.docPr
            properties.set("name", f"Figure {number}")
            properties.set("title", figure.title)
            properties.set("descr", figure.description)
            if figure.units:
                self.para(figure.units, "Figure Note")
            if figure.source:
                source = figure.source
                self.para(
                    source if source.startswith("Source") else f"Source: {source}", "Figure Note"
                )
            self._keep_together(start)
            for entry in figure.key:  # what each numbered mark stands for, linked to its fact
                paragraph = self.para(style="Numbered Item")
                paragraph.add_run(f"{entry.mark}.\t")
                anchor = self.bookmarks.get(entry.href.removeprefix("#"))
                if anchor is None:  # not a fact of this document: the words alone
                    paragraph.add_run(entry.text)
                else:
                    self.link(paragraph, entry.text, anchor=anchor, style=False)

    def _fact(self, fact: FactView) -> None:
        """A fact, kept on one page as the PDF keeps it unless it is long: then its
        heading and details stay with its first lines."""
        start = self._mark()
        heading = self.para(style="Heading 2")
        self.portion_mark(heading, fact.marking)
        self._bookmark(heading, self.bookmarks[fact.anchor], heading.add_run(fact.title))
        badges = self.para(style="Fact Details")
        for index, (words, style) in enumerate(_badges(fact)):
            if index:
                badges.add_run(" · ")
            run = badges.add_run(words)
            if style is not None:
                run._r.style = self.style_ids[style]
        if fact.actors:
            actors = f"Actors: {', '.join(fact.actors)}"
            self.para(actors, "Fact Details")
        if fact.long:  # its head with its first lines
            self._keep_together(start, with_next=True)
        last = self.rich(fact.text)
        if last._p.style is not None:  # a list item, a quote: not a paragraph of text
            last = self.para()  # after a list: citations on their own
        self._citations(last, fact)
        kind = KINDS[fact.kind]
        rows = kind.rows(fact.details) if kind.rows is not None else []
        if len(rows) == 1 and isinstance(rows[0][1], str):  # one row reads as a line
            paragraph = self.para(style="Fact Details")
            paragraph.add_run(f"{rows[0][0]}: ").bold = True
            paragraph.add_run(rows[0][1])
        elif rows:
            # The table whole, with the end of the text (a risk's indicators with its
            # likelihood and impact, as the page keeps them).
            text_end = self._mark().getprevious()
            self._table(kind.heading, rows)
            self._keep_together(text_end)
        if not fact.long:
            self._keep_together(start)

    def _table(self, caption: str, rows: list[Row]) -> None:
        """A fact's details as a table of label and value on the text column."""
        shown = [(label, value) for label, value in rows if value]
        widths = (3.5, TEXT_WIDTH_CM - 3.5)
        table = self._grid(caption, widths)
        for label, value in shown:
            label_cell, value_cell = self._row(table, widths, ("Table Label", TABLE_STYLE))
            label_cell.paragraphs[0].add_run(label)
            if isinstance(value, list):
                first = True
                for item in value:
                    paragraph = value_cell.paragraphs[0] if first else value_cell.add_paragraph()
                    self.restyle(paragraph, "Table Bullet")
                    paragraph.add_run("•\t")
                    HtmlWriter(self, value_cell, paragraph).feed_all(str(item))
                    first = False
            else:
                value_cell.paragraphs[0].add_run(value)
        self.para(style="Fact Details")  # a gap after the table

    def _grid(self, caption: str, widths_cm: tuple[float, ...]) -> Any:
        """An empty table across the text column: light rules between its rows, none
        at the sides, its first column's text on the margin (print.css's tables);
        `caption` for screen readers and Word's alt text of a table."""
        from docx.shared import Cm

        self._flush()
        table = self.body.add_table(rows=0, cols=len(widths_cm), width=Cm(TEXT_WIDTH_CM))
        table.autofit = False
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = Cm(width)  # the grid, which LibreOffice reads
        properties = table._tbl.tblPr
        width = insert_in_order(properties, "w:tblW", TABLE_ORDER)
        width.set(qname("w:w"), str(_twips(TEXT_WIDTH_CM)))
        width.set(qname("w:type"), "dxa")
        indent = insert_in_order(properties, "w:tblInd", TABLE_ORDER)
        indent.set(qname("w:w"), "0")
        indent.set(qname("w:type"), "dxa")
        borders = insert_in_order(properties, "w:tblBorders", TABLE_ORDER)
        for side in ("w:top", "w:bottom", "w:insideH"):
            line(borders, side, 0.5, RULE)
        for side in ("w:left", "w:right", "w:insideV"):
            set_child(borders, side, "nil")
        insert_in_order(properties, "w:tblLayout", TABLE_ORDER).set(qname("w:type"), "fixed")
        margins = insert_in_order(properties, "w:tblCellMar", TABLE_ORDER)
        for side, cm in (("w:top", 0.05), ("w:left", 0.0), ("w:bottom", 0.05), ("w:right", 0.2)):
            margin = set_child(margins, side, None)
            margin.set(qname("w:w"), str(_twips(cm)))
            margin.set(qname("w:type"), "dxa")
        set_child(properties, "w:tblCaption", caption)
        return table

    def _row(self, table: Any, widths_cm: tuple[float, ...], styles: tuple[str, ...]) -> list[Any]:
        """A new row of `table` that never splits across pages, its cells `widths_cm`
        wide and their first paragraphs in `styles`; its cells."""
        from docx.shared import Cm

        row = table.add_row()
        set_child(row._tr.get_or_add_trPr(), "w:cantSplit", None)
        cells = list(row.cells)
        for cell, width, style in zip(cells, widths_cm, styles, strict=True):
            cell.width = Cm(width)  # the cells, which Word reads
            self.restyle(cell.paragraphs[0], style)
        return cells

    def _sources(self) -> None:
        if not self.view.sources:
            return
        self._heading("Sources", 1, "_sources")
        note = self.para(
            "Numbered in order of first use in this briefing. A citation such as [1 B2] "
            "names the source's number here and its Admiralty code: the source's "
            "reliability (A–F) and the credibility of the information it gave (1–6); see ",
            "Fact Details",
        )
        self.link(note, "About the scales", anchor="_scales")
        note.add_run(".")
        for source in self.view.sources:
            start = self._mark()
            self._source(source)
            if source.cited_by:
                self._fact_links("Cited by: ", source.cited_by, "Source Details")
            self._keep_together(start)

    def _source(self, source: SourceView) -> None:
        paragraph = self.para(style="Numbered Item")
        self._bookmark(paragraph, self.bookmarks[source.anchor])
        paragraph.add_run(f"[{source.number}]\t")
        self.portion_mark(paragraph, source.marking)
        title = paragraph.add_run(source.title)
        title.bold = True
        if source.lang:  # spelling, hyphenation and reading aloud in its own language
            set_language(title, source.lang)
        if source.translated_title:
            paragraph.add_run(f" [{source.translated_title}]")
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

    def _scales(self) -> None:
        """The scales the briefing's grades are on, as the page's appendix says them."""
        view = self.view
        self._heading("About the scales", 1, "_scales")
        self.para(
            "Every citation carries an Admiralty Code: a letter for how reliable the source "
            "has proved, a digit for how credible this piece of information is. [1 B2] reads "
            "“source 1 in the Sources list, usually reliable, information probably true”. "
            "Only the grades used in this briefing are listed."
        )
        self._scale("Source reliability", ("Grade", "Meaning"), view.reliabilities_used)
        self._scale("Information credibility", ("Grade", "Meaning"), view.credibilities_used)
        self._lead_in(
            "Analytic confidence",
            " follows Intelligence Community Directive 203 (ICD 203). It is a judgment "
            "about the quality of the evidence, not a probability.",
        )
        confidences = [
            (f"{level.capitalize()} confidence", view.confidence_words[level])
            for level in view.confidences_used
        ]
        self._scale("Analytic confidence (ICD 203)", ("Level", "Meaning"), confidences)
        if view.likelihoods_used:
            self._lead_in(
                "Likelihood",
                " is how probable a risk is, in the estimative terms of ICD 203, each "
                "standing for a band of probability.",
            )
            self._scale(
                "Likelihood terms (ICD 203)", ("Term", "Probability"), view.likelihoods_used
            )
        self._lead_in(
            "Corroboration.",
            " Only sources a reader can lean on count: a source graded A, B or C for "
            "reliability giving information graded 1, 2 or 3 for credibility. Sources that "
            "share an origin (two reports of one intelligence service, say) are not "
            "independent and count once. A fact with one such source is marked "
            "single-sourced; sources graded lower are named after it as also reported by.",
        )
        if view.stale_after_days is not None:
            self._lead_in(
                "Review.",
                f" A fact last reviewed more than {view.stale_after_days} days before this "
                "edition, or never reviewed, is marked stale with the date of its last review.",
            )

    def _lead_in(self, bold: str, rest: str) -> None:
        paragraph = self.para()
        paragraph.paragraph_format.keep_with_next = True  # with the table it leads into
        paragraph.add_run(bold).bold = True
        paragraph.add_run(rest)

    def _scale(
        self, caption: str, columns: tuple[str, str], rows: Sequence[tuple[object, str]]
    ) -> None:
        """One scale as a table under its caption, kept whole on one page."""
        start = self._mark()
        self.para(caption, "Table Caption")
        widths = (3.5, TEXT_WIDTH_CM - 3.5)
        table = self._grid(caption, widths)
        for cell, words in zip(
            self._row(table, widths, ("Table Heading",) * 2), columns, strict=True
        ):
            cell.paragraphs[0].add_run(words)
        for grade, words in rows:
            cells = self._row(table, widths, (TABLE_STYLE, TABLE_STYLE))
            cells[0].paragraphs[0].add_run(str(grade)).bold = True
            cells[1].paragraphs[0].add_run(words[:1].upper() + words[1:])
        self.para(style="Fact Details")  # a gap after the table
        self._keep_together(start)

    def _colophon(self) -> None:
        """What the title page of the PDF once counted: facts, sources and the digest
        of the inputs, at the end, as a colophon."""
        view = self.view
        facts = f"{view.fact_count} fact{'s' if view.fact_count != 1 else ''}"
        sources = f"{len(view.sources)} source{'s' if len(view.sources) != 1 else ''}"
        words = f"{facts} from {sources}. Made with {view.generator} from the facts of this project"
        words += f"; inputs digest {view.inputs_digest}." if view.inputs_digest else "."
        self.para(words, "Colophon")

    # -- pieces --------------------------------------------------------------------

    def _fact_links(self, words: str, facts: list[FactRef], style: str) -> None:
        """A line of `words` and the titles of `facts`, each linked to its fact."""
        paragraph = self.para(words, style)
        for index, ref in enumerate(facts):
            if index:
                paragraph.add_run("; ")
            self.link(paragraph, ref.title, anchor=self.bookmarks[ref.anchor])

    def _mark(self) -> Any:
        """Where the next block will go: the block before it, for _keep_together."""
        self._flush()
        return self._end.getprevious()

    def _keep_together(self, mark: Any, *, with_next: bool = False) -> None:
        """The blocks written since `mark` kept on one page: each paragraph, those in
        tables too, kept whole and with the next, but the last (keeping with the next
        alone lets a paragraph split); the last too if `with_next`."""
        from docx.oxml.ns import qn

        self._flush()
        paragraphs = []
        block = mark.getnext()
        while block is not None and block is not self._end:
            paragraphs += [block] if block.tag == qn("w:p") else list(block.iter(qn("w:p")))
            block = block.getnext()
        for paragraph in paragraphs if with_next else paragraphs[:-1]:
            properties = paragraph.get_or_add_pPr()
            properties.keepNext_val = properties.keepLines_val = True

    def _citations(self, paragraph: Paragraph, fact: FactView) -> None:
        for citation in fact.citations:
            if paragraph.text:
                paragraph.add_run(" ")
            label = f"[{citation.source.number} {citation.code}]"
            self.link(paragraph, label, anchor=self.bookmarks[citation.source.anchor])

    def rich(self, html: Markup, container: Any = None) -> Paragraph:
        """Markdown rendered as HTML (richtext.py) as Word paragraphs; the last one."""
        writer = HtmlWriter(self, container or self.body)
        writer.feed_all(str(html))
        return writer.last or (container or self.body).add_paragraph()


def _badges(fact: FactView) -> list[tuple[str, str | None]]:
    """The fact's details line as the page shows it, each part with its style (None:
    plain): the date bold, confidence and corroboration in words, and at most two
    badges, New or Updated and Stale, only Stale in colour (it needs attention)."""
    badges = {"new": [("New", BADGE_STYLE)], "updated": [("Updated", BADGE_STYLE)]}
    words: list[tuple[str, str | None]] = [*badges.get(fact.change or "", [])]
    words.append((fact.date, DATE_STYLE))
    words.append((f"{fact.confidence.capitalize()} confidence", None))
    corroboration = fact.corroboration
    if fact.also_reported_by:
        also = ", ".join(f"[{number}]" for number in fact.also_reported_by)
        corroboration += f"; also reported by {also}"
    words.append((corroboration, None))
    if fact.stale:
        reviewed = f"last reviewed {fact.reviewed}" if fact.reviewed else "never reviewed"
        words.append((f"Stale: {reviewed}", ALERT_BADGE_STYLE))
    return words


def _twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


__all__ = ["Writer"]
