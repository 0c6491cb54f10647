"""Code actions: apply a did-you-mean, set `reviewed:` to today on a stale fact, add an
`acknowledge:` entry for a warning, each as an edit of the few lines it needs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from lsprotocol import types

from ..checks import acknowledgeable
from ..load import Placed, Project
from .text import utf16

Fact = Placed[dict[str, Any]]

_DID_YOU_MEAN = re.compile(r"did you mean '([^']+)'\?")
_REVIEW_CODES = ("stale-fact", "never-reviewed")
REASON = "TODO why this warning is accepted"


def code_actions(
    project: Project | None,
    uri: str,
    rel: str,
    lines: list[str],
    diagnostics: Sequence[types.Diagnostic],
) -> list[types.CodeAction]:
    """The fixes for `diagnostics` in the file `rel` (its text split into `lines`)."""
    actions: list[types.CodeAction] = []
    for diagnostic in diagnostics:
        match = _DID_YOU_MEAN.search(diagnostic.message)
        if match:
            edit = types.TextEdit(diagnostic.range, match[1])
            actions.append(_action(f"Change to '{match[1]}'", uri, [edit], diagnostic, True))
        fact = _fact_at(project, rel, diagnostic.range.start.line) if project else None
        if fact is None:
            continue
        if diagnostic.code in _REVIEW_CODES:
            today = dt.date.today().isoformat()
            edit = _set_key(fact, lines, "reviewed", today)
            actions.append(
                _action(f"Set reviewed: to today ({today})", uri, [edit], diagnostic, True)
            )
        if diagnostic.code in acknowledgeable():
            edit = _acknowledge(fact, lines, str(diagnostic.code))
            actions.append(
                _action(f"Acknowledge {diagnostic.code}", uri, [edit], diagnostic, False)
            )
    return actions


def _action(
    title: str, uri: str, edits: list[types.TextEdit], diagnostic: types.Diagnostic, preferred: bool
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=preferred,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def _fact_at(project: Project, rel: str, line: int) -> Fact | None:
    """The fact written around `line` (from 0) of `rel`: the last to start at or before it."""
    best: Fact | None = None
    best_line = -1
    for raw in project.raw.get("facts", []):
        if raw.file.path != rel:
            continue
        start = raw.file.positions.of(raw.path)[0] - 1
        if best_line < start <= line:
            best, best_line = raw, start
    return best


def _key_line(fact: Fact, key: str) -> tuple[int, int] | None:
    """Line (from 0) and column (characters) of `key` in the fact, if written."""
    at = fact.file.positions.keys.get((*fact.path, key))
    return (at[0] - 1, at[1] - 1) if at else None


def _set_key(fact: Fact, lines: list[str], key: str, value: str) -> types.TextEdit:
    """An edit writing `key: value` in the fact: over the old value, or after its id."""
    written = _key_line(fact, key)
    if written is not None:
        row, column = written
        text = lines[row]
        start = column + len(key) + 1
        while start < len(text) and text[start] == " ":
            start += 1
        end = len(text.split(" #")[0].rstrip()) if " #" in text else len(text.rstrip())
        return types.TextEdit(
            types.Range(
                types.Position(row, utf16(text, start)), types.Position(row, utf16(text, end))
            ),
            value,
        )
    return _after_id(fact, lines, f"{key}: {value}")


def _acknowledge(fact: Fact, lines: list[str], code: str) -> types.TextEdit:
    written = _key_line(fact, "acknowledge")
    if (
        written is not None
        and isinstance(fact.item.get("acknowledge"), dict)
        and fact.item["acknowledge"]
    ):
        row, column = written
        at = types.Position(row + 1, 0)
        return types.TextEdit(types.Range(at, at), f"{' ' * (column + 2)}{code}: {REASON}\n")
    return _after_id(fact, lines, f"acknowledge:\n{{indent}}  {code}: {REASON}")


def _after_id(fact: Fact, lines: list[str], entry: str) -> types.TextEdit:
    row, column = _key_line(fact, "id") or (fact.file.positions.of(fact.path)[0] - 1, 0)
    indent = " " * column
    at = types.Position(row + 1, 0)
    text = indent + entry.replace("{indent}", indent) + "\n"
    return types.TextEdit(types.Range(at, at), text)
