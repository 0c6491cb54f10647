"""Where in a JSON text: the line and column of a value named by its path, and of
what `json` refuses or silently accepts. Records (records.py) are parsed by `json`
as usual; only when something is wrong is the text walked again here, so a good
record costs nothing more to read."""

from __future__ import annotations

import json
import re
from typing import Any

# Where a value is: the keys and list indexes leading to it, as ("facts", 0, "date");
# () is the text's top value.
At = tuple[str | int, ...]


class DuplicateKey(Exception):
    """An object of the text holds a key twice."""


def strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict (`json.loads`'s object_pairs_hook), refusing a key
    given twice: json would keep the last silently, and a reader of the file may
    see the first. Sheets refuse it too."""
    data = dict(pairs)
    if len(data) != len(pairs):
        raise DuplicateKey
    return data


# A JSON string, or the punctuation that says where objects, lists and keys are:
# what duplicate_key and too_deep walk, rather than the nesting.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:]')


def duplicate_key(text: str) -> tuple[int, str, int]:
    """Where the first key given twice in one object of `text` (valid JSON, with such
    a key) is, the key, and where its first occurrence is. A walk over the tokens,
    not the nesting, so no depth is too deep for it."""
    objects: list[dict[str, int] | None] = []  # a key's index per open object; None: a list
    string = (0, "")
    for token in _TOKEN.finditer(text):
        mark = token.group()
        if mark in ("{", "["):
            objects.append({} if mark == "{" else None)
        elif mark in ("]", "}"):
            objects.pop()
        elif mark == ":":  # the string before it was a key
            keys = objects[-1]
            assert keys is not None  # a colon is only ever in an object
            index, key = string
            if key in keys:
                return index, key, keys[key]
            keys[key] = index
        else:
            string = (token.start(), json.loads(mark))
    raise AssertionError("no key is given twice")


_BLANK = re.compile(r"[ \t\n\r]*")  # what JSON counts as white space
_DECODER = json.JSONDecoder()


def locate(text: str, at: At) -> tuple[int, int]:
    """The line and column of the value at `at` in a record's text (which parses as
    JSON); when a key or index is not there, of the object or list that lacks it."""
    index = _blank(text, 0)
    for step in at:
        found = _member(text, index, step)
        if found is None:
            break
        index = found
    return position(text, index)


def _member(text: str, index: int, step: str | int) -> int | None:
    """Where the value of key or index `step` of the object or list at `index` starts."""
    if text[index] != ("{" if isinstance(step, str) else "["):
        return None
    found, count = None, 0
    index = _blank(text, index + 1)
    if text[index] in "}]":
        return None
    while True:
        if isinstance(step, str):
            key, index = _DECODER.raw_decode(text, index)
            index = _blank(text, _blank(text, index) + 1)  # past the colon
            if key == step:
                found = index  # and go on: json keeps the last of two equal keys
        elif count == step:
            return index
        index = _blank(text, _DECODER.raw_decode(text, index)[1])  # past the value
        count += 1
        if text[index] != ",":
            return found
        index = _blank(text, index + 1)


def _blank(text: str, index: int) -> int:
    match = _BLANK.match(text, index)
    assert match is not None  # it matches the empty string
    return match.end()


def position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1, in characters) of `text[index]`."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


# A record nests 6 deep at most (a correction's replaced outputs); past _DEEP is reported.
_DEEP = 64


def too_deep(text: str) -> tuple[int, int]:
    """Where a record too deeply nested for `json` first nests deeper than _DEEP."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > _DEEP:
                return position(text, match.start())
        elif token in ("]", "}"):
            depth -= 1
    return 1, 1
