"""Inputs: the files an edition is made from, and the digest that names them.

A briefing's inputs are its projection (projection.py): its own slice of
briefgen.yaml and of the fact sheets, and the record of the earlier edition
it compares with. Those files are attached to its PDF, so a recipient can
rebuild the briefing from the PDF alone, and they and the theme are all its
digest covers, so an edit to anything the briefing does not show leaves its
outputs up to date (cache.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .load import Project
from .theme import template_dirs


@dataclass(frozen=True)
class InputFile:
    """One file of an edition's inputs: its path in the project and its bytes."""

    path: str  # relative to the project, with '/'
    data: bytes


@dataclass(frozen=True)
class ProjectInputs:
    """What every briefing of a build draws on alike, worked out once per build:
    the theme's files."""

    theme: list[InputFile]

    @classmethod
    def of(cls, project: Project) -> ProjectInputs:
        return cls(theme_files(template_dirs(project.root)))


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
