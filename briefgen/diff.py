"""`briefgen diff`: the changes between two editions of a briefing, for the terminal.

The same comparison as a briefing's Changes section (changes.py), between any
two recorded editions or a recorded edition and the current facts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .assemble import ChangesView, assemble_briefing
from .build import UnknownBriefing, validate
from .changes import compare
from .dates import PartialDate
from .edition import GENERATOR
from .editions import current_record
from .errors import InvalidValue, ProjectError
from .load import Project
from .records import EDITIONS_DIR, Record, load_record, recorded_editions


class NoEdition(Exception):
    """The edition asked for is not recorded (or none is); the message says which are."""


@dataclass
class Diff:
    briefing: str
    before: str  # the edition compared from, ISO
    after: str | None  # the edition compared to, ISO; None for the current facts
    changes: ChangesView

    def as_json(self) -> dict[str, Any]:
        changes = dataclasses.asdict(self.changes)
        return {"briefing": self.briefing, "from": self.before, "to": self.after, **changes}


def diff_editions(
    root: Path, briefing_id: str, since: str | None = None, until: str | None = None
) -> Diff:
    """The changes to `briefing_id` from edition `since` to edition `until` (ISO
    dates of recorded editions). Without `until`, to the current facts. Without
    `since`, from the latest issued edition (`briefgen issue`), as a Changes
    section compares: the latest before `until` when it is given, else the latest
    of all (whatever the current edition is: what changed since it was issued);
    when none was issued, from the latest record (before `until`).

    Raises ProjectError when the project or a record is bad, UnknownBriefing, and
    NoEdition when an edition asked for is not recorded, or `since` is later
    than `until`.
    """
    # Wrong use first, before the project is read.
    if since is not None and until is not None and _date(since).first_day > _date(until).first_day:
        raise NoEdition(
            f"--from {since} is later than --to {until}; name the earlier edition with --from"
        )
    project, problems = validate(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ProjectError(errors)
    if briefing_id not in project.briefings:
        known = ", ".join(project.briefings)
        raise UnknownBriefing(f"no briefing '{briefing_id}'; the project has {known}")
    recorded = {str(date): path for date, path in recorded_editions(root, briefing_id)}
    if not recorded:
        raise NoEdition(
            f"no edition of briefing '{briefing_id}' is recorded in "
            f"{EDITIONS_DIR}/{briefing_id}/ yet; `briefgen build` records one"
        )
    titles = {key: placed.item.title for key, placed in project.sections.items()}
    if until is not None:
        after = _record(project, recorded, until, briefing_id)
    else:
        after = current_record(assemble_briefing(project, briefing_id, GENERATOR))
    if since is not None:
        before = _record(project, recorded, since, briefing_id)
    else:
        before = _default_from(project, recorded, briefing_id, until)
    # Why a fact was withdrawn is said in its sheet, where it stays (FORMAT 1.2).
    reasons = {
        key: placed.item.withdrawn.reason
        for key, placed in project.facts.items()
        if placed.item.withdrawn is not None
    }
    return Diff(briefing_id, before.edition, until, compare(before, after, titles, reasons))


def _default_from(
    project: Project, recorded: dict[str, Path], briefing_id: str, until: str | None
) -> Record:
    """The record to compare from when --from is not given, picked as a Changes
    section picks its own (editions.earlier_edition): the latest issued edition
    (before `until`, when given), or, when none was issued, the latest recorded."""
    editions = list(recorded)
    if until is not None:
        last = _date(until).first_day
        editions = [e for e in editions if PartialDate.parse(e).first_day < last]
        if not editions:
            raise NoEdition(f"no edition before {until} is recorded; {_listing(recorded)}")
    records = (_record(project, recorded, e, briefing_id) for e in reversed(editions))
    latest = next(records)
    if latest.issued is not None:
        return latest
    return next((r for r in records if r.issued is not None), latest)


def _record(project: Project, recorded: dict[str, Path], edition: str, briefing_id: str) -> Record:
    _date(edition)
    path = recorded.get(edition)
    if path is None:
        raise NoEdition(
            f"no edition {edition} of '{briefing_id}' is recorded; {_listing(recorded)}"
        )
    record, _, problems = load_record(project.root, path)
    if record is None:
        raise ProjectError(problems)
    return record


def _date(text: str) -> PartialDate:
    try:
        return PartialDate.parse(text)
    except InvalidValue as error:
        raise NoEdition(f"{error}; name an edition by its date, e.g. 2024-11-25") from None


def _listing(recorded: dict[str, Path]) -> str:
    return "recorded editions: " + ", ".join(recorded)
