"""Watching: build a project, then build it again whenever its inputs change.

The inputs are what a build reads from the project: briefgen.yaml, facts/
and templates/. Changes are collected by watchfiles (inotify and its
equivalents) and debounced, so an editor's burst of writes on save is one
rebuild. A rebuild that fails leaves output/ as it was (build.py sees to it),
so the last good briefing stays readable while the facts are being fixed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .build import Built, UnknownBriefing
from .errors import BuildError, Problem, ProjectError
from .load import CONFIG_NAME, FACTS_DIR, SHEET_SUFFIXES
from .theme import PROJECT_TEMPLATES

# One way to build the project: what was written and the warnings; raises like build.build.
Step = Callable[[], tuple[list[Built], list[Problem]]]

# watchfiles waits this long (ms) for more changes before yielding a batch, and yields
# a batch at the latest after DEBOUNCE_MS even if changes keep coming.
QUIET_MS = 100
DEBOUNCE_MS = 1600
# With no changes, the watcher wakes this often (ms): to start, and to see `stop`.
IDLE_MS = 250


@dataclass(frozen=True)
class Rebuild:
    """What one build of a watched project did."""

    changed: tuple[str, ...]  # the project-relative paths that changed; () for the first build
    built: tuple[Built, ...]  # the briefings written
    problems: tuple[Problem, ...]  # warnings, or the errors that stopped the build
    failure: str | None = None  # why the build failed, when it is not a located problem
    step: int = 0  # which of the steps of a round of building this was

    @property
    def ok(self) -> bool:
        return self.failure is None and not any(p.severity == "error" for p in self.problems)


def run_step(step: Step, changed: tuple[str, ...] = (), index: int = 0) -> Rebuild:
    """Build once, turning every way a build can fail on its input into a Rebuild."""
    try:
        built, warnings = step()
    except ProjectError as error:
        return Rebuild(changed, (), tuple(error.problems), step=index)
    except (BuildError, UnknownBriefing) as error:
        return Rebuild(changed, (), (), f"{error}; nothing was written", step=index)
    return Rebuild(changed, tuple(built), tuple(warnings), step=index)


def watch_project(
    root: Path,
    steps: Sequence[Step],
    report: Callable[[Rebuild], None],
    stop: threading.Event | None = None,
    seen: Callable[[tuple[str, ...]], None] | None = None,
) -> None:
    """Build with each of `steps` in turn now and after every change to the project's
    inputs, calling `report` after each, until `stop` is set. `seen` is called with
    the changed paths as soon as a change is seen, before the build it starts.

    A step that fails skips the steps after it until the next change. Several
    steps let a caller show a fast result first (the HTML) and a slow one after.
    """
    import watchfiles  # only a watching command pays for it

    root = root.resolve()

    def build_all(changed: tuple[str, ...]) -> None:
        for index, step in enumerate(steps):
            result = run_step(step, changed, index)
            report(result)
            if not result.ok:
                return

    # The first build runs once the watcher is in place (its first, empty batch), so
    # an edit saved during that build is seen; changes during any build are kept
    # by watchfiles and come as the next batch.
    first = True
    for changes in watchfiles.watch(
        root,
        watch_filter=lambda _change, path: is_input(root, Path(path)),
        debounce=DEBOUNCE_MS,
        step=QUIET_MS,
        stop_event=stop,
        rust_timeout=IDLE_MS,
        yield_on_timeout=True,
    ):
        if first or changes:
            changed = tuple(sorted({Path(p).relative_to(root).as_posix() for _, p in changes}))
            if changed and seen is not None:
                seen(changed)
            build_all(changed)
            first = False


def is_input(root: Path, path: Path) -> bool:
    """Whether a change to `path` can change what a build of `root` writes."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    if not parts or any(part.startswith(".") or part.endswith("~") for part in parts):
        return False  # hidden files and editor backups are not read by a build
    if parts[0] == FACTS_DIR:
        # Only sheets: editors and tools save through temporary files of other names.
        return path.suffix in SHEET_SUFFIXES
    return parts == (CONFIG_NAME,) or parts[0] == PROJECT_TEMPLATES
