"""Scope: what a filtered briefing covers, in words, and filters that let nothing through.

An extract that does not say what it leaves out reads as the whole picture;
a filter with a misspelt tag silently makes a briefing of nothing. So the
title block states the filter, and a filter naming a tag or an actor that no
fact carries, a briefing left with no facts, and a project with no facts at
all are analytic warnings.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import Problem
from ..kinds import names_in_words
from ..load import Placed, Project
from ..model import Briefing
from ..wording import did_you_mean, join_words
from .warnings import WarningRun


def describe_scope(project: Project, briefing: Briefing) -> str | None:
    """The briefing's filter in words ("facts tagged air-defence or technology, dated
    January 2024 or later"), or None when it takes in every fact."""
    parts = []
    include = briefing.include
    if include is not None:
        if include.tags is not None:
            parts.append(f"tagged {join_words(include.tags, 'or')}")
        if include.actors is not None:
            names = [_actor_name(project, actor) for actor in include.actors]
            parts.append(f"naming {join_words(names, 'or')}")
        since, until = include.since, include.until
        if since is not None and until is not None:
            parts.append(f"dated {since.display()} to {until.display()}")
        elif since is not None:
            parts.append(f"dated {since.display()} or later")
        elif until is not None:
            parts.append(f"dated {until.display()} or earlier")
    # Whenever the briefing names its sections, not only when it names fewer than the
    # project has: its PDF carries only the sections it shows (projection.py), and the
    # project rebuilt from it must state the same scope.
    if briefing.sections is not None:
        titles = [
            project.sections[s].item.title for s in briefing.sections if s in project.sections
        ]
        noun = "section" if len(titles) == 1 else "sections"
        parts.append(f"in the {noun} {join_words(titles)}")
    return "facts " + ", ".join(parts) if parts else None


def _actor_name(project: Project, actor_id: str) -> str:
    placed = project.actors.get(actor_id)
    return placed.item.name if placed is not None else actor_id


def _nothing_to_scope(project: Project) -> bool:
    """Without briefgen.yaml, or without any fact (then `no-facts` says so)."""
    if project.config_file.problems:
        return True
    return not project.raw.get("facts") and not project.unreadable_sheet


def no_facts(run: WarningRun) -> Iterable[Problem]:
    """A project with no facts at all."""
    project = run.project
    if project.config_file.problems or project.unreadable_sheet:
        return
    if not project.raw.get("facts"):
        # At the top of briefgen.yaml: facts/ may not exist, and a problem names a file.
        yield Problem(
            project.config_file.path,
            1,
            1,
            "the project has no facts yet, so every briefing is empty",
            "add a fact sheet under facts/, e.g. with 'briefgen new fact --sheet facts/main.yaml'",
            code="no-facts",
        )


def filters_matching_nothing(run: WarningRun) -> Iterable[Problem]:
    """Filters naming a tag or actor no fact carries."""
    project = run.project
    if _nothing_to_scope(project):
        return
    tags, actors = run.usage.tags, run.usage.actors
    for briefing_id, placed in project.briefings.items():
        include = placed.item.include
        if include is not None:
            for index, tag in enumerate(include.tags or []):
                if tag not in tags:
                    yield placed.problem(
                        "include",
                        "tags",
                        index,
                        message=f"briefing '{briefing_id}' includes facts tagged '{tag}', "
                        "but no fact carries that tag",
                        hint=did_you_mean(tag, sorted(tags))
                        or "check the spelling against the tags the facts use",
                        code="filter-matches-nothing",
                    )
            for index, actor in enumerate(include.actors or []):
                # An actor that is not declared at all is an error, reported elsewhere.
                if actor not in actors and actor in project.actors:
                    yield placed.problem(
                        "include",
                        "actors",
                        index,
                        message=f"briefing '{briefing_id}' includes facts naming actor "
                        f"'{actor}', but no fact names it",
                        hint=f"name the actor in a fact's actors, "
                        f"{names_in_words('or', True)}, or remove it from the filter",
                        code="filter-matches-nothing",
                    )


def empty_briefings(run: WarningRun) -> Iterable[Problem]:
    """Briefings left with no facts."""
    project = run.project
    if _nothing_to_scope(project):
        return
    # A fact with an error is in no briefing yet; its error comes first.
    all_valid = len(project.facts) == len(project.raw.get("facts", [])) and (
        not project.unreadable_sheet
    )
    if not (project.facts and all_valid):
        return
    for briefing_id, placed in project.briefings.items():
        if not run.includes_any(briefing_id):
            yield _empty(project, briefing_id, placed)


def _empty(project: Project, briefing_id: str, placed: Placed[Briefing]) -> Problem:
    """The warning for a briefing that includes no facts, at what leaves them out."""
    briefing = placed.item
    sections = briefing.sections or list(project.sections)
    in_sections = sum(project.fact_section.get(f) in sections for f in project.facts)
    if in_sections:  # then the filter leaves them out
        where, hint = "include", f"its filter leaves out all {in_sections} facts of its sections"
    else:
        where = "sections" if briefing.sections else "id"
        hint = f"no fact is in its sections ({', '.join(sections)})"
    return placed.problem(
        where,
        message=f"briefing '{briefing_id}' includes no facts",
        hint=f"{hint}; widen them, or remove the briefing",
        code="empty-briefing",
        at_key=True,
    )
