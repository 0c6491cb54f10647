"""What the commands print: problems (coloured on a terminal, or as JSON), paths,
the progress line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import Problem, printable, summarize
from .exits import EXIT_PROBLEMS


def say(text: str, err: bool = False) -> None:
    """Print one line a command says, its control characters written as escapes: names
    and text from the project (a file name, a fact title, an attachment name) reach the
    terminal only through here, so none can move the cursor, recolour it or forge a line.
    """
    click.echo(printable(text), err=err)


def report_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    """Every problem on stderr, one a line (coloured on a terminal), then their count."""
    color = use_color(sys.stderr)
    for problem in problems:
        click.echo(styled(problem) if color else str(problem), err=True, color=color)
    if problems:
        click.echo(summarize(list(problems)), err=True)


class Progress:
    """One line on a terminal's stderr, rewritten as each briefing finishes."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, done: int, total: int, briefing_id: str) -> None:
        if total > 1:  # one briefing needs no progress line
            text = (
                f"rendered {done}/{total}: {briefing_id}"
                if done
                else f"rendering {total} briefings"
            )
            click.echo(f"\r\x1b[K{printable(text)}", err=True, nl=False)
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False)


def shown(path: Path, root: Path) -> str:
    """`path` as the user sees it: relative to `root` when inside it."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


# -- colour and machine-readable output --------------------------------------------------


def use_color(stream: Any) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    return not os.environ.get("NO_COLOR") and bool(getattr(stream, "isatty", lambda: False)())


_SEVERITY_COLOR = {"error": "red", "warning": "yellow"}


def styled(problem: Problem) -> str:
    """A problem's line with its place in bold and its severity in colour."""
    # Each piece escaped before it is styled: the styles are the only escapes printed.
    where = click.style(printable(f"{problem.path}:{problem.line}:{problem.column}:"), bold=True)
    severity = click.style(
        f"{problem.severity}:", fg=_SEVERITY_COLOR.get(problem.severity), bold=True
    )
    hint = click.style(printable(f" ({problem.hint})"), dim=True) if problem.hint else ""
    return f"{where} {severity} {printable(problem.message)}{hint}"


def report_json(problems: list[Problem]) -> None:
    """The problems as JSON on stdout; exit 1 if any is an error."""
    errors = sum(p.severity == "error" for p in problems)
    records = [
        {
            "path": p.path,
            "line": p.line,
            "column": p.column,
            "severity": p.severity,
            "code": p.code,
            "message": p.message,
            "hint": p.hint,
        }
        for p in problems
    ]
    data = {"problems": records, "errors": errors, "warnings": len(problems) - errors}
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    if errors:
        sys.exit(EXIT_PROBLEMS)


__all__ = [
    "Progress",
    "report_json",
    "report_problems",
    "say",
    "shown",
    "styled",
    "use_color",
]
