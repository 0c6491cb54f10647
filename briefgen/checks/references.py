"""References: what no single file can know. Unique ids, references that resolve,
names from a table (formats, figures), one kind per fact."""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..kinds import mapped_kinds, names_in_words, written_actors
from ..load import Placed, Project
from ..messages import describe
from ..model import LISTS
from ..wording import did_you_mean, join_words

# 'facts' -> 'fact': a kind of item by the key of its list, as load.py files them.
_KIND_NAMES = {**{key: kind for kind, key in LISTS.items()}, "judgments": "judgment"}


@dataclass(frozen=True)
class TableNames:
    """The names a briefing may list from each table: its `formats:` (formats.FORMATS)
    and `figures:` (figures.FIGURES). The checks take the names, not the tables, so
    checking a project imports no renderer."""

    formats: Collection[str]
    figures: Collection[str]


def check_references(
    project: Project, tables: TableNames, *, facts: bool = True
) -> Iterable[Problem]:
    """Duplicate ids, references that do not resolve, names no table has, and facts
    of two kinds; without `facts`, not those in each fact (`fact_references`).

    References are checked on the items as written, valid or not, so one
    mistake in a fact does not hide another.
    """
    yield from _duplicate_ids(project)
    yield from _sheet_sections(project)
    if facts:
        for raw in project.raw.get("facts", []):
            yield from fact_references(project, raw)
    for raw in project.raw.get("briefings", []):
        yield from _briefing_references(project, raw)
        yield from _table_names(raw, tables)


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


def listed_ids(value: Any) -> list[tuple[int, str]]:
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


def fact_references(project: Project, raw: Raw) -> Iterable[Problem]:
    """References in one fact as written that do not resolve, and a second kind."""
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
    for index, actor in listed_ids(fact.get("actors")):
        if actor not in actors:
            yield _unknown(project, "actors", actor, raw, "actors", index)
    for actor, where in written_actors(fact):
        if actor not in actors:
            yield _unknown(project, "actors", actor, raw, *where)

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


def _briefing_references(project: Project, raw: Raw) -> Iterable[Problem]:
    briefing = raw.item
    seen: set[str] = set()
    for index, section in listed_ids(briefing.get("sections")):
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
        for index, actor in listed_ids(include.get("actors")):
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


def _table_names(raw: Raw, tables: TableNames) -> Iterable[Problem]:
    """Each name in a briefing's `formats:` and `figures:` is in its table; worded as
    the model words a value it does not take."""
    for key, names in (("formats", tables.formats), ("figures", tables.figures)):
        for index, name in listed_ids(raw.item.get(key)):
            if name not in names:
                known = list(names)
                yield raw.problem(
                    key,
                    index,
                    message=f"{describe(name)} is not a valid {key[:-1]}",
                    hint=did_you_mean(name, known) or f"expected one of {join_words(known)}",
                    code="enum",
                )
