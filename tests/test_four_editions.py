"""One briefing through four editions, as a desk issues them (issue 24): an issue, a
rebuild refused with its record untouched, a correction; a judgment shared by two
briefings; a fact withdrawn with its reason; the shared judgment revised. At each
step: the records, the Changes section of the PDF, `diff` as text and JSON, and
the STIX bundles read in turn by the `stix2` library and stix2-validator."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import stix2
from helpers import REPO, require_tool, run
from projects import briefing, config, fact, sheet, write_tree
from test_jsonout import check_output
from test_stix import by_type, check_bundle

E1, E2, E3, E4 = "2024-11-25", "2024-12-10", "2025-01-10", "2025-02-03"
REASON = "The unit never left Wonsan."
CORRECTION = "Three batteries, not two."
FLOW = {"from": "RU", "to": "KP", "what": "missiles", "category": "weapons"}


def write(
    root: Path,
    edition: str,
    batteries: str = "two",
    judged: bool = False,
    withdrawn: bool = False,
    confidence: str = "moderate",
    wording: str = "Russia pays for troops with missiles.",
) -> None:
    """The project at one step: 'brief' (every format) and 'extract' (HTML), which
    share the judgment 'pay' once `judged`."""
    missiles = fact(
        "missiles",
        "Russia delivers missiles",
        text=f"Russia delivered {batteries} batteries.",
        flow=FLOW,
    )
    gone = {"date": "2025-01-05", "reason": REASON} if withdrawn else None
    troops = fact("troops", "North Korea sends troops", withdrawn=gone)
    judgments = ["pay"] if judged else None
    brief = briefing(edition=edition, formats=["html", "pdf", "json", "stix"], judgments=judgments)
    extract = briefing("extract", "An extract", edition=edition, judgments=judgments)
    shared = [{"id": "pay", "text": wording, "confidence": confidence, "based_on": ["missiles"]}]
    text = config(briefings=[brief, extract], judgments=shared if judged else None)
    facts = [missiles, troops]
    write_tree(root, {"briefgen.yaml": text, "facts/main.yaml": sheet(facts=facts)})


def issue(root: Path, day: str, *extra: str) -> None:
    result = run("issue", "brief", "--project", root, "--at", day, *extra)
    assert result.exit_code == 0, result.output


def record(root: Path, edition: str) -> dict[str, Any]:
    data = json.loads((root / f"editions/brief/{edition}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def pdf_text(root: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", root / "output/brief.pdf", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(done.stdout.split())


def changes_section(root: Path) -> str:
    """The PDF's text from the heading "Changes since" (after the key judgments and
    the summary) to the first section, which follows it."""
    text = pdf_text(root)
    start = text.rindex("Changes since")
    return text[start : text.index(" Aid flows", start)]


def stix(root: Path) -> dict[str, Any]:
    return check_bundle((root / "output/brief.stix.json").read_bytes())


def edition_line(root: Path, edition: str) -> tuple[int, int]:
    """Where the briefing 'brief' writes its edition in briefgen.yaml: (line, column)."""
    lines = (root / "briefgen.yaml").read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if f"edition: {edition}" in line)
    return number, lines[number - 1].index(edition) + 1


@pytest.mark.slow
def test_one_briefing_through_four_editions(tmp_path: Path) -> None:
    require_tool("pdftotext", "poppler-utils")
    root = tmp_path / "p"
    bundles = []

    # Edition 1, issued.
    write(root, E1)
    issue(root, E1)
    first = record(root, E1)
    assert first["issued"]["at"] == E1 and first["issued"]["corrections"] == []
    assert set(first["issued"]["outputs"]) == {
        f"output/brief.{suffix}" for suffix in ("html", "pdf", "json", "stix.json")
    }
    assert "Changes since" not in pdf_text(root)

    # Its facts change under the same edition date: refused, nothing written.
    raw = (root / f"editions/brief/{E1}.json").read_bytes()
    pdf = (root / "output/brief.pdf").read_bytes()
    write(root, E1, batteries="three")
    line, column = edition_line(root, E1)
    for command in ("build", "issue"):
        result = run(command, "brief", "--project", root)
        assert result.exit_code == 1
        assert result.output.splitlines()[0] == (
            f"briefgen.yaml:{line}:{column}: error: edition {E1} of 'brief' was issued on "
            f"{E1}; its facts have changed since: set a new edition date, or issue a "
            'correction (a correction: briefgen issue brief --correction "REASON")'
        )
        assert (root / f"editions/brief/{E1}.json").read_bytes() == raw
        assert (root / "output/brief.pdf").read_bytes() == pdf

    # So it is corrected: the record keeps what the correction replaced, and why.
    issue(root, "2024-11-27", "--correction", CORRECTION)
    corrected = record(root, E1)["issued"]
    assert corrected["at"] == E1
    (correction,) = corrected["corrections"]
    assert correction["at"] == "2024-11-27" and correction["reason"] == CORRECTION
    assert correction["replaced"] == first["issued"]["outputs"]
    assert (
        corrected["outputs"]["output/brief.pdf"] != first["issued"]["outputs"]["output/brief.pdf"]
    )
    assert f"Corrected edition: {CORRECTION}" in pdf_text(root)
    bundles.append(stix(root))

    # Edition 2: a judgment written once, shared by both briefings.
    write(root, E2, batteries="three", judged=True)
    issue(root, E2)
    assert run("build", "extract", "--project", root).exit_code == 0
    for page in ("brief", "extract"):
        html = (root / f"output/{page}.html").read_text(encoding="utf-8")
        assert "Russia pays for troops with missiles." in html, page
    assert record(root, E2)["judgments"] == [
        {
            "id": "pay",
            "text": "Russia pays for troops with missiles.",
            "confidence": "moderate",
            "based_on": ["missiles"],
        }
    ]
    assert changes_section(root) == (
        "Changes since 25 November 2024 Compared with the edition of 25 November 2024. "
        "Judgments added (1) • Judgment 1, p. 1: "
        "Russia pays for troops with missiles."
    )
    bundles.append(stix(root))

    # Edition 3: a fact withdrawn, with its reason.
    write(root, E3, batteries="three", judged=True, withdrawn=True)
    issue(root, E3)
    assert [f["id"] for f in record(root, E3)["facts"]] == ["missiles"]
    assert changes_section(root) == (
        "Changes since 10 December 2024 Compared with the edition of 10 December 2024. "
        "Facts withdrawn (1) • North Korea sends "
        f"troops: {REASON}"
    )
    bundles.append(stix(root))

    # Edition 4: the shared judgment revised, in both briefings.
    revised = "Russia pays for troops in air defence."
    write(root, E4, "three", judged=True, withdrawn=True, confidence="high", wording=revised)
    issue(root, E4)
    assert run("build", "extract", "--project", root).exit_code == 0
    extract = (root / "output/extract.html").read_text(encoding="utf-8")
    assert revised in extract and "Russia pays for troops with missiles." in extract  # was
    assert changes_section(root) == (
        "Changes since 10 January 2025 Compared with the edition of 10 January 2025. "
        "Judgments changed (1) • Judgment 1, "
        f"p. 1: {revised} – text revised, was “Russia pays for troops with missiles.” – "
        "confidence moderate → high"
    )
    bundles.append(stix(root))

    # The JSON of edition 4, against its schema, with the values a script reads.
    document = check_output((root / "output/brief.json").read_bytes())
    assert (document["json_version"], document["edition_iso"]) == (2, E4)
    (judgment,) = document["judgments"]
    assert (judgment["id"], judgment["text"]["text"], judgment["confidence"]) == (
        "pay",
        revised,
        "high",
    )
    assert [fact["id"] for fact in judgment["based_on"]] == ["missiles"]
    (changed,) = document["changes"]["judgments_changed"]
    assert [(c["field"], c["before"], c["after"]) for c in changed["changes"]] == [
        ("text", "Russia pays for troops with missiles.", revised),
        ("confidence", "moderate", "high"),
    ]
    assert document["changes"]["since_iso"] == E3

    # The records, one per edition, each issued once.
    for day in (E1, E2, E3, E4):
        assert record(root, day)["issued"]["at"] == (E1 if day == E1 else day)
    assert record(root, E4)["first_editions"] == {
        "briefing": E1,
        "facts": {"missiles": E1, "troops": E1},
        "judgments": {"pay": E2},
        "actors": {"North Korea": E1, "Russia": E1},
    }

    # diff, as text and as JSON.
    result = run("diff", "brief", "--project", root, "--from", E2, "--to", E3)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"brief: changes from the edition of {E2} to the edition of {E3}",
        "Facts withdrawn (1):",
        f"  - troops: North Korea sends troops (withdrawn: {REASON})",
    ]
    result = run("diff", "brief", "--project", root, "--from", E3, "--to", E4)
    assert result.output.splitlines() == [
        f"brief: changes from the edition of {E3} to the edition of {E4}",
        "Judgments changed (1):",
        f"  ~ 1. {revised}",
        "      text revised, was “Russia pays for troops with missiles.”",
        "      confidence moderate → high",
    ]
    result = run("diff", "brief", "--project", root, "--from", E3, "--to", E4, "--format", "json")
    data = json.loads(result.output)
    assert data["judgments_added"] == data["judgments_withdrawn"] == []
    (changed,) = data["judgments_changed"]
    assert [c["field"] for c in changed["changes"]] == ["text", "confidence"]
    assert changed["changes"][0]["before"] == "Russia pays for troops with missiles."
    assert changed["changes"][0]["after"] == revised
    data = json.loads(
        run("diff", "brief", "--project", root, "--from", E2, "--to", E3, "--format", "json").output
    )
    assert [(f["id"], f["reason"]) for f in data["facts_withdrawn"]] == [("troops", REASON)]

    # diff into `head -1`, in a real shell: a quiet exit when head closes the pipe.
    python = re.sub(r"'", "", sys.executable)
    done = subprocess.run(
        f"set -o pipefail; '{python}' -m briefgen diff brief --project '{root}' "
        f"--from {E1} --to {E4} | head -1",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
        timeout=120,
    )
    assert done.returncode in (0, 141)
    assert (
        done.stdout == f"brief: changes from the edition of {E1} to the edition of {E4}\n".encode()
    )
    assert done.stderr == b""

    # STIX: each edition a version of the same objects; the withdrawn fact revoked.
    store = stix2.MemoryStore()
    for bundle in bundles:
        store.add(stix2.parse(json.dumps(bundle), allow_custom=False))
    notes = {n["abstract"]: n["id"] for b in bundles for n in by_type(b, "note")}
    missiles = store.all_versions(notes["Russia delivers missiles"])
    assert sorted(str(v.modified)[:10] for v in missiles) == [E1, E2, E3, E4]
    assert {str(v.created)[:10] for v in missiles} == {E1}
    troops = store.get(notes["North Korea sends troops"])
    assert troops.revoked is True and str(troops.modified)[:10] == E3
    assert troops.content == f"Withdrawn in the edition of 10 January 2025: {REASON}"
    assert "North Korea sends troops" not in {n["abstract"] for n in by_type(bundles[3], "note")}
    judgment = store.all_versions(notes["Key judgment 1"])
    assert sorted(str(v.modified)[:10] for v in judgment) == [E2, E3, E4]
    assert {str(v.created)[:10] for v in judgment} == {E2}
    assert store.get(notes["Key judgment 1"]).content.startswith(revised)
