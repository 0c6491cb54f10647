"""Editions: the record of what each edition of a briefing said and was made from.

FORMAT.md has `briefgen build` keep `editions/` beside `output/`, for the
analyst to commit: one small JSON file per briefing and edition date, naming
the inputs digest, every fact with its confidence and citations, every
source, and the SHA-256 of each output. Outputs are reproducible, so a
recipient can match a PDF to its record, and `git log editions/` is the
desk's history of what it told its readers and on what evidence.
"""

from __future__ import annotations

import json
from pathlib import Path

from .assemble import BriefingView

EDITIONS_DIR = "editions"


def edition_path(root: Path, view: BriefingView) -> Path:
    """`editions/<briefing-id>/<edition>.json`; ids and dates are safe file names."""
    return root / EDITIONS_DIR / view.id / f"{view.edition_iso}.json"


def edition_record(view: BriefingView, outputs: dict[str, tuple[str, int]]) -> bytes:
    """The record of one edition as stable, diff-friendly JSON (no clock times);
    `outputs` maps each output's project path to its SHA-256 and size."""
    record = {
        "briefing": view.id,
        "title": view.title,
        "edition": view.edition_iso,
        "classification": view.classification,
        "generator": view.generator,
        "inputs_digest": view.inputs_digest,
        "outputs": {
            name: {"sha256": sha256, "bytes": size} for name, (sha256, size) in outputs.items()
        },
        "key_judgments": [fact.id for fact in view.key_judgments],
        "facts": [
            {
                "id": fact.id,
                "section": section.id,
                "title": fact.title,
                "date": fact.date_iso,
                "confidence": fact.confidence,
                "independent_sources": fact.independent_sources,
                "citations": [f"{c.source.id} {c.code}" for c in fact.citations],
                **({"stale": True} if fact.stale else {}),
                # The analyst's reasons for accepting a warning, kept with the edition.
                **({"acknowledged": fact.acknowledged} if fact.acknowledged else {}),
            }
            for section in view.sections
            for fact in section.facts
        ],
        "sources": [
            {"number": s.number, "id": s.id, "title": s.title, "reliability": s.reliability}
            for s in view.sources
        ],
    }
    return (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
