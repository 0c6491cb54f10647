"""Written key judgments: shown after the summary in order, checked against the facts
they rest on, each mistake located in briefgen.yaml."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from helpers import HTML_CONFIG, REPO, edit, require_tool, run
from projects import ACTORS, actor, cite, fact, sheet, source, write_tree

from briefgen.build import validate

# Line numbers below count in CONFIG: the briefing's keys from line 10.
CONFIG = HTML_CONFIG

SHEET = sheet(
    actors=[*ACTORS, actor("CN", "China")],
    sources=[
        source(),
        source("same-origin", "Another account from the same office", origin="office"),
        source("office", "The office itself", reliability="A", origin="office"),
    ],
    facts=[
        fact("missiles", "Russia delivers missiles", text="Missiles arrive.", tags=["air-defence"]),
        fact(
            "troops",
            "North Korea sends troops",
            text="Troops leave.",
            date="2024-10",
            confidence="low",
            actors=["KP"],
            sources=[cite("same-origin", 3), cite("office", 2)],
            tags=["troops"],
        ),
        fact(
            "old-claim",
            "An old claim",
            text="Long ago.",
            date="2022-05",
            confidence="low",
            actors=["CN"],
            sources=[cite("same-origin", 3)],
            tags=["air-defence"],
        ),
        fact(
            "nuclear",
            "Russia transfers nuclear technology",
            text="A risk.",
            confidence="low",
            actors=["RU"],
            sources=[cite(credibility=3)],
            section="risks",
            key=True,
            tags=["nuclear"],
            risk={"likelihood": "very likely", "impact": "severe"},
        ),
    ],
)

# The briefing's keys stay text: the tests below count their lines and columns.
JUDGMENTS = """\
    judgments:
      - text: Russia pays for troops with *missiles*.
        confidence: moderate
        likelihood: very likely
        based_on: [missiles, troops]
      - text: The trade is new.
        confidence: low
        based_on: [troops]
"""


def project(tmp_path: Path, briefing_keys: str = JUDGMENTS, sheet: str = SHEET) -> Path:
    return write_tree(
        tmp_path / "p", {"briefgen.yaml": CONFIG + briefing_keys, "facts/main.yaml": sheet}
    )


def problems(root: Path, strict: bool = False) -> list[str]:
    return [str(p) for p in validate(root, strict=strict)[1]]


def text_of(page: str) -> str:
    page = re.sub(r"<style\b.*?</style>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_judgments_precede_the_summary_in_order_with_their_terms_and_links(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, "    summary: The bottom line.\n" + JUDGMENTS)
    assert run("build", "--project", root).exit_code == 0
    page = (root / "output/brief.html").read_text()
    section = page[page.index('<section class="key-judgments"') :]
    section = section[: section.index("</section>")]
    # The bottom line first (issue 22): the judgments, then the summary.
    assert page.index('id="key-judgments"') < page.index('id="summary"')
    assert text_of(section) == (
        "Key judgments # "
        "Russia pays for troops with missiles . Very likely, 80–95% Moderate confidence "
        "Based on: Russia delivers missiles ; North Korea sends troops "
        "The trade is new. Low confidence Based on: North Korea sends troops"
    )
    assert "<em>missiles</em>" in section
    assert (
        '<a href="#fact-missiles"><span class="ref-title">Russia delivers missiles</span></a>'
        in section
    )
    # Written judgments replace the facts marked key: true, in the list and on the fact.
    assert "Russia transfers nuclear technology" not in section
    assert "Key judgment</span>" not in page


def test_without_judgments_a_key_risk_shows_its_likelihood_and_band(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    assert run("build", "--project", root).exit_code == 0
    page = (root / "output/brief.html").read_text()
    section = page[page.index('<section class="key-judgments"') :]
    section = section[: section.index("</section>")]
    assert text_of(section) == (
        "Key judgments # Russia transfers nuclear technology Low confidence Very likely, 80–95%"
    )


@pytest.mark.slow
def test_judgments_point_to_the_pages_of_their_facts_in_the_pdf(tmp_path: Path) -> None:
    root = project(tmp_path, JUDGMENTS)
    config = root / "briefgen.yaml"
    config.write_text(edit(config.read_text(), "formats: [html]", "formats: [pdf]"))
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    require_tool("pdftotext", "poppler-utils")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", root / "output/brief.pdf", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    pages = [" ".join(page.split()) for page in text.split("\f")]
    # Each fact's page: where its heading, followed by its date, is.
    missiles = next(n for n, p in enumerate(pages, 1) if "missiles November 2024" in p)
    troops = next(n for n, p in enumerate(pages, 1) if "sends troops October 2024" in p)
    # On paper the basis is the pages the facts are argued on, so seven judgments fit
    # on page 1 (the screen names each fact).
    assert f"Based on: p. {missiles}; p. {troops}" in flat
    assert "Very likely, 80–95% · Moderate confidence" in flat


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (
            JUDGMENTS.replace("[missiles, troops]", "[missile, troops]"),
            "briefgen.yaml:15:20: error: judgment 1 is based on unknown fact 'missile' "
            "(did you mean 'missiles'?)",
        ),
        (
            JUDGMENTS.replace("[missiles, troops]", "[missiles, nowhere]"),
            "briefgen.yaml:15:30: error: judgment 1 is based on unknown fact 'nowhere' "
            "(based_on lists ids of facts declared in fact sheets)",
        ),
        (
            JUDGMENTS.replace("likelihood: very likely", "likelihood: very probable"),
            "briefgen.yaml:14:21: error: 'very probable' is not a valid likelihood "
            "(did you mean 'probable'?)",
        ),
        (
            JUDGMENTS.replace("confidence: low", "confidence: certain"),
            "briefgen.yaml:17:21: error: 'certain' is not a valid confidence "
            "(expected one of low, moderate and high)",
        ),
        (
            JUDGMENTS.replace("based_on: [troops]", "based_on: []"),
            "briefgen.yaml:18:19: error: a judgment needs at least one fact in 'based_on' "
            "(list the ids of the facts the judgment rests on, e.g. based_on: [fact-id])",
        ),
        (
            JUDGMENTS.replace("        based_on: [troops]\n", ""),
            "briefgen.yaml:16:9: error: missing required key 'based_on' "
            "(a judgment needs text, confidence and based_on)",
        ),
        (
            "    judgments: []\n",
            "briefgen.yaml:11:16: error: 'judgments' needs at least one judgment "
            "(leave it out to list the facts marked key: true)",
        ),
    ],
    ids=["did-you-mean", "unknown", "bad-likelihood", "bad-confidence", "empty", "missing", "none"],
)
def test_judgment_errors_are_located(tmp_path: Path, keys: str, expected: str) -> None:
    errors = [p for p in problems(project(tmp_path, keys)) if ": error: " in p]
    assert errors == [expected]


LEFT_OUT = "(base the judgment on facts the briefing shows, or widen its filter)"


@pytest.mark.parametrize(
    ("filter_keys", "based_on", "column", "reason"),
    [
        (
            "    include:\n      tags: [air-defence]\n",
            "[missiles, troops]",
            30,
            "fact 'troops', which briefing 'brief' leaves out: include.tags lets in "
            "air-defence; the fact is tagged troops",
        ),
        (
            "    include:\n      actors: [RU]\n",
            "[missiles, troops]",
            30,
            "fact 'troops', which briefing 'brief' leaves out: include.actors lets in RU; "
            "the fact names KP",
        ),
        (
            "    include:\n      since: 2024-01\n",
            "[missiles, old-claim]",
            30,
            "fact 'old-claim', which briefing 'brief' leaves out: include.since is 2024-01; "
            "the fact is dated 2022-05",
        ),
        (
            "    include:\n      until: 2024-10\n",
            "[missiles, troops]",
            20,
            "fact 'missiles', which briefing 'brief' leaves out: include.until is 2024-10; "
            "the fact is dated 2024-11",
        ),
        (
            "    sections: [risks]\n",
            "[nuclear, troops]",
            29,
            "fact 'troops', which briefing 'brief' leaves out: its section, aid-flows, is not "
            "among the briefing's sections (risks)",
        ),
    ],
    ids=["tags", "actors", "since", "until", "sections"],
)
def test_a_judgment_on_a_fact_the_briefing_leaves_out_says_which_filter(
    tmp_path: Path, filter_keys: str, based_on: str, column: int, reason: str
) -> None:
    keys = f"{filter_keys}    judgments:\n      - text: T.\n        confidence: low\n"
    keys += f"        based_on: {based_on}\n"
    line = 14 + filter_keys.count("\n")
    errors = [p for p in problems(project(tmp_path, keys)) if ": error: " in p]
    assert errors == [
        f"briefgen.yaml:{line}:{column}: error: judgment 1 is based on {reason} {LEFT_OUT}"
    ]


def test_a_judgment_claiming_more_than_its_facts_carry_warns(tmp_path: Path) -> None:
    keys = """\
    judgments:
      - text: Firm on one office's word.
        confidence: high
        based_on: [troops]
      - text: Moderate on weak facts.
        confidence: moderate
        based_on: [troops, nuclear]
      - text: High on two independent sources is fine.
        confidence: high
        based_on: [troops, missiles]
      - text: Moderate with one moderate fact is fine.
        confidence: moderate
        based_on: [missiles, troops]
"""
    root = project(tmp_path, keys)
    warnings = [p for p in problems(root) if "judgment" in p]
    assert warnings == [
        "briefgen.yaml:13:21: warning: judgment 1 of briefing 'brief' has high confidence but "
        "its facts have one independent source between them (ICD 203 high confidence rests on "
        "several independent sources; base it on independently sourced facts or lower the "
        "confidence)",
        "briefgen.yaml:16:21: warning: judgment 2 of briefing 'brief' has moderate confidence "
        "but every fact it is based on has low confidence (a judgment cannot be held more "
        "firmly than all of its evidence; lower it to low, or base it on firmer facts)",
    ]
    strict = [p for p in problems(root, strict=True) if "judgment" in p]
    assert [p.split(": ")[1] for p in strict] == ["error", "error"]
    result = run("build", "--project", root, "--strict")
    assert result.exit_code == 1
    assert not (root / "output").exists()


def test_the_example_briefings_have_written_judgments_and_no_problems() -> None:
    project, found = validate(REPO)
    assert found == []
    for placed in project.briefings.values():
        assert placed.item.judgments, placed.item.id
