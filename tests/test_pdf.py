"""The PDF as its readers open it: qpdf, poppler, pypdf and the tag tree.

The example is built once per session (`built_example`); tests that need other
input build small projects of their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import projects
import pytest
from helpers import REPO, minimal_project, require_tool, run
from projects import write_tree
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from briefgen.assemble import BriefingView
from briefgen.build import validate
from briefgen.edition import make_edition
from briefgen.errors import BuildError
from briefgen.options import BuildOptions
from briefgen.pdf import write_pdf
from briefgen.projection import project_briefing

MAIN = "ru-kp-exchange"
EXTRACT = "ru-kp-air-defence"
SHIPPED_FONTS = {
    "Noto-Sans",
    "Noto-Sans-Bold",
    "Noto-Serif",
    "Noto-Serif-Bold",
    "Noto-Serif-Italic",
    "Noto-Serif-BoldItalic",
    "Noto-Sans-Symbols",
    "Noto-Sans-Symbols-Bold",
    "Noto-Serif-CJK-KR",  # the Korean source title and quote (fonts-noto-cjk)
}


def pdf_of(project: Path, briefing_id: str = MAIN) -> Path:
    return project / "output" / f"{briefing_id}.pdf"


def view_of(project: Path, briefing_id: str = MAIN) -> BriefingView:
    loaded, _ = validate(project)
    return make_edition(loaded, briefing_id).view


def tool_output(*args: str | Path) -> str:
    name = str(args[0])
    require_tool(name, "qpdf" if name == "qpdf" else "poppler-utils")
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{name} failed: {done.stderr}"
    return done.stdout


def page_texts(pdf: Path) -> list[str]:
    """Each page's text in reading order, whitespace folded to single spaces."""
    text = tool_output("pdftotext", "-enc", "UTF-8", pdf, "-")
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[object], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                page = reader.get_destination_page_number(item) + 1  # type: ignore[arg-type]
                found.append((level, item.title, page))  # type: ignore[attr-defined]

    walk(reader.outline, 1)
    return found


def struct_elements(reader: PdfReader) -> Iterator[tuple[str, DictionaryObject, set[int]]]:
    """Every element of the tag tree: its type, itself and the pages its content is on."""
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}

    def pages_of(element: DictionaryObject) -> set[int]:
        found = set()
        page = element.raw_get("/Pg") if "/Pg" in element else None
        if isinstance(page, IndirectObject):
            found.add(pages[page.idnum])
        for kid in kids(element):
            found |= pages_of(kid)
        return found

    def walk(element: DictionaryObject) -> Iterator[tuple[str, DictionaryObject, set[int]]]:
        yield str(element["/S"]), element, pages_of(element)
        for kid in kids(element):
            yield from walk(kid)

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    for top in kids(root):
        yield from walk(top)


def kids(element: DictionaryObject) -> list[DictionaryObject]:
    value = element.get("/K", [])
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        resolved = item.get_object() if isinstance(item, IndirectObject) else item
        if isinstance(resolved, DictionaryObject) and "/S" in resolved:
            found.append(resolved)
    return found


# -- structure and fonts ------------------------------------------------------------------


def test_qpdf_finds_no_structural_errors(built_example: Path) -> None:
    for briefing_id in (MAIN, EXTRACT):
        output = tool_output("qpdf", "--check", pdf_of(built_example, briefing_id))
        assert "No syntax or stream encoding errors found" in output


def test_weasyprint_understands_every_rule_of_the_theme(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="weasyprint")
    assert run("build", "--project", minimal_project(tmp_path)).exit_code == 0
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_every_font_is_embedded_and_one_the_theme_ships(built_example: Path) -> None:
    listing = tool_output("pdffonts", pdf_of(built_example)).splitlines()[2:]
    assert listing, "pdffonts listed no fonts"
    for row in listing:
        name, *_, emb, _sub, _uni, _obj, _gen = row.split()
        assert emb == "yes", f"font not embedded: {row}"
        assert name.split("+", 1)[1] in SHIPPED_FONTS, f"a system font was used: {row}"
    # The example quotes KCNA in Korean: its title and quote print in the theme's CJK face.
    assert any("+Noto-Serif-CJK-KR " in row for row in listing), listing


# -- metadata -----------------------------------------------------------------------------


def test_metadata_comes_from_the_briefing(built_example: Path) -> None:
    info = dict(
        line.split(":", 1) for line in tool_output("pdfinfo", pdf_of(built_example)).splitlines()
    )
    info = {key: value.strip() for key, value in info.items()}
    assert info["Title"] == (
        "Military Exchange: Russia Sends Aid to North Korea in Exchange for Troops in Ukraine"
    )
    assert info["Author"] == "Northeast Asia desk"
    assert info["Subject"] == "Situation as reported in November 2024"
    assert info["Keywords"] == ", ".join(view_of(built_example).tags)
    assert "air-defence" in info["Keywords"]
    assert info["Creator"].startswith("briefgen ")
    # The edition date, never the clock: the same inputs give the same file.
    assert info["CreationDate"] == "Mon Nov 25 00:00:00 2024 UTC"
    assert info["ModDate"] == "Mon Nov 25 00:00:00 2024 UTC"
    assert info["Tagged"] == "yes"

    reader = PdfReader(pdf_of(built_example))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata is not None
    assert reader.metadata.creation_date == dt.datetime(2024, 11, 25)
    assert reader.metadata.modification_date == dt.datetime(2024, 11, 25)


def test_subject_falls_back_to_the_summary(tmp_path: Path) -> None:
    config = """\
sections:
  - id: aid-flows
    title: Aid flows
briefings:
  - id: brief
    title: A briefing
    edition: 2024-11
    summary: Russia **sends** aid.
"""
    project = minimal_project(tmp_path, **{"briefgen.yaml": config})
    assert run("build", "--project", project).exit_code == 0
    reader = PdfReader(project / "output/brief.pdf")
    assert reader.metadata is not None
    assert reader.metadata.subject == "Russia sends aid."
    # A partial edition date counts as its first day.
    assert reader.metadata.creation_date == dt.datetime(2024, 11, 1)


def test_default_variant_is_tagged_pdf_ua_1(built_example: Path) -> None:
    reader = PdfReader(pdf_of(built_example))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert "pdfaid" not in xmp


def test_pdf_a_3b_is_an_option(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    result = run("build", "--project", project, "--pdf-variant", "pdf/a-3b")
    assert result.exit_code == 0, result.output
    pdf = project / "output/brief.pdf"
    assert "No syntax or stream encoding errors found" in tool_output("qpdf", "--check", pdf)
    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    # PDF/A-3 names every attachment in /AF and says how it relates to the document.
    specs = [ref.get_object() for ref in root["/AF"]]
    assert {str(spec["/UF"]) for spec in specs} == {"briefgen.yaml", "facts/main.yaml"}
    assert {str(spec["/AFRelationship"]) for spec in specs} == {"/Source"}
    assert "/StructTreeRoot" in root  # still tagged for screen readers


def test_an_unknown_variant_is_refused(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    result = run("build", "--project", project, "--pdf-variant", "pdf/x-4")
    assert result.exit_code == 2
    assert "Invalid value for '--pdf-variant': 'pdf/x-4' is not one of" in result.output
    assert not (project / "output").exists()
    with pytest.raises(ValueError, match="unknown PDF variant 'pdf/x-4'"):
        BuildOptions(pdf_variant="pdf/x-4")


# -- navigation: outline, contents, links -------------------------------------------------


def test_bookmarks_nest_facts_under_their_sections(built_example: Path) -> None:
    view = view_of(built_example)
    shown = {section.id for section in view.sections}

    def figures(section: str | None) -> list[tuple[int, str]]:
        return [
            (2, f"Figure {figure.number}. {figure.title}")
            for figure in view.figures
            if (figure.section if figure.section in shown else None) == section
        ]

    # The bottom line first; a figure after its section's first fact, or else after
    # the summary.
    expected: list[tuple[int, str]] = [(1, "Key judgments"), (1, "Summary"), *figures(None)]
    for section in view.sections:
        expected.append((1, section.title))
        facts = [(2, fact.title) for fact in section.facts]
        expected += [*facts[:1], *figures(section.id), *facts[1:]]
    expected += [(1, "Sources"), (1, "About the scales")]

    marks = outline(PdfReader(pdf_of(built_example)))
    assert [(level, title) for level, title, _ in marks] == expected
    assert sum(level == 2 for level, _, _ in marks) == view.fact_count + 3 == 15 + 3
    texts = page_texts(pdf_of(built_example))
    for _, title, page in marks:
        assert title in texts[page - 1], f"bookmark {title!r} points to page {page}"


def test_page_1_is_the_bottom_line_and_the_bookmarks_navigate(built_example: Path) -> None:
    pdf = pdf_of(built_example)
    first_page = tool_output("pdftotext", "-layout", "-f", "1", "-l", "1", pdf, "-")
    # No contents list takes page 1 from the judgments (issue 22): no dotted leaders.
    assert not re.search(r"(?:\.\s*){3,}\d+\s*$", first_page, re.MULTILINE)
    assert "Contents" not in first_page and "Key judgments" in first_page
    sections = {title: page for level, title, page in outline(PdfReader(pdf)) if level == 1}
    view = view_of(built_example)
    assert {section.title for section in view.sections} <= set(sections)
    assert len(set(sections.values())) > 3  # the sections really are on different pages


def test_key_judgments_point_to_the_page_of_their_facts(built_example: Path) -> None:
    marks = {title: page for level, title, page in outline(PdfReader(pdf_of(built_example)))}
    opening = " ".join(" ".join(page_texts(pdf_of(built_example))[:2]).split())
    judgments = view_of(built_example).judgments
    assert len(judgments) == 3
    for judgment in judgments:
        # On paper a judgment's basis is the pages of its facts, in the order it names them.
        pages = "; ".join(f"p. {marks[fact.title]}" for fact in judgment.based_on)
        assert f"Based on: {pages}" in opening


def test_internal_links_reach_facts_and_sources(built_example: Path) -> None:
    reader = PdfReader(pdf_of(built_example))
    names = reader.trailer["/Root"]["/Names"]["/Dests"].get_object()["/Names"][::2]
    targets = {
        str(annot.get_object().get("/Dest"))
        for page in reader.pages
        for annot in page.get("/Annots", [])
    }
    view = view_of(built_example)
    for source in view.sources:
        assert source.anchor in targets, f"no link to {source.anchor}"
    for fact in (ref for judgment in view.judgments for ref in judgment.based_on):
        assert fact.anchor in targets, f"no link to {fact.anchor}"
    assert targets - {"None"} <= set(names), "a link goes to a destination that does not exist"


def test_external_links_are_uri_annotations(tmp_path: Path) -> None:
    sheet = """\
section: aid-flows
sources:
  - id: src
    title: A source
    url: https://example.org/report?id=7
    reliability: B
    type: media
facts:
  - id: fact-one
    title: A fact
    text: See [the report](https://example.org/report).
    date: 2024-11
    confidence: moderate
    sources:
      - source: src
        credibility: 2
"""
    project = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    assert run("build", "--project", project).exit_code == 0
    reader = PdfReader(project / "output/brief.pdf")
    uris = {
        str(annot.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if "/A" in annot.get_object()
    }
    assert uris == {"https://example.org/report?id=7", "https://example.org/report"}


# -- pages: head, foot, breaks ------------------------------------------------------------


def test_every_page_has_classification_page_number_and_digest(built_example: Path) -> None:
    view = view_of(built_example)
    texts = page_texts(pdf_of(built_example))
    digest = re.search(r"Inputs (\w{12})", texts[0])
    assert digest is not None
    assert len(texts) >= 5
    for number, text in enumerate(texts, 1):
        assert text.startswith("UNCLASSIFIED"), f"page {number} does not start with it"
        assert text.endswith("UNCLASSIFIED"), f"page {number} does not end with it"
        assert f"Page {number} of {len(texts)}" in text
        assert f"Inputs {digest[1]}" in text
        if number > 1:  # the title page shows the title in full instead
            # Read from the top margin (27 mm, about 77 pt) by position: pdftotext's
            # reading order may put a source number at a page's top-left into the head.
            head = " ".join(w[0] for w in words_on(pdf_of(built_example), number) if w[4] < 77)
            # The title as far as it fits the 80-character column at 8.5 pt, cut at a word.
            shown, cut = head.removeprefix("UNCLASSIFIED ").split("…")
            assert view.title.startswith(shown) and len(shown) > 40
            assert cut == f" {view.edition}"


def words_on(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, x-min, y-min, x-max, y-max) of each word of one page, y from the top."""
    html = tool_output("pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [
        (word, float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, word in re.findall(pattern, html)
    ]


@pytest.mark.slow
def test_a_long_title_is_cut_short_in_the_running_head_not_overlapped(tmp_path: Path) -> None:
    title = "A very long briefing title " + " ".join(f"word{n}" for n in range(40))
    facts = "".join(
        f"""
  - id: fact-{n}
    title: Fact number {n}
    text: {"Something happened and it matters. " * 30}
    date: 2024-11
    confidence: low
    sources:
      - source: src
        credibility: 3
"""
        for n in range(12)
    )
    config = f"""\
sections:
  - id: aid-flows
    title: Aid flows
briefings:
  - id: brief
    title: {title}
    edition: 2024-11-25
    classification: SECRET//REL TO USA, GBR
"""
    sheet = "section: aid-flows\nsources:\n  - id: src\n    title: S\n    reliability: C\n"
    sheet += "    type: media\nfacts:" + facts
    project = write_tree(tmp_path, {"briefgen.yaml": config, "facts/main.yaml": sheet})
    assert run("build", "--project", project).exit_code == 0
    pdf = project / "output/brief.pdf"

    words = words_on(pdf, 2)
    banner = [w for w in words if w[0] in ("SECRET//REL", "TO", "USA,", "GBR") and w[2] < 80]
    head = [w for w in words if w[0].startswith(("A", "very", "long", "briefing", "title", "word"))]
    # The top margin is 27 mm, 76.5 pt, where the body's first line (say a heading "Aid
    # flows", a word the filter above lets through) may begin.
    head = [w for w in head if w[2] < 76]
    edition = [w for w in words if w[0] == "November" and w[2] < 76]  # not a caption's
    body = [w for w in words if w[2] > 80 and w[4] < 842 - 68]
    assert banner and head and edition and body
    assert len({round(w[2]) for w in head}) == 1, "the running title wraps"
    assert head[-1][0].endswith("…"), "the running title is not cut short"
    assert max(w[4] for w in banner) < min(w[2] for w in head), "banner and title overlap"
    assert max(w[3] for w in head) < min(w[1] for w in edition), "title runs into the edition"
    assert max(w[4] for w in head + edition) < min(w[2] for w in body)


def test_facts_shorter_than_a_quarter_page_are_never_split(built_example: Path) -> None:
    for briefing_id in (MAIN, EXTRACT):
        reader = PdfReader(pdf_of(built_example, briefing_id))
        # A fact broken over pages is tagged as one article per page; only its first
        # piece holds its heading.
        pieces = [
            (any(tag == "/H3" for tag, _, _ in walk_from(element)), pages)
            for tag, element, pages in struct_elements(reader)
            if tag == "/Art"
        ]
        view = view_of(built_example, briefing_id)
        starts = [index for index, (headed, _) in enumerate(pieces) if headed]
        assert len(starts) == view.fact_count
        ends = [*starts[1:], len(pieces)]
        for fact, start, end in zip(view.facts, starts, ends, strict=True):
            pages = set().union(*(p for _, p in pieces[start:end]))
            # A long fact may break rather than leave a page half empty (test_pages.py).
            assert fact.long or len(pages) == 1, f"{fact.id} is split over pages {pages}"
        assert any(fact.long for fact in view.facts)  # the example has both kinds


def walk_from(element: DictionaryObject) -> Iterator[tuple[str, DictionaryObject, set[int]]]:
    """The elements under `element`, itself first."""
    yield str(element["/S"]), element, set()
    for kid in kids(element):
        yield from walk_from(kid)


def test_section_headings_stay_with_their_first_fact(built_example: Path) -> None:
    for briefing_id in (MAIN, EXTRACT):
        marks = outline(PdfReader(pdf_of(built_example, briefing_id)))
        pairs = [
            (heading, first)
            for heading, first in itertools.pairwise(marks)
            if heading[0] == 1 and first[0] == 2
        ]
        view = view_of(built_example, briefing_id)
        # A section's heading stays with what opens it: its first figure or fact.
        titles = {s.title for s in view.sections}
        pairs = [pair for pair in pairs if pair[0][1] in titles]
        headed = [
            s for s in view.sections if s.facts or any(f.section == s.id for f in view.figures)
        ]
        assert len(pairs) == len(headed)
        for (_, section, page), (_, fact, fact_page) in pairs:
            assert fact_page == page, f"{section!r} is on page {page}, {fact!r} on {fact_page}"


@pytest.mark.slow
def test_long_paragraphs_leave_no_widows_or_orphans(tmp_path: Path) -> None:
    # Many paragraphs of six to eight lines, each of its own words: page breaks fall
    # inside some, and only a three-and-three split (or better) is allowed.
    paragraphs = [" ".join(f"p{n}w{i}" for i in range(80 + 15 * (n % 3))) for n in range(40)]
    text = "\n\n      ".join(paragraphs)
    sheet = f"""\
section: aid-flows
sources:
  - id: src
    title: S
    reliability: C
    type: media
facts:
  - id: long
    title: A long fact
    text: |
      {text}
    date: 2024-11
    confidence: low
    sources:
      - source: src
        credibility: 3
"""
    project = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    assert run("build", "--project", project).exit_code == 0
    pdf = project / "output/brief.pdf"
    pages = len(page_texts(pdf))
    lines: dict[int, dict[int, set[float]]] = {}  # paragraph -> page -> line positions
    for page in range(1, pages + 1):
        for word, _, y0, _, _ in words_on(pdf, page):
            match = re.fullmatch(r"p(\d+)w\d+.*", word)
            if match:
                lines.setdefault(int(match[1]), {}).setdefault(page, set()).add(round(y0))
    split = {n: by_page for n, by_page in lines.items() if len(by_page) > 1}
    assert split, "no paragraph broke across pages; the test text is too short"
    for n, by_page in split.items():
        counts = [len(ys) for _, ys in sorted(by_page.items())]
        assert min(counts) >= 3, f"paragraph {n} leaves {counts} lines on its pages"


def test_text_reads_in_order(built_example: Path) -> None:
    text = " ".join(page_texts(pdf_of(built_example)))
    view = view_of(built_example)
    expected = [view.title, "Situation as reported in November 2024", "Key judgments"]
    expected += [judgment.text_plain[:40] for judgment in view.judgments]
    expected += ["Summary", "South Korea's national security adviser"]
    for section in view.sections:
        expected.append(section.title)
        expected += [fact.title for fact in section.facts]
    expected += ["Sources", "About the scales", "Made with briefgen"]
    position = 0
    for phrase in expected:
        found = text.find(phrase, position)
        assert found >= 0, f"{phrase!r} is missing or out of order"
        position = found + len(phrase)


# -- attachments, digest, reproducibility -------------------------------------------------


def test_the_inputs_are_attached_under_their_project_paths(built_example: Path) -> None:
    # What is attached is the briefing's projection (projection.py), under the paths
    # of the files it comes from.
    reader = PdfReader(pdf_of(built_example))
    project, _ = validate(built_example)
    projected = {f.path: f.data for f in project_briefing(project, MAIN)}
    assert set(projected) <= {
        "briefgen.yaml",
        *(f"facts/{p.name}" for p in (built_example / "facts").iterdir()),
    }
    assert {name: contents for name, contents in reader.attachments.items()} == {
        name: [data] for name, data in projected.items()
    }
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    for spec in (ref.get_object() for ref in names[1::2]):
        stream = spec["/EF"]["/F"].get_object()
        assert stream["/Subtype"] == "/application#2Fyaml" or "yaml" in stream["/Subtype"]
        assert stream["/Params"]["/CreationDate"] == "D:20241125000000Z"
        assert stream["/Params"]["/ModDate"] == "D:20241125000000Z"
        assert str(spec["/Desc"]).startswith("briefgen ")


def digest_of(project: Path, briefing_id: str = "brief") -> str:
    assert run("build", "--project", project, briefing_id).exit_code == 0
    found = re.search(r"Inputs (\w{12})", page_texts(project / f"output/{briefing_id}.pdf")[0])
    assert found is not None
    html = (project / f"output/{briefing_id}.html").read_text()
    assert f"<code>{found[1]}</code>" in html  # the page shows the same digest
    return found[1]


@pytest.mark.slow
def test_the_digest_changes_with_any_attached_byte(tmp_path: Path) -> None:
    first = digest_of(minimal_project(tmp_path / "a"))
    assert digest_of(minimal_project(tmp_path / "b")) == first  # folder does not matter
    # A comment is the desk's: the projection leaves it out, so nothing changes.
    commented = minimal_project(tmp_path / "c")
    sheet = commented / "facts/main.yaml"
    sheet.write_text("# checked by J.\n" + sheet.read_text())
    assert digest_of(commented) == first
    # A word of a shown fact changes the attachment, and so the digest.
    reworded = minimal_project(tmp_path / "r")
    sheet = reworded / "facts/main.yaml"
    sheet.write_text(sheet.read_text().replace("title: ", "title: Reportedly, ", 1))
    assert digest_of(reworded) != first
    # A sheet the briefing does not draw on is not attached, so not in its digest.
    extra = minimal_project(tmp_path / "d", **{"facts/more.yaml": "actors: []\n"})
    assert digest_of(extra) == first
    assert set(PdfReader(pdf_of(extra, "brief")).attachments) == {
        "briefgen.yaml",
        "facts/main.yaml",
    }
    restyled = '{% include "default:print.css" %}\n.kicker { color: red; }\n'
    themed = minimal_project(tmp_path / "e", **{"templates/print.css": restyled})
    assert digest_of(themed) != first


# Alpha shows fact-a only, but its sheet also holds fact-c, whose source is in
# another sheet, and briefgen.yaml names KP (for beta), declared in a third: alpha's
# PDF carries none of those, only its own projection, and that still rebuilds it.
# Beta's own sheets are not alpha's business.
DRAWS_ON = {
    "briefgen.yaml": projects.config(
        sections=[projects.section("aid-flows", "Aid flows")],
        briefings=[
            projects.briefing("alpha", "Alpha", include={"tags": ["alpha"]}, formats=["pdf"]),
            projects.briefing("beta", "Beta", include={"actors": ["KP"]}, formats=["html"]),
        ],
    ),
    "facts/alpha.yaml": """\
section: aid-flows
facts:
  - {id: fact-a, title: Alpha fact, text: Shown., date: 2024-11, confidence: low,
     tags: [alpha], sources: [{source: src-a, credibility: 2}]}
  - {id: fact-c, title: Other fact, text: Not shown., date: 2024-10, confidence: low,
     tags: [other], sources: [{source: src-c, credibility: 3}]}
""",
    "facts/sources.yaml": "sources:\n  - {id: src-a, title: A, reliability: B, type: media}\n",
    "facts/more-sources.yaml": "sources:\n  - {id: src-c, title: C, reliability: C, type: media}\n",
    "facts/kp.yaml": "actors:\n  - {id: KP, name: North Korea}\n",
    "facts/beta.yaml": """\
section: aid-flows
facts:
  - {id: fact-b, title: Beta fact, text: Beta., date: 2024-11, confidence: low,
     actors: [KP], sources: [{source: src-b, credibility: 2}]}
""",
    "facts/beta-sources.yaml": "sources:\n  - {id: src-b, title: B, reliability: B, type: media}\n",
}


@pytest.mark.slow
def test_a_pdf_carries_the_sheets_its_briefing_draws_on(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "desk", DRAWS_ON)
    assert run("build", "--project", project).exit_code == 0
    attached = PdfReader(pdf_of(project, "alpha")).attachments
    assert sorted(attached) == ["briefgen.yaml", "facts/alpha.yaml", "facts/sources.yaml"]
    carried = b"".join(data for (data,) in attached.values())
    for other in (b"fact-c", b"Not shown", b"src-c", b"beta", b"KP"):
        assert other not in carried
    # What it carries is enough to build the same file again, byte for byte.
    restored = tmp_path / "restored"
    for name, (data,) in attached.items():
        write_tree(restored, {name: data})
    assert run("build", "--project", restored, "alpha").exit_code == 0
    assert pdf_of(restored, "alpha").read_bytes() == pdf_of(project, "alpha").read_bytes()


@pytest.mark.slow
def test_same_inputs_give_byte_identical_files(built_example: Path, tmp_path: Path) -> None:
    # Another folder, another process, another hash seed: still the same bytes. The
    # project there is the one a recipient restores from the PDF's attachments.
    for seed, briefing_id in (("1", MAIN), ("2", EXTRACT)):
        other = tmp_path / "somewhere" / briefing_id
        for name, (data,) in PdfReader(pdf_of(built_example, briefing_id)).attachments.items():
            write_tree(other, {name: data})
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        command = [sys.executable, "-m", "briefgen", "build", "--project", str(other)]
        done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, check=False)
        assert done.returncode == 0, done.stderr
        for suffix in ("pdf", "html"):
            name = f"output/{briefing_id}.{suffix}"
            ours, theirs = (other / name).read_bytes(), (built_example / name).read_bytes()
            assert hashlib.sha256(ours).digest() == hashlib.sha256(theirs).digest(), name
    pdf = pdf_of(other, EXTRACT).read_bytes()
    assert b"D:20241125" in pdf


@pytest.mark.slow
def test_the_file_identifier_names_inputs_and_variant(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    ids = []
    for variant in ("pdf/ua-1", "pdf/a-3b"):
        assert run("build", "--project", project, "--pdf-variant", variant).exit_code == 0
        reader = PdfReader(project / "output/brief.pdf")
        ids.append(bytes(reader.trailer["/ID"][0].original_bytes))
    assert ids[0] != ids[1]
    assert all(len(i) == 32 for i in ids)


def test_the_pdf_fetcher_refuses_anything_outside_the_theme(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (tmp_path / "secret.css").write_text("body { color: red; }")
    html = '<link rel="stylesheet" href="../secret.css"><p>hi</p>'
    with pytest.raises(BuildError, match="outside the theme"):
        write_pdf(html, base_dir=theme, allowed=[theme], identifier=b"x", date=dt.date(2024, 1, 1))


def test_the_cycle_collector_rests_while_weasyprint_lays_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paused for the layout (faster, BENCHMARKS.md), running again after it, and the
    bytes are those of a layout with the collector running throughout."""
    import gc

    import weasyprint

    html = "<h1>Title</h1>" + "<p>A paragraph of <em>text</em>.</p>" * 200
    arguments = {"base_dir": tmp_path, "allowed": [tmp_path], "identifier": b"x"}
    seen: list[bool] = []
    real = weasyprint.HTML.write_pdf

    def watched(self: weasyprint.HTML, *args: object, **kwargs: object) -> bytes:
        seen.append(gc.isenabled())
        return bytes(real(self, *args, **kwargs))

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", watched)
    paused = write_pdf(html, **arguments, date=dt.date(2024, 1, 1))
    assert seen == [False]
    assert gc.isenabled()

    monkeypatch.setattr("briefgen.load.gc.disable", lambda: None)  # the collector runs on
    running = write_pdf(html, **arguments, date=dt.date(2024, 1, 1))
    assert seen == [False, True]
    assert running == paused
