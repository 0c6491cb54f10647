"""Which files a briefing is made from: what its PDF carries and its digest covers."""

from __future__ import annotations

from pathlib import Path

from helpers import MINIMAL_SHEET, minimal_project

from briefgen.build import validate
from briefgen.inputs import briefing_inputs


def test_the_inputs_are_the_bytes_that_were_validated(tmp_path: Path) -> None:
    # A sheet edited between checking and building must not be attached
    # unchecked: the build uses what the loader read.
    root = minimal_project(tmp_path)
    validated = (root / "facts/main.yaml").read_bytes()
    project, problems = validate(root)
    assert problems == []
    (root / "facts/main.yaml").write_text("not: [valid", encoding="utf-8")
    inputs = briefing_inputs(project, "brief")
    assert [(i.path, i.data) for i in inputs] == [
        ("briefgen.yaml", (root / "briefgen.yaml").read_bytes()),
        ("facts/main.yaml", validated),
    ]


def test_briefgen_yaml_comes_first_then_sheets_by_path(tmp_path: Path) -> None:
    # The fact in a sub-folder, its actors and source in a sheet that sorts first,
    # and a sheet the briefing does not draw on between them.
    head, facts = MINIMAL_SHEET.split("facts:\n")
    files = {
        "facts/main.yaml": "actors:\n  - {id: CN, name: China}\n",
        "facts/0-first.yaml": head,
        "facts/z/last.yaml": "section: aid-flows\nfacts:\n" + facts,
    }
    root = minimal_project(tmp_path, **files)
    project, problems = validate(root)
    assert [p for p in problems if p.severity == "error"] == []
    paths = [i.path for i in briefing_inputs(project, "brief")]
    assert paths == ["briefgen.yaml", "facts/0-first.yaml", "facts/z/last.yaml"]
