"""The json format: the briefing as its reader sees it, valid against `briefgen schema output`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from exports import export_project, judged_project, view_of
from helpers import REPO, minimal_project, run
from markupsafe import Markup
from projects import write_tree

from briefgen.formats import jsonout
from briefgen.formats.jsonout import json_bytes, output_schema


def check_output(data: bytes) -> dict[str, Any]:
    """`data` parsed, after checking it against the output schema; what every test of a
    json output calls."""
    document = json.loads(data)
    jsonschema.Draft202012Validator(output_schema()).validate(document)
    return document  # type: ignore[no-any-return]


@pytest.fixture
def exported(tmp_path: Path) -> dict[str, Any]:
    return check_output(json_bytes(view_of(export_project(tmp_path / "p"), "exports")))


def test_the_schema_is_a_valid_draft_2020_12_schema_and_the_cli_prints_it() -> None:
    schema = output_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    result = run("schema", "output")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == schema


@pytest.mark.slow
def test_an_independent_validator_accepts_the_example_against_the_schema(
    tmp_path: Path, example: Path
) -> None:
    """check-jsonschema, not the library the code was written with, on both example briefings."""
    (tmp_path / "schema.json").write_text(run("schema", "output").stdout, encoding="utf-8")
    files = []
    for briefing in ("ru-kp-exchange", "ru-kp-air-defence"):
        files.append(tmp_path / f"{briefing}.json")
        files[-1].write_bytes(json_bytes(view_of(example, briefing)))
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile", "schema.json"]
    result = subprocess.run(
        [*command, *map(str, files)], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_document_carries_what_the_reader_sees(exported: dict[str, Any]) -> None:
    assert exported["title"] == "Exports & <Imports>: a test briefing"
    assert exported["edition_iso"] == "2024-11-25"
    assert exported["classification"] == "SECRET//REL TO TEST"
    flows, deals, risks = exported["sections"]
    missiles = flows["facts"][0]
    assert missiles["actors"] == ["Russia", "North Korea"]  # resolved names
    # One key per kind of fact (kinds.KINDS), null but for the fact's own kind.
    assert (missiles["kind"], missiles["agreement"], missiles["risk"]) == ("flow", None, None)
    assert not {"details", "partial", "lead"} & set(missiles)
    assert missiles["flow"]["amount"] == "10,000+ missiles"
    assert missiles["flow"]["since"] == "August 2023"
    assert [c["code"] for c in missiles["citations"]] == ["B2", "A1"]
    assert missiles["citations"][0]["quote"] == "They sent missiles."
    assert missiles["independent_sources"] == 2
    assert missiles["single_sourced"] is False
    assert missiles["stale"] is False
    assert deals["facts"][0]["agreement"]["parties"] == ["Russia", "North Korea", "Belarus"]
    assert risks["facts"][0]["risk"]["band"] == "45–55%"
    assert risks["facts"][0]["date_iso"] == "2024-01/2024-11"
    assert risks["facts"][0]["single_sourced"] is True


def test_rich_text_is_plain_text_and_the_pages_escaped_html(exported: dict[str, Any]) -> None:
    text = exported["sections"][0]["facts"][0]["text"]
    assert '<script>alert("x")</script> stays text.' in text["text"]
    assert "&lt;script&gt;" in text["html"] and "<script>" not in text["html"]
    assert '<a href="https://example.org/map">map</a>' in text["html"]
    assert text["text"].startswith("Russia has sent missiles.")
    assert exported["summary"]["text"] == "Russia sends missiles; see the source."
    assert exported["sections"][1]["facts"][0]["agreement"]["terms"][0] == {
        "text": "Mutual assistance.",
        "html": "Mutual <em>assistance</em>.",
    }


def test_each_source_and_fact_is_written_once_and_referenced_elsewhere(
    exported: dict[str, Any],
) -> None:
    web, official = exported["sources"]
    assert (web["number"], web["id"], web["url"]) == (
        1,
        "src-web",
        "https://example.org/article?id=1&lang=en",
    )
    assert official["origin"] == "ministry"
    citation = exported["sections"][0]["facts"][0]["citations"][1]
    assert citation["source"] == {
        "number": 2,
        "id": "src-official",
        "anchor": "source-src-official",
    }
    # Without written judgments, the facts marked key are the key judgments, each by
    # reference to its fact; there is no second list beside `judgments`.
    assert "key_judgments" not in exported
    (key,) = exported["judgments"]
    assert key["fact"] == {
        "id": "missiles",
        "anchor": "fact-missiles",
        "title": "Russia sends missiles to North Korea",
    }
    assert key["based_on"] == [key["fact"]]
    assert (key["number"], key["id"], key["confidence"]) == (1, None, "high")
    assert key["text"] == {
        "text": "Russia sends missiles to North Korea",
        "html": "Russia sends missiles to North Korea",
    }
    assert [ref["id"] for ref in web["cited_by"]] == ["missiles", "escalation"]


def test_the_same_briefing_gives_the_same_bytes(tmp_path: Path) -> None:
    root = export_project(tmp_path / "p")
    first = json_bytes(view_of(root, "exports"))
    assert json_bytes(view_of(root, "exports")) == first
    assert first.endswith(b"}\n")
    assert b"Russia sends missiles to North Korea" in first


def test_a_briefing_without_optional_fields_is_valid(tmp_path: Path) -> None:
    document = check_output(json_bytes(view_of(minimal_project(tmp_path / "p"), "brief")))
    assert document["summary"] == {"text": "", "html": ""}
    assert document["author"] is None and document["classification"] is None


def test_a_view_field_of_a_type_without_a_rule_fails_the_schema_not_the_reader() -> None:
    """New fields flow through the walk; one it cannot write stops the schema's test."""

    @dataclasses.dataclass
    class Extended:
        note: Markup
        counts: dict[str, tuple[int, str]]
        odd: set[int]

    with pytest.raises(TypeError, match=r"no rule for values of type set\[int\]"):
        jsonout._schema(Extended, {})
    value = Extended(Markup("<em>x</em>"), {"a": (1, "b")}, set())
    with pytest.raises(TypeError, match="no rule"):
        jsonout._encode(value, Extended, home=True)


def test_the_schema_covers_every_field_of_the_view_but_the_legends() -> None:
    from briefgen.assemble import BriefingView

    properties = output_schema()["$defs"]["BriefingView"]["properties"]
    fields = {f.name for f in dataclasses.fields(BriefingView)}
    assert fields - set(properties) == set(jsonout._OMIT[BriefingView])


def test_the_readme_example_loads_the_json(example: Path, tmp_path: Path) -> None:
    """The Python snippet in README.md runs against a built briefing."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("<!-- json-example -->\n```python\n", 1)[1].split("```", 1)[0]
    output = tmp_path / "output"
    output.mkdir()
    (output / "ru-kp-exchange.json").write_bytes(json_bytes(view_of(example, "ru-kp-exchange")))
    result = subprocess.run(
        [sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "[1 B2]" in result.stdout


def test_written_judgments_scope_and_changes_since_the_last_edition(tmp_path: Path) -> None:
    document = check_output(json_bytes(view_of(judged_project(tmp_path / "p"), "exports")))
    first, second = document["judgments"]
    assert first["text"] == {
        "text": "Russia will likely keep sending missiles.",
        "html": "<p>Russia will <em>likely</em> keep sending missiles.</p>",
    }
    assert (first["confidence"], first["likelihood"], first["band"]) == (
        "moderate",
        "likely",
        "55–80%",
    )
    assert [ref["id"] for ref in second["based_on"]] == ["treaty", "missiles"]
    assert "text_plain" not in first
    assert "key_judgments" not in document  # written judgments replace the key facts
    assert first["fact"] is None and first["probability"] == {"low": 0.55, "high": 0.8}
    assert document["scope"] == "facts naming Russia"
    changes = document["changes"]
    assert (changes["since_iso"], changes["record"]) == (
        "2024-11-25",
        "editions/exports/2024-11-25.json",
    )
    (changed,) = changes["facts_changed"]
    assert changed["changes"] == [
        {
            "field": "confidence",
            "before": "high",
            "after": "moderate",
            "text": "confidence high → moderate",
        }
    ]
    assert document["sections"][0]["facts"][0]["change"] == "updated"


# Every shape a date and a quantity take in a sheet, for the machine values beside them.
SHAPES_CONFIG = """\
sections:
  - id: flows
    title: Flows
  - id: deals
    title: Deals
briefings:
  - id: shapes
    title: Shapes
    edition: 2024-11-25
    formats: [json]
    judgments:
      - text: Troops will very likely keep moving.
        confidence: moderate
        likelihood: very likely
        based_on: [troops, fuel]
"""

SHAPES_SHEET = """\
actors:
  - id: RU
    name: Russia
  - id: KP
    name: North Korea
  - id: BY
    name: Belarus
sources:
  - id: wire
    title: A wire report
    reliability: B
    type: media
    published: 2024-11
    accessed: 2024-11-26
  - id: gazette
    title: The official gazette
    reliability: A
    type: official
    published: 2024
facts:
  - id: troops
    title: Troops move
    text: Exactly 500.
    date: 2024-11-03
    section: flows
    confidence: high
    actors: [KP, RU]
    reviewed: 2024-11-25
    flow: {from: KP, to: RU, what: troops, category: personnel,
      quantity: 500, unit: troops, since: 2024-10-01}
    sources:
      - source: wire
        credibility: 2
  - id: more-troops
    title: More troops move
    text: Ten thousand or more.
    date: {from: 2023-08, to: 2024-11}
    section: flows
    confidence: moderate
    actors: [KP]
    flow: {from: KP, to: RU, what: troops, category: personnel,
      quantity: {min: 10000}, unit: troops, since: 2023-08}
    sources:
      - source: wire
        credibility: 3
      - source: gazette
        credibility: 1
  - id: shells
    title: Shells move
    text: Between 200 and 250 containers.
    date: 2024
    section: flows
    confidence: low
    actors: [KP, RU]
    flow: {from: KP, to: RU, what: shells, category: weapons,
      quantity: {min: 200, max: 250}, unit: containers, since: 2023}
    sources:
      - source: gazette
        credibility: 2
  - id: fuel
    title: Fuel moves
    text: About 128.5 dollars per thousand cubic metres.
    date: {from: 2024, to: 2024-11-03}
    section: flows
    confidence: moderate
    actors: [RU]
    flow: {from: RU, to: KP, what: fuel, category: economic,
      quantity: {about: 128.5}, unit: USD per 1000 m³}
    sources:
      - source: wire
        credibility: 2
  - id: share
    title: A share of imports
    text: Twelve and a half per cent, no unit given at first.
    date: 2024-11
    section: flows
    confidence: moderate
    actors: [RU]
    flow: {from: RU, to: KP, what: oil, category: economic, quantity: 12.5}
    sources:
      - source: wire
        credibility: 2
  - id: treaty
    title: A treaty
    text: Signed by three.
    date: 2024-06-19
    section: deals
    confidence: high
    actors: [RU, KP, BY]
    agreement: {name: The treaty, parties: [RU, KP, BY], signed: 2024-06-19, status: signed}
    sources:
      - source: gazette
        credibility: 1
"""


def shapes_document(root: Path) -> dict[str, Any]:
    write_tree(root, {"briefgen.yaml": SHAPES_CONFIG, "facts/main.yaml": SHAPES_SHEET})
    return check_output(json_bytes(view_of(root, "shapes")))


def test_every_date_and_quantity_shape_is_valid_and_has_its_value(tmp_path: Path) -> None:
    document = shapes_document(tmp_path / "p")
    assert document["json_version"] == jsonout.JSON_VERSION == 2
    facts = {f["id"]: f for s in document["sections"] for f in s["facts"]}
    # Dates: ISO 8601 at the precision written, a range as its two ends.
    assert {i: (f["date_range"]["from"], f["date_range"]["to"]) for i, f in facts.items()} == {
        "troops": ("2024-11-03", "2024-11-03"),
        "more-troops": ("2023-08", "2024-11"),
        "shells": ("2024", "2024"),
        "fuel": ("2024", "2024-11-03"),
        "share": ("2024-11", "2024-11"),
        "treaty": ("2024-06-19", "2024-06-19"),
    }
    assert (facts["more-troops"]["date"], facts["more-troops"]["date_iso"]) == (
        "August 2023 – November 2024",
        "2023-08/2024-11",
    )
    assert (facts["troops"]["reviewed"], facts["troops"]["reviewed_iso"]) == (
        "25 November 2024",
        "2024-11-25",
    )
    flows = {i: f["flow"] for i, f in facts.items() if f["flow"]}
    assert {i: flow["since_iso"] for i, flow in flows.items()} == {
        "troops": "2024-10-01",
        "more-troops": "2023-08",
        "shells": "2023",
        "fuel": None,
        "share": None,
    }
    # Quantities: numbers beside the words, integers where the count is whole.
    assert {i: (flow["amount"], flow["quantity"]) for i, flow in flows.items()} == {
        "troops": ("500 troops", {"min": 500, "max": 500, "about": None, "unit": "troops"}),
        "more-troops": (
            "10,000+ troops",
            {"min": 10000, "max": None, "about": None, "unit": "troops"},
        ),
        "shells": (
            "200–250 containers",
            {"min": 200, "max": 250, "about": None, "unit": "containers"},
        ),
        "fuel": (
            "about 128.5 USD per 1000 m³",
            {"min": 128.5, "max": 128.5, "about": 128.5, "unit": "USD per 1000 m³"},
        ),
        "share": ("12.5", {"min": 12.5, "max": 12.5, "about": None, "unit": None}),
    }
    assert isinstance(flows["troops"]["quantity"]["min"], int)
    treaty = facts["treaty"]["agreement"]
    assert (treaty["signed"], treaty["signed_iso"]) == ("19 June 2024", "2024-06-19")
    assert [(p["id"], p["name"]) for p in treaty["party_refs"]] == [
        ("RU", "Russia"),
        ("KP", "North Korea"),
        ("BY", "Belarus"),
    ]
    assert [p["name"] for p in treaty["party_refs"]] == treaty["parties"]
    wire, gazette = document["sources"]
    assert (wire["published_iso"], wire["accessed_iso"], gazette["published_iso"]) == (
        "2024-11",
        "2024-11-26",
        "2024",
    )
    (judgment,) = document["judgments"]
    assert (judgment["band"], judgment["probability"]) == ("80–95%", {"low": 0.8, "high": 0.95})


def test_a_script_sorts_sums_and_joins_on_the_values(tmp_path: Path) -> None:
    """What the issue's analyst could not do with display text alone."""
    document = shapes_document(tmp_path / "p")
    facts = [f for s in document["sections"] for f in s["facts"]]
    # Sort: oldest first by when each began, then by when it ended; ISO text sorts
    # as the dates do, a year before the months within it.
    oldest = sorted(facts, key=lambda f: (f["date_range"]["from"], f["date_range"]["to"]))
    assert [f["id"] for f in oldest] == [
        "more-troops",
        "shells",
        "fuel",
        "treaty",
        "share",
        "troops",
    ]
    day = dt.date.fromisoformat(facts[0]["flow"]["since_iso"])  # a full date parses as one
    assert day == dt.date(2024, 10, 1)
    # Sum: troops known at least, and at most (an open range has no most).
    troops = [
        f["flow"]["quantity"] for f in facts if f["flow"] and f["flow"]["category"] == "personnel"
    ]
    assert sum(q["min"] for q in troops) == 10500
    assert any(q["max"] is None for q in troops)
    # Join: facts to actors by id, citations to sources by id with their grades.
    per_actor: dict[str, int] = {}
    for fact in facts:
        for ref in fact["actor_refs"]:
            per_actor[ref["id"]] = per_actor.get(ref["id"], 0) + 1
    assert per_actor == {"KP": 4, "RU": 5, "BY": 1}
    sent = {f["flow"]["origin_ref"]["id"] for f in facts if f["flow"]}
    assert sent == {"KP", "RU"}
    sources = {s["id"]: s for s in document["sources"]}
    graded = sorted(
        (sources[c["source"]["id"]]["title"], c["reliability"], c["credibility"])
        for f in facts
        for c in f["citations"]
        if c["credibility"] <= 2
    )
    assert graded[0] == ("A wire report", "B", 2)
    assert {c["code"] for f in facts for c in f["citations"]} == {
        f"{c['reliability']}{c['credibility']}" for f in facts for c in f["citations"]
    }
    # Likelihood as numbers: the judgments at least likely.
    likely = [j["number"] for j in document["judgments"] if j["probability"]["low"] >= 0.55]
    assert likely == [1]


def test_the_example_is_valid_against_the_schema_with_its_values(example: Path) -> None:
    for briefing in ("ru-kp-exchange", "ru-kp-air-defence"):
        document = check_output(json_bytes(view_of(example, briefing)))
        facts = [f for s in document["sections"] for f in s["facts"]]
        assert all(f["date_iso"].split("/")[0] == f["date_range"]["from"] for f in facts)
        assert all([a["name"] for a in f["actor_refs"]] == f["actors"] for f in facts)
    document = check_output(json_bytes(view_of(example, "ru-kp-exchange")))
    facts = {f["id"]: f for s in document["sections"] for f in s["facts"]}
    troops = facts["kp-troops-to-ru"]["flow"]
    assert (troops["amount"], troops["quantity"]["min"], troops["quantity"]["unit"]) == (
        "10,000+ troops",
        10000,
        "troops",
    )
    assert troops["origin_ref"] == {"id": "KP", "name": "North Korea"}


def test_the_schema_describes_the_values_beside_the_words() -> None:
    defs = output_schema()["$defs"]
    assert defs["BriefingView"]["required"][0] == "json_version"
    fact = defs["FactView"]["properties"]
    assert fact["date_range"]["description"].startswith("Its first and last date")
    assert defs["DateSpan"]["required"] == ["from", "to"]
    iso = defs["DateSpan"]["properties"]["from"]
    assert (iso["type"], iso["pattern"]) == ("string", r"^\d{4}(-\d{2}(-\d{2})?)?$")
    flow = defs["FlowView"]["properties"]
    assert flow["quantity"]["description"].startswith("The same as numbers")
    assert defs["Quantity"]["properties"]["max"] == {"type": ["number", "null"]}
    assert defs["Probability"]["properties"]["low"] == {"type": "number"}
    assert "key_judgments" not in defs["BriefingView"]["properties"]
    for name in ("title_changed", "summary_changed"):
        assert defs["ChangesView"]["properties"][name]["type"] == "boolean"
