"""YAML syntax errors an analyst can act on, as many of a file's as can be found in one run.

The parser stops at the first error and says what it found ("mapping values
are not allowed here"), not what to do. Here each error is said in the
analyst's terms, from the line itself (a tab: indent with spaces; a colon in an
unquoted value: quote it; a key indented deeper than the one before: align
it). Then the offending line is neutralised (its value replaced by '' or the
line blanked, with the lines indented under it) and the text parsed again, so
the errors further down are found too. Line numbers never move, and an error
is reported only when it lies after every line changed so far, so no error
the changes themselves made is ever reported.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .errors import Problem

MAX_SYNTAX_ERRORS = 20  # of one file; a file this broken is better fixed from the top
# Past this size each extra parse costs seconds: report the first error only.
LOOK_PAST_BYTES = 1024 * 1024

# libyaml words a few messages differently from PyYAML's own parser; say them one way.
_SYNTAX_WORDING = {
    "mapping values are not allowed in this context": "mapping values are not allowed here",
}
# The parser's words for a key where none can start, in libyaml and in PyYAML.
_NO_KEY = {
    "did not find expected key",
    "did not find expected '-' indicator",
    "expected <block end>, but found '<block mapping start>'",
}
_MAX_KEY = 1024  # YAML's limit on an implicit key's length

# What a parser's context was reading, when it ran out before the closing mark.
_OPENED = {
    "while scanning a quoted scalar": "quote",
    "while parsing a flow sequence": "'['",
    "while parsing a flow mapping": "'{'",
}
# `key: value` at the start of a line, after any list dashes: the key and where its value starts.
_KEY_VALUE = re.compile(
    r"""^(?P<lead>[ \t]*(?:-[ \t]+)*)             # indentation and list dashes
    (?P<key>[^\s\#'"{\[&*!|>%@`-][^:\#]*?       # a plain key...
           |-[^\s:][^:\#]*?)                     # ...or one starting with '-'
    [ \t]*:(?:[ \t]+|$)                           # its colon""",
    re.VERBOSE,
)


def syntax_problems(text: str, path: str, error: yaml.MarkedYAMLError, parse: Any) -> list[Problem]:
    """Every syntax error of `text` that can be found: the parser's `error` first,
    then those found by parsing again with each offending line neutralised.
    `parse(text)` parses and raises yaml.MarkedYAMLError at the first error."""
    lines = text.splitlines(keepends=True)
    problems: list[Problem] = []
    changed_up_to = -1  # the last line index changed so far
    while True:
        mark = error.problem_mark or error.context_mark
        # Read against the lines as parsed: those above may have been neutralised.
        problems.append(explain(error, lines, path))
        if mark is None or mark.line >= len(lines) or len(problems) >= MAX_SYNTAX_ERRORS:
            break
        if len(text) > LOOK_PAST_BYTES:
            break
        last = _neutralise(lines, mark.line, error)
        changed_up_to = max(changed_up_to, last)
        try:
            parse("".join(lines))
        except yaml.MarkedYAMLError as again:
            mark = again.problem_mark or again.context_mark
            # An error at or before a changed line may be of the change's making; so may
            # one inside a quoted value or a [...] or {...} opened before it.
            opened = again.context_mark
            inside = opened is not None and "block" not in (again.context or "")
            if mark is None or mark.line <= changed_up_to:
                break
            if inside and opened is not None and opened.line <= changed_up_to:
                break
            error = again
            continue
        break
    return problems


def explain(error: yaml.MarkedYAMLError, lines: list[str], path: str) -> Problem:
    """One syntax error, located, with what to do about it where the line shows it."""
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "invalid YAML"
    problem = _SYNTAX_WORDING.get(problem, problem)
    if mark is None:
        return Problem(path, 1, 1, f"invalid YAML: {problem}", None, code="yaml-syntax")
    line_no, column = mark.line, mark.column
    line = lines[line_no] if line_no < len(lines) else ""
    char = line[column] if column < len(line) else ""
    hint: str | None = None
    if char == "\t" or "tab character" in problem:
        at = line.index("\t") if "\t" in line else column
        leading = not line[:at].strip(" \t-")
        message = "a tab in the indentation" if leading else "a tab where YAML allows only spaces"
        hint = "indent with spaces; YAML does not allow tabs for indentation"
        column = at
    elif problem == "mapping values are not allowed here":
        message, hint, column = _mapping_values(lines, line_no, column)
    elif problem in _NO_KEY and (deeper := _misaligned_key(lines, line_no)) is not None:
        message, hint, column = deeper
    elif problem == "found character that cannot start any token" and char:
        message = f"found character '{char}' that cannot start any token"
    elif error.context_mark is not None and error.context in _OPENED:
        opened, what = error.context_mark, _OPENED[error.context]
        if problem == "found unexpected end of stream":
            # Reported where it was opened: the end of the file says nothing.
            message, hint = f"this {what} is never closed", "close it where the value ends"
            line_no, column = opened.line, opened.column
        else:
            message = problem
            hint = f"close the {what} opened at line {opened.line + 1}, column {opened.column + 1}"
    else:
        message = problem
    return Problem(
        path, line_no + 1, column + 1, f"invalid YAML: {message}", hint, code="yaml-syntax"
    )


def _mapping_values(lines: list[str], line_no: int, column: int) -> tuple[str, str | None, int]:
    """'mapping values are not allowed here' has two usual causes; the line tells which."""
    line = lines[line_no]
    own = _KEY_VALUE.match(line)
    if own is not None and own.end() <= column:
        # `text: Something: happened.`: a second ': ' inside an unquoted value.
        key, value = own["key"], line[own.end() :].rstrip("\r\n").strip()
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return (
            "a colon followed by a space inside an unquoted value",
            f"put the value in quotes: {key}: {quoted}",
            column,
        )
    deeper = _misaligned_key(lines, line_no)
    if deeper is not None:
        return deeper
    if len(line[:column].strip()) > _MAX_KEY:
        return (
            f"a key longer than YAML's limit of {_MAX_KEY} characters",
            "shorten the key",
            column,
        )
    return "mapping values are not allowed here", "put the value in quotes if it holds ': '", column


def _misaligned_key(lines: list[str], line_no: int) -> tuple[str, str, int] | None:
    """`key: value` on a line indented deeper or less than the key on the line above,
    which does not open a block: the key was meant to line up with that one."""
    line = lines[line_no]
    own = _KEY_VALUE.match(line)
    before = _previous_key(lines, line_no)
    if own is None or before is None:
        return None
    previous, previous_indent, opens = before
    if opens or own.start("key") == previous_indent:
        return None
    key = own["key"].strip()
    how = "deeper" if own.start("key") > previous_indent else "less"
    if how == "less" and _indent(line) in _levels_above(lines, line_no):
        return None  # it lines up with an enclosing level: the mistake is elsewhere
    return (
        f"'{key}' is indented {how} than '{previous}' on the line before it",
        f"align '{key}' with '{previous}' (column {previous_indent + 1})",
        own.start("key"),
    )


def _levels_above(lines: list[str], line_no: int) -> set[int]:
    """The indentations of the blocks enclosing line `line_no`, read upwards."""
    levels: set[int] = set()
    smallest = None
    for index in range(line_no - 1, -1, -1):
        text = lines[index]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indent = _indent(text)
        if smallest is None or indent < smallest:
            smallest = indent
            levels.add(indent)
    return levels


def _previous_key(lines: list[str], line_no: int) -> tuple[str, int, bool] | None:
    """The key on the nearest line above, the column it starts at, and whether it opens
    a block (nothing after its colon); None when that line holds no key."""
    for index in range(line_no - 1, -1, -1):
        text = lines[index]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        match = _KEY_VALUE.match(text)
        if match is None:
            return None
        rest = text[match.end() :].split(" #", 1)[0].strip()
        return match["key"].strip(), match.start("key"), rest in ("", "|", ">", "|-", ">-")
    return None


def _indent(line: str) -> int:
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip(" "))


def _neutralise(lines: list[str], index: int, error: yaml.MarkedYAMLError) -> int:
    """Change line `index` (and what hangs under it) so the parser gets past it, keeping
    every line where it is; return the last line index changed."""
    line = lines[index]
    body = line.lstrip(" \t")
    if "\t" in line[: len(line) - len(body)]:
        # Tabs in the indentation: indent with spaces as the line before suggests.
        lines[index] = " " * _intended_indent(lines, index) + body
        return index
    match = _KEY_VALUE.match(line)
    mapping_values = (error.problem or "").startswith("mapping values are not allowed")
    if match is not None and mapping_values and "\t" not in match["lead"]:
        mark = error.problem_mark
        if mark is not None and match.end() <= mark.column:
            # A colon inside the value: the key stays, with an empty value.
            lines[index] = line[: match.end()].rstrip() + " ''" + _ending(line)
            # Lines deeper down were read as more of the value; a `key:` among them is an
            # error of its own (too deep), so it stays to be found.
            return _blank_deeper(lines, index, _indent(line[: match.start("key")]), keep_keys=True)
    lines[index] = _ending(line)
    return _blank_deeper(lines, index, _indent(line))


def _intended_indent(lines: list[str], index: int) -> int:
    """Where a tab-indented line was probably meant to start: under the key of the
    line above, or one step in from it when that line opens a block (`key:`)."""
    for above in range(index - 1, -1, -1):
        text = lines[above].rstrip()
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        match = _KEY_VALUE.match(text)
        start = match.start("key") if match is not None else _indent(text)
        return start + 2 if text.endswith(":") else start
    return 0


def _blank_deeper(lines: list[str], index: int, indent: int, *, keep_keys: bool = False) -> int:
    """Blank the lines after `index` indented deeper than `indent` (its value's
    continuation or its children); return the last index blanked, or `index`."""
    last = index
    for after in range(index + 1, len(lines)):
        text = lines[after]
        if text.strip() and _indent(text) <= indent:
            break
        if keep_keys and _KEY_VALUE.match(text):
            break
        lines[after] = _ending(text)
        last = after
    return last


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]
