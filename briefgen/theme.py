"""The theme's files: the built-in theme folder, the project's `templates/`
override, and finding a file in them without following a link out of its folder.

Rendering (render.py) builds its Jinja2 loader on this; what needs only the
files (the inputs of an edition, `unpack`, `build --watch`, the Word format's
fonts) reads them here, without Jinja2.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .errors import BuildError, Problem
from .paths import inside

THEME_DIR = next(
    path
    for path in (
        Path(__file__).parent / "theme",  # installed: the wheel carries the theme here
        Path(__file__).parent.parent / "templates",  # a source checkout
    )
    if path.is_dir()
)
PROJECT_TEMPLATES = "templates"


def template_dirs(project_root: Path) -> list[Path]:
    """Where templates are looked up, first match wins."""
    own = project_root / PROJECT_TEMPLATES
    if not own.is_dir():
        return [THEME_DIR]
    if not inside(own, project_root):
        raise BuildError(f"{PROJECT_TEMPLATES}/ links to {own.resolve()}, outside the project")
    dirs = [own] if own.resolve() != THEME_DIR.resolve() else []
    return [*dirs, THEME_DIR]


def find_theme_file(name: str, folders: Sequence[str | os.PathLike[str]]) -> Path | None:
    """The file `name` ('_fact.html', 'fonts/x.ttf') in the first of `folders` that has
    it, or None; a name reaching out with '..' is not found. A file that is a link out
    of its folder is refused: the theme and the project's templates are trusted only
    with their own files."""
    pieces = name.split("/")
    if any(piece in ("", ".", "..") or os.sep in piece for piece in pieces):
        return None
    for folder in folders:
        candidate = Path(folder, *pieces)
        if candidate.is_file():
            if not inside(candidate, Path(folder)):
                real = candidate.resolve()
                raise BuildError(f"template '{name}' links to {real}, outside {folder}")
            return candidate
    return None


def check_templates(project_root: Path) -> list[Problem]:
    """Every link in the project's templates/ that leads out of it, as a problem:
    a theme may use only its own files."""
    folder = project_root / PROJECT_TEMPLATES
    if not folder.is_dir():
        return []
    if not inside(folder, project_root):
        return [_outside(PROJECT_TEMPLATES, "a folder outside the project")]
    problems = []
    pending = [folder]
    while pending:  # a loop, not recursion: a hostile tree may be very deep
        for entry in sorted(pending.pop().iterdir()):
            if entry.is_symlink():
                if not inside(entry, folder):
                    name = f"{PROJECT_TEMPLATES}/{entry.relative_to(folder).as_posix()}"
                    problems.append(_outside(name, f"a file outside {PROJECT_TEMPLATES}/"))
            elif entry.is_dir():
                pending.append(entry)
    return problems


def _outside(name: str, where: str) -> Problem:
    return Problem(
        name,
        1,
        1,
        f"links to {where}",
        f"copy what it links to into {PROJECT_TEMPLATES}/; templates may use only their own files",
        code="outside",
    )
