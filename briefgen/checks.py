"""Checking: what no single file can know. Unique ids, references that resolve,
and the rules that span fields."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from typing import Any

from .codes import WARNINGS, acknowledgeable
from .errors import Problem
from .fonts import describe, unprintable
from .judgments import check_judgments, judgment_warnings
from .kinds import mapped_kinds, names_in_words, written_actors
from .load import Placed, Project
from .messages import did_you_mean
from .model import LISTS, DateRange
from .rules import included_facts, independent_count, is_stale
from .scope import scope_warnings

# 'facts' -> 'fact': a kind of item by the key of its list, as load.py files them.
_KIND_NAMES = {key: kind for kind, key in LISTS.items()}


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
        problems += check_judgments(project, raw)
    return problems


Raw = Placed[dict[str, Any]]


class _Anything:
    """Stands in for the ids of a kind when a file that may declare them could not be read."""

    def __contains__(self, item: object) -> bool:
        return True


def _known(project: Project, kind: str) -> Container[str]:
    """The declared ids of `kind`, or anything at all when some of them may be missing
    because their file did not parse: a reference to an actor in a sheet with a YAML
    error is not a second error."""
    if kind in ("sections", "briefings"):
        config = project.config_file.data
        unreadable = not isinstance(config, dict) or not isinstance(config.get(kind), list)
    else:
        unreadable = project.unreadable_sheet
    return _Anything() if unreadable else project.declared.get(kind, {})


def _duplicate_ids(project: Project) -> Iterable[Problem]:
    for kind, ids in project.declared.items():
        for item_id, places in ids.items():
            if len(places) == 1:
                continue  # no duplicate; and asking where an id is costs a re-read
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
        if section is not None and section not in _known(project, "sections"):
            yield _unknown(project, "sections", section, placed, "section")


def _fact_references(project: Project, raw: Raw) -> Iterable[Problem]:
    fact = raw.item
    fact_id = fact.get("id")
    sources = _known(project, "sources")
    actors = _known(project, "actors")

    if isinstance(fact_id, str):
        section = project.fact_section.get(fact_id)
        if section is None and "section" not in fact:
            yield raw.problem(
                message=f"fact '{fact_id}' has no section",
                hint="add 'section:' to the fact, or a default 'section:' at the top of its sheet",
                code="no-section",
            )
    section = fact.get("section")
    if isinstance(section, str) and section not in _known(project, "sections"):
        yield _unknown(project, "sections", section, raw, "section")

    citations = fact.get("sources")
    for index, citation in enumerate(citations if isinstance(citations, list) else []):
        cited = citation.get("source") if isinstance(citation, dict) else None
        if isinstance(cited, str) and cited not in sources:
            yield _unknown(project, "sources", cited, raw, "sources", index, "source")
    for index, actor in _ids(fact.get("actors")):
        if actor not in actors:
            yield _unknown(project, "actors", actor, raw, "actors", index)
    for actor, where in written_actors(fact):
        if actor not in actors:
            yield _unknown(project, "actors", actor, raw, *where)

    yield from _acknowledged_codes(raw)

    kinds = [kind.name for kind in mapped_kinds() if fact.get(kind.name) is not None]
    for extra in kinds[1:]:
        yield raw.problem(
            extra,
            message=f"'{extra}' and '{kinds[0]}' in one fact; a fact has at most one of "
            f"{names_in_words('and')}",
            hint="split it into two facts",
            code="exclusive",
            at_key=True,
        )


def _acknowledged_codes(raw: Raw) -> Iterable[Problem]:
    """Each code a fact acknowledges names a warning a fact can have (codes.py)."""
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


def _briefing_references(project: Project, raw: Raw) -> Iterable[Problem]:
    briefing = raw.item
    seen: set[str] = set()
    for index, section in _ids(briefing.get("sections")):
        if section not in _known(project, "sections"):
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
            if actor not in _known(project, "actors"):
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


# -- analytic warnings -------------------------------------------------------------------
# What is allowed but weakens a briefing: a reader would be misled, or an analyst has
# left something half done. Warnings never stop a build unless --strict asks them to.

_WEAK_RELIABILITY = {"D", "E", "F"}
# Hedges that say nothing about how likely: ICD 203 asks for its estimative terms instead.
_HEDGES = re.compile(r"\b(may|might|could|possibly|perhaps)\b", re.IGNORECASE)
_NUMBER_BEFORE = re.compile(r"\d\s*$")
_NUMBER_AFTER = re.compile(r"\s*\d")


def analytic_warnings(project: Project) -> list[Problem]:
    """Every analytic warning not acknowledged: what is valid but weakens the briefings.

    Usage (is a source cited, an actor named) is read from the items as written,
    so a fact with an error elsewhere still counts as citing its sources. A
    warning about a fact that the fact acknowledges (`acknowledge:`, by its code)
    is left out; an acknowledgment whose warning does not fire is a warning itself.
    """
    warnings: list[Problem] = []
    unreadable = _unreadable(project)
    if not unreadable:
        warnings += _uncited_sources(project)
        warnings += _unused_actors(project)
    warnings += _accessed_before_published(project)
    warnings += _skeleton_todos(project)
    warnings += _missing_glyphs(project)
    about_facts: list[tuple[str, Problem]] = []
    about_facts += _weak_high_confidence(project)
    about_facts += _confirmed_single_source(project)
    about_facts += _edition_warnings(project)
    about_facts += _hedged_risks(project)
    fired: set[tuple[str, str]] = set()
    for fact_id, warning in about_facts:
        fired.add((fact_id, warning.code))
        if warning.code not in project.facts[fact_id].item.acknowledge:
            warnings.append(warning)
    if unreadable:
        warnings.append(_incomplete(unreadable))
    else:
        warnings += _unused_acknowledgments(project, fired)
        # A filter's tags and actors are known only when every sheet was read.
        warnings += scope_warnings(project)
    warnings += judgment_warnings(project)
    assert all(w.code in WARNINGS for w in warnings), "every warning code is in codes.py"
    return [warning.as_warning() for warning in warnings]


_TODO_KINDS = {"facts": "fact", "sources": "source", "actors": "actor"}


def _skeleton_todos(project: Project) -> Iterable[Problem]:
    """Text a skeleton from `briefgen new` left as it was: "TODO the fact in one
    sentence" would otherwise be printed in the briefing."""
    # Only a file whose bytes hold "TODO", or an escape that could spell it, is walked:
    # walking every text of 10,000 facts was a third of the warnings' time.
    suspects = {f.path for f in project.files if b"TODO" in f.raw or b"\\" in f.raw}
    for kind, name in _TODO_KINDS.items():
        for raw in project.raw.get(kind, []):
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


def _missing_glyphs(project: Project) -> Iterable[Problem]:
    """Each character no font of the theme has (fonts.py reads their coverage from
    a data file, not the fonts), at the line and column where it is written: the
    PDF would show a gap there, or a machine's font would stand in."""
    for file in [project.config_file, *project.files]:
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


def _incomplete(unreadable: list[tuple[str, str, bool]]) -> Problem:
    """One line for the warnings held back while files do not parse (or some of
    facts/ cannot be read): a source cited only from a broken sheet is not "never cited"."""
    (path, what, read), others = unreadable[0], len(unreadable) - 1
    if not others:
        until = f"this {what} {'parses' if read else 'can be read'}"
    else:
        until = f"this {what} and {others} more {'parse' if read else 'can be read'}"
    return Problem(
        path,
        1,
        1,
        f"warnings are incomplete until {until}",
        "warnings that depend on what it declares or cites are held back",
        code="warnings-incomplete",
    )


def _unused_acknowledgments(project: Project, fired: set[tuple[str, str]]) -> Iterable[Problem]:
    allowed = acknowledgeable()
    for fact_id, placed in project.facts.items():
        for code in placed.item.acknowledge:
            if code in allowed and (fact_id, code) not in fired:
                yield placed.problem(
                    "acknowledge",
                    code,
                    message=f"fact '{fact_id}' acknowledges '{code}', but that warning no "
                    "longer fires",
                    hint="remove the acknowledgment",
                    code="unused-acknowledgment",
                    at_key=True,
                )


def _raw_facts(project: Project) -> Iterable[dict[str, Any]]:
    for raw in project.raw.get("facts", []):
        yield raw.item


def _uncited_sources(project: Project) -> Iterable[Problem]:
    cited: set[Any] = set()
    for fact in _raw_facts(project):
        citations = fact.get("sources")
        if isinstance(citations, list):
            sources = (c.get("source") for c in citations if isinstance(c, dict))
            # Only text can be a source id (a list is unhashable); the model reports the rest.
            cited.update(s for s in sources if isinstance(s, str))
    for source_id, placed in project.sources.items():
        if source_id not in cited:
            yield placed.problem(
                "id",
                message=f"source '{source_id}' is never cited",
                hint="cite it from a fact, or remove it",
                code="uncited-source",
            )


def _unused_actors(project: Project) -> Iterable[Problem]:
    used: set[str] = set()
    for fact in _raw_facts(project):
        used.update(actor for _, actor in _ids(fact.get("actors")))
        used.update(actor for actor, _ in written_actors(fact))
    for raw in project.raw.get("briefings", []):
        include = raw.item.get("include")
        if isinstance(include, dict):
            used.update(actor for _, actor in _ids(include.get("actors")))
    for actor_id, placed in project.actors.items():
        if actor_id not in used:
            yield placed.problem(
                "id",
                message=f"actor '{actor_id}' is never used",
                hint=f"name it in a fact's actors, {names_in_words('or', True)}, or remove it",
                code="unused-actor",
            )


def _weak_high_confidence(project: Project) -> Iterable[tuple[str, Problem]]:
    sources = {key: placed.item for key, placed in project.sources.items()}
    for fact_id, placed in project.facts.items():
        fact = placed.item
        if fact.confidence != "high":
            continue
        if independent_count(fact, sources) == 1:
            yield (
                fact_id,
                placed.problem(
                    "confidence",
                    message=f"fact '{fact_id}' has high confidence but is single-sourced",
                    hint="ICD 203 high confidence rests on several independent sources; "
                    "cite an independent source or lower the confidence to moderate",
                    code="high-confidence-single-source",
                ),
            )
        cited = [sources.get(citation.source) for citation in fact.sources]
        if all(s is not None and s.reliability in _WEAK_RELIABILITY for s in cited):
            yield (
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


def _confirmed_single_source(project: Project) -> Iterable[tuple[str, Problem]]:
    """Credibility 1 says other sources confirm it; with one independent source, none do."""
    sources = {key: placed.item for key, placed in project.sources.items()}
    for fact_id, placed in project.facts.items():
        fact = placed.item
        if independent_count(fact, sources) != 1:
            continue
        for index, citation in enumerate(fact.sources):
            if citation.credibility == 1:
                yield (
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


def _accessed_before_published(project: Project) -> Iterable[Problem]:
    for source_id, placed in project.sources.items():
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


def _edition_warnings(project: Project) -> Iterable[tuple[str, Problem]]:
    """Warnings that depend on a briefing: its edition date and its stale_after_days."""
    for briefing_id, placed_briefing in project.briefings.items():
        briefing = placed_briefing.item
        edition = briefing.edition
        for fact in included_facts(project, briefing):
            placed = project.facts[fact.id]
            if fact.end.first_day > edition.last_day:
                where = ("date", "to") if isinstance(fact.date, DateRange) else ("date",)
                yield (
                    fact.id,
                    placed.problem(
                        *where,
                        message=f"fact '{fact.id}' is dated {fact.end}, after the edition of "
                        f"briefing '{briefing_id}' ({edition})",
                        hint="a briefing reports what happened up to its edition; check the date",
                        code="fact-after-edition",
                    ),
                )
            if not is_stale(fact, briefing):
                continue
            days = briefing.stale_after_days
            if fact.reviewed is None:
                yield (
                    fact.id,
                    placed.problem(
                        message=f"fact '{fact.id}' has never been reviewed; briefing "
                        f"'{briefing_id}' flags facts not reviewed within {days} days of its "
                        f"edition as stale",
                        hint="check the fact and add 'reviewed:' with today's date",
                        code="never-reviewed",
                    ),
                )
            else:
                yield (
                    fact.id,
                    placed.problem(
                        "reviewed",
                        message=f"fact '{fact.id}' was last reviewed {fact.reviewed}, more than "
                        f"{days} days before the edition of briefing '{briefing_id}' ({edition})",
                        hint="check the fact and update 'reviewed:'; "
                        "until then it is flagged stale",
                        code="stale-fact",
                    ),
                )


def _hedged_risks(project: Project) -> Iterable[tuple[str, Problem]]:
    # A warning about one kind (codes.py: hedged-risk), so it reads that kind's field.
    for fact_id, placed in project.facts.items():
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
            yield (
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
