"""JSON: the briefing as its reader sees it, for scripts, with its JSON Schema.

Both the document and its schema are read off the view's dataclasses
(assemble.py) by one walk over their type hints, so a field added to the view
appears in both, and a field of a type this module has no rule for fails the
schema's test instead of slipping through. The rules:

- Rich text (Markup: fact text, the summary, intros, terms) is an object
  `{"text": plain text, "html": the HTML the page shows}`, everywhere.
- Each source and each fact is written out in full once, in its own list
  (`sources`, a section's `facts`); anywhere else (a citation's source, a key
  judgment's fact) it is a reference: `{"number", "id", "anchor"}` for a source,
  `{"id", "anchor", "title"}` for a fact.
- Dates are ISO 8601 text; tuples are arrays; a field that is None is null.
- A few fields that only the page's legend needs are left out (`_OMIT`), and so
  are the analyst's reasons for acknowledging a warning (the desk keeps them).

Same view, same bytes: keys keep the dataclasses' order and nothing reads the clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..assemble import BriefingView, FactRef, FactView, JudgmentView, SectionView, SourceView
from ..kinds import mapped_kinds

if TYPE_CHECKING:
    from .base import RenderContext

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
MEDIA_TYPE = "application/json"

# Fields the page's legend needs and a script can work out itself, or that repeat
# another field (summary_text is summary.text), or that only tell the theme how to
# show a fact (its kind's details are written under the kind's own name instead).
_OMIT: dict[type, frozenset[str]] = {
    BriefingView: frozenset(
        {
            "summary_text",
            "reliabilities_used",
            "credibilities_used",
            "confidences_used",
            "likelihoods_used",
        }
    ),
    # A fact's acknowledged warnings hold the analyst's reasons: the desk's record
    # (editions.py), not what is shared.
    FactView: frozenset({"details", "partial", "lead", "acknowledged"}),
    JudgmentView: frozenset({"text_plain"}),  # text.text
}


def _kind_details(name: str) -> Callable[[FactView], object]:
    return lambda fact: fact.details if fact.kind == name else None


# Values a dataclass computes rather than stores, worth a field: (type hint, getter).
# A fact has one key per kind of fact (kinds.KINDS, read at each call so that every
# entry counts), holding what its kind shows, or null; so a new kind appears here by
# itself.
def _derived(hint: Any) -> dict[str, tuple[Any, Callable[[Any], Any]]]:
    if hint is not FactView:
        return {}
    return {
        "single_sourced": (bool, lambda fact: fact.single_sourced),
        **{
            kind.name: (_view_hint(kind.view) | None, _kind_details(kind.name))
            for kind in mapped_kinds()
            if kind.view is not None
        },
    }


@cache
def _view_hint(view: Callable[..., object]) -> Any:
    """What a kind's view function returns, by its annotation."""
    return typing.get_type_hints(view)["return"]


# Where each source and each fact is written out in full: (dataclass, field).
_HOMES = frozenset({(BriefingView, "sources"), (SectionView, "facts")})


@dataclasses.dataclass(frozen=True)
class _Reference:
    name: str  # its name in the schema's $defs
    fields: tuple[tuple[str, type], ...]


_REFERENCES: dict[type, _Reference] = {
    SourceView: _Reference("SourceRef", (("number", int), ("id", str), ("anchor", str))),
    FactView: _Reference("FactRef", (("id", str), ("anchor", str), ("title", str))),
}
# A fact reference is exactly a FactRef (assemble.py), so the two share one definition.
_SAME_AS: dict[type, str] = {FactRef: "FactRef"}


def render_json(context: RenderContext) -> bytes:
    """The `json` format's file (formats.FORMATS)."""
    return json_bytes(context.view)


def json_bytes(view: BriefingView) -> bytes:
    """The briefing as JSON: UTF-8, indented, keys in the view's order, one newline at the end."""
    document = _encode(view, BriefingView, home=True)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def output_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every `output/<id>.json` is valid against."""
    defs: dict[str, Any] = {}
    root = _schema(BriefingView, defs, home=True)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "briefgen briefing",
        "description": "A briefing as briefgen's json format writes it: output/<briefing-id>.json.",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """The output schema as `briefgen schema output` prints it."""
    return json.dumps(output_schema(), indent=2, ensure_ascii=False) + "\n"


# -- the walk: a value and its type hint -> JSON ------------------------------------------


def _encode(value: Any, hint: Any, home: bool = False) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Markup:
        return {"text": Markup(value).striptags(), "html": str(value)}
    if _is_union(hint):
        if value is None:
            return None
        return _encode(value, next(a for a in args if a is not type(None)), home)
    if hint in (str, int, float, bool) or origin is typing.Literal:
        return value
    if hint is dt.date:
        return value.isoformat()
    if origin in (list, tuple):
        items = args[:1] if origin is list or args[-1:] == (Ellipsis,) else args
        if len(items) == 1:
            return [_encode(item, items[0], home) for item in value]
        pairs = zip(value, items, strict=True)
        return [_encode(item, item_hint, home) for item, item_hint in pairs]
    if origin is dict and args[0] is str:
        return {key: _encode(item, args[1], home) for key, item in value.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        reference = _REFERENCES.get(hint)
        if reference is not None and not home:
            return {name: getattr(value, name) for name, _ in reference.fields}
        out = {
            name: _encode(getattr(value, name), field_hint, (hint, name) in _HOMES)
            for name, field_hint in _fields(hint)
        }
        for name, (derived_hint, get) in _derived(hint).items():
            out[name] = _encode(get(value), derived_hint)
        return out
    raise TypeError(f"the json format has no rule for values of type {hint!r}")


def _schema(hint: Any, defs: dict[str, Any], home: bool = False) -> dict[str, Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Markup:
        defs.setdefault("RichText", _RICH_TEXT)
        return {"$ref": "#/$defs/RichText"}
    if _is_union(hint):
        options = [_schema(a, defs, home) for a in args if a is not type(None)]
        if type(None) in args:
            options.append({"type": "null"})
        if all(list(option) == ["type"] for option in options):  # ["string", "null"]
            return {"type": [option["type"] for option in options]}
        return options[0] if len(options) == 1 else {"anyOf": options}
    if hint in _SCALARS:
        return dict(_SCALARS[hint])
    if origin is typing.Literal:
        return {"enum": list(args)}
    if hint is dt.date:
        return {"type": "string", "format": "date"}
    if origin in (list, tuple):
        if origin is list or args[-1:] == (Ellipsis,):
            return {"type": "array", "items": _schema(args[0], defs, home)}
        items = [_schema(a, defs, home) for a in args]
        return {"type": "array", "prefixItems": items, "items": False, "minItems": len(items)}
    if origin is dict and args[0] is str:
        return {"type": "object", "additionalProperties": _schema(args[1], defs, home)}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        reference = _REFERENCES.get(hint)
        if reference is not None and not home:
            if reference.name not in defs:
                defs[reference.name] = _object(
                    {name: dict(_SCALARS[kind]) for name, kind in reference.fields},
                    f"A reference to a {hint.__name__.removesuffix('View').lower()} "
                    "written out in full elsewhere in the briefing.",
                )
            return {"$ref": f"#/$defs/{reference.name}"}
        name = _SAME_AS.get(hint, hint.__name__)
        if name not in defs:
            defs[name] = {}  # placed first, so a type that contains itself ends here
            properties = {
                field: _schema(field_hint, defs, (hint, field) in _HOMES)
                for field, field_hint in _fields(hint)
            }
            for field, (derived_hint, _) in _derived(hint).items():
                properties[field] = _schema(derived_hint, defs)
            defs[name] = _object(properties, _describe(hint))
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"the json format has no rule for values of type {hint!r}")


_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
}

_RICH_TEXT: dict[str, Any] = {
    "type": "object",
    "description": "Text written in Markdown: as plain text, and as the HTML the page shows "
    "(safe: raw HTML in the source is shown as text).",
    "properties": {"text": {"type": "string"}, "html": {"type": "string"}},
    "required": ["text", "html"],
    "additionalProperties": False,
}


def _object(properties: dict[str, Any], description: str | None) -> dict[str, Any]:
    return {
        "type": "object",
        **({"description": description} if description else {}),
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _describe(cls: type) -> str | None:
    """The first paragraph of the class's docstring, on one line."""
    doc = (cls.__doc__ or "").strip()
    # A dataclass without a docstring gets its signature as one; that is no description.
    if not doc or doc.startswith(f"{cls.__name__}("):
        return None
    return " ".join(doc.split("\n\n")[0].split())


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


@cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """A dataclass's fields that the JSON keeps, with their resolved type hints."""
    hints = typing.get_type_hints(cls)
    omit = _OMIT.get(cls, frozenset())
    return tuple(
        (field.name, hints[field.name])
        for field in dataclasses.fields(cls)
        if field.name not in omit and not field.name.startswith("_")
    )


__all__ = ["MEDIA_TYPE", "json_bytes", "output_schema", "render_json", "schema_text"]
