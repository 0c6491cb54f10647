"""Markings (FORMAT 1.2): names the project's scheme knows (errors), a fact marked
below a source it cites and a released judgment left with no shown evidence
(warnings)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import Problem
from ..load import Placed, Project
from ..markings import source_marking
from ..rules import briefing_judgments, fact_markings, project_scheme, withheld
from ..wording import did_you_mean
from .warnings import WarningRun


def check_markings(project: Project, *, sheets: bool = True) -> list[Problem]:
    """Errors: a marking or release the project's scheme does not know; without
    `sheets`, not those of the sources and facts (`item_markings`)."""
    scheme = project_scheme(project)
    known = list(scheme.names)
    problems: list[Problem] = []

    def check(placed: Placed[Any], value: Any, *keys: str | int) -> None:
        if isinstance(value, str) and value not in known:
            hint = did_you_mean(value, known) or f"the markings are {', '.join(known)}"
            problems.append(
                placed.problem(
                    *keys,
                    message=f"unknown marking '{value}'",
                    hint=hint,
                    code="unknown-marking",
                )
            )

    settings = project.settings
    check(settings, settings.item.default_marking, "default_marking")
    for kind in ("sources", "facts", "judgments") if sheets else ("judgments",):
        for raw in project.raw.get(kind, []):
            check(raw, raw.item.get("marking"), "marking")
    for raw in project.raw.get("briefings", []):
        check(raw, raw.item.get("release"), "release")
        for index, entry in enumerate(raw.item.get("judgments") or ()):
            if isinstance(entry, dict):
                check(raw, entry.get("marking"), "judgments", index, "marking")
    return problems


def item_markings(project: Project, raws: Iterable[Placed[dict[str, Any]]]) -> list[Problem]:
    """Errors: the markings of `raws` (items as written) the project's scheme does
    not know."""
    known = list(project_scheme(project).names)
    return [
        raw.problem(
            "marking",
            message=f"unknown marking '{value}'",
            hint=did_you_mean(value, known) or f"the markings are {', '.join(known)}",
            code="unknown-marking",
        )
        for raw in raws
        if isinstance(value := raw.item.get("marking"), str) and value not in known
    ]


def marked_below_source(run: WarningRun) -> Iterable[Problem]:
    """A fact marked lower than a source it cites: it is handled at the source's."""
    scheme = project_scheme(run.project)
    for placed in run.checked_facts.values():
        fact = placed.item
        if fact.marking is None:
            continue
        for citation in fact.sources:
            source = run.sources.get(citation.source)
            if source is None:
                continue
            marking = source_marking(scheme, source)
            if scheme.rank(marking) > scheme.rank(fact.marking):
                yield from run.about(
                    fact.id,
                    placed.problem(
                        "marking",
                        message=f"fact '{fact.id}' is marked {fact.marking}, below its source "
                        f"'{source.id}' ({marking}); it is handled as {marking}",
                        hint=f"mark the fact {marking} or higher, or cite a source marked "
                        f"{fact.marking} or lower",
                        code="marked-below-source",
                    ),
                )
                break  # one warning a fact: the highest source says it all


def judgments_without_shown_evidence(run: WarningRun) -> Iterable[Problem]:
    """A judgment a release shows while withholding every fact it is based on."""
    project = run.project
    markings = fact_markings(project)
    for placed in project.briefings.values():
        briefing = placed.item
        if briefing.release is None:
            continue
        hidden = withheld(project, briefing)
        for index, judgment in enumerate(briefing_judgments(project, briefing)):
            if index in hidden.judgments:
                continue
            if all(f not in markings or f in hidden.facts for f in judgment.based_on):
                yield placed.problem(
                    "judgments",
                    index,
                    message=f"judgment {index + 1} of briefing '{briefing.id}' is shown at "
                    f"release {briefing.release}, but every fact it is based on is withheld",
                    hint="base it on a fact the release shows, or mark the judgment above "
                    "the release so that it is withheld too",
                    code="judgment-without-shown-evidence",
                )


__all__ = [
    "check_markings",
    "item_markings",
    "judgments_without_shown_evidence",
    "marked_below_source",
]
