"""Scope and order: a filtered briefing says what it covers, a filter that lets nothing
through warns, and facts within a section come in the order the briefing asks for."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import HTML_CONFIG, run
from projects import ACTORS, Data, actor, briefing, fact, project, sheet, write_tree

from briefgen.build import validate

SHEET = sheet(
    actors=[*ACTORS, actor("CN", "China")],
    facts=[
        fact(fact_id, f"Fact {fact_id}", text="Text.", date=date, tags=["air-defence"])
        for fact_id, date in [("middle", "2024-06"), ("newest", "2024-11"), ("oldest", "2023-02")]
    ],
)


def brief(**keys: Any) -> Data:
    """The one briefing, its keys from line 11 of briefgen.yaml."""
    return briefing(formats=["html"], **keys)


CONFIG = HTML_CONFIG


def desk(tmp_path: Path, **keys: Any) -> Path:
    return project(tmp_path / "p", briefings=[brief(**keys)], sheets={"main": SHEET})


def warnings(root: Path) -> list[str]:
    # China is declared for the actor filter, and named by no fact.
    return [str(p) for p in validate(root)[1] if "actor 'CN' is never used" not in p.message]


def scope_line(root: Path) -> str | None:
    page = (root / "output/brief.html").read_text()
    found = re.search(r'<p class="scope">(.*?)</p>', page, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else None


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        ({}, None),
        (
            {"include": {"tags": ["air-defence", "technology"], "since": "2024-01"}},
            "Scope: facts tagged air-defence or technology, dated January 2024 or later.",
        ),
        (
            {"include": {"actors": ["RU", "KP", "CN"], "until": "2024-06-30"}},
            "Scope: facts naming Russia, North Korea or China, dated 30 June 2024 or earlier.",
        ),
        (
            {"sections": ["aid-flows"], "include": {"since": 2024, "until": "2024-11"}},
            "Scope: facts dated 2024 to November 2024, in the section Aid flows.",
        ),
        # Named sections are stated even when they are all of them: a PDF carries only
        # the sections it shows, and the project rebuilt from it must say the same.
        ({"sections": ["risks", "aid-flows"]}, "Scope: facts in the sections Risks and Aid flows."),
    ],
    ids=["everything", "tags-since", "actors-until", "window-section", "reordered"],
)
def test_a_filtered_briefing_states_its_scope_in_its_title_block(
    tmp_path: Path, keys: Data, words: str | None
) -> None:
    root = desk(tmp_path, **keys)
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    assert scope_line(root) == words


def test_filters_that_match_nothing_are_located_warnings_and_strict_errors(
    tmp_path: Path,
) -> None:
    root = desk(tmp_path, include={"tags": ["air-defense"], "actors": ["RU", "CN"]})
    expected = [
        "briefgen.yaml:11:5: warning: briefing 'brief' includes no facts (its filter leaves "
        "out all 3 facts of its sections; widen them, or remove the briefing)",
        "briefgen.yaml:12:14: warning: briefing 'brief' includes facts tagged 'air-defense', "
        "but no fact carries that tag (did you mean 'air-defence'?)",
        "briefgen.yaml:13:20: warning: briefing 'brief' includes facts naming actor 'CN', "
        "but no fact names it (name the actor in a fact's actors, flow or agreement, or "
        "remove it from the filter)",
    ]
    assert warnings(root) == expected
    result = run("build", "--project", root, "--strict")
    assert result.exit_code == 1
    assert [e.replace("warning", "error", 1) for e in expected] == [
        line for line in result.output.splitlines() if "briefing 'brief'" in line
    ]
    assert not (root / "output").exists()


def test_a_briefing_whose_sections_hold_no_facts_warns_at_its_sections(tmp_path: Path) -> None:
    root = desk(tmp_path, sections=["risks"])
    assert warnings(root) == [
        "briefgen.yaml:11:5: warning: briefing 'brief' includes no facts (no fact is in its "
        "sections (risks); widen them, or remove the briefing)"
    ]


def test_a_project_without_facts_warns_once(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", {"briefgen.yaml": CONFIG})
    assert [str(p) for p in validate(root)[1]] == [
        "briefgen.yaml:1:1: warning: the project has no facts yet, so every briefing is "
        "empty (add a fact sheet under facts/, e.g. with 'briefgen new fact --sheet "
        "facts/main.yaml')"
    ]
    assert run("validate", "--project", root, "--strict").exit_code == 1


HELD_BACK = "(warnings that depend on what it declares or cites are held back)"


def only_warnings(root: Path) -> list[str]:
    return [str(p) for p in validate(root)[1] if p.severity == "warning"]


def test_a_project_whose_only_sheet_does_not_parse_is_incomplete_not_without_facts(
    tmp_path: Path,
) -> None:
    root = write_tree(tmp_path / "p", {"briefgen.yaml": CONFIG, "facts/main.yaml": "facts: [\n"})
    assert only_warnings(root) == [
        f"facts/main.yaml:1:1: warning: warnings are incomplete until this file parses {HELD_BACK}"
    ]


def test_a_facts_folder_that_cannot_be_read_is_incomplete_not_without_facts(
    tmp_path: Path,
) -> None:
    (tmp_path / "outside").mkdir()
    root = write_tree(tmp_path / "p", {"briefgen.yaml": CONFIG})
    (root / "facts").symlink_to(tmp_path / "outside")
    assert [str(p) for p in validate(root)[1]] == [
        "facts:1:1: error: links to a folder outside the project (copy it into the project "
        "instead of linking to it)",
        f"facts:1:1: warning: warnings are incomplete until this folder can be read {HELD_BACK}",
    ]


@pytest.mark.parametrize("broken", ["does-not-parse", "links-outside"])
def test_filters_and_empty_briefings_are_held_back_while_a_sheet_is_unknown(
    tmp_path: Path, broken: str
) -> None:
    # The filter matches nothing in main.yaml; the other sheet might hold what it names.
    root = desk(tmp_path, include={"tags": ["air-defense"], "actors": ["RU", "CN"]})
    if broken == "does-not-parse":
        (root / "facts/other.yaml").write_text("facts: [\n")
        first = "facts/other.yaml:1:1: warning: warnings are incomplete until this file parses"
    else:
        (tmp_path / "secret.yaml").write_text("facts: []\n")
        (root / "facts/other.yaml").symlink_to(tmp_path / "secret.yaml")
        first = "facts/other.yaml:1:1: warning: warnings are incomplete until this file can be read"
    assert only_warnings(root) == [f"{first} {HELD_BACK}"]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ({}, ["newest", "middle", "oldest"]),
        ({"order": "newest-first"}, ["newest", "middle", "oldest"]),
        ({"order": "oldest-first"}, ["oldest", "middle", "newest"]),
        ({"order": "as-written"}, ["middle", "newest", "oldest"]),
    ],
    ids=["default", "newest-first", "oldest-first", "as-written"],
)
def test_facts_come_in_the_order_asked_for(
    tmp_path: Path, order: Data, expected: list[str]
) -> None:
    root = desk(tmp_path, **order)
    assert run("build", "--project", root).exit_code == 0
    page = (root / "output/brief.html").read_text()
    assert re.findall(r'<article class="fact[^"]*" id="fact-([a-z]+)"', page) == expected


def test_an_unknown_order_is_a_located_error(tmp_path: Path) -> None:
    root = desk(tmp_path, order="newest")
    errors = [str(p) for p in validate(root)[1] if p.severity == "error"]
    assert errors == [
        "briefgen.yaml:11:12: error: 'newest' is not a valid order (did you mean 'newest-first'?)"
    ]
