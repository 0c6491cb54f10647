"""Analytic warnings: what is valid but weakens a briefing, each with its check.

What is allowed but weakens a briefing: a reader would be misled, or an analyst
has left something half done. Warnings never stop a build unless --strict asks
them to. Each code's check is a function of a `WarningRun`; the table of codes
(`WARNINGS`, in checks/__init__.py) names each check beside its code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import Problem
from ..fonts import describe, unprintable
from ..kinds import names_in_words, written_actors
from ..load import Placed, Project
from ..model import Briefing, DateRange, Fact, Source
from ..rules import included_facts, independent_count, is_stale
from ..yamlfile import YamlFile
from .references import listed_ids

# What a warning is about, and so where it is located: a fact can acknowledge only
# warnings about itself.
Subject = Literal["fact", "source", "actor", "briefing", "project"]


@dataclass(frozen=True)
class Part:
    """One file and the facts and sources written in it that the project holds (the
    first of several with one id): what the per-file checks look at when the editor's
    desk checks a file at a time (`WarningCode.per_file`)."""

    file: YamlFile
    facts: dict[str, Placed[Fact]]
    sources: dict[str, Placed[Source]]


@dataclass(frozen=True)
class Usage:
    """What the facts as written cite and name, for the warnings about what nothing
    uses: kept per file by the editor's desk and joined with `|`."""

    cited: frozenset[str] = frozenset()  # source ids
    actors: frozenset[str] = frozenset()  # in `actors:` lists and the kinds' fields
    tags: frozenset[str] = frozenset()

    def __or__(self, other: Usage) -> Usage:
        return Usage(self.cited | other.cited, self.actors | other.actors, self.tags | other.tags)


def usage_of(raw_facts: Iterable[dict[str, Any]]) -> Usage:
    """The sources, actors and tags `raw_facts` (as written) cite and name. Usage is
    read from the items as written, so a fact with an error elsewhere still counts."""
    cited: set[str] = set()
    actors: set[str] = set()
    tags: set[str] = set()
    for fact in raw_facts:
        citations = fact.get("sources")
        if isinstance(citations, list):
            # A bare id (the `sources: [a, b]` shorthand, an error of its own) cites it too:
            # no follow-on warning.
            sources = (
                c.get("source") if isinstance(c, dict) else c
                for c in citations
                if isinstance(c, dict | str)
            )
            # Only text can be a source id (a list is unhashable); the model reports the rest.
            cited.update(s for s in sources if isinstance(s, str))
        actors.update(actor for _, actor in listed_ids(fact.get("actors")))
        # As rules.py reads the validated fact, so a filter and its warning agree.
        actors.update(actor for actor, _ in written_actors(fact))
        tags.update(tag for _, tag in listed_ids(fact.get("tags")))
    return Usage(frozenset(cited), frozenset(actors), frozenset(tags))


@dataclass
class WarningRun:
    """One run of the warnings over a project: what the checks share, and which
    warnings about facts have fired so far (acknowledged or not).

    With `part`, the per-file checks look at that file's items alone; with `usage`
    and `included_counts`, the checks of the whole take them as summed over the
    files' runs instead of reading every fact again (the editor's desk)."""

    project: Project
    part: Part | None = None
    usage_given: Usage | None = None
    included_counts: Mapping[str, int] | None = None
    fired: set[tuple[str, str]] = field(default_factory=set)  # (fact id, code)
    _included: dict[str, list[Fact]] = field(default_factory=dict)

    @functools.cached_property
    def unreadable(self) -> list[tuple[str, str, bool]]:
        """The files that did not parse (see `_unreadable`)."""
        return _unreadable(self.project)

    @functools.cached_property
    def sources(self) -> dict[str, Source]:
        return {key: placed.item for key, placed in self.project.sources.items()}

    @functools.cached_property
    def usage(self) -> Usage:
        if self.usage_given is not None:
            return self.usage_given
        return usage_of(raw.item for raw in self.project.raw.get("facts", []))

    @property
    def checked_facts(self) -> dict[str, Placed[Fact]]:
        """The facts the per-file checks look at."""
        return self.project.facts if self.part is None else self.part.facts

    @property
    def checked_sources(self) -> dict[str, Placed[Source]]:
        """The sources the per-file checks look at."""
        return self.project.sources if self.part is None else self.part.sources

    @property
    def checked_files(self) -> list[YamlFile]:
        """The files the per-file checks read as text."""
        if self.part is None:
            return [self.project.config_file, *self.project.files]
        return [self.part.file]

    def included(self, briefing_id: str) -> list[Fact]:
        """The checked facts briefing `briefing_id` includes (rules.included_facts),
        worked out once for the checks that ask."""
        if briefing_id not in self._included:
            briefing = self.project.briefings[briefing_id].item
            self._included[briefing_id] = included_facts(
                self.project, briefing, None if self.part is None else self.part.facts.values()
            )
        return self._included[briefing_id]

    def includes_any(self, briefing_id: str) -> bool:
        """Whether briefing `briefing_id` includes a fact at all."""
        if self.included_counts is not None:
            return self.included_counts.get(briefing_id, 0) > 0
        return bool(self.included(briefing_id))

    def about(self, fact_id: str, warning: Problem) -> Iterator[Problem]:
        """`warning` about fact `fact_id`, unless the fact acknowledges its code."""
        self.fired.add((fact_id, warning.code))
        if warning.code not in self.project.facts[fact_id].item.acknowledge:
            yield warning


Check = Callable[[WarningRun], Iterable[Problem]]


@dataclass(frozen=True)
class WarningCode:
    """One analytic warning: its stable code, what it is about, what it means, and
    the function finding it."""

    code: str
    subject: Subject
    summary: str  # what it means, for the README's table and docs/format.md
    check: Check
    # Held back while a file does not parse (or part of facts/ cannot be read): it
    # depends on what that file declares or cites (`warnings-incomplete` says so).
    needs_every_file: bool = False
    # What it finds about a file's items depends on them, the sources they cite and
    # briefgen.yaml alone: the editor's desk checks again only the files an edit can
    # change (its check reads `run.checked_facts`, `checked_sources`, `checked_files`).
    per_file: bool = False


_WEAK_RELIABILITY = {"D", "E", "F"}
# Hedges that say nothing about how likely: ICD 203 asks for its estimative terms instead.
_HEDGES = re.compile(r"\b(may|might|could|possibly|perhaps)\b", re.IGNORECASE)
_NUMBER_BEFORE = re.compile(r"\d\s*$")
_NUMBER_AFTER = re.compile(r"\s*\d")


def uncited_sources(run: WarningRun) -> Iterable[Problem]:
    cited = run.usage.cited
    for source_id, placed in run.project.sources.items():
        if source_id not in cited:
            yield placed.problem(
                "id",
                message=f"source '{source_id}' is never cited",
                hint="cite it from a fact, or remove it",
                code="uncited-source",
            )


def unused_actors(run: WarningRun) -> Iterable[Problem]:
    project = run.project
    used = set(run.usage.actors)
    for raw in project.raw.get("briefings", []):
        include = raw.item.get("include")
        if isinstance(include, dict):
            used.update(actor for _, actor in listed_ids(include.get("actors")))
    for actor_id, placed in project.actors.items():
        if actor_id not in used:
            yield placed.problem(
                "id",
                message=f"actor '{actor_id}' is never used",
                hint=f"name it in a fact's actors, {names_in_words('or', True)}, or remove it",
                code="unused-actor",
            )


def high_confidence_single_source(run: WarningRun) -> Iterable[Problem]:
    for fact_id, placed in run.checked_facts.items():
        fact = placed.item
        if fact.confidence == "high" and independent_count(fact, run.sources) == 1:
            yield from run.about(
                fact_id,
                placed.problem(
                    "confidence",
                    message=f"fact '{fact_id}' has high confidence but is single-sourced",
                    hint="ICD 203 high confidence rests on several independent sources; "
                    "cite an independent source or lower the confidence to moderate",
                    code="high-confidence-single-source",
                ),
            )


def high_confidence_weak_sources(run: WarningRun) -> Iterable[Problem]:
    for fact_id, placed in run.checked_facts.items():
        fact = placed.item
        if fact.confidence != "high":
            continue
        cited = [run.sources.get(citation.source) for citation in fact.sources]
        if all(s is not None and s.reliability in _WEAK_RELIABILITY for s in cited):
            yield from run.about(
                fact_id,
                placed.problem(
                    "confidence",
                    message=f"fact '{fact_id}' has high confidence but all its sources are "
                    f"rated D, E or F",
                    hint="sources that are not usually reliable cannot carry high confidence; "
                    "cite a more reliable source or lower the confidence",
                    code="high-confidence-weak-sources",
                ),
            )


def confirmed_single_source(run: WarningRun) -> Iterable[Problem]:
    """Credibility 1 says other sources confirm it; with one independent source, none do."""
    for fact_id, placed in run.checked_facts.items():
        fact = placed.item
        if independent_count(fact, run.sources) != 1:
            continue
        for index, citation in enumerate(fact.sources):
            if citation.credibility == 1:
                yield from run.about(
                    fact_id,
                    placed.problem(
                        "sources",
                        index,
                        "credibility",
                        message=f"fact '{fact_id}' grades its citation of '{citation.source}' 1 "
                        "(confirmed by other sources), but it has one independent source",
                        hint="cite the confirming source too, or grade the citation 2 "
                        "(probably true)",
                        code="confirmed-single-source",
                    ),
                )


def accessed_before_published(run: WarningRun) -> Iterable[Problem]:
    for source_id, placed in run.checked_sources.items():
        source = placed.item
        if source.accessed is None or source.published is None:
            continue
        # Partial dates are compared generously: 2024-11 may be 2024-11-30.
        if source.accessed.last_day < source.published.first_day:
            yield placed.problem(
                "accessed",
                message=f"source '{source_id}' was accessed ({source.accessed}) before it "
                f"was published ({source.published})",
                hint="check both dates",
                code="accessed-before-published",
            )


def _included(run: WarningRun) -> Iterable[tuple[str, Briefing, Fact]]:
    """Each briefing's id and model with each fact it includes."""
    for briefing_id, placed in run.project.briefings.items():
        for fact in run.included(briefing_id):
            yield briefing_id, placed.item, fact


def facts_after_edition(run: WarningRun) -> Iterable[Problem]:
    for briefing_id, briefing, fact in _included(run):
        edition = briefing.edition
        if fact.end.first_day > edition.last_day:
            where = ("date", "to") if isinstance(fact.date, DateRange) else ("date",)
            yield from run.about(
                fact.id,
                run.project.facts[fact.id].problem(
                    *where,
                    message=f"fact '{fact.id}' is dated {fact.end}, after the edition of "
                    f"briefing '{briefing_id}' ({edition})",
                    hint="a briefing reports what happened up to its edition; check the date",
                    code="fact-after-edition",
                ),
            )


def stale_facts(run: WarningRun) -> Iterable[Problem]:
    """Facts reviewed too long before the edition of a briefing with `stale_after_days`."""
    for briefing_id, briefing, fact in _included(run):
        if fact.reviewed is not None and is_stale(fact, briefing):
            yield from run.about(
                fact.id,
                run.project.facts[fact.id].problem(
                    "reviewed",
                    message=f"fact '{fact.id}' was last reviewed {fact.reviewed}, more than "
                    f"{briefing.stale_after_days} days before the edition of briefing "
                    f"'{briefing_id}' ({briefing.edition})",
                    hint="check the fact and update 'reviewed:'; until then it is flagged stale",
                    code="stale-fact",
                ),
            )


def never_reviewed(run: WarningRun) -> Iterable[Problem]:
    """Facts never reviewed, in a briefing with `stale_after_days`."""
    for briefing_id, briefing, fact in _included(run):
        if fact.reviewed is None and is_stale(fact, briefing):
            yield from run.about(
                fact.id,
                run.project.facts[fact.id].problem(
                    message=f"fact '{fact.id}' has never been reviewed; briefing "
                    f"'{briefing_id}' flags facts not reviewed within "
                    f"{briefing.stale_after_days} days of its edition as stale",
                    hint="check the fact and add 'reviewed:' with today's date",
                    code="never-reviewed",
                ),
            )


def hedged_risks(run: WarningRun) -> Iterable[Problem]:
    for fact_id, placed in run.checked_facts.items():
        fact = placed.item
        if fact.risk is None:
            continue
        words: dict[str, None] = {}
        for match in _HEDGES.finditer(fact.text):
            word = match.group()
            # "May 2025" and "12 May" are a month, not a hedge.
            if word == "May" and (
                _NUMBER_BEFORE.search(fact.text[: match.start()])
                or _NUMBER_AFTER.match(fact.text[match.end() :])
            ):
                continue
            words.setdefault(word.lower())
        for word in words:
            yield from run.about(
                fact_id,
                placed.problem(
                    "text",
                    message=f"risk '{fact_id}' says '{word}', "
                    "which is not an ICD 203 estimative term",
                    hint="say how likely with an ICD 203 term such as 'unlikely', "
                    "'roughly even chance' or 'likely', or state it plainly",
                    code="estimative-word",
                ),
            )


_TODO_KINDS = {"facts": "fact", "sources": "source", "actors": "actor"}


def skeleton_todos(run: WarningRun) -> Iterable[Problem]:
    """Text a skeleton from `briefgen new` left as it was: "TODO the fact in one
    sentence" would otherwise be printed in the briefing."""
    # Only a file whose bytes hold "TODO", or an escape that could spell it, is walked:
    # walking every text of 10,000 facts was a third of the warnings' time.
    suspects = {f.path for f in run.checked_files if b"TODO" in f.raw or b"\\" in f.raw}
    if not suspects:
        return
    for kind, name in _TODO_KINDS.items():
        for raw in run.project.raw.get(kind, []):
            if raw.file.path not in suspects:
                continue
            item_id = raw.item.get("id")
            for keys, text in _texts(raw.item, ()):
                if text.lstrip().startswith("TODO"):
                    field = next((k for k in reversed(keys) if isinstance(k, str)), "text")
                    yield raw.problem(
                        *keys,
                        message=f"{name} '{item_id}' still holds the skeleton's TODO in '{field}'",
                        hint="replace it with what you know",
                        code="todo",
                    )


def missing_glyphs(run: WarningRun) -> Iterable[Problem]:
    """Each character no font of the theme has (fonts.py reads their coverage from
    a data file, not the fonts), at the line and column where it is written: the
    PDF would show a gap there, or a machine's font would stand in."""
    for file in run.checked_files:
        if file.raw.isascii():  # every ASCII character is in Noto Serif and Sans
            continue
        source = file.raw.decode("utf-8", errors="replace")
        starts = [0] + [at + 1 for at, char in enumerate(source) if char == "\n"]
        for keys, text in _texts(file.data, ()):
            seen: set[str] = set()
            for _, char in unprintable(text):
                if char in seen:
                    continue
                seen.add(char)
                line, column = _written_at(source, starts, file.positions.of(keys), char)
                yield Problem(
                    file.path,
                    line,
                    column,
                    f"{describe(char)} has no glyph in the theme's fonts; it would print blank",
                    "write it in a script the theme prints, or spell it out",
                    code="no-glyph",
                )


def _written_at(
    source: str, starts: list[int], value_at: tuple[int, int], char: str
) -> tuple[int, int]:
    """Where `char` is written in the value that starts at `value_at` (its first
    occurrence from there); the value's own position if it is written as an escape."""
    line, column = value_at
    at = source.find(char, starts[line - 1] + column - 1)
    if at < 0:
        return value_at
    row = next(index for index in range(len(starts) - 1, -1, -1) if starts[index] <= at)
    return row + 1, at - starts[row] + 1


def _texts(value: Any, keys: tuple[str | int, ...]) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Every text in an item as written, with the keys leading to it."""
    if isinstance(value, str):
        yield keys, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "id":
                yield from _texts(item, (*keys, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*keys, index))


def _unreadable(project: Project) -> list[tuple[str, str, bool]]:
    """The files that did not parse into keys and values, briefgen.yaml first, then
    what under facts/ could not be read: each path, "file" or "folder", and whether it
    was read at all. What they would declare, cite or name is unknown."""
    files = [project.config_file, *project.files]
    parsed = [
        (f.path, "file", True)
        for f in files
        # A briefgen.yaml that is not there declares nothing: nothing is held back for it.
        if (f.problems and f.problems[0].code != "missing-file")
        or not isinstance(f.data, dict | None)
    ]
    return parsed + [(path, what, False) for path, what in project.unread.items()]


def incomplete(run: WarningRun) -> Iterable[Problem]:
    """One line for the warnings held back while files do not parse (or some of
    facts/ cannot be read): a source cited only from a broken sheet is not "never cited"."""
    if not run.unreadable:
        return
    (path, what, read), others = run.unreadable[0], len(run.unreadable) - 1
    if not others:
        until = f"this {what} {'parses' if read else 'can be read'}"
    else:
        until = f"this {what} and {others} more {'parse' if read else 'can be read'}"
    yield Problem(
        path,
        1,
        1,
        f"warnings are incomplete until {until}",
        "warnings that depend on what it declares or cites are held back",
        code="warnings-incomplete",
    )


def unused_acknowledgments(run: WarningRun, allowed: list[str]) -> Iterable[Problem]:
    """Acknowledgments (of the codes in `allowed`) whose warning did not fire in `run`:
    asked after every warning a fact can acknowledge has had its turn."""
    for fact_id, placed in run.project.facts.items():
        for code in placed.item.acknowledge:
            if code in allowed and (fact_id, code) not in run.fired:
                yield placed.problem(
                    "acknowledge",
                    code,
                    message=f"fact '{fact_id}' acknowledges '{code}', but that warning no "
                    "longer fires",
                    hint="remove the acknowledgment",
                    code="unused-acknowledgment",
                    at_key=True,
                )
