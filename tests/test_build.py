"""Building: valid projects of every shape, what the reader sees, and what a failed build leaves.

The example project is built once for this module; its PDFs are read back as
text with pdftotext (poppler-utils).
"""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import (
    HTML_CONFIG,
    MINIMAL_CONFIG,
    MINIMAL_SHEET,
    edit,
    minimal_project,
    problems_in,
    run,
    write_tree,
)

from briefgen.assemble import assemble_briefing
from briefgen.build import build, validate
from briefgen.cache import CACHE_NAME
from briefgen.parsecache import CACHE_DIR as PARSE_CACHE
from briefgen.rules import included_facts

# -- reading outputs back ----------------------------------------------------------------


def flatten(text: str) -> str:
    """Text with line-end hyphenation undone and every run of whitespace one space."""
    text = re.sub("\u2010\\s*\n", "", text)  # WeasyPrint hyphenates with U+2010
    return " ".join(text.split())


def html_text(path: Path) -> str:
    """What a reader of the HTML page sees, flattened: styles dropped, inline tags
    removed and every other tag a space."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", path.read_text(), flags=re.S)
    page = re.sub(r"</?(a|em|strong|span|time|code|q|bdi)\b[^>]*>", "", page)
    return flatten(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF, in reading order."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")[:-1]


@dataclass
class Word:
    text: str
    top: float
    bottom: float


def pdf_words(path: Path) -> list[tuple[float, list[Word]]]:
    """Each page's height and its words with their vertical position, from `pdftotext -bbox`."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = []
    for page in re.finditer(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [
            Word(html.unescape(m[3]), float(m[1]), float(m[2]))
            for m in re.finditer(
                r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>',
                page[2],
            )
        ]
        pages.append((float(page[1]), words))
    return pages


def fact_anchors(path: Path) -> list[str]:
    """The ids of the facts an HTML briefing shows, in page order."""
    return re.findall(r'<article class="fact[^"]*" id="fact-([^"]+)"', path.read_text())


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` and the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- the example, built once -------------------------------------------------------------


@dataclass
class BuiltExample:
    root: Path
    pages: list[str]  # ru-kp-exchange.pdf, page by page
    text: str  # the same, flattened


@pytest.fixture(scope="module")
def example_pdf(built_example: Path) -> BuiltExample:
    """The example as built once per run (conftest), and its main PDF's text."""
    pages = pdf_pages(built_example / "output/ru-kp-exchange.pdf")
    return BuiltExample(built_example, pages, flatten("\n".join(pages)))


def test_the_example_writes_both_briefings_in_both_formats(built_example: Path) -> None:
    output = built_example / "output"
    assert sorted(p.name for p in output.iterdir()) == [
        ".briefgen-cache.json",  # what the next build may skip
        "ru-kp-air-defence.html",
        "ru-kp-air-defence.pdf",
        "ru-kp-exchange.html",
        "ru-kp-exchange.pdf",
    ]
    for path in output.glob("ru-kp-*"):
        assert path.stat().st_size > 1000


def test_the_pdf_title_block(example_pdf: BuiltExample) -> None:
    title_page = flatten(example_pdf.pages[0])
    assert (
        "Military Exchange: Russia Sends Aid to North Korea in Exchange for Troops in Ukraine "
        "Situation as reported in November 2024 Edition 25 November 2024 "
        "Author Northeast Asia desk"
    ) in title_page
    assert "BRIEFING · UNCLASSIFIED" in title_page
    assert "Summary South Korea's national security adviser, Shin Wonsik, says" in title_page


def test_the_classification_is_at_the_top_and_bottom_of_every_page(
    example_pdf: BuiltExample,
) -> None:
    for pdf in ("ru-kp-exchange.pdf", "ru-kp-air-defence.pdf"):
        pages = pdf_words(example_pdf.root / "output" / pdf)
        assert len(pages) >= 2
        for number, (height, words) in enumerate(pages, 1):
            banners = [w for w in words if w.text == "UNCLASSIFIED"]
            assert any(w.bottom < 0.06 * height for w in banners), f"{pdf} page {number} top"
            assert any(w.top > 0.94 * height for w in banners), f"{pdf} page {number} bottom"


SECTIONS = [
    ("Aid flows", "Weapons, technology, money and troops reported to be moving"),
    ("Agreements", "The treaty and the reported arrangements that frame the exchange."),
    ("Risks", "Our estimates of how the exchange will develop"),
    ("Context", "North Korean claims and related events"),
]


def test_the_pdf_shows_the_sections_in_order_with_their_facts(
    example_pdf: BuiltExample,
) -> None:
    text = example_pdf.text
    starts = [text.index(f"{title} {intro}") for title, intro in SECTIONS]
    assert starts == sorted(starts)
    ends = [*starts[1:], text.index("Sources Numbered in order of first use")]
    assert ends[-1] > starts[-1]

    project, _ = validate(example_pdf.root)
    titles = {section.item.title: key for key, section in project.sections.items()}
    for (title, _intro), start, end in zip(SECTIONS, starts, ends, strict=True):
        section_id = titles[title]
        facts = [
            f.item for f in project.facts.values() if project.fact_section[f.item.id] == section_id
        ]
        assert facts, section_id
        for fact in facts:
            where = text.find(fact.title, start)
            assert start < where < end, f"{fact.id} is not in {title}"
    assert len(project.facts) == 15


def test_the_pdf_shows_dates_at_their_precision(example_pdf: BuiltExample) -> None:
    text = example_pdf.text
    assert (
        "Kim Jong-un and Vladimir Putin signed a mutual-assistance treaty in Pyongyang 19 June 2024"
        in text
    )
    assert (
        "shipped more than 13,000 containers of artillery and conventional arms to Russia since "
        "August 2023 August 2023 – November 2024"
    ) in text
    assert (
        "North Korea claimed its first spy satellite reached orbit in November 2023 November 2023"
        in text
    )
    assert "Signed 19 June 2024, Pyongyang" in text


def test_the_pdf_shows_flows_with_their_quantities(example_pdf: BuiltExample) -> None:
    text = example_pdf.text
    assert (
        "Russia → North Korea: air-defence (anti-aircraft) missiles and additional military "
        "technologies"
    ) in text
    assert (
        "North Korea → Russia: troops for Russia's campaign in Ukraine, 10,000+ troops personnel"
    ) in text
    assert (
        "North Korea → Russia: artillery and conventional arms, 13,000+ containers, since "
        "August 2023 ammunition"
    ) in text


def test_the_pdf_shows_agreements_risks_and_admiralty_codes(example_pdf: BuiltExample) -> None:
    text = example_pdf.text
    assert (
        "Agreement Treaty on Comprehensive Strategic Partnership Parties Russia, North Korea"
        in text
    )
    assert "Status signed" in text
    assert "Likelihood unlikely, 20–45% Impact severe" in text
    assert "Likelihood roughly even chance, 45–55% Impact moderate" in text
    # Each citation once in the text with its grade; under the fact only where in the
    # source; the title once, in the Sources list.
    assert "[1 B2]" in text and "[1] article, paragraphs 1-2" in text
    assert "[7 D6]" in text
    assert text.count("Interview with South Korean national security adviser Shin Wonsik") == 1


def test_the_pdf_lists_the_korean_and_russian_treaty_texts_with_translations(
    example_pdf: BuiltExample,
) -> None:
    """The example quotes its sources in the original (format 1.2): each title in its
    own language, its translation after it in brackets, each quote as written."""
    text = example_pdf.text
    assert (
        "조선민주주의인민공화국과 로씨야련방사이의 포괄적인 전략적동반자관계에 관한 조약 "
        "[Treaty on Comprehensive Strategic Partnership between the DPRK and the Russian "
        "Federation], Korean Central News Agency (KCNA)"
    ) in text
    assert (
        "Договор о всеобъемлющем стратегическом партнерстве между Российской Федерацией и "
        "Корейской Народно-Демократической Республикой [Treaty on Comprehensive Strategic "
        "Partnership between the Russian Federation and the DPRK], TASS"
    ) in text
    assert "Article 4: “군사적 및 기타 원조를 제공한다”" in text
    assert "Article 4: “военную и иную помощь”" in text


def test_the_filtered_example_briefing_shows_only_matching_facts(
    example_pdf: BuiltExample,
) -> None:
    shown = fact_anchors(example_pdf.root / "output/ru-kp-air-defence.html")
    assert sorted(shown) == [
        "risk-ru-nuclear-tech-to-kp",
        "risk-ru-withholds-capabilities",
        "ru-air-defence-to-kp",
        "ru-satellite-tech-to-kp",
    ]
    text = flatten("\n".join(pdf_pages(example_pdf.root / "output/ru-kp-air-defence.pdf")))
    assert text.index("Aid flows Weapons") < text.index("Risks Our estimates")
    assert "Agreements The treaty" not in text


# -- a project of every shape ------------------------------------------------------------

SHAPES_CONFIG = """\
sections:
  - id: aid-flows
    title: Aid flows
    intro: Material moving *between* the actors.
  - id: agreements
    title: Agreements
  - id: risks
    title: Risks
briefings:
  - id: everything
    title: Every shape
    edition: 2024-11-25
    formats: [html]
  - id: reordered
    title: Risks first
    subtitle: Only two sections, in this order
    edition: 2024-11
    author: Desk
    classification: SECRET//REL TO TEST
    summary: |
      The **bottom line**.
    sections: [risks, aid-flows]
    include:
      since: 2024
    formats: [html]
    stale_after_days: 30
"""

SHAPES_FILES = {
    "facts/actors.yml": """\
actors:
  - id: RU
    name: Russia
  - id: KP
    name: North Korea
    short: DPRK
  - id: KR
    name: South Korea
  - id: UA
    name: Ukraine
""",
    "facts/sources/all.yaml": """\
sources:
  - id: s1
    title: First source
    publisher: Agency
    url: https://example.org/report?id=1
    published: 2024-11
    accessed: 2024-11-25
    reliability: A
    type: intelligence
    origin: kr-nis
  - id: s2
    title: Second source
    reliability: F
    type: social
""",
    "facts/empty.yaml": "",
    "facts/later/comment-only.yaml": "# facts to come\n",
    "facts/deep/er/aid.yaml": """\
section: aid-flows
facts:
  - id: flow-exact
    title: Two hundred containers
    text: Counted *exactly*, see [the report](https://example.org/r). <b>not bold</b>
    date: 2024-11-25
    confidence: high
    tags: [ammunition]
    sources:
      - source: s1
        credibility: 1
        quote: two hundred
        locator: page 3
    flow:
      from: RU
      to: KP
      what: shells
      category: ammunition
      quantity: 200
      unit: containers
      since: 2023-08
  - id: flow-min
    title: Ten thousand or more troops
    text: |
      - first point
      - second point
    date: 2024-11
    confidence: moderate
    key: true
    actors: [UA]
    tags: [troops]
    reviewed: 2024-11-20
    sources:
      - source: s1
        credibility: 2
      - source: s2
        credibility: 6
    flow:
      from: KP
      to: RU
      what: troops
      category: personnel
      quantity: {min: 10000}
      unit: troops
  - id: flow-range
    title: Between two and two hundred and fifty launchers
    text: Over more than a year.
    date: {from: 2023-08, to: 2024-12}
    confidence: low
    tags: [air-defence]
    sources:
      - source: s2
        credibility: 3
    flow:
      from: RU
      to: KP
      what: launchers
      category: weapons
      quantity: {min: 200, max: 250}
  - id: flow-none
    title: Money of no stated amount
    text: Some money.
    date: 2024
    confidence: low
    tags: [economic]
    sources:
      - source: s2
        credibility: 4
    flow:
      from: KR
      to: UA
      what: money
      category: economic
""",
    "facts/agreements.yaml": """\
section: agreements
facts:
  - id: treaty
    title: A treaty was signed
    text: It was signed.
    date: 2024-06-19
    confidence: high
    tags: [treaty]
    sources:
      - source: s1
        credibility: 2
    agreement:
      name: Treaty on Comprehensive Strategic Partnership
      parties: [RU, KP]
      signed: 2024-06-19
      place: Pyongyang
      status: in-force
      terms:
        - Mutual *military* assistance.
        - Cooperation in science.
""",
}


# FORMAT.md's ICD 203 terms, both columns, with the band each is shown with.
LIKELIHOODS = {
    "almost no chance": "1–5%",
    "remote": "1–5%",
    "very unlikely": "5–20%",
    "highly improbable": "5–20%",
    "unlikely": "20–45%",
    "improbable": "20–45%",
    "roughly even chance": "45–55%",
    "roughly even odds": "45–55%",
    "likely": "55–80%",
    "probable": "55–80%",
    "very likely": "80–95%",
    "highly probable": "80–95%",
    "almost certain": "95–99%",
    "nearly certain": "95–99%",
}


def risk_sheet() -> str:
    """One risk fact for each of the 14 ICD 203 likelihood terms."""
    impacts = ["low", "moderate", "high", "severe"]
    facts = [
        f"""\
  - id: risk-{i:02d}
    title: Risk number {i}
    text: A risk.
    date: 2025-0{1 + i % 9}
    confidence: low
    tags: [outlook]
    sources:
      - source: s2
        credibility: 5
    risk:
      likelihood: {term}
      impact: {impacts[i % 4]}
      indicators:
        - Indicator {i}.
"""
        for i, term in enumerate(LIKELIHOODS)
    ]
    return "section: risks\nfacts:\n" + "".join(facts)


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shapes")
    write_tree(root, {"briefgen.yaml": SHAPES_CONFIG, **SHAPES_FILES})
    write_tree(root, {"facts/risks.yaml": risk_sheet()})
    build(root)
    return root


def test_every_shape_validates(shapes: Path) -> None:
    project, problems = validate(shapes)
    assert [p for p in problems if p.severity == "error"] == []  # warnings are allowed
    assert len(project.facts) == 5 + 14
    assert set(project.actors) == {"RU", "KP", "KR", "UA"}
    assert set(project.sources) == {"s1", "s2"}
    assert sorted(p.name for p in (shapes / "output").iterdir() if p.name != CACHE_NAME) == [
        "everything.html",
        "reordered.html",
    ]


def test_all_fourteen_likelihood_terms_are_shown_with_their_band(shapes: Path) -> None:
    text = html_text(shapes / "output/everything.html")
    assert len(LIKELIHOODS) == 14
    for term, band in LIKELIHOODS.items():
        assert f"Likelihood {term}, {band}" in text


def test_flows_show_quantities_units_and_since(shapes: Path) -> None:
    text = html_text(shapes / "output/everything.html")
    assert "Russia → North Korea: shells, 200 containers, since August 2023 ammunition" in text
    assert "North Korea → Russia: troops, 10,000+ troops personnel" in text
    assert "Russia → North Korea: launchers, 200–250 weapons" in text
    assert "South Korea → Ukraine: money economic" in text


def test_dates_are_shown_at_their_precision(shapes: Path) -> None:
    text = html_text(shapes / "output/everything.html")
    assert "Two hundred containers # 25 November 2024" in text
    assert "Ten thousand or more troops # November 2024" in text
    assert "Between two and two hundred and fifty launchers # August 2023 – December 2024" in text
    assert "Money of no stated amount # 2024" in text
    page = (shapes / "output/everything.html").read_text()
    assert '<time class="date" datetime="2024-11-25">25 November 2024</time>' in page
    assert '<time class="date" datetime="2024">2024</time>' in page
    # HTML's datetime attribute has no ranges (the Nu checker rejects "2023-08/2024-12").
    assert '<span class="date">August 2023 – December 2024</span>' in page


def test_an_agreement_shows_every_field(shapes: Path) -> None:
    text = html_text(shapes / "output/everything.html")
    assert (
        "Agreement Treaty on Comprehensive Strategic Partnership Parties Russia, North Korea "
        "Signed 19 June 2024, Pyongyang Status in force "
        "Terms Mutual military assistance. Cooperation in science."
    ) in text
    assert (
        "<li>Mutual <em>military</em> assistance.</li>"
        in (shapes / "output/everything.html").read_text()
    )


def test_fact_text_is_markdown_and_raw_html_is_text(shapes: Path) -> None:
    page = (shapes / "output/everything.html").read_text()
    assert (
        'Counted <em>exactly</em>, see <a href="https://example.org/r">the report</a>. '
        "&lt;b&gt;not bold&lt;/b&gt;"
    ) in page
    assert "<li>first point</li>" in page
    assert "<b>not bold</b>" not in page


def test_citations_show_their_admiralty_code(shapes: Path) -> None:
    text = html_text(shapes / "output/everything.html")
    # Numbered in order of first use: s2 is cited by the newest fact.
    assert "[2 A1]" in text and "[2] page 3: two hundred" in text
    assert "[1 F6]" in text
    page = (shapes / "output/everything.html").read_text()
    assert 'aria-label="Source 2, rated A1">[2&#8201;A1]</a>' in page


def test_sections_and_facts_are_in_order(shapes: Path) -> None:
    # Sections in briefgen.yaml's order; facts newest first, a range by its end.
    assert fact_anchors(shapes / "output/everything.html")[:5] == [
        "flow-range",
        "flow-exact",
        "flow-min",
        "flow-none",
        "treaty",
    ]
    # A briefing's own section order, and only its sections.
    reordered = fact_anchors(shapes / "output/reordered.html")
    assert reordered[0].startswith("risk-")
    assert reordered[-4:] == ["flow-range", "flow-exact", "flow-min", "flow-none"]
    assert "treaty" not in reordered


def test_the_title_block_fields(shapes: Path) -> None:
    text = html_text(shapes / "output/reordered.html")
    assert (
        "Briefing · SECRET//REL TO TEST Risks first Only two sections, in this order "
        "Scope: facts dated 2024 or later, in the sections Risks and Aid flows. "
        "Edition November 2024 Author Desk"
    ) in text
    assert "Summary # The bottom line." in text
    bare = html_text(shapes / "output/everything.html")
    assert "Briefing Every shape Edition 25 November 2024 Key judgments" in bare
    # The counts are in the colophon at the end, not in the title block.
    assert "19 facts from 2 sources. Made with" in bare
    assert "Author" not in bare and "Summary" not in bare


def shapes_briefing(shapes: Path, tmp_path: Path, extra: str) -> list[str]:
    """The ids of the facts a briefing with `extra` keys would include, sorted."""
    root = write_tree(tmp_path, {"briefgen.yaml": SHAPES_CONFIG + extra, **SHAPES_FILES})
    write_tree(root, {"facts/risks.yaml": risk_sheet()})
    project, problems = validate(root)
    assert [p for p in problems if p.severity == "error"] == []
    briefing = project.briefings["filtered"].item
    return sorted(f.id for f in included_facts(project, briefing))


FILTERED = "  - id: filtered\n    title: Filtered\n    edition: 2024-11-25\n"
RISKS = [f"risk-{i:02d}" for i in range(14)]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("    include: {tags: [air-defence, treaty]}\n", ["flow-range", "treaty"]),
        # Actors named only in a flow or an agreement count.
        (
            "    include: {actors: [RU]}\n",
            ["flow-exact", "flow-min", "flow-range", "treaty"],
        ),
        ("    include: {actors: [UA]}\n", ["flow-min", "flow-none"]),
        # since: the date, or the end of a range, reaches the first day of since;
        # flow-none, dated only `2024`, runs to 31 December.
        (
            "    include: {since: 2024-11}\n",
            ["flow-exact", "flow-min", "flow-none", "flow-range", *RISKS],
        ),
        ("    include: {since: 2025-01}\n", RISKS),
        # until: the date, or the start of a range, on or before the last day of until.
        ("    include: {until: 2024-06}\n", ["flow-none", "flow-range", "treaty"]),
        ("    include: {until: 2024-06-18}\n", ["flow-none", "flow-range"]),
        ("    include: {until: 2024-06-19}\n", ["flow-none", "flow-range", "treaty"]),
        (
            "    include: {actors: [RU], since: 2024-11, tags: [ammunition, air-defence]}\n",
            ["flow-exact", "flow-range"],
        ),
        ("    sections: [agreements]\n", ["treaty"]),
        ("    sections: [agreements]\n    include: {tags: [outlook]}\n", []),
        ("", ["flow-exact", "flow-min", "flow-none", "flow-range", *RISKS, "treaty"]),
    ],
)
def test_include_filters(shapes: Path, tmp_path: Path, keys: str, expected: list[str]) -> None:
    assert shapes_briefing(shapes, tmp_path, FILTERED + keys) == sorted(expected)


def test_a_section_with_no_facts_says_so(tmp_path: Path) -> None:
    root = minimal_project(tmp_path, **{"briefgen.yaml": HTML_CONFIG})
    build(root)
    assert "Risks # No facts in this section for this briefing." in html_text(
        root / "output/brief.html"
    )


def test_formats_pdf_only_writes_only_the_pdf(tmp_path: Path) -> None:
    root = minimal_project(tmp_path, **{"briefgen.yaml": MINIMAL_CONFIG + "    formats: [pdf]\n"})
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout == "output/brief.pdf\n"
    assert [p.name for p in (root / "output").iterdir() if p.name != CACHE_NAME] == ["brief.pdf"]
    assert "A fact" in flatten("\n".join(pdf_pages(root / "output/brief.pdf")))


def test_the_view_of_a_briefing_is_what_the_templates_get(shapes: Path) -> None:
    project, _ = validate(shapes)
    view = assemble_briefing(project, "everything", "test")
    assert [s.id for s in view.sections] == ["aid-flows", "agreements", "risks"]
    assert [f.id for f in view.key_judgments] == ["flow-min"]
    assert [s.id for s in view.sources] == ["s2", "s1"]
    assert view.fact_count == 19


# -- a failed build changes nothing ------------------------------------------------------


def test_a_failed_build_leaves_output_and_facts_untouched(tmp_path: Path) -> None:
    root = minimal_project(tmp_path)
    assert run("build", "--project", root).exit_code == 0
    output_before = tree_digest(root / "output")
    assert list(output_before) == [CACHE_NAME, "brief.html", "brief.pdf"]

    sheet = edit(MINIMAL_SHEET, "date: 2024-11", "date: 2024-02-30")
    (root / "facts/main.yaml").write_text(sheet)
    (root / "facts/extra.yaml").write_text("facts:\n  - id: x\n    title: &a t\n")
    facts_before = tree_digest(root / "facts")

    result = run("build", "--project", root)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "nothing was written; output/ is unchanged"
    assert tree_digest(root / "output") == output_before
    assert tree_digest(root / "facts") == facts_before
    assert (root / "facts/main.yaml").read_text() == sheet


def test_a_good_build_never_modifies_facts(tmp_path: Path) -> None:
    root = minimal_project(tmp_path, **{"briefgen.yaml": HTML_CONFIG})
    before = tree_digest(root / "facts") | {"briefgen.yaml": tree_digest(root)["briefgen.yaml"]}
    assert run("build", "--project", root).exit_code == 0
    after = tree_digest(root / "facts") | {"briefgen.yaml": tree_digest(root)["briefgen.yaml"]}
    assert after == before
    # Only output/, the edition record (FORMAT.md's editions/) and the parse cache
    # are written.
    written = sorted(tree_digest(root))
    assert [p for p in written if not p.startswith(f"{PARSE_CACHE}/")] == [
        "briefgen.yaml",
        "editions/brief/2024-11-25.json",
        "facts/main.yaml",
        f"output/{CACHE_NAME}",
        "output/brief.html",
    ]


# -- a project written from FORMAT.md alone ----------------------------------------------
# The blocks below are FORMAT.md's examples copied character for character. Only
# the "..." placeholders are filled in (each edit() fails if its text is not there),
# and the agreement and risk blocks each get a fact of their own to sit in.

FORMAT_CONFIG = """\
sections:                          # the sections facts may belong to; this order is the default
  - id: aid-flows
    title: Aid flows
    intro: Material, personnel and money moving between the actors.   # optional, Markdown
  - id: agreements
    title: Agreements
  - id: risks
    title: Risks

briefings:                         # one or more
  - id: ru-kp-exchange             # output/ru-kp-exchange.html and .pdf
    title: "Military Exchange: Russia Sends Aid to North Korea in Exchange for Troops in Ukraine"
    subtitle: Situation as reported in November 2024   # optional
    edition: 2024-11-25            # date of this edition, required
    author: Northeast Asia desk    # optional
    classification: UNCLASSIFIED   # optional; shown as a banner at the top and bottom of every page
    summary: |                     # optional bottom line up front, Markdown
      ...
    sections: [aid-flows, agreements, risks]   # optional; default: every section, in the order above
    include:                       # optional filter; a fact is included when it passes every key given
      tags: [air-defence]          #   has at least one of these tags
      actors: [RU, KP]             #   names at least one of these actors (in actors, flow or agreement)
      since: 2023-01               #   its date (or the end of its range) is on or after this
      until: 2024-12               #   its date (or the start of its range) is on or before this
    formats: [html, pdf]           # optional, default both
    stale_after_days: 180          # optional; a fact last reviewed longer before the edition is flagged stale
"""  # noqa: E501

FORMAT_SHEET = """\
section: aid-flows                 # optional default for the facts below

actors:
  - id: RU
    name: Russia
  - id: KP
    name: North Korea
    short: DPRK                    # optional short name

sources:
  - id: shin-interview-2024-11
    title: Interview with South Korean national security adviser Shin Wonsik
    publisher: SBS                 # optional
    url: https://example.org/...   # optional; http or https only
    published: 2024-11-22          # optional
    accessed: 2024-11-25           # optional
    reliability: B                 # Admiralty Code source reliability, A to F, required
    type: official                 # official | media | think-tank | academic | intelligence | ngo | social | other
    origin: kr-nis                 # optional: sources with the same origin are not independent

facts:
  - id: ru-air-defence-to-kp
    title: Russia has delivered air-defence missiles to North Korea
    text: |                        # Markdown: emphasis, links, lists; raw HTML is shown as text
      Russia has begun delivering air-defence missiles and related equipment ...
    date: 2024-11                  # when it happened; or a range: {from: 2023-08, to: 2024-11}
    section: aid-flows             # required unless the sheet sets one
    confidence: moderate           # ICD 203 analytic confidence: low | moderate | high
    key: true                      # optional: a key judgment, listed at the top of the briefing
    actors: [RU, KP]               # optional
    tags: [air-defence]            # optional
    reviewed: 2024-11-25           # optional: when an analyst last checked this fact
    sources:                       # one or more
      - source: shin-interview-2024-11
        credibility: 2             # Admiralty Code information credibility, 1 to 6, required
        quote: "..."               # optional
        locator: "minute 12"       # optional
    flow:                          # optional: something moving from one actor to another
      from: RU
      to: KP
      what: air-defence missiles
      category: weapons            # weapons | ammunition | personnel | technology | economic | other
      quantity: 10000              # optional: a number, or {min: 10000} ("10,000+"), or {min: 10, max: 20}
      unit: troops                 # optional
      since: 2023-08               # optional
"""  # noqa: E501

FORMAT_AGREEMENT = """\
    agreement:
      name: Treaty on Comprehensive Strategic Partnership
      parties: [RU, KP]            # two or more actors
      signed: 2024-06-19           # optional
      place: Pyongyang             # optional
      status: signed               # proposed | signed | ratified | in-force | suspended | ended
      terms:                       # optional, Markdown each
        - Mutual military assistance if either party is attacked.
"""

FORMAT_RISK = """\
    risk:
      likelihood: likely           # ICD 203 terms, either column:
                                   #   almost no chance | remote            (01-05%)
                                   #   very unlikely | highly improbable    (05-20%)
                                   #   unlikely | improbable                (20-45%)
                                   #   roughly even chance | roughly even odds (45-55%)
                                   #   likely | probable                    (55-80%)
                                   #   very likely | highly probable        (80-95%)
                                   #   almost certain | nearly certain      (95-99%)
      impact: high                 # low | moderate | high | severe
      indicators:                  # optional: what would show the risk materialising
        - Russian technicians observed at North Korean launch sites.
"""


def fact_around(fact_id: str, section: str, title: str, block: str) -> str:
    """A fact sheet holding one fact whose last key is `block`, pasted as written."""
    return f"""\
facts:
  - id: {fact_id}
    title: {title}
    text: {title}.
    date: 2024-06-19
    section: {section}
    confidence: high
    actors: [RU, KP]
    tags: [air-defence]
    sources:
      - source: shin-interview-2024-11
        credibility: 2
{block}"""


@pytest.fixture(scope="module")
def format_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = edit(
        FORMAT_CONFIG,
        "      ...\n",
        "      Russia is **arming** North Korea in exchange for troops.\n",
    )
    sheet = edit(FORMAT_SHEET, "equipment ...", "equipment to North Korea.")
    sheet = edit(sheet, 'quote: "..."', 'quote: "Russia has begun delivering missiles"')
    return write_tree(
        tmp_path_factory.mktemp("format"),
        {
            "briefgen.yaml": config,
            "facts/aid-flows.yaml": sheet,
            "facts/agreements.yaml": fact_around(
                "ru-kp-treaty",
                "agreements",
                "Russia and North Korea signed a treaty",
                FORMAT_AGREEMENT,
            ),
            "facts/risks.yaml": fact_around(
                "ru-tech-to-kp", "risks", "Russia transfers launch technology", FORMAT_RISK
            ),
        },
    )


def test_a_project_written_from_format_md_validates(format_project: Path) -> None:
    assert problems_in(format_project) == []


@pytest.mark.slow
def test_a_project_written_from_format_md_builds(format_project: Path) -> None:
    result = run("build", "--project", format_project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "output/ru-kp-exchange.html",
        "output/ru-kp-exchange.pdf",
    ]
    text = flatten("\n".join(pdf_pages(format_project / "output/ru-kp-exchange.pdf")))
    assert "Russia is arming North Korea in exchange for troops." in text
    for title in (
        "Aid flows Material, personnel and money moving between the actors. "
        "Russia has delivered air-defence missiles to North Korea November 2024",
        "Agreements Russia and North Korea signed a treaty 19 June 2024",
        "Risks Russia transfers launch technology 19 June 2024",
    ):
        assert title in text
    assert "Russia → North Korea: air-defence missiles, 10,000 troops, since August 2023" in text
    assert "Likelihood likely, 55–80% Impact high" in text
    assert "Signed 19 June 2024, Pyongyang" in text


# -- how quantities and actors read (issue 15) ---------------------------------------------

# The minimal sheet, with China declared and two more facts.
READING_SHEET = (
    edit(
        MINIMAL_SHEET,
        "    name: North Korea\n",
        "    name: North Korea\n  - id: CN\n    name: China\n",
    )
    + """\
  - id: estimate
    title: An estimated number of shells
    text: Something happened.
    date: 2024-11
    confidence: moderate
    actors: [CN, KP]
    sources:
      - source: src
        credibility: 2
    flow:
      from: KP
      to: RU
      what: shells
      category: ammunition
      quantity: {about: 108.5}
      unit: thousand shells
  - id: share
    title: A share of imports
    text: Something else happened.
    date: 2024-10
    confidence: moderate
    sources:
      - source: src
        credibility: 2
    flow:
      from: RU
      to: KP
      what: oil
      category: economic
      quantity: 90
      unit: "% of imports"
"""
)


@pytest.mark.slow
def test_estimates_read_about_percentages_join_and_actors_are_named(tmp_path: Path) -> None:
    root = minimal_project(tmp_path, **{"facts/main.yaml": READING_SHEET})
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    for text in (
        html_text(root / "output/brief.html"),
        flatten(" ".join(pdf_pages(root / "output/brief.pdf"))),
    ):
        assert "North Korea → Russia: shells, about 108.5 thousand shells" in text
        assert "Russia → North Korea: oil, 90% of imports" in text
        # A fact's `actors` by name, in the order written; none shown for a fact without.
        assert text.count("Actors: China, North Korea") == 1
        assert text.count("Actors: Russia, North Korea") == 1  # fact-one
        assert text.count("Actors:") == 2  # none for the fact without actors
