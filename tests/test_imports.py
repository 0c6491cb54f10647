"""`briefgen --help` and `briefgen validate` never import WeasyPrint, and `validate`
none of the rendering stack: proven with `python -X importtime`, which logs
every module a process imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, minimal_project


def imported(*args: str | Path) -> set[str]:
    """Every module the CLI imports when run with `args`."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "briefgen", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    assert "briefgen.cli" in modules  # the log is what we think it is
    return modules


def weasyprint_modules(modules: set[str]) -> set[str]:
    return packages(modules, "weasyprint")


# What renders a briefing, and only that: templates, Markdown, PDF, Word, font metrics.
RENDERING = ("jinja2", "markdown_it", "weasyprint", "docx", "fontTools")


def packages(modules: set[str], *names: str) -> set[str]:
    """The modules of `modules` that belong to the packages `names`."""
    return {m for m in modules if m.split(".")[0] in names}


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["--version"]])
def test_help_does_not_import_weasyprint(args: list[str]) -> None:
    assert weasyprint_modules(imported(*args)) == set()


def test_validate_does_not_import_weasyprint(example: Path) -> None:
    modules = imported("validate", "--project", example)
    assert "briefgen.checks" in modules
    assert weasyprint_modules(modules) == set()


def test_validate_imports_none_of_the_rendering_stack(example: Path) -> None:
    modules = imported("validate", "--project", example)
    assert "briefgen.checks" in modules and "markupsafe" in modules
    assert packages(modules, *RENDERING) == set()


def test_validate_reads_no_font(tmp_path: Path) -> None:
    """The no-glyph warning reads the theme's coverage.json: neither fontTools nor
    HarfBuzz is imported to validate a project in every script."""
    from scripts_project import multilingual_project

    modules = imported("validate", "--project", multilingual_project(tmp_path))
    assert "briefgen.fonts" in modules
    assert {m.split(".")[0] for m in modules} & {"fontTools", "uharfbuzz"} == set()


@pytest.mark.slow
def test_the_check_would_see_weasyprint(tmp_path: Path) -> None:
    # The same log for a build does show WeasyPrint, so the tests above can fail.
    modules = imported("build", "--project", minimal_project(tmp_path))
    assert "weasyprint" in modules
    assert {"jinja2", "markdown_it"} <= modules  # and the rest of the rendering stack


@pytest.mark.parametrize("args", [["--help"], ["lsp", "--help"]])
def test_help_does_not_import_pygls(args: list[str]) -> None:
    # `briefgen lsp` imports its server (and pygls) only when it starts.
    modules = imported(*args)
    assert {m for m in modules if m.split(".")[0] in ("pygls", "lsprotocol")} == set()
    assert "briefgen.lsp.server" not in modules
