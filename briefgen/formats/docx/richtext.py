"""Rich text in Word: the small HTML richtext.py makes as paragraphs and runs."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from .house import HYPERLINK_STYLE

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

    from .body import Body


class HtmlWriter(HTMLParser):
    """The small HTML richtext.py makes (p, ul, ol, li, em, strong, code, pre, a, br,
    blockquote) as Word paragraphs and runs."""

    def __init__(self, owner: Body, container: Any, paragraph: Paragraph | None = None) -> None:
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


__all__ = ["HtmlWriter"]
