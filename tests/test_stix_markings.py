"""Markings in STIX (FORMAT 1.2): every object made for a fact or judgment carries its
own marking, the report the briefing's highest, each marking-definition is in the
bundle once (TLP 2.0's as OASIS publishes them, other schemes' as statements that
never change), and nothing a release withholds is referred to."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from exports import view_of
from helpers import edit, write_tree
from marked_project import FILES, LEVELS, RELEASES, items, shown_at, withheld_at
from test_stix import by_type, check_bundle, validate_strictly

from briefgen.formats.stix import NAMESPACE, stix_bytes
from briefgen.markings import TLP_STIX_IDS, stix_marking

# The marking-definitions exactly as OASIS publishes them for TLP 2.0
# (cti-stix-common-objects, extension-definition-specifications/tlp-2.0/examples).
PUBLISHED_AMBER = {
    "type": "marking-definition",
    "spec_version": "2.1",
    "id": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "created": "2022-10-01T00:00:00.000Z",
    "name": "TLP:AMBER",
    "extensions": {
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
            "extension_type": "property-extension",
            "tlp_2_0": "amber",
        }
    },
}


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("marked"), FILES)


def _slug(release: str) -> str:
    return release.removeprefix("TLP:").lower().replace("+", "-")


def _bundle(root: Path, release: str) -> tuple[str, dict[str, Any]]:
    briefing = f"brief-{_slug(release)}"
    return briefing, check_bundle(stix_bytes(view_of(root, briefing)))


def _note_id(briefing: str, key: str) -> str:
    return f"note--{uuid.uuid5(NAMESPACE, f'{briefing}/{key}')}"


@pytest.mark.parametrize("release", RELEASES)
def test_each_fact_and_judgment_carries_its_own_marking(marked: Path, release: str) -> None:
    briefing, bundle = _bundle(marked, release)
    objects = {o["id"]: o for o in bundle["objects"]}
    facts = [item for item in shown_at(release) if item.kind == "fact"]
    assert facts
    for fact in facts:
        note = objects[_note_id(briefing, f"fact/{fact.id}")]
        assert note["object_marking_refs"] == [TLP_STIX_IDS[fact.marking]], fact.id
        for ref in note["object_refs"]:  # its relationships are marked as the fact is
            if ref.startswith("relationship--"):
                assert objects[ref]["object_marking_refs"] == note["object_marking_refs"]
    judgments = [o for o in by_type(bundle, "note") if "key-judgment" in o.get("labels", [])]
    # j-released, written for release at TLP:CLEAR though its evidence is amber.
    (released,) = judgments
    assert released["object_marking_refs"] == [TLP_STIX_IDS["TLP:CLEAR"]]


@pytest.mark.parametrize("release", RELEASES)
def test_the_report_carries_the_highest_marking_shown(marked: Path, release: str) -> None:
    _, bundle = _bundle(marked, release)
    (report,) = by_type(bundle, "report")
    highest = max((item.marking for item in shown_at(release)), key=LEVELS.index)
    assert highest == release  # each release shows something at its own level
    assert report["object_marking_refs"] == [TLP_STIX_IDS[release]]


@pytest.mark.parametrize("release", RELEASES)
def test_every_marking_used_is_defined_once_as_published(marked: Path, release: str) -> None:
    _, bundle = _bundle(marked, release)
    definitions = by_type(bundle, "marking-definition")
    ids = [d["id"] for d in definitions]
    assert len(ids) == len(set(ids))
    used = {ref for o in bundle["objects"] for ref in o.get("object_marking_refs", [])}
    assert set(ids) == used
    # Only TLP 2.0 levels up to the release, and none of STIX 2.1's TLP 1.0 markings.
    allowed = {TLP_STIX_IDS[level] for level in LEVELS[: LEVELS.index(release) + 1]}
    assert used <= allowed and TLP_STIX_IDS["TLP:CLEAR"] in used
    for definition in definitions:
        assert definition == stix_marking(definition["name"], "unused for TLP")
    if release == "TLP:AMBER":
        assert PUBLISHED_AMBER in definitions


@pytest.mark.parametrize("release", RELEASES)
def test_nothing_withheld_is_referred_to(marked: Path, release: str) -> None:
    briefing, bundle = _bundle(marked, release)
    view = view_of(marked, briefing)
    withheld = withheld_at(release)
    withheld_ids = {item.id for item in withheld}
    # The view holds only what is shown, so the bundle can refer only to that.
    assert not withheld_ids & {f.id for f in view.facts}
    assert not withheld_ids & {s.id for s in view.sources}
    assert not withheld_ids & {j.id for j in view.judgments}
    refs = {ref for o in bundle["objects"] for ref in o.get("object_refs", [])}
    for item in withheld:
        assert _note_id(briefing, f"fact/{item.id}") not in refs, item.id
    text = json.dumps(bundle)
    for item in withheld:
        assert f'"{item.id}"' not in text, item.id
        assert not [t for t in item.tracers if t in text], item.id
    assert {o["id"] for o in bundle["objects"]} >= refs  # every reference resolves


def test_an_actor_carries_the_lowest_marking_of_the_facts_naming_it(marked: Path) -> None:
    _, bundle = _bundle(marked, "TLP:AMBER")
    actors = [o for o in by_type(bundle, "identity") if o["name"] in ("Russia", "North Korea")]
    assert len(actors) == 2
    for actor in actors:  # named at TLP:CLEAR by fact-clear, and by amber facts too
        assert actor["object_marking_refs"] == [TLP_STIX_IDS["TLP:CLEAR"]]
    (author,) = [o for o in by_type(bundle, "identity") if o["identity_class"] == "system"]
    assert "object_marking_refs" not in author  # briefgen itself: nothing to mark


NATIONAL = """\
markings: [OFFICIAL, OFFICIAL-SENSITIVE, SECRET]
default_marking: OFFICIAL
sections:
  - id: flows
    title: Flows
briefings:
  - id: brief
    title: The exchange
    edition: 2024-11-25
    classification: UK EYES ONLY
"""

NATIONAL_SHEET = """\
sources:
  - id: src
    title: A dispatch
    reliability: B
    type: media
    marking: OFFICIAL-SENSITIVE
facts:
  - id: plain
    title: An official fact
    text: Told plainly.
    date: 2024-11
    section: flows
    confidence: moderate
    sources: [{source: src, credibility: 2}]
    marking: SECRET
"""


def test_another_scheme_is_statement_markings_the_same_in_every_edition(
    tmp_path: Path,
) -> None:
    root = write_tree(tmp_path, {"briefgen.yaml": NATIONAL, "facts/main.yaml": NATIONAL_SHEET})
    first = check_bundle(stix_bytes(view_of(root, "brief")))
    config = root / "briefgen.yaml"
    config.write_text(edit(NATIONAL, "edition: 2024-11-25", "edition: 2025-02-01"))
    later = check_bundle(stix_bytes(view_of(root, "brief")))
    definitions = by_type(first, "marking-definition")
    assert definitions == by_type(later, "marking-definition")  # same ids, same created
    names = {d["name"]: d for d in definitions}
    assert set(names) == {"SECRET", "UK EYES ONLY"}
    assert names["SECRET"]["definition"] == {"statement": "SECRET"}
    assert names["SECRET"]["created"] == "2024-01-01T00:00:00.000Z"
    (note,) = by_type(first, "note")
    assert note["object_marking_refs"] == [names["SECRET"]["id"]]
    (report,) = by_type(first, "report")
    # The highest marking shown, and the classification beside it.
    assert report["object_marking_refs"] == [names["SECRET"]["id"], names["UK EYES ONLY"]["id"]]


@pytest.mark.slow
def test_the_validators_command_accepts_the_marked_bundles_strictly(
    tmp_path: Path, marked: Path
) -> None:
    """stix2_validator as a user runs it, every best-practice warning an error but the
    two test_stix.check_bundle allows (103, 302): no TLP 2.0 extension-definition is
    asked for."""
    briefings = [f"brief-{_slug(release)}" for release in RELEASES]
    assert len(validate_strictly(tmp_path, marked, briefings)) == len(RELEASES)


def test_every_item_of_the_marked_project_is_accounted_for() -> None:
    # The tests above rely on each release showing and withholding something.
    for release in RELEASES:
        assert shown_at(release) and withheld_at(release)
    assert {item.kind for item in items()} == {"fact", "source", "judgment"}
