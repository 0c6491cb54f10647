"""The body of a briefing's Word document: its parts in the page's order."""

from __future__ import annotations

import dataclasses
import io
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ...assemble import FactView, FieldChange, SourceView
from ...kinds import KINDS, Row
from .body import Body
from .figures import figure_png, shown_width_cm
from .ooxml import field_char, field_instruction, set_child
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
                field_char(paragraph, "begin")
                field_instruction(paragraph, r'TOC \o "1-2" \h \z \u')
                field_char(paragraph, "separate")
            if bookmark:
                self.link(paragraph, title, anchor=bookmark)
            else:
                paragraph.add_run(title)
            if index == len(entries) - 1:
                field_char(paragraph, "end")

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
            self.portion_mark(paragraph, judgment.marking)
            HtmlWriter(self, self.body, paragraph).feed_all(str(judgment.text))
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
            if fact.likelihood is not None:
                words = f"{fact.likelihood.capitalize()} ({fact.band})"
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
            shape = picture.add_run().add_picture(io.BytesIO(png), width=Cm(shown_width_cm(png)))
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
        heading = self.para(style="Heading 2")
        self.portion_mark(heading, fact.marking)
        self._bookmark(heading, self.bookmarks[fact.anchor], heading.add_run(fact.title))
        self.para(" · ".join(_badges(fact)), "Fact Details")
        if fact.actors:
            actors = f"Actors: {', '.join(fact.actors)}"
            self.para(actors, "Fact Details")
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
            self._table(kind.heading, rows)

    def _table(self, caption: str, rows: list[Row]) -> None:
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
            set_child(row._tr.get_or_add_trPr(), "w:cantSplit", None)
            cells = row.cells
            cells[0].width, cells[1].width = widths  # the cells, which Word reads
            cells[0].paragraphs[0].add_run(label).bold = True
            if isinstance(value, list):
                first = True
                for item in value:
                    paragraph = cells[1].paragraphs[0] if first else cells[1].add_paragraph()
                    self.restyle(paragraph, "Table Bullet")
                    paragraph.add_run("•\t")
                    HtmlWriter(self, cells[1], paragraph).feed_all(str(item))
                    first = False
            else:
                cells[1].paragraphs[0].add_run(value)
        # A caption for screen readers and Word's "alt text" of a table.
        properties = table._tbl.tblPr
        set_child(properties, "w:tblCaption", caption)
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

    # -- pieces --------------------------------------------------------------------

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


__all__ = ["Writer"]
