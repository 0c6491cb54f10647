"""No half-empty pages: each page of a PDF but the last is filled, measured on generated
projects whose facts run from one line to more than a page (issue 15).

A page's fill is how far down its body the text reaches (pdftotext -bbox), between
the page head and foot. A fact too tall for the rest of a page used to be pushed
over whole, with its section heading, leaving a page 80% blank mid-briefing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import require_tool, run, write_tree

pytestmark = pytest.mark.slow

# A4 in points, and the body between print.css's page margins (27 mm top, 24 mm bottom).
BODY_TOP, BODY_BOTTOM = 76.5, 842 - 68.0
MIN_FILL = 0.6  # no page but the last more than 40% empty
WORDS = [
    "the",
    "convoy",
    "crossed",
    "the",
    "border",
    "at",
    "night",
    "carrying",
    "artillery",
    "shells",
    "and",
    "spare",
    "parts",
    "for",
    "the",
    "launchers",
    "while",
    "officials",
    "in",
    "both",
    "capitals",
    "denied",
    "that",
    "any",
    "transfer",
    "had",
    "taken",
    "place",
]
TITLE = "about the exchange of arms and troops between the two states"


def _sentence(seed: int) -> str:
    count = 12 + (seed * 7) % 15
    return " ".join(WORDS[(seed + k) % len(WORDS)] for k in range(count)).capitalize() + "."


def generated_project(root: Path, lengths: list[int]) -> Path:
    """Facts of `lengths` sentences each (paragraphs of six), one to three citations,
    in three sections without intros."""
    facts = []
    for n, count in enumerate(lengths):
        paragraphs = [
            " ".join(_sentence(n * 31 + s) for s in range(start, min(count, start + 6)))
            for start in range(0, count, 6)
        ]
        text = "\n\n".join(paragraphs).replace("\n", "\n      ")
        citations = "".join(
            f"      - source: s{(n + c) % 3}\n        credibility: {2 + c}\n"
            f"        locator: page {c + 3}\n"
            for c in range(1 + n % 3)
        )
        facts.append(
            f"  - id: f{n:02d}\n    title: Fact {n} {TITLE}\n    text: |\n      {text}\n"
            f"    date: 2024-{1 + n % 12:02d}\n    section: s{n % 3}\n"
            f"    confidence: moderate\n    actors: [RU, KP]\n    sources:\n{citations}"
        )
    sources = "".join(
        f"  - id: s{i}\n    title: Source {i}, a report on the exchange\n"
        "    reliability: B\n    type: media\n"
        for i in range(3)
    )
    sheet = (
        "actors:\n  - id: RU\n    name: Russia\n  - id: KP\n    name: North Korea\n"
        f"sources:\n{sources}facts:\n{''.join(facts)}"
    )
    sections = "".join(f"  - id: s{i}\n    title: Section {i}\n" for i in range(3))
    config = (
        f"sections:\n{sections}briefings:\n  - id: brief\n    title: A long briefing\n"
        "    edition: 2024-12-31\n    classification: UNCLASSIFIED\n    formats: [pdf]\n"
        "    figures: []\n"
    )
    return write_tree(root, {"briefgen.yaml": config, "facts/main.yaml": sheet})


def page_lines(pdf: Path) -> list[list[tuple[float, str]]]:
    """Each page's body lines, top to bottom: (y of the line's foot, its text)."""
    xml = require_tool("pdftotext", "poppler-utils")
    import subprocess

    out = subprocess.run([xml, "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        lines: dict[float, list[str]] = {}
        for y1, word in re.findall(r'yMax="([\d.]+)">([^<]*)</word>', page):
            y = float(y1)
            if BODY_TOP + 2 < y < BODY_BOTTOM - 2:
                lines.setdefault(round(y), []).append(word)
        pages.append([(y, " ".join(words)) for y, words in sorted(lines.items())])
    return pages


def fills(pages: list[list[tuple[float, str]]]) -> list[float]:
    return [
        (max(y for y, _ in page) - BODY_TOP) / (BODY_BOTTOM - BODY_TOP) if page else 0.0
        for page in pages
    ]


# Each: sentences per fact. The first is the case: a section heading without
# an intro, then a fact too tall for the rest of the page; the others mix short facts
# with facts of half a page to more than a page.
PROJECTS = {
    "tall-after-short": [3, 40, 5, 18, 2, 60, 8, 25, 4, 33, 12, 1, 45, 7, 20],
    "mixed": [1, 2, 70, 3, 9, 14, 2, 30, 2, 2, 16, 55, 4, 11, 6, 24, 3, 13],
    "halves": [22, 20, 24, 19, 23, 21, 25, 18, 22],
}


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_no_page_but_the_last_is_more_than_40_percent_empty(tmp_path: Path, name: str) -> None:
    root = generated_project(tmp_path / name, PROJECTS[name])
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    pages = page_lines(root / "output/brief.pdf")
    measured = fills(pages)
    assert len(measured) >= 5
    empty = {number: round(fill, 2) for number, fill in enumerate(measured[:-1], 1)}
    assert {n: f for n, f in empty.items() if f < MIN_FILL} == {}, measured

    for number, page in enumerate(pages, 1):
        # A fact's heading is never the last thing on a page: its first lines follow it.
        *_, (_, last) = page
        assert not last.endswith(TITLE), f"page {number} ends with a heading: {last!r}"
        assert not last.startswith(("Actors:", "January", "Moderate confidence")), last
        # A citation line (where in each source) never starts a page on its own: the end
        # of its text comes with it.
        (_, first), *_ = page
        assert not re.match(r"\[\d+\] page \d", first), f"page {number}: {first!r}"
