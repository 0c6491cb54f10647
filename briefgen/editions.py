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

The latest record of an earlier edition is an input of the next: its Changes
section and New and Updated marks come from comparing the two (changes.py).
"""

from __future__ import annotations

import hashlib
import json
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
    Record,
    load_record,
    parse_record,
    previous_edition,
    record_digest,
)

__all__ = ["EDITIONS_DIR", "edition_path", "edition_record"]


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


def edition_record(view: BriefingView, outputs: dict[str, tuple[str, int]]) -> bytes:
    """The record of one edition as stable, diff-friendly JSON (no clock times);
    `outputs` maps each output's project path to its SHA-256 and size."""
    record: dict[str, Any] = {
        "record_version": RECORD_VERSION,
        "briefing": view.id,
        "title": view.title,
        "edition": view.edition_iso,
        "classification": view.classification,
        "generator": view.generator,
        "inputs_digest": view.inputs_digest,
        "outputs": {
            name: {"sha256": sha256, "bytes": size} for name, (sha256, size) in outputs.items()
        },
        **edition_content(view),
    }
    record["digest"] = record_digest(record)
    return (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def current_record(view: BriefingView) -> Record:
    """This edition as its record will describe it, for comparing with an earlier one."""
    data = {
        "record_version": RECORD_VERSION,
        "briefing": view.id,
        "edition": view.edition_iso,
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
    """The latest record in editions/<id>/ of an edition before this one."""
    path = previous_edition(root, briefing.id, briefing.edition)
    if path is None:
        return Earlier(None, None, [])
    record, raw, problems = load_record(root, path)
    file = InputFile(path.relative_to(root).as_posix(), raw)
    return Earlier(record, file if record else None, problems)
