"""Analytic rules: which facts a briefing includes (and why it leaves one out), in what
order, how many independent sources a fact has, and when it is stale.

Both checks/ (the warnings) and assemble.py (what the reader sees) apply these,
so a warning and the page can never disagree about a fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .kinds import named_actors
from .load import Placed, Project
from .markings import Scheme, fact_marking, judgment_marking, scheme_of, source_marking
from .model import CREDIBLE_GRADES, RELIABLE_GRADES, Briefing, Fact, Judgment, Source


def project_scheme(project: Project) -> Scheme:
    """The project's markings (markings.py), worked out once per project. Markings
    are in use once anything names one: briefgen.yaml, a release, or any item."""
    cached: Scheme | None = project.__dict__.get("_scheme")
    if cached is None:
        settings = project.settings.item
        used = (
            settings.default_marking is not None
            or any(p.item.release is not None for p in project.briefings.values())
            or any(
                j.marking is not None
                for b in project.briefings.values()
                for j in briefing_judgments(project, b.item)
            )
            or any(p.item.marking is not None for p in project.judgments.values())
            or any(p.item.marking is not None for p in project.facts.values())
            or any(p.item.marking is not None for p in project.sources.values())
        )
        cached = project.__dict__["_scheme"] = scheme_of(settings, used)
    return cached


@dataclass(frozen=True)
class Withheld:
    """What a briefing's `release:` keeps out of every output, by id (judgments by
    their place in the briefing's list)."""

    facts: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    judgments: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.facts or self.sources or self.judgments)


def fact_markings(project: Project, known: dict[str, str] | None = None) -> dict[str, str]:
    """Each fact's marking as handled (markings.fact_marking), worked out once per
    project: the releases, the view's portion marks and the checks all ask. The
    editor's desk, which keeps each file's, gives them as `known` before anything asks."""
    cached: dict[str, str] | None = project.__dict__.get("_fact_markings")
    if cached is None:
        if known is None:
            known = markings_of(project, project.facts.values())
        cached = project.__dict__["_fact_markings"] = known
    return cached


def markings_of(project: Project, facts: Iterable[Placed[Fact]]) -> dict[str, str]:
    """The marking as handled of each of `facts`, by id."""
    scheme = project_scheme(project)
    sources = {key: placed.item for key, placed in project.sources.items()}
    return {placed.item.id: fact_marking(scheme, placed.item, sources) for placed in facts}


def withheld(project: Project, briefing: Briefing) -> Withheld:
    """The sources, facts and judgments marked above the briefing's release, worked
    out once per briefing (included_facts asks for every briefing it filters)."""
    if briefing.release is None:
        return Withheld()
    cache: dict[str, Withheld] = project.__dict__.setdefault("_withheld", {})
    if briefing.id not in cache:
        cache[briefing.id] = _withheld(project, briefing)
    return cache[briefing.id]


def _withheld(project: Project, briefing: Briefing) -> Withheld:
    assert briefing.release is not None
    scheme = project_scheme(project)
    sources = {key: placed.item for key, placed in project.sources.items()}
    markings = fact_markings(project)
    return Withheld(
        facts=frozenset(k for k, m in markings.items() if scheme.above(m, briefing.release)),
        sources=frozenset(
            k
            for k, s in sources.items()
            if scheme.above(source_marking(scheme, s), briefing.release)
        ),
        judgments=frozenset(
            index
            for index, judgment in enumerate(briefing_judgments(project, briefing))
            if scheme.above(judgment_marking(scheme, judgment, markings), briefing.release)
        ),
    )


def briefing_judgments(project: Project, briefing: Briefing) -> list[Judgment]:
    """The briefing's judgments in its order, shared ones (named by id) looked up in
    briefgen.yaml's `judgments`; an unknown id is left out (the checks report it)."""
    shared = {key: placed.item for key, placed in project.judgments.items()}
    return [
        entry if isinstance(entry, Judgment) else shared[entry]
        for entry in briefing.judgments or ()
        if isinstance(entry, Judgment) or entry in shared
    ]


def shown_judgments(project: Project, briefing: Briefing) -> list[Judgment]:
    """The judgments a reader sees: the briefing's, less those its release withholds."""
    hidden = withheld(project, briefing).judgments
    return [j for i, j in enumerate(briefing_judgments(project, briefing)) if i not in hidden]


def included_facts(
    project: Project, briefing: Briefing, facts: Iterable[Placed[Fact]] | None = None
) -> list[Fact]:
    """The facts a briefing's `include` filter and section list let through, less
    withdrawn facts and those its release withholds; of `facts` (some of the
    project's: the editor's desk asks a sheet at a time), else of all of them."""
    hidden = withheld(project, briefing).facts
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
    # Asked once per briefing of 10,000 facts.
    for placed in project.facts.values() if facts is None else facts:
        fact = placed.item
        if project.fact_section.get(fact.id) not in wanted:
            continue
        if fact.withdrawn is not None or fact.id in hidden:
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


def left_out_by(project: Project, briefing: Briefing, fact: Fact) -> str | None:
    """Why `briefing` leaves `fact` out, naming the filter in words; None when it is in.

    The same tests as `included_facts`, one fact at a time, for messages only.
    """
    if fact.withdrawn is not None:
        return f"it was withdrawn on {fact.withdrawn.date}: {fact.withdrawn.reason}"
    section = project.fact_section.get(fact.id)
    if briefing.sections is not None and section not in briefing.sections:
        return (
            f"its section, {section}, is not among the briefing's sections "
            f"({', '.join(briefing.sections)})"
        )
    include = briefing.include
    if include is None:
        return None
    if include.tags is not None and set(include.tags).isdisjoint(fact.tags):
        tagged = f"is tagged {', '.join(fact.tags)}" if fact.tags else "has no tags"
        return f"include.tags lets in {' or '.join(include.tags)}; the fact {tagged}"
    named = named_actors(fact)
    if include.actors is not None and set(include.actors).isdisjoint(named):
        names = f"names {', '.join(named)}" if named else "names no actor"
        return f"include.actors lets in {' or '.join(include.actors)}; the fact {names}"
    dated = str(fact.start) if fact.start == fact.end else f"{fact.start} to {fact.end}"
    if include.since is not None and fact.end.last_day < include.since.first_day:
        return f"include.since is {include.since}; the fact is dated {dated}"
    if include.until is not None and fact.start.first_day > include.until.last_day:
        return f"include.until is {include.until}; the fact is dated {dated}"
    return None


def order_facts(facts: list[Fact], order: str) -> list[Fact]:
    """`facts` (as `included_facts` gives them: as written) in a briefing's `order`."""
    if order == "as-written":
        return list(facts)
    # A range counts by its end, the latest thing it says; ties keep a stable,
    # readable order.
    return sorted(
        facts,
        key=lambda f: (f.end.first_day, f.start.first_day),
        reverse=order == "newest-first",
    )


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
    return len(independent_origins(fact, sources))


def independent_origins(fact: Fact, sources: dict[str, Source]) -> set[str]:
    """The origins of a fact's sources: facts whose origins overlap share evidence."""
    return {_origin(citation.source, sources) for citation in fact.sources}


def leans_on(source: Source, credibility: int) -> bool:
    """A citation a reader can lean on: a source rated A–C giving information rated 1–3.
    Only these count as corroboration on the page; the others "also report" a fact."""
    return source.reliability in RELIABLE_GRADES and credibility in CREDIBLE_GRADES


def reliable_origins(fact: Fact, sources: dict[str, Source]) -> set[str]:
    """The origins of the citations of a fact a reader can lean on (`leans_on`)."""
    return {
        _origin(c.source, sources)
        for c in fact.sources
        if c.source in sources and leans_on(sources[c.source], c.credibility)
    }


def _origin(source_id: str, sources: dict[str, Source]) -> str:
    source = sources.get(source_id)
    if source is not None and source.origin is not None:
        return source.origin
    # The prefix keeps a source's own id apart from an origin of the same name.
    return f"source:{source_id}"
