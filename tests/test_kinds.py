"""The kinds table: every kind of fact is declared once, and each stage reads it."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from helpers import MINIMAL_SHEET, REPO, edit, minimal_project

from briefgen.assemble import assemble_briefing
from briefgen.build import render_briefing, validate
from briefgen.kinds import (
    KINDS,
    PLAIN,
    FlowView,
    format_amount,
    kind_of,
    mapped_kinds,
    named_actors,
)
from briefgen.model import Fact, QuantityRange
from briefgen.options import BuildOptions
from briefgen.schema import json_schema
from briefgen.theme import THEME_DIR

FLOW = """    flow:
      from: RU
      to: KP
      what: missiles
      category: weapons
"""


def test_each_kind_has_its_field_model_and_partial() -> None:
    assert PLAIN.model is None and PLAIN.partial is None
    assert [kind.name for kind in mapped_kinds()] == ["flow", "agreement", "risk"]
    for kind in mapped_kinds():
        assert kind.model in get_args(Fact.model_fields[kind.name].annotation)
        assert kind.partial is not None
        assert (THEME_DIR / kind.partial).is_file()
        assert kind.view is not None
    assert set(KINDS) == {"plain", *(kind.name for kind in mapped_kinds())}


def test_a_fact_takes_its_kind_and_its_actors_from_the_table(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "    actors: [RU, KP]\n", FLOW)
    root = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    project, problems = validate(root)
    assert problems == []  # KP and RU are used by the flow alone: no unused-actor
    fact = project.facts["fact-one"].item
    kind, item = kind_of(fact)
    assert kind is KINDS["flow"] and item is fact.flow
    assert named_actors(fact) == ["RU", "KP"]
    view = assemble_briefing(project, "brief", "test").facts[0]
    assert (view.kind, view.partial, view.lead) == ("flow", "_flow.html", True)
    assert isinstance(view.details, FlowView) and view.details.origin == "Russia"
    assert view.likelihood is None  # a flow states none


def test_a_kinds_partial_can_be_replaced_alone(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "    actors: [RU, KP]\n", FLOW)
    mine = '  <p class="my-flow">{{ fact.details.origin }} sends {{ fact.details.what }}</p>\n'
    root = minimal_project(tmp_path, **{"facts/main.yaml": sheet, "templates/_flow.html": mine})
    project, _ = validate(root)
    [(_, html)] = render_briefing(project, "brief", BuildOptions(override_formats=("html",)))
    text = html.decode()
    assert '<p class="my-flow">Russia sends missiles</p>' in text
    assert 'class="flow"' not in text
    assert '<div class="fact-text">' in text  # the rest of the fact is the theme's


def test_an_unknown_actor_in_a_kinds_key_is_located(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "    actors: [RU, KP]\n", FLOW.replace("to: KP", "to: KPP"))
    root = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    errors = [str(p) for p in validate(root)[1] if p.severity == "error"]
    assert errors == ["facts/main.yaml:20:11: error: unknown actor 'KPP' (did you mean 'KP'?)"]


# -- values as a reader says them (issue 22) ---------------------------------------------


def amount(quantity: dict[str, float], unit: str | None, unit_first: bool = False) -> str:
    return format_amount(QuantityRange(**quantity), unit, unit_first)


def test_an_amount_reads_as_the_analyst_would_say_it() -> None:
    assert amount({"min": 10000}, "troops") == "10,000+ troops"
    assert amount({"min": 90, "max": 90}, "% of imports") == "90% of imports"
    # A currency code with its scale goes around the number, as it is said.
    assert amount({"min": 105, "max": 105}, "RUB billion") == "RUB 105 billion"
    assert amount({"min": 200, "max": 250}, "USD million") == "USD 200–250 million"
    assert amount({"min": 5, "max": 5, "about": 5}, "EUR billion") == "about EUR 5 billion"
    assert amount({"min": 3, "max": 3}, "$ million") == "$3 million"
    # A rate stays as written: the code is not the amount's unit.
    assert amount({"min": 128.5, "max": 128.5}, "USD per barrel") == "128.5 USD per barrel"
    # The analyst's word decides: unit_first puts any unit before the number.
    assert amount({"min": 5, "max": 5}, "USD", unit_first=True) == "USD 5"
    assert amount({"min": 7, "max": 7}, "Mk II launchers", unit_first=True) == ("Mk II launchers 7")
    assert amount({"min": 5, "max": 5}, "USD") == "USD 5"  # a bare code reads first anyway
    assert amount({"min": 5, "max": 5}, "ships") == "5 ships"


def test_unit_first_is_an_optional_key_of_a_flow(tmp_path: Path) -> None:
    flow = FLOW + "      quantity: 5\n      unit: tonnes of gold\n"
    first = flow + "      unit_first: true\n"
    for written, shown in ((flow, "5 tonnes of gold"), (first, "tonnes of gold 5")):
        sheet = edit(MINIMAL_SHEET, "    actors: [RU, KP]\n", written)
        root = minimal_project(tmp_path / str(len(written)), **{"facts/main.yaml": sheet})
        project, problems = validate(root)
        assert problems == []
        details = assemble_briefing(project, "brief", "test").facts[0].details
        assert isinstance(details, FlowView) and details.amount == shown
    bad = edit(MINIMAL_SHEET, "    actors: [RU, KP]\n", flow + "      unit_first: yes\n")
    root = minimal_project(tmp_path / "bad", **{"facts/main.yaml": bad})
    assert [p.message for p in validate(root)[1] if p.severity == "error"] != []
    schema = json_schema("facts")["definitions"]["Flow"]["properties"]["unit_first"]
    assert schema["type"] == "boolean" and schema["default"] is False
    assert "unit_first" in (REPO / "docs/format.md").read_text(encoding="utf-8")


def test_codes_are_said_in_words_wherever_the_view_is_read(tmp_path: Path) -> None:
    agreement = (
        "    agreement:\n      name: The pact\n      parties: [RU, KP]\n      status: in-force\n"
    )
    risk = "    risk:\n      likelihood: likely\n      impact: severe\n"
    for block, expected in ((agreement, "in force"), (risk, "severe impact")):
        sheet = edit(MINIMAL_SHEET, "    actors: [RU, KP]\n", block)
        root = minimal_project(tmp_path / block[:8].strip(), **{"facts/main.yaml": sheet})
        project, problems = validate(root)
        assert [p for p in problems if p.severity == "error"] == []
        view = assemble_briefing(project, "brief", "test").facts[0]
        kind = KINDS[view.kind]
        # The code stays what editions compare; the words are what every format shows.
        assert next(compare(view.details) for compare in kind.compared.values()) in (
            "in-force",
            "likely",
        )
        assert any(expected in line for line in kind.note_lines(view.details))
        [(_, html)] = render_briefing(project, "brief", BuildOptions(override_formats=("html",)))
        text = html.decode()
        assert "in-force" not in text.split("<body")[1]
        if block is agreement:
            assert "<dt>Status</dt><dd>in force</dd>" in text
