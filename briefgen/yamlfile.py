"""Strict YAML: bytes -> plain data with the position of every key and value.

FORMAT.md asks for less than YAML allows: one UTF-8 document of at most 5 MiB,
no anchors, aliases, merge keys, tags or duplicate keys, and only `true` and
`false` as booleans. Everything else stays a string, so `NO` is Norway and
`007` keeps its zeros; the model decides what is a number or a date.

The data is built straight from the parser's events, checking every rule as
each event arrives: an alias is never expanded (so an alias bomb costs
nothing), a tag never constructs anything, and nesting deeper than MAX_DEPTH
stops the file. libyaml parses when PyYAML has it, which keeps even a 5 MiB
file of a million one-letter list items to a few seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from .errors import Problem
from .yamlsyntax import syntax_problems

_FastParser: Any
try:  # libyaml, some 30 times faster than PyYAML's own parser; same events, same marks
    from yaml import _yaml

    _FastParser = _yaml.CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _FastParser = None

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32

# Where a node sits in a file: the keys and list indexes leading to it, ("facts", 0, "id").
KeyPath = tuple[str | int, ...]
NULLS = {"", "~", "null", "Null", "NULL"}
_DEPTH_HINT = "no briefgen field nests this deep"
# What YAML lets no file hold (PyYAML's reader and libyaml agree on this set).
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


class Positions:
    """Line and column (from 1) of every value and every mapping key in a file.

    For a file read by the fast reader they are worked out on first use, by
    composing the file again: most files are never asked where anything is,
    and recording every position up front is half the time of loading a
    10,000-fact project.
    """

    def __init__(self, text: str | None = None) -> None:
        self._values: dict[KeyPath, tuple[int, int]] = {}
        self._keys: dict[KeyPath, tuple[int, int]] = {}
        self._text = text  # set while the positions are still to be worked out

    @property
    def values(self) -> dict[KeyPath, tuple[int, int]]:
        if self._text is not None:
            self._fill()
        return self._values

    @property
    def keys(self) -> dict[KeyPath, tuple[int, int]]:
        if self._text is not None:
            self._fill()
        return self._keys

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Positions):
            return NotImplemented
        return self.values == other.values and self.keys == other.keys

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return f"Positions(values={self.values!r}, keys={self.keys!r})"

    def _fill(self) -> None:
        text, self._text = self._text, None
        assert text is not None
        # The fast reader found nothing to report in this text, so neither does this.
        _Composer(_parser(text), self, lambda *args: None).document()

    def of(self, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest written ancestor."""
        values = self.values
        table = self.keys if key else values
        while path:
            if path in table:
                return table[path]
            if path in values:
                return values[path]
            path = path[:-1]
        return values.get((), (1, 1))


@dataclass
class YamlFile:
    """One loaded file: its data, where each part was written, and what was wrong."""

    path: str
    data: Any = None
    positions: Positions = field(default_factory=Positions)
    problems: list[Problem] = field(default_factory=list)
    # The bytes as read, kept so a build attaches and hashes exactly what was
    # validated rather than reading the file a second time.
    raw: bytes = field(default=b"", repr=False)


class _Stop(Exception):
    """Raised inside the composer when the rest of the file cannot be trusted."""


class _PyParser(Reader, Scanner, Parser):
    """PyYAML's own event parser, for when libyaml is missing."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)


def _parser(text: str) -> Any:
    return _FastParser(text) if _FastParser is not None else _PyParser(text)


def load_yaml(raw: bytes, path: str) -> YamlFile:
    """Parse `raw` (the bytes of the file at project-relative `path`) strictly."""
    result = YamlFile(path, raw=raw)

    def report(mark: Any, message: str, hint: str | None = None, code: str = "yaml") -> None:
        line, column = _at(mark)
        result.problems.append(Problem(path, line, column, message, hint, code=code))

    if len(raw) > MAX_BYTES:
        result.problems.append(
            Problem(
                path,
                1,
                1,
                "file is larger than the limit of 5 MiB",
                "split it into several fact sheets",
                code="file-too-large",
            )
        )
        return result
    text = _decode(raw, result)
    if text is None or not _printable(text, result):
        return result

    if _FastParser is not None:
        data = _read_clean(text)
        if data is not _UNUSUAL:
            result.data, result.positions = data, Positions(text)
            return result
    composer = _Composer(_parser(text), result.positions, report)
    try:
        data = composer.document()
    except _Stop:
        return result
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.problem == "exceeded maximum nesting depth":  # libyaml's own bound, at 1000
            report(mark, f"nesting deeper than {MAX_DEPTH} levels", _DEPTH_HINT, "yaml-depth")
            return result
        # Said in the analyst's terms, with the errors further down the file too.
        result.problems += syntax_problems(text, path, exc, _parse_events)
        return result
    if composer.refused:  # a refused alias or tag makes the data meaningless
        return result
    result.data = data
    return result


class _Composer:
    """Parser events -> plain data and positions, refusing what FORMAT.md forbids
    as each event arrives."""

    def __init__(self, events: Any, positions: Positions, report: Any) -> None:
        self._events = events
        self._positions = positions
        self._report = report
        self._depth = 0
        self.refused = False  # an alias, anchor, tag or bad key: the data is not the file's

    def document(self) -> Any:
        events = self._events
        events.get_event()  # stream start
        if events.check_event(StreamEndEvent):
            return None
        events.get_event()  # document start
        data = self._value(())
        events.get_event()  # document end
        if not events.check_event(StreamEndEvent):
            self._refuse(
                events.peek_event().start_mark,
                "a second YAML document; a file holds exactly one",
                "remove the '---' line or move the rest to its own file",
                "yaml-documents",
            )
        return data

    def _value(self, path: KeyPath) -> Any:
        event = self._events.get_event()
        mark = event.start_mark
        if type(event) is ScalarEvent and event.anchor is None and event.tag is None:
            # The common case, first and short: a file is mostly plain values.
            self._positions.values[path] = _at(mark)
            return _scalar(event)
        if isinstance(event, AliasEvent):
            self._refuse(
                mark,
                f"alias '*{event.anchor}' is not allowed",
                "write the value out in full; briefgen YAML has no anchors or aliases",
                "yaml-alias",
            )
            return None
        self._check_properties(event)
        self._positions.values[path] = _at(mark)
        if isinstance(event, ScalarEvent):
            return _scalar(event)
        self._enter(mark)
        value = (
            self._sequence(path) if isinstance(event, SequenceStartEvent) else self._mapping(path)
        )
        self._depth -= 1
        return value

    def _sequence(self, path: KeyPath) -> list[Any]:
        items: list[Any] = []
        while not self._events.check_event(SequenceEndEvent):
            items.append(self._value((*path, len(items))))
        self._events.get_event()
        return items

    def _mapping(self, path: KeyPath) -> dict[str, Any]:
        data: dict[str, Any] = {}
        keys = self._positions.keys
        while not self._events.check_event(MappingEndEvent):
            key = self._key()
            if key is None:
                self._skip()
                continue
            mark = key.start_mark
            name = key.value
            if name == "<<" and not key.style:
                self._refuse(
                    mark,
                    "merge key '<<' is not allowed",
                    "write the keys out in full",
                    "yaml-merge",
                )
                self._skip()
                continue
            if name in data:
                first = keys[(*path, name)]
                self._refuse(
                    mark,
                    f"duplicate key '{name}' (first at line {first[0]})",
                    "keep one of them",
                    "yaml-duplicate-key",
                )
                self._skip()
                continue
            keys[(*path, name)] = _at(mark)
            data[name] = self._value((*path, name))
        self._events.get_event()
        return data

    def _key(self) -> ScalarEvent | None:
        """The next key, if it is one briefgen can use; reports it and returns None if not."""
        event = self._events.peek_event()
        if isinstance(event, ScalarEvent):
            self._events.get_event()
            self._check_properties(event)
            return event
        if isinstance(event, AliasEvent):
            self._value(())  # reports the alias
        else:
            self._refuse(event.start_mark, "a key must be plain text", None, "yaml-key")
            self._skip()
        return None

    def _skip(self) -> None:
        """Consume one node's events without building it: its file is already refused."""
        depth = 0
        while True:
            event = self._events.get_event()
            if isinstance(event, SequenceStartEvent | MappingStartEvent):
                depth += 1
            elif isinstance(event, SequenceEndEvent | MappingEndEvent):
                depth -= 1
            if depth == 0:
                return

    def _check_properties(self, event: NodeEvent) -> None:
        if event.anchor is not None:
            self._refuse(
                event.start_mark,
                f"anchor '&{event.anchor}' is not allowed",
                "write the value out in full; briefgen YAML has no anchors or aliases",
                "yaml-anchor",
            )
        tag: str | None = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self._refuse(
                event.start_mark,
                f"tag '{shown}' is not allowed",
                "remove the tag; quote the value if it should be text",
                "yaml-tag",
            )

    def _enter(self, mark: Any) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            self._report(mark, f"nesting deeper than {MAX_DEPTH} levels", _DEPTH_HINT, "yaml-depth")
            raise _Stop

    def _refuse(self, mark: Any, message: str, hint: str | None, code: str) -> None:
        self.refused = True
        self._report(mark, message, hint, code)


class _Unusual:
    """What `_read_clean` returns for a file it leaves to the composer."""


_UNUSUAL = _Unusual()


def _read_clean(text: str) -> Any:
    """The data of `text`, if it holds nothing the composer would report; else _UNUSUAL.

    The same events and the same conversions as `_Composer`, in one loop with an
    explicit stack and no call per node (a 10,000-fact project has 600,000
    nodes), and no positions. At the first anchor, tag, alias, merge or
    duplicate key, key that is not text, nesting too deep, second document or
    syntax error it gives up, and the composer reads the file again to report it.
    """
    parser = _FastParser(text)
    try:
        return _clean_events(parser.get_event)
    except yaml.YAMLError:
        return _UNUSUAL
    finally:
        parser.dispose()


def _clean_events(get_event: Any) -> Any:
    get_event()  # stream start
    if type(get_event()) is StreamEndEvent:
        return None
    # The open collections, outer first, each with the key it sits under in its
    # parent; the innermost is in the locals.
    stack: list[tuple[Any, Any]] = []
    container: Any = None  # the innermost open dict or list; None at the top
    key: Any = None  # in a dict: the key whose value comes next
    key_next = False  # in a dict: the next scalar is a key
    while True:
        event = get_event()
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                return _UNUSUAL
            value = event.value
            if key_next:  # a key is its text as written: `true:` is the key "true"
                if (value == "<<" and not event.style) or value in container:
                    return _UNUSUAL  # a merge key or a duplicate key
                key, key_next = value, False
                continue
            if not event.style:  # plain: libyaml says '', PyYAML None
                if value in NULLS:
                    value = None
                elif value == "true":
                    value = True
                elif value == "false":
                    value = False
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or key_next:
                return _UNUSUAL  # an anchor, a tag, or a mapping or list as a key
            if len(stack) >= MAX_DEPTH:
                return _UNUSUAL
            stack.append((container, key))
            container, key_next = ({}, True) if kind is MappingStartEvent else ([], False)
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = container
            container, key = stack.pop()
        else:
            return _UNUSUAL  # an alias
        # A finished value (a scalar, or a collection just closed) goes into its
        # parent, or is the whole document.
        if container is None:
            get_event()  # document end
            return value if type(get_event()) is StreamEndEvent else _UNUSUAL
        if type(container) is dict:
            container[key] = value
            key_next = True
        else:
            container.append(value)
            key_next = False


def _at(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _parse_events(text: str) -> None:
    """Parse `text` to its end, raising yaml.MarkedYAMLError at its first syntax error."""
    parser = _parser(text)
    try:
        while parser.get_event() is not None and not parser.check_event(StreamEndEvent):
            pass
    finally:
        if hasattr(parser, "dispose"):
            parser.dispose()


def _printable(text: str, result: YamlFile) -> bool:
    bad = _NOT_PRINTABLE.search(text)
    if bad is None:
        return True
    position = bad.start()
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    result.problems.append(
        Problem(
            result.path,
            line,
            column,
            f"character U+{ord(bad.group()):04X} is not allowed in YAML",
            "remove it or write it as an escape inside double quotes",
            code="yaml-character",
        )
    )
    return False


def _decode(raw: bytes, result: YamlFile) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        result.problems.append(
            Problem(
                result.path,
                line,
                column,
                f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot start a character here",
                "save the file as UTF-8",
                code="encoding",
            )
        )
        return None
    return text.removeprefix("\ufeff")


def _scalar(event: ScalarEvent) -> str | bool | None:
    """YAML 1.2 reading, narrowed: plain true/false are booleans, plain null
    forms are null, and everything else is text for the model to interpret."""
    if not event.style:  # plain: PyYAML says None, libyaml ''
        if event.value in NULLS:
            return None
        if event.value == "true":
            return True
        if event.value == "false":
            return False
    return str(event.value)
