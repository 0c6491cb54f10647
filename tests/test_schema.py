"""The editor schemas: draft-07, complete hover help, and the same verdicts as briefgen.

The agreement tests run check-jsonschema, an independent validator, offline
(the schema is a local file) over the example and over broken sheets.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import MINIMAL_SHEET, REPO, minimal_project, run, write_tree

from briefgen.schema import json_schema
from briefgen.yamlfile import load_yaml


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every schema object inside `node`."""
    found = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for value in node:
            found += _walk(value)
    return found


@pytest.mark.parametrize("kind", ["facts", "config"])
def test_schema_uses_only_draft_07_forms(kind: str) -> None:
    schema = json_schema(kind)  # type: ignore[arg-type]
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    text = json.dumps(schema)
    for newer in ('"$defs"', '"oneOf"', '"ge"', '"le"', '"discriminator"', '"const"'):
        assert newer not in text
    refs = re.findall(r'"\$ref": "#/definitions/([A-Za-z]+)"', text)
    assert refs and set(refs) <= set(schema["definitions"])
    for node in _walk(schema):
        if node.get("type") == "object":
            assert node["additionalProperties"] is False


@pytest.mark.parametrize("kind", ["facts", "config"])
def test_every_key_has_hover_help(kind: str) -> None:
    schema = json_schema(kind)  # type: ignore[arg-type]
    objects = [schema, *schema["definitions"].values()]
    missing = [
        key
        for obj in objects
        for key, prop in obj["properties"].items()
        if not prop.get("description")
    ]
    assert missing == []
    assert all(obj.get("description") for obj in objects)


def test_fact_sheet_schema_says_what_format_says() -> None:
    schema = json_schema("facts")
    defs = schema["definitions"]
    source = defs["Source"]["properties"]
    assert source["reliability"]["enum"] == ["A", "B", "C", "D", "E", "F"]
    assert source["reliability"]["enumDescriptions"][1] == "usually reliable"
    assert source["type"]["enum"] == [
        "official",
        "media",
        "think-tank",
        "academic",
        "intelligence",
        "ngo",
        "social",
        "other",
    ]
    credibility = defs["Citation"]["properties"]["credibility"]
    assert credibility["enum"] == [1, 2, 3, 4, 5, 6]
    assert credibility["enumDescriptions"][0] == "confirmed by other sources"
    likelihood = defs["Risk"]["properties"]["likelihood"]
    assert likelihood["enum"][:2] == ["almost no chance", "remote"]
    assert likelihood["enumDescriptions"][8:10] == ["55–80%", "55–80%"]  # likely, probable
    assert defs["Fact"]["properties"]["confidence"]["enum"] == ["low", "moderate", "high"]
    assert defs["Flow"]["required"] == ["from", "to", "what", "category"]
    assert defs["DateRange"]["required"] == ["from", "to"]
    assert defs["Fact"]["required"] == ["id", "title", "text", "date", "confidence", "sources"]
    id_schema = defs["Fact"]["properties"]["id"]
    assert id_schema["pattern"] == "^[A-Za-z0-9][A-Za-z0-9._-]*$"
    assert id_schema["maxLength"] == 64
    assert defs["Fact"]["properties"]["reviewed"]["pattern"] == r"^\d{4}(-\d{2}(-\d{2})?)?$"
    assert schema["properties"]["facts"]["type"] == ["array", "null"]


def test_config_schema_requires_sections_and_briefings() -> None:
    schema = json_schema("config")
    assert schema["required"] == ["sections", "briefings"]
    briefing = schema["definitions"]["Briefing"]
    assert briefing["required"] == ["id", "title", "edition"]
    assert briefing["properties"]["formats"]["items"]["enum"] == [
        "html",
        "pdf",
        "json",
        "stix",
        "docx",
    ]


def test_schema_command_prints_the_schema() -> None:
    result = run("schema", "facts")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema("facts")
    result = run("schema", "config")
    assert json.loads(result.stdout) == json_schema("config")


# -- agreement with an independent validator --------------------------------------------


def _schemas(folder: Path) -> dict[str, Path]:
    paths = {}
    for kind in ("facts", "config"):
        paths[kind] = folder / f"{kind}.schema.json"
        paths[kind].write_text(run("schema", kind).stdout, encoding="utf-8")
    return paths


def _check_jsonschema(schema: Path, *instances: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "check_jsonschema", "--output-format", "json", "--verbose"]
    return subprocess.run(
        [*command, "--schemafile", str(schema), *map(str, instances)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_schemas_are_valid_draft_07(tmp_path: Path) -> None:
    schemas = _schemas(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--check-metaschema",
            *map(str, schemas.values()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_example_passes_the_schemas(tmp_path: Path) -> None:
    schemas = _schemas(tmp_path)
    sheets = sorted((REPO / "facts").rglob("*.yaml"))
    assert len(sheets) == 6
    for schema, files in (
        (schemas["facts"], sheets),
        (schemas["config"], [REPO / "briefgen.yaml"]),
    ):
        result = _check_jsonschema(schema, *files)
        assert result.returncode == 0, result.stdout + result.stderr
        assert json.loads(result.stdout)["status"] == "ok"


# What check-jsonschema reports, in the terms briefgen uses: where, and what kind of problem.
_UNEXPECTED = re.compile(r"Additional properties are not allowed \('([^']+)' was unexpected\)")
_REQUIRED = re.compile(r"'([^']+)' is a required property")
# briefgen's codes for what a single file's schema can say; the rest need the whole project.
SCHEMA_CODES = {"unknown-key", "missing", "enum", "type", "value", "empty", "range"}


def _json_path(text: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for key, index in re.findall(r"\.([^.\[]+)|\[(\d+)\]", text.removeprefix("$")):
        parts.append(int(index) if index else key)
    return tuple(parts)


def _specific(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For a value matching none of a union's choices (a date or a range, a flow or
    nothing), the errors inside the choice it was meant to be, as an editor shows them:
    the choices that fail only on the value's type are dropped."""
    found = []
    for error in errors:
        inner = [
            sub
            for sub in error.get("sub_errors", [])
            if not (sub["path"] == error["path"] and "is not of type" in sub["message"])
        ]
        found += inner or [error]
    return found


def _schema_verdicts(schema: Path, sheet: Path, rel: str) -> set[tuple[int, int, str]]:
    result = _check_jsonschema(schema, sheet)
    positions = load_yaml(sheet.read_bytes(), rel).positions
    verdicts = set()
    for error in _specific(json.loads(result.stdout)["errors"]):
        path = _json_path(error["path"])
        if match := _UNEXPECTED.fullmatch(error["message"]):
            verdicts.add((*positions.of((*path, match[1]), key=True), "unknown-key"))
        elif _REQUIRED.fullmatch(error["message"]):
            verdicts.add((*positions.of(path), "missing"))
        else:
            verdicts.add((*positions.of(path), "invalid"))
    return verdicts


def _briefgen_verdicts(project: Path, rel: str) -> set[tuple[int, int, str]]:
    result = run("validate", "--project", project, "--format", "json")
    verdicts = set()
    for problem in json.loads(result.stdout)["problems"]:
        if problem["path"] == rel and problem["code"] in SCHEMA_CODES:
            code = problem["code"] if problem["code"] in ("unknown-key", "missing") else "invalid"
            verdicts.add((problem["line"], problem["column"], code))
    return verdicts


# The minimal sheet's actors and sources, then facts to break.
SHEET_HEAD = MINIMAL_SHEET[: MINIMAL_SHEET.index("facts:\n")] + "facts:\n"

BROKEN_SHEETS = {
    "unknown key": """\
  - id: one
    title: A fact
    text: Something happened.
    date: 2024-11
    confidence: moderate
    sorces: []
    sources:
      - source: src
        credibility: 2
""",
    "bad enumeration": """\
  - id: one
    title: A fact
    text: Something happened.
    date: 2024-11
    confidence: hgh
    sources:
      - source: src
        credibility: 7
    risk:
      likelihood: maybe
      impact: high
""",
    "missing required key": """\
  - id: one
    title: A fact
    date: 2024-11
    confidence: moderate
    sources:
      - source: src
    flow:
      from: RU
      what: troops
      category: personnel
""",
    "wrong types": """\
  - id: one
    title: true
    text: Something happened.
    date: 24 November
    confidence: moderate
    key: yes
    actors: RU
    sources: []
""",
    "party named twice": """\
  - id: one
    title: A fact
    text: Something happened.
    date: 2024-11
    confidence: moderate
    sources:
      - source: src
        credibility: 2
    agreement:
      name: A treaty
      parties: [RU, RU]
      status: signed
""",
    "bad id and date range": """\
  - id: -one
    title: A fact
    text: Something happened.
    date: {from: 2023-08, to: soon}
    confidence: moderate
    sources:
      - source: src
        credibility: 2
""",
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(BROKEN_SHEETS))
def test_schema_and_briefgen_agree_on_broken_sheets(tmp_path: Path, case: str) -> None:
    project = minimal_project(
        tmp_path / "p", **{"facts/main.yaml": SHEET_HEAD + BROKEN_SHEETS[case]}
    )
    schemas = _schemas(tmp_path)
    sheet = project / "facts/main.yaml"
    expected = _briefgen_verdicts(project, "facts/main.yaml")
    assert expected, "the broken sheet must be broken"
    assert _schema_verdicts(schemas["facts"], sheet, "facts/main.yaml") == expected


@pytest.mark.slow
def test_schema_and_briefgen_agree_on_a_broken_config(tmp_path: Path) -> None:
    config = """\
sections:
  - id: aid-flows
    titel: Aid flows
briefings:
  - id: brief
    title: A briefing
    formats: [html, docx]
    stale_after_days: -1
"""
    project = minimal_project(tmp_path / "p", **{"briefgen.yaml": config})
    schemas = _schemas(tmp_path)
    expected = _briefgen_verdicts(project, "briefgen.yaml")
    assert {code for *_, code in expected} == {"unknown-key", "missing", "invalid"}
    assert _schema_verdicts(schemas["config"], project / "briefgen.yaml", "briefgen.yaml") == (
        expected
    )


@pytest.mark.slow
def test_unknown_key_is_reported_by_both_at_the_key(tmp_path: Path) -> None:
    """One case spelt out, so a reader sees what 'agree' means."""
    project = write_tree(
        tmp_path / "p",
        {
            "briefgen.yaml": (REPO / "briefgen.yaml").read_text(encoding="utf-8"),
            "facts/actors.yaml": "actors:\n  - id: RU\n    name: Russia\n    nmae: x\n",
        },
    )
    schemas = _schemas(tmp_path)
    result = run("validate", "--project", project)
    assert "facts/actors.yaml:4:5: error: unknown key 'nmae' in an actor" in result.stderr
    checked = _check_jsonschema(schemas["facts"], project / "facts/actors.yaml")
    [error] = json.loads(checked.stdout)["errors"]
    assert (error["path"], error["message"]) == (
        "$.actors[0]",
        "Additional properties are not allowed ('nmae' was unexpected)",
    )


@pytest.mark.slow
def test_an_estimate_passes_the_schema_and_briefgen(tmp_path: Path) -> None:
    """FORMAT 1.1's `{about: N}` is a quantity to the editor as it is to briefgen."""
    flow = (
        "    flow:\n      from: RU\n      to: KP\n      what: oil\n      category: economic\n"
        "      quantity: {about: 108.5}\n      unit: '% of imports'\n"
    )
    project = minimal_project(tmp_path / "p", **{"facts/main.yaml": MINIMAL_SHEET + flow})
    assert run("validate", "--project", project).exit_code == 0
    checked = _check_jsonschema(_schemas(tmp_path)["facts"], project / "facts/main.yaml")
    assert json.loads(checked.stdout)["status"] == "ok", checked.stdout
