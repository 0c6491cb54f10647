"""Strict YAML: bytes -> plain data with the position of every key and value.

FORMAT.md asks for less than YAML allows: one UTF-8 document of at most 5 MiB,
no anchors, aliases, merge keys, tags or duplicate keys, and only `true` and
`false` as booleans. Everything else stays a string, so `NO` is Norway and
`007` keeps its zeros; the model decides what is a number or a date.

Aliases are never expanded (the composer refuses them before it would), so
an alias bomb costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import yaml
from yaml.composer import Composer
from yaml.error import Mark
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .errors import Problem

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32

Path_ = tuple[str | int, ...]
NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass
class Positions:
    """Line and column (from 1) of every value and every mapping key in a file."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest written ancestor."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


@dataclass
class YamlFile:
    """One loaded file: its data, where each part was written, and what was wrong."""

    path: str
    data: Any = None
    positions: Positions = field(default_factory=Positions)
    problems: list[Problem] = field(default_factory=list)


class _Stop(Exception):
    """Raised inside the composer when the rest of the file cannot be trusted."""


class _StrictLoader(Reader, Scanner, Parser, Composer, BaseResolver):
    """PyYAML's pipeline with no implicit typing and a composer that refuses
    aliases, anchors, tags and runaway nesting as it meets them."""

    def __init__(self, text: str, report: Any) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        BaseResolver.__init__(self)
        self._report = report
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self.get_event()
            self._report(
                event.start_mark,
                f"alias '*{event.anchor}' is not allowed",
                "write the value out in full; briefgen YAML has no anchors or aliases",
                "yaml-alias",
            )
            # Kept in place (with its marks) so the rest of the file is still walked.
            start, end = cast(Mark, event.start_mark), cast(Mark, event.end_mark)
            return ScalarNode("tag:yaml.org,2002:null", "", start, end)
        if isinstance(event, NodeEvent):
            if event.anchor is not None:
                self._report(
                    event.start_mark,
                    f"anchor '&{event.anchor}' is not allowed",
                    "write the value out in full; briefgen YAML has no anchors or aliases",
                    "yaml-anchor",
                )
                event.anchor = None
            tag: str | None = getattr(event, "tag", None)
            if tag is not None:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                self._report(
                    event.start_mark,
                    f"tag '{shown}' is not allowed",
                    "remove the tag; quote the value if it should be text",
                    "yaml-tag",
                )
                event.tag = None  # type: ignore[attr-defined]
        if isinstance(event, CollectionStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                self._report(
                    event.start_mark,
                    f"nesting deeper than {MAX_DEPTH} levels",
                    "no briefgen field nests this deep",
                    "yaml-depth",
                )
                raise _Stop
        node = super().compose_node(parent, index)
        if isinstance(event, CollectionStartEvent):
            self._depth -= 1
        return node


def load_yaml(raw: bytes, path: str) -> YamlFile:
    """Parse `raw` (the bytes of the file at project-relative `path`) strictly."""
    result = YamlFile(path)

    def report(mark: Any, message: str, hint: str | None = None, code: str = "yaml") -> None:
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
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
    if text is None:
        return result

    try:
        loader = _StrictLoader(text, report)
    except yaml.reader.ReaderError as exc:
        _report_reader_error(exc, text, result)
        return result
    try:
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            return result
        node = loader.compose_document()
        if not loader.check_event(StreamEndEvent):
            extra = loader.peek_event()
            report(
                extra.start_mark,
                "a second YAML document; a file holds exactly one",
                "remove the '---' line or move the rest to its own file",
                "yaml-documents",
            )
    except _Stop:
        return result
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        report(mark, f"invalid YAML: {message}", None, "yaml-syntax")
        return result
    except yaml.reader.ReaderError as exc:
        _report_reader_error(exc, text, result)
        return result
    finally:
        loader.dispose()

    # Walked even after a refused alias or tag, so duplicate and merge keys are
    # reported in the same run; but such data is meaningless, so it is dropped.
    refused = bool(result.problems)
    data = _to_data(node, (), result.positions, report)
    result.data = None if refused else data
    return result


def _report_reader_error(exc: yaml.reader.ReaderError, text: str, result: YamlFile) -> None:
    position = exc.position
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    result.problems.append(
        Problem(
            result.path,
            line,
            column,
            f"character U+{exc.character:04X} is not allowed in YAML",
            "remove it or write it as an escape inside double quotes",
            code="yaml-character",
        )
    )


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


def _to_data(node: Node | None, path: Path_, positions: Positions, report: Any) -> Any:
    if node is None:
        return None
    positions.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        return [_to_data(item, (*path, i), positions, report) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                report(key_node.start_mark, "a key must be plain text", None, "yaml-key")
                continue
            key = key_node.value
            if key == "<<" and key_node.style is None:
                report(
                    key_node.start_mark,
                    "merge key '<<' is not allowed",
                    "write the keys out in full",
                    "yaml-merge",
                )
                continue
            if key in data:
                first = positions.keys[(*path, key)]
                report(
                    key_node.start_mark,
                    f"duplicate key '{key}' (first at line {first[0]})",
                    "keep one of them",
                    "yaml-duplicate-key",
                )
                continue
            positions.keys[(*path, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            data[key] = _to_data(value_node, (*path, key), positions, report)
        return data
    return None


def _scalar(node: ScalarNode) -> str | bool | None:
    """YAML 1.2 reading, narrowed: plain true/false are booleans, plain null
    forms are null, and everything else is text for the model to interpret."""
    if node.style is None:
        if node.value in NULLS:
            return None
        if node.value == "true":
            return True
        if node.value == "false":
            return False
    return str(node.value)
