"""The kinds table: every kind of fact is declared once, and each stage reads it."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from helpers import MINIMAL_SHEET, edit, minimal_project

from briefgen.assemble import assemble_briefing
from briefgen.build import render_briefing, validate
from briefgen.kinds import KINDS, PLAIN, FlowView, kind_of, mapped_kinds, named_actors
from briefgen.model import Fact
from briefgen.options import BuildOptions
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
