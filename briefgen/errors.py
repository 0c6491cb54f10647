"""Problems in a project, each located at a file, line and column, and the errors carrying them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a project, where it is, and what would be right.

    `path` is relative to the project folder, with forward slashes; `line` and
    `column` count from 1.
    """

    path: str
    line: int
    column: int
    message: str
    hint: str | None = field(default=None, compare=False)
    severity: Severity = field(default="error", compare=False)
    code: str = field(default="invalid", compare=False)

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return printable(f"{text} ({self.hint})" if self.hint else text)

    def as_warning(self) -> Problem:
        return Problem(
            self.path, self.line, self.column, self.message, self.hint, "warning", self.code
        )

    def as_error(self) -> Problem:
        return Problem(
            self.path, self.line, self.column, self.message, self.hint, "error", self.code
        )


def summarize(problems: list[Problem]) -> str:
    """'2 errors, 1 warning' for the last line of a report."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error" + ("s" if errors != 1 else ""))
    if warnings:
        parts.append(f"{warnings} warning" + ("s" if warnings != 1 else ""))
    return ", ".join(parts) if parts else "no problems"


class InvalidValue(ValueError):
    """A value the format refuses, with a hint saying what would be right.

    Raised inside the models; load.py turns it into a Problem whose hint
    is `hint`.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


# Characters that would let a file name or a quoted value act on the terminal (escape
# sequences), break the one-line-per-problem format (line breaks) or reorder what
# the reader sees (bidirectional controls).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with control characters written as escapes, safe to print on one line."""
    return _UNPRINTABLE.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class ProjectError(Exception):
    """The project cannot be built as it is; `problems` says every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(summarize(problems))
        self.problems = problems


class BuildError(Exception):
    """Rendering failed for a reason that is not a located problem in the input."""

    def __str__(self) -> str:  # it may quote a file name from the project
        return printable(super().__str__())
