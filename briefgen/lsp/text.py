"""Where things are in a sheet's text: a problem's range, and what the cursor is on (the
keys leading to it and the word), read from the text so a half-typed line still answers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types

from ..kinds import mapped_kinds
from ..load import CONFIG_NAME

# A line: its indent, any "- " list marks, a key and the rest (the value, or nothing).
_LINE = re.compile(
    r"^(?P<indent> *)(?P<dashes>(?:- +)*)(?:(?P<key>[^\s#'\"{}\[\],:][^#:]*?):(?= |$))?"
)
_WORD = re.compile(r"[A-Za-z0-9._:+-]")
# A block scalar's header: `|` or `>`, then its chomping and indentation indicators.
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*(?: +#.*)?$")


def utf16(line: str, column: int) -> int:
    """A column in characters as the editor counts it, in UTF-16 code units."""
    return len(line[:column].encode("utf-16-le")) // 2


def from_utf16(line: str, units: int) -> int:
    """A column in UTF-16 code units, in characters."""
    count = 0
    for index, char in enumerate(line):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def token_end(line: str, start: int) -> int:
    """Where the scalar (or key) starting at `start` on `line` ends."""
    if start >= len(line):
        return start
    if line[start] in "'\"":
        close = line.find(line[start], start + 1)
        return close + 1 if close > 0 else len(line)
    end = start
    while end < len(line):
        rest = line[end:]
        if rest[0] in ",]}" or rest.startswith((" #", ": ")) or rest == ":":
            break
        end += 1
    return len(line[:end].rstrip()) if line[:end].strip() else end


def problem_range(lines: list[str], line: int, column: int) -> types.Range:
    """The range of the value a problem at `line`, `column` (from 1) points at."""
    row = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[row] if lines else ""
    start = min(max(column - 1, 0), len(text))
    end = max(token_end(text, start), start + (start < len(text)))
    return types.Range(
        types.Position(row, utf16(text, start)), types.Position(row, utf16(text, end))
    )


@dataclass(frozen=True)
class Spot:
    """What the cursor is on: the mapping keys leading to it (list indexes left out),
    the id-like word under it, and where that word is (line, characters)."""

    keys: tuple[str, ...]
    word: str
    line: int
    start: int
    end: int
    on_key: bool
    value: str  # the whole value written after the key on this line, unquoted


def spot_at(text: str, line: int, units: int) -> Spot:
    """The spot at `line` and `units` (UTF-16) in `text`."""
    lines = text.split("\n")
    current = lines[line] if 0 <= line < len(lines) else ""
    column = from_utf16(current, units)
    match = _LINE.match(current)
    assert match is not None  # every group may be empty
    key = match["key"]
    own_column = len(match["indent"]) + len(match["dashes"])
    keys: list[str] = []
    on_key = key is not None and column <= match.end()
    if key is not None and not on_key:
        keys.append(key.strip())
    elif key is None and match["dashes"]:
        own_column = len(match["indent"])  # a list item: its parent holds the list
    keys[:0] = _parents(lines[:line], own_column if (key or match["dashes"]) else column)
    floor = match.end() if key is not None else own_column
    start = column
    while start > floor and _WORD.match(current[start - 1]):
        start -= 1
    end = column
    while end < len(current) and _WORD.match(current[end]):
        end += 1
    if on_key:
        start, end = own_column, own_column + len(key or "")
    value = current[match.end() :].split(" #")[0].strip().strip("'\"")
    return Spot(tuple(keys), current[start:end], line, start, end, on_key, value)


def _parents(above: list[str], column: int) -> list[str]:
    """The keys of the block mappings holding something written at `column`."""
    parents: list[str] = []
    for text in reversed(above):
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.match(text)
        assert match is not None
        first = len(match["indent"])
        key_column = first + len(match["dashes"])
        if first >= column:
            continue
        if match["key"] is not None and key_column < column:
            value = text[match.end() :].strip()
            # A block scalar's key holds its lines as a mapping's key holds its keys:
            # a word in a judgment's `text: |` is no id of the list around it.
            if not value or value.startswith("#") or _BLOCK_SCALAR.match(value):
                parents.insert(0, match["key"].strip())
        column = first
        if column == 0:
            break
    return parents


def id_kind(keys: tuple[str, ...], rel: str) -> tuple[str, bool] | None:
    """The kind of id (a key of `Project.declared`) written at `keys` in the file `rel`,
    and whether it declares the id rather than refers to it."""
    config = rel == CONFIG_NAME
    if len(keys) == 2 and keys[1] == "id":
        declares = (
            ("sections", "briefings", "judgments") if config else ("actors", "sources", "facts")
        )
        return (keys[0], True) if keys[0] in declares else None
    if config:
        if keys in (("briefings", "sections"),):
            return "sections", False
        if keys == ("briefings", "include", "actors"):
            return "actors", False
        if keys == ("briefings", "judgments"):  # FORMAT 1.2: a shared judgment, by its id
            return "judgments", False
        if keys[-1:] == ("based_on",):
            return "facts", False
        return None
    if keys in (("section",), ("facts", "section")):
        return "sections", False
    if keys == ("facts", "sources", "source"):
        return "sources", False
    if keys == ("facts", "actors"):
        return "actors", False
    actor_keys = {(kind.name, key) for kind in mapped_kinds() for key in kind.actor_keys}
    if len(keys) == 3 and keys[0] == "facts" and keys[1:] in actor_keys:
        return "actors", False
    return None
