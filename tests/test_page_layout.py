"""The page a principal reads (issue 22), checked on the PDF's text layer (pdftotext
-bbox) and in Chromium at phone width, for the example and two held-in projects
(tests/page_projects.py): one long, one with agreements of 1999 and 2009 among facts
of 2024. Bottom line first: every key judgment on page 1; pages that hold together:
no page but the last ends above 65% of its height (except before the appendices, or
before a figure's drawing too tall for the rest of its page), none opens on a
fragment of a fact; every figure numbered; a text layer without hidden words; a
measure of about 80 characters; no text under 8.5 pt; and on a 390 px screen the
judgments on the first."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import chromium, require_tool, run
from page_projects import JUDGMENTS, long_project, old_agreement_project

pytestmark = pytest.mark.slow

# A4 in points, and the body between print.css's page margins (27 mm top, 24 mm bottom).
BODY_TOP, BODY_BOTTOM = 76.5, 842 - 68.0
MIN_FILL = 0.65
EXAMPLE_JUDGMENTS = 3
# What may not open a page: a fact's apparatus cut from the fact (its meta line, actors,
# kind block, or a citation line), as the issue found them.
FRAGMENT = re.compile(
    r"^(Actors:|(Likelihood|Impact|Indicators|Terms|Status|Parties|Signed)\b(?! is)|•|\[\d+\] "
    r"(paragraph|article|p\.)|\[\d+ [A-F]\d\]$|"
    r"(\d{1,2}(–\d{1,2})? )?(January|February|March|April|May|June|July|August|September|"
    r"October|November|December) \d{4}( – .*)? · )"
)


@dataclass(frozen=True)
class Built:
    name: str
    pdf: Path
    html: Path
    judgments: list[str]  # the first words of each key judgment


@pytest.fixture(scope="module")
def projects(built_example: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Built]:
    example_judgments = [
        "Russia is supplying North Korea",
        "The exchange will",
        "Russia is",
    ]
    built = [
        Built(
            "example",
            built_example / "output/ru-kp-exchange.pdf",
            built_example / "output/ru-kp-exchange.html",
            example_judgments,
        )
    ]
    for name, make, count in (
        ("long", long_project, 7),
        ("old", old_agreement_project, 3),
    ):
        root = make(tmp_path_factory.mktemp(name))
        result = run("build", "--project", root)
        assert result.exit_code == 0, result.output
        judgments = [" ".join(text.split()[:6]) for text, *_ in JUDGMENTS[:count]]
        built.append(Built(name, root / "output/brief.pdf", root / "output/brief.html", judgments))
    return built


def page_lines(pdf: Path, sized: tuple[float, float] = (0, 99)) -> list[list[tuple[float, str]]]:
    """Each page's body lines, top to bottom: (y of the line's foot, its text); only the
    words whose box is `sized` high (about 1.36 times their size in points)."""
    tool = require_tool("pdftotext", "poppler-utils")
    out = subprocess.run([tool, "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    word = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')
    pages = []
    for page in out.split("<page ")[1:]:
        lines: dict[float, list[str]] = {}
        for y0, y1, text in word.findall(page):
            y, height = float(y1), float(y1) - float(y0)
            if BODY_TOP + 2 < y < BODY_BOTTOM - 2 and sized[0] <= height <= sized[1]:
                # Markers set smaller sit a point lower than the line they end.
                key = next((k for k in lines if abs(k - y) < 2.5), y)
                lines.setdefault(key, []).append(text)
        pages.append([(y, " ".join(words)) for y, words in sorted(lines.items())])
    return pages


def plain(pdf: Path) -> str:
    tool = require_tool("pdftotext", "poppler-utils")
    return subprocess.run(
        [tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True
    ).stdout


def squeeze(text: str) -> str:
    return " ".join(text.replace("&apos;", "'").split())


def test_every_key_judgment_is_on_page_1(projects: list[Built]) -> None:
    for built in projects:
        pages = page_lines(built.pdf)
        first = squeeze(" ".join(text for _, text in pages[0]))
        rest = squeeze(" ".join(text for page in pages[1:] for _, text in page))
        assert len(built.judgments) in (EXAMPLE_JUDGMENTS, 3, 7)
        for judgment in built.judgments:
            assert judgment in first, f"{built.name}: {judgment!r} is not on page 1"
        # Each judgment whole, with its likelihood and confidence: the summary follows
        # them on page 1 or at the top of page 2, never a judgment.
        heading = first.index("Key judgments")
        assert first.count("confidence", heading) >= len(built.judgments), built.name
        assert not any(judgment in rest[:300] for judgment in built.judgments)
        # The counts and the inputs digest are in the colophon, not on page 1.
        assert "Contents" not in first and not re.search(r"\bFacts \d+\b", first)


def test_pages_are_filled_and_never_open_on_a_fragment_of_a_fact(projects: list[Built]) -> None:
    for built in projects:
        pages = page_lines(built.pdf)
        assert len(pages) >= 3
        short = {}
        for number, page in enumerate(pages[:-1], 1):
            fill = (max(y for y, _ in page) - BODY_TOP) / (BODY_BOTTOM - BODY_TOP)
            opens_next = pages[number][0][1]
            before_appendix = opens_next.startswith(("Sources", "About the scales"))
            before_figure = re.match(r"Figure \d+\. ", opens_next) is not None
            if fill < MIN_FILL and not (before_appendix or before_figure):
                short[number] = round(fill, 2)
        assert short == {}, f"{built.name}: pages ending above {MIN_FILL:.0%}: {short}"
        for number, page in enumerate(pages[1:], 2):
            (_, first), *_ = page
            assert not FRAGMENT.match(first), f"{built.name} page {number} opens on {first!r}"
            *_, (_, last) = page
            assert not last.startswith(("Actors:", "Key judgment ·")), (built.name, number)


def test_every_figure_is_numbered_in_order(projects: list[Built]) -> None:
    for built in projects:
        html = built.html.read_text(encoding="utf-8")
        count = html.count('<figure class="figure ')
        assert count >= 2, built.name
        text = squeeze(plain(built.pdf))
        numbers = [int(n) for n in re.findall(r"\bFigure (\d+)\. ", text)]
        assert numbers == list(range(1, count + 1)), built.name


def test_the_text_layer_has_no_hidden_words(projects: list[Built]) -> None:
    for built in projects:
        text = squeeze(plain(built.pdf))
        html = built.html.read_text(encoding="utf-8")
        assert "Sources of this fact" not in text and "Where in the sources" not in text
        # The HTML keeps them for screen readers, whole.
        assert '<h4 class="visually-hidden">Where in the sources</h4>' in html
        descriptions = re.findall(r'class="visually-hidden figure-description"[^>]*>([^<]+)<', html)
        assert descriptions, built.name
        for description in descriptions:
            start = squeeze(description)[:40]
            assert start not in text, f"{built.name}: a figure description in the text layer"


def test_the_measure_is_about_80_characters(projects: list[Built]) -> None:
    for built in projects:
        # The body text (10.5 pt): the longer half of its lines are the full ones.
        widths = sorted(
            len(squeeze(text))
            for page in page_lines(built.pdf, sized=(13.8, 14.8))[1:]
            for _, text in page
            if len(text) > 40
        )
        full = widths[len(widths) // 2 :]
        average = sum(full) / len(full)
        assert 72 <= average <= 88, f"{built.name}: {average:.0f} characters a line"


def test_secondary_text_is_at_least_8_5_points(projects: list[Built]) -> None:
    # A word's box is about 1.36 times its size in the theme's Noto faces: 11.6 pt high at
    # 8.5 pt. The figures' own labels are the drawings' business (test_figures_browser).
    tool = require_tool("pdftotext", "poppler-utils")
    for built in projects:
        out = subprocess.run(
            [tool, "-bbox", str(built.pdf), "-"], capture_output=True, text=True
        ).stdout
        for number, page in enumerate(out.split("<page ")[1:], 1):
            if re.search(r">Figure</word>\s*<word[^>]*>\d+\.</word>", page):
                continue
            boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page)
            small = {word for y0, y1, word in boxes if float(y1) - float(y0) < 11.5}
            assert small == set(), f"{built.name} page {number}: {sorted(small)[:5]}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_on_a_phone_the_judgments_are_on_the_first_screen(
    browser: Any, projects: list[Built]
) -> None:
    for built in projects:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(built.html.as_uri())
        found = page.evaluate(
            """() => {
              const first = document.querySelector('.key-judgments li');
              const box = first.getBoundingClientRect();
              const summary = document.querySelector('#summary').getBoundingClientRect();
              const judgments = document.querySelector('#key-judgments').getBoundingClientRect();
              return {bottom: box.bottom, summary: summary.top, judgments: judgments.top,
                      wide: document.documentElement.scrollWidth};
            }"""
        )
        assert found["bottom"] <= 844, f"{built.name}: {found}"  # the first one, whole
        assert found["judgments"] < found["summary"], built.name  # before the summary
        assert found["wide"] <= 390, built.name
        context.close()
