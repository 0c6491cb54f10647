"""The language server's desk finds what `validate` finds, and no text an analyst can
type makes it, or any feature on top of it, fail (Hypothesis)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from helpers import copy_example, edit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types

from briefgen.build import validate
from briefgen.errors import Problem
from briefgen.lsp.actions import code_actions
from briefgen.lsp.completion import complete
from briefgen.lsp.describe import describe_id, describe_value
from briefgen.lsp.diagnostics import to_diagnostic
from briefgen.lsp.navigation import places
from briefgen.lsp.state import Desk
from briefgen.lsp.text import id_kind, spot_at

AIDS = "facts/aid-flows.yaml"


def flat(by_path: dict[str, list]) -> list:  # type: ignore[type-arg]
    return sorted(p for found in by_path.values() for p in found)


def test_the_desk_finds_what_validate_finds(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    sheet = root / AIDS
    sheet.write_text(
        edit(
            sheet.read_text(encoding="utf-8"),
            "confidence: moderate   # one official",
            "confidence: sure   # one official",
        ).replace("source: kr-intelligence-assessments", "source: kr-intel", 1),
        encoding="utf-8",
    )
    config = root / "briefgen.yaml"
    config.write_text("markings: [OFFICIAL, SECRET]\n" + config.read_text(encoding="utf-8"))
    sources = root / "facts/sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(
            "    reliability: B\n", "    reliability: B\n    marking: SECRT\n", 1
        )
    )
    desk = Desk(root)
    desk.scan()
    found = flat(desk.check())
    _, expected = validate(root)
    assert len(expected) >= 3
    assert any("SECRT" in p.message for p in expected)
    assert found == sorted(expected)
    assert [(p.hint, p.code, p.severity) for p in found] == [
        (p.hint, p.code, p.severity) for p in sorted(expected)
    ]


def test_an_edit_is_checked_as_validate_would_check_it_saved(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    desk = Desk(root)
    desk.scan()
    assert flat(desk.check()) == []
    text = (root / AIDS).read_text(encoding="utf-8")
    typo = text.replace("source: shin-interview-2024-11", "source: shin", 1)
    desk.edit(AIDS, typo.encode())
    in_editor = flat(desk.check())
    (root / AIDS).write_text(typo, encoding="utf-8")  # now saved: validate reads it
    _, saved = validate(root)
    assert in_editor == sorted(saved) and len(saved) == 1
    desk.edit(AIDS, text.encode())
    assert flat(desk.check()) == []


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    desk = Desk(copy_example(tmp_path_factory.mktemp("fuzz") / "project"))
    desk.scan()
    desk.check()
    return desk


_EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0),
        st.integers(min_value=0, max_value=60),
        st.one_of(
            st.text(max_size=12),
            st.sampled_from(["\n", ": ", "- ", "[", "]", "{", "'", "&a", "*a", "  ", "id: RU"]),
        ),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=_EDITS, line=st.integers(0, 200), column=st.integers(0, 80))
def test_no_edit_breaks_the_server(
    desk: Desk, edits: list[tuple[int, int, str]], line: int, column: int
) -> None:
    original = (desk.root / AIDS).read_text(encoding="utf-8")
    text = original
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut :]
    desk.edit(AIDS, text.encode("utf-8", errors="surrogatepass"))
    by_path = desk.check(warnings=bool(line % 2))
    lines = desk.text(AIDS).split("\n")
    diagnostics = [to_diagnostic(p, lines) for p in by_path.get(AIDS, [])]
    for diagnostic in diagnostics:
        assert diagnostic.range.start.line < max(len(lines), 1)
        assert diagnostic.range.start.character <= diagnostic.range.end.character
    uri = (desk.root / AIDS).as_uri()
    assert isinstance(code_actions(desk.project, uri, AIDS, lines, diagnostics), list)
    spot = spot_at(text, line, column)
    assert isinstance(complete(desk.project, spot, AIDS), list)
    kind = id_kind(spot.keys, AIDS)
    assert desk.project is not None
    if kind is not None:
        assert isinstance(describe_id(desk.project, kind[0], spot.word), str)
        for place in places(desk.project, kind[0], spot.word):
            assert place.start < place.end
    if spot.keys:
        assert isinstance(describe_value(spot.keys[-1], spot.value), str)
    desk.edit(AIDS, original.encode())
    assert flat(desk.check()) == []


def test_a_completion_after_source_offers_the_sources(desk: Desk) -> None:
    text = "facts:\n  - id: x\n    sources:\n      - source: \n"
    spot = spot_at(text, 3, len("      - source: "))
    assert spot.keys == ("facts", "sources", "source")
    labels = [item.label for item in complete(desk.project, spot, AIDS)]
    assert "article-military-exchange" in labels
    assert all(
        isinstance(item, types.CompletionItem) for item in complete(desk.project, spot, AIDS)
    )


def test_hover_words_for_grades_and_terms() -> None:
    text = "facts:\n  - id: x\n    risk:\n      likelihood: roughly even chance   # ICD\n"
    spot = spot_at(text, 3, len("      likelihood: rou"))
    assert spot.keys == ("facts", "risk", "likelihood")
    assert describe_value(spot.keys[-1], spot.value) == "ICD 203 'roughly even chance': 45–55%"
    assert describe_value("reliability", "B") == "Reliability B: usually reliable"
    assert describe_value("credibility", "7") == ""


def test_the_ids_a_key_holds() -> None:
    assert id_kind(("facts", "flow", "from"), AIDS) == ("actors", False)
    assert id_kind(("facts", "agreement", "parties"), AIDS) == ("actors", False)
    assert id_kind(("briefings", "include", "actors"), "briefgen.yaml") == ("actors", False)
    assert id_kind(("briefings", "judgments", "based_on"), "briefgen.yaml") == ("facts", False)
    assert id_kind(("briefings", "sections"), "briefgen.yaml") == ("sections", False)
    assert id_kind(("sources", "id"), "facts/sources.yaml") == ("sources", True)
    assert id_kind(("facts", "title"), AIDS) is None
    flow = "facts:\n  - id: x\n    flow:\n      from: RU\n      to: [KP\n"
    assert spot_at(flow, 3, len("      from: R")).keys == ("facts", "flow", "from")
    listed = (
        "briefings:\n  - id: b\n    judgments:\n      - text: t\n        based_on:\n          - a\n"
    )
    spot = spot_at(listed, 5, len("          - a"))
    assert (spot.keys, spot.word) == (("briefings", "judgments", "based_on"), "a")


def test_shared_judgments_ids_are_named_in_a_briefings_judgments() -> None:
    config = "briefgen.yaml"
    assert id_kind(("judgments", "id"), config) == ("judgments", True)
    assert id_kind(("briefings", "judgments"), config) == ("judgments", False)
    assert id_kind(("briefings", "judgments", "id"), config) is None  # written in place
    assert id_kind(("briefings", "judgments"), AIDS) is None
    text = (
        "briefings:\n  - id: b\n    judgments: [shared-one, shared-two]\n"
        "    judgments:\n      - shared-one\n      - text: |\n          It goes on, shared\n"
        "        confidence: low\n"
    )
    flow = spot_at(text, 2, len("    judgments: [shared-one, sha"))
    assert (flow.keys, flow.word) == (("briefings", "judgments"), "shared-two")
    block = spot_at(text, 4, len("      - sha"))
    assert (block.keys, block.word) == (("briefings", "judgments"), "shared-one")
    # A word in the text of a judgment written in place is no reference to a shared one.
    written = spot_at(text, 6, len("          It goes on, sha"))
    assert (written.keys, written.word) == (("briefings", "judgments", "text"), "shared")
    assert id_kind(written.keys, config) is None


def test_markings_complete_from_the_project_or_tlp(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    desk = Desk(root)
    desk.scan()
    desk.check()
    spot = spot_at("sources:\n  - id: s\n    marking: \n", 2, len("    marking: "))
    assert [i.label for i in complete(desk.project, spot, "facts/sources.yaml")] == [
        "TLP:CLEAR",
        "TLP:GREEN",
        "TLP:AMBER",
        "TLP:AMBER+STRICT",
        "TLP:RED",
    ]
    config = (root / "briefgen.yaml").read_text(encoding="utf-8")
    desk.edit("briefgen.yaml", f"markings: [OFFICIAL, SECRET]\n{config}".encode())
    desk.check()
    labels = [i.label for i in complete(desk.project, spot, "facts/sources.yaml")]
    assert labels == ["OFFICIAL", "SECRET"]


# Edits in turn, each kept: every kind of thing a per-file warning or error reads,
# changed from another file than the one it is found in.
_STEPS = [
    # A source's grade and origin change: facts elsewhere citing it are re-checked.
    (
        "facts/sources.yaml",
        "    reliability: B\n    type: official\n    origin: kr-government\n",
        "    reliability: E\n    type: official\n",
    ),
    ("facts/aid-flows.yaml", "confidence: moderate   # one official", "confidence: high   # one"),
    # A fact's date after the edition, a hedge in a risk, a skeleton's TODO.
    (
        "facts/risks.yaml",
        "    confidence: moderate\n    actors: [RU, KP, KR]\n",
        "    confidence: moderate\n    acknowledge:\n      stale-fact: reviewed\n"
        "    actors: [RU, KP, KR]\n",
    ),
    (
        "facts/risks.yaml",
        "    title: The exchange degrades security in Northeast Asia\n",
        "    title: TODO the risk\n",
    ),
    # briefgen.yaml: a marking in use, then the briefings' edition moved.
    (
        "briefgen.yaml",
        "in November 2024\n    edition: 2024-11-25\n",
        "in November 2024\n    edition: 2023-01-01\n",
    ),
    ("facts/sources.yaml", "    reliability: E\n", "    reliability: B\n    marking: TLP:RED\n"),
    # A second fact with an id another sheet declares, then gone again.
    (
        "facts/context.yaml",
        "facts:\n",
        "facts:\n  - id: kp-troops-to-ru\n    title: Again\n"
        "    date: 2024\n    text: Again.\n    confidence: low\n    sources: []\n",
    ),
    (
        "facts/context.yaml",
        "  - id: kp-troops-to-ru\n    title: Again\n",
        "  - id: kp-again\n    title: Again\n",
    ),
    # A sheet that stops parsing holds the rest back, as validate says.
    ("facts/actors.yaml", "actors:\n", "actors: [\n"),
    ("facts/actors.yaml", "actors: [\n", "actors:\n"),
]


def test_the_kept_warnings_are_what_validate_finds_after_every_edit(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    desk = Desk(root)
    desk.scan()
    assert flat(desk.check()) == sorted(validate(root)[1]) == []
    seen: set[str | None] = set()
    for rel, old, new in _STEPS:
        text = edit((root / rel).read_text(encoding="utf-8"), old, new)
        desk.edit(rel, text.encode())
        in_editor = flat(desk.check())
        (root / rel).write_text(text, encoding="utf-8")
        saved = sorted(validate(root)[1])
        broken = [p for p in saved if p.code == "yaml-syntax"]
        if broken:  # the desk holds the broken sheet's last good part, and says so
            assert {p.code for p in in_editor if p.path == rel} == {"yaml-syntax", "held-back"}
            assert "warnings-incomplete" in {p.code for p in saved}
            continue
        assert [_all(p) for p in in_editor] == [_all(p) for p in saved], rel
        seen |= {p.code for p in saved if p.severity == "warning"}
    assert {
        "fact-after-edition",
        "todo",
        "unused-acknowledgment",
    } <= seen


def _all(problem: Problem) -> tuple[object, ...]:
    return dataclasses.astuple(problem)
