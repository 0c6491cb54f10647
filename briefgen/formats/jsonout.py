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
- Beside each display string, the value a script sorts, sums or joins on
  (values.py): `date_iso`, `since_iso`, ... (ISO 8601 at the precision
  written, `IsoDate`), `date_range` ({from, to}), `quantity` (numbers and
  unit), `probability` ({low, high}), `actor_refs` ({id, name}); a citation's
  `reliability` and `credibility` apart from its `code`.
- One `judgments` list: what the page lists as Key judgments, the written
  judgments or else the facts marked `key: true`, each then with its `fact`.
- Dates are ISO 8601 text; tuples are arrays; a field that is None is null; a
  field named `from_` is `from`.
- `json_version` comes first: 2 since the machine values (1, before, had no
  such key).
- A few fields that only the page's legend needs are left out (`_OMIT`), and so
  are the analyst's reasons for acknowledging a warning (the desk keeps them).

Same view, same bytes: keys keep the dataclasses' order and nothing reads the clock.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..assemble import (
    BriefingView,
    ChangesView,
    FactRef,
    FactView,
    JudgmentView,
    SectionView,
    SourceView,
)
from ..kinds import mapped_kinds
from ..values import IsoDate, probability

if TYPE_CHECKING:
    from .base import RenderContext

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
MEDIA_TYPE = "application/json"
# The shape's own version, the document's first key: raise it when a key changes
# meaning or goes, so a script can tell which shape it reads.
JSON_VERSION = 2

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
            # Written into `judgments` instead: one list of what the page lists.
            "key_judgments",
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
    if hint is JudgmentView:
        return {"fact": (FactRef | None, lambda j: j.fact if isinstance(j, _KeyFact) else None)}
    if hint is ChangesView:
        return {f"{name}_changed": (bool, _changed(name)) for name in ("title", "summary")}
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


def _changed(name: str) -> Callable[[ChangesView], bool]:
    return lambda changes: any(c.field == name for c in changes.briefing_changed)


@dataclasses.dataclass(frozen=True)
class _KeyFact(JudgmentView):
    """A fact marked `key: true`, listed as a key judgment when none is written."""

    fact: FactRef | None = None


def _judgments(view: BriefingView) -> list[JudgmentView]:
    """The key judgments as the page lists them: those written, else the key facts."""
    if view.judgments:
        return view.judgments
    return [
        _KeyFact(
            number=number,
            text=Markup.escape(fact.title),
            text_plain=fact.title,
            confidence=fact.confidence,
            likelihood=fact.likelihood,
            band=fact.band,
            probability=probability(fact.likelihood),
            based_on=[FactRef(fact.id, fact.anchor, fact.title)],
            marking=fact.marking,
            fact=FactRef(fact.id, fact.anchor, fact.title),
        )
        for number, fact in enumerate(view.key_judgments, start=1)
    ]


# Fields written from something other than the attribute of their name.
_VALUES: dict[tuple[type, str], Callable[[Any], Any]] = {(BriefingView, "judgments"): _judgments}


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
    document = {"json_version": JSON_VERSION, **_encode(view, BriefingView, home=True)}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def output_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every `output/<id>.json` is valid against."""
    defs: dict[str, Any] = {}
    root = _schema(BriefingView, defs, home=True)
    briefing = defs["BriefingView"]
    version = {
        "const": JSON_VERSION,
        "description": "The version of this JSON's shape; it rises when a key changes "
        "meaning or goes.",
    }
    briefing["properties"] = {"json_version": version, **briefing["properties"]}
    briefing["required"] = ["json_version", *briefing["required"]]
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
    if hint in (str, int, float, bool, IsoDate) or origin is typing.Literal:
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
            key: _encode(_value(value, hint, name), field_hint, (hint, name) in _HOMES)
            for key, name, field_hint in _fields(hint)
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
        return copy.deepcopy(_SCALARS[hint])
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
                key: _schema(field_hint, defs, (hint, name) in _HOMES)
                for key, name, field_hint in _fields(hint)
            }
            for field, (derived_hint, _) in _derived(hint).items():
                properties[field] = _schema(derived_hint, defs)
            for field, about in _descriptions(hint).items():
                properties[field] = _described(properties[field], about)
            defs[name] = _object(properties, _describe(hint))
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"the json format has no rule for values of type {hint!r}")


_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    IsoDate: {
        "type": "string",
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
        "description": "ISO 8601 at the precision written: YYYY, YYYY-MM or YYYY-MM-DD. "
        "As text these sort as the dates do, a year before the months within it.",
    },
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


# What a key means, where its name and type do not say it all: the display strings,
# and the machine values beside them.
_ABOUT: dict[type, dict[str, str]] = {
    BriefingView: {
        "edition": "The edition's date as the page shows it: '25 November 2024'.",
        "edition_iso": "The edition's date, ISO 8601 at the precision written.",
        "edition_date": "The first day of the edition's date.",
        "judgments": "The key judgments as the page lists them: the judgments written in "
        "briefgen.yaml, or, when it writes none, the facts marked key: true (each with "
        "its `fact`).",
        "correction": "Why this edition was corrected after it was issued (briefgen issue "
        "--correction), as the page says under its title; null when never corrected.",
        "correction_date": "When that correction was issued, ISO 8601; null when never corrected.",
        "changes": "What changed since the edition the Changes section compares with (the "
        "latest issued one, else the latest recorded before this); null when none is "
        "recorded.",
    },
    FactView: {
        "date": "When it happened, as the page shows it: 'November 2024', "
        "'August 2023 – November 2024'.",
        "date_iso": "The same as ISO 8601: '2024-11', or an interval '2023-08/2024-11'.",
        "date_range": "Its first and last date, ISO 8601 at the precision written; from "
        "and to are equal for a fact with one date.",
        "key": "Marked key: true, and listed among the key judgments (false when the "
        "briefing writes its judgments).",
        "actors": "The actors it names, by name.",
        "actor_refs": "The same actors by id, each with its name.",
        "reviewed": "When an analyst last checked it, as the page shows it.",
        "reviewed_iso": "The same, ISO 8601 at the precision written.",
        "marking": "Its handling marking, as handled (FORMAT 1.2); null while the project "
        "names no marking.",
    },
    SourceView: {
        "published": "When it was published, as the page shows it.",
        "published_iso": "The same, ISO 8601 at the precision written.",
        "accessed": "When it was read, as the page shows it.",
        "accessed_iso": "The same, ISO 8601 at the precision written.",
    },
    JudgmentView: {
        "band": "Its likelihood's probability band as the page shows it: '55–80%'.",
        "probability": "The same band as probabilities from 0 to 1.",
        "based_on": "The facts it rests on that this briefing shows.",
        "id": "Its id in briefgen.yaml (FORMAT 1.2); null when written without one.",
        "fact": "The fact marked key: true that this key judgment is, when the briefing "
        "writes no judgments; null for a written judgment.",
    },
    ChangesView: {
        "since": "The date of the edition compared with, as the page shows it.",
        "since_iso": "The same, ISO 8601 at the precision written.",
        "briefing_changed": "The briefing's own title and summary, when revised.",
        "title_changed": "Whether the briefing's title was revised since.",
        "summary_changed": "Whether the briefing's summary was added, revised or removed since.",
    },
}


def _value(value: Any, cls: type, name: str) -> Any:
    get = _VALUES.get((cls, name))
    return get(value) if get is not None else getattr(value, name)


def _descriptions(cls: type) -> dict[str, str]:
    """What each key of `cls` means: `_ABOUT`, or the field's own `about` metadata (the
    kinds' views say theirs, so that this module names no kind)."""
    own = {
        field.name.removesuffix("_"): field.metadata["about"]
        for field in dataclasses.fields(cls)
        if "about" in field.metadata
    }
    return own | _ABOUT.get(cls, {})


def _described(schema: dict[str, Any], about: str) -> dict[str, Any]:
    """`schema` with a description (beside a `$ref`, as draft 2020-12 allows)."""
    return {**schema, "description": about}


@cache
def _fields(cls: type) -> tuple[tuple[str, str, Any], ...]:
    """A dataclass's fields that the JSON keeps: each one's key in the JSON (`from_`
    is `from`), its name and its resolved type hint."""
    hints = typing.get_type_hints(cls)
    omit = _OMIT.get(cls, frozenset())
    return tuple(
        (field.name.removesuffix("_"), field.name, hints[field.name])
        for field in dataclasses.fields(cls)
        if field.name not in omit and not field.name.startswith("_")
    )


__all__ = ["MEDIA_TYPE", "json_bytes", "output_schema", "render_json", "schema_text"]
