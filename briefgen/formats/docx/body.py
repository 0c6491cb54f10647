"""The body a briefing's Word document is written into: paragraphs in styles,
links and bookmarks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .house import HYPERLINK_STYLE, PORTION_MARK_STYLE

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

    from ...assemble import BriefingView


class Body:
    """Where the writers put the blocks of one briefing's document, and how."""

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

    def portion_mark(self, paragraph: Paragraph, marking: str | None) -> None:
        """The marking `marking`, "(TLP:GREEN) ", as the paragraph's next run; nothing
        while the project uses no markings (None)."""
        if marking is not None:
            paragraph.add_run(f"({marking})")._r.style = self.style_ids[PORTION_MARK_STYLE]
            paragraph.add_run(" ")

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


__all__ = ["Body"]
