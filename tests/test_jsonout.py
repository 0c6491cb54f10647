"""The json format: the briefing as its reader sees it, valid against `briefgen schema output`."""

from __future__ import annotations

import dataclasses
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
    assert exported["key_judgments"] == [
        {
            "id": "missiles",
            "anchor": "fact-missiles",
            "title": "Russia sends missiles to North Korea",
        }
    ]
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
    assert document["key_judgments"] == []  # written judgments replace the key facts
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
