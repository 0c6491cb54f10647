"""STIX across editions: each edition's bundle is a new version of the same objects
(same ids, `created` the edition each first appeared in, `modified` the current
one), and a fact or judgment withdrawn since the last edition is revoked, as the
`stix2` library's MemoryStore and stix2-validator read them in sequence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import stix2
from helpers import run
from marked_project import FILES
from projects import briefing, config, fact, sheet, write_tree
from test_stix import by_type, check_bundle

from briefgen.build import validate
from briefgen.edition import make_edition
from briefgen.records import record_digest

STIX = "output/brief.stix.json"
E1, E2, E3 = "2024-11-25", "2024-12-10", "2025-01-10"


def at(day: str) -> str:
    return f"{day}T00:00:00.000Z"


def write(root: Path, edition: str, facts: list[dict[str, Any]], judgments: list[Any]) -> None:
    brief = briefing(
        edition=edition,
        classification="SECRET//TEST",
        formats=["stix", "json"],
        judgments=judgments,
    )
    write_tree(
        root, {"briefgen.yaml": config(briefings=[brief]), "facts/main.yaml": sheet(facts=facts)}
    )


def judgment(text: str, **keys: Any) -> dict[str, Any]:
    return {"id": "pay", "text": text, "confidence": "moderate", "based_on": ["missiles"], **keys}


def issue(root: Path, day: str) -> dict[str, Any]:
    result = run("issue", "--project", root, "--at", day)
    assert result.exit_code == 0, result.output
    return check_bundle((root / STIX).read_bytes())


def three_editions(root: Path) -> list[dict[str, Any]]:
    """Issue 1: missiles and troops, judgment 'pay'. Issue 2: oil added, missiles
    revised, 'pay' reworded. Issue 3: troops withdrawn with a reason, oil deleted,
    'pay' replaced by 'debts'."""
    flow = {"from": "RU", "to": "KP", "what": "missiles", "category": "weapons"}
    missiles = fact("missiles", "Russia delivers missiles", text="Two batteries.", flow=flow)
    troops = fact("troops", "North Korea sends troops")
    oil = fact("oil", "Russia sends oil", actors=["RU"])
    write(root, E1, [missiles, troops], [judgment("Russia pays with missiles.")])
    bundles = [issue(root, E1)]
    missiles = fact("missiles", "Russia delivers missiles", text="Three batteries.", flow=flow)
    write(root, E2, [missiles, troops, oil], [judgment("Russia pays in air defence.")])
    bundles.append(issue(root, E2))
    withdrawn = {"date": "2025-01-05", "reason": "The unit never left Wonsan."}
    troops = fact("troops", "North Korea sends troops", withdrawn=withdrawn)
    write(root, E3, [missiles, troops], [judgment("Russia pays its debts.", id="debts")])
    bundles.append(issue(root, E3))
    return bundles


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return three_editions(tmp_path_factory.mktemp("three") / "p")


def note(bundle: dict[str, Any], abstract: str) -> dict[str, Any]:
    (found,) = [o for o in by_type(bundle, "note") if o["abstract"] == abstract]
    return found


def test_editions_are_versions_of_the_same_objects(bundles: list[dict[str, Any]]) -> None:
    first, second, third = bundles
    # Every object of an edition is in the next, under the same id, but what it revokes.
    ids = [{o["id"] for o in b["objects"]} for b in (first, second, third)]
    assert ids[0] <= ids[1] and ids[1] <= ids[2]
    for bundle, day in ((first, E1), (second, E2), (third, E3)):
        for item in bundle["objects"]:
            if item["type"] != "marking-definition":
                assert item["modified"] == at(day), item
    # created: the edition it first appeared in, whichever edition exports it.
    missiles = [note(b, "Russia delivers missiles") for b in (first, second, third)]
    assert {(n["id"], n["created"]) for n in missiles} == {(missiles[0]["id"], at(E1))}
    assert note(second, "Russia sends oil")["created"] == at(E2)
    for kind in ("identity", "report", "relationship"):
        assert {o["created"] for o in by_type(third, kind)} == {at(E1)}, kind
    assert len(by_type(third, "relationship")) == 1  # the flow's
    # The classification's marking is one definition in every edition.
    markings = [by_type(b, "marking-definition") for b in (first, second, third)]
    assert markings[0] == markings[1] == markings[2] and len(markings[0]) == 1
    # The judgment is followed by its id through its rewording.
    judgments = [note(b, "Key judgment 1") for b in (first, second)]
    assert judgments[0]["id"] == judgments[1]["id"]
    assert judgments[1]["created"] == at(E1)
    assert judgments[1]["content"].startswith("Russia pays in air defence.")


def test_what_was_withdrawn_since_the_last_edition_is_revoked(
    bundles: list[dict[str, Any]],
) -> None:
    second, third = bundles[1:]
    revoked = [o for o in third["objects"] if o.get("revoked")]
    troops, oil = note(second, "North Korea sends troops"), note(second, "Russia sends oil")
    pay = note(second, "Key judgment 1")
    assert {o["id"] for o in revoked} == {troops["id"], oil["id"], pay["id"]}
    by_id = {o["id"]: o for o in revoked}
    assert by_id[troops["id"]]["created"] == at(E1)
    assert by_id[troops["id"]]["modified"] == at(E3)
    assert by_id[troops["id"]]["content"] == (
        "Withdrawn in the edition of 10 January 2025: The unit never left Wonsan."
    )
    assert by_id[oil["id"]]["created"] == at(E2)  # deleted from its sheet: no reason
    assert by_id[oil["id"]]["content"] == "Withdrawn in the edition of 10 January 2025."
    assert by_id[pay["id"]]["created"] == at(E1)
    (report,) = by_type(third, "report")
    assert not set(by_id) & set(report["object_refs"])
    # Each revoked object carries the classification like every other object.
    (marking,) = by_type(third, "marking-definition")
    assert all(o["object_marking_refs"] == [marking["id"]] for o in revoked)


def test_a_memory_store_resolves_the_versions(bundles: list[dict[str, Any]]) -> None:
    store = stix2.MemoryStore()
    for bundle in bundles:
        store.add(stix2.parse(json.dumps(bundle), allow_custom=False))
    missiles = note(bundles[0], "Russia delivers missiles")["id"]
    newest = store.get(missiles)
    assert (str(newest.created)[:10], str(newest.modified)[:10]) == (E1, E3)
    versions = store.all_versions(missiles)
    assert sorted(str(v.modified)[:10] for v in versions) == [E1, E2, E3]
    assert {str(v.created)[:10] for v in versions} == {E1}
    # The withdrawn fact: its newest version is revoked, its earlier ones are kept.
    troops = note(bundles[0], "North Korea sends troops")["id"]
    assert store.get(troops).revoked is True
    assert [bool(v.get("revoked")) for v in sorted(store.all_versions(troops), key=_modified)] == [
        False,
        False,
        True,
    ]
    # The oil fact: two versions, from its first edition on.
    oil = note(bundles[1], "Russia sends oil")["id"]
    assert sorted(str(v.modified)[:10] for v in store.all_versions(oil)) == [E2, E3]


def _modified(item: Any) -> Any:
    return item.modified


def test_a_record_before_version_4_dates_what_it_shows_from_its_own_edition(
    tmp_path: Path,
) -> None:
    """A record written before `first_editions`: what it shows first appeared in it."""
    root = tmp_path / "p"
    missiles = fact("missiles", "Russia delivers missiles")
    write(root, E1, [missiles], [judgment("Russia pays with missiles.")])
    issue(root, E1)
    path = root / f"editions/brief/{E1}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["first_editions"]
    data["record_version"] = 3
    data["digest"] = record_digest(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    write(root, E2, [missiles, fact("oil", "Russia sends oil")], [judgment("Reworded.")])
    bundle = issue(root, E2)
    assert note(bundle, "Russia delivers missiles")["created"] == at(E1)
    assert note(bundle, "Key judgment 1")["created"] == at(E1)
    assert note(bundle, "Russia sends oil")["created"] == at(E2)
    first = json.loads((root / f"editions/brief/{E2}.json").read_text(encoding="utf-8"))
    assert first["first_editions"] == {
        "briefing": E1,
        "facts": {"missiles": E1, "oil": E2},
        "judgments": {"pay": E1},
        "actors": {"North Korea": E1, "Russia": E1},
    }


def test_what_a_release_now_withholds_leaves_the_first_editions_it_shares(
    tmp_path: Path,
) -> None:
    """The earlier record attached to a released briefing says nothing of a fact its
    release now withholds: not its id, nor an actor only it names."""
    sheet_text = FILES["facts/main.yaml"].replace(
        "    actors: [RU, KP]\n    marking: TLP:AMBER",
        "    actors: [RU, KP, CQ]\n    marking: TLP:AMBER",
    )
    sheet_text = sheet_text.replace("actors:\n", "actors:\n  - id: CQ\n    name: Quaynelia\n", 1)
    root = write_tree(tmp_path / "p", {**FILES, "facts/main.yaml": sheet_text})
    result = run("build", "brief-amber", "--project", root, "--format", "json")
    assert result.exit_code == 0, result.output
    kept = json.loads((root / "editions/brief-amber/2024-11-25.json").read_bytes())
    assert "fact-amber" in kept["first_editions"]["facts"]
    assert "Quaynelia" in kept["first_editions"]["actors"]
    config_text = FILES["briefgen.yaml"].replace(
        "    edition: 2024-11-25\n    release: TLP:AMBER",
        "    edition: 2024-12-10\n    release: TLP:GREEN",
    )
    (root / "briefgen.yaml").write_text(config_text, encoding="utf-8")
    project, problems = validate(root)
    assert not [p for p in problems if p.severity == "error"], problems
    edition = make_edition(project, "brief-amber")
    (shared,) = [f for f in edition.inputs if f.path.startswith("editions/")]
    first = json.loads(shared.data)["first_editions"]
    assert "fact-amber" not in first["facts"] and "fact-green" in first["facts"]
    assert "Quaynelia" not in first["actors"] and "Russia" in first["actors"]
    assert b"fact-amber" not in shared.data and b"Quaynelia" not in shared.data
