"""Analytic rules: which facts a briefing includes, how many independent sources a fact
has, and when it is stale.

Both checks.py (the warnings) and assemble.py (what the reader sees) apply these,
so a warning and the page can never disagree about a fact.
"""

from __future__ import annotations

import datetime as dt

from .kinds import named_actors
from .load import Project
from .model import Briefing, Fact, Source


def included_facts(project: Project, briefing: Briefing) -> list[Fact]:
    """The facts a briefing's `include` filter and section list let through."""
    wanted = set(briefing.sections or project.sections)
    include = briefing.include
    tags = actors = None
    since = until = None
    if include is not None:
        tags = set(include.tags) if include.tags is not None else None
        actors = set(include.actors) if include.actors is not None else None
        # A window names whole periods: `until: 2024-06` takes in 19 June, and a
        # fact dated `2024` reaches into `since: 2024-06`.
        since = include.since.first_day if include.since is not None else None
        until = include.until.last_day if include.until is not None else None
    chosen = []
    for placed in project.facts.values():  # asked once per briefing of 10,000 facts
        fact = placed.item
        if project.fact_section.get(fact.id) not in wanted:
            continue
        if tags is not None and tags.isdisjoint(fact.tags):
            continue
        if actors is not None and actors.isdisjoint(named_actors(fact)):
            continue
        if since is not None and fact.end.last_day < since:
            continue
        if until is not None and fact.start.first_day > until:
            continue
        chosen.append(fact)
    return chosen


def is_stale(fact: Fact, briefing: Briefing) -> bool:
    """Last reviewed longer than `stale_after_days` before the edition, or never."""
    if briefing.stale_after_days is None:
        return False
    if fact.reviewed is None:
        return True
    age = briefing.edition.first_day - fact.reviewed.first_day
    return age > dt.timedelta(days=briefing.stale_after_days)


def independent_count(fact: Fact, sources: dict[str, Source]) -> int:
    """Sources that share an `origin` count once; a source with none is its own origin."""
    return len({_origin(citation.source, sources) for citation in fact.sources})


def _origin(source_id: str, sources: dict[str, Source]) -> str:
    source = sources.get(source_id)
    if source is not None and source.origin is not None:
        return source.origin
    # The prefix keeps a source's own id apart from an origin of the same name.
    return f"source:{source_id}"
