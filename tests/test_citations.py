"""Citations as the reader sees them: numbering per briefing, markers that link to the
Sources list, corroboration, key judgments, stale flags and the scales appendix."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import run
from markupsafe import Markup
from projects import briefing, config, write_tree
from pypdf import PdfReader

from briefgen.assemble import BriefingView, assemble_briefing
from briefgen.load import load_project
from briefgen.richtext import append_inline
from briefgen.rules import independent_count
from briefgen.theme import THEME_DIR

CONFIG = config(
    briefings=[
        briefing(
            "full",
            "Everything since 2024",
            formats=["html"],
            stale_after_days=30,
            include={"since": "2024-01"},
        ),
        briefing("risks-only", "Risks only", formats=["html"], sections=["risks"]),
    ]
)

SOURCES = """\
actors:
  - id: RU
    name: Russia
sources:
  - id: alpha
    title: Alpha agency report
    reliability: B
    type: intelligence
    origin: agency
  - id: beta
    title: Beta briefing by the same agency
    reliability: B
    type: official
    origin: agency
  - id: gamma
    title: Gamma <study> & notes
    publisher: Gamma Press
    url: https://example.org/gamma?a=1&b=2
    published: 2024-11-01
    accessed: 2024-11-20
    reliability: A
    type: think-tank
  - id: delta
    title: Delta post
    reliability: E
    type: social
    origin: gamma
  - id: old-archive
    title: An old archive
    reliability: C
    type: academic
"""

AID_FLOWS = """\
section: aid-flows
facts:
  - id: f-old
    title: The older fact
    text: |
      First paragraph.

      Second paragraph, the last.
    date: 2024-10
    confidence: moderate
    actors: [RU]
    reviewed: 2024-09-01
    sources:
      - source: gamma
        credibility: 1
        locator: page 4
        quote: "ships <b>left</b>"
      - source: delta
        credibility: 5
  - id: f-new
    title: The newer fact
    text: Something happened.
    date: 2024-11
    confidence: high
    key: true
    actors: [RU]
    reviewed: 2024-11-20
    sources:
      - source: beta
        credibility: 2
      - source: alpha
        credibility: 3
  - id: f-ancient
    title: Before the window
    text: |
      - a list item
      - another
    date: 2020
    confidence: low
    actors: [RU]
    reviewed: 2024-11-20
    sources:
      - source: old-archive
        credibility: 4
"""

RISKS = """\
section: risks
facts:
  - id: r-one
    title: A risk
    text: We judge it likely that it happens.
    date: 2024-11
    confidence: low
    key: true
    actors: [RU]
    sources:
      - source: delta
        credibility: 3
      - source: gamma
        credibility: 2
    risk:
      likelihood: likely
      impact: high
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_tree(
        tmp_path_factory.mktemp("citations"),
        {
            "briefgen.yaml": CONFIG,
            "facts/sources.yaml": SOURCES,
            "facts/aid-flows.yaml": AID_FLOWS,
            "facts/risks.yaml": RISKS,
        },
    )
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    return root


def view_of(root: Path, briefing_id: str) -> BriefingView:
    project, problems = load_project(root)
    assert [p for p in problems if p.severity == "error"] == []
    return assemble_briefing(project, briefing_id, "test")


def html_of(root: Path, briefing_id: str) -> str:
    return (root / "output" / f"{briefing_id}.html").read_text(encoding="utf-8")


def article(html: str, fact_id: str) -> str:
    """The HTML of one fact's entry."""
    match = re.search(rf'<article [^>]*id="fact-{fact_id}".*?</article>', html, re.DOTALL)
    assert match, fact_id
    return match.group()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("&#8201;", " ").strip()


# -- numbering ---------------------------------------------------------------------------


def test_sources_are_numbered_in_order_of_first_use_across_sections(built: Path) -> None:
    view = view_of(built, "full")
    # Aid flows (newest first: f-new, then f-old), then Risks, which reuses 3 and 4.
    assert [(s.number, s.id) for s in view.sources] == [
        (1, "beta"),
        (2, "alpha"),
        (3, "gamma"),
        (4, "delta"),
    ]
    markers = {f.id: [f"{c.source.number} {c.code}" for c in f.citations] for f in view.facts}
    assert markers == {
        "f-new": ["1 B2", "2 B3"],
        "f-old": ["3 A1", "4 E5"],
        "r-one": ["4 E3", "3 A2"],
    }


def test_numbering_is_per_briefing(built: Path) -> None:
    view = view_of(built, "risks-only")
    assert [(s.number, s.id) for s in view.sources] == [(1, "delta"), (2, "gamma")]
    assert "[1 E3] [2 A2]" in text_of(article(html_of(built, "risks-only"), "r-one"))
    assert "[4 E3] [3 A2]" in text_of(article(html_of(built, "full"), "r-one"))


def test_sources_cited_only_by_excluded_facts_are_not_listed(built: Path) -> None:
    full = html_of(built, "full")
    assert "f-ancient" not in full  # outside the include window
    assert 'id="source-old-archive"' not in full
    assert "An old archive" not in full
    risks_only = html_of(built, "risks-only")
    for excluded in ("alpha", "beta"):  # cited only in Aid flows, a section it leaves out
        assert f'id="source-{excluded}"' not in risks_only
    assert re.findall(r'<li id="source-([^"]+)" value="(\d+)">', risks_only) == [
        ("delta", "1"),
        ("gamma", "2"),
    ]


# -- markers and links -------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))


@pytest.mark.parametrize("briefing_id", ["full", "risks-only"])
def test_every_in_page_link_has_its_anchor(built: Path, briefing_id: str) -> None:
    links = _Links()
    links.feed(html_of(built, briefing_id))
    internal = [href[1:] for href in links.hrefs if href.startswith("#")]
    assert internal, "no in-page links at all"
    assert [target for target in internal if target not in links.ids] == []
    assert {"source-gamma", "source-delta", "fact-r-one"} <= set(internal)


def test_markers_close_the_last_paragraph_of_the_text(built: Path) -> None:
    entry = article(html_of(built, "full"), "f-old")
    text = re.search(r'<div class="fact-text">(.*?)</div>', entry, re.DOTALL)
    assert text
    assert text.group(1).strip() == (
        "<p>First paragraph.</p>\n<p>Second paragraph, the last. "
        '<span class="cites">'
        '<a class="cite" href="#source-gamma" aria-label="Source 3, rated A1">[3&#8201;A1]</a> '
        '<a class="cite" href="#source-delta" aria-label="Source 4, rated E5">[4&#8201;E5]</a>'
        "</span></p>"
    )


def test_after_a_list_the_markers_take_a_paragraph_of_their_own() -> None:
    html = append_inline(Markup("<ul>\n<li>a</li>\n</ul>"), Markup('<span class="cites">x</span>'))
    assert html == '<ul>\n<li>a</li>\n</ul><p><span class="cites">x</span></p>'


def test_appending_escapes_what_is_not_markup() -> None:
    assert append_inline("<p>a</p>", "<b>") == "&lt;p&gt;a&lt;/p&gt;<p>&lt;b&gt;</p>"
    assert append_inline(Markup("<p>a</p>"), "") == "<p>a</p>"


def test_the_footer_details_each_citation(built: Path) -> None:
    footer = text_of(
        article(html_of(built, "full"), "f-old").split('<footer class="fact-sources">')[1]
    )
    # Only where in each source (issue 22): the markers in the text carry the number
    # and grade, the Sources list the title; a citation without a locator or quote
    # has nothing to add here.
    assert footer == ("Where in the sources [3] page 4: ships <b>left</b>").replace(
        "<", "&lt;"
    ).replace(">", "&gt;")
    assert "Gamma" not in footer and "A1" not in footer and "Delta" not in footer


# -- the Sources list --------------------------------------------------------------------


def test_a_source_entry_gives_everything_a_reader_needs(built: Path) -> None:
    html = html_of(built, "full")
    entry = re.search(r'<li id="source-gamma" value="3">(.*?)</li>', html, re.DOTALL)
    assert entry
    assert text_of(entry.group(1)) == (
        "[3] Gamma &lt;study&gt; &amp; notes, Gamma Press "
        "Reliability A – completely reliable. Think tank source. "
        "Published 1 November 2024. Accessed 20 November 2024. "
        "https://example.org/gamma?a=1&amp;b=2 "
        "Cited by: The older fact; A risk"
    )
    assert '<a href="https://example.org/gamma?a=1&amp;b=2">' in entry.group(1)
    assert re.findall(r'<a href="#(fact-[^"]+)">', entry.group(1)) == ["fact-f-old", "fact-r-one"]


@pytest.mark.parametrize(
    ("source_id", "words"),
    [
        ("alpha", "Reliability B – usually reliable."),
        ("delta", "Reliability E – unreliable."),
    ],
)
def test_reliability_is_given_in_words(built: Path, source_id: str, words: str) -> None:
    html = html_of(built, "full")
    entry = re.search(rf'<li id="source-{source_id}".*?</li>', html, re.DOTALL)
    assert entry
    assert words in text_of(entry.group())


@pytest.mark.slow
def test_source_urls_are_working_links_in_the_pdf(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "briefgen.yaml": CONFIG.replace("formats: [html]", "formats: [pdf]", 1),
            "facts/sources.yaml": SOURCES,
            "facts/aid-flows.yaml": AID_FLOWS,
            "facts/risks.yaml": RISKS,
        },
    )
    assert run("build", "full", "--project", root).exit_code == 0
    reader = PdfReader(root / "output/full.pdf")
    uris, destinations = [], []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if "/A" in link:
                uris.append(link["/A"]["/URI"])
            elif "/Dest" in link:
                destinations.append(str(link["/Dest"]))
    assert uris == ["https://example.org/gamma?a=1&b=2"]
    # The markers lead to the Sources list, the list back to the facts.
    assert {"source-alpha", "source-beta", "source-gamma", "source-delta"} <= set(destinations)
    assert {"fact-f-new", "fact-f-old", "fact-r-one"} <= set(destinations)
    assert set(destinations) <= set(reader.named_destinations)


# -- corroboration -----------------------------------------------------------------------


def test_corroboration_counts_origins(built: Path) -> None:
    view = view_of(built, "full")
    counts = {
        f.id: (f.independent_sources, f.single_sourced, f.also_reported_by) for f in view.facts
    }
    assert counts == {
        "f-new": (1, True, []),  # alpha and beta share the origin 'agency'
        # delta is graded E: a reader cannot lean on it, so it only also reports these.
        "f-old": (1, True, [4]),
        "r-one": (1, True, [4]),
    }
    # delta's origin is called 'gamma', but origins and source ids are apart: gamma (no
    # origin) is its own origin, independent of delta, as the warnings count them.
    project, _ = load_project(built)
    sources = {key: placed.item for key, placed in project.sources.items()}
    f_old = project.facts["f-old"].item
    assert independent_count(f_old, sources) == 2


def test_corroboration_is_shown_in_each_entry(built: Path) -> None:
    html = html_of(built, "full")
    # In words, in the text's colour: no badge, no red (issue 22).
    assert '<span class="corroboration single">Single-sourced</span>' in article(html, "f-new")
    assert "also reported by" not in article(html, "f-new")
    assert (
        '<span class="corroboration single">Single-sourced</span><span class="also-reported">'
        '; also reported by <a class="source-ref" href="#source-delta">[4]</a></span>'
    ) in article(html, "f-old")
    for fact in ("f-new", "f-old", "r-one"):
        assert 'class="badge single' not in article(html, fact)


def test_without_origins_each_source_is_independent(tmp_path: Path) -> None:
    sources = SOURCES.replace("    origin: agency\n", "")
    root = write_tree(
        tmp_path,
        {
            "briefgen.yaml": CONFIG,
            "facts/sources.yaml": sources,
            "facts/aid-flows.yaml": AID_FLOWS,
            "facts/risks.yaml": RISKS,
        },
    )
    fact = next(f for f in view_of(root, "full").facts if f.id == "f-new")
    assert (fact.independent_sources, fact.single_sourced) == (2, False)


# -- key judgments, confidence, likelihood, staleness -----------------------------------


def test_key_judgments_come_first_in_body_order_with_links(built: Path) -> None:
    html = html_of(built, "full")
    block = re.search(r'<section class="key-judgments".*?</section>', html, re.DOTALL)
    assert block
    items = re.findall(
        r'<li class="judgment">\s*<a href="#([^"]+)">([^<]+)</a>\s*'
        r'<ul class="key-meta"><li>(<span class="confidence[^>]*>[^<]*</span>)</li>',
        block.group(),
    )
    assert items == [
        (
            "fact-f-new",
            "The newer fact",
            '<span class="confidence confidence-high">High confidence</span>',
        ),
        (
            "fact-r-one",
            "A risk",
            '<span class="confidence confidence-low">Low confidence</span>',
        ),
    ]
    # The words read the same in the entry itself.
    assert items[0][2] in article(html, "f-new")
    # A risk shows its likelihood with its band, an item apart from its confidence.
    risk = '</li><li><span class="likelihood">Likely, 55–80%</span></li>'
    assert block.group().count(risk) == 1
    # The bottom line first: the judgments before the summary and every section.
    assert html.index('id="key-judgments"') < html.index('id="section-aid-flows"')


def test_likelihood_is_shown_with_its_band(built: Path) -> None:
    entry = article(html_of(built, "full"), "r-one")
    assert '<span class="likelihood">likely, 55–80%</span>' in entry


def _sentences(html: str) -> list[str]:
    """Every sentence a reader meets: blocks (paragraphs, cells, list items, headings)
    split on sentence ends. A semicolon does not end a sentence."""
    blocks = re.split(r"</(?:p|td|th|li|h[1-6]|dt|dd|caption)>", html.split("<body", 1)[1])
    return [s for b in blocks for s in re.split(r"(?<=[.!?])\s+", text_of(b)) if s]


@pytest.mark.slow
def test_confidence_and_likelihood_never_share_a_sentence(built: Path, example: Path) -> None:
    result = run("build", "--project", example)
    assert result.exit_code == 0, result.output
    sentences = _sentences(html_of(built, "full")) + _sentences(html_of(example, "ru-kp-exchange"))
    assert any("likely, 55–80%" in s for s in sentences)
    assert any("Moderate confidence" in s for s in sentences)
    for sentence in sentences:
        lowered = sentence.lower()
        assert not ("confidence" in lowered and "likel" in lowered), sentence


def test_stale_facts_show_their_last_review(built: Path) -> None:
    html = html_of(built, "full")
    assert '<span class="badge stale">Stale: last reviewed 1 September 2024</span>' in article(
        html, "f-old"
    )
    assert '<span class="badge stale">Stale: never reviewed</span>' in article(html, "r-one")
    assert "Stale" not in article(html, "f-new")
    # A briefing without stale_after_days flags nothing.
    assert "badge stale" not in html_of(built, "risks-only")


def test_the_appendix_explains_only_the_scales_used(built: Path) -> None:
    html = html_of(built, "risks-only")
    section = html.split('<section class="scales"')[1].split("</section>")[0]
    scales = text_of(section.replace("</th>", " </th>"))
    assert "A Completely reliable E Unreliable" in scales
    assert "B Usually reliable" not in scales
    assert "2 Probably true 3 Possibly true" in scales
    assert "Low confidence" in scales and "High confidence" not in scales
    assert "Likely 55–80%" in scales
    assert "stale" not in scales  # this briefing sets no stale_after_days


def test_likelihood_terms_are_listed_from_least_to_most_likely(tmp_path: Path) -> None:
    risks = "".join(
        RISKS.replace("section: risks\nfacts:\n", "" if i else "section: risks\nfacts:\n")
        .replace("r-one", f"r-{i}")
        .replace("likelihood: likely", f"likelihood: {term}")
        for i, term in enumerate(["likely", "very unlikely", "almost no chance", "unlikely"])
    )
    root = write_tree(
        tmp_path,
        {"briefgen.yaml": CONFIG, "facts/sources.yaml": SOURCES, "facts/risks.yaml": risks},
    )
    view = view_of(root, "risks-only")
    assert view.likelihoods_used == [
        ("almost no chance", "1–5%"),
        ("very unlikely", "5–20%"),
        ("unlikely", "20–45%"),
        ("likely", "55–80%"),
    ]


def test_the_example_shows_every_kind_of_citation(example: Path) -> None:
    view = view_of(example, "ru-kp-exchange")
    assert view.judgments and all(j.based_on for j in view.judgments)
    assert any(f.single_sourced and len(f.citations) > 1 for f in view.facts)  # via origin
    assert any(not f.single_sourced for f in view.facts)
    assert [s.number for s in view.sources] == list(range(1, len(view.sources) + 1))
    extract = view_of(example, "ru-kp-air-defence")
    assert {s.id for s in extract.sources} < {s.id for s in view.sources}


def test_a_fact_has_at_most_two_badges_and_colour_only_for_staleness(built: Path) -> None:
    html = html_of(built, "full")
    articles = re.findall(r"<article .*?</article>", html, re.DOTALL)
    assert len(articles) >= 3
    for entry in articles:
        badges = re.findall(r'class="(badge [^"]*)"', entry)
        assert len(badges) <= 2, badges
        # What changed since the last edition, and staleness: nothing else is a badge.
        assert {b.split()[1] for b in badges} <= {"change", "stale"}, badges
    assert any('class="badge stale"' in entry for entry in articles)
    # Confidence is words in the meta line, in no colour of its own.
    css = (THEME_DIR / "briefing.css").read_text(encoding="utf-8")
    assert ".confidence-high" not in css and ".corroborated" not in css
