"""FORMAT 1.2's rules, each broken once, with the exact located message: markings and
releases, shared judgments, withdrawn facts, a source's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, MINIMAL_SHEET, edit, minimal_project, run

from briefgen.build import validate

SHARED = """\
judgments:
  - id: j-one
    text: It goes on.
    confidence: low
    based_on: [fact-one]
"""
IN_PLACE = """\
    judgments:
      - text: It goes on.
        confidence: low
        based_on: [fact-one]
"""


def on_fact(lines: str) -> str:
    return edit(MINIMAL_SHEET, "    confidence: moderate\n", "    confidence: moderate\n" + lines)


def on_source(lines: str) -> str:
    return edit(MINIMAL_SHEET, "    type: official\n", "    type: official\n" + lines)


CASES = {
    "unknown-marking-on-a-fact": (
        {"facts/main.yaml": on_fact("    marking: TLP:AMBR\n")},
        "facts/main.yaml:18:14: error: unknown marking 'TLP:AMBR' (did you mean 'TLP:AMBER'?)",
    ),
    "unknown-marking-on-a-source": (
        {"facts/main.yaml": on_source("    marking: SECRET\n")},
        "facts/main.yaml:12:14: error: unknown marking 'SECRET' (the markings are TLP:CLEAR, "
        "TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED)",
    ),
    "unknown-release": (
        {"briefgen.yaml": MINIMAL_CONFIG + "    release: TLP:GREEEN\n"},
        "briefgen.yaml:10:14: error: unknown marking 'TLP:GREEEN' (did you mean 'TLP:GREEN'?)",
    ),
    "unknown-default-marking": (
        {
            "briefgen.yaml": "markings: [OFFICIAL, OFFICIAL-SENSITIVE]\n"
            "default_marking: OFFICAL\n" + MINIMAL_CONFIG
        },
        "briefgen.yaml:2:18: error: unknown marking 'OFFICAL' (did you mean 'OFFICIAL'?)",
    ),
    "empty-markings": (
        {"briefgen.yaml": "markings: []\n" + MINIMAL_CONFIG},
        "briefgen.yaml:1:11: error: 'markings' needs at least one entry",
    ),
    "unknown-shared-judgment": (
        {"briefgen.yaml": SHARED + MINIMAL_CONFIG + "    judgments: [j-onee]\n"},
        "briefgen.yaml:15:17: error: judgment 1 names unknown shared judgment 'j-onee' "
        "(did you mean 'j-one'?)",
    ),
    "shared-judgment-on-an-unknown-fact": (
        {
            "briefgen.yaml": edit(SHARED, "[fact-one]", "[fact-onee]")
            + MINIMAL_CONFIG
            + "    judgments: [j-one]\n"
        },
        "briefgen.yaml:5:16: error: shared judgment 'j-one' is based on unknown fact "
        "'fact-onee' (did you mean 'fact-one'?)",
    ),
    "shared-judgment-without-an-id": (
        {"briefgen.yaml": edit(SHARED, "  - id: j-one\n    text:", "  - text:") + MINIMAL_CONFIG},
        "briefgen.yaml:2:5: error: missing required key 'id' (a shared judgment needs id, "
        "text, confidence and based_on)",
    ),
    "two-shared-judgments-with-one-id": (
        {"briefgen.yaml": SHARED + SHARED.removeprefix("judgments:\n") + MINIMAL_CONFIG},
        "briefgen.yaml:6:9: error: duplicate judgment id 'j-one' (first declared at "
        "briefgen.yaml:2:9; ids are unique across the project)",
    ),
    "withdrawn-without-a-reason": (
        {"facts/main.yaml": on_fact("    withdrawn:\n      date: 2024-12-01\n")},
        "facts/main.yaml:19:7: error: missing required key 'reason' (a withdrawal needs date "
        "and reason)",
    ),
    "a-judgment-on-a-withdrawn-fact": (
        {
            "facts/main.yaml": on_fact(
                "    withdrawn:\n      date: 2024-12-01\n      reason: The report was retracted.\n"
            ),
            "briefgen.yaml": MINIMAL_CONFIG + IN_PLACE,
        },
        "briefgen.yaml:13:20: error: judgment 1 is based on fact 'fact-one', which briefing "
        "'brief' leaves out: it was withdrawn on 2024-12-01: The report was retracted. (base "
        "the judgment on facts the briefing shows, or widen its filter)",
    ),
    "a-language-that-is-no-tag": (
        {"facts/main.yaml": on_source("    lang: Korean!\n")},
        "facts/main.yaml:12:11: error: 'Korean!' is not a language tag (write a BCP 47 tag "
        "such as en, ko, ru, fa or zh-Hans)",
    ),
    "a-fact-marked-below-its-source": (
        {
            "facts/main.yaml": edit(
                on_source("    marking: TLP:AMBER\n"),
                "    confidence: moderate\n",
                "    confidence: moderate\n    marking: TLP:GREEN\n",
            )
        },
        "facts/main.yaml:19:14: warning: fact 'fact-one' is marked TLP:GREEN, below its source "
        "'src' (TLP:AMBER); it is handled as TLP:AMBER (mark the fact TLP:AMBER or higher, or "
        "cite a source marked TLP:GREEN or lower)",
    ),
    "a-released-judgment-with-no-shown-evidence": (
        {
            "facts/main.yaml": on_fact("    marking: TLP:RED\n"),
            "briefgen.yaml": MINIMAL_CONFIG
            + "    release: TLP:GREEN\n"
            + edit(IN_PLACE, "confidence: low\n", "confidence: low\n        marking: TLP:CLEAR\n"),
        },
        "briefgen.yaml:12:9: warning: judgment 1 of briefing 'brief' is shown at release "
        "TLP:GREEN, but every fact it is based on is withheld (base it on a fact the release "
        "shows, or mark the judgment above the release so that it is withheld too)",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_rule_gives_its_located_message(tmp_path: Path, case: str) -> None:
    files, expected = CASES[case]
    root = minimal_project(tmp_path, **files)
    assert expected in [str(p) for p in validate(root)[1]]


def test_a_shared_judgment_is_checked_in_each_briefing_that_names_it(tmp_path: Path) -> None:
    config = SHARED + MINIMAL_CONFIG + "    judgments: [j-one]\n"
    config += "  - id: other\n    title: Other\n    edition: 2024-11-25\n"
    config += "    sections: [risks]\n    judgments: [j-one]\n"
    root = minimal_project(tmp_path, **{"briefgen.yaml": config})
    assert (
        "briefgen.yaml:20:17: error: judgment 1 ('j-one') is based on fact 'fact-one', which "
        "briefing 'other' leaves out: its section, aid-flows, is not among the briefing's "
        "sections (risks) (base the judgment on facts the briefing shows, or widen its filter)"
    ) in [str(p) for p in validate(root)[1]]


def test_a_valid_1_2_project_has_no_problem(tmp_path: Path) -> None:
    sheet = on_source("    lang: ko\n    translated_title: The source\n    marking: TLP:GREEN\n")
    config = "markings: [TLP:CLEAR, TLP:GREEN]\n" + SHARED + MINIMAL_CONFIG
    config += "    release: TLP:GREEN\n    lang: en-GB\n    judgments:\n      - j-one\n"
    config += "      - id: j-two\n        text: Also.\n        confidence: low\n"
    config += "        based_on: [fact-one]\n"
    root = minimal_project(tmp_path, **{"facts/main.yaml": sheet, "briefgen.yaml": config})
    assert [str(p) for p in validate(root)[1]] == []


def test_a_withdrawn_fact_leaves_the_briefing_and_the_changes_give_its_reason(
    tmp_path: Path,
) -> None:
    second = (
        "  - id: fact-two\n    title: Another fact\n    text: Also.\n    date: 2024-11\n"
        "    confidence: low\n    sources:\n      - source: src\n        credibility: 3\n"
    )
    config = MINIMAL_CONFIG.replace("    edition: 2024-11-25\n", "    edition: 2024-11-25\n")
    config += "    formats: [html]\n"
    root = minimal_project(
        tmp_path, **{"briefgen.yaml": config, "facts/main.yaml": MINIMAL_SHEET + second}
    )
    assert run("build", "--project", root).exit_code == 0
    withdrawn = on_fact("    withdrawn:\n      date: 2024-12-01\n      reason: It was retracted.\n")
    (root / "facts/main.yaml").write_text(withdrawn + second, encoding="utf-8")
    (root / "briefgen.yaml").write_text(
        edit(config, "edition: 2024-11-25", "edition: 2024-12-02"), encoding="utf-8"
    )
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    html = (root / "output/brief.html").read_text(encoding="utf-8")
    assert 'id="fact-fact-one"' not in html  # it left the briefing
    assert "<del>A fact</del>: It was retracted." in html
    diff = run("diff", "brief", "--to", "2024-12-02", "--project", root)
    assert "fact-one: A fact (withdrawn: It was retracted.)" in diff.output
