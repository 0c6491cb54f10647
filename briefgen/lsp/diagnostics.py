"""Diagnostics: each `Problem` on the exact range of what it points at, its code as the
diagnostic code and its hint after the message, published per file when they change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple

from lsprotocol import types

from ..errors import Problem
from .state import Desk
from .text import problem_range

_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


def to_diagnostic(problem: Problem, lines: list[str]) -> types.Diagnostic:
    """`problem` as the editor shows it, on the range of the value it points at."""
    message = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
    return types.Diagnostic(
        range=problem_range(lines, problem.line, problem.column),
        message=message,
        severity=_SEVERITY[problem.severity],
        code=problem.code,
        source="briefgen",
    )


class Publisher:
    """Sends each file's diagnostics when they differ from what the editor was sent."""

    def __init__(self, desk: Desk, send: Callable[[types.PublishDiagnosticsParams], None]) -> None:
        self._desk = desk
        self._send = send
        self._sent: dict[str, list[Problem]] = {}

    def publish(self, problems: dict[str, list[Problem]], first: str | None = None) -> None:
        """Publish `problems` (every file's), `first`'s first."""
        paths = sorted(set(problems) | set(self._sent), key=lambda path: path != first)
        for path in paths:
            found = sorted(problems.get(path, []), key=astuple)
            if [astuple(p) for p in self._sent.get(path, [])] == [astuple(p) for p in found]:
                continue  # a file never sent anything, and with nothing to send, is skipped too
            self._sent[path] = found
            lines = self._desk.text(path).split("\n")
            self._send(
                types.PublishDiagnosticsParams(
                    uri=(self._desk.root / path).as_uri(),
                    diagnostics=[to_diagnostic(p, lines) for p in found],
                )
            )
