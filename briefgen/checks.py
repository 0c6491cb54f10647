"""Checking: what no single file can know. Unique ids, references that resolve,
and the rules that span fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import Problem
from .project import Placed, Project, did_you_mean

_KIND_NAMES = {
    "facts": "fact",
    "sources": "source",
    "actors": "actor",
    "sections": "section",
    "briefings": "briefing",
}


def check_project(project: Project) -> list[Problem]:
    """Every error in the project as a whole; warnings are in `analytic_warnings`.

    References are checked on the items as written, valid or not, so one
    mistake in a fact does not hide another.
    """
    problems: list[Problem] = []
    problems += _duplicate_ids(project)
    problems += _sheet_sections(project)
    for raw in project.raw.get("facts", []):
        problems += _fact_references(project, raw)
    for raw in project.raw.get("briefings", []):
        problems += _briefing_references(project, raw)
    return problems


Raw = Placed[dict[str, Any]]


def _duplicate_ids(project: Project) -> Iterable[Problem]:
    for kind, ids in project.declared.items():
        for item_id, places in ids.items():
            first = places[0]
            first_line, first_column = first.file.positions.of((*first.path, "id"))
            for place in places[1:]:
                yield place.problem(
                    "id",
                    message=f"duplicate {_KIND_NAMES[kind]} id '{item_id}'",
                    hint=f"first declared at {first.file.path}:{first_line}:{first_column}; "
                    f"ids are unique across the project",
                    code="duplicate-id",
                )


def _unknown(
    project: Project, kind: str, item_id: str, placed: Placed[Any], *keys: str | int
) -> Problem:
    known = sorted(project.declared.get(kind, {}))
    hint = did_you_mean(item_id, known)
    if hint is None:
        if kind == "sections":
            hint = (
                f"sections are declared in briefgen.yaml: {', '.join(known)}"
                if known
                else "declare sections in briefgen.yaml"
            )
        else:
            hint = f"declare it under '{kind}:' in a fact sheet"
    return placed.problem(
        *keys,
        message=f"unknown {_KIND_NAMES[kind]} '{item_id}'",
        hint=hint,
        code="unknown-reference",
    )


def _ids(value: Any) -> list[tuple[int, str]]:
    """The string entries of a list as written, with their indexes; anything else
    is the model's to report."""
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, str)]


def _sheet_sections(project: Project) -> Iterable[Problem]:
    for placed in project.sheet_section.values():
        section = placed.item.section
        if section is not None and section not in project.declared.get("sections", {}):
            yield _unknown(project, "sections", section, placed, "section")


def _fact_references(project: Project, raw: Raw) -> Iterable[Problem]:
    fact = raw.item
    fact_id = fact.get("id")
    sources = project.declared.get("sources", {})
    actors = project.declared.get("actors", {})

    if isinstance(fact_id, str):
        section = project.fact_section.get(fact_id)
        if section is None and "section" not in fact:
            yield raw.problem(
                message=f"fact '{fact_id}' has no section",
                hint="add 'section:' to the fact, or a default 'section:' at the top of its sheet",
                code="no-section",
            )
    section = fact.get("section")
    if isinstance(section, str) and section not in project.declared.get("sections", {}):
        yield _unknown(project, "sections", section, raw, "section")

    citations = fact.get("sources")
    for index, citation in enumerate(citations if isinstance(citations, list) else []):
        cited = citation.get("source") if isinstance(citation, dict) else None
        if isinstance(cited, str) and cited not in sources:
            yield _unknown(project, "sources", cited, raw, "sources", index, "source")
    for index, actor in _ids(fact.get("actors")):
        if actor not in actors:
            yield _unknown(project, "actors", actor, raw, "actors", index)
    flow = fact.get("flow")
    if isinstance(flow, dict):
        for key in ("from", "to"):
            end = flow.get(key)
            if isinstance(end, str) and end not in actors:
                yield _unknown(project, "actors", end, raw, "flow", key)
    agreement = fact.get("agreement")
    if isinstance(agreement, dict):
        for index, actor in _ids(agreement.get("parties")):
            if actor not in actors:
                yield _unknown(project, "actors", actor, raw, "agreement", "parties", index)

    kinds = [k for k in ("flow", "agreement", "risk") if fact.get(k) is not None]
    for extra in kinds[1:]:
        yield raw.problem(
            extra,
            message=f"a fact has at most one of flow, agreement and risk; this one also has "
            f"'{kinds[0]}'",
            hint="split it into two facts",
            code="exclusive",
            at_key=True,
        )


def _briefing_references(project: Project, raw: Raw) -> Iterable[Problem]:
    briefing = raw.item
    seen: set[str] = set()
    for index, section in _ids(briefing.get("sections")):
        if section not in project.declared.get("sections", {}):
            yield _unknown(project, "sections", section, raw, "sections", index)
        elif section in seen:
            yield raw.problem(
                "sections",
                index,
                message=f"section '{section}' is listed twice",
                hint="list each section once",
                code="duplicate",
            )
        seen.add(section)
    include = briefing.get("include")
    if isinstance(include, dict):
        for index, actor in _ids(include.get("actors")):
            if actor not in project.declared.get("actors", {}):
                yield _unknown(project, "actors", actor, raw, "include", "actors", index)
    placed = project.briefings.get(str(briefing.get("id")))
    if placed is None or placed.item.include is None:
        return
    since, until = placed.item.include.since, placed.item.include.until
    if since and until and until.first_day < since.first_day:
        yield placed.problem(
            "include",
            "until",
            message=f"'until' ({until}) is before 'since' ({since})",
            hint="a briefing's include window runs forwards",
            code="range",
        )
