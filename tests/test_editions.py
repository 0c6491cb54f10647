"""editions/: the record of each edition, kept in step with output/."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from helpers import MINIMAL_SHEET, edit, minimal_project, run

RECORD = "editions/brief/2024-11-25.json"


def _record(project: Path) -> dict[str, object]:
    data = json.loads((project / RECORD).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.slow
def test_a_build_records_its_edition_with_the_outputs_it_wrote(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    assert run("build", "--project", project).exit_code == 0
    record = _record(project)
    assert record["briefing"] == "brief"
    assert record["edition"] == "2024-11-25"
    assert record["generator"] == "briefgen 0.1.0"
    outputs = record["outputs"]
    assert isinstance(outputs, dict)
    assert sorted(outputs) == ["output/brief.html", "output/brief.pdf"]
    for name, entry in outputs.items():
        data = (project / name).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert record["facts"] == [
        {
            "id": "fact-one",
            "section": "aid-flows",
            "title": "A fact",
            "date": "2024-11",
            "confidence": "moderate",
            "independent_sources": 1,
            "citations": ["src B2"],
            "text": record["facts"][0]["text"],  # a digest of the text; see test_changes.py
        }
    ]
    assert record["sources"] == [
        {"number": 1, "id": "src", "title": "A source", "reliability": "B"}
    ]
    digest = record["inputs_digest"]
    assert isinstance(digest, str)
    assert f"inputs digest <code>{digest}</code>" in (project / "output/brief.html").read_text()


@pytest.mark.slow
def test_an_unchanged_rebuild_leaves_the_record_alone_and_a_change_updates_it(
    tmp_path: Path,
) -> None:
    project = minimal_project(tmp_path)
    assert run("build", "--project", project).exit_code == 0
    record = project / RECORD
    os.utime(record, (1_000_000_000, 1_000_000_000))
    assert run("build", "--project", project).exit_code == 0
    assert record.stat().st_mtime == 1_000_000_000

    sheet = project / "facts/main.yaml"
    sheet.write_text(edit(MINIMAL_SHEET, "title: A fact", "title: A changed fact"))
    assert run("build", "--project", project).exit_code == 0
    facts = _record(project)["facts"]
    assert isinstance(facts, list)
    assert facts[0]["title"] == "A changed fact"
    pdf = (project / "output/brief.pdf").read_bytes()
    outputs = _record(project)["outputs"]
    assert isinstance(outputs, dict)
    assert outputs["output/brief.pdf"]["sha256"] == hashlib.sha256(pdf).hexdigest()


@pytest.mark.slow
def test_a_failed_build_records_nothing(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    assert run("build", "--project", project).exit_code == 0
    before = (project / RECORD).read_bytes()
    (project / "facts/main.yaml").write_text(
        edit(MINIMAL_SHEET, "confidence: moderate", "confidence: sure")
    )
    assert run("build", "--project", project).exit_code == 1
    assert (project / RECORD).read_bytes() == before
    assert sorted(p.name for p in (project / "editions").rglob("*")) == ["2024-11-25.json", "brief"]


def test_editions_that_lead_out_of_the_project_are_refused(tmp_path: Path) -> None:
    project = minimal_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "editions").symlink_to(elsewhere)
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert "briefgen: editions/ leads outside the project; remove the link" in result.output
    assert list(elsewhere.iterdir()) == []
