"""Which files a briefing is made from: what its PDF carries and its digest covers."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from helpers import MINIMAL_CONFIG, MINIMAL_SHEET, edit, minimal_project

from briefgen.build import build, validate
from briefgen.options import BuildOptions
from briefgen.projection import project_briefing


def test_the_inputs_are_what_was_validated(tmp_path: Path) -> None:
    # A sheet edited between checking and building must not be attached
    # unchecked: the projection is made from what the loader read.
    root = minimal_project(tmp_path)
    project, problems = validate(root)
    assert problems == []
    (root / "facts/main.yaml").write_text("not: [valid", encoding="utf-8")
    inputs = project_briefing(project, "brief")
    assert [i.path for i in inputs] == ["briefgen.yaml", "facts/main.yaml"]
    sheet = inputs[1].data.decode()
    assert "id: fact-one" in sheet and "not: [valid" not in sheet


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
    paths = [i.path for i in project_briefing(project, "brief")]
    assert paths == ["briefgen.yaml", "facts/0-first.yaml", "facts/z/last.yaml"]


def test_a_build_opens_each_input_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sheets are hashed as the loader read them, and the earlier edition's record
    # is read once, to check it and to compare with it.
    root = minimal_project(tmp_path)
    build(root, options=BuildOptions(override_formats=("html",)))
    config = edit(MINIMAL_CONFIG, "edition: 2024-11-25", "edition: 2024-12-02")
    (root / "briefgen.yaml").write_text(config, encoding="utf-8")
    opened: Counter[Path] = Counter()
    real_open = Path.open

    def counting_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened[self.absolute()] += 1
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counting_open)  # read_bytes and read_text use it too
    built, _ = build(root, options=BuildOptions(override_formats=("html",)))
    assert [path.name for path in built[0].paths] == ["brief.html"]
    record = root / "editions/brief/2024-11-25.json"
    inputs = [root / "briefgen.yaml", root / "facts/main.yaml", record]
    assert {path: opened[path.absolute()] for path in inputs} == dict.fromkeys(inputs, 1)
    assert (root / "editions/brief/2024-12-02.json").is_file()  # compared and recorded
