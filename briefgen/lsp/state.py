"""The project as the editor sees it: open documents over the folder, each file parsed
and validated once per text, the checks run on the whole."""

from __future__ import annotations

import dataclasses
import functools
import operator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..build import check_errors, check_loaded
from ..checks import (
    FileWarnings,
    Part,
    Usage,
    file_errors,
    file_warnings,
    project_warnings,
    usage_of,
)
from ..errors import Problem
from ..load import (
    CONFIG_NAME,
    Placed,
    Project,
    collector_off,
    fact_files,
    is_sheet,
    load_config,
    load_sheet,
)
from ..rules import fact_markings, markings_of, project_scheme
from ..yamlfile import MAX_BYTES, YamlFile, load_yaml

HELD_BACK = "held-back"


@dataclass
class _Part:
    """What one file adds to the project: its parsed text, its items, its problems."""

    file: YamlFile
    project: Project
    problems: list[Problem]

    @property
    def parsed(self) -> bool:
        return not self.file.problems

    @functools.cached_property
    def fact_ids(self) -> frozenset[str]:
        """The ids of its facts as written."""
        return _ids(self.project, "facts")

    @functools.cached_property
    def source_ids(self) -> frozenset[str]:
        """The ids of its sources as written."""
        return _ids(self.project, "sources")

    @functools.cached_property
    def usage(self) -> Usage:
        """What its facts cite and name, for the warnings about what nothing uses."""
        return usage_of(raw.item for raw in self.project.raw.get("facts", []))


@dataclass
class _Kept:
    """A file's errors, found from `part`."""

    part: _Part
    errors: list[Problem]


@dataclass
class _Warned:
    """A file's per-file warnings, found from `part`, and its facts' markings."""

    part: _Part
    markings: dict[str, str]  # as handled, by fact id
    found: FileWarnings = field(default_factory=lambda: FileWarnings([], frozenset(), {}))


@dataclass(frozen=True)
class _Since:
    """What changed in the merged project since the last check, which decides what
    each file keeps of the errors and warnings found then."""

    everything: bool  # briefgen.yaml, the markings in use, or whether every file parses
    declared: bool  # the ids of sources or actors declared anywhere
    facts: set[str]  # ids whose fact (the one the project holds) or section changed
    sources: set[str]  # ids whose source (the one the project holds) changed

    def alters(self, part: _Part, *, declared: bool = False, sources: bool = False) -> bool:
        """Whether the change can alter what was found in the unchanged `part`: through
        its facts, or with `declared` the ids declared, or with `sources` the sources
        it declares or cites."""
        return (
            self.everything
            or (declared and self.declared)
            or not self.facts.isdisjoint(part.fact_ids)
            or (sources and not self.sources.isdisjoint(part.source_ids | part.usage.cited))
        )


@dataclass
class _Seen:
    """The merged project and briefgen.yaml's part as a check last saw them."""

    project: Project | None = None
    config: _Part | None = None

    def since(self, now: Project, config: _Part | None) -> _Since:
        """What changed since, and `now` seen."""
        since = _since(self.project, now, config, self.config)
        self.project, self.config = now, config
        return since


def _since(before: Project | None, now: Project, config: _Part | None, was: _Part | None) -> _Since:
    if before is None:
        return _Since(True, True, set(), set())
    everything = (
        config is not was
        or project_scheme(before) != project_scheme(now)
        or before.unreadable_sheet != now.unreadable_sheet
    )
    declared = any(
        before.declared.get(kind, {}).keys() != now.declared.get(kind, {}).keys()
        for kind in ("sources", "actors")
    )
    facts = _changed(before.facts, now.facts) | {
        key
        for key in before.fact_section.keys() | now.fact_section.keys()
        if before.fact_section.get(key) != now.fact_section.get(key)
    }
    return _Since(everything, declared, facts, _changed(before.sources, now.sources))


def _changed(before: dict[str, Any], now: dict[str, Any]) -> set[str]:
    """The keys whose value is not the same object in both."""
    return {key for key in before.keys() | now.keys() if before.get(key) is not now.get(key)}


def _owned(project: Project, part: _Part) -> Part:
    """The facts and sources of `part` that the project holds (the first of several
    with one id)."""
    facts = {k: project.facts[k] for k in part.fact_ids if _held(project.facts, k, part)}
    sources = {k: project.sources[k] for k in part.source_ids if _held(project.sources, k, part)}
    return Part(part.file, facts, sources)


def _held(table: dict[str, Placed[Any]], key: str, part: _Part) -> bool:
    placed = table.get(key)
    return placed is not None and placed.file is part.file


@dataclass
class Desk:
    """Every file of the project at `root`, the open ones as the editor holds them.

    A change re-parses and re-validates only the file it changes; the checks
    that span files then run on the parts kept for the others. A file that does
    not parse keeps its last part that did for every other check, so one
    half-typed line does not turn every reference into it into an error.
    """

    root: Path
    open: dict[str, bytes] = field(default_factory=dict)
    _parts: dict[str, _Part] = field(default_factory=dict)
    _good: dict[str, _Part] = field(default_factory=dict)
    _folder: list[Problem] = field(default_factory=list)
    _unread: dict[str, str] = field(default_factory=dict)
    _warned: dict[str, _Warned] = field(default_factory=dict)
    _kept_errors: dict[str, _Kept] = field(default_factory=dict)
    # The project each of the two was last found in, for what changed since.
    _errors_seen: _Seen = field(default_factory=lambda: _Seen())
    _warned_seen: _Seen = field(default_factory=lambda: _Seen())
    project: Project | None = None

    def rel(self, path: Path) -> str | None:
        """`path` relative to the project, if it is a file the project reads."""
        try:
            rel = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None
        return rel if rel == CONFIG_NAME or is_sheet(rel) else None

    def scan(self) -> None:
        """Read the folder again: which sheets exist, and each file's bytes where the
        editor does not hold them (at start, and when files change on disk)."""
        self._folder, self._unread = [], {}
        paths = [self.root / CONFIG_NAME, *fact_files(self.root, self._folder, self._unread)]
        rels = {p.relative_to(self.root).as_posix() for p in paths} | set(self.open)
        for rel in set(self._parts) - rels:
            del self._parts[rel]
            self._good.pop(rel, None)
        with collector_off():
            for rel in sorted(rels):
                self._update(rel, self.open.get(rel, _read(self.root / rel)))

    def edit(self, rel: str, text: bytes) -> None:
        """The editor's text of `rel`, opened or changed."""
        self.open[rel] = text
        with collector_off():
            self._update(rel, text)

    def close(self, rel: str) -> None:
        """The editor closed `rel`: the folder's bytes count again."""
        self.open.pop(rel, None)
        path = self.root / rel
        if rel == CONFIG_NAME or path.is_file():
            self._update(rel, _read(path))
        else:
            self._parts.pop(rel, None)
            self._good.pop(rel, None)

    def _update(self, rel: str, raw: bytes) -> None:
        old = self._parts.get(rel)
        if old is not None and old.file.raw == raw:
            return
        file = load_yaml(raw, rel)
        project = Project(root=self.root, config_file=file)
        problems = list(file.problems)
        if rel == CONFIG_NAME:
            if file.data is not None or not file.problems:
                load_config(project, file, problems)
        else:
            project.files.append(file)
            if not file.problems:
                load_sheet(project, file, problems)
        part = _Part(file, project, problems)
        self._parts[rel] = part
        if part.parsed:
            self._good[rel] = part

    def check(self, *, warnings: bool = True) -> dict[str, list[Problem]]:
        """Every problem by file: what `validate` would report on the editor's text,
        or, without `warnings`, the errors alone (what a change is checked for first)."""
        parts = {rel: self._usable(rel) for rel in sorted(self._parts)}
        with collector_off():
            config = parts.get(CONFIG_NAME)
            self.project = project = _merge(self.root, parts, self._unread)
            found = [p for part in parts.values() for p in part.problems] + self._folder
            errors = self._errors(project, parts, self._errors_seen.since(project, config))
            if warnings:
                since = self._warned_seen.since(project, config)
                found = check_loaded(
                    project, found, warnings=self._warnings(project, parts, since), errors=errors
                )
            else:
                found += errors
        by_path: dict[str, list[Problem]] = {rel: [] for rel in self._parts}
        for problem in found:
            by_path.setdefault(problem.path, []).append(problem)
        for rel, part in self._parts.items():
            if not part.parsed and rel in self._good:
                # The rest was found in the text as it last parsed: its places are stale.
                by_path[rel] = [*part.file.problems, _held_back(part)]
        return by_path

    def _errors(self, project: Project, parts: dict[str, _Part], since: _Since) -> list[Problem]:
        """The errors of the checks, as `validate` finds them: those in each file's
        facts and sources as written found again only when what they read has
        changed (its items, the ids declared, its facts' sections, briefgen.yaml)."""
        errors = check_errors(project, sheets=False)
        kept: dict[str, _Kept] = {}
        for rel, part in parts.items():
            before = self._kept_errors.get(rel)
            if before is None or before.part is not part or since.alters(part, declared=True):
                before = _Kept(part, file_errors(project, part.project.raw))
            kept[rel] = before
            errors += before.errors
        self._kept_errors = kept
        return errors

    def _warnings(self, project: Project, parts: dict[str, _Part], since: _Since) -> list[Problem]:
        """The analytic warnings, as `validate` finds them: each file's per-file ones
        found again only when what they read has changed (its items, the facts the
        project holds of its ids and their sections, the sources it declares or
        cites, briefgen.yaml, the markings in use), the rest from those and the usage
        kept per file."""
        warned: dict[str, _Warned] = {}
        stale: list[tuple[str, Part]] = []
        for rel, part in parts.items():
            kept = self._warned.get(rel)
            if kept is None or kept.part is not part or since.alters(part, sources=True):
                own = _owned(project, part)
                # Its facts' markings first: a briefing's release asks for every fact's.
                kept = _Warned(part, markings_of(project, own.facts.values()))
                stale.append((rel, own))
            warned[rel] = kept
        fact_markings(project, known={k: m for w in warned.values() for k, m in w.markings.items()})
        for rel, checked in stale:
            warned[rel].found = file_warnings(project, checked)
        self._warned = warned
        usage = functools.reduce(operator.or_, (part.usage for part in parts.values()), Usage())
        files = [kept.found for kept in warned.values()]
        everything = project_warnings(project, files, usage)
        return [problem for found in files for problem in found.problems] + everything

    def _usable(self, rel: str) -> _Part:
        part = self._parts[rel]
        return part if part.parsed else self._good.get(rel, part)

    def text(self, rel: str) -> str:
        """The text of `rel` as the checks saw it."""
        part = self._parts.get(rel)
        raw = part.file.raw if part is not None else _read(self.root / rel)
        return raw.decode("utf-8", errors="replace")

    def file(self, rel: str) -> YamlFile | None:
        """`rel` as it last parsed, for finding where things are written in it."""
        part = self._parts.get(rel)
        if part is not None and part.parsed:
            return part.file
        good = self._good.get(rel)
        return good.file if good is not None else None


def _ids(project: Project, kind: str) -> frozenset[str]:
    ids = (raw.item.get("id") for raw in project.raw.get(kind, []))
    return frozenset(i for i in ids if isinstance(i, str))


def _held_back(part: _Part) -> Problem:
    return Problem(
        part.file.path,
        1,
        1,
        "until this file parses, the other checks read it as it last parsed",
        "fix the YAML error to check this file again",
        severity="warning",
        code=HELD_BACK,
    )


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError:
        return b""


def _merge(root: Path, parts: dict[str, _Part], unread: dict[str, str]) -> Project:
    """One project of every file's part, as `load_project` would have made it: files
    in its order (briefgen.yaml, then the sheets by path); the first of several items
    with one id wins."""
    config = parts.get(CONFIG_NAME)
    project = Project(root=root, config_file=config.file if config else YamlFile(CONFIG_NAME))
    project.unread.update(unread)
    order = sorted(parts, key=lambda rel: (rel != CONFIG_NAME, rel))
    for rel in order:
        part = parts[rel].project
        for spec in dataclasses.fields(Project):
            if spec.name in ("root", "config_file", "unread"):
                continue
            value = getattr(part, spec.name)
            if isinstance(value, list | dict):
                _merge_value(getattr(project, spec.name), value)
            elif rel == CONFIG_NAME:  # a single value only briefgen.yaml sets (its settings)
                setattr(project, spec.name, value)
    return project


def _merge_value(into: Any, value: Any) -> None:
    """Lists are joined; in a table, the first item under a key wins, and tables of
    lists or tables are merged key by key."""
    if isinstance(into, list):
        into.extend(value)
        return
    for key, item in value.items():
        if key not in into:
            into[key] = _copy(item)
        elif isinstance(item, list | dict):
            _merge_value(into[key], item)


def _copy(value: Any) -> Any:
    """The containers copied, so merging into them leaves each file's part as it was."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value
