"""The command line, through click's CliRunner: help, exit codes, reports, what is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import HTML_CONFIG, MINIMAL_SHEET, edit, minimal_project, run

import briefgen.build
import briefgen.edition
from briefgen import __version__
from briefgen.cache import CACHE_NAME
from briefgen.errors import BuildError

# Two briefings, HTML only, so these tests never wait for WeasyPrint.
HTML_ONLY = HTML_CONFIG + (
    "  - id: second\n    title: Another briefing\n    edition: 2024-11\n    formats: [html]\n"
)

BROKEN_SHEET = edit(
    edit(MINIMAL_SHEET, "confidence: moderate", "confidence: hgh"),
    "actors: [RU, KP]",
    "actors: [RU, KPP]",
)
# Errors and warnings together, in file order, then the count of each.
BROKEN_REPORT = [
    "facts/main.yaml:5:9: warning: actor 'KP' is never used "
    "(name it in a fact's actors, flow or agreement, or remove it)",
    "facts/main.yaml:17:17: error: 'hgh' is not a valid confidence (did you mean 'high'?)",
    "facts/main.yaml:18:18: error: unknown actor 'KPP' (did you mean 'KP'?)",
    "2 errors, 1 warning",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return minimal_project(tmp_path / "project", **{"briefgen.yaml": HTML_ONLY})


# -- help and usage ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--help"], ["Usage: briefgen [OPTIONS] COMMAND", "build", "validate"]),
        (["-h"], ["Usage: briefgen [OPTIONS] COMMAND"]),
        (
            ["validate", "--help"],
            ["Usage: briefgen validate [OPTIONS]", "--project DIRECTORY", "path:line:column"],
        ),
        (
            ["build", "--help"],
            [
                "Usage: briefgen build [OPTIONS] [BRIEFING-ID]...",
                "--project DIRECTORY",
                "Nothing is written if anything is wrong",
            ],
        ),
    ],
)
def test_every_command_explains_itself(args: list[str], says: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0
    for text in says:
        assert text in result.stdout


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"briefgen, version {__version__}\n")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["bogus"], "Error: No such command 'bogus'."),
        (["build", "--bogus"], "Error: No such option '--bogus'. Did you mean '--jobs'?"),
        (["validate", "extra"], "Error: Got unexpected extra argument (extra)"),
        (
            ["validate", "--project", "/nonexistent/briefgen-project"],
            "Error: Invalid value for '--project': Directory "
            "'/nonexistent/briefgen-project' does not exist.",
        ),
    ],
)
def test_usage_errors_exit_2(args: list[str], error: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == error
    assert result.stdout == ""


def test_a_file_is_not_a_project_folder(project: Path) -> None:
    result = run("build", "--project", project / "briefgen.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--project': Directory '{project / 'briefgen.yaml'}' is a file."
    )


def test_an_unknown_briefing_id_is_a_usage_error(project: Path) -> None:
    result = run("build", "nope", "brief", "--project", project)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: no briefing 'nope'; the project has brief, second"
    )
    assert not (project / "output").exists()


# -- validate ----------------------------------------------------------------------------


def test_validate_a_good_project(project: Path) -> None:
    result = run("validate", "--project", project)
    assert result.exit_code == 0
    assert result.stdout == "ok: 1 fact, 1 source, 2 actors, 2 briefings\n"
    assert result.stderr == ""
    assert not (project / "output").exists()


def test_validate_reports_every_problem_then_the_count(project: Path) -> None:
    (project / "facts/main.yaml").write_text(BROKEN_SHEET)
    result = run("validate", "--project", project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == BROKEN_REPORT
    assert result.stdout == ""


def test_one_problem_is_counted_in_the_singular(project: Path) -> None:
    (project / "facts/main.yaml").write_text(
        edit(MINIMAL_SHEET, "reliability: B", "reliability: b")
    )
    result = run("validate", "--project", project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "facts/main.yaml:10:18: error: 'b' is not a valid reliability (did you mean 'B'?)",
        "1 error",
    ]


def test_the_project_defaults_to_the_current_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    assert run("validate").stdout == "ok: 1 fact, 1 source, 2 actors, 2 briefings\n"
    monkeypatch.chdir(project.parent)
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"briefgen.yaml:1:1: error: file not found in {project.parent} "
        "(run briefgen in a project folder, or pass --project DIR)",
        "1 error",
    ]


def test_a_relative_project_folder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.parent)
    result = run("build", "--project", "project")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["output/brief.html", "output/second.html"]
    assert (project / "output/second.html").is_file()


# -- build -------------------------------------------------------------------------------


def test_build_writes_every_briefing_in_its_formats(project: Path) -> None:
    result = run("build", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["output/brief.html", "output/second.html"]
    assert result.stderr == ""
    written = sorted(p.name for p in (project / "output").iterdir() if p.name != CACHE_NAME)
    assert written == ["brief.html", "second.html"]


def test_build_one_briefing_by_id(project: Path) -> None:
    result = run("build", "second", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["output/second.html"]
    assert [p.name for p in (project / "output").iterdir() if p.name != CACHE_NAME] == [
        "second.html"
    ]
    assert "Another briefing" in (project / "output/second.html").read_text()


def test_build_with_problems_writes_nothing(project: Path) -> None:
    (project / "facts/main.yaml").write_text(BROKEN_SHEET)
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        *BROKEN_REPORT,
        "nothing was written; output/ is unchanged",
    ]
    assert result.stdout == ""
    assert not (project / "output").exists()


def test_build_validates_the_whole_project_even_for_one_briefing(project: Path) -> None:
    (project / "facts/main.yaml").write_text(BROKEN_SHEET)
    result = run("build", "second", "--project", project)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:4] == BROKEN_REPORT


def test_a_render_failure_writes_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = briefgen.build.render_briefing

    def fail_on_second(project_: object, briefing_id: str, *rest: object) -> object:
        if briefing_id == "second":
            raise BuildError("PDF: refused to fetch http://example.org/font.woff")
        return real(project_, briefing_id, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(briefgen.build, "render_briefing", fail_on_second)
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert result.stderr == (
        "briefgen: PDF: refused to fetch http://example.org/font.woff; nothing was written\n"
    )
    # The first briefing rendered fine, but is not written alone.
    assert not (project / "output").exists()


# -- never a traceback -------------------------------------------------------------------

INTERNAL = re.compile(
    r"briefgen: internal error: RuntimeError: boom \(at test_cli\.py:\d+\); this is a bug in "
    rf"briefgen {re.escape(__version__)}: please report it with the command you ran "
    r"\(see 'Reporting a problem' in briefgen's README\)\n"
)


@pytest.mark.parametrize("command", ["validate", "build"])
def test_an_internal_error_is_one_line_and_exit_70(
    project: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(briefgen.build, "load_project", boom)
    result = run(command, "--project", project)
    assert result.exit_code == 70
    assert INTERNAL.fullmatch(result.stderr), result.stderr
    assert "Traceback" not in result.output
    assert not (project / "output").exists()


def test_an_internal_error_while_rendering_writes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("build", "--project", project)
    before = {p.name: p.read_bytes() for p in (project / "output").iterdir()}

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(briefgen.edition, "assemble_briefing", boom)
    result = run("build", "--project", project, "--force")  # up to date, else nothing renders
    assert result.exit_code == 70
    assert INTERNAL.fullmatch(result.stderr), result.stderr
    assert {p.name: p.read_bytes() for p in (project / "output").iterdir()} == before


def test_ctrl_c_says_nothing_was_written(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(briefgen.build, "load_project", interrupt)
    result = run("build", "--project", project)
    assert result.exit_code == 130
    assert result.stderr == "briefgen: interrupted; output/ is unchanged\n"
