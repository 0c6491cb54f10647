"""The example project validates and builds end to end."""

from __future__ import annotations

from pathlib import Path

from helpers import minimal_project, run


def test_example_validates(example: Path) -> None:
    result = run("validate", "--project", example)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 15 facts")


def test_minimal_project_builds_html_and_pdf(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    result = run("build", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["output/brief.html", "output/brief.pdf"]
    assert (project / "output/brief.pdf").read_bytes().startswith(b"%PDF-")
    assert "Something happened." in (project / "output/brief.html").read_text()
