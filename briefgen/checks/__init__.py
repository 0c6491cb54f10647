"""Checking: what no single file can know, and the analytic warnings.

`check_project` gives the errors in the project as a whole (references.py,
judgments.py, and the codes facts acknowledge); `analytic_warnings` runs every
check of `WARNINGS`, the table of warning codes. A code is stable: analysts
write it in a fact's `acknowledge:` (FORMAT 1.1), and scripts read it from
`validate --format json`. README.md lists the table; a test keeps the two the
same. To add a warning: one entry here, naming the function that finds it
(ARCHITECTURE.md, "How to add").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..load import Placed, Project
from ..wording import did_you_mean
from .judgments import (
    check_judgments,
    check_shared_judgments,
    judgment_above_evidence,
    judgment_single_source,
)
from .markings import (
    check_markings,
    item_markings,
    judgments_without_shown_evidence,
    marked_below_source,
)
from .references import TableNames, check_references, fact_references
from .scope import empty_briefings, filters_matching_nothing, no_facts
from .warnings import (
    Part,
    Usage,
    WarningCode,
    WarningRun,
    accessed_before_published,
    confirmed_single_source,
    facts_after_edition,
    hedged_risks,
    high_confidence_single_source,
    high_confidence_weak_sources,
    incomplete,
    missing_glyphs,
    never_reviewed,
    skeleton_todos,
    stale_facts,
    uncited_sources,
    unused_acknowledgments,
    unused_actors,
    usage_of,
)


def _unused_acknowledgments(run: WarningRun) -> Iterable[Problem]:
    return unused_acknowledgments(run, acknowledgeable())


# In the order README.md lists them, which is also the order they run in: an unused
# acknowledgment is known only once every warning a fact can acknowledge has run.
WARNINGS: dict[str, WarningCode] = {
    w.code: w
    for w in (
        WarningCode(
            "uncited-source",
            "source",
            "a source no fact cites",
            uncited_sources,
            needs_every_file=True,
        ),
        WarningCode(
            "unused-actor",
            "actor",
            "an actor named by no fact (actors, flow, agreement) and no briefing's "
            "`include.actors`",
            unused_actors,
            needs_every_file=True,
        ),
        WarningCode(
            "high-confidence-single-source",
            "fact",
            "`confidence: high` resting on one independent source",
            high_confidence_single_source,
            per_file=True,
        ),
        WarningCode(
            "high-confidence-weak-sources",
            "fact",
            "`confidence: high` with every source rated D, E or F",
            high_confidence_weak_sources,
            per_file=True,
        ),
        WarningCode(
            "confirmed-single-source",
            "fact",
            "a citation graded 1 (confirmed by other sources) on a fact with one "
            "independent source",
            confirmed_single_source,
            per_file=True,
        ),
        WarningCode(
            "marked-below-source",
            "fact",
            "a fact marked lower than a source it cites (it is handled at the source's marking)",
            marked_below_source,
            per_file=True,
        ),
        WarningCode(
            "accessed-before-published",
            "source",
            "a source accessed before it was published",
            accessed_before_published,
            per_file=True,
        ),
        WarningCode(
            "fact-after-edition",
            "fact",
            "a fact dated after the edition of a briefing that includes it",
            facts_after_edition,
            per_file=True,
        ),
        WarningCode(
            "stale-fact",
            "fact",
            "a fact last reviewed more than `stale_after_days` before a briefing's edition",
            stale_facts,
            per_file=True,
        ),
        WarningCode(
            "never-reviewed",
            "fact",
            "a fact with no `reviewed` in a briefing that sets `stale_after_days`",
            never_reviewed,
            per_file=True,
        ),
        WarningCode(
            "estimative-word",
            "fact",
            'a hedge ("may", "might", "could", "possibly", "perhaps") in a risk\'s text',
            hedged_risks,
            per_file=True,
        ),
        WarningCode(
            "todo",
            "fact",
            "text still holding a skeleton's TODO (from `briefgen new`) in a fact, source or actor",
            skeleton_todos,
            per_file=True,
        ),
        WarningCode(
            "no-glyph",
            "project",
            "a character no font of the theme has, which would print blank",
            missing_glyphs,
            per_file=True,
        ),
        WarningCode(
            "judgment-single-source",
            "briefing",
            "a judgment held with high confidence on facts with one independent source "
            "between them",
            judgment_single_source,
        ),
        WarningCode(
            "judgment-above-evidence",
            "briefing",
            "a judgment held with moderate confidence on facts all of low confidence",
            judgment_above_evidence,
        ),
        WarningCode(
            "judgment-without-shown-evidence",
            "briefing",
            "a judgment a briefing's `release` shows while withholding every fact it is based on",
            judgments_without_shown_evidence,
        ),
        # A filter's tags and actors are known only when every sheet was read.
        WarningCode(
            "filter-matches-nothing",
            "briefing",
            "a briefing's `include` names a tag or an actor that no fact carries",
            filters_matching_nothing,
            needs_every_file=True,
        ),
        WarningCode(
            "empty-briefing",
            "briefing",
            "a briefing that includes no facts",
            empty_briefings,
            needs_every_file=True,
        ),
        WarningCode(
            "no-facts",
            "project",
            "a project without any facts",
            no_facts,
            needs_every_file=True,
        ),
        WarningCode(
            "warnings-incomplete",
            "project",
            "a file does not parse, or part of facts/ cannot be read, so the warnings "
            "that depend on what it declares or cites are held back",
            incomplete,
        ),
        WarningCode(
            "unused-acknowledgment",
            "fact",
            "an `acknowledge:` entry whose warning no longer fires",
            _unused_acknowledgments,
            needs_every_file=True,
        ),
    )
}


def acknowledgeable() -> list[str]:
    """The codes a fact may name in `acknowledge:`."""
    return [
        code
        for code, w in WARNINGS.items()
        if w.subject == "fact" and code not in ("unused-acknowledgment", "todo")
    ]


def check_project(project: Project, tables: TableNames, *, sheets: bool = True) -> list[Problem]:
    """Every error in the project as a whole; warnings are in `analytic_warnings`.
    `tables` names what a briefing's `formats:` and `figures:` may list. Without
    `sheets`, the errors in each fact and source as written are left out: the
    editor's desk keeps them per file (`file_errors`)."""
    problems = list(check_references(project, tables, facts=sheets))
    problems += check_markings(project, sheets=sheets)
    problems += check_shared_judgments(project)
    if sheets:
        for raw in project.raw.get("facts", []):
            problems += _acknowledged_codes(raw)
    for raw in project.raw.get("briefings", []):
        problems += check_judgments(project, raw)
    return problems


def file_errors(project: Project, raw: Mapping[str, list[Placed[dict[str, Any]]]]) -> list[Problem]:
    """The errors in one file's facts and sources as written (`raw`, by kind), which
    `check_project` leaves out without `sheets`: what they reference, the warnings
    they acknowledge, their markings."""
    problems: list[Problem] = []
    for fact in raw.get("facts", []):
        problems += fact_references(project, fact)
        problems += _acknowledged_codes(fact)
    problems += item_markings(project, [*raw.get("sources", []), *raw.get("facts", [])])
    return problems


def analytic_warnings(project: Project) -> list[Problem]:
    """Every analytic warning not acknowledged: what is valid but weakens the briefings.

    Usage (is a source cited, an actor named) is read from the items as written,
    so a fact with an error elsewhere still counts as citing its sources. A
    warning about a fact that the fact acknowledges (`acknowledge:`, by its code)
    is left out; an acknowledgment whose warning does not fire is a warning itself.
    """
    return _run(WARNINGS.values(), WarningRun(project))


@dataclass(frozen=True)
class FileWarnings:
    """The per-file warnings about one file's items (`file_warnings`), and what the
    warnings of the whole need of them: which warnings about its facts fired, and
    how many of its facts each briefing includes."""

    problems: list[Problem]
    fired: frozenset[tuple[str, str]]
    included: dict[str, int]


def file_warnings(project: Project, part: Part) -> FileWarnings:
    """The warnings whose checks are `per_file`, about the items of `part` alone: the
    editor's desk keeps them for each file until an edit can change them."""
    run = WarningRun(project, part=part)
    problems = _run([w for w in WARNINGS.values() if w.per_file], run)
    included = {briefing_id: len(run.included(briefing_id)) for briefing_id in project.briefings}
    return FileWarnings(problems, frozenset(run.fired), included)


def project_warnings(
    project: Project, files: Iterable[FileWarnings], usage: Usage
) -> list[Problem]:
    """The warnings whose checks are not `per_file`, from what every file's run gave
    (`files`, one for each file of the project) and the `usage` of all its facts:
    with the files' own warnings, what `analytic_warnings` gives."""
    fired: set[tuple[str, str]] = set()
    included: Counter[str] = Counter()
    for found in files:
        fired |= found.fired
        included.update(found.included)
    run = WarningRun(project, usage_given=usage, included_counts=included, fired=fired)
    return _run([w for w in WARNINGS.values() if not w.per_file], run)


def _run(entries: Iterable[WarningCode], run: WarningRun) -> list[Problem]:
    """The warnings `entries` find in `run`, in order."""
    warnings: list[Problem] = []
    for entry in entries:
        if entry.needs_every_file and run.unreadable:
            continue
        for warning in entry.check(run):
            assert warning.code == entry.code, f"{entry.code}'s check gave {warning.code}"
            warnings.append(warning.as_warning())
    return warnings


def _acknowledged_codes(raw: Placed[dict[str, Any]]) -> Iterable[Problem]:
    """Each code a fact acknowledges names a warning a fact can have."""
    acknowledged = raw.item.get("acknowledge")
    if not isinstance(acknowledged, dict):
        return
    allowed = acknowledgeable()
    for code in acknowledged:
        if code in allowed:
            continue
        known = WARNINGS.get(code)
        if known is not None:
            message = f"'{code}' cannot be acknowledged on a fact"
            hint = (
                f"it is a warning about {known.subject}s; a fact acknowledges only warnings "
                "about itself"
                if known.subject != "fact"
                else "fix or remove the acknowledgment itself"
            )
        else:
            message = f"unknown warning code '{code}'"
            hint = did_you_mean(code, allowed) or (f"a fact can acknowledge {', '.join(allowed)}")
        yield raw.problem(
            "acknowledge", code, message=message, hint=hint, code="unknown-code", at_key=True
        )


__all__ = [
    "WARNINGS",
    "FileWarnings",
    "Part",
    "TableNames",
    "Usage",
    "WarningCode",
    "acknowledgeable",
    "analytic_warnings",
    "check_project",
    "file_errors",
    "file_warnings",
    "project_warnings",
    "usage_of",
]
