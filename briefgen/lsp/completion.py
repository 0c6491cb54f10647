"""Completion: the ids a key refers to, the tags in use, warning codes, markings and every
enumerated value, each with what it means as its documentation."""

from __future__ import annotations

from typing import Any, get_args

from lsprotocol import types

from ..checks import WARNINGS, acknowledgeable
from ..load import Project
from ..markings import TLP
from ..model import (
    CONFIDENCE_WORDS,
    CREDIBILITY_WORDS,
    LIKELIHOOD_BANDS,
    RELIABILITY_WORDS,
    Category,
    Impact,
    Order,
    SourceType,
    Status,
)
from .describe import describe_id
from .text import Spot, id_kind

REFERENCE = types.CompletionItemKind.Reference
_MARKING_KEYS = {"marking", "release", "markings", "default_marking"}


def _choices(literal: Any) -> dict[str, str]:
    return {value: "" for value in get_args(literal)}


# The enumerated values, by the key they are written under, each with its meaning.
_VALUES: dict[str, dict[str, str]] = {
    "confidence": CONFIDENCE_WORDS,
    "likelihood": {term: f"ICD 203: {band}" for term, band in LIKELIHOOD_BANDS.items()},
    "reliability": RELIABILITY_WORDS,
    "credibility": {str(grade): words for grade, words in CREDIBILITY_WORDS.items()},
    "category": _choices(Category),
    "status": _choices(Status),
    "impact": _choices(Impact),
    "type": _choices(SourceType),
    "order": _choices(Order),
}


def complete(project: Project | None, spot: Spot, rel: str) -> list[types.CompletionItem]:
    """What may be written at `spot` in the file `rel`."""
    if project is None:
        return []
    keys = spot.keys
    if keys[-1:] == ("acknowledge",) or (keys[-2:-1] == ("acknowledge",) and spot.on_key):
        return [
            _item(code, WARNINGS[code].summary, types.CompletionItemKind.Event)
            for code in acknowledgeable()
        ]
    kind = id_kind(keys, rel)
    if kind is not None and not kind[1]:
        return [
            _item(
                item_id, describe_id(project, kind[0], item_id), types.CompletionItemKind.Reference
            )
            for item_id in project.declared.get(kind[0], {})
        ]
    last = keys[-1] if keys and not spot.on_key else None
    if last == "tags":
        return [_item(tag, "", types.CompletionItemKind.Keyword) for tag in _tags(project)]
    if last in _MARKING_KEYS:
        return [_item(m, "", types.CompletionItemKind.EnumMember) for m in markings(project)]
    if last in ("formats", "figures"):
        from ..figures import FIGURES
        from ..formats import FORMATS

        names = list(FORMATS if last == "formats" else FIGURES)
        return [_item(name, "", types.CompletionItemKind.EnumMember) for name in names]
    if last in _VALUES:
        return [
            _item(value, words, types.CompletionItemKind.EnumMember)
            for value, words in _VALUES[last].items()
        ]
    return []


def markings(project: Project) -> list[str]:
    """The project's `markings:` (FORMAT 1.2), lowest first, or TLP 2.0's."""
    return list(project.settings.item.markings or TLP)


def _tags(project: Project) -> list[str]:
    tags: dict[str, None] = {}
    for raw in project.raw.get("facts", []):
        value = raw.item.get("tags")
        for tag in value if isinstance(value, list) else []:
            if isinstance(tag, str):
                tags[tag] = None
    return sorted(tags)


def _item(label: str, documentation: str, kind: types.CompletionItemKind) -> types.CompletionItem:
    return types.CompletionItem(
        label=label,
        kind=kind,
        documentation=types.MarkupContent(types.MarkupKind.Markdown, documentation)
        if documentation
        else None,
    )
