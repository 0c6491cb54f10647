"""Loading: a project folder -> validated models, each remembering where it was written.

Every file is read and every item validated on its own, so one broken fact
never hides the problems of another, and the ids of broken items still count
as declared (a reference to a fact with a typo in its title is not also
reported as a reference to nothing).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .errors import Problem
from .messages import describe, label, validate_item
from .model import (
    Actor,
    Briefing,
    Fact,
    FactSheet,
    Section,
    Settings,
    SharedJudgment,
    Source,
)
from .parsecache import ParseCache
from .paths import inside
from .wording import did_you_mean
from .yamlfile import MAX_BYTES, YamlFile, load_yaml

CONFIG_NAME = "briefgen.yaml"
FACTS_DIR = "facts"
SHEET_SUFFIXES = (".yaml", ".yml")
MAX_FILES = 10_000

T = TypeVar("T")


@dataclass(frozen=True)
class Placed(Generic[T]):
    """A validated item and where it was written, so later stages can point at it."""

    item: T
    file: YamlFile
    path: tuple[str | int, ...]

    def problem(
        self,
        *keys: str | int,
        message: str,
        hint: str | None = None,
        code: str = "invalid",
        at_key: bool = False,
    ) -> Problem:
        line, column = self.file.positions.of((*self.path, *keys), key=at_key)
        return Problem(self.file.path, line, column, message, hint, code=code)


@dataclass
class Project:
    """Everything in a project folder that validated, indexed by id."""

    root: Path
    config_file: YamlFile
    files: list[YamlFile] = field(default_factory=list)
    sections: dict[str, Placed[Section]] = field(default_factory=dict)
    briefings: dict[str, Placed[Briefing]] = field(default_factory=dict)
    actors: dict[str, Placed[Actor]] = field(default_factory=dict)
    sources: dict[str, Placed[Source]] = field(default_factory=dict)
    facts: dict[str, Placed[Fact]] = field(default_factory=dict)
    # FORMAT 1.2: judgments shared by briefings, and briefgen.yaml's markings.
    judgments: dict[str, Placed[SharedJudgment]] = field(default_factory=dict)
    settings: Placed[Settings] = field(
        default_factory=lambda: Placed(Settings(), YamlFile(CONFIG_NAME), ())
    )
    # Every item as written, valid or not, by kind: references are checked on these,
    # so a fact with a bad date still has its sources checked.
    raw: dict[str, list[Placed[dict[str, Any]]]] = field(default_factory=dict)
    # The ids each kind declares, valid or not, each with every place it was written.
    declared: dict[str, dict[str, list[Placed[dict[str, Any]]]]] = field(default_factory=dict)
    # A fact's section: its own, or its sheet's default.
    fact_section: dict[str, str | None] = field(default_factory=dict)
    sheet_section: dict[str, Placed[FactSheet]] = field(default_factory=dict)
    # What under facts/ briefgen could not or would not read (a link out of the
    # project, no permission, too many sheets), by path: "folder" or "file". What it
    # would hold is unknown, like that of a sheet that does not parse.
    unread: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def unreadable_sheet(self) -> bool:
        """Some fact sheet did not parse into a mapping, or some of facts/ could not be
        read, so ids it declares may be missing. Asked once per reference, so worked
        out once: loading is over by then."""
        return bool(self.unread) or any(
            f.problems or not isinstance(f.data, dict | None) for f in self.files
        )


def load_project(
    root: Path, *, cache: bool = True, overlay: Mapping[str, bytes] | None = None
) -> tuple[Project, list[Problem]]:
    """Read and validate every file of the project at `root`.

    With `cache`, a file whose bytes were parsed before is not parsed again
    (parsecache.py); the result is the same either way. `overlay` gives the bytes
    of some files by project-relative path, read instead of the folder's (an
    editor's unsaved text); a sheet under facts/ there need not exist on disk.
    """
    with pause_collector_and_freeze():
        return _load_project(root, ParseCache(root) if cache else None, overlay or {})


# What the loads left to the permanent generation (pause_collector_and_freeze):
# whether anything is frozen, and how many memory blocks the process held after the
# last full collection (0 before the first load). Not gc.get_freeze_count(): it
# walks every frozen object, and asked twice a load it was 30% of the CPU time of
# the test suite, whose process holds millions; sys.getallocatedblocks() only adds
# up a count per arena of memory.
_frozen = False
_baseline = 0


@contextlib.contextmanager
def pause_collector_and_freeze() -> Iterator[None]:
    """Pause Python's cycle collector. Loading makes hundreds of thousands of objects
    that all stay alive and form no cycles; the collector would walk them again and
    again for nothing (a third of the time of loading 10,000 facts)."""
    global _frozen, _baseline
    was_enabled = gc.isenabled()
    collected = False
    if was_enabled and _frozen:
        # What the last load froze (below) goes back to the collector, so a
        # long-running `serve` frees the projects it has moved on from. A full
        # collection walks every object in the process, so a process that loads
        # again and again (serve, an editor calling validate, the test suite: 4x
        # its CPU) makes one only as CPython does for its oldest generation: once
        # the process has grown by a quarter since the last.
        gc.unfreeze()
        _frozen = False
        if sys.getallocatedblocks() > _baseline * 5 // 4:
            gc.collect()
            collected = True
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Frozen, what was loaded is never walked by the collector: it lives as long
            # as the project, and walking it the moment the collector restarted cost
            # 0.1 s at 10,000 facts (and again in every later collection of a build).
            gc.freeze()
            _frozen = True
            gc.enable()
            if collected or not _baseline:
                _baseline = sys.getallocatedblocks()


@contextlib.contextmanager
def collector_off() -> Iterator[None]:
    """Python's cycle collector off for a while, and nothing frozen: for work that
    makes many objects that live on or die young, in no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_project(
    root: Path, cache: ParseCache | None, overlay: Mapping[str, bytes]
) -> tuple[Project, list[Problem]]:
    problems: list[Problem] = []
    parse = cache.load_yaml if cache is not None else load_yaml
    config_file = _read_inside(root, root / CONFIG_NAME, problems, parse, overlay)
    project = Project(root=root, config_file=config_file)
    if config_file.data is not None or not config_file.problems:
        load_config(project, config_file, problems)

    paths = fact_files(root, problems, project.unread)
    paths += [root / rel for rel in overlay if is_sheet(rel) and root / rel not in paths]
    for path in sorted(paths):
        sheet = _read(root, path, problems, parse, overlay)
        project.files.append(sheet)
        if not sheet.problems:
            load_sheet(project, sheet, problems)
    if cache is not None:
        cache.save()
    return project, problems


def is_sheet(rel: str) -> bool:
    """Whether the project-relative path `rel` names a fact sheet."""
    return rel.startswith(f"{FACTS_DIR}/") and rel.endswith(SHEET_SUFFIXES)


def fact_files(root: Path, problems: list[Problem], unread: dict[str, str]) -> list[Path]:
    """The sheets to read; what could not be read is a problem and is noted in `unread`."""
    facts_dir = root / FACTS_DIR
    if not facts_dir.is_dir():
        return []
    if not inside(facts_dir, root):
        problems.append(_outside(_rel(root, facts_dir), "a folder"))
        unread[_rel(root, facts_dir)] = "folder"
        return []
    found: list[Path] = []
    for path in sorted(_walk(root, facts_dir, problems, unread)):
        if path.suffix not in SHEET_SUFFIXES:
            continue
        try:
            if not inside(path, root):
                # A link out of the project would let a fact sheet read any file.
                problems.append(_outside(_rel(root, path), "a file"))
                unread[_rel(root, path)] = "file"
                continue
            if not path.is_file():
                continue
        except OSError as exc:  # a path longer than the system allows, a link loop
            problems.append(Problem(_rel(root, path), 1, 1, f"cannot read: {exc.strerror}"))
            unread[_rel(root, path)] = "file"
            continue
        found.append(path)
        if len(found) > MAX_FILES:
            problems.append(
                Problem(
                    _rel(root, facts_dir),
                    1,
                    1,
                    f"more than {MAX_FILES:,} fact sheets",
                    "merge small sheets; briefgen reads at most this many",
                    code="too-many-files",
                )
            )
            unread[_rel(root, facts_dir)] = "folder"
            return found[:MAX_FILES]
    return found


def _walk(
    root: Path, folder: Path, problems: list[Problem], unread: dict[str, str]
) -> Iterator[Path]:
    pending = [folder]
    while pending:  # a loop, not recursion: a hostile tree may be thousands deep
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:  # no permission, or a path longer than the system allows
            message = f"cannot read folder: {exc.strerror}"
            problems.append(Problem(_rel(root, current), 1, 1, message, code="io"))
            unread[_rel(root, current)] = "folder"
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # editor swap files and .git folders are not fact sheets
            # The listing's own file type: no stat, so no error for a path too long.
            if entry.is_dir(follow_symlinks=False):
                pending.append(current / entry.name)
            else:
                yield current / entry.name


def _outside(rel: str, what: str) -> Problem:
    return Problem(
        rel,
        1,
        1,
        f"links to {what} outside the project",
        "copy it into the project instead of linking to it",
        code="outside",
    )


Parse = Callable[[bytes, str], YamlFile]


def _read_inside(
    root: Path, path: Path, problems: list[Problem], parse: Parse, overlay: Mapping[str, bytes]
) -> YamlFile:
    """`_read`, unless `path` is a link out of the project: briefgen reads nothing there."""
    if path.is_symlink() and not inside(path, root):
        file = YamlFile(_rel(root, path))
        file.problems.append(_outside(file.path, "a file"))
        problems.extend(file.problems)
        return file
    return _read(root, path, problems, parse, overlay)


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _read(
    root: Path,
    path: Path,
    problems: list[Problem],
    parse: Parse,
    overlay: Mapping[str, bytes] = MappingProxyType({}),
) -> YamlFile:
    rel = _rel(root, path)
    if rel in overlay:
        file = parse(overlay[rel], rel)
        problems.extend(file.problems)
        return file
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # enough to know it is too large
    except FileNotFoundError:
        file = YamlFile(rel)
        hint = "run briefgen in a project folder, or pass --project DIR"
        message = f"file not found in {root}"
        file.problems.append(Problem(rel, 1, 1, message, hint, code="missing-file"))
        problems.extend(file.problems)
        return file
    except OSError as exc:
        file = YamlFile(rel)
        file.problems.append(Problem(rel, 1, 1, f"cannot read: {exc.strerror}", code="io"))
        problems.extend(file.problems)
        return file
    file = parse(raw, rel)
    problems.extend(file.problems)
    return file


# -- validation, item by item ------------------------------------------------------------


def load_config(project: Project, file: YamlFile, problems: list[Problem]) -> None:
    data = file.data if file.data is not None else {}
    if not _is_mapping(data, file, (), CONFIG_NAME, problems):
        return
    lists = ("sections", "briefings", "judgments")
    for key in data:
        if key not in (*lists, *Settings.model_fields):
            known = [*lists, *Settings.model_fields]
            hint = did_you_mean(str(key), known)
            problems.append(
                _at(
                    file,
                    (key,),
                    f"unknown key '{key}' in briefgen.yaml",
                    hint or "the keys are sections and briefings",
                    "unknown-key",
                    key=True,
                )
            )
    top = {k: v for k, v in data.items() if k in Settings.model_fields}
    settings, settings_problems = validate_item(Settings, top, file, ())
    problems += settings_problems
    if isinstance(settings, Settings):
        project.settings = Placed(settings, file, ())
    shared = data.get("judgments")
    if shared is not None and _is_list(shared, file, ("judgments",), problems):
        for index, item in enumerate(shared):
            _load_item(
                project,
                "judgments",
                SharedJudgment,
                project.judgments,
                item,
                file,
                ("judgments", index),
                problems,
            )
    for name, model, table in (
        ("sections", Section, project.sections),
        ("briefings", Briefing, project.briefings),
    ):
        items = data.get(name)
        if items is None:
            problems.append(
                _at(file, (), f"missing required key '{name}'", _MISSING_HINT.get(name), "missing")
            )
            continue
        if not _is_list(items, file, (name,), problems):
            continue
        if not items:
            problems.append(_at(file, (name,), f"'{name}' needs at least one entry", None, "empty"))
        for index, item in enumerate(items):
            _load_item(project, name, model, table, item, file, (name, index), problems)


def load_sheet(project: Project, file: YamlFile, problems: list[Problem]) -> None:
    data = file.data if file.data is not None else {}
    if not _is_mapping(data, file, (), "a fact sheet", problems):
        return
    lists = ("actors", "sources", "facts")
    top = {k: v for k, v in data.items() if k not in lists}
    _, top_problems = validate_item(FactSheet, top, file, ())
    problems += top_problems
    default_section = data.get("section") if not top_problems else None
    for name, model, table in (
        ("actors", Actor, project.actors),
        ("sources", Source, project.sources),
        ("facts", Fact, project.facts),
    ):
        items = data.get(name)
        if items is None or not _is_list(items, file, (name,), problems):
            continue
        for index, item in enumerate(items):
            _load_item(project, name, model, table, item, file, (name, index), problems)
            if name == "facts" and isinstance(item, dict) and isinstance(item.get("id"), str):
                section = item.get("section", default_section)
                project.fact_section.setdefault(item["id"], section)
    if default_section is not None:
        project.sheet_section[file.path] = Placed(FactSheet(section=default_section), file, ())


def _load_item(
    project: Project,
    kind: str,
    model: type[BaseModel],
    table: dict[str, Any],  # one of the Project's tables, matching `model`
    data: Any,
    file: YamlFile,
    path: tuple[str | int, ...],
    problems: list[Problem],
) -> None:
    # The label only when it is needed: asked for every item, it was 3 % of a load.
    if not isinstance(data, dict) and not _is_mapping(data, file, path, label(model), problems):
        return
    raw = Placed(data, file, path)
    project.raw.setdefault(kind, []).append(raw)
    item_id = data.get("id")
    if isinstance(item_id, str):
        project.declared.setdefault(kind, {}).setdefault(item_id, []).append(raw)
    item, found = validate_item(model, data, file, path)
    problems += found
    if item is not None:
        # The first of several items with one id wins; checks/references.py reports the rest.
        table.setdefault(getattr(item, "id"), Placed(item, file, path))  # noqa: B009


def _is_mapping(
    data: Any, file: YamlFile, path: tuple[str | int, ...], what: str, problems: list[Problem]
) -> bool:
    if isinstance(data, dict):
        return True
    problems.append(
        _at(
            file,
            path,
            f"{what} must be keys and values, found {describe(data)}",
            "write one 'key: value' per line",
            "type",
        )
    )
    return False


def _is_list(
    data: Any, file: YamlFile, path: tuple[str | int, ...], problems: list[Problem]
) -> bool:
    if isinstance(data, list):
        return True
    problems.append(
        _at(
            file,
            path,
            f"'{path[-1]}' must be a list, found {describe(data)}",
            "start each entry with '- '",
            "type",
        )
    )
    return False


def _at(
    file: YamlFile,
    path: tuple[str | int, ...],
    message: str,
    hint: str | None,
    code: str,
    *,
    key: bool = False,
) -> Problem:
    line, column = file.positions.of(path, key=key)
    return Problem(file.path, line, column, message, hint, code=code)


_MISSING_HINT = {
    "sections": "list the sections facts may belong to, each with an id and a title",
    "briefings": "add at least one briefing with an id, a title and an edition date",
}
