"""What no single file can know: unique ids, references that resolve, sections, windows."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, MINIMAL_SHEET, edit, minimal_project, problems_in

UNIQUE = "ids are unique across the project"
DECLARE_ACTOR = "declare it under 'actors:' in a fact sheet"
DECLARE_SOURCE = "declare it under 'sources:' in a fact sheet"
NO_SECTION_HINT = "add 'section:' to the fact, or a default 'section:' at the top of its sheet"

# A second sheet in a folder that sorts before facts/main.yaml, so it is read first.
OTHER_SHEET = """\
actors:
  - id: RU
    name: Russian Federation
sources:
  - id: src
    title: Another source
    reliability: C
    type: media
facts:
  - id: fact-one
    title: Another fact
    text: Something else happened.
    date: 2024
    section: risks
    confidence: low
    sources:
      - source: src
        credibility: 3
"""


def project_problems(tmp_path: Path, **files: str) -> list[str]:
    """Problems of the minimal project with `files` ({path: text}) added or replaced."""
    return problems_in(minimal_project(tmp_path, **files))


# -- unique ids --------------------------------------------------------------------------


def test_ids_are_unique_per_kind_across_files(tmp_path: Path) -> None:
    assert project_problems(tmp_path, **{"facts/a/other.yaml": OTHER_SHEET}) == [
        f"facts/main.yaml:3:9: error: duplicate actor id 'RU' "
        f"(first declared at facts/a/other.yaml:2:9; {UNIQUE})",
        f"facts/main.yaml:8:9: error: duplicate source id 'src' "
        f"(first declared at facts/a/other.yaml:5:9; {UNIQUE})",
        f"facts/main.yaml:13:9: error: duplicate fact id 'fact-one' "
        f"(first declared at facts/a/other.yaml:10:9; {UNIQUE})",
    ]


def test_every_later_duplicate_names_the_first(tmp_path: Path) -> None:
    actors = "actors:\n  - id: KP\n    name: DPRK\n  - id: KP\n    name: North Korea\n"
    assert project_problems(tmp_path, **{"facts/z.yaml": actors}) == [
        f"facts/z.yaml:2:9: error: duplicate actor id 'KP' "
        f"(first declared at facts/main.yaml:5:9; {UNIQUE})",
        f"facts/z.yaml:4:9: error: duplicate actor id 'KP' "
        f"(first declared at facts/main.yaml:5:9; {UNIQUE})",
    ]


def test_the_same_id_in_different_kinds_is_fine(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "- id: src", "- id: RU")
    sheet = edit(sheet, "source: src", "source: RU")
    sheet = edit(sheet, "id: fact-one", "id: risks")
    config = edit(MINIMAL_CONFIG, "id: brief", "id: risks")
    assert project_problems(tmp_path, **{"facts/main.yaml": sheet, "briefgen.yaml": config}) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  - id: risks\n",
            "  - id: aid-flows\n",
            f"briefgen.yaml:4:9: error: duplicate section id 'aid-flows' "
            f"(first declared at briefgen.yaml:2:9; {UNIQUE})",
        ),
        (
            "    edition: 2024-11-25\n",
            "    edition: 2024-11-25\n  - id: brief\n    title: Again\n    edition: 2024\n",
            f"briefgen.yaml:10:9: error: duplicate briefing id 'brief' "
            f"(first declared at briefgen.yaml:7:9; {UNIQUE})",
        ),
    ],
    ids=["section", "briefing"],
)
def test_section_and_briefing_ids_are_unique(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    config = edit(MINIMAL_CONFIG, old, new)
    problems = project_problems(tmp_path, **{"briefgen.yaml": config})
    assert problems == [expected]


# -- references --------------------------------------------------------------------------

FLOW = "    flow: {from: RU, to: KP, what: missiles, category: weapons}\n"
AGREEMENT = "    agreement: {name: Treaty, parties: [RU, KP], status: signed}\n"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "source: src",
            "source: srcc",
            "facts/main.yaml:20:17: error: unknown source 'srcc' (did you mean 'src'?)",
        ),
        (
            "source: src",
            "source: shin-interview",
            f"facts/main.yaml:20:17: error: unknown source 'shin-interview' ({DECLARE_SOURCE})",
        ),
        (
            "actors: [RU, KP]",
            "actors: [RU, KPP]",
            "facts/main.yaml:18:18: error: unknown actor 'KPP' (did you mean 'KP'?)",
        ),
        (
            "actors: [RU, KP]",
            "actors: [UA, KP]",
            f"facts/main.yaml:18:14: error: unknown actor 'UA' ({DECLARE_ACTOR})",
        ),
        (
            "    confidence: moderate\n",
            "    confidence: moderate\n    section: risk\n",
            "facts/main.yaml:18:14: error: unknown section 'risk' (did you mean 'risks'?)",
        ),
        (
            "    confidence: moderate\n",
            "    confidence: moderate\n    section: context\n",
            "facts/main.yaml:18:14: error: unknown section 'context' "
            "(sections are declared in briefgen.yaml: aid-flows, risks)",
        ),
        (
            "section: aid-flows\n",
            "section: aidflows\n",
            "facts/main.yaml:1:10: error: unknown section 'aidflows' (did you mean 'aid-flows'?)",
        ),
    ],
    ids=[
        "cited-source-typo",
        "cited-source",
        "fact-actor-typo",
        "fact-actor",
        "fact-section-typo",
        "fact-section",
        "sheet-default-section",
    ],
)
def test_references_in_a_fact(tmp_path: Path, old: str, new: str, expected: str) -> None:
    sheet = edit(MINIMAL_SHEET, old, new)
    assert project_problems(tmp_path, **{"facts/main.yaml": sheet}) == [expected]


def test_flow_ends_and_agreement_parties_are_actors(tmp_path: Path) -> None:
    flow = edit(FLOW, "from: RU, to: KP", "from: RUS, to: CN")
    agreement = edit(AGREEMENT, "[RU, KP]", "[RU, KP, BY]")
    second = edit(MINIMAL_SHEET.split("facts:\n")[1], "fact-one", "fact-two")
    sheet = MINIMAL_SHEET + flow + second + agreement
    assert project_problems(tmp_path, **{"facts/main.yaml": sheet}) == [
        "facts/main.yaml:22:18: error: unknown actor 'RUS' (did you mean 'RU'?)",
        f"facts/main.yaml:22:27: error: unknown actor 'CN' ({DECLARE_ACTOR})",
        f"facts/main.yaml:32:49: error: unknown actor 'BY' ({DECLARE_ACTOR})",
    ]


def test_references_in_a_briefing(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + (
        "    sections: [risks, aid-flow, risks]\n    include:\n      actors: [RU, Kp, CN]\n"
    )
    assert project_problems(tmp_path, **{"briefgen.yaml": config}) == [
        "briefgen.yaml:10:23: error: unknown section 'aid-flow' (did you mean 'aid-flows'?)",
        "briefgen.yaml:10:33: error: section 'risks' is listed twice (list each section once)",
        "briefgen.yaml:12:20: error: unknown actor 'Kp' (did you mean 'KP'?)",
        f"briefgen.yaml:12:24: error: unknown actor 'CN' ({DECLARE_ACTOR})",
    ]


def test_actors_and_sources_may_be_declared_in_any_sheet(tmp_path: Path) -> None:
    declarations, facts = MINIMAL_SHEET.split("facts:\n")
    root = minimal_project(
        tmp_path,
        **{
            "facts/main.yaml": "section: aid-flows\nfacts:\n" + facts,
            "facts/deep/down/people.yml": declarations.replace("section: aid-flows\n", ""),
        },
    )
    assert problems_in(root) == []


def test_a_fact_with_no_section(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "section: aid-flows\n", "")
    assert project_problems(tmp_path, **{"facts/main.yaml": sheet}) == [
        f"facts/main.yaml:12:5: error: fact 'fact-one' has no section ({NO_SECTION_HINT})"
    ]


def test_a_fact_section_overrides_the_sheet_default(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "section: aid-flows\n", "")
    sheet = edit(
        sheet, "    confidence: moderate\n", "    confidence: moderate\n    section: risks\n"
    )
    root = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    assert problems_in(root) == []
    from briefgen.build import validate

    assert validate(root)[0].fact_section == {"fact-one": "risks"}


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (
            "{since: 2024-06, until: 2024-01}",
            ["briefgen.yaml:10:38: error: 'until' (2024-01) is before 'since' (2024-06)"],
        ),
        (
            "{since: 2024-06-02, until: 2024-06-01}",
            ["briefgen.yaml:10:41: error: 'until' (2024-06-01) is before 'since' (2024-06-02)"],
        ),
        ("{since: 2024-06, until: 2024-06}", []),
        ("{since: 2024, until: 2024-01-01}", []),
    ],
)
def test_an_include_window_runs_forwards(tmp_path: Path, window: str, expected: list[str]) -> None:
    config = MINIMAL_CONFIG + f"    include: {window}\n"
    hint = " (a briefing's include window runs forwards)"
    problems = project_problems(tmp_path, **{"briefgen.yaml": config})
    assert problems == [line + hint for line in expected]


# -- one mistake does not hide another, nor cause a second ------------------------------


def test_a_broken_fact_still_has_its_references_checked(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "date: 2024-11", "date: 2024-13")
    sheet = edit(sheet, "source: src", "source: nowhere")
    assert project_problems(tmp_path, **{"facts/main.yaml": sheet}) == [
        "facts/main.yaml:16:11: error: '2024-13' is not a real date: there is no month 13 "
        "(write YYYY, YYYY-MM or YYYY-MM-DD)",
        f"facts/main.yaml:20:17: error: unknown source 'nowhere' ({DECLARE_SOURCE})",
    ]


def test_a_broken_actor_still_counts_as_declared(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "    name: Russia\n", "")
    assert project_problems(tmp_path, **{"facts/main.yaml": sheet}) == [
        "facts/main.yaml:3:5: error: missing required key 'name' (an actor needs id and name)"
    ]


def test_an_unreadable_sheet_does_not_make_its_ids_unknown_elsewhere(tmp_path: Path) -> None:
    declarations, facts = MINIMAL_SHEET.split("facts:\n")
    root = minimal_project(
        tmp_path,
        **{
            "facts/main.yaml": "section: aid-flows\nfacts:\n"
            + edit(facts, "confidence: moderate", "confidence: sure"),
            "facts/actors.yaml": declarations.replace("section: aid-flows\n", "") + "\tbad: tab\n",
        },
    )
    assert problems_in(root) == [
        "facts/actors.yaml:11:1: error: invalid YAML: a tab in the indentation (indent with "
        "spaces; YAML does not allow tabs for indentation)",
        "facts/main.yaml:7:17: error: 'sure' is not a valid confidence "
        "(expected one of low, moderate and high)",
    ]


def test_an_unreadable_briefgen_yaml_does_not_make_every_section_unknown(tmp_path: Path) -> None:
    root = minimal_project(tmp_path, **{"briefgen.yaml": MINIMAL_CONFIG + "  - [\n"})
    assert problems_in(root) == [
        "briefgen.yaml:11:1: error: invalid YAML: did not find expected node content"
    ]


def test_every_problem_of_a_project_is_reported_in_one_run(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "reliability: B", "reliability: Z")
    sheet = edit(sheet, "confidence: moderate", "confidence: hgh")
    sheet = edit(sheet, "actors: [RU, KP]", "actors: [RU, XX]")
    config = MINIMAL_CONFIG + "    sections: [nope]\n"
    other = "facts:\n  - id: f2\n    title: t\n"
    problems = project_problems(
        tmp_path, **{"facts/main.yaml": sheet, "briefgen.yaml": config, "facts/b.yaml": other}
    )
    assert problems == [
        "briefgen.yaml:10:16: error: unknown section 'nope' "
        "(sections are declared in briefgen.yaml: aid-flows, risks)",
        f"facts/b.yaml:2:5: error: fact 'f2' has no section ({NO_SECTION_HINT})",
        "facts/b.yaml:2:5: error: missing required key 'confidence' "
        "(a fact needs id, title, text, date, confidence and sources)",
        "facts/b.yaml:2:5: error: missing required key 'date' "
        "(a fact needs id, title, text, date, confidence and sources)",
        "facts/b.yaml:2:5: error: missing required key 'sources' "
        "(a fact needs id, title, text, date, confidence and sources)",
        "facts/b.yaml:2:5: error: missing required key 'text' "
        "(a fact needs id, title, text, date, confidence and sources)",
        "facts/main.yaml:10:18: error: 'Z' is not a valid reliability "
        "(expected one of A, B, C, D, E and F)",
        "facts/main.yaml:17:17: error: 'hgh' is not a valid confidence (did you mean 'high'?)",
        f"facts/main.yaml:18:18: error: unknown actor 'XX' ({DECLARE_ACTOR})",
    ]
