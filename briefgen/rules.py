"""Analytic rules: which facts a briefing includes, how many independent sources a fact
has, and when it is stale.

Both checks.py (the warnings) and assemble.py (what the reader sees) apply these,
so a warning and the page can never disagree about a fact.
"""

from __future__ import annotations

import datetime as dt

from .model import Briefing, Fact, Source
from .project import Project


def included_facts(project: Project, briefing: Briefing) -> list[Fact]:
    """The facts a briefing's `include` filter and section list let through."""
    wanted = set(briefing.sections or project.sections)
    include = briefing.include
    chosen = []
    for placed in project.facts.values():
        fact = placed.item
        if project.fact_section.get(fact.id) not in wanted:
            continue
        if include is not None:
            if include.tags is not None and not set(include.tags) & set(fact.tags):
                continue
            if include.actors is not None and not set(include.actors) & set(fact.named_actors()):
                continue
            # A window names whole periods: `until: 2024-06` takes in 19 June, and a
            # fact dated `2024` reaches into `since: 2024-06`.
            if include.since is not None and fact.end.last_day < include.since.first_day:
                continue
            if include.until is not None and fact.start.first_day > include.until.last_day:
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
