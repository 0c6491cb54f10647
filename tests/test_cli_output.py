"""How the CLI speaks: JSON problems for machines, colour only on a terminal, and
shell completion for bash, zsh and fish."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import HTML_CONFIG, MINIMAL_CONFIG, MINIMAL_SHEET, REPO, edit, minimal_project, run

from briefgen.cli import main
from briefgen.cli.report import styled
from briefgen.errors import Problem

BROKEN = MINIMAL_SHEET.replace("confidence: moderate", "confidence: hgh").replace(
    "source: src", "source: scr"
)
REPORT = [
    "facts/main.yaml:8:9: warning: source 'src' is never cited (cite it from a fact, or remove it)",
    "facts/main.yaml:17:17: error: 'hgh' is not a valid confidence (did you mean 'high'?)",
    "facts/main.yaml:20:17: error: unknown source 'scr' (did you mean 'src'?)",
    "2 errors, 1 warning",
]


def test_validate_json_lists_every_problem_with_every_field(tmp_path: Path) -> None:
    project = minimal_project(tmp_path, **{"facts/main.yaml": BROKEN})
    result = run("validate", "--project", project, "--format", "json")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "problems": [
            {
                "path": "facts/main.yaml",
                "line": 8,
                "column": 9,
                "severity": "warning",
                "code": "uncited-source",
                "message": "source 'src' is never cited",
                "hint": "cite it from a fact, or remove it",
            },
            {
                "path": "facts/main.yaml",
                "line": 17,
                "column": 17,
                "severity": "error",
                "code": "enum",
                "message": "'hgh' is not a valid confidence",
                "hint": "did you mean 'high'?",
            },
            {
                "path": "facts/main.yaml",
                "line": 20,
                "column": 17,
                "severity": "error",
                "code": "unknown-reference",
                "message": "unknown source 'scr'",
                "hint": "did you mean 'src'?",
            },
        ],
        "errors": 2,
        "warnings": 1,
    }


def test_validate_json_of_a_good_project(tmp_path: Path) -> None:
    result = run("validate", "--project", minimal_project(tmp_path), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"problems": [], "errors": 0, "warnings": 0}


def test_plain_text_when_not_a_terminal(tmp_path: Path) -> None:
    project = minimal_project(tmp_path, **{"facts/main.yaml": BROKEN})
    result = run("validate", "--project", project)
    assert result.stderr.splitlines() == REPORT
    assert "\x1b[" not in result.output


def _stderr_on_a_terminal(project: Path, **env: str) -> str:
    """Run `briefgen validate` with its stderr on a pseudo-terminal; what it wrote there."""
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update(PYTHONPATH=str(REPO), TERM="xterm", **env)
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "validate", "--project", str(project)],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=environment,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed when the process ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 1
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_colour_on_a_terminal(tmp_path: Path) -> None:
    project = minimal_project(tmp_path, **{"facts/main.yaml": BROKEN})
    text = _stderr_on_a_terminal(project)
    warning, error = text.splitlines()[:2]
    assert warning == (
        "\x1b[1mfacts/main.yaml:8:9:\x1b[0m \x1b[33m\x1b[1mwarning:\x1b[0m "
        "source 'src' is never cited\x1b[2m (cite it from a fact, or remove it)\x1b[0m"
    )
    assert error == (
        "\x1b[1mfacts/main.yaml:17:17:\x1b[0m \x1b[31m\x1b[1merror:\x1b[0m "
        "'hgh' is not a valid confidence\x1b[2m (did you mean 'high'?)\x1b[0m"
    )


@pytest.mark.parametrize("value", ["1", "true"])
def test_no_color_turns_colour_off_on_a_terminal(tmp_path: Path, value: str) -> None:
    project = minimal_project(tmp_path, **{"facts/main.yaml": BROKEN})
    text = _stderr_on_a_terminal(project, NO_COLOR=value)
    assert text.splitlines() == REPORT


# -- shell completion -------------------------------------------------------------------


def _complete(env: dict[str, str]) -> str:
    result = CliRunner().invoke(main, [], prog_name="briefgen", env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _briefgen_completion briefgen"),
        ("zsh", "#compdef briefgen"),
        ("fish", "complete --no-files --command briefgen"),
    ],
)
def test_completion_scripts_for_each_shell(shell: str, marker: str) -> None:
    assert marker in _complete({"_BRIEFGEN_COMPLETE": f"{shell}_source"})


def test_completion_offers_commands_kinds_and_sections(tmp_path: Path) -> None:
    def offers(words: str) -> list[str]:
        env = {
            "_BRIEFGEN_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        return _complete(env).splitlines()

    assert offers("briefgen ") == [
        "plain,build",
        "plain,diff",
        "plain,init",
        "plain,issue",
        "plain,lsp",
        "plain,new",
        "plain,schema",
        "plain,serve",
        "plain,unpack",
        "plain,validate",
        "plain,verify",
    ]
    assert offers("briefgen new ") == ["plain,fact", "plain,source", "plain,actor"]
    assert offers("briefgen schema c") == ["plain,config"]
    project = minimal_project(tmp_path)
    assert offers(f"briefgen new fact --project {project} --section ") == [
        "plain,aid-flows",
        "plain,risks",
    ]
    config = MINIMAL_CONFIG + "  - id: brief-two\n    title: Another\n    edition: 2024-11\n"
    (project / "briefgen.yaml").write_text(config)
    assert offers(f"briefgen build --project {project} ") == ["plain,brief", "plain,brief-two"]
    assert offers(f"briefgen build --project {project} brief-t") == ["plain,brief-two"]
    assert offers(f"briefgen build --project {project} brief ") == ["plain,brief-two"]


def test_bash_completes_briefgen_commands(tmp_path: Path) -> None:
    """The bash script, sourced into a real bash, completes through briefgen itself."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "briefgen"
    # what pip installs as the `briefgen` console script
    shim.write_text(f"#!{sys.executable}\nfrom briefgen.cli import main\nmain()\n")
    shim.chmod(0o755)
    script = (
        'eval "$(_BRIEFGEN_COMPLETE=bash_source briefgen)"\n'
        "COMP_WORDS=(briefgen se); COMP_CWORD=1\n"
        "_briefgen_completion briefgen\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["serve"]


# -- what reaches the terminal: every line through one escaping function (cli/report.say) --
# Text from the project (a fact title, a file or attachment name) may hold escapes that
# drive a terminal (ESC, CSI as C1 \x9b), reorder the line (bidi) or forge a line (\n).

HOSTILE_TITLE = 'title: "A \\u202efact\\x9b2J"'


def test_diff_prints_a_fact_title_with_its_controls_as_escapes(tmp_path: Path) -> None:
    project = minimal_project(tmp_path, **{"briefgen.yaml": HTML_CONFIG})
    assert run("build", "--project", project).exit_code == 0
    (project / "facts/main.yaml").write_text(edit(MINIMAL_SHEET, "title: A fact", HOSTILE_TITLE))
    result = run("diff", "brief", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == "  ~ fact-one: A \\u202efact\\x9b2J"
    assert "\x9b" not in result.stdout and "\u202e" not in result.stdout


def test_a_problem_on_a_terminal_is_coloured_but_its_text_escaped() -> None:
    problem = Problem("facts/\x1b[2Jx.yaml", 1, 1, "bad \u202evalue\n", hint="try\x9b")
    assert styled(problem) == (
        "\x1b[1mfacts/\\x1b[2Jx.yaml:1:1:\x1b[0m \x1b[31m\x1b[1merror:\x1b[0m "
        "bad \\u202evalue\\x0a\x1b[2m (try\\x9b)\x1b[0m"
    )


def test_a_file_name_with_a_line_break_cannot_forge_a_changed_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen import watch

    def one_change(root: Path, steps: object, report: object, seen: Any) -> None:
        seen(("facts/a.yaml\n12:00:00 changed: facts/forged.yaml",))
        raise KeyboardInterrupt

    monkeypatch.setattr(watch, "watch_project", one_change)
    project = minimal_project(tmp_path)
    result = run("build", "--watch", "--project", project)
    assert result.exit_code == 0, result.output
    changed = result.stderr.splitlines()[1]
    assert changed.endswith(" changed: facts/a.yaml\\x0a12:00:00 changed: facts/forged.yaml")
    assert len(result.stderr.splitlines()) == 3


def test_unpack_names_a_hostile_attachment_with_its_controls_as_escapes(tmp_path: Path) -> None:
    from test_unpack import _pdf

    name = "\x1b]0;owned\x07\u202erun.sh"
    pdf = _pdf(tmp_path / "hostile.pdf", {"briefgen.yaml": b"x: 1\n", name: b"y: 2\n"})
    result = run("unpack", pdf, tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "briefgen: refused '\\x1b]0;owned\\x07\\u202erun.sh': briefgen attaches only "
    ), result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr


def test_verify_prints_each_finding_with_its_controls_as_escapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen import verify

    def findings(pdf: Path, root: Path | None, trust: object) -> list[verify.Finding]:
        return [verify.Finding("note", "signed by \x1b[32mTrusted\u202e CA\nok: forged")]

    monkeypatch.setattr(verify, "verify_pdf", findings)
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    result = run("verify", pdf)
    assert result.stdout == "note: signed by \\x1b[32mTrusted\\u202e CA\\x0aok: forged\n"


def test_every_line_a_command_prints_goes_through_say() -> None:
    # The one function that escapes; a click.echo elsewhere would print names raw.
    allowed = {"json.dumps", "schema_text(", "entry.text, nl=False"}
    for module in (REPO / "briefgen/cli").glob("*.py"):
        for number, line in enumerate(module.read_text().splitlines(), 1):
            if "click.echo(" in line and module.name not in {"report.py", "exits.py"}:
                assert any(a in line for a in allowed), f"{module.name}:{number}: {line.strip()}"
