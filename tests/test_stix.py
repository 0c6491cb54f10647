"""The stix format: a STIX 2.1 bundle that the stix2 library and stix2-validator accept."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import stix2
from exports import EXPORT_CONFIG, export_project, judged_project, view_of
from helpers import MINIMAL_CONFIG, edit, minimal_project
from stix2validator import ValidationOptions, validate_string

from briefgen.formats.stix import CONFIDENCE, NAMESPACE, stix_bytes

EDITION = "2024-11-25T00:00:00.000Z"


def check_bundle(data: bytes) -> dict[str, Any]:
    """`data` parsed, after the stix2 library (custom content refused) and stix2-validator
    (every reference resolved) have accepted it. Two warnings are allowed, each
    reviewed: ids are not random UUIDv4s (103; ours are UUIDv5 by design, so an
    export is repeatable), and a source's URL comes without a hash of what it served
    (302; a build never fetches a source, so it has nothing to hash)."""
    text = data.decode("utf-8")
    parsed = stix2.parse(text, allow_custom=False)
    assert parsed.type == "bundle"
    result = validate_string(text, ValidationOptions(version="2.1", enforce_refs=True))
    assert result.is_valid, result.errors
    assert result.errors == []
    assert [w for w in result.warnings if "{103}" not in w and "{302}" not in w] == []
    return json.loads(text)  # type: ignore[no-any-return]


def by_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in bundle["objects"] if o["type"] == kind]


@pytest.fixture
def bundle(tmp_path: Path) -> dict[str, Any]:
    return check_bundle(stix_bytes(view_of(export_project(tmp_path / "p"), "exports")))


@pytest.mark.slow
def test_the_validators_command_accepts_the_example_strictly(tmp_path: Path, example: Path) -> None:
    """stix2_validator as a user runs it, with every best-practice warning an error
    but the two check_bundle allows (103, 302)."""
    for file in validate_strictly(tmp_path, example, ["ru-kp-exchange", "ru-kp-air-defence"]):
        check_bundle(file.read_bytes())


def validate_strictly(folder: Path, root: Path, briefings: list[str]) -> list[Path]:
    """Each briefing's bundle written into `folder` and passed through stix2_validator's
    command, strictly (every warning an error but 103 and 302); the files."""
    files = []
    for briefing in briefings:
        files.append(folder / f"{briefing}.stix.json")
        files[-1].write_bytes(stix_bytes(view_of(root, briefing)))
    validator = Path(sys.executable).with_name("stix2_validator")
    command = [str(validator), "--version", "2.1", "--enforce-refs", "--strict", "-d", "103,302"]
    result = subprocess.run([*command, *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return files


def test_one_report_names_everything_and_carries_the_briefing(bundle: dict[str, Any]) -> None:
    (report,) = by_type(bundle, "report")
    assert report["name"] == "Exports & <Imports>: a test briefing"
    assert report["published"] == EDITION
    assert report["description"] == "Russia sends missiles; see the source."
    ids = {o["id"] for o in bundle["objects"] if o["type"] != "marking-definition"}
    assert set(report["object_refs"]) == ids - {report["id"]}
    assert [r["external_id"] for r in report["external_references"]] == ["src-web", "src-official"]
    assert report["external_references"][0]["url"] == "https://example.org/article?id=1&lang=en"
    assert report["external_references"][0]["description"].startswith("[1] Example News")


def test_the_author_creates_every_object_and_the_actors_are_identities(
    bundle: dict[str, Any],
) -> None:
    identities = {o["name"]: o for o in by_type(bundle, "identity")}
    assert set(identities) == {"Test desk", "Russia", "North Korea", "Belarus"}
    author = identities["Test desk"]["id"]
    assert {o["identity_class"] for o in identities.values()} == {"organization"}
    others = [o for o in bundle["objects"] if o["type"] != "marking-definition"]
    assert all(o.get("created_by_ref") == author for o in others if o["id"] != author)


def test_each_fact_is_a_note_with_its_confidence_on_the_stix_scale(bundle: dict[str, Any]) -> None:
    notes = {o["abstract"]: o for o in by_type(bundle, "note")}
    assert list(notes) == [
        "Russia sends missiles to North Korea",
        "A three-party treaty",
        "Escalation",
    ]
    assert [n["confidence"] for n in notes.values()] == [85, 50, 15]
    assert CONFIDENCE == {"low": 15, "moderate": 50, "high": 85}
    missiles = notes["Russia sends missiles to North Korea"]
    assert '<script>alert("x")</script> stays text.' in missiles["content"]
    assert "Sources: [1 B2] [2 A1]." in missiles["content"]
    assert missiles["labels"] == ["missiles"]
    assert missiles["authors"] == ["Test desk"]
    cited = missiles["external_references"]
    assert cited[0]["description"] == (
        '[1 B2] usually reliable; probably true; paragraph 3; "They sent missiles."'
    )
    risk = notes["Escalation"]["content"]
    assert "Risk: roughly even chance (45–55%), severe impact." in risk


def test_a_flow_and_an_agreement_are_relationships_between_the_actors(
    bundle: dict[str, Any],
) -> None:
    names = {o["id"]: o["name"] for o in by_type(bundle, "identity")}
    pairs = [
        (names[r["source_ref"]], names[r["target_ref"]], r["description"])
        for r in by_type(bundle, "relationship")
    ]
    assert pairs[0] == (
        "Russia",
        "North Korea",
        "Russia to North Korea: air-defence missiles (weapons), 10,000+ missiles, "
        "since August 2023",
    )
    assert [(a, b) for a, b, _ in pairs[1:]] == [
        ("Russia", "North Korea"),
        ("Russia", "Belarus"),
        ("North Korea", "Belarus"),
    ]
    assert all("Treaty of Three (signed, signed 19 June 2024 in Minsk)" in d for *_, d in pairs[1:])
    note = next(n for n in by_type(bundle, "note") if n["abstract"] == "A three-party treaty")
    relationships = [r["id"] for r in by_type(bundle, "relationship")]
    assert set(relationships[1:]) <= set(note["object_refs"])


def test_ids_are_uuid5_of_briefing_and_fact_and_times_are_the_edition(
    tmp_path: Path, bundle: dict[str, Any]
) -> None:
    note = by_type(bundle, "note")[0]
    assert note["id"] == f"note--{uuid.uuid5(NAMESPACE, 'exports/fact/missiles')}"
    for item in bundle["objects"]:
        if item["type"] != "marking-definition":
            assert (item["created"], item["modified"]) == (EDITION, EDITION)
    again = stix_bytes(view_of(tmp_path / "p", "exports"))
    assert json.loads(again) == bundle


def test_a_later_edition_gives_new_versions_of_the_same_objects(tmp_path: Path) -> None:
    root = export_project(tmp_path / "p")
    first = json.loads(stix_bytes(view_of(root, "exports")))
    config = root / "briefgen.yaml"
    config.write_text(edit(EXPORT_CONFIG, "edition: 2024-11-25", "edition: 2024-12"))
    later = check_bundle(stix_bytes(view_of(root, "exports")))
    note, again = by_type(first, "note")[0], by_type(later, "note")[0]
    assert note["id"] == again["id"]
    assert again["modified"] == "2024-12-01T00:00:00.000Z"  # a partial edition: its first day
    assert later["id"] != first["id"]


def test_a_classification_is_a_statement_marking_on_every_object(bundle: dict[str, Any]) -> None:
    (marking,) = by_type(bundle, "marking-definition")
    assert marking["definition"] == {"statement": "SECRET//REL TO TEST"}
    others = [o for o in bundle["objects"] if o is not marking]
    assert all(o["object_marking_refs"] == [marking["id"]] for o in others)


@pytest.mark.parametrize(
    ("classification", "marking"),
    [
        ("TLP:CLEAR", stix2.TLP_WHITE),
        ("TLP:WHITE", stix2.TLP_WHITE),
        ("tlp: green", stix2.TLP_GREEN),
        ("TLP:AMBER", stix2.TLP_AMBER),
        ("TLP:RED", stix2.TLP_RED),
    ],
)
def test_a_tlp_classification_is_stixs_own_tlp_marking(
    tmp_path: Path, classification: str, marking: Any
) -> None:
    config = edit(
        MINIMAL_CONFIG,
        "edition: 2024-11-25",
        f"edition: 2024-11-25\n    classification: '{classification}'",
    )
    root = minimal_project(tmp_path)
    (root / "briefgen.yaml").write_text(config, encoding="utf-8")
    bundle = check_bundle(stix_bytes(view_of(root, "brief")))
    (found,) = by_type(bundle, "marking-definition")
    assert found == json.loads(marking.serialize())


def test_without_author_or_classification_briefgen_signs_and_nothing_is_marked(
    tmp_path: Path,
) -> None:
    bundle = check_bundle(stix_bytes(view_of(minimal_project(tmp_path), "brief")))
    assert by_type(bundle, "marking-definition") == []
    assert all("object_marking_refs" not in o for o in bundle["objects"])
    (author,) = [o for o in by_type(bundle, "identity") if o["identity_class"] == "system"]
    assert author["name"] == "briefgen"
    (report,) = by_type(bundle, "report")
    assert "description" not in report  # no summary


def test_written_judgments_are_notes_about_the_facts_they_rest_on(tmp_path: Path) -> None:
    bundle = check_bundle(stix_bytes(view_of(judged_project(tmp_path / "p"), "exports")))
    notes = {o["abstract"]: o for o in by_type(bundle, "note")}
    judgment = notes["Key judgment 2"]
    assert judgment["object_refs"] == [
        notes["A three-party treaty"]["id"],
        notes["Russia sends missiles to North Korea"]["id"],
    ]
    assert judgment["confidence"] == 50 and judgment["labels"] == ["key-judgment"]
    assert notes["Key judgment 1"]["content"] == (
        "Russia will likely keep sending missiles.\n\nLikelihood: likely (55–80%).\n"
        "Confidence: moderate.\nBased on: Russia sends missiles to North Korea."
    )
    (report,) = by_type(bundle, "report")
    assert report["description"].endswith("\n\nScope: facts naming Russia.")
    assert judgment["id"] in report["object_refs"]
