"""Markings in Word (FORMAT 1.2): each fact's title, judgment and source starts with its
portion mark as a small bold run, the banner heads and foots every page, and the
document is in the briefing's language. Read from the docx's XML through python-docx."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from exports import view_of
from helpers import edit, write_tree
from marked_project import FILES, shown_at

from briefgen.formats.docx import docx_bytes


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = dict(FILES)
    # brief-green in German, with a source whose title is in French.
    files["briefgen.yaml"] = edit(
        files["briefgen.yaml"], "release: TLP:GREEN\n", "release: TLP:GREEN\n    lang: de\n"
    )
    files["facts/main.yaml"] = edit(
        files["facts/main.yaml"],
        "    marking: TLP:CLEAR\n  - id: src-green",
        "    marking: TLP:CLEAR\n    lang: fr\n  - id: src-green",
    )
    return write_tree(tmp_path_factory.mktemp("marked"), files)


_made: dict[tuple[Path, str], bytes] = {}


def _document(root: Path, briefing: str) -> Document:
    """The briefing's document, made once per module (each test reads it afresh)."""
    if (root, briefing) not in _made:
        _made[root, briefing] = docx_bytes(view_of(root, briefing))
    return docx.Document(io.BytesIO(_made[root, briefing]))


def _mark(paragraph: Paragraph) -> str | None:
    """The paragraph's portion mark: the first run in the Portion Mark style."""
    for run in paragraph.runs:
        if run.style is not None and run.style.name == "Portion Mark":
            return run.text
    return None


def _styled(document: Document, style: str) -> list[Paragraph]:
    return [p for p in document.paragraphs if p.style is not None and p.style.name == style]


def test_each_fact_judgment_and_source_carries_its_portion_mark(marked: Path) -> None:
    document = _document(marked, "brief-amber")
    titles = {p.text.split(") ", 1)[1]: _mark(p) for p in _styled(document, "Heading 2")}
    facts = {i.id: i for i in shown_at("TLP:AMBER") if i.kind == "fact"}
    assert len(titles) == len(facts) == 4  # clear, green, amber, and fact-under
    assert titles["Clearwickite shipments reach the port"] == "(TLP:CLEAR)"
    assert titles["Greenhollowite shipments reach the port"] == "(TLP:GREEN)"
    assert titles["Amberquayite shipments reach the port"] == "(TLP:AMBER)"
    # Marked clear by its analyst, yet it rests on an amber source: handled as amber.
    assert titles["Underlabelled Amberquayne transfer"] == "(TLP:AMBER)"
    numbered = _styled(document, "Numbered Item")
    (judgment,) = [p for p in numbered if "exchange will likely go on" in p.text]
    assert _mark(judgment) == "(TLP:CLEAR)"  # written for release below its evidence
    sources = {p.text.split("\t", 1)[1].split(" ", 1)[1]: _mark(p) for p in numbered[1:]}
    assert [mark for title, mark in sorted(sources.items())] == [
        "(TLP:AMBER)",
        "(TLP:CLEAR)",
        "(TLP:GREEN)",
    ]
    mark_style = document.styles["Portion Mark"]
    assert mark_style.font.bold and mark_style.font.size.pt == 8


def test_the_banner_heads_and_foots_every_page(marked: Path) -> None:
    for briefing, banner in (("brief-clear", "TLP:CLEAR"), ("brief-amber", "TLP:AMBER")):
        (section,) = _document(marked, briefing).sections
        assert section.header.paragraphs[0].text == banner
        assert section.footer.paragraphs[0].text == banner
        assert section.header.paragraphs[0].runs[0].bold


def test_the_document_is_in_the_briefings_language(marked: Path) -> None:
    document = _document(marked, "brief-green")
    assert document.core_properties.language == "de"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    (lang,) = defaults.iter(qn("w:lang"))
    assert lang.get(qn("w:val")) == "de"
    (source,) = [p for p in _styled(document, "Numbered Item") if "Clearwick" in p.text]
    (title,) = [run for run in source.runs if run.text == "Clearwick dispatch on the exchange"]
    title_lang = title._r.rPr.find(qn("w:lang"))
    assert title_lang is not None and title_lang.get(qn("w:val")) == "fr"
    # English, as briefgen's own words are written, when the briefing names none.
    assert _document(marked, "brief-clear").core_properties.language == "en-GB"
