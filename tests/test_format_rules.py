"""Every field rule of FORMAT.md, broken one at a time, with the exact located message.

Each case edits the minimal project (tests/helpers.py) in one place. The line
numbers refer to MINIMAL_SHEET and MINIMAL_CONFIG; a flow, agreement or risk
block is appended to the sheet's one fact, starting at line 22.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, MINIMAL_SHEET, edit, minimal_project, problems_in

from briefgen.build import validate
from briefgen.formats import FORMATS

# MINIMAL_SHEET:                           MINIMAL_CONFIG:
#  1 section: aid-flows                     1 sections:
#  2 actors:                                2   - id: aid-flows
#  3   - id: RU                             3     title: Aid flows
#  4     name: Russia                       4   - id: risks
#  5   - id: KP                             5     title: Risks
#  6     name: North Korea                  6 briefings:
#  7 sources:                               7   - id: brief
#  8   - id: src                            8     title: A briefing
#  9     title: A source                    9     edition: 2024-11-25
# 10     reliability: B                    10 (appended briefing keys)
# 11     type: official
# 12 facts:
# 13   - id: fact-one
# 14     title: A fact
# 15     text: Something happened.
# 16     date: 2024-11
# 17     confidence: moderate
# 18     actors: [RU, KP]
# 19     sources:
# 20       - source: src
# 21         credibility: 2
# 22 (appended fact keys)

FLOW = """\
    flow:
      from: RU
      to: KP
      what: missiles
      category: weapons
"""
AGREEMENT = """\
    agreement:
      name: Treaty
      parties: [RU, KP]
      status: signed
"""
RISK = """\
    risk:
      likelihood: likely
      impact: high
"""

DATE_HINT = "write YYYY, YYYY-MM or YYYY-MM-DD"
ID_HINT = "use letters, digits, '.', '_' and '-', starting with a letter or digit"
URL_HINT = "write the full address, starting with https:// or http://"
QUANTITY_HINT = (
    "write a number such as 10000, without thousands separators; "
    "{min: 10000} for '10,000+'; {min: 200, max: 250}; or {about: 108.5}"
)
LIST_HINT = "write [a, b] or one '- item' per line"
MAPPING_HINT = "write one 'key: value' per line"
PARTIES_HINT = "list each party once, e.g. parties: [RU, KP]"


def sheet_problems(tmp_path: Path, sheet: str) -> list[str]:
    return problems_in(minimal_project(tmp_path, **{"facts/main.yaml": sheet}))


def config_problems(tmp_path: Path, config: str) -> list[str]:
    return problems_in(minimal_project(tmp_path, **{"briefgen.yaml": config}))


def sheet_case(
    case_id: str, base: str, old: str | None, new: str, *expected: str
) -> pytest.ParameterSet:
    """A fact sheet made from `base` with `old` replaced by `new` (or `new` appended)."""
    text = base + new if old is None else edit(base, old, new)
    return pytest.param(text, list(expected), id=case_id)


def config_case(case_id: str, old: str | None, new: str, *expected: str) -> pytest.ParameterSet:
    text = MINIMAL_CONFIG + new if old is None else edit(MINIMAL_CONFIG, old, new)
    return pytest.param(text, list(expected), id=case_id)


S = MINIMAL_SHEET

# -- enumerations: a near miss gets "did you mean", a far one the whole list ------------

ENUM_CASES = [
    sheet_case(
        "confidence-typo",
        S,
        "confidence: moderate",
        "confidence: hgh",
        "facts/main.yaml:17:17: error: 'hgh' is not a valid confidence (did you mean 'high'?)",
    ),
    sheet_case(
        "confidence-case",
        S,
        "confidence: moderate",
        "confidence: High",
        "facts/main.yaml:17:17: error: 'High' is not a valid confidence (did you mean 'high'?)",
    ),
    sheet_case(
        "confidence-far",
        S,
        "confidence: moderate",
        "confidence: certain",
        "facts/main.yaml:17:17: error: 'certain' is not a valid confidence "
        "(expected one of low, moderate and high)",
    ),
    sheet_case(
        "reliability-case",
        S,
        "reliability: B",
        "reliability: b",
        "facts/main.yaml:10:18: error: 'b' is not a valid reliability (did you mean 'B'?)",
    ),
    sheet_case(
        "reliability-far",
        S,
        "reliability: B",
        "reliability: G",
        "facts/main.yaml:10:18: error: 'G' is not a valid reliability "
        "(expected one of A, B, C, D, E and F)",
    ),
    sheet_case(
        "reliability-list",
        S,
        "reliability: B",
        "reliability: [B]",
        "facts/main.yaml:10:18: error: a list is not a valid reliability "
        "(expected one of A, B, C, D, E and F)",
    ),
    sheet_case(
        "type-typo",
        S,
        "type: official",
        "type: offical",
        "facts/main.yaml:11:11: error: 'offical' is not a valid type (did you mean 'official'?)",
    ),
    sheet_case(
        "type-far",
        S,
        "type: official",
        "type: blog",
        "facts/main.yaml:11:11: error: 'blog' is not a valid type (expected one of official, "
        "media, think-tank, academic, intelligence, ngo, social and other)",
    ),
    sheet_case(
        "category-typo",
        S + FLOW,
        "category: weapons",
        "category: weapon",
        "facts/main.yaml:26:17: error: 'weapon' is not a valid category (did you mean 'weapons'?)",
    ),
    sheet_case(
        "category-far",
        S + FLOW,
        "category: weapons",
        "category: fuel",
        "facts/main.yaml:26:17: error: 'fuel' is not a valid category (expected one of "
        "weapons, ammunition, personnel, technology, economic and other)",
    ),
    sheet_case(
        "status-typo",
        S + AGREEMENT,
        "status: signed",
        "status: in force",
        "facts/main.yaml:25:15: error: 'in force' is not a valid status (did you mean 'in-force'?)",
    ),
    sheet_case(
        "status-far",
        S + AGREEMENT,
        "status: signed",
        "status: rumoured",
        "facts/main.yaml:25:15: error: 'rumoured' is not a valid status (expected one of "
        "proposed, signed, ratified, in-force, suspended and ended)",
    ),
    sheet_case(
        "likelihood-typo",
        S + RISK,
        "likelihood: likely",
        "likelihood: likley",
        "facts/main.yaml:23:19: error: 'likley' is not a valid likelihood (did you mean 'likely'?)",
    ),
    sheet_case(
        "likelihood-half-term",
        S + RISK,
        "likelihood: likely",
        "likelihood: even chance",
        "facts/main.yaml:23:19: error: 'even chance' is not a valid likelihood "
        "(did you mean 'roughly even chance'?)",
    ),
    sheet_case(
        "likelihood-far",
        S + RISK,
        "likelihood: likely",
        "likelihood: 60%",
        "facts/main.yaml:23:19: error: '60%' is not a valid likelihood (expected one of "
        "almost no chance, remote, very unlikely, highly improbable, unlikely, improbable, "
        "roughly even chance, roughly even odds, likely, probable, very likely, "
        "highly probable, almost certain and nearly certain)",
    ),
    sheet_case(
        "impact-typo",
        S + RISK,
        "impact: high",
        "impact: sever",
        "facts/main.yaml:24:15: error: 'sever' is not a valid impact (did you mean 'severe'?)",
    ),
    sheet_case(
        "impact-far",
        S + RISK,
        "impact: high",
        "impact: critical",
        "facts/main.yaml:24:15: error: 'critical' is not a valid impact "
        "(expected one of low, moderate, high and severe)",
    ),
]


@pytest.mark.parametrize(("sheet", "expected"), ENUM_CASES)
def test_enumerations(tmp_path: Path, sheet: str, expected: list[str]) -> None:
    assert sheet_problems(tmp_path, sheet) == expected


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        config_case(
            "format-typo",
            None,
            "    formats: [html, pfd]\n",
            "briefgen.yaml:10:21: error: 'pfd' is not a valid format (did you mean 'pdf'?)",
        ),
        config_case(
            "format-far",
            None,
            "    formats: [epub]\n",
            "briefgen.yaml:10:15: error: 'epub' is not a valid format "
            f"(expected one of {', '.join(list(FORMATS)[:-1])} and {list(FORMATS)[-1]})",
        ),
        config_case(
            "formats-empty",
            None,
            "    formats: []\n",
            "briefgen.yaml:10:14: error: 'formats' needs at least one of html, pdf "
            "(leave it out for both)",
        ),
        config_case(
            "formats-not-a-list",
            None,
            "    formats: pdf\n",
            f"briefgen.yaml:10:14: error: 'formats' must be a list, found 'pdf' ({LIST_HINT})",
        ),
    ],
)
def test_formats(tmp_path: Path, config: str, expected: list[str]) -> None:
    assert config_problems(tmp_path, config) == expected


# -- unknown keys, at every level --------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "expected"),
    [
        sheet_case(
            "fact",
            S,
            "    confidence: moderate\n",
            "    confidence: moderate\n    confidance: high\n",
            "facts/main.yaml:18:5: error: unknown key 'confidance' in a fact "
            "(did you mean 'confidence'?)",
        ),
        sheet_case(
            "fact-no-close-match",
            S,
            "    confidence: moderate\n",
            "    confidence: moderate\n    zzz: 1\n",
            "facts/main.yaml:18:5: error: unknown key 'zzz' in a fact (the keys are id, title, "
            "text, date, section, confidence, key, actors, tags, reviewed, acknowledge, sources, "
            "flow, agreement, risk, marking and withdrawn)",
        ),
        sheet_case(
            "source",
            S,
            "    type: official\n",
            "    type: official\n    publsher: SBS\n",
            "facts/main.yaml:12:5: error: unknown key 'publsher' in a source "
            "(did you mean 'publisher'?)",
        ),
        sheet_case(
            "actor",
            S,
            "    name: Russia\n",
            "    name: Russia\n    shrt: RF\n",
            "facts/main.yaml:5:5: error: unknown key 'shrt' in an actor (did you mean 'short'?)",
        ),
        sheet_case(
            "citation",
            S,
            "        credibility: 2\n",
            "        credibility: 2\n        qoute: it is so\n",
            "facts/main.yaml:22:9: error: unknown key 'qoute' in a citation "
            "(did you mean 'quote'?)",
        ),
        sheet_case(
            "flow",
            S + FLOW,
            None,
            "      unti: troops\n",
            "facts/main.yaml:27:7: error: unknown key 'unti' in a flow (did you mean 'unit'?)",
        ),
        sheet_case(
            "quantity",
            S + FLOW,
            None,
            "      quantity: {minimum: 3}\n",
            "facts/main.yaml:27:17: error: missing required key 'min' (a quantity needs min)",
            "facts/main.yaml:27:18: error: unknown key 'minimum' in a quantity "
            "(did you mean 'min'?)",
        ),
        sheet_case(
            "agreement",
            S + AGREEMENT,
            None,
            "      sined: 2024\n",
            "facts/main.yaml:26:7: error: unknown key 'sined' in an agreement "
            "(did you mean 'signed'?)",
        ),
        sheet_case(
            "risk",
            S + RISK,
            None,
            "      indicator: [troops seen]\n",
            "facts/main.yaml:25:7: error: unknown key 'indicator' in a risk "
            "(did you mean 'indicators'?)",
        ),
        sheet_case(
            "date-range",
            S,
            "date: 2024-11",
            "date: {from: 2024-01, too: 2024-02}",
            "facts/main.yaml:16:11: error: missing required key 'to' "
            "(a date range needs from and to)",
            "facts/main.yaml:16:27: error: unknown key 'too' in a date range (did you mean 'to'?)",
        ),
        sheet_case(
            "top-of-sheet",
            "sources: []\n",
            None,
            "fact: []\n",
            "facts/main.yaml:2:1: error: unknown key 'fact' in a fact sheet "
            "(did you mean 'facts'?)",
        ),
    ],
)
def test_unknown_keys_in_a_sheet(tmp_path: Path, sheet: str, expected: list[str]) -> None:
    assert sheet_problems(tmp_path, sheet) == expected


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        config_case(
            "top-of-briefgen-yaml",
            None,
            "brefings: []\n",
            "briefgen.yaml:10:1: error: unknown key 'brefings' in briefgen.yaml "
            "(did you mean 'briefings'?)",
        ),
        config_case(
            "top-of-briefgen-yaml-far",
            None,
            "output: docs\n",
            "briefgen.yaml:10:1: error: unknown key 'output' in briefgen.yaml "
            "(the keys are sections and briefings)",
        ),
        config_case(
            "section",
            "    title: Aid flows\n",
            "    title: Aid flows\n    intr: x\n",
            "briefgen.yaml:4:5: error: unknown key 'intr' in a section (did you mean 'intro'?)",
        ),
        config_case(
            "briefing",
            None,
            "    subtitel: x\n",
            "briefgen.yaml:10:5: error: unknown key 'subtitel' in a briefing "
            "(did you mean 'subtitle'?)",
        ),
        config_case(
            "include",
            None,
            "    include:\n      tag: [x]\n",
            "briefgen.yaml:11:7: error: unknown key 'tag' in a briefing's include "
            "(did you mean 'tags'?)",
        ),
    ],
)
def test_unknown_keys_in_briefgen_yaml(tmp_path: Path, config: str, expected: list[str]) -> None:
    assert config_problems(tmp_path, config) == expected


# -- required keys -----------------------------------------------------------------------

FACT_NEEDS = "a fact needs id, title, text, date, confidence and sources"


@pytest.mark.parametrize(
    ("sheet", "expected"),
    [
        *(
            sheet_case(
                f"fact-{key.split(':')[0].strip()}",
                S,
                key,
                "",
                f"facts/main.yaml:13:5: error: missing required key "
                f"'{key.split(':')[0].strip()}' ({FACT_NEEDS})",
            )
            for key in (
                "id: fact-one\n    ",
                "    title: A fact\n",
                "    text: Something happened.\n",
                "    date: 2024-11\n",
                "    confidence: moderate\n",
            )
        ),
        sheet_case(
            "fact-sources",
            S,
            "    sources:\n      - source: src\n        credibility: 2\n",
            "",
            f"facts/main.yaml:13:5: error: missing required key 'sources' ({FACT_NEEDS})",
        ),
        sheet_case(
            "actor-name",
            S,
            "    name: Russia\n",
            "",
            "facts/main.yaml:3:5: error: missing required key 'name' (an actor needs id and name)",
        ),
        sheet_case(
            "actor-id",
            S,
            "  - id: RU\n    name: Russia\n",
            "  - name: Russia\n",
            "facts/main.yaml:3:5: error: missing required key 'id' (an actor needs id and name)",
            "facts/main.yaml:17:14: error: unknown actor 'RU' "
            "(declare it under 'actors:' in a fact sheet)",
        ),
        sheet_case(
            "source-reliability-and-type",
            S,
            "    reliability: B\n    type: official\n",
            "",
            "facts/main.yaml:8:5: error: missing required key 'reliability' "
            "(a source needs id, title, reliability and type)",
            "facts/main.yaml:8:5: error: missing required key 'type' "
            "(a source needs id, title, reliability and type)",
        ),
        sheet_case(
            "source-title",
            S,
            "    title: A source\n",
            "",
            "facts/main.yaml:8:5: error: missing required key 'title' "
            "(a source needs id, title, reliability and type)",
        ),
        sheet_case(
            "citation-credibility",
            S,
            "        credibility: 2\n",
            "",
            "facts/main.yaml:20:9: error: missing required key 'credibility' "
            "(a citation needs source and credibility)",
        ),
        sheet_case(
            "citation-source",
            S,
            "      - source: src\n        credibility: 2\n",
            "      - credibility: 2\n",
            "facts/main.yaml:20:9: error: missing required key 'source' "
            "(a citation needs source and credibility)",
        ),
        sheet_case(
            "flow",
            S,
            None,
            "    flow:\n      from: RU\n",
            "facts/main.yaml:23:7: error: missing required key 'category' "
            "(a flow needs from, to, what and category)",
            "facts/main.yaml:23:7: error: missing required key 'to' "
            "(a flow needs from, to, what and category)",
            "facts/main.yaml:23:7: error: missing required key 'what' "
            "(a flow needs from, to, what and category)",
        ),
        sheet_case(
            "agreement",
            S,
            None,
            "    agreement:\n      parties: [RU, KP]\n",
            "facts/main.yaml:23:7: error: missing required key 'name' "
            "(an agreement needs name, parties and status)",
            "facts/main.yaml:23:7: error: missing required key 'status' "
            "(an agreement needs name, parties and status)",
        ),
        sheet_case(
            "agreement-parties",
            S + AGREEMENT,
            "      parties: [RU, KP]\n",
            "",
            "facts/main.yaml:23:7: error: missing required key 'parties' "
            "(an agreement needs name, parties and status)",
        ),
        sheet_case(
            "risk",
            S,
            None,
            "    risk: {}\n",
            "facts/main.yaml:22:11: error: missing required key 'impact' "
            "(a risk needs likelihood and impact)",
            "facts/main.yaml:22:11: error: missing required key 'likelihood' "
            "(a risk needs likelihood and impact)",
        ),
    ],
)
def test_required_keys_in_a_sheet(tmp_path: Path, sheet: str, expected: list[str]) -> None:
    assert sheet_problems(tmp_path, sheet) == expected


SECTIONS_HINT = "list the sections facts may belong to, each with an id and a title"
BRIEFINGS_HINT = "add at least one briefing with an id, a title and an edition date"


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        config_case(
            "section-title",
            "    title: Aid flows\n",
            "",
            "briefgen.yaml:2:5: error: missing required key 'title' (a section needs id and title)",
        ),
        config_case(
            "briefing-title-and-edition",
            "    title: A briefing\n    edition: 2024-11-25\n",
            "",
            "briefgen.yaml:7:5: error: missing required key 'edition' "
            "(a briefing needs id, title and edition)",
            "briefgen.yaml:7:5: error: missing required key 'title' "
            "(a briefing needs id, title and edition)",
        ),
        config_case(
            "briefing-id",
            "  - id: brief\n    title",
            "  - title",
            "briefgen.yaml:7:5: error: missing required key 'id' "
            "(a briefing needs id, title and edition)",
        ),
        config_case(
            "briefings",
            "briefings:\n  - id: brief\n    title: A briefing\n    edition: 2024-11-25\n",
            "",
            f"briefgen.yaml:1:1: error: missing required key 'briefings' ({BRIEFINGS_HINT})",
        ),
        config_case(
            "briefings-empty",
            "briefings:\n  - id: brief\n    title: A briefing\n    edition: 2024-11-25\n",
            "briefings: []\n",
            "briefgen.yaml:6:12: error: 'briefings' needs at least one entry",
        ),
        config_case(
            "sections-empty",
            "sections:\n  - id: aid-flows\n    title: Aid flows\n  - id: risks\n    title: Risks\n",
            "sections: []\n",
            "briefgen.yaml:1:11: error: 'sections' needs at least one entry",
            "facts/main.yaml:1:10: error: unknown section 'aid-flows' "
            "(declare sections in briefgen.yaml)",
        ),
        config_case(
            "sections",
            "sections:\n  - id: aid-flows\n    title: Aid flows\n  - id: risks\n    title: Risks\n",
            "",
            f"briefgen.yaml:1:1: error: missing required key 'sections' ({SECTIONS_HINT})",
        ),
        config_case(
            "empty-file",
            MINIMAL_CONFIG,
            "",
            f"briefgen.yaml:1:1: error: missing required key 'briefings' ({BRIEFINGS_HINT})",
            f"briefgen.yaml:1:1: error: missing required key 'sections' ({SECTIONS_HINT})",
        ),
    ],
)
def test_required_keys_in_briefgen_yaml(tmp_path: Path, config: str, expected: list[str]) -> None:
    assert config_problems(tmp_path, config) == expected


def test_a_missing_briefgen_yaml(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    (tmp_path / "briefgen.yaml").unlink()
    assert problems_in(tmp_path) == [
        f"briefgen.yaml:1:1: error: file not found in {tmp_path} "
        "(run briefgen in a project folder, or pass --project DIR)"
    ]


# -- ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("fact one", f"'fact one' is not a valid id ({ID_HINT})"),
        ("-fact", f"'-fact' is not a valid id ({ID_HINT})"),
        (".fact", f"'.fact' is not a valid id ({ID_HINT})"),
        ("_fact", f"'_fact' is not a valid id ({ID_HINT})"),
        ("facts/one", f"'facts/one' is not a valid id ({ID_HINT})"),
        ("'fakt-ü'", f"'fakt-ü' is not a valid id ({ID_HINT})"),
        (
            "a" * 65,
            f"'{'a' * 40}...' is too long for an id (65 characters) "
            "(an id has at most 64 characters)",
        ),
    ],
)
def test_bad_ids(tmp_path: Path, written: str, expected: str) -> None:
    sheet = edit(S, "id: fact-one", f"id: {written}")
    assert sheet_problems(tmp_path, sheet) == [f"facts/main.yaml:13:9: error: {expected}"]


@pytest.mark.parametrize(
    ("written", "kept"),
    [("123", "123"), ("1.10", "1.10"), ("007", "007"), ("1e3", "1e3"), ("a" * 64, "a" * 64)],
)
def test_ids_that_look_like_numbers_keep_their_text(
    tmp_path: Path, written: str, kept: str
) -> None:
    sheet = edit(S, "id: fact-one", f"id: {written}")
    project, problems = validate(minimal_project(tmp_path, **{"facts/main.yaml": sheet}))
    assert problems == []
    assert list(project.facts) == [kept]


def test_ids_are_checked_wherever_they_are_written(tmp_path: Path) -> None:
    sheet = edit(S, "- id: RU", "- id: R U")
    sheet = edit(sheet, "type: official", "type: official\n    origin: kr gov")
    config = edit(MINIMAL_CONFIG, "id: brief", "id: ../escape")
    config = edit(config, "id: risks", "id: 'risks!'")
    root = minimal_project(tmp_path, **{"facts/main.yaml": sheet, "briefgen.yaml": config})
    assert problems_in(root) == [
        f"briefgen.yaml:4:9: error: 'risks!' is not a valid id ({ID_HINT})",
        f"briefgen.yaml:7:9: error: '../escape' is not a valid id ({ID_HINT})",
        f"facts/main.yaml:3:9: error: 'R U' is not a valid id ({ID_HINT})",
        f"facts/main.yaml:12:13: error: 'kr gov' is not a valid id ({ID_HINT})",
        "facts/main.yaml:19:14: error: unknown actor 'RU' (did you mean 'R U'?)",
    ]


# -- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024-02-30", "'2024-02-30' is not a real date: February 2024 has 29 days"),
        ("2023-02-29", "'2023-02-29' is not a real date: February 2023 has 28 days"),
        ("2024-04-31", "'2024-04-31' is not a real date: April 2024 has 30 days"),
        ("2024-11-00", "'2024-11-00' is not a real date: there is no day 0"),
        ("2023-13", "'2023-13' is not a real date: there is no month 13"),
        ("2024-00", "'2024-00' is not a real date: there is no month 0"),
        ("0000", "'0000' is not a real date: there is no year 0"),
        ("Nov 2024", "'Nov 2024' is not a date"),
        ("2024-1", "'2024-1' is not a date"),
        ("2024/11/25", "'2024/11/25' is not a date"),
        ("24-11-25", "'24-11-25' is not a date"),
        ("2024-11-25T10:00", "'2024-11-25T10:00' is not a date"),
        ("[2024]", "'date' must be a date, found a list"),
        ("true", "'date' must be a date, found true"),
    ],
)
def test_bad_dates(tmp_path: Path, written: str, expected: str) -> None:
    sheet = edit(S, "date: 2024-11", f"date: {written}")
    assert sheet_problems(tmp_path, sheet) == [
        f"facts/main.yaml:16:11: error: {expected} ({DATE_HINT})"
    ]


@pytest.mark.parametrize("written", ["2024", "2024-11", "2024-02-29", "'2024-11-25'", "2000-02-29"])
def test_good_dates(tmp_path: Path, written: str) -> None:
    assert sheet_problems(tmp_path, edit(S, "date: 2024-11", f"date: {written}")) == []


BAD_DAY = "'2024-02-30' is not a real date: February 2024 has 29 days"


@pytest.mark.parametrize(
    ("sheet", "expected"),
    [
        sheet_case(
            "published",
            S,
            "    type: official\n",
            "    type: official\n    published: 2024-02-30\n",
            f"facts/main.yaml:12:16: error: {BAD_DAY} ({DATE_HINT})",
        ),
        sheet_case(
            "accessed",
            S,
            "    type: official\n",
            "    type: official\n    accessed: 2024-02-30\n",
            f"facts/main.yaml:12:15: error: {BAD_DAY} ({DATE_HINT})",
        ),
        sheet_case(
            "reviewed",
            S,
            None,
            "    reviewed: 2024-02-30\n",
            f"facts/main.yaml:22:15: error: {BAD_DAY} ({DATE_HINT})",
        ),
        sheet_case(
            "range-from",
            S,
            "date: 2024-11",
            "date: {from: 2024-02-30, to: 2024-11}",
            f"facts/main.yaml:16:18: error: {BAD_DAY} ({DATE_HINT})",
        ),
        sheet_case(
            "range-to",
            S,
            "date: 2024-11",
            "date: {from: 2024-01, to: 2024-02-30}",
            f"facts/main.yaml:16:31: error: {BAD_DAY} ({DATE_HINT})",
        ),
        sheet_case(
            "flow-since",
            S + FLOW,
            None,
            "      since: 2024-02-30\n",
            f"facts/main.yaml:27:14: error: {BAD_DAY} ({DATE_HINT})",
        ),
        sheet_case(
            "agreement-signed",
            S + AGREEMENT,
            None,
            "      signed: 2024-02-30\n",
            f"facts/main.yaml:26:15: error: {BAD_DAY} ({DATE_HINT})",
        ),
    ],
)
def test_impossible_dates_in_every_date_field_of_a_sheet(
    tmp_path: Path, sheet: str, expected: list[str]
) -> None:
    assert sheet_problems(tmp_path, sheet) == expected


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        config_case(
            "edition",
            "edition: 2024-11-25",
            "edition: 2024-02-30",
            f"briefgen.yaml:9:14: error: {BAD_DAY} ({DATE_HINT})",
        ),
        config_case(
            "include-since",
            None,
            "    include:\n      since: 2024-02-30\n",
            f"briefgen.yaml:11:14: error: {BAD_DAY} ({DATE_HINT})",
        ),
        config_case(
            "include-until",
            None,
            "    include:\n      until: 2024-02-30\n",
            f"briefgen.yaml:11:14: error: {BAD_DAY} ({DATE_HINT})",
        ),
    ],
)
def test_impossible_dates_in_briefgen_yaml(
    tmp_path: Path, config: str, expected: list[str]
) -> None:
    assert config_problems(tmp_path, config) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("{from: 2024-11, to: 2024-01}", "the range ends (2024-01) before it starts (2024-11)"),
        (
            "{from: 2024-11-05, to: 2024-11-04}",
            "the range ends (2024-11-04) before it starts (2024-11-05)",
        ),
        ("{from: 2025, to: 2024-12-31}", "the range ends (2024-12-31) before it starts (2025)"),
    ],
)
def test_date_ranges_go_forwards(tmp_path: Path, written: str, expected: str) -> None:
    sheet = edit(S, "date: 2024-11", f"date: {written}")
    assert sheet_problems(tmp_path, sheet) == [
        f"facts/main.yaml:16:11: error: {expected} "
        "(put the earlier date in 'from' and the later one in 'to')"
    ]


@pytest.mark.parametrize(
    "written",
    [
        "{from: 2023-08, to: 2024-12}",
        "{from: 2024-11, to: 2024-11}",
        # A partial end covers its whole month or year, so these end after they start.
        "{from: 2024-11-05, to: 2024-11}",
        "{from: 2024-06, to: 2024}",
    ],
)
def test_date_ranges_that_go_forwards(tmp_path: Path, written: str) -> None:
    assert sheet_problems(tmp_path, edit(S, "date: 2024-11", f"date: {written}")) == []


# -- numbers and quantities --------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("0", "'credibility' must be from 1 to 6, found 0"),
        ("7", "'credibility' must be from 1 to 6, found 7"),
        ("two", "'credibility' must be a whole number, found 'two'"),
        ("2.5", "'credibility' must be a whole number, found '2.5'"),
        ("true", "'credibility' must be a whole number, found true"),
        ("B2", "'credibility' must be a whole number, found 'B2'"),
    ],
)
def test_credibility(tmp_path: Path, written: str, expected: str) -> None:
    sheet = edit(S, "credibility: 2", f"credibility: {written}")
    assert sheet_problems(tmp_path, sheet) == [f"facts/main.yaml:21:22: error: {expected}"]


@pytest.mark.parametrize(
    ("written", "column", "expected"),
    [
        ("-5", 17, "'quantity' must not be negative, found -5"),
        ("{min: -5}", 23, "'min' must not be negative, found -5"),
        ("{min: 5, max: -1}", 31, "'max' must not be negative, found -1"),
        (
            "{min: 20, max: 10}",
            17,
            "min (20) is greater than max (10) (swap them; min is the lower bound)",
        ),
        ("{min: lots}", 23, "'min' must be a number, found 'lots'"),
        ("{min: true}", 23, "'min' must be a number, found true"),
        ("many", 17, f"'quantity' must be a number or a range, found 'many' ({QUANTITY_HINT})"),
        (
            "10,000",
            17,
            f"'quantity' must be a number or a range, found '10,000' ({QUANTITY_HINT})",
        ),
        ("1e999", 17, f"'quantity' must be a number or a range, found '1e999' ({QUANTITY_HINT})"),
        (".nan", 17, f"'quantity' must be a number or a range, found '.nan' ({QUANTITY_HINT})"),
        ("[1, 2]", 17, f"'quantity' must be a number or a range, found a list ({QUANTITY_HINT})"),
        ("true", 17, f"'quantity' must be a number or a range, found true ({QUANTITY_HINT})"),
        (
            "{about: 100, max: 120}",
            17,
            "'about' and 'max' in one quantity (write {about: N} for an estimate, or min and "
            "max for a range, not both)",
        ),
        (
            "{about: lots}",
            17,
            "'about' must be a number that is not negative, found 'lots' (write the estimate "
            "as a number, e.g. {about: 108.5})",
        ),
        (
            "{about: -3}",
            17,
            "'about' must be a number that is not negative, found '-3' (write the estimate "
            "as a number, e.g. {about: 108.5})",
        ),
    ],
)
def test_quantities(tmp_path: Path, written: str, column: int, expected: str) -> None:
    sheet = S + FLOW + f"      quantity: {written}\n"
    assert sheet_problems(tmp_path, sheet) == [f"facts/main.yaml:27:{column}: error: {expected}"]


@pytest.mark.parametrize(
    "written", ["0", "1.5", "10000", "{min: 0}", "{min: 10, max: 10}", "{about: 108.5}"]
)
def test_good_quantities(tmp_path: Path, written: str) -> None:
    assert sheet_problems(tmp_path, S + FLOW + f"      quantity: {written}\n") == []


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        config_case(
            "negative",
            None,
            "    stale_after_days: -1\n",
            "briefgen.yaml:10:23: error: 'stale_after_days' must not be negative, found -1",
        ),
        config_case(
            "text",
            None,
            "    stale_after_days: soon\n",
            "briefgen.yaml:10:23: error: 'stale_after_days' must be a whole number, found 'soon'",
        ),
        config_case(
            "boolean",
            None,
            "    stale_after_days: true\n",
            "briefgen.yaml:10:23: error: 'stale_after_days' must be a whole number, found true",
        ),
        config_case(
            "fraction",
            None,
            "    stale_after_days: 1.5\n",
            "briefgen.yaml:10:23: error: 'stale_after_days' must be a whole number, found '1.5'",
        ),
    ],
)
def test_stale_after_days(tmp_path: Path, config: str, expected: list[str]) -> None:
    assert config_problems(tmp_path, config) == expected


# -- agreements, exclusive blocks, urls --------------------------------------------------


@pytest.mark.parametrize(
    ("parties", "found"), [("[RU]", 1), ("[RU, RU]", 1), ("[KP, KP, KP]", 1), ("[]", 0)]
)
def test_an_agreement_needs_two_distinct_parties(tmp_path: Path, parties: str, found: int) -> None:
    sheet = edit(S + AGREEMENT, "parties: [RU, KP]", f"parties: {parties}")
    assert sheet_problems(tmp_path, sheet) == [
        f"facts/main.yaml:24:16: error: an agreement needs two or more different parties; "
        f"found {found} ({PARTIES_HINT})"
    ]


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        (
            FLOW + RISK,
            ["facts/main.yaml:27:5: error: 'risk' and 'flow' in one fact"],
        ),
        (
            AGREEMENT + RISK,
            ["facts/main.yaml:26:5: error: 'risk' and 'agreement' in one fact"],
        ),
        (
            FLOW + AGREEMENT + RISK,
            [
                "facts/main.yaml:27:5: error: 'agreement' and 'flow' in one fact",
                "facts/main.yaml:31:5: error: 'risk' and 'flow' in one fact",
            ],
        ),
    ],
)
def test_a_fact_has_at_most_one_of_flow_agreement_and_risk(
    tmp_path: Path, blocks: str, expected: list[str]
) -> None:
    rest = "; a fact has at most one of flow, agreement and risk (split it into two facts)"
    assert sheet_problems(tmp_path, S + blocks) == [line + rest for line in expected]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/report.pdf",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,hi",
        "example.org/report",
        "//example.org/report",
        "http://",
        "https://example.org/a report",
    ],
)
def test_urls_are_http_or_https_only(tmp_path: Path, url: str) -> None:
    sheet = edit(S, "    type: official\n", f"    type: official\n    url: '{url}'\n")
    assert sheet_problems(tmp_path, sheet) == [
        f"facts/main.yaml:12:10: error: '{url}' is not an http or https URL ({URL_HINT})"
    ]


@pytest.mark.parametrize(
    "url", ["https://example.org", "http://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG/X"]
)
def test_good_urls(tmp_path: Path, url: str) -> None:
    sheet = edit(S, "    type: official\n", f"    type: official\n    url: {url}\n")
    assert sheet_problems(tmp_path, sheet) == []


# -- types: text, lists, mappings, booleans ----------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("''", "'title' must not be empty"),
        ("'   '", "'title' must not be empty"),
        ("", "'title' must not be empty"),
        ("[a, b]", "'title' must be text, found a list"),
        ("{a: b}", "'title' must be text, found a mapping"),
        (
            "true",
            "'title' must be text, found true (put quotes around it if it should be read as text)",
        ),
    ],
)
def test_text_fields(tmp_path: Path, written: str, expected: str) -> None:
    sheet = edit(S, "title: A fact", f"title: {written}".rstrip())
    column = 11 if written == "" else 12
    assert sheet_problems(tmp_path, sheet) == [f"facts/main.yaml:14:{column}: error: {expected}"]


def text_case(
    path: str, base: str, old: str, key: str, where: str, *, entry: bool = False
) -> pytest.ParameterSet:
    """`key` given a list (a list of lists where it is a list of text), after `old`."""
    value = "[[a]]" if entry else "[a]"
    # Indented as a sibling of `old`, or as its child when `old` opens a list item or a block.
    depth = len(old) - len(old.lstrip()) + 2 * old.lstrip().startswith("- ") + 2 * old.endswith(":")
    indent = " " * depth
    text = edit(base, old + "\n", f"{old}\n{indent}{key}: {value}\n")
    subject = f"each entry of '{key}'" if entry else f"'{key}'"
    expected = f"{path}:{where}: error: {subject} must be text, found a list"
    return pytest.param(path, text, expected, id=f"{path}-{key}")


C = MINIMAL_CONFIG
BRIEFING = "    title: A briefing"

# Every text field of every model, each given a list.
TEXT_FIELDS = [
    text_case("facts/main.yaml", S, "    name: Russia", "short", "5:12"),
    text_case(
        "facts/main.yaml", edit(S, "    name: North Korea\n", ""), "  - id: KP", "name", "6:11"
    ),
    text_case(
        "facts/main.yaml", edit(S, "    title: A source\n", ""), "  - id: src", "title", "9:12"
    ),
    text_case("facts/main.yaml", S, "    type: official", "publisher", "12:16"),
    text_case("facts/main.yaml", S, "        credibility: 2", "quote", "22:16"),
    text_case("facts/main.yaml", S, "        credibility: 2", "locator", "22:18"),
    text_case("facts/main.yaml", S, "    confidence: moderate", "tags", "18:12", entry=True),
    text_case(
        "facts/main.yaml", edit(S, "    title: A fact\n", ""), "  - id: fact-one", "title", "14:12"
    ),
    text_case(
        "facts/main.yaml",
        edit(S, "    text: Something happened.\n", ""),
        "    title: A fact",
        "text",
        "15:11",
    ),
    text_case(
        "facts/main.yaml",
        edit(S + FLOW, "      what: missiles\n", ""),
        "      to: KP",
        "what",
        "25:13",
    ),
    text_case("facts/main.yaml", S + FLOW, "      category: weapons", "unit", "27:13"),
    text_case(
        "facts/main.yaml",
        edit(S + AGREEMENT, "      name: Treaty\n", ""),
        "    agreement:",
        "name",
        "23:13",
    ),
    text_case("facts/main.yaml", S + AGREEMENT, "      status: signed", "place", "26:14"),
    text_case(
        "facts/main.yaml", S + AGREEMENT, "      status: signed", "terms", "26:15", entry=True
    ),
    text_case("facts/main.yaml", S + RISK, "      impact: high", "indicators", "25:20", entry=True),
    text_case("briefgen.yaml", edit(C, "    title: Risks\n", ""), "  - id: risks", "title", "5:12"),
    text_case("briefgen.yaml", C, "    title: Risks", "intro", "6:12"),
    text_case("briefgen.yaml", edit(C, BRIEFING + "\n", ""), "  - id: brief", "title", "8:12"),
    text_case("briefgen.yaml", C, BRIEFING, "subtitle", "9:15"),
    text_case("briefgen.yaml", C, BRIEFING, "author", "9:13"),
    text_case("briefgen.yaml", C, BRIEFING, "classification", "9:21"),
    text_case("briefgen.yaml", C, BRIEFING, "summary", "9:14"),
]


@pytest.mark.parametrize(("path", "text", "expected"), TEXT_FIELDS)
def test_every_text_field_must_be_text(tmp_path: Path, path: str, text: str, expected: str) -> None:
    assert problems_in(minimal_project(tmp_path, **{path: text})) == [expected]


def test_include_tags_must_be_text(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + "    include:\n      tags: [[a]]\n"
    assert config_problems(tmp_path, config) == [
        "briefgen.yaml:11:14: error: each entry of 'tags' must be text, found a list"
    ]


@pytest.mark.parametrize(
    ("sheet", "expected"),
    [
        sheet_case(
            "actors-as-text",
            S,
            "actors: [RU, KP]",
            "actors: RU",
            f"facts/main.yaml:18:13: error: 'actors' must be a list, found 'RU' ({LIST_HINT})",
        ),
        sheet_case(
            "tags-with-a-boolean",
            S,
            None,
            "    tags: [true]\n",
            "facts/main.yaml:22:12: error: each entry of 'tags' must be text, found true "
            "(put quotes around it if it should be read as text)",
        ),
        sheet_case(
            "citations-as-a-mapping",
            S,
            "    sources:\n      - source: src\n",
            "    sources:\n        source: src\n",
            f"facts/main.yaml:20:9: error: 'sources' must be a list, found a mapping ({LIST_HINT})",
        ),
        sheet_case(
            "no-citations",
            S,
            "    sources:\n      - source: src\n        credibility: 2\n",
            "    sources: []\n",
            "facts/main.yaml:19:14: error: a fact needs at least one source",
        ),
        sheet_case(
            "facts-as-a-mapping",
            "facts:\n  one: 1\n",
            None,
            "",
            "facts/main.yaml:2:3: error: 'facts' must be a list, found a mapping "
            "(start each entry with '- ')",
        ),
        sheet_case(
            "a-fact-as-text",
            "facts:\n  - just a sentence\n",
            None,
            "",
            f"facts/main.yaml:2:5: error: a fact must be keys and values, found "
            f"'just a sentence' ({MAPPING_HINT})",
        ),
        sheet_case(
            "an-actor-as-text",
            "actors:\n  - RU\n",
            None,
            "",
            f"facts/main.yaml:2:5: error: an actor must be keys and values, found 'RU' "
            f"({MAPPING_HINT})",
        ),
        sheet_case(
            "sheet-as-a-list",
            "- id: x\n",
            None,
            "",
            f"facts/main.yaml:1:1: error: a fact sheet must be keys and values, found a list "
            f"({MAPPING_HINT})",
        ),
        sheet_case(
            "flow-as-text",
            S,
            None,
            "    flow: RU to KP\n",
            "facts/main.yaml:22:11: error: 'flow' must be a mapping of keys to values, "
            "found 'RU to KP'",
        ),
        sheet_case(
            "terms-as-text",
            S + AGREEMENT,
            None,
            "      terms: Mutual aid.\n",
            f"facts/main.yaml:26:14: error: 'terms' must be a list, found 'Mutual aid.' "
            f"({LIST_HINT})",
        ),
        sheet_case(
            "an-empty-indicator",
            S + RISK,
            None,
            "      indicators: ['']\n",
            "facts/main.yaml:25:20: error: each entry of 'indicators' must not be empty",
        ),
        sheet_case(
            "key-as-text",
            S,
            None,
            "    key: on\n",
            "facts/main.yaml:22:10: error: 'key' must be true or false, found 'on' (only true "
            "and false, unquoted, are booleans; yes, no, on and off are text)",
        ),
        sheet_case(
            "default-section-as-a-list",
            S,
            "section: aid-flows\n",
            "section: [aid-flows]\n",
            "facts/main.yaml:1:10: error: 'section' must be text, found a list",
            "facts/main.yaml:13:5: error: fact 'fact-one' has no section (add 'section:' to "
            "the fact, or a default 'section:' at the top of its sheet)",
        ),
    ],
)
def test_shapes_in_a_sheet(tmp_path: Path, sheet: str, expected: list[str]) -> None:
    assert sheet_problems(tmp_path, sheet) == expected


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        config_case(
            "briefgen-yaml-as-a-list",
            MINIMAL_CONFIG,
            "- sections\n",
            f"briefgen.yaml:1:1: error: briefgen.yaml must be keys and values, found a list "
            f"({MAPPING_HINT})",
        ),
        config_case(
            "briefing-sections-empty",
            None,
            "    sections: []\n",
            "briefgen.yaml:10:15: error: 'sections' needs at least one section "
            "(leave it out for every section)",
        ),
        config_case(
            "include-tags-empty",
            None,
            "    include:\n      tags: []\n",
            "briefgen.yaml:11:13: error: 'tags' needs at least one tag "
            "(leave it out to include facts with any tags)",
        ),
        config_case(
            "include-actors-empty",
            None,
            "    include:\n      actors: []\n",
            "briefgen.yaml:11:15: error: 'actors' needs at least one actor "
            "(leave it out to include facts about anyone)",
        ),
        config_case(
            "include-tags-as-text",
            None,
            "    include:\n      tags: air-defence\n",
            f"briefgen.yaml:11:13: error: 'tags' must be a list, found 'air-defence' ({LIST_HINT})",
        ),
        config_case(
            "intro-as-a-mapping",
            "    title: Risks\n",
            "    title: Risks\n    intro:\n      text: x\n",
            "briefgen.yaml:7:7: error: 'intro' must be text, found a mapping",
        ),
    ],
)
def test_shapes_in_briefgen_yaml(tmp_path: Path, config: str, expected: list[str]) -> None:
    assert config_problems(tmp_path, config) == expected
