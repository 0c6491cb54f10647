"""Editions: the record of what each edition of a briefing said and was made from,
and what the next edition finds changed.

FORMAT.md has `briefgen build` keep `editions/` beside `output/`, for the
analyst to commit: one small JSON file per briefing and edition date, naming
the inputs digest, every fact with what a reader would see change in it (its
title, date, section, confidence, likelihood, impact, quantity, status,
citations and a digest of its text), the key judgments, every source, and
the SHA-256 of each output. Outputs are reproducible, so a recipient can match
a PDF to its record, and `git log editions/` is the desk's history of what it
told its readers and on what evidence. A record carries a digest of itself
(records.py reads it back), and a build writes only its own edition's record.

The record of an earlier edition is an input of the next: its Changes section
and New and Updated marks come from comparing the two (changes.py). That is
the latest issued edition before it (`briefgen issue`), or, when none was
issued, the latest edition before it.

A record also carries forward when the briefing and each fact, judgment and
actor it has shown first appeared (`first_editions`): the earlier record's,
plus this edition for what is new. The STIX bundle reads it, so an object's
`created` stays the edition it first appeared in, whatever edition exports it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .assemble import BriefingView, FactView
from .errors import Problem
from .inputs import InputFile
from .kinds import KINDS
from .model import Briefing
from .records import (
    EDITIONS_DIR,
    RECORD_VERSION,
    FirstEditions,
    Issued,
    Outputs,
    Record,
    load_record,
    parse_record,
    record_digest,
    recorded_editions,
)

__all__ = ["EDITIONS_DIR", "Lineage", "edition_path", "edition_record", "first_editions"]


def edition_path(root: Path, view: BriefingView) -> Path:
    """`editions/<briefing-id>/<edition>.json`; ids and dates are safe file names."""
    return root / EDITIONS_DIR / view.id / f"{view.edition_iso}.json"


def edition_content(view: BriefingView) -> dict[str, Any]:
    """What the record says of the briefing itself: its facts, judgments and sources.
    The next edition compares itself with this (changes.py)."""
    return {
        "key_judgments": [fact.id for fact in view.key_judgments],
        "judgments": [
            {
                **({"id": judgment.id} if judgment.id else {}),
                "text": " ".join(judgment.text_plain.split()),
                "confidence": judgment.confidence,
                **({"likelihood": judgment.likelihood} if judgment.likelihood else {}),
                "based_on": [ref.id for ref in judgment.based_on],
            }
            for judgment in view.judgments
        ],
        "facts": [_fact(fact, section.id) for section in view.sections for fact in section.facts],
        "sources": [
            {"number": s.number, "id": s.id, "title": s.title, "reliability": s.reliability}
            for s in view.sources
        ],
    }


def _fact(fact: FactView, section: str) -> dict[str, Any]:
    # Only what is there: a record stays small, and an absent key reads as None.
    compared = KINDS[fact.kind].compared  # what the next edition compares of its kind
    optional = {
        **{name: get(fact.details) for name, get in compared.items()},
        "stale": True if fact.stale else None,
        # The analyst's reasons for accepting a warning, kept with the edition.
        "acknowledged": fact.acknowledged or None,
    }
    return {
        "id": fact.id,
        "section": section,
        "title": fact.title,
        "date": fact.date_iso,
        "confidence": fact.confidence,
        "independent_sources": fact.independent_sources,
        "citations": [f"{c.source.id} {c.code}" for c in fact.citations],
        "text": text_digest(fact.text),
        **{key: value for key, value in optional.items() if value is not None},
    }


def text_digest(text: str) -> str:
    """A short digest of a text, blind to how its lines are wrapped."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


# What a record says of the briefing itself, beside its facts, judgments and sources:
# with edition_content, what an issued edition may not change (`briefgen issue`).
def _briefing_content(view: BriefingView) -> dict[str, Any]:
    return {
        "title": view.title,
        "classification": view.classification,
        "summary": " ".join(view.summary_text.split()),
    }


def content_changed(view: BriefingView, data: dict[str, Any]) -> bool:
    """Whether `view` says anything other than the record `data` (its JSON) does:
    its title, classification, summary, facts, judgments or sources. What made
    the outputs (briefgen's version, the theme, the files' bytes) is not content."""
    now = {**_briefing_content(view), **edition_content(view)}
    return any(data.get(key) != value for key, value in now.items())


def _outputs(outputs: Outputs) -> dict[str, Any]:
    return {name: {"sha256": sha256, "bytes": size} for name, (sha256, size) in outputs.items()}


def edition_record(
    view: BriefingView,
    outputs: Outputs,
    issued: Issued | None = None,
    first: FirstEditions | None = None,
) -> bytes:
    """The record of one edition as stable, diff-friendly JSON (dates, no clock
    times); `outputs` maps each output's project path to its SHA-256 and size,
    `issued` says when the edition was issued and corrected, if it was, and `first`
    when each thing it shows first appeared (default: in this edition)."""
    record: dict[str, Any] = {
        "record_version": RECORD_VERSION,
        "briefing": view.id,
        "edition": view.edition_iso,
        **_briefing_content(view),
        "generator": view.generator,
        "inputs_digest": view.inputs_digest,
        "outputs": _outputs(outputs),
        **edition_content(view),
    }
    first = first_editions(view, None) if first is None else first
    record["first_editions"] = {
        "briefing": first.briefing,
        **{key: dict(sorted(getattr(first, key).items())) for key in _FIRST_KEYS},
    }
    if issued is not None:
        record["issued"] = {
            "at": issued.at,
            "outputs": _outputs(issued.outputs),
            "corrections": [
                {"at": c.at, "reason": c.reason, "replaced": _outputs(c.replaced)}
                for c in issued.corrections
            ],
        }
    record["digest"] = record_digest(record)
    return (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


_FIRST_KEYS = ("facts", "judgments", "actors")


@dataclass(frozen=True)
class Lineage:
    """What the editions before this one tell its STIX bundle: when each thing first
    appeared (this edition's `first_editions`), and the earlier record, whose facts
    and judgments this edition no longer shows are revoked."""

    first: FirstEditions
    earlier: Record | None = None


def first_editions(view: BriefingView, earlier: Record | None) -> FirstEditions:
    """When the briefing and each fact, judgment (by id) and actor (by name) that
    `view` or an edition before it showed first appeared: as the `earlier` record
    says, and this edition for what appears now for the first time. A record before
    version 4 says none of it: what it shows is taken to have first appeared there."""
    now = view.edition_iso
    if earlier is None:
        known = FirstEditions(now)
    elif earlier.first_editions is not None:
        known = earlier.first_editions
    else:
        then, kept = earlier.edition, {fact.id for fact in earlier.facts}
        known = FirstEditions(
            then,
            facts=dict.fromkeys(kept, then),
            judgments=dict.fromkeys((j.id for j in earlier.judgments or () if j.id), then),
            # Its actors, as far as the facts it shows and this edition does still name them.
            actors={
                name: then for fact in view.facts if fact.id in kept for name in fact_actors(fact)
            },
        )
    actors = (name for fact in view.facts for name in fact_actors(fact))
    return FirstEditions(
        known.briefing,
        facts=_since(known.facts, (fact.id for fact in view.facts), now),
        judgments=_since(known.judgments, (j.id for j in view.judgments if j.id), now),
        actors=_since(known.actors, actors, now),
    )


def _since(known: dict[str, str], shown: Iterable[str], now: str) -> dict[str, str]:
    return dict(sorted({**dict.fromkeys(shown, now), **known}.items()))


def fact_actors(fact: FactView) -> list[str]:
    """The names of the actors `fact` names, and of those its kind relates (STIX)."""
    relations = KINDS[fact.kind].relations
    related = relations(fact.details) if relations is not None else []
    names = [name for relation in related for name in (relation.source, relation.target)]
    return list(dict.fromkeys([*names, *fact.actors]))


def current_record(view: BriefingView) -> Record:
    """This edition as its record will describe it, for comparing with an earlier one."""
    data = {
        "record_version": RECORD_VERSION,
        "briefing": view.id,
        "edition": view.edition_iso,
        **_briefing_content(view),
        **edition_content(view),
    }
    return parse_record(data)


@dataclass(frozen=True)
class Earlier:
    """The record of the latest earlier edition of a briefing, as read for this build."""

    record: Record | None  # None when there is none, or it is bad (see `problems`)
    file: InputFile | None  # its bytes: an input of this edition
    problems: list[Problem]


def earlier_edition(root: Path, briefing: Briefing) -> Earlier:
    """The record in editions/<id>/ of the latest issued edition before this one, or,
    when none before it was issued, of the latest edition before it."""
    paths = [
        path
        for date, path in recorded_editions(root, briefing.id)
        if date.first_day < briefing.edition.first_day
    ]
    if not paths:
        return Earlier(None, None, [])
    problems: list[Problem] = []
    found = []
    for path in reversed(paths):  # newest first, until one was issued
        record, raw, wrong = load_record(root, path)
        problems += wrong
        found.append((path, record, raw))
        if record is not None and record.issued is not None:
            break
    else:
        path, record, raw = found[0]  # none was issued: the latest
        if record is None or problems:  # a bad record may be the issued one
            return Earlier(None, None, problems)
    file = InputFile(path.relative_to(root).as_posix(), raw)
    return Earlier(record, file if record else None, problems)
