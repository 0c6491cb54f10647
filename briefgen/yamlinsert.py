"""Inserting: one more entry at the end of a list in a YAML file, every other byte kept.

`briefgen new --sheet` adds to a sheet an analyst wrote by hand, so the file is
edited as text, never loaded and dumped: comments, order, quoting, blank
lines and line endings all stay as they were. The new entry takes the list's
own indentation and spacing, and the result is parsed again and refused
unless it reads back as the same data plus that one entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .yamlfile import KeyPath, YamlFile, load_yaml

# The text of a list entry ("- id: ...\n  ...") at the indent given.
Entry = Callable[[int], str]


class InsertError(Exception):
    """The entry cannot be added without changing the file's meaning; the message
    says why and what to do."""


def append_entry(
    loaded: YamlFile | None, before: bytes, key: str, entry: Entry, header: str = ""
) -> tuple[bytes, str]:
    """The file's bytes (`before`, as `loaded` read them; None for no file) with
    `entry` added to the end of its top-level list `key`, and the text added.
    `header` starts a file that is empty or new."""
    if loaded is None or not before.strip():
        added = header + f"{key}:\n" + entry(2)
        return before + added.encode(), added

    data: dict[str, Any] = loaded.data or {}
    text = before.decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if not lines[-1].endswith("\n"):
        lines[-1] += newline

    def _lines(new: str) -> str:  # the file's own line ending for the added text
        return new.replace("\n", newline)

    items = data.get(key)
    if key not in data:
        blank = "" if not lines[-1].strip() else "\n"
        added = _lines(blank + f"{key}:\n" + entry(2))
        new_lines = [*lines, added]
    else:
        line, column = loaded.positions.values[(key,)]
        block = isinstance(items, list) and lines[line - 1][column - 1] != "["
        if items is not None and not block:
            raise InsertError(
                f"{loaded.path}:{line}:{column}: '{key}' is not written as a list with one "
                "'- ' line per entry; write it so, or add the entry by hand"
            )
        at = _block_end(lines, loaded.positions.keys, key)
        indent, gap = 2, False
        if items:
            first_line, first_column = loaded.positions.values[(key, 0)]
            indent = len(lines[first_line - 1][: first_column - 1].rstrip()) - 1
            # Keep the file's spacing: a blank line between entries if it has them.
            last_line, _ = loaded.positions.values[(key, len(items) - 1)]
            many = len(items) > 1
            gap = not lines[last_line - 2].strip() if many else at - last_line >= 3
        added = _lines(("\n" if gap else "") + entry(indent))
        new_lines = [*lines[:at], added, *lines[at:]]
    return "".join(new_lines).encode("utf-8"), added


def _block_end(lines: list[str], keys: dict[KeyPath, tuple[int, int]], key: str) -> int:
    """The index of the line where a new entry of top-level `key` goes: after its
    last line, before the comments that lead into the next top-level key."""
    own = keys[(key,)][0]
    later = sorted(line for path, (line, _) in keys.items() if len(path) == 1 and line > own)
    if not later:
        return len(lines)
    at = later[0] - 1  # index of the next key's line
    while at > own and (not lines[at - 1].strip() or lines[at - 1].startswith("#")):
        at -= 1
    return at


def check_appended(data: dict[str, Any], after: bytes, name: str, key: str, item_id: str) -> int:
    """Refuse an edit that would not read back as `data` plus one entry of `key`
    with id `item_id`; return the line where that entry starts."""
    loaded = load_yaml(after, name)
    new = loaded.data if isinstance(loaded.data, dict) else {}
    items = new.get(key)
    same = (
        not loaded.problems
        and isinstance(items, list)
        and items[:-1] == (data.get(key) or [])
        and isinstance(items[-1], dict)
        and items[-1].get("id") == item_id
        and _without(new, key) == _without(data, key)
    )
    if not same or not isinstance(items, list):
        raise InsertError(
            f"could not add the entry to {name} without changing what it says; "
            "run without --sheet and paste the entry by hand"
        )
    return loaded.positions.values[(key, len(items) - 1)][0]


def _without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}
