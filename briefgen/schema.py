"""Editor schemas: JSON Schema (draft-07) for fact sheets and briefgen.yaml, from model.py.

The YAML language server behind VS Code, Neovim and Helix understands JSON
Schema up to draft-07, so pydantic's output (draft 2020-12) is reshaped for it:
`definitions` instead of `$defs`, `anyOf` instead of `oneOf`, the id, text and
URL rules that model.py checks in Python written as patterns, and hover help
for every key. The schema checks what one file can know, as model.py does;
references between files stay the reference checks'.

Values are described as an editor reads YAML 1.2, where `2024` or `12` is a
number, while briefgen reads every scalar as text: so text, ids and dates also
accept numbers here, exactly where briefgen would accept them.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar, Literal, get_args

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from . import model
from .checks import WARNINGS, acknowledgeable
from .kinds import mapped_kinds
from .model import (
    CONFIDENCE_WORDS,
    CREDIBILITY_WORDS,
    ID_MAX,
    ID_PATTERN,
    LIKELIHOOD_BANDS,
    RELIABILITY_WORDS,
    Confidence,
    Config,
    FactSheet,
)

# The two files an editor checks: fact sheets and briefgen.yaml.
SchemaName = Literal["facts", "config"]
SCHEMAS: dict[SchemaName, type[BaseModel]] = {"facts": FactSheet, "config": Config}
DRAFT_07 = "http://json-schema.org/draft-07/schema#"

# The rules model.py checks with Python functions, as draft-07 keywords.
ID_SCHEMA: dict[str, Any] = {
    "type": ["string", "integer"],
    "pattern": f"^{ID_PATTERN.pattern}$",
    "maxLength": ID_MAX,
    "minimum": 0,
}
TEXT_SCHEMA: dict[str, Any] = {"type": ["string", "number"], "pattern": r"\S"}
URL_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*$",
}

# Hover help, by model and key as written in YAML. Every key has some (a test
# checks), so a field added to model.py without help here fails the suite.
HELP: dict[str, dict[str, str]] = {
    "FactSheet": {
        "": "A briefgen fact sheet: actors, sources and facts.",
        "section": "Default section id for the facts of this sheet (declared in briefgen.yaml).",
        "actors": "The countries, organisations and people the facts name.",
        "sources": "Where the facts come from; each fact cites one or more by id.",
        "facts": "The facts: one statement each, dated, sourced and rated.",
    },
    "Actor": {
        "": "A country, organisation or person that facts name.",
        "id": "Unique actor id, e.g. an ISO 3166 code such as RU.",
        "name": "The actor's name as a reader should see it.",
        "short": "Optional short name, e.g. DPRK.",
    },
    "Source": {
        "": "A source that facts cite.",
        "id": "Unique source id; facts cite the source by it.",
        "title": "The title of the document, interview or report.",
        "publisher": "Optional: who published it.",
        "url": "Optional http or https address.",
        "published": "Optional publication date: YYYY, YYYY-MM or YYYY-MM-DD.",
        "accessed": "Optional date the source was read: YYYY, YYYY-MM or YYYY-MM-DD.",
        "reliability": "Admiralty Code source reliability, A (completely reliable) to F "
        "(cannot be judged).",
        "type": "What kind of source it is.",
        "origin": "Optional: sources with the same origin are not independent of each other.",
        "lang": "Optional: the title's language (BCP 47: ko, ru, fa, zh-Hans), when not the "
        "briefing's.",
        "translated_title": "Optional: the title in the briefing's language, shown after it "
        "in brackets.",
        "marking": "Optional handling marking (briefgen.yaml's markings; default TLP 2.0).",
    },
    "Fact": {
        "": "One statement, dated, sourced and rated.",
        "id": "Unique fact id.",
        "title": "The fact in one sentence.",
        "text": "The fact in full, in Markdown (emphasis, links, lists).",
        "date": "When it happened: YYYY, YYYY-MM or YYYY-MM-DD, or a range {from: ..., to: ...}.",
        "section": "The section id the fact belongs to; required unless the sheet sets one.",
        "confidence": "ICD 203 analytic confidence: low, moderate or high.",
        "key": "true for a key judgment, listed at the top of the briefing.",
        "actors": "Ids of the actors the fact names.",
        "tags": "Free tags; briefings can include facts by tag.",
        "reviewed": "When an analyst last checked this fact: YYYY, YYYY-MM or YYYY-MM-DD.",
        "acknowledge": "Optional: analytic warnings on this fact judged and accepted, "
        "by code, each with the reason (kept in the edition record).",
        "sources": "One or more citations of declared sources.",
        "marking": "Optional handling marking; the fact is handled at the highest of this and "
        "its sources'.",
        "withdrawn": "Optional: the fact no longer stands ({date, reason}); it leaves every "
        "briefing and the next edition lists it with the reason.",
        # and each kind of fact's key, from kinds.KINDS (_help)
    },
    "DateRange": {
        "": "A span of time; each end is YYYY, YYYY-MM or YYYY-MM-DD.",
        "from": "Start of the range.",
        "to": "End of the range (on or after its start).",
    },
    "Citation": {
        "": "A citation of a source by id, with the credibility of what it says here.",
        "source": "The id of a declared source.",
        "credibility": "Admiralty Code information credibility, 1 (confirmed) to 6 "
        "(cannot be judged).",
        "quote": "Optional: the words cited.",
        "locator": "Optional: where in the source, e.g. 'page 3' or 'minute 12'.",
    },
    "Withdrawn": {
        "": "Why and when a fact was withdrawn.",
        "date": "When it was withdrawn: YYYY, YYYY-MM or YYYY-MM-DD.",
        "reason": "Why it no longer stands, shown in the next edition's changes.",
    },
    "QuantityRange": {
        "": "A quantity known as a range.",
        "min": "At least this many.",
        "max": "Optional: at most this many; leave out for 'min or more'.",
    },
    # each kind of fact's model, from kinds.KINDS (_help)
    "Config": {
        "": "briefgen.yaml: the project's sections and briefings.",
        "sections": "The sections facts may belong to; this order is the default.",
        "briefings": "One or more briefings to build.",
        "judgments": "Optional: judgments several briefings share, each with an id that "
        "briefings name in their judgments.",
        "markings": "Optional: the desk's handling markings, lowest first; default TLP 2.0.",
        "default_marking": "Optional: the marking of what names none; default the lowest.",
    },
    "Section": {
        "": "A section of the briefings.",
        "id": "Unique section id; facts name it in 'section'.",
        "title": "The section heading.",
        "intro": "Optional introduction, in Markdown.",
    },
    "Briefing": {
        "": "A briefing, written to output/<id>.html and output/<id>.pdf.",
        "id": "Unique briefing id; it becomes the output file name.",
        "title": "The briefing's title.",
        "subtitle": "Optional subtitle.",
        "edition": "Date of this edition: YYYY, YYYY-MM or YYYY-MM-DD.",
        "author": "Optional author or desk.",
        "classification": "Optional; shown as a banner at the top and bottom of every page.",
        "summary": "Optional bottom line up front, in Markdown.",
        "sections": "Optional section ids, in order; default: every section.",
        "include": "Optional filter: a fact is included when it passes every key given.",
        "formats": "Output formats; default both html and pdf.",
        "figures": "Optional: which figures to draw; default every one that has data; [] for none.",
        "stale_after_days": "Optional: flag facts last reviewed longer than this before the "
        "edition.",
        "judgments": "Optional key judgments, in the order shown; without them the facts "
        "marked key: true are listed.",
        "order": "Facts within a section: newest-first (default), oldest-first or as-written.",
        "release": "Optional: the highest marking this briefing may carry; everything marked "
        "above it is withheld from every output.",
        "lang": "The briefing's language (BCP 47), default en.",
    },
    "Judgment": {
        "": "A key judgment, written by the analyst, resting on facts of this briefing.",
        "id": "Optional id: editions follow the judgment by it; a shared judgment's name.",
        "text": "The judgment, in Markdown.",
        "confidence": "ICD 203 analytic confidence: low, moderate or high.",
        "marking": "Optional handling marking of its own (a judgment written for release); "
        "else the highest of its facts'.",
        "likelihood": "Optional ICD 203 estimative term, for a judgment about what will happen.",
        "based_on": "Ids of the facts, included in this briefing, the judgment rests on.",
    },
    "Include": {
        "": "Which facts a briefing includes; a fact must pass every key given.",
        "tags": "Has at least one of these tags.",
        "actors": "Names at least one of these actor ids.",
        "since": "Its date (or the end of its range) is on or after this.",
        "until": "Its date (or the start of its range) is on or before this.",
    },
}

HELP["SharedJudgment"] = {
    **HELP["Judgment"],
    "": "A judgment shared by briefings (FORMAT 1.2), named by its id in their judgments.",
    "id": "Unique judgment id; briefings name the judgment by it.",
}

# Words for each choice of a scale, shown by the editor on hover and completion.
ENUM_HELP: dict[tuple[str, str], dict[Any, str]] = {
    ("Source", "reliability"): RELIABILITY_WORDS,
    ("Citation", "credibility"): CREDIBILITY_WORDS,
    # As the scales appendix of every briefing words them, from low to high.
    ("Fact", "confidence"): {level: CONFIDENCE_WORDS[level] for level in get_args(Confidence)},
    ("Judgment", "likelihood"): LIKELIHOOD_BANDS,
    ("Judgment", "confidence"): {level: CONFIDENCE_WORDS[level] for level in get_args(Confidence)},
}


def json_schema(kind: SchemaName) -> dict[str, Any]:
    """The draft-07 JSON Schema for fact sheets (`facts`) or briefgen.yaml (`config`)."""
    root_model = SCHEMAS[kind]
    raw = root_model.model_json_schema(
        by_alias=True, ref_template="#/definitions/{model}", schema_generator=_Draft07
    )
    raw = _table_names(raw)
    definitions = raw.pop("$defs", {})
    # No titles: the YAML language server would head every key's hover help with one.
    schema: dict[str, Any] = {"$schema": DRAFT_07, **_tidy(raw, root_model.__name__)}
    if root_model is FactSheet:
        # load.py skips a sheet's list key left empty (`facts:` with nothing under it).
        for key in ("actors", "sources", "facts"):
            schema["properties"][key]["type"] = ["array", "null"]
    if definitions:
        schema["definitions"] = {name: _tidy(d, name) for name, d in definitions.items()}
    fact = schema.get("definitions", {}).get("Fact")
    if fact is not None:
        # The codes a fact may acknowledge, each with what it means, for completion.
        acknowledge = fact["properties"]["acknowledge"]
        reason = acknowledge.pop("additionalProperties")
        acknowledge["properties"] = {
            code: {**reason, "description": WARNINGS[code].summary} for code in acknowledgeable()
        }
        acknowledge["additionalProperties"] = False
    return schema


class _Draft07(GenerateJsonSchema):
    """pydantic's generator, taught the rules model.py checks in Python."""

    _AFTER: ClassVar[dict[Any, dict[str, Any]]] = {
        model._check_id: ID_SCHEMA,
        model._check_text: TEXT_SCHEMA,
        model._check_url: URL_SCHEMA,
    }

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> JsonSchemaValue:
        function = schema["function"]["function"]
        if function in self._AFTER:
            return copy.deepcopy(self._AFTER[function])
        if function is model._check_likelihood:
            return _enum(list(LIKELIHOOD_BANDS))
        inner = self.generate_inner(schema["schema"])
        if function is model._check_parties:
            inner["minItems"] = 2
            inner["uniqueItems"] = True  # two different parties, not one named twice
        return inner

    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        if schema["function"]["function"] is model._quantity:
            # A bare number is written for an exact quantity; {about: N} for an estimate.
            about = {
                "type": "object",
                "description": "An estimate, shown 'about N'.",
                "properties": {"about": {"type": "number", "minimum": 0}},
                "required": ["about"],
                "additionalProperties": False,
            }
            return {"anyOf": [{"type": "number", "minimum": 0}, inner, about]}
        return inner


_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _enum(names: list[str]) -> dict[str, Any]:
    return {"enum": names, "type": "string"} if names else {"type": "string"}


def _table_names(node: Any) -> Any:
    """`node` with each name from a table (marked "x-table" by model.py) given the
    table's names, so an editor offers them."""
    if isinstance(node, list):
        return [_table_names(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "x-table" in node:
        from .figures import FIGURES
        from .formats import FORMATS

        names = list(FORMATS) if node["x-table"] == "formats" else list(FIGURES)
        return _enum(names)
    return {key: _table_names(value) for key, value in node.items()}


def _tidy(schema: dict[str, Any], name: str) -> dict[str, Any]:
    """One model's schema in the form the YAML language server reads best."""
    schema = _plain(schema)
    schema.pop("title", None)
    help_ = _help(name)
    if "" in help_:
        schema["description"] = help_[""]
    for key, prop in schema.get("properties", {}).items():
        prop.pop("title", None)
        if key in help_:
            prop["description"] = help_[key]
        words = _enum_help(name, key)
        if words:
            prop["enum"] = list(words)
            prop["enumDescriptions"] = list(words.values())
    return schema


def _help(name: str) -> dict[str, str]:
    """The hover help of a model's keys: HELP, and each kind of fact's (kinds.KINDS)."""
    help_ = dict(HELP.get(name, {}))
    for kind in mapped_kinds():
        if name == "Fact":
            help_[kind.name] = f"Optional: {kind.about}."
        elif kind.model is not None and name == kind.model.__name__:
            help_ |= kind.help
    return help_


def _enum_help(name: str, key: str) -> dict[Any, str] | None:
    """Words for each choice of a key: ENUM_HELP, and each kind of fact's."""
    for kind in mapped_kinds():
        if kind.model is not None and name == kind.model.__name__ and key in kind.choices_help:
            return kind.choices_help[key]
    return ENUM_HELP.get((name, key))


def _plain(node: Any) -> Any:
    """Draft-07 keywords throughout: numeric bounds by their JSON Schema names, `anyOf`
    for unions, null folded into a scalar's `type`, and no empty defaults."""
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {_BOUNDS.get(key, key): _plain(value) for key, value in node.items()}
    if "oneOf" in out:
        out["anyOf"] = out.pop("oneOf")
    out.pop("discriminator", None)
    if out.get("default", 1) in (None, []):
        del out["default"]
    choices = out.get("anyOf")
    if isinstance(choices, list) and {"type": "null"} in choices and len(choices) == 2:
        (other,) = (c for c in choices if c != {"type": "null"})
        if "type" in other and "anyOf" not in other:
            del out["anyOf"]
            types = other["type"] if isinstance(other["type"], list) else [other["type"]]
            out = {**other, **out, "type": [*types, "null"]}
    return out
