"""Messages: pydantic's validation errors, said in the analyst's terms.

Each error becomes one Problem at the exact place in the file (the key for an
unknown key, the value otherwise), with a message that names the field as the
analyst wrote it and, where it helps, a hint: the keys an item takes, the
closest valid choice, the shape a value should have.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .kinds import mapped_kinds
from .model import (
    Actor,
    Briefing,
    Citation,
    Config,
    DateRange,
    Fact,
    FactSheet,
    Include,
    Judgment,
    QuantityRange,
    Section,
    Settings,
    SharedJudgment,
    Source,
    Withdrawn,
)
from .wording import did_you_mean, join_words
from .yamlfile import YamlFile

# The model a mapping is validated against, by the key it sits under.
_MODELS: dict[str, type[BaseModel]] = {
    "actors": Actor,
    "sources": Source,
    "facts": Fact,
    "sections": Section,
    "briefings": Briefing,
    **{kind.name: kind.model for kind in mapped_kinds() if kind.model is not None},
    "include": Include,
    "judgments": Judgment,
    "quantity": QuantityRange,
    "date": DateRange,
    "withdrawn": Withdrawn,
}


def validate_item(
    model: type[BaseModel], data: Any, file: YamlFile, prefix: tuple[str | int, ...]
) -> tuple[BaseModel | None, list[Problem]]:
    """The item at `prefix` in `file` validated as `model`, or None and every problem
    pydantic found in it, each located and worded for the analyst."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = {
            _translate(detail, _data_path(data, detail["loc"]), model, file, prefix)
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
    root_model: type[BaseModel],
    file: YamlFile,
    prefix: tuple[str | int, ...],
) -> Problem:
    error_type = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    name = next((p for p in reversed(loc) if isinstance(p, str)), "value")
    full = (*prefix, *loc)
    hint: str | None = None
    at_key = False

    if error_type == "missing":
        owner = _model_at(root_model, loc[:-1])
        where = full[:-1]
        message = f"missing required key '{name}'"
        required = [
            k for k in _keys_of(owner) if owner.model_fields[_field_name(owner, k)].is_required()
        ]
        hint = f"{label(owner)} needs {join_words(required)}"
        line, column = file.positions.of(where)
        return Problem(file.path, line, column, message, hint, code="missing")
    if error_type == "extra_forbidden":
        owner = _model_at(root_model, loc[:-1])
        choices = _keys_of(owner)
        message = f"unknown key '{name}' in {label(owner)}"
        hint = did_you_mean(name, choices) or f"the keys are {join_words(choices)}"
        at_key = True
        code = "unknown-key"
    elif error_type == "literal_error":
        choices = re.findall(r"'((?:[^'\\]|\\.)*)'", str(ctx.get("expected", "")))
        message = f"{describe(value)} is not a valid {_entry(name, loc)}"
        close = did_you_mean(str(value), choices) if isinstance(value, str) else None
        hint = close or f"expected one of {join_words(choices)}"
        code = "enum"
    elif error_type in ("value_error", "assertion_error"):
        error = ctx.get("error")
        message = _VALUE_PREFIX.sub("", str(error or detail["msg"]))
        hint = getattr(error, "hint", None)
        # A check that cannot know the field's name says "must ..."; name it here.
        if message.startswith("must be"):
            message = f"{_subject(name, loc)} {message}, found {describe(value)}"
        elif message.startswith("must "):
            message = f"{_subject(name, loc)} {message}"
        code = "value"
    elif error_type == "string_type":
        message = f"{_subject(name, loc)} must be text, found {describe(value)}"
        if value is None:
            message = f"{_subject(name, loc)} must not be empty"
        hint = (
            "put quotes around it if it should be read as text" if isinstance(value, bool) else None
        )
        code = "type"
    elif error_type == "bool_type":
        message = f"'{name}' must be true or false, found {describe(value)}"
        hint = "only true and false, unquoted, are booleans; yes, no, on and off are text"
        code = "type"
    elif error_type == "list_type":
        message = f"'{name}' must be a list, found {describe(value)}"
        hint = "write [a, b] or one '- item' per line"
        code = "type"
    elif error_type in ("model_type", "dict_type", "model_attributes_type"):
        message = f"'{name}' must be a mapping of keys to values, found {describe(value)}"
        code = "type"
    elif error_type in ("int_parsing", "float_parsing", "int_type", "float_type", "int_from_float"):
        whole = error_type.startswith("int")
        message = f"'{name}' must be a {'whole ' if whole else ''}number, found {describe(value)}"
        code = "type"
    elif error_type in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _BOUNDS.get(name, (None, None))
        if low is not None and high is not None:
            message = f"'{name}' must be from {low} to {high}, found {_plain(value)}"
        elif error_type == "greater_than_equal" and ctx.get("ge") == 0:
            message = f"'{name}' must not be negative, found {_plain(value)}"
        else:
            message = f"'{name}' is out of range: {detail['msg'].lower()}"
        code = "range"
    elif error_type == "too_short":
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
    "based_on": (
        "a judgment needs at least one fact in 'based_on'",
        "list the ids of the facts the judgment rests on, e.g. based_on: [fact-id]",
    ),
    "judgments": (
        "'judgments' needs at least one judgment",
        "leave it out to list the facts marked key: true",
    ),
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


def label(model: type[BaseModel]) -> str:
    names: dict[type[BaseModel], str] = {
        Config: "briefgen.yaml",
        FactSheet: "a fact sheet",
        Fact: "a fact",
        Source: "a source",
        Actor: "an actor",
        Citation: "a citation",
        **{kind.model: kind.label for kind in mapped_kinds() if kind.model is not None},
        Section: "a section",
        Briefing: "a briefing",
        Include: "a briefing's include",
        Judgment: "a judgment",
        SharedJudgment: "a shared judgment",
        Withdrawn: "a withdrawal",
        Settings: "briefgen.yaml",
        QuantityRange: "a quantity",
        DateRange: "a date range",
    }
    return names.get(model, model.__name__.lower())


def describe(value: Any) -> str:
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
