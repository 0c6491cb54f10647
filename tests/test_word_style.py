"""Word in the house style (issue 22): the theme's faces and colours in every style
and nothing of python-docx's template, badges as styled runs, tables on the text
column, figures numbered and sharp (SVG, with a PNG of at least 300 dpi), the page's
apparatus (Cited by, About the scales), and pages LibreOffice lays out whole."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from exports import export_project, view_of
from helpers import copy_example
from test_word import SVG, libreoffice_pdf

from briefgen.figures import Figure
from briefgen.formats.docx import docx_bytes
from briefgen.formats.docx.figures import SVG_EXTENSION
from briefgen.formats.docx.house import RULE, TEXT_WIDTH_CM

EXAMPLE = "ru-kp-exchange"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    view = view_of(export_project(tmp_path_factory.mktemp("style") / "p"), "exports")
    overview = Figure("flows", "Flows between actors", SVG, "Russia sends missiles.")
    risks = Figure(
        "matrix",
        "Two risks by likelihood and impact",
        SVG,
        "The risks.",
        units="Likelihood in ICD 203 bands",
        source="the facts of the section Risks",
        section="risks",
    )
    return docx_bytes(dataclasses.replace(view, figures=[overview, risks]))


@pytest.fixture(scope="module")
def document(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def _fonts(document: Document, style: str) -> dict[str, str]:
    names = document.styles[style].element.rPr.find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in names.attrib.items()}


def test_styles_name_the_theme_faces_and_no_template_font_is_left(
    data: bytes, document: Document
) -> None:
    assert _fonts(document, "Normal")["ascii"] == "Noto Serif"
    for style in ("Title", "Heading 1", "Heading 2", "Caption", "Fact Details", "Table Text"):
        fonts = _fonts(document, style)
        assert (fonts["ascii"], fonts["hAnsi"]) == ("Noto Sans", "Noto Sans"), style
        assert not [key for key in fonts if "heme" in key], style  # Word would prefer those
    assert document.styles["Heading 1"].font.color.rgb == docx.shared.RGBColor(0x1F, 0x3A, 0x5F)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8", "replace")
        for word in ("Calibri", "Cambria", "4F81BD", "365F91", "themeColor", "asciiTheme"):
            assert word.lower() not in text.lower(), (name, word)
    theme = archive.read("word/theme/theme1.xml").decode()
    assert re.search(r'<a:majorFont><a:latin typeface="Noto Sans"/>', theme)
    assert re.search(r'<a:minorFont><a:latin typeface="Noto Serif"/>', theme)
    assert "<w:style " in archive.read("word/styles.xml").decode()
    assert "word/stylesWithEffects.xml" not in archive.namelist()


def test_badges_are_styled_runs(document: Document) -> None:
    """Confidence and corroboration are words; a badge is a styled run, and only what
    needs attention (stale) is in colour."""
    (line,) = [p for p in document.paragraphs if p.text.startswith("November 2024 · High")]
    styled = [(run.text, run.style.name) for run in line.runs if run.text != " · "]
    assert styled == [
        ("November 2024", "Fact Date"),
        ("High confidence", "Default Paragraph Font"),
        ("2 independent sources", "Default Paragraph Font"),
    ]
    assert document.styles["Badge"].element.rPr.find(qn("w:shd")) is not None


def test_a_new_stale_fact_has_two_badges_and_only_stale_in_colour(tmp_path: Path) -> None:
    view = view_of(export_project(tmp_path / "p"), "exports")
    first = view.sections[0].facts[0]
    marked = dataclasses.replace(first, stale=True, reviewed="3 May 2023", change="new")
    section = dataclasses.replace(view.sections[0], facts=[marked, *view.sections[0].facts[1:]])
    view = dataclasses.replace(view, sections=[section, *view.sections[1:]])
    document = docx.Document(io.BytesIO(docx_bytes(view)))
    (line,) = [p for p in document.paragraphs if p.text.startswith("New · ")]
    styled = [(run.text, run.style.name) for run in line.runs if run.text != " · "]
    assert styled[0] == ("New", "Badge")
    assert styled[-1] == ("Stale: last reviewed 3 May 2023", "Alert Badge")
    badges = [text for text, style in styled if "Badge" in style]
    assert len(badges) == 2
    alert = document.styles["Alert Badge"].element.rPr.find(qn("w:shd"))
    plain = document.styles["Badge"].element.rPr.find(qn("w:shd"))
    assert alert.get(qn("w:fill")) != plain.get(qn("w:fill"))


def test_tables_sit_on_the_text_column_with_light_rules(document: Document) -> None:
    text_width = round(TEXT_WIDTH_CM / 2.54 * 1440)
    assert len(document.tables) >= 4  # the agreement, the risk and About the scales'
    for table in document.tables:
        properties = table._tbl.tblPr
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        assert abs(sum(grid) - text_width) <= 2, grid
        assert properties.find(qn("w:tblInd")).get(qn("w:w")) == "0"
        assert properties.find(qn("w:tblCellMar")).find(qn("w:left")).get(qn("w:w")) == "0"
        borders = properties.find(qn("w:tblBorders"))
        assert borders.find(qn("w:insideH")).get(qn("w:color")) == RULE
        for side in ("w:left", "w:right", "w:insideV"):
            assert borders.find(qn(side)).get(qn("w:val")) == "nil"
        for row in table.rows:  # a row never splits across pages
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_figures_are_numbered_svg_with_a_sharp_png(document: Document) -> None:
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "Figure 1. Flows between actors",
        "Figure 2. Two risks by likelihood and impact",
    ]
    notes = [p.text for p in document.paragraphs if p.style.name == "Figure Note"]
    assert notes == ["Likelihood in ICD 203 bands", "Source: the facts of the section Risks"]
    texts = [p.text for p in document.paragraphs]
    # The risk figure is placed in the section it illustrates, before its facts.
    assert texts.index("Risks") < texts.index(captions[1]) < texts.index("Escalation")
    assert texts.index(captions[0]) < texts.index("Flows")
    for shape in document.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        png = document.part.related_parts[blip.embed].blob
        pixels = int.from_bytes(png[16:20], "big")
        assert pixels / (shape.width.inches) >= 300
        (extension,) = blip.iter(qn("a:ext"))
        assert extension.get("uri") == SVG_EXTENSION
        (svg_blip,) = extension
        svg = document.part.related_parts[svg_blip.get(qn("r:embed"))]
        assert svg.content_type == "image/svg+xml" and svg.blob == SVG.encode()


def test_key_judgments_lead_cite_facts_and_sources_say_what_cites_them(
    document: Document,
) -> None:
    texts = [p.text for p in document.paragraphs]
    assert texts.index("Key judgments") < texts.index("Summary") < texts.index("Contents")
    (judgment,) = [p for p in document.paragraphs if p.text.startswith("1.\t")][:1]
    anchors = [link.get(qn("w:anchor")) for link in judgment._p.iter(qn("w:hyperlink"))]
    assert anchors and all(anchor.startswith("_fact") for anchor in anchors)
    cited = [p.text for p in document.paragraphs if p.style.name == "Source Details"]
    assert cited[0] == "Cited by: Russia sends missiles to North Korea; Escalation"
    for words in ("Source reliability", "Information credibility", "Analytic confidence (ICD 203)"):
        assert words in texts
    (colophon,) = [p.text for p in document.paragraphs if p.style.name == "Colophon"]
    assert re.match(r"3 facts from \d+ sources\. Made with briefgen", colophon)


@pytest.mark.slow
def test_libreoffice_keeps_every_risk_row_above_the_footer(tmp_path: Path) -> None:
    """The example's .docx as LibreOffice lays it out: every row of every risk's
    table is on the page, above the footer; the contents give each part's page."""
    import subprocess

    root = copy_example(tmp_path / "example")
    document = tmp_path / f"{EXAMPLE}.docx"
    document.write_bytes(docx_bytes(view_of(root, EXAMPLE)))
    pdf = libreoffice_pdf(document, tmp_path / "libreoffice")
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    risks = 0
    for height, page in re.findall(
        r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', boxes, re.S
    ):
        body_bottom = float(height) - 2.4 / 2.54 * 72  # the bottom margin, 2.4 cm
        words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page)
        footer = min(float(top) for top, _, word in words if word == "Page")
        for top, bottom, word in words:
            if word in ("Likelihood", "Impact", "Indicators") and float(top) > 0:
                risks += word == "Indicators"
                assert float(bottom) <= min(body_bottom, footer), (word, top)
    assert risks == 4  # each of the example's four risks has its indicators on a page
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert re.search(r"About the scales\.{5,}\s*\d+", text)
