"""editions/: the record of each edition, kept in step with output/."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import HTML_CONFIG, MINIMAL_SHEET, edit, minimal_project, run

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
    assert not (project / "output").exists()  # nothing written, as it says


def test_the_time_limit_covers_making_the_edition_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Comparing with an earlier record (from outside) once ran outside --timeout.
    import time

    from briefgen import build as build_module
    from briefgen.errors import BuildError
    from briefgen.options import BuildOptions

    make_edition = build_module.make_edition

    def slow(*args: object) -> object:
        time.sleep(5)
        return make_edition(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "make_edition", slow)
    project = minimal_project(tmp_path, **{"briefgen.yaml": HTML_CONFIG})
    start = time.monotonic()
    with pytest.raises(BuildError) as failed:
        build_module.build(project, None, BuildOptions(render_timeout=0.5))
    assert str(failed.value) == (
        "briefing 'brief' took longer than the limit of 0.5 seconds to render "
        "(raise it with --timeout SECONDS)"
    )
    assert time.monotonic() - start < 3
    assert not (project / "output").exists() and not (project / "editions").exists()


def test_editions_that_are_a_file_are_a_located_error_and_output_is_unchanged(
    tmp_path: Path,
) -> None:
    project = minimal_project(tmp_path, **{"briefgen.yaml": HTML_CONFIG})
    assert run("build", "--project", project).exit_code == 0
    before = {p.name: p.read_bytes() for p in (project / "output").iterdir()}
    shutil.rmtree(project / "editions")
    (project / "editions").write_text("not a folder\n")
    sheet = project / "facts/main.yaml"
    sheet.write_text(edit(MINIMAL_SHEET, "title: A fact", "title: A fact revised"))
    result = run("build", "--project", project)
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "briefgen: cannot write editions/brief/2024-11-25.json: editions is a file, "
        "not a folder (move it away); nothing was written\n"
    )
    assert {p.name: p.read_bytes() for p in (project / "output").iterdir()} == before


def test_a_build_of_one_format_keeps_the_recorded_outputs_still_in_output(
    tmp_path: Path,
) -> None:
    project = minimal_project(tmp_path, **{"briefgen.yaml": HTML_CONFIG})
    assert run("build", "--project", project).exit_code == 0
    html = _record(project)["outputs"]
    assert run("build", "--format", "json", "--project", project).exit_code == 0
    outputs = _record(project)["outputs"]
    assert isinstance(outputs, dict) and isinstance(html, dict)
    assert sorted(outputs) == ["output/brief.html", "output/brief.json"]
    assert outputs["output/brief.html"] == html["output/brief.html"]
    # An output changed since it was recorded is no longer vouched for.
    (project / "output/brief.html").write_text("<p>edited by hand</p>\n")
    sheet = project / "facts/main.yaml"
    sheet.write_text(edit(MINIMAL_SHEET, "title: A fact", "title: A fact revised"))
    assert run("build", "--format", "json", "--project", project).exit_code == 0
    assert sorted(_record(project)["outputs"]) == ["output/brief.json"]  # type: ignore[arg-type]
