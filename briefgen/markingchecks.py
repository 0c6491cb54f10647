"""Markings checked (FORMAT 1.2): names the scheme knows, facts not marked below their
sources, released judgments that keep some evidence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import Problem
from .load import Placed, Project
from .markings import fact_marking, source_marking
from .messages import did_you_mean
from .rules import briefing_judgments, project_scheme, withheld


def check_markings(project: Project) -> list[Problem]:
    """Errors: a marking or release the project's scheme does not know."""
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
    for kind in ("sources", "facts", "judgments"):
        for raw in project.raw.get(kind, []):
            check(raw, raw.item.get("marking"), "marking")
    for raw in project.raw.get("briefings", []):
        check(raw, raw.item.get("release"), "release")
        for index, entry in enumerate(raw.item.get("judgments") or ()):
            if isinstance(entry, dict):
                check(raw, entry.get("marking"), "judgments", index, "marking")
    return problems


def marking_warnings(project: Project) -> Iterable[Problem]:
    """A fact marked lower than a source it cites; a released judgment none of whose
    evidence the release shows."""
    scheme = project_scheme(project)
    if not scheme.used:
        return
    sources = {key: placed.item for key, placed in project.sources.items()}
    for placed in project.facts.values():
        fact = placed.item
        if fact.marking is None:
            continue
        for index, citation in enumerate(fact.sources):
            source = sources.get(citation.source)
            if source is None:
                continue
            marking = source_marking(scheme, source)
            if scheme.rank(marking) > scheme.rank(fact.marking):
                yield placed.problem(
                    "marking",
                    message=f"fact '{fact.id}' is marked {fact.marking}, below its source "
                    f"'{source.id}' ({marking}); it is handled as {marking}",
                    hint=f"mark the fact {marking} or higher, or cite a source it may carry "
                    f"(sources[{index}])",
                    code="marked-below-source",
                )
    fact_markings = {
        key: fact_marking(scheme, placed.item, sources) for key, placed in project.facts.items()
    }
    for placed in project.briefings.values():
        briefing = placed.item
        if briefing.release is None:
            continue
        hidden = withheld(project, briefing)
        for index, judgment in enumerate(briefing_judgments(project, briefing)):
            if index in hidden.judgments:
                continue
            shown = [f for f in judgment.based_on if f in fact_markings and f not in hidden.facts]
            if not shown:
                yield placed.problem(
                    "judgments",
                    index,
                    message=f"judgment {index + 1} of '{briefing.id}' is released at "
                    f"{briefing.release} but none of the facts it is based on is",
                    hint="base it on a fact the release shows, or mark it above the release "
                    "so it is withheld",
                    code="judgment-without-shown-evidence",
                )


__all__ = ["check_markings", "marking_warnings"]
