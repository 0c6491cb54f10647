"""Key judgments: checking what each written judgment rests on.

A briefing's `judgments` name the facts they are based on. A reference to a
fact that does not exist, or that the briefing leaves out, is an error (the
reader could not follow it); a judgment held with more confidence than its
facts can carry is an analytic warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import Problem
from ..load import Placed, Project
from ..model import Briefing, Fact, Judgment, Source
from ..rules import briefing_judgments, independent_origins, left_out_by
from ..wording import did_you_mean
from .warnings import WarningRun


def check_judgments(project: Project, raw: Placed[dict[str, Any]]) -> Iterable[Problem]:
    """Errors in the `based_on` of one briefing's judgments, as written: unknown
    facts, and facts the briefing leaves out (saying which filter does)."""
    judgments = raw.item.get("judgments")
    if not isinstance(judgments, list):
        return
    placed = project.briefings.get(str(raw.item.get("id")))
    # The briefing's filter can only be read from a valid briefing; and a fact with
    # an error elsewhere cannot be tested against it.
    briefing = placed.item if placed is not None and placed.file is raw.file else None
    for number, judgment in enumerate(judgments, start=1):
        if isinstance(judgment, str):  # FORMAT 1.2: a shared judgment, by its id
            yield from _shared_reference(project, raw, number, judgment, briefing)
            continue
        based_on = judgment.get("based_on") if isinstance(judgment, dict) else None
        yield from _based_on(project, raw, ("judgments", number - 1), number, based_on, briefing)


def check_shared_judgments(project: Project) -> Iterable[Problem]:
    """Unknown facts in the `based_on` of briefgen.yaml's shared judgments (FORMAT
    1.2); what each briefing leaves out is checked where the briefing names them."""
    for index, raw in enumerate(project.raw.get("judgments", [])):
        label = f"shared judgment '{raw.item.get('id')}'" if raw.item.get("id") else None
        yield from _based_on(
            project, raw, (), index + 1, raw.item.get("based_on"), None, label=label
        )


def _shared_reference(
    project: Project,
    raw: Placed[dict[str, Any]],
    number: int,
    judgment_id: str,
    briefing: Briefing | None,
) -> Iterable[Problem]:
    shared = project.declared.get("judgments", {})
    if judgment_id not in shared:
        yield raw.problem(
            "judgments",
            number - 1,
            message=f"judgment {number} names unknown shared judgment '{judgment_id}'",
            hint=did_you_mean(judgment_id, sorted(shared))
            or "name a judgment declared under the top-level 'judgments:' of briefgen.yaml",
            code="unknown-reference",
        )
        return
    if briefing is None:
        return
    placed = project.judgments.get(judgment_id)
    if placed is None:
        return
    for fact_id in placed.item.based_on:
        fact = project.facts.get(fact_id)
        reason = left_out_by(project, briefing, fact.item) if fact is not None else None
        if reason is not None:
            yield raw.problem(
                "judgments",
                number - 1,
                message=f"judgment {number} ('{judgment_id}') is based on fact '{fact_id}', "
                f"which briefing '{briefing.id}' leaves out: {reason}",
                hint="base the judgment on facts the briefing shows, or widen its filter",
                code="judgment-fact-left-out",
            )


def _based_on(
    project: Project,
    raw: Placed[dict[str, Any]],
    at: tuple[str | int, ...],
    number: int,
    based_on: Any,
    briefing: Briefing | None,
    label: str | None = None,
) -> Iterable[Problem]:
    """Unknown facts, and facts `briefing` leaves out, in one judgment's `based_on`."""
    if not isinstance(based_on, list):
        return
    declared = project.declared.get("facts", {})
    unreadable = project.unreadable_sheet
    label = label or f"judgment {number}"
    for index, fact_id in enumerate(based_on):
        if not isinstance(fact_id, str):
            continue
        where = (*at, "based_on", index)
        if fact_id not in declared:
            if unreadable:
                continue  # it may be declared in the sheet that did not parse
            hint = did_you_mean(fact_id, sorted(declared)) or (
                "based_on lists ids of facts declared in fact sheets"
            )
            yield raw.problem(
                *where,
                message=f"{label} is based on unknown fact '{fact_id}'",
                hint=hint,
                code="unknown-reference",
            )
            continue
        fact = project.facts.get(fact_id)
        if briefing is None or fact is None:
            continue
        reason = left_out_by(project, briefing, fact.item)
        if reason is not None:
            yield raw.problem(
                *where,
                message=f"{label} is based on fact '{fact_id}', which briefing "
                f"'{briefing.id}' leaves out: {reason}",
                hint="base the judgment on facts the briefing shows, or widen its filter",
                code="judgment-fact-left-out",
            )


def _judgments(run: WarningRun) -> Iterable[tuple[str, Placed[Any], int, Judgment, list[Fact]]]:
    """Each judgment of each briefing whose facts all exist (else an error already says
    what is wrong with it): briefing id, placed briefing, index, judgment, facts."""
    facts = run.project.facts
    for briefing_id, placed in run.project.briefings.items():
        for index, judgment in enumerate(briefing_judgments(run.project, placed.item)):
            based_on = [facts[f].item for f in judgment.based_on if f in facts]
            if len(based_on) == len(judgment.based_on):
                yield briefing_id, placed, index, judgment, based_on


def judgment_single_source(run: WarningRun) -> Iterable[Problem]:
    """A judgment held with high confidence on facts with one independent source
    between them."""
    for briefing_id, placed, index, judgment, facts in _judgments(run):
        if judgment.confidence == "high" and _origins(facts, run.sources) == 1:
            yield placed.problem(
                "judgments",
                index,
                "confidence",
                message=f"judgment {index + 1} of briefing '{briefing_id}' has high "
                "confidence but its facts have one independent source between them",
                hint="ICD 203 high confidence rests on several independent sources; base "
                "it on independently sourced facts or lower the confidence",
                code="judgment-single-source",
            )


def judgment_above_evidence(run: WarningRun) -> Iterable[Problem]:
    """A judgment held with moderate confidence on facts that are all of low confidence."""
    for briefing_id, placed, index, judgment, facts in _judgments(run):
        if judgment.confidence == "moderate" and all(f.confidence == "low" for f in facts):
            yield placed.problem(
                "judgments",
                index,
                "confidence",
                message=f"judgment {index + 1} of briefing '{briefing_id}' has moderate "
                "confidence but every fact it is based on has low confidence",
                hint="a judgment cannot be held more firmly than all of its evidence; "
                "lower it to low, or base it on firmer facts",
                code="judgment-above-evidence",
            )


def _origins(facts: list[Fact], sources: dict[str, Source]) -> int:
    return len(set().union(*(independent_origins(f, sources) for f in facts)))
