"""Loading: a project folder -> validated models, each remembering where it was written.

Every file is read and every item validated on its own, so one broken fact
never hides the problems of another, and the ids of broken items still count
as declared (a reference to a fact with a typo in its title is not also
reported as a reference to nothing).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import gc
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .model import (
    Actor,
    Agreement,
    Briefing,
    Citation,
    Config,
    DateRange,
    Fact,
    FactSheet,
    Flow,
    Include,
    QuantityRange,
    Risk,
    Section,
    Source,
)
from .yamlfile import MAX_BYTES, YamlFile, load_yaml

CONFIG_NAME = "briefgen.yaml"
FACTS_DIR = "facts"
SHEET_SUFFIXES = (".yaml", ".yml")
MAX_FILES = 10_000

T = TypeVar("T")


@dataclass(frozen=True)
class Placed(Generic[T]):
    """A validated item and where it was written, so later stages can point at it."""

    item: T
    file: YamlFile
    path: tuple[str | int, ...]

    def problem(
        self,
        *keys: str | int,
        message: str,
        hint: str | None = None,
        code: str = "invalid",
        at_key: bool = False,
    ) -> Problem:
        line, column = self.file.positions.of((*self.path, *keys), key=at_key)
        return Problem(self.file.path, line, column, message, hint, code=code)


@dataclass
class Project:
    """Everything in a project folder that validated, indexed by id."""

    root: Path
    config_file: YamlFile
    files: list[YamlFile] = field(default_factory=list)
    sections: dict[str, Placed[Section]] = field(default_factory=dict)
    briefings: dict[str, Placed[Briefing]] = field(default_factory=dict)
    actors: dict[str, Placed[Actor]] = field(default_factory=dict)
    sources: dict[str, Placed[Source]] = field(default_factory=dict)
    facts: dict[str, Placed[Fact]] = field(default_factory=dict)
    # Every item as written, valid or not, by kind: references are checked on these,
    # so a fact with a bad date still has its sources checked.
    raw: dict[str, list[Placed[dict[str, Any]]]] = field(default_factory=dict)
    # The ids each kind declares, valid or not, each with every place it was written.
    declared: dict[str, dict[str, list[Placed[dict[str, Any]]]]] = field(default_factory=dict)
    # A fact's section: its own, or its sheet's default.
    fact_section: dict[str, str | None] = field(default_factory=dict)
    sheet_section: dict[str, Placed[FactSheet]] = field(default_factory=dict)

    def section_order(self) -> list[str]:
        return list(self.sections)

    @functools.cached_property
    def unreadable_sheet(self) -> bool:
        """Some fact sheet did not parse into a mapping, so ids it declares may be
        missing. Asked once per reference, so worked out once: loading is over by then."""
        return any(f.problems or not isinstance(f.data, dict | None) for f in self.files)


def load_project(root: Path) -> tuple[Project, list[Problem]]:
    """Read and validate every file of the project at `root`."""
    with collector_paused():
        return _load_project(root)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector. Loading makes hundreds of thousands of objects
    that all stay alive and form no cycles; the collector would walk them again and
    again for nothing (a third of the time of loading 10,000 facts)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_project(root: Path) -> tuple[Project, list[Problem]]:
    problems: list[Problem] = []
    config_file = _read_inside(root, root / CONFIG_NAME, problems)
    project = Project(root=root, config_file=config_file)
    if config_file.data is not None or not config_file.problems:
        _load_config(project, config_file, problems)

    facts_dir = root / FACTS_DIR
    for path in _fact_files(root, facts_dir, problems):
        sheet = _read(root, path, problems)
        project.files.append(sheet)
        if not sheet.problems:
            _load_sheet(project, sheet, problems)
    return project, problems


def _fact_files(root: Path, facts_dir: Path, problems: list[Problem]) -> list[Path]:
    if not facts_dir.is_dir():
        return []
    if not facts_dir.resolve().is_relative_to(root.resolve()):
        problems.append(_outside(_rel(root, facts_dir), "a folder"))
        return []
    found: list[Path] = []
    for path in sorted(_walk(root, facts_dir, problems)):
        if path.suffix not in SHEET_SUFFIXES:
            continue
        try:
            real = path.resolve()
            if not real.is_relative_to(root.resolve()):
                # A link out of the project would let a fact sheet read any file.
                problems.append(_outside(_rel(root, path), "a file"))
                continue
            if not real.is_file():
                continue
        except OSError as exc:  # a path longer than the system allows, a link loop
            problems.append(Problem(_rel(root, path), 1, 1, f"cannot read: {exc.strerror}"))
            continue
        found.append(path)
        if len(found) > MAX_FILES:
            problems.append(
                Problem(
                    _rel(root, facts_dir),
                    1,
                    1,
                    f"more than {MAX_FILES:,} fact sheets",
                    "merge small sheets; briefgen reads at most this many",
                    code="too-many-files",
                )
            )
            return found[:MAX_FILES]
    return found


def _walk(root: Path, folder: Path, problems: list[Problem]) -> Iterator[Path]:
    pending = [folder]
    while pending:  # a loop, not recursion: a hostile tree may be thousands deep
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:  # no permission, or a path longer than the system allows
            message = f"cannot read folder: {exc.strerror}"
            problems.append(Problem(_rel(root, current), 1, 1, message, code="io"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # editor swap files and .git folders are not fact sheets
            # The listing's own file type: no stat, so no error for a path too long.
            if entry.is_dir(follow_symlinks=False):
                pending.append(current / entry.name)
            else:
                yield current / entry.name


def _outside(rel: str, what: str) -> Problem:
    return Problem(
        rel,
        1,
        1,
        f"links to {what} outside the project",
        "copy it into the project instead of linking to it",
        code="outside",
    )


def _read_inside(root: Path, path: Path, problems: list[Problem]) -> YamlFile:
    """`_read`, unless `path` is a link out of the project: briefgen reads nothing there."""
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        file = YamlFile(_rel(root, path))
        file.problems.append(_outside(file.path, "a file"))
        problems.extend(file.problems)
        return file
    return _read(root, path, problems)


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _read(root: Path, path: Path, problems: list[Problem]) -> YamlFile:
    rel = _rel(root, path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # enough to know it is too large
    except FileNotFoundError:
        file = YamlFile(rel)
        hint = "run briefgen in a project folder, or pass --project DIR"
        message = f"file not found in {root}"
        file.problems.append(Problem(rel, 1, 1, message, hint, code="missing-file"))
        problems.extend(file.problems)
        return file
    except OSError as exc:
        file = YamlFile(rel)
        file.problems.append(Problem(rel, 1, 1, f"cannot read: {exc.strerror}", code="io"))
        problems.extend(file.problems)
        return file
    file = load_yaml(raw, rel)
    problems.extend(file.problems)
    return file


# -- validation, item by item ------------------------------------------------------------


def _load_config(project: Project, file: YamlFile, problems: list[Problem]) -> None:
    data = file.data if file.data is not None else {}
    if not _is_mapping(data, file, (), CONFIG_NAME, problems):
        return
    for key in data:
        if key not in ("sections", "briefings"):
            hint = _did_you_mean(str(key), ["sections", "briefings"])
            problems.append(
                _at(
                    file,
                    (key,),
                    f"unknown key '{key}' in briefgen.yaml",
                    hint or "the keys are sections and briefings",
                    "unknown-key",
                    key=True,
                )
            )
    for name, model, table in (
        ("sections", Section, project.sections),
        ("briefings", Briefing, project.briefings),
    ):
        items = data.get(name)
        if items is None:
            problems.append(
                _at(file, (), f"missing required key '{name}'", _MISSING_HINT.get(name), "missing")
            )
            continue
        if not _is_list(items, file, (name,), problems):
            continue
        if not items:
            problems.append(_at(file, (name,), f"'{name}' needs at least one entry", None, "empty"))
        for index, item in enumerate(items):
            _load_item(project, name, model, table, item, file, (name, index), problems)


def _load_sheet(project: Project, file: YamlFile, problems: list[Problem]) -> None:
    data = file.data if file.data is not None else {}
    if not _is_mapping(data, file, (), "a fact sheet", problems):
        return
    lists = ("actors", "sources", "facts")
    top = {k: v for k, v in data.items() if k not in lists}
    _, top_problems = _validate(FactSheet, top, file, ())
    problems += top_problems
    default_section = data.get("section") if not top_problems else None
    for name, model, table in (
        ("actors", Actor, project.actors),
        ("sources", Source, project.sources),
        ("facts", Fact, project.facts),
    ):
        items = data.get(name)
        if items is None or not _is_list(items, file, (name,), problems):
            continue
        for index, item in enumerate(items):
            _load_item(project, name, model, table, item, file, (name, index), problems)
            if name == "facts" and isinstance(item, dict) and isinstance(item.get("id"), str):
                section = item.get("section", default_section)
                project.fact_section.setdefault(item["id"], section)
    if default_section is not None:
        project.sheet_section[file.path] = Placed(FactSheet(section=default_section), file, ())


def _load_item(
    project: Project,
    kind: str,
    model: type[BaseModel],
    table: dict[str, Any],  # one of the Project's tables, matching `model`
    data: Any,
    file: YamlFile,
    path: tuple[str | int, ...],
    problems: list[Problem],
) -> None:
    if not _is_mapping(data, file, path, _label(model), problems):
        return
    raw = Placed(data, file, path)
    project.raw.setdefault(kind, []).append(raw)
    item_id = data.get("id")
    if isinstance(item_id, str):
        project.declared.setdefault(kind, {}).setdefault(item_id, []).append(raw)
    item, found = _validate(model, data, file, path)
    problems += found
    if item is not None:
        # The first of several items with one id wins; checks.py reports the rest.
        table.setdefault(getattr(item, "id"), Placed(item, file, path))  # noqa: B009


def _is_mapping(
    data: Any, file: YamlFile, path: tuple[str | int, ...], what: str, problems: list[Problem]
) -> bool:
    if isinstance(data, dict):
        return True
    problems.append(
        _at(
            file,
            path,
            f"{what} must be keys and values, found {_describe(data)}",
            "write one 'key: value' per line",
            "type",
        )
    )
    return False


def _is_list(
    data: Any, file: YamlFile, path: tuple[str | int, ...], problems: list[Problem]
) -> bool:
    if isinstance(data, list):
        return True
    problems.append(
        _at(
            file,
            path,
            f"'{path[-1]}' must be a list, found {_describe(data)}",
            "start each entry with '- '",
            "type",
        )
    )
    return False


def _at(
    file: YamlFile,
    path: tuple[str | int, ...],
    message: str,
    hint: str | None,
    code: str,
    *,
    key: bool = False,
) -> Problem:
    line, column = file.positions.of(path, key=key)
    return Problem(file.path, line, column, message, hint, code=code)


# -- pydantic's errors, said in the user's terms -----------------------------------------

_MISSING_HINT = {
    "sections": "list the sections facts may belong to, each with an id and a title",
    "briefings": "add at least one briefing with an id, a title and an edition date",
}
# The model a mapping is validated against, by the key it sits under.
_MODELS: dict[str, type[BaseModel]] = {
    "actors": Actor,
    "sources": Source,
    "facts": Fact,
    "sections": Section,
    "briefings": Briefing,
    "flow": Flow,
    "agreement": Agreement,
    "risk": Risk,
    "include": Include,
    "quantity": QuantityRange,
    "date": DateRange,
}


def _validate(
    model: type[BaseModel], data: Any, file: YamlFile, prefix: tuple[str | int, ...]
) -> tuple[BaseModel | None, list[Problem]]:
    """The validated item, or None and every problem pydantic found in it."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = {
            _translate(detail, _data_path(data, detail["loc"]), file, prefix)
            for detail in error.errors(include_url=False)
        }
        return None, sorted(problems)


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """pydantic's location with union tags dropped: only the keys the user wrote.

    A part that is not in the data is a union tag unless it is the last part,
    which names a missing or unknown key.
    """
    path: list[str | int] = []
    for index, part in enumerate(loc):
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        ):
            data = data[part]
            path.append(part)
        elif index == len(loc) - 1 and isinstance(data, dict) and isinstance(part, str):
            path.append(part)
        elif not isinstance(data, dict | list):
            break
    return tuple(path)


def _model_at(data_root_model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel]:
    """The model that validates the mapping at `loc`, for listing its keys."""
    model = data_root_model
    for part in loc:
        if isinstance(part, str) and part in _MODELS:
            # 'sources' inside a fact are citations, not source declarations
            model = Citation if (part == "sources" and model is Fact) else _MODELS[part]
    return model


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _translate(
    detail: Any,
    loc: tuple[str | int, ...],
    file: YamlFile,
    prefix: tuple[str | int, ...],
) -> Problem:
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    name = next((p for p in reversed(loc) if isinstance(p, str)), "value")
    root_model = (
        _MODELS.get(str(prefix[0]), FactSheet)
        if prefix
        else (Config if file.path.endswith(CONFIG_NAME) and "/" not in file.path else FactSheet)
    )
    full = (*prefix, *loc)
    hint: str | None = None
    at_key = False

    if kind == "missing":
        owner = _model_at(root_model, loc[:-1])
        where = full[:-1]
        message = f"missing required key '{name}'"
        required = [
            k for k in _keys_of(owner) if owner.model_fields[_field_name(owner, k)].is_required()
        ]
        hint = f"{_label(owner)} needs {_join(required)}"
        line, column = file.positions.of(where)
        return Problem(file.path, line, column, message, hint, code="missing")
    if kind == "extra_forbidden":
        owner = _model_at(root_model, loc[:-1])
        choices = _keys_of(owner)
        message = f"unknown key '{name}' in {_label(owner)}"
        hint = _did_you_mean(name, choices) or f"the keys are {_join(choices)}"
        at_key = True
        code = "unknown-key"
    elif kind == "literal_error":
        choices = re.findall(r"'((?:[^'\\]|\\.)*)'", str(ctx.get("expected", "")))
        message = f"{_describe(value)} is not a valid {_entry(name, loc)}"
        close = _did_you_mean(str(value), choices) if isinstance(value, str) else None
        hint = close or f"expected one of {_join(choices)}"
        code = "enum"
    elif kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        message = _VALUE_PREFIX.sub("", str(error or detail["msg"]))
        hint = getattr(error, "hint", None)
        # A check that cannot know the field's name says "must ..."; name it here.
        if message.startswith("must be"):
            message = f"{_subject(name, loc)} {message}, found {_describe(value)}"
        elif message.startswith("must "):
            message = f"{_subject(name, loc)} {message}"
        code = "value"
    elif kind == "string_type":
        message = f"{_subject(name, loc)} must be text, found {_describe(value)}"
        if value is None:
            message = f"{_subject(name, loc)} must not be empty"
        hint = (
            "put quotes around it if it should be read as text" if isinstance(value, bool) else None
        )
        code = "type"
    elif kind == "bool_type":
        message = f"'{name}' must be true or false, found {_describe(value)}"
        hint = "only true and false, unquoted, are booleans; yes, no, on and off are text"
        code = "type"
    elif kind == "list_type":
        message = f"'{name}' must be a list, found {_describe(value)}"
        hint = "write [a, b] or one '- item' per line"
        code = "type"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"'{name}' must be a mapping of keys to values, found {_describe(value)}"
        code = "type"
    elif kind in ("int_parsing", "float_parsing", "int_type", "float_type", "int_from_float"):
        whole = kind.startswith("int")
        message = f"'{name}' must be a {'whole ' if whole else ''}number, found {_describe(value)}"
        code = "type"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _BOUNDS.get(name, (None, None))
        if low is not None and high is not None:
            message = f"'{name}' must be from {low} to {high}, found {_plain(value)}"
        elif kind == "greater_than_equal" and ctx.get("ge") == 0:
            message = f"'{name}' must not be negative, found {_plain(value)}"
        else:
            message = f"'{name}' is out of range: {detail['msg'].lower()}"
        code = "range"
    elif kind == "too_short":
        message, hint = _TOO_SHORT.get(name, (f"'{name}' needs at least one entry", None))
        code = "empty"
    else:  # pragma: no cover - a pydantic error this table does not know yet
        message = f"'{name}': {detail['msg']}"
        code = "invalid"
    line, column = file.positions.of(full, key=at_key)
    return Problem(file.path, line, column, message, hint, code=code)


_VALUE_PREFIX = re.compile(r"^(Value error|Assertion failed), ")
_BOUNDS = {"credibility": (1, 6)}
# An empty list where one is optional is refused rather than read as "all" or "none".
_TOO_SHORT: dict[str, tuple[str, str | None]] = {
    "sources": ("a fact needs at least one source", None),
    "formats": ("'formats' needs at least one of html, pdf", "leave it out for both"),
    "sections": ("'sections' needs at least one section", "leave it out for every section"),
    "tags": ("'tags' needs at least one tag", "leave it out to include facts with any tags"),
    "actors": ("'actors' needs at least one actor", "leave it out to include facts about anyone"),
}


def _entry(name: str, loc: tuple[str | int, ...]) -> str:
    """'format' for an entry of 'formats': what one item of a list is called."""
    if loc and isinstance(loc[-1], int):
        return _ENTRY.get(name, name.removesuffix("s"))
    return name


def _subject(name: str, loc: tuple[str | int, ...]) -> str:
    """How a message names the value: "'title'", or "each entry of 'tags'"."""
    if loc and isinstance(loc[-1], int):
        return f"each entry of '{name}'"
    return f"'{name}'"


_ENTRY = {"parties": "party"}


def _field_name(model: type[BaseModel], key: str) -> str:
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return name
    return key


def _label(model: type[BaseModel]) -> str:
    names = {
        Config: "briefgen.yaml",
        FactSheet: "a fact sheet",
        Fact: "a fact",
        Source: "a source",
        Actor: "an actor",
        Citation: "a citation",
        Flow: "a flow",
        Agreement: "an agreement",
        Risk: "a risk",
        Section: "a section",
        Briefing: "a briefing",
        Include: "a briefing's include",
        QuantityRange: "a quantity",
        DateRange: "a date range",
    }
    return names.get(model, model.__name__.lower())


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _did_you_mean(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f"did you mean '{close[0]}'?" if close else None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = str(value)
    return f"'{text if len(text) <= 40 else text[:37] + '...'}'"


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def did_you_mean(word: str, choices: list[str]) -> str | None:
    """A 'did you mean' hint for a misspelt id or key, or None."""
    return _did_you_mean(word, choices)
