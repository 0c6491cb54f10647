"""Issued editions: what `briefgen issue` records, and what a build may no longer do.

An edition is issued once its readers have it: its record (editions.py) then
says when, with each output's SHA-256. From then on the edition's content (its
title, summary, facts, judgments and sources) stands as issued: a build or
issue that would say anything else is refused at the briefing's `edition:`
line, before anything is written. The way on is a new edition date, or a
correction, which the record keeps with its reason, its date and the hashes
it replaced, and which the briefing shows under its title.

The date of an issue is a date, not a time, so a record stays stable and
diff-friendly: `--at` names it, and without it the day's date is used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem
from .load import Placed
from .model import Briefing
from .records import EDITIONS_DIR, Correction, Issued, Outputs, load_record


@dataclass(frozen=True)
class Notice:
    """What the readers of a corrected edition are told: why, and when (ISO date)."""

    reason: str
    at: str


@dataclass(frozen=True)
class Issuing:
    """A build that issues its editions: on which date, and, for a correction, why."""

    at: str  # ISO date
    correction: str | None = None

    @property
    def notice(self) -> Notice | None:
        """The correction this build issues, if it issues one."""
        return Notice(self.correction, self.at) if self.correction is not None else None


@dataclass(frozen=True)
class Standing:
    """An edition's own record, as a build finds it before writing a new one."""

    data: dict[str, Any] | None = None  # its JSON; None when there is no record yet
    issued: Issued | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def notice(self) -> Notice | None:
        """The edition's latest correction, if it was corrected."""
        if self.issued is None or not self.issued.corrections:
            return None
        latest = self.issued.corrections[-1]
        return Notice(latest.reason, latest.at)


def edition_standing(root: Path, briefing: Briefing) -> Standing:
    """The record of this very edition of `briefing`, if one was written."""
    path = root / EDITIONS_DIR / briefing.id / f"{briefing.edition}.json"
    if not path.is_file():
        return Standing()
    record, raw, problems = load_record(root, path)
    if record is None:
        return Standing(problems=problems)
    return Standing(json.loads(raw), record.issued)


def check_issuing(
    placed: Placed[Briefing],
    changed: bool,
    standing: Standing,
    issuing: Issuing | None,
) -> list[Problem]:
    """What is wrong with building (or issuing) this edition, whose content has
    `changed` from its record, at the briefing's `edition:` line."""
    briefing = placed.item
    named = f"edition {briefing.edition} of '{briefing.id}'"
    correction = issuing.correction if issuing is not None else None
    issued = standing.issued
    if issued is None:
        if correction is None:
            return []
        message = f"{named} has not been issued, so there is nothing to correct"
        hint = f"issue it first: briefgen issue {briefing.id}"
        return [placed.problem("edition", message=message, hint=hint, code="issued")]
    if correction is None and changed:
        message = (
            f"{named} was issued on {issued.at}; its facts have changed since: set a new "
            "edition date, or issue a correction"
        )
        hint = f'a correction: briefgen issue {briefing.id} --correction "REASON"'
        return [placed.problem("edition", message=message, hint=hint, code="issued")]
    if correction is not None and not changed:
        message = (
            f"{named} has not changed since it was issued on {issued.at}; there is "
            "nothing to correct"
        )
        return [placed.problem("edition", message=message, code="issued")]
    return []


def next_issued(standing: Standing, issuing: Issuing | None, outputs: Outputs) -> Issued | None:
    """What the edition's record says of its issue after this build wrote `outputs`."""
    issued = standing.issued
    if issuing is None:
        return issued
    if issued is None:
        return Issued(issuing.at, outputs)
    if issuing.correction is None:
        return issued  # issued again, unchanged (check_issuing saw to it)
    corrected = Correction(issuing.at, issuing.correction, issued.outputs)
    return Issued(issued.at, outputs, (*issued.corrections, corrected))


__all__ = ["Issuing", "Notice", "Standing", "check_issuing", "edition_standing", "next_issued"]
