"""Raw WordprocessingML where python-docx has no API: text XML can hold, fields,
child elements, qualified names."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

# Characters XML 1.0 cannot hold, which YAML's escapes ("\a", "\x01") can write in a
# fact: each becomes U+FFFD, the replacement character, so the reader sees where.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: Any, done: dict[int, Any]) -> Any:
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
            items.extend(xml_safe(item, done) for item in value)
            return items
        if isinstance(value, tuple):
            result: Any = tuple(xml_safe(item, done) for item in value)
        elif isinstance(value, dict):
            result = {xml_safe(k, done): xml_safe(v, done) for k, v in value.items()}
        else:
            changes = {f.name: xml_safe(getattr(value, f.name), done) for f in _init_fields(value)}
            result = dataclasses.replace(value, **changes)  # type: ignore[type-var]
        done[id(value)] = result
        return result
    return value


def _init_fields(value: Any) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(value) if f.init]


def field_char(paragraph: Paragraph, kind: str) -> None:
    """A run marking a field's `kind` of boundary: begin, separate or end."""
    from docx.oxml import OxmlElement

    char = OxmlElement("w:fldChar")
    char.set(qname("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def field_instruction(paragraph: Paragraph, text: str) -> None:
    """A run holding a field's instruction (`PAGE`, `TOC ...`)."""
    from docx.oxml import OxmlElement

    instruction = OxmlElement("w:instrText")
    instruction.set(qname("xml:space"), "preserve")
    instruction.text = f" {text} "
    paragraph.add_run()._r.append(instruction)


def page_ref(paragraph: Paragraph, bookmark: str) -> None:
    """The number of the page `bookmark` is on, as a PAGEREF field: Word and
    LibreOffice work it out as they lay the pages out."""
    field_char(paragraph, "begin")
    field_instruction(paragraph, f"PAGEREF {bookmark} \\h")
    field_char(paragraph, "separate")
    field_char(paragraph, "end")


def set_child(parent: Any, tag: str, value: str | None) -> Any:
    """`parent`'s child `tag` (made if missing), with w:val set to `value` if given."""
    from docx.oxml import OxmlElement

    child = parent.find(qname(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    if value is not None:
        child.set(qname("w:val"), value)
    return child


def insert_in_order(parent: Any, tag: str, order: tuple[str, ...]) -> Any:
    """`parent`'s child `tag`, made if missing and put where the schema's `order` of
    its children wants it (Word refuses a file whose properties are out of order)."""
    from docx.oxml import OxmlElement

    child = parent.find(qname(tag))
    if child is not None:
        return child
    child = OxmlElement(tag)
    later = {qname(name) for name in order[order.index(tag) + 1 :]}
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


def qname(tag: str) -> str:
    """`w:tag` as lxml names it, with the namespace's URI."""
    from docx.oxml.ns import qn

    return str(qn(tag))


__all__ = [
    "field_char",
    "field_instruction",
    "insert_in_order",
    "page_ref",
    "qname",
    "set_child",
    "xml_safe",
]
