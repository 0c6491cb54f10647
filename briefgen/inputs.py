"""Inputs: which project files a briefing is made from, and the digest that names them.

A briefing's inputs are briefgen.yaml and the fact sheets it draws on: those
holding its facts, and then every sheet needed for those sheets to validate
on their own (the sources and actors their items cite, wherever declared).
Those files are attached to its PDF, so a recipient can rebuild the briefing
from the PDF alone, and they are all its digest covers, so an edit to a sheet
the briefing does not draw on leaves its outputs up to date (cache.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .kinds import named_actors
from .load import Project
from .rules import included_facts
from .theme import template_dirs


@dataclass(frozen=True)
class InputFile:
    """One file of the project, as it was read and validated for this build."""

    path: str  # relative to the project, with '/'
    data: bytes


@dataclass(frozen=True)
class ProjectInputs:
    """What every briefing of a build draws on alike, worked out once per build:
    the theme's files, and for briefgen.yaml and each sheet the sheets it needs
    to validate on its own (those declaring the sources and actors it cites)."""

    theme: list[InputFile]
    needs: dict[str, set[str]]

    @classmethod
    def of(cls, project: Project) -> ProjectInputs:
        needs: dict[str, set[str]] = {}
        for placed in project.facts.values():
            fact = placed.item
            sheets = needs.setdefault(placed.file.path, set())
            sheets.update(project.sources[c.source].file.path for c in fact.sources)
            sheets.update(project.actors[a].file.path for a in named_actors(fact))
        # briefgen.yaml names actors too, in every briefing's `include`.
        config = needs.setdefault(project.config_file.path, set())
        for briefing in project.briefings.values():
            include = briefing.item.include
            if include is not None and include.actors is not None:
                config.update(project.actors[a].file.path for a in include.actors)
        return cls(theme_files(template_dirs(project.root)), needs)


def briefing_inputs(
    project: Project, briefing_id: str, shared: ProjectInputs | None = None
) -> list[InputFile]:
    """briefgen.yaml, then the sheets the briefing draws on, by path. `shared` is
    `ProjectInputs.of(project)`, when the caller has it."""
    shared = ProjectInputs.of(project) if shared is None else shared
    files = {file.path: file for file in project.files}
    config = project.config_file
    # From briefgen.yaml and the sheets of the facts it shows, follow each file's
    # needs until nothing new comes in.
    briefing = project.briefings[briefing_id].item
    todo = [project.facts[fact.id].file.path for fact in included_facts(project, briefing)]
    todo.append(config.path)
    used: set[str] = set()
    while todo:
        path = todo.pop()
        if path not in used:
            used.add(path)
            todo += shared.needs.get(path, ())
    used.discard(config.path)
    return [
        InputFile(config.path, config.raw),
        *(InputFile(path, files[path].raw) for path in sorted(used)),
    ]


def theme_files(templates: list[Path]) -> list[InputFile]:
    """Every file of the theme folders (the project's own first)."""
    return [
        InputFile(f"theme{index}/{path.relative_to(folder).as_posix()}", path.read_bytes())
        for index, folder in enumerate(templates)
        for path in sorted(p for p in folder.rglob("*") if p.is_file())
    ]


def inputs_hash(
    generator: str, briefing_id: str, inputs: list[InputFile], theme: list[InputFile]
) -> str:
    """SHA-256 of everything an edition is made from: the generator (briefgen's
    version), the briefing id, its input files and the theme. The rebuild cache
    keys on it; its first 12 digits are the digest printed on every page."""
    digest = hashlib.sha256()

    def add(name: str, data: bytes) -> None:
        # Length-prefixed, so no two different sets of files hash alike.
        digest.update(f"{len(name)}:{name}{len(data)}:".encode())
        digest.update(data)

    add("generator", generator.encode())
    add("briefing", briefing_id.encode())
    for item in inputs:
        add(f"project/{item.path}", item.data)
    for item in theme:
        add(item.path, item.data)
    return digest.hexdigest()
