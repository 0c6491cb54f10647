"""Analytic warnings: each is located, printed by validate and build (exit 0), and
turned into an error by --strict (exit 1, nothing written)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import HTML_CONFIG, MINIMAL_SHEET, REPO, minimal_project, run
from projects import ACTORS, SOURCES, actor, briefing, cite, config, fact, sheet, source, write_tree

from briefgen.build import validate
from briefgen.checks import WARNINGS, analytic_warnings
from briefgen.load import load_project

# Built as HTML only: these tests are about checking, not typesetting.
CONFIG = HTML_CONFIG


def one(**keys: Any) -> str:
    """A sheet of one fact (the default one, changed by `keys`)."""
    return sheet(facts=[fact(**keys)])


def project(tmp_path: Path, sheet_text: str, config: str = CONFIG) -> Path:
    return write_tree(tmp_path / "p", {"briefgen.yaml": config, "facts/main.yaml": sheet_text})


def warnings_of(root: Path) -> list[str]:
    _, problems = validate(root)
    assert all(p.severity == "warning" for p in problems), problems
    return [str(p) for p in problems]


# Each case: a project with exactly the warnings listed, each with its exact location.
# Line numbers count from the top of facts/main.yaml (projects.sheet()): section 1,
# actors 2-6, sources 7-11, facts from 12; a fact's own keys before its sources.
CASES: dict[str, tuple[str, str, list[str]]] = {
    "uncited source": (
        sheet(sources=[*SOURCES, source("unused", "Never cited", reliability="C", type_="media")]),
        CONFIG,
        [
            "facts/main.yaml:12:9: warning: source 'unused' is never cited "
            "(cite it from a fact, or remove it)"
        ],
    ),
    "unused actor": (
        sheet(actors=[*ACTORS, actor("UA", "Ukraine")]),
        CONFIG,
        [
            "facts/main.yaml:7:9: warning: actor 'UA' is never used "
            "(name it in a fact's actors, flow or agreement, or remove it)"
        ],
    ),
    "high confidence, single source": (
        one(confidence="high"),
        CONFIG,
        [
            "facts/main.yaml:17:17: warning: fact 'fact-one' has high confidence but is "
            "single-sourced (ICD 203 high confidence rests on several independent sources; "
            "cite an independent source or lower the confidence to moderate)"
        ],
    ),
    "high confidence, all sources D to F": (
        sheet(
            sources=[
                source("weak-1", "Weak", reliability="D", type_="social"),
                source("weak-2", "Weaker", reliability="F", type_="social"),
            ],
            facts=[fact(confidence="high", sources=[cite("weak-1"), cite("weak-2")])],
        ),
        CONFIG,
        [
            "facts/main.yaml:21:17: warning: fact 'fact-one' has high confidence but all its "
            "sources are rated D, E or F (sources that are not usually reliable cannot carry "
            "high confidence; cite a more reliable source or lower the confidence)"
        ],
    ),
    "accessed before published": (
        sheet(sources=[source(published="2024-11-20", accessed="2024-11-02")]),
        CONFIG,
        [
            "facts/main.yaml:13:15: warning: source 'src' was accessed (2024-11-02) before it "
            "was published (2024-11-20) (check both dates)"
        ],
    ),
    "fact after the edition": (
        one(date="2024-12"),
        CONFIG,
        [
            "facts/main.yaml:16:11: warning: fact 'fact-one' is dated 2024-12, after the "
            "edition of briefing 'brief' (2024-11-25) (a briefing reports what happened up to "
            "its edition; check the date)"
        ],
    ),
    "fact range ending after the edition": (
        one(date="{from: 2024-10, to: 2025-01}"),
        CONFIG,
        [
            "facts/main.yaml:16:31: warning: fact 'fact-one' is dated 2025-01, after the "
            "edition of briefing 'brief' (2024-11-25) (a briefing reports what happened up to "
            "its edition; check the date)"
        ],
    ),
    "stale fact": (
        one(reviewed="2024-09-01"),
        CONFIG + "    stale_after_days: 30\n",
        [
            "facts/main.yaml:19:15: warning: fact 'fact-one' was last reviewed 2024-09-01, "
            "more than 30 days before the edition of briefing 'brief' (2024-11-25) (check the "
            "fact and update 'reviewed:'; until then it is flagged stale)"
        ],
    ),
    "never reviewed": (
        sheet(),
        CONFIG + "    stale_after_days: 30\n",
        [
            "facts/main.yaml:13:5: warning: fact 'fact-one' has never been reviewed; briefing "
            "'brief' flags facts not reviewed within 30 days of its edition as stale (check "
            "the fact and add 'reviewed:' with today's date)"
        ],
    ),
    "confirmed by other sources, on one source": (
        one(sources=[cite(credibility=1)]),
        CONFIG,
        [
            "facts/main.yaml:21:22: warning: fact 'fact-one' grades its citation of 'src' 1 "
            "(confirmed by other sources), but it has one independent source (cite the "
            "confirming source too, or grade the citation 2 (probably true))"
        ],
    ),
    "a skeleton's TODO left in": (
        one(text="TODO the fact in full, in Markdown; say who reports it."),
        CONFIG,
        [
            "facts/main.yaml:15:11: warning: fact 'fact-one' still holds the skeleton's TODO "
            "in 'text' (replace it with what you know)"
        ],
    ),
    "estimative words in a risk": (
        one(
            text="Russia could act in May 2025; it may PERHAPS wait, or could not.",
            risk={"likelihood": "likely", "impact": "high"},
        ),
        CONFIG,
        [
            "facts/main.yaml:15:11: warning: risk 'fact-one' says 'could', which is not an "
            "ICD 203 estimative term (say how likely with an ICD 203 term such as 'unlikely', "
            "'roughly even chance' or 'likely', or state it plainly)",
            "facts/main.yaml:15:11: warning: risk 'fact-one' says 'may', which is not an "
            "ICD 203 estimative term (say how likely with an ICD 203 term such as 'unlikely', "
            "'roughly even chance' or 'likely', or state it plainly)",
            "facts/main.yaml:15:11: warning: risk 'fact-one' says 'perhaps', which is not an "
            "ICD 203 estimative term (say how likely with an ICD 203 term such as 'unlikely', "
            "'roughly even chance' or 'likely', or state it plainly)",
        ],
    ),
}


def test_the_base_project_has_no_warnings(tmp_path: Path) -> None:
    assert warnings_of(project(tmp_path, sheet())) == []


@pytest.mark.parametrize("case", list(CASES))
def test_each_warning_is_located_and_exits_0(tmp_path: Path, case: str) -> None:
    sheet_text, config, expected = CASES[case]
    root = project(tmp_path, sheet_text, config)
    result = run("validate", "--project", root)
    assert result.exit_code == 0, result.output
    count = f"{len(expected)} warning" + ("s" if len(expected) > 1 else "")
    assert result.stderr.splitlines() == [*expected, count]
    assert result.stdout.startswith("ok: ")


@pytest.mark.parametrize("case", list(CASES))
def test_strict_turns_each_warning_into_an_error(tmp_path: Path, case: str) -> None:
    sheet_text, config, expected = CASES[case]
    root = project(tmp_path, sheet_text, config)
    as_errors = [line.replace(": warning: ", ": error: ", 1) for line in expected]

    result = run("validate", "--strict", "--project", root)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:-1] == as_errors
    assert result.stdout == ""

    last_good = write_tree(root, {"output/brief.html": "last good build"})
    result = run("build", "--strict", "--project", root)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[: len(as_errors)] == as_errors
    assert result.stderr.splitlines()[-1] == "nothing was written; output/ is unchanged"
    assert (last_good / "output/brief.html").read_text() == "last good build"
    assert sorted(p.name for p in (root / "output").iterdir()) == ["brief.html"]


def test_build_prints_warnings_and_still_writes(tmp_path: Path) -> None:
    sheet_text, config, expected = CASES["uncited source"]
    root = project(tmp_path, sheet_text, config)
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [*expected, "1 warning"]
    assert result.stdout.splitlines() == ["output/brief.html"]
    assert (root / "output/brief.html").is_file()


def test_warnings_sit_beside_errors_without_strict(tmp_path: Path) -> None:
    bad = sheet(facts=[fact("f1", confidence="high"), fact("f2", confidence="hgh")])
    result = run("validate", "--project", project(tmp_path, bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "facts/main.yaml:17:17: warning: fact 'f1' has high confidence but is "
        "single-sourced (ICD 203 high confidence rests on several independent sources; "
        "cite an independent source or lower the confidence to moderate)",
        "facts/main.yaml:26:17: error: 'hgh' is not a valid confidence (did you mean 'high'?)",
        "1 error, 1 warning",
    ]


def codes_of(root: Path) -> list[str]:
    loaded, _ = load_project(root)
    return sorted({w.code for w in analytic_warnings(loaded)})


def test_warnings_have_stable_codes(tmp_path: Path) -> None:
    codes = {
        case: codes_of(project(tmp_path / str(i), sheet_text, config))
        for i, (case, (sheet_text, config, _)) in enumerate(CASES.items())
    }
    assert codes == {
        "uncited source": ["uncited-source"],
        "unused actor": ["unused-actor"],
        "high confidence, single source": ["high-confidence-single-source"],
        "high confidence, all sources D to F": ["high-confidence-weak-sources"],
        "accessed before published": ["accessed-before-published"],
        "fact after the edition": ["fact-after-edition"],
        "fact range ending after the edition": ["fact-after-edition"],
        "stale fact": ["stale-fact"],
        "never reviewed": ["never-reviewed"],
        "confirmed by other sources, on one source": ["confirmed-single-source"],
        "a skeleton's TODO left in": ["todo"],
        "estimative words in a risk": ["estimative-word"],
    }


# -- what does not warn ------------------------------------------------------------------


def test_actors_used_in_a_flow_an_agreement_or_an_include_filter_count(
    tmp_path: Path,
) -> None:
    actors = [*ACTORS, *(actor(a, f"Actor {a}") for a in ("FL", "AG", "AG2", "INC"))]
    flow = {"from": "RU", "to": "FL", "what": "arms", "category": "weapons"}
    agreement = {"name": "Pact", "parties": ["AG", "AG2"], "status": "signed"}
    config = CONFIG + "    include:\n      actors: [RU, INC]\n"
    text = sheet(actors=actors, facts=[fact("f1", flow=flow), fact("f2", agreement=agreement)])
    # Not an unused actor; but a filter naming an actor no fact names matches nothing.
    assert warnings_of(project(tmp_path, text, config)) == [
        "briefgen.yaml:12:20: warning: briefing 'brief' includes facts naming actor 'INC', "
        "but no fact names it (name the actor in a fact's actors, flow or agreement, or "
        "remove it from the filter)"
    ]


def test_high_confidence_with_two_independent_reliable_sources_is_fine(tmp_path: Path) -> None:
    sources = [*SOURCES, source("other", "Another", reliability="D", type_="media")]
    text = sheet(sources=sources, facts=[fact(confidence="high", sources=[cite(), cite("other")])])
    assert warnings_of(project(tmp_path, text)) == []


def test_high_confidence_on_sources_of_one_origin_is_single_sourced(tmp_path: Path) -> None:
    sources = [
        source("a", "A", reliability="A", origin="agency"),
        source("b", "B", reliability="A", type_="media", origin="agency"),
    ]
    text = sheet(sources=sources, facts=[fact(confidence="high", sources=[cite("a"), cite("b")])])
    assert codes_of(project(tmp_path, text)) == ["high-confidence-single-source"]


def test_partial_dates_are_compared_generously(tmp_path: Path) -> None:
    # Accessed "some day in November" may well be after the 20th; a fact of
    # 30 November is not after an edition of "November 2024".
    sources = [source(published="2024-11-20", accessed="2024-11")]
    config = CONFIG.replace("edition: 2024-11-25", "edition: 2024-11")
    text = sheet(sources=sources, facts=[fact(date="2024-11-30")])
    assert warnings_of(project(tmp_path, text, config)) == []


def test_date_and_review_warnings_are_per_briefing(tmp_path: Path) -> None:
    briefings = [
        briefing(formats=["html"], stale_after_days=30),
        briefing("old", "An older edition", "2024-10-01", formats=["html"], stale_after_days=365),
        briefing(
            "risks-only",
            "Risks only",
            "2024-10-01",
            formats=["html"],
            sections=["risks"],
            stale_after_days=1,
        ),
    ]
    text = one(reviewed="2024-09-01")
    found = warnings_of(project(tmp_path, text, config(briefings=briefings)))
    assert found == [
        "briefgen.yaml:21:5: warning: briefing 'risks-only' includes no facts (no fact is in "
        "its sections (risks); widen them, or remove the briefing)",
        "facts/main.yaml:16:11: warning: fact 'fact-one' is dated 2024-11, after the edition "
        "of briefing 'old' (2024-10-01) (a briefing reports what happened up to its edition; "
        "check the date)",
        "facts/main.yaml:19:15: warning: fact 'fact-one' was last reviewed 2024-09-01, more "
        "than 30 days before the edition of briefing 'brief' (2024-11-25) (check the fact and "
        "update 'reviewed:'; until then it is flagged stale)",
    ]


def test_hedges_outside_risks_and_the_month_may_do_not_warn(tmp_path: Path) -> None:
    risk = {"likelihood": "likely", "impact": "high"}
    text = sheet(
        facts=[
            fact("f1", text="Troops may have moved; maybe, could be."),
            fact("f2", text="Expected on 12 May, or in May 2025; mayhem.", risk=risk),
        ]
    )
    assert warnings_of(project(tmp_path, text)) == []


def test_the_example_project_is_free_of_warnings(example: Path) -> None:
    result = run("validate", "--strict", "--project", example)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_confirmed_by_other_sources_is_fine_with_two_independent_sources(tmp_path: Path) -> None:
    sources = [*SOURCES, source("other", "Another", reliability="C", type_="media")]
    text = sheet(sources=sources, facts=[fact(sources=[cite(credibility=1), cite("other", 1)])])
    assert warnings_of(project(tmp_path, text)) == []


# -- acknowledged warnings (FORMAT 1.1) --------------------------------------------------

ACKNOWLEDGE = {
    "high-confidence-single-source": "The designation notice is itself the public record."
}


def test_an_acknowledged_warning_is_not_reported_even_under_strict(tmp_path: Path) -> None:
    root = project(tmp_path, one(confidence="high", acknowledge=ACKNOWLEDGE))
    for command in ("validate", "build"):
        result = run(command, "--strict", "--project", root)
        assert result.exit_code == 0, result.output
        assert result.stderr == ""


def test_acknowledging_one_warning_leaves_the_others(tmp_path: Path) -> None:
    root = project(tmp_path, one(confidence="high", date="2024-12", acknowledge=ACKNOWLEDGE))
    assert warnings_of(root) == [
        "facts/main.yaml:16:11: warning: fact 'fact-one' is dated 2024-12, after the "
        "edition of briefing 'brief' (2024-11-25) (a briefing reports what happened up to "
        "its edition; check the date)"
    ]


def test_an_acknowledgment_whose_warning_no_longer_fires_is_a_warning(tmp_path: Path) -> None:
    root = project(tmp_path, one(confidence="moderate", acknowledge=ACKNOWLEDGE))
    assert warnings_of(root) == [
        "facts/main.yaml:20:7: warning: fact 'fact-one' acknowledges "
        "'high-confidence-single-source', but that warning no longer fires "
        "(remove the acknowledgment)"
    ]
    assert codes_of(root) == ["unused-acknowledgment"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "high-confidence-single-sourced",
            "unknown warning code 'high-confidence-single-sourced' "
            "(did you mean 'high-confidence-single-source'?)",
        ),
        (
            "uncited-source",
            "'uncited-source' cannot be acknowledged on a fact (it is a warning about "
            "sources; a fact acknowledges only warnings about itself)",
        ),
        (
            "unused-acknowledgment",
            "'unused-acknowledgment' cannot be acknowledged on a fact "
            "(fix or remove the acknowledgment itself)",
        ),
    ],
)
def test_acknowledging_an_unknown_code_is_a_located_error(
    tmp_path: Path, code: str, expected: str
) -> None:
    root = project(tmp_path, one(confidence="high", acknowledge={code: "Because."}))
    result = run("validate", "--project", root)
    assert result.exit_code == 1
    assert f"facts/main.yaml:20:7: error: {expected}" in result.stderr.splitlines()


def test_an_acknowledgment_needs_a_reason(tmp_path: Path) -> None:
    acknowledge = {"high-confidence-single-source": ""}
    root = project(tmp_path, one(confidence="high", acknowledge=acknowledge))
    result = run("validate", "--project", root)
    assert result.exit_code == 1
    assert "facts/main.yaml:20:37: error: 'high-confidence-single-source' must not be empty" in (
        result.stderr
    )


def test_the_reasons_are_kept_in_the_edition_record(tmp_path: Path) -> None:
    root = project(tmp_path, one(confidence="high", acknowledge=ACKNOWLEDGE))
    assert run("build", "--project", root).exit_code == 0
    record = json.loads((root / "editions/brief/2024-11-25.json").read_text())
    assert record["facts"][0]["acknowledged"] == {
        "high-confidence-single-source": "The designation notice is itself the public record."
    }


def test_every_warning_code_is_in_the_readme_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("| code | warning | at |", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^\| `([a-z-]+)` \|", table, flags=re.M)
    assert listed == list(WARNINGS)


# -- no false warnings while a file does not parse ---------------------------------------

INCOMPLETE_HINT = "warnings that depend on what it declares or cites are held back"


def test_warnings_that_depend_on_a_broken_sheet_are_held_back(tmp_path: Path) -> None:
    """The facts citing `src` and naming RU and KP sit in a sheet with a tab in it: `src`
    is not "never cited", and one line says the warnings are incomplete."""
    root = write_tree(
        tmp_path / "p",
        {
            "briefgen.yaml": CONFIG,
            "facts/declared.yaml": sheet(None, facts=[]),
            "facts/facts.yaml": sheet(
                actors=[], sources=[], facts=[fact(confidence="high", acknowledge=ACKNOWLEDGE)]
            ).replace("    title:", "\ttitle:"),
        },
    )
    result = run("validate", "--project", root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "facts/facts.yaml:1:1: warning: warnings are incomplete until this file parses "
        f"({INCOMPLETE_HINT})",
        "facts/facts.yaml:4:1: error: invalid YAML: a tab in the indentation (indent with "
        "spaces; YAML does not allow tabs for indentation)",
        "1 error, 1 warning",
    ]
    # Once it parses, the warnings are complete again, and there are none.
    (root / "facts/facts.yaml").write_text(
        (root / "facts/facts.yaml").read_text().replace("\ttitle:", "    title:")
    )
    assert warnings_of(root) == []


def test_a_broken_briefgen_yaml_holds_back_warnings_too(tmp_path: Path) -> None:
    root = project(tmp_path, sheet(), config=CONFIG.replace("  - id: brief", "  - id: brief: x"))
    found = [str(p) for p in validate(root)[1] if p.severity == "warning"]
    assert found == [
        f"briefgen.yaml:1:1: warning: warnings are incomplete until this file parses "
        f"({INCOMPLETE_HINT})"
    ]


def test_a_todo_spelt_with_an_escape_still_warns(tmp_path: Path) -> None:
    """The TODO check reads only files whose bytes could hold one: an escape counts."""
    sheet = MINIMAL_SHEET.replace("title: A fact", 'title: "\\x54ODO the fact"')
    root = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    assert [str(p) for p in validate(root)[1] if p.code == "todo"] == [
        "facts/main.yaml:14:12: warning: fact 'fact-one' still holds the skeleton's TODO in "
        "'title' (replace it with what you know)"
    ]
