"""Go to definition, find references and rename: every place an id is written, found
through the parsed files' positions, so an edit changes those characters and no other."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..kinds import written_actors
from ..load import Placed, Project
from ..model import ID_MAX, ID_PATTERN
from ..yamlfile import YamlFile

Keys = tuple[str | int, ...]


@dataclass(frozen=True)
class Place:
    """An id written in a file: its path, line (from 0) and columns (characters)."""

    path: str
    line: int
    start: int
    end: int
    declares: bool


class Refused(Exception):
    """A rename that would break the project, with the reason."""


def places(project: Project, kind: str, item_id: str) -> list[Place]:
    """Every place `item_id` of `kind` is declared or referred to, declarations first."""
    found: list[Place] = []
    for raw in project.declared.get(kind, {}).get(item_id, []):
        found += _place(raw.file, (*raw.path, "id"), item_id, declares=True)
    for file, keys in _references(project, kind, item_id):
        found += _place(file, keys, item_id, declares=False)
    return list(dict.fromkeys(found))


def _references(project: Project, kind: str, item_id: str) -> Iterable[tuple[YamlFile, Keys]]:
    facts = project.raw.get("facts", [])
    briefings = project.raw.get("briefings", [])
    if kind == "sources":
        for raw in facts:
            for index, citation in _entries(raw.item.get("sources")):
                if isinstance(citation, dict) and citation.get("source") == item_id:
                    yield raw.file, (*raw.path, "sources", index, "source")
    elif kind == "actors":
        for raw in facts:
            yield from _listed(raw, ("actors",), item_id)
            for actor, where in written_actors(raw.item):
                if actor == item_id:
                    yield raw.file, (*raw.path, *where)
        for raw in briefings:
            yield from _listed(raw, ("include", "actors"), item_id)
    elif kind == "sections":
        for file in project.files:
            if isinstance(file.data, dict) and file.data.get("section") == item_id:
                yield file, ("section",)
        for raw in facts:
            if raw.item.get("section") == item_id:
                yield raw.file, (*raw.path, "section")
        for raw in briefings:
            yield from _listed(raw, ("sections",), item_id)
    elif kind == "judgments":  # FORMAT 1.2: briefings name shared judgments by id
        for raw in briefings:
            yield from _listed(raw, ("judgments",), item_id)
    elif kind == "facts":
        config = project.config_file.data
        # FORMAT 1.2 lets briefgen.yaml hold judgments that briefings share.
        shared = [Placed(config, project.config_file, ())] if isinstance(config, dict) else []
        for raw in [*briefings, *shared]:
            for index, judgment in _entries(raw.item.get("judgments")):
                if isinstance(judgment, dict):
                    inner = Placed(judgment, raw.file, (*raw.path, "judgments", index))
                    yield from _listed(inner, ("based_on",), item_id)


def _entries(value: Any) -> list[tuple[int, Any]]:
    return list(enumerate(value)) if isinstance(value, list) else []


def _listed(
    raw: Placed[dict[str, Any]], keys: tuple[str, ...], item_id: str
) -> Iterable[tuple[YamlFile, Keys]]:
    value: Any = raw.item
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    for index, entry in _entries(value):
        if entry == item_id:
            yield raw.file, (*raw.path, *keys, index)


def _place(file: YamlFile, keys: Keys, item_id: str, *, declares: bool) -> list[Place]:
    """The id's characters at `keys`, when the text there spells it (inside quotes
    too); an id written with escapes is left alone rather than guessed at."""
    at = file.positions.values.get(keys)
    if at is None:
        return []
    line, column = at[0] - 1, at[1] - 1
    lines = file.raw.decode("utf-8", errors="replace").split("\n")
    if line >= len(lines):
        return []
    text = lines[line]
    start = column + 1 if text[column : column + 1] in ("'", '"') else column
    if text[start : start + len(item_id)] != item_id:
        return []
    return [Place(file.path, line, start, start + len(item_id), declares)]


def check_new_id(project: Project, kind: str, old: str, new: str) -> None:
    """Raise Refused when `old` of `kind` cannot become `new`."""
    if new == old:
        raise Refused(f"'{new}' is already its id")
    if len(new) > ID_MAX or not ID_PATTERN.fullmatch(new):
        raise Refused(
            f"'{new}' is not a valid id: use at most {ID_MAX} letters, digits, '.', '_' "
            "and '-', starting with a letter or digit"
        )
    taken = project.declared.get(kind, {}).get(new)
    if taken:
        where = taken[0]
        line, _ = where.file.positions.of((*where.path, "id"))
        raise Refused(f"'{new}' is taken: declared at {where.file.path}:{line}")
    if kind == "judgments":
        _check_in_place(project, new)


def _check_in_place(project: Project, new: str) -> None:
    """Editions follow a briefing's judgments by id, so a shared judgment may not take
    the id of one written in place."""
    for raw in project.raw.get("briefings", []):
        for index, judgment in _entries(raw.item.get("judgments")):
            if isinstance(judgment, dict) and judgment.get("id") == new:
                line, _ = raw.file.positions.of((*raw.path, "judgments", index, "id"))
                raise Refused(
                    f"'{new}' is taken: judgment {index + 1} of briefing "
                    f"'{raw.item.get('id')}' has it, at {raw.file.path}:{line}"
                )
