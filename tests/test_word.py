"""The docx format: a Word document that Word's own structure and LibreOffice read."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from exports import export_project, judged_project, view_of
from helpers import MINIMAL_CONFIG, edit, minimal_project, require_tool
from markupsafe import Markup
from pypdf import PdfReader

from briefgen.assemble import BriefingView, FactChangeView
from briefgen.figures import Figure
from briefgen.formats.docx import docx_bytes
from briefgen.formats.docx.figures import figure_png, shown_width_cm

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80" viewBox="0 0 200 80">'
    '<rect x="10" y="10" width="80" height="40" fill="#2a5d8f"/>'
    '<text x="100" y="40" font-family="Noto Sans" font-size="14">Russia → KP</text></svg>'
)
CLASSIFICATION = "SECRET//REL TO TEST"
# The Heading 1 paragraphs, in order: the bottom line first (issue 22).
PARTS = [
    "Key judgments",
    "Summary",
    "Figures",
    "Flows",
    "Agreements",
    "Risks",
    "Sources",
    "About the scales",
]


def _view(root: Path) -> BriefingView:
    view = view_of(export_project(root), "exports")
    figure = Figure("flows", "Flows between actors", SVG, "Russia sends missiles to North Korea.")
    return dataclasses.replace(view, figures=[figure])


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return docx_bytes(_view(tmp_path_factory.mktemp("word") / "p"))


@pytest.fixture(scope="module")
def document(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def libreoffice_pdf(document: Path, folder: Path) -> Path:
    """`document` converted to PDF in `folder` (made for it) by LibreOffice, headless, as
    a desk's office suite would open it; the PDF's path."""
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    folder.mkdir()
    profile = (folder / "profile").as_uri()  # a private profile: no shared state, no locks
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    result = subprocess.run(
        [*command, "--outdir", str(folder), str(document)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = folder / f"{document.stem}.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stdout + result.stderr
    return pdf


def _styled(document: Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def test_parts_and_facts_are_word_headings(document: Document) -> None:
    assert _styled(document, "Title") == ["Exports & <Imports>: a test briefing"]
    assert _styled(document, "Subtitle") == ["For the formats' tests"]
    assert _styled(document, "Heading 1") == PARTS
    assert _styled(document, "Heading 2") == [
        "Russia sends missiles to North Korea",
        "A three-party treaty",
        "Escalation",
    ]
    # The contents: the parts only, each with its page as a PAGEREF field.
    assert _styled(document, "TOC 1") == [f"{part}\t" for part in PARTS]
    body = document.element.xml
    assert body.count("PAGEREF _") == len(PARTS)
    assert document.settings.element.xml.count("updateFields") == 1


def test_the_classification_heads_and_foots_every_page(document: Document) -> None:
    (section,) = document.sections
    assert section.header.paragraphs[0].text == CLASSIFICATION
    assert section.footer.paragraphs[0].text == CLASSIFICATION
    assert not section.different_first_page_header_footer
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4


def test_without_markings_nothing_is_portion_marked(document: Document) -> None:
    # The project names no marking: no "(TLP:...)" run, only the classification's banner.
    assert "Portion Mark" not in {run.style.name for p in document.paragraphs for run in p.runs}
    assert "(TLP:" not in "\n".join(p.text for p in document.paragraphs)


def test_facts_show_badges_in_words_and_text_as_text(document: Document) -> None:
    texts = [p.text for p in document.paragraphs]
    assert "November 2024 · High confidence · 2 independent sources" in texts
    assert "January – November 2024 · Low confidence · Single-sourced" in texts
    assert "Actors: Russia, North Korea" in texts
    assert 'Russia has sent missiles. <script>alert("x")</script> stays text.' in texts
    # After a list, the citations stand in a paragraph of their own, as on the page.
    at = texts.index("•\tfirst point, see map")
    assert texts[at + 1 : at + 3] == ["•\tsecond point", "[1 B2] [2 A1]"]
    flow = "Flow: Russia → North Korea: air-defence missiles (weapons); 10,000+ missiles; "
    assert flow + "since August 2023" in texts


def test_citations_link_to_their_numbered_sources(data: bytes, document: Document) -> None:
    body = document.element.xml
    assert re.search(r'<w:hyperlink w:anchor="_source2"[^>]*>.*?\[2 A1\]', body, re.S)
    assert '<w:bookmarkStart w:id="' in body and 'w:name="_source2"' in body
    sources = [p.text for p in document.paragraphs if p.text.startswith("[") and "\t" in p.text]
    assert sources[0] == (
        "[1]\tA web article. Example News; published 20 November 2024; accessed 25 November "
        "2024; reliability B (usually reliable); media. https://example.org/article?id=1&lang=en"
    )
    assert sources[1].startswith("[2]\tAn official statement. Reliability A (completely")
    targets = {r.target_ref for r in document.part.rels.values() if r.is_external}
    assert {
        "https://example.org/article?id=1&lang=en",
        "https://example.org/map",
        "https://example.org/a?x=1&y=2",
    } <= targets


def test_agreements_and_risks_are_tables(document: Document) -> None:
    agreement, risk = (
        [[c.text for c in row.cells] for row in table.rows] for table in document.tables[:2]
    )
    assert agreement == [
        ["Agreement", "Treaty of Three"],
        ["Parties", "Russia, North Korea, Belarus"],
        ["Status", "signed"],
        ["Signed", "19 June 2024"],
        ["Place", "Minsk"],
        ["Terms", "•\tMutual assistance.\n•\tShared exercises."],
    ]
    assert risk == [
        ["Likelihood", "roughly even chance (45–55%)"],
        ["Impact", "severe"],
        ["Indicators", "•\tMore tests."],
    ]


def test_figures_are_images_with_their_text_alternative(document: Document) -> None:
    (shape,) = document.inline_shapes
    properties = shape._inline.docPr
    assert properties.get("descr") == "Russia sends missiles to North Korea."
    assert properties.get("title") == "Flows between actors"
    assert "Figure 1. Flows between actors" in _styled(document, "Caption")
    image = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert image.blob.startswith(b"\x89PNG") and image.blob == figure_png(SVG)
    # As large as the page shows the SVG (200 px = 5.29 cm), not stretched to the width.
    assert round(shape.width.cm, 2) == 5.29
    assert figure_png(SVG) == figure_png(SVG)


def test_document_properties(document: Document) -> None:
    properties = document.core_properties
    assert properties.title == "Exports & <Imports>: a test briefing"
    assert properties.author == "Test desk"
    assert properties.subject == "For the formats' tests"
    assert properties.keywords == "missiles"
    assert properties.language == "en-GB"
    assert properties.identifier == "exports"
    assert str(properties.created) == str(properties.modified) == "2024-11-25 00:00:00+00:00"


def test_rebuilding_gives_the_same_bytes_and_no_clock_date(tmp_path: Path, data: bytes) -> None:
    again = docx_bytes(_view(tmp_path / "p"))
    assert again == data
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert "docProps/thumbnail.jpeg" not in archive.namelist()  # the template's, of another file
    assert {info.date_time for info in archive.infolist()} == {(2024, 11, 25, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert set(re.findall(r"\d{4}-\d\d-\d\dT[\d:]+Z", core)) == {"2024-11-25T00:00:00Z"}


def test_a_briefing_without_optional_parts_still_makes_a_document(tmp_path: Path) -> None:
    # A single dated fact would have a timeline: no figures is one more part left out.
    bare = minimal_project(tmp_path, **{"briefgen.yaml": MINIMAL_CONFIG + "    figures: []\n"})
    document = docx.Document(io.BytesIO(docx_bytes(view_of(bare, "brief"))))
    assert document.sections[0].header.paragraphs[0].text == ""
    assert _styled(document, "Heading 1") == ["Aid flows", "Risks", "Sources", "About the scales"]
    assert len(document.inline_shapes) == 0


@pytest.mark.slow
def test_libreoffice_opens_and_lays_out_the_document(tmp_path: Path, data: bytes) -> None:
    """LibreOffice, headless, turns the .docx into a PDF: every page has the
    classification at its head and foot, the headings are its outline, nothing is lost."""
    (tmp_path / "exports.docx").write_bytes(data)
    pdf = libreoffice_pdf(tmp_path / "exports.docx", tmp_path / "libreoffice")
    reader = PdfReader(pdf)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    for text in pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0] == CLASSIFICATION and CLASSIFICATION in lines[-2:], lines
    everything = " ".join(" ".join(pages).split())
    for expected in ("Exports & <Imports>: a test briefing", "[2 A1]", "Treaty of Three"):
        assert expected in everything
    # LibreOffice read Word's heading styles: they are the PDF's bookmarks, facts nested.
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    nested = [item.title for group in reader.outline if isinstance(group, list) for item in group]
    assert nested == ["Russia sends missiles to North Korea", "A three-party treaty", "Escalation"]
    assert outline == PARTS


@pytest.mark.parametrize(
    ("width", "height", "shown"),
    [(200, 80, 5.29), (2000, 100, 16.0), (100, 2000, 1.0)],
)
def test_a_figure_keeps_its_size_unless_the_page_is_too_small(
    width: int, height: int, shown: float
) -> None:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"/>'
    assert shown_width_cm(figure_png(svg)) == shown  # 2000 px tall: 20 cm


def test_characters_xml_cannot_hold_become_replacement_characters(tmp_path: Path) -> None:
    """YAML's escapes can put a control character in a fact; Word's XML cannot hold one."""
    root = minimal_project(tmp_path)
    sheet = (root / "facts/main.yaml").read_text(encoding="utf-8")
    sheet = edit(sheet, "title: A fact", 'title: "A \\x01 fact"')
    sheet = edit(sheet, "text: Something happened.", 'text: "Bell \\a, tab \\t."')
    (root / "facts/main.yaml").write_text(sheet, encoding="utf-8")
    document = docx.Document(io.BytesIO(docx_bytes(view_of(root, "brief"))))
    texts = [p.text for p in document.paragraphs]
    assert _styled(document, "Heading 2") == ["A \ufffd fact"]
    assert "Bell \ufffd, tab \t. [1 B2]" in texts


def test_written_judgments_scope_and_changes_since_the_last_edition(tmp_path: Path) -> None:
    document = docx.Document(
        io.BytesIO(docx_bytes(view_of(judged_project(tmp_path / "p"), "exports")))
    )
    texts = [p.text for p in document.paragraphs]
    assert "Scope: facts naming Russia." in texts
    assert _styled(document, "Heading 1")[:3] == [
        "Key judgments",
        "Summary",
        "Changes since 25 November 2024",
    ]
    # In the reader's words: the edition, never the record's path.
    assert "Compared with the edition of 25 November 2024." in texts
    assert not [text for text in texts if "editions/" in text]
    at = texts.index("Facts changed (1)")
    assert texts[at + 1 : at + 3] == [
        "•\tRussia sends missiles to North Korea",
        "–\tconfidence high → moderate",
    ]
    at = texts.index("1.\tRussia will likely keep sending missiles.")
    # ICD 203: likelihood and confidence each in a sentence of its own.
    assert texts[at + 1 : at + 4] == [
        "Likely (55–80%)",
        "Moderate confidence",
        "Based on: Russia sends missiles to North Korea",
    ]
    assert "Updated · November 2024 · Moderate confidence · 2 independent sources" in texts
    at = texts.index("Judgments changed (1)")
    assert texts[at + 1 : at + 3] == [
        "•\tJudgment 2: The treaty binds three parties.",
        "–\tconfidence high → moderate",
    ]
    body = document.element.xml
    assert re.search(r'<w:hyperlink w:anchor="_judgment2"[^>]*>.*?Judgment 2<', body, re.S)
    assert 'w:name="_judgment2"' in body


def test_a_judgment_of_several_paragraphs_keeps_their_order(tmp_path: Path) -> None:
    view = view_of(judged_project(tmp_path / "p"), "exports")
    text = Markup("<p>One.</p>\n<ul>\n<li>a point</li>\n</ul>\n<p>Two.</p>")
    judgments = [dataclasses.replace(view.judgments[0], text=text), *view.judgments[1:]]
    view = dataclasses.replace(view, judgments=judgments)
    texts = [p.text for p in docx.Document(io.BytesIO(docx_bytes(view))).paragraphs]
    at = texts.index("1.\tOne.")
    assert texts[at + 1 : at + 4] == ["•\ta point", "Two.", "Likely (55–80%)"]


def test_a_withdrawn_fact_is_struck_through_and_links_nowhere(tmp_path: Path) -> None:
    view = view_of(judged_project(tmp_path / "p"), "exports")
    assert view.changes is not None
    withdrawn = [FactChangeView("gone", None, "A withdrawn fact")]
    view = dataclasses.replace(
        view, changes=dataclasses.replace(view.changes, facts_withdrawn=withdrawn)
    )
    document = docx.Document(io.BytesIO(docx_bytes(view)))
    (paragraph,) = [p for p in document.paragraphs if p.text == "•\tA withdrawn fact"]
    assert [r.font.strike for r in paragraph.runs] == [None, True]
    assert "Facts withdrawn (1)" in [p.text for p in document.paragraphs]


@pytest.mark.parametrize("edition", ["9999-12-31", "2108-01-01", "0001-01-01"])
def test_an_edition_outside_the_zip_years_still_gives_a_document(
    tmp_path: Path, edition: str
) -> None:
    # Found by tests/test_fuzz_pipeline.py: a ZIP entry's date holds 1980 to 2107 only,
    # and an edition of 2963 crashed the build (exit 70).
    from helpers import run

    config = edit(MINIMAL_CONFIG, "edition: 2024-11-25", f"edition: {edition}")
    project = minimal_project(tmp_path, **{"briefgen.yaml": config})
    result = run("build", "--format", "docx", "--project", project)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(project / "output/brief.docx") as archive:
        years = {info.date_time[0] for info in archive.infolist()}
    assert years == {min(max(int(edition[:4]), 1980), 2107)}
